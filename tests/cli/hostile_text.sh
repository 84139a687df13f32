#!/usr/bin/env bash
# tests/cli/hostile_text.sh PERFGATE — untrusted text end to end. Budget,
# scenario and request names full of markdown, HTML, XML and GitHub-command
# syntax go through a real `check` with every report and the GitHub
# variables; then a hand-made results file with line breaks and escape
# bytes in its names goes through `compare` and `report`. Nothing may start
# a workflow command, open a tag, break a table or the JUnit schemas.
set -u
bin=$(realpath "$1")
src=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"
start serve "$bin" serve --listen 127.0.0.1:0 --quiet
target=$url
evil='x|y`z<script>alert(1)</script>--> ::error::pwned%0A%0D @team \u202e[link](javascript:alert(1)) ]]> &amp;'
cat >"$dir/evil.json" <<JSON
{ "name": "b-$evil", "target": "$target",
  "load": { "executor": "constant-vus", "vus": 1, "duration": "1s" },
  "trials": 1, "regression": false,
  "thresholds": { "http_req_duration{scenario:s-$evil}": ["p(95)<1us"],
                  "http_req_duration{name:r-$evil}": ["p(95)<1us"] },
  "scenarios": [ { "name": "s-$evil", "requests": [ { "name": "r-$evil", "path": "/" } ] } ] }
JSON
git init -q "$dir/repo"
export GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY=$dir/summary.md GITHUB_OUTPUT=$dir/output.txt
"$bin" check "$dir/evil.json" --repo "$dir/repo" --baselines "$dir/none" --json "$dir/v.json" \
  --junit "$dir/j.xml" --markdown "$dir/m.md" --html "$dir/r.html" >"$dir/check.out" 2>&1
rc=$?
[ $rc -eq 1 ] || { bad "check exit $rc, want 1 (thresholds of 1us broken)"; cat "$dir/check.out"; }

# no workflow command but perfgate's own: ::error file=... / ::warning title=perfgate
if grep -E '^::' "$dir/check.out" | grep -vE '^::(error file=|warning title=perfgate::)' | grep -q .; then
  bad "a forged workflow command on stdout: $(grep -E '^::' "$dir/check.out" | grep -vE '^::(error file=|warning title=perfgate::)' | head -2)"
fi
n=$(grep -c '^::error file=' "$dir/check.out")
[ "$n" -eq 2 ] || bad "$n error annotations, want 2 (one per broken threshold)"
grep '^::error file=' "$dir/check.out" | grep -q 'pwned%250A' || bad "annotation data not escaped as the toolkit does (%0A -> %250A)"
for f in junit-ant junit-jenkins-10; do
  xmllint --noout --schema "$src/tests/report/schemas/$f.xsd" "$dir/j.xml" 2>"$dir/xsd.err" ||
    { bad "JUnit does not validate against $f.xsd"; head -3 "$dir/xsd.err"; }
done
# the markdown as GitHub's parser renders it (raw HTML kept, as GitHub
# passes it on to its sanitizer): no script, no javascript: link
for f in m.md summary.md; do
  cmark-gfm --unsafe -e table "$dir/$f" >"$dir/$f.html"
  grep -qi '<script' "$dir/$f.html" && bad "$f renders a <script tag"
  grep -qi 'href="javascript' "$dir/$f.html" && bad "$f renders a javascript: link"
done
grep -qi -e '<script' -e 'href="javascript' "$dir/r.html" && bad "r.html has a script or a javascript: link"
grep -q '@team' "$dir/m.md" && bad "m.md mentions @team"
# -->: only the hidden marker's
[ "$(grep -o -- '-->' "$dir/m.md" | wc -l)" -eq 1 ] || bad "m.md closes an HTML comment it did not open"
# every table row keeps its header's number of unescaped pipes
python3 - "$dir/m.md" <<'PY' || fail=1
import re, sys
def cells(l):
    return len(re.findall(r"(?<!\\)\|", l))
bad = []
prev = None
for l in open(sys.argv[1], encoding="utf-8"):
    if l.startswith("|"):
        if prev is None:
            prev = cells(l)
        elif cells(l) != prev:
            bad.append(l.strip()[:80])
    else:
        prev = None
if bad:
    sys.exit("FAIL: a table row has the wrong number of cells: %s" % bad[0])
PY
grep -A1 "^verdict<<ghadelimiter_" "$dir/output.txt" | grep -qx fail || bad "GITHUB_OUTPUT verdict"

# a hand-made results file: names with a line break, ESC and a forged command
python3 - "$dir/v.json" "$dir/forged.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
b = d["budgets"][0]
b["name"] = "forged\n::error::forged-command\x1b[2J\r::warning::again"
for c in b["checks"]:
    c["detail"] = "detail\n::error::forged-detail"
    c["metric"] = "m\n::set-output name=x::y"
json.dump(d, open(sys.argv[2], "w", encoding="utf-8"))
PY
"$bin" compare "$dir/forged.json" --repo "$dir/repo" --baselines "$dir/none" >"$dir/compare.out" 2>&1
"$bin" report "$dir/forged.json" --junit "$dir/j2.xml" --markdown "$dir/m2.md" --html "$dir/r2.html" \
  >"$dir/report.out" 2>&1
rc=$?
[ $rc -eq 0 ] || { bad "report of the forged file: exit $rc"; cat "$dir/report.out"; }
for f in compare.out report.out summary.md; do
  grep -q -e '^::error::forged' -e '^::warning::again' -e '^::set-output' "$dir/$f" &&
    bad "$f: a line break in a name started a workflow command"
  grep -q $'\x1b\[2J' "$dir/$f" && bad "$f: an escape sequence from a name reached the terminal"
done
for f in junit-ant junit-jenkins-10; do
  xmllint --noout --schema "$src/tests/report/schemas/$f.xsd" "$dir/j2.xml" 2>/dev/null ||
    bad "forged: JUnit does not validate against $f.xsd"
done
grep -q '^::error::forged' "$dir/m2.md" && bad "m2.md: a forged command line"
[ $fail -eq 0 ] && echo "hostile text: check with every report and GitHub variables, compare and report of a forged file: nothing forged, schemas valid"
exit $fail
