#!/usr/bin/env python3
"""tests/cli/busy_baseline.py RESULTS... — marks every trial of the results
files as having seen every core busy with other processes (monitor
other_cpu = 100% per core), in place.

A stored baseline so marked can never make a later check "noisy" (the veto
needs the current trials to see more than the baseline's busiest trial), so
a test of what the comparison finds (a slower target FAILs) holds however
busy the machine is beside it. tests/cli/comparable.sh tests the veto itself.
"""
import json
import sys

for path in sys.argv[1:]:
    with open(path) as f:
        doc = json.load(f)
    cores = doc.get("env", {}).get("cores", 1)
    for budget in doc.get("budgets", []):
        for trial in budget.get("trials", []):
            trial.setdefault("monitor", {})["other_cpu"] = {"mean": 100.0 * cores}
    with open(path, "w") as f:
        json.dump(doc, f)
