#!/usr/bin/env bash
# Realistic traffic end to end (#15): a login -> token -> CRUD flow fed from a
# CSV against tests/cli/login_target.py on 127.0.0.1, which refuses a call
# without the token of a user who logged in, an item that does not exist,
# and /me without the user's own session cookie. Checks: zero errors, every
# id of the CSV requested, tokens kept per virtual user ("scope": "vu": one
# login per user), a cookie jar per user and per open-model iteration, a
# value that is not in the answer failing as "extract", and a "unique" data
# set that runs out stopping the run with exit 1, its results marked, each
# record used once across workers and across shards.
set -u
bin=$1
. "$(dirname "$0")/lib.sh"

start target python3 "$here/login_target.py"
stats() { curl -s "$url/stats"; }
reset() { # a new target: counts start at zero
  kill "${servers[-1]}" 2>/dev/null
  start target python3 "$here/login_target.py"
}
field() { # field JSON PYTHON-EXPRESSION-OF-d
  python3 -c "import json,sys; d=json.loads(sys.argv[1]); print($2)" "$1"
}

{
  echo "user,password,item"
  for i in $(seq 1 20); do echo "u$i,pw-u$i,$((i * 7))"; done
} >"$dir/users.csv"

budget() { # budget FILE LOAD ORDER LOGIN-SCOPE COOKIES [ITEM-PATH]
  cat >"$1" <<JSON
{
  "name": "flow",
  "target": "$url",
  "load": $2,
  "trials": 2,
  "cookies": $5,
  "data": { "users": { "file": "users.csv", "order": "$3" } },
  "scenarios": [ { "name": "crud", "data": "users", "requests": [
    { "name": "login", "method": "POST", "path": "/login",
      "body": "{\"user\": \"{{users.user}}\", \"password\": \"{{users.password}}\"}",
      "extract": { "token": { "json": "auth.token", "scope": "$4" } } },
    { "name": "me", "path": "/me", "headers": { "Authorization": "Bearer {{token}}" } },
    { "name": "read", "path": "${6:-/items/{{users.item\}\}}",
      "headers": { "Authorization": "Bearer {{token}}" } },
    { "name": "create", "method": "POST", "path": "/items",
      "headers": { "Authorization": "Bearer {{token}}", "Content-Type": "application/json" },
      "body": "{\"name\": \"{{users.user}}-{{\$iteration}}\"}",
      "extract": { "loc": { "header": "Location" }, "id": { "regex": "\"id\": ([0-9]+)" } } },
    { "name": "update", "method": "PUT", "path": "/items/{{id}}", "body": "{}",
      "headers": { "Authorization": "Bearer {{token}}" } },
    { "name": "delete", "method": "DELETE", "path": "/items/{{id}}?from={{loc}}",
      "headers": { "Authorization": "Bearer {{token}}" } }
  ] } ],
  "regression": false
}
JSON
}
closed='{ "executor": "constant-vus", "vus": 4, "duration": "3s" }'

# 1. Every iteration logs in with its record: zero errors, every id asked for.
budget "$dir/crud.json" "$closed" sequential iteration true
expect "crud flow" 0 "thresholds: all hold" -- "$bin" run "$dir/crud.json" -o "$dir/crud-results.json"
s=$(stats)
[ "$(field "$s" 'd["refused"]')" = "{}" ] || bad "the target refused calls: $(field "$s" 'd["refused"]')"
asked=$(field "$s" '" ".join(sorted(d["asked"], key=int))')
want=$(seq 7 7 140 | tr '\n' ' ' | sed 's/ $//')
[ "$asked" = "$want" ] || bad "ids asked for: '$asked', want every id of the CSV: '$want'"
[ "$(field "$s" 'len(d["logins"])')" = 20 ] || bad "not every user of the CSV logged in"
[ "$(field "$s" 'd["created"] - d["deleted"] <= 4')" = True ] ||
  bad "items created and not deleted: $(field "$s" 'd["created"]') vs $(field "$s" 'd["deleted"]')"
[ "$(python3 -c 'import json,sys; print(sum(t["errors"] for t in json.load(open(sys.argv[1]))["budgets"][0]["trials"]))' "$dir/crud-results.json")" = 0 ] ||
  bad "the results count errors"
