#!/usr/bin/env python3
"""Checks the GitHub Actions files the way GitHub reads them: valid YAML,
the keys each level requires, one of `uses`/`run` per step, a shell on every
composite `run` step, least permissions (a top-level default, write only on
jobs that say why), and no `${{ github.event.* }}` or `${{ inputs.* }}`
pasted into a script (the script-injection pattern GitHub warns about: such
values must reach `run` through `env`). Exit 1 with one line per problem."""
import re
import sys

import yaml

root = sys.argv[1]
problems = []


def problem(f, msg):
    problems.append(f"{f}: {msg}")


def check_steps(f, where, steps, composite):
    if not isinstance(steps, list) or not steps:
        problem(f, f"{where}: steps must be a non-empty list")
        return
    for i, s in enumerate(steps):
        w = f"{where} step {i + 1} ({s.get('name', s.get('uses', 'unnamed'))})"
        if ("uses" in s) == ("run" in s):
            problem(f, f"{w}: needs exactly one of uses or run")
        if "run" in s:
            if composite and "shell" not in s:
                problem(f, f"{w}: a composite action's run step needs a shell")
            for expr in re.findall(r"\$\{\{(.*?)\}\}", str(s["run"])):
                if re.search(r"github\.event\.|inputs\.|github\.head_ref", expr):
                    problem(f, f"{w}: '${{{{{expr}}}}}' is pasted into the script; pass it in env")
        if "uses" in s and not re.match(r"^(\./|[\w.-]+/[\w./-]+@[\w.-]+$)", s["uses"]):
            problem(f, f"{w}: uses '{s['uses']}' is not ./path or owner/repo@ref")


def check_workflow(f, d):
    on = d.get("on", d.get(True))  # YAML 1.1 reads the key `on` as true
    if not on:
        problem(f, "no 'on' trigger")
    if "permissions" not in d:
        problem(f, "no top-level permissions (the default token may write everything)")
    elif any(v == "write" for v in (d["permissions"] or {}).values()):
        problem(f, "top-level permissions grant write; grant it on the job that needs it")
    jobs = d.get("jobs")
    if not isinstance(jobs, dict) or not jobs:
        problem(f, "no jobs")
        return
    for name, job in jobs.items():
        if "runs-on" not in job:
            problem(f, f"job {name}: no runs-on")
        if "timeout-minutes" not in job:
            problem(f, f"job {name}: no timeout-minutes (a hung job runs 6 hours)")
        check_steps(f, f"job {name}", job.get("steps"), False)


def check_action(f, d):
    for key in ("name", "description", "runs"):
        if key not in d:
            problem(f, f"no {key}")
    runs = d.get("runs", {})
    if runs.get("using") != "composite":
        problem(f, "runs.using must be composite")
    check_steps(f, "runs", runs.get("steps"), True)
    for name, out in (d.get("outputs") or {}).items():
        if "value" not in out:
            problem(f, f"output {name}: a composite action's output needs a value")


import glob
import os

files = sorted(glob.glob(os.path.join(root, ".github/workflows/*.yml")))
for f in files + [os.path.join(root, "action.yml")]:
    try:
        with open(f) as fp:
            d = yaml.safe_load(fp)
    except Exception as e:  # noqa: BLE001 - any parse failure is the finding
        problem(f, f"not valid YAML: {e}")
        continue
    (check_action if f.endswith("action.yml") else check_workflow)(f, d)
needed = {"ci.yml", "perf-gate.yml", "perf-comment.yml", "perf-baseline.yml"}
missing = needed - {os.path.basename(f) for f in files}
if missing:
    problem(root, f"missing workflows: {', '.join(sorted(missing))}")
for p in problems:
    print(p)
print("workflows ok" if not problems else f"{len(problems)} problem(s)")
sys.exit(1 if problems else 0)
