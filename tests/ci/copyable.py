#!/usr/bin/env python3
"""tests/ci/copyable.py REPO ACTION — the workflows a user copies work in
REPO, a repository of the user's own (not perfgate's): every step uses only
the perfgate action (ACTION, e.g. perfgate/perfgate@v1), GitHub's own actions
(actions/*), or a `perfgate` on PATH; no script of perfgate's repository
(ci/, action/, build/) is referenced; every file or glob the workflows name
(budgets, the build and start commands' programs) exists in REPO. Exit 1
with one line per problem."""
import glob
import os
import re
import shlex
import sys

import yaml

repo, action = sys.argv[1], sys.argv[2]
problems = []
ours = re.compile(r"(^|[\s\"'=])(\./)?(ci|action|build|fuzz|bench)/")


def check_command(f, what, cmd, args_too):
    """args_too: the command's file arguments are inputs (a build or start
    command), not files a script writes."""
    if ours.search(cmd):
        problems.append(f"{f}: {what} refers to perfgate's own scripts: {cmd!r}")
    # the program a command runs must be on PATH or in the repository
    for part in re.split(r"&&|\|\||;|\|", cmd):
        words = shlex.split(part.replace("{port}", "8080"), posix=True) if part.strip() else []
        while words and re.match(r"^\w+=", words[0]):
            words.pop(0)  # VAR=value prefixes
        if not words:
            continue
        prog = words[0]
        if "/" in prog and not os.path.exists(os.path.join(repo, prog)):
            problems.append(f"{f}: {what} runs {prog}, which is not in the repository")
        for w in words[1:] if args_too else []:
            if re.match(r"^[\w./-]+\.(py|js|sh|json|rb)$", w) and not os.path.exists(os.path.join(repo, w)):
                problems.append(f"{f}: {what} names {w}, which is not in the repository")


files = sorted(glob.glob(os.path.join(repo, ".github/workflows/*.yml")))
if not files:
    problems.append(f"{repo}: no workflows")
for path in files:
    f = os.path.relpath(path, repo)
    d = yaml.safe_load(open(path))
    env = d.get("env") or {}
    for name, job in (d.get("jobs") or {}).items():
        for step in job.get("steps") or []:
            uses = step.get("uses")
            if uses:
                if uses != action and not uses.startswith("actions/"):
                    problems.append(f"{f}: job {name} uses {uses}, neither {action} nor actions/*")
                if uses == action:
                    w = step.get("with") or {}
                    pattern = w.get("budgets", "budgets/*.json")
                    for g in pattern.split():
                        if not glob.glob(os.path.join(repo, g)):
                            problems.append(f"{f}: budgets {g!r} matches no file in the repository")
                    for key in ("build", "start"):
                        if key in w:
                            check_command(f, f"{key}", str(w[key]), True)
            if "run" in step:
                script = str(step["run"])
                check_command(f, f"job {name} step {step.get('name', '')!r}", script, False)
                for word in re.findall(r"\bperfgate\s+\w+", script):
                    if word.split()[1] not in ("run", "check", "compare", "merge", "baseline", "report", "comment", "ab", "init", "serve"):
                        problems.append(f"{f}: {word!r} is not a perfgate command")
    for key, value in env.items():
        if isinstance(value, str) and value.endswith(".json") and not os.path.exists(os.path.join(repo, value)):
            problems.append(f"{f}: env {key} names {value}, which is not in the repository")

for p in problems:
    print(p)
if not problems:
    print(f"copyable: {len(files)} workflows use only {action}, actions/* and perfgate; every file they name exists")
sys.exit(1 if problems else 0)