grep -q '{{users.user}}' "$dir/crud-results.json" && bad "the results show a template's body"
grep -q 'u1-' "$dir/crud-results.json" && bad "the results show a rendered value"

# 2. "scope": "vu": each of the 4 virtual users logs in once and keeps its token.
reset
budget "$dir/vu.json" "$closed" sequential vu true
expect "token per virtual user" 0 "thresholds: all hold" -- "$bin" run "$dir/vu.json" -q
s=$(stats)
[ "$(field "$s" 'sum(d["logins"].values())')" = 4 ] ||
  bad "logins with scope vu: $(field "$s" 'd["logins"]') (want one per virtual user, 4)"
[ "$(field "$s" 'd["refused"]')" = "{}" ] || bad "scope vu: refused $(field "$s" 'd["refused"]')"

# 3. Without cookies /me is refused: the jar is what made it pass above.
reset
budget "$dir/nocookies.json" "$closed" sequential iteration false
"$bin" run "$dir/nocookies.json" -q -o "$dir/nocookies-results.json" >/dev/null 2>&1
[ "$(field "$(stats)" 'd["refused"].get("cookie", 0) > 0')" = True ] ||
  bad "without cookies /me was not refused: the test would not see a missing jar"

# 4. Open model: each iteration its own jar and its own login.
reset
budget "$dir/open.json" \
  '{ "executor": "constant-arrival-rate", "rate": 100, "duration": "2s", "max_connections": 8 }' \
  random iteration true
expect "open model flow" 0 "thresholds: all hold" -- "$bin" run "$dir/open.json" -q
[ "$(field "$(stats)" 'd["refused"]')" = "{}" ] || bad "open model: refused $(field "$(stats)" 'd["refused"]')"

# 5. A value not in the answer fails as "extract" and ends its iteration.
reset
budget "$dir/missing.json" "$closed" sequential iteration true /items/{{users.item}}
sed -i 's/"json": "auth.token"/"json": "auth.nothing"/' "$dir/missing.json"
"$bin" run "$dir/missing.json" -o "$dir/missing-results.json" >"$dir/missing.out" 2>&1
grep -q 'extract' "$dir/missing.out" || bad "a missing value is not reported as extract"
grep -q 'no value for {{token}}: the answer has no json "auth.nothing"' "$dir/missing.out" ||
  bad "the first extract failure is not described"
[ "$(field "$(stats)" 'len(d["asked"])')" = 0 ] || bad "requests after a failed extraction were sent"

# 6. "unique": 20 records, each used once; the run stops when they run out.
reset
budget "$dir/unique.json" '{ "executor": "constant-vus", "vus": 2, "duration": "20s" }' \
  unique iteration true
t0=$SECONDS
expect "unique data runs out" 1 'data set "users" ran out' -- \
  "$bin" run "$dir/unique.json" -o "$dir/unique-results.json"
[ $((SECONDS - t0)) -le 15 ] || bad "the run went on after the data ran out"
grep -Eq '"aborted":[[:space:]]*"data set' "$dir/unique-results.json" || bad "the results do not say why"
[ "$(field "$(stats)" 'sum(d["logins"].values())')" = 20 ] ||
  bad "unique: logins $(field "$(stats)" 'd["logins"]'), want each of the 20 users once"
[ "$(field "$(stats)" 'max(d["logins"].values())')" = 1 ] || bad "unique: a record was used twice"

# 7. "unique" across shards: shard I of 2 takes records I, I+2, ...; together
# each of the 20 records once (4 VUs: each shard runs 2 of them).
reset
budget "$dir/unique4.json" '{ "executor": "constant-vus", "vus": 4, "duration": "20s" }' \
  unique iteration true
for shard in 1/2 2/2; do
  "$bin" run "$dir/unique4.json" --shard "$shard" -q -o "$dir/shard.json" >"$dir/shard.out" 2>&1
  [ $? -eq 1 ] || bad "unique, shard $shard: want exit 1 when the shard's records ran out"
done
[ "$(field "$(stats)" 'sorted(d["logins"]) == sorted("u%d" % i for i in range(1, 21))')" = True ] &&
  [ "$(field "$(stats)" 'max(d["logins"].values())')" = 1 ] ||
  bad "unique across shards: logins $(field "$(stats)" 'd["logins"]'), want each of the 20 users once"

exit $fail
