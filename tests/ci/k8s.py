#!/usr/bin/env python3
"""Checks the Kubernetes example (examples/k8s/) as the API server would
read its structure: the shard Job is Indexed, runs all shards at once
(parallelism = completions), takes the shard from JOB_COMPLETION_INDEX with
--shard I/N where N is the completion count, writes to the shared volume;
the merge Job runs perfgate merge, then perfgate compare on the merged file.
No cluster here: this is the check we can make. Exit 1 with the problems."""
import re
import sys

import yaml

root = sys.argv[1]
problems = []


def load(name):
    with open(f"{root}/examples/k8s/{name}") as fp:
        return [d for d in yaml.safe_load_all(fp) if d]


def job(docs, name):
    for d in docs:
        if d.get("kind") == "Job" and d["metadata"]["name"] == name:
            return d
    problems.append(f"no Job {name}")
    return None


shards = job(load("perfgate-shards.yaml"), "perfgate-shards")
merge = job(load("perfgate-merge.yaml"), "perfgate-merge")
if shards:
    spec = shards["spec"]
    if spec.get("completionMode") != "Indexed":
        problems.append("perfgate-shards: completionMode must be Indexed")
    n = spec.get("completions")
    if not isinstance(n, int) or n < 2 or spec.get("parallelism") != n:
        problems.append("perfgate-shards: parallelism must equal completions (the shards run at once)")
    c = spec["template"]["spec"]["containers"][0]
    script = " ".join(c.get("args", []))
    env = {e["name"]: e.get("value") for e in c.get("env", [])}
    if "JOB_COMPLETION_INDEX + 1" not in script or "--shard" not in script:
        problems.append("perfgate-shards: --shard must come from JOB_COMPLETION_INDEX + 1")
    if env.get("SHARDS") != str(n):
        problems.append(f"perfgate-shards: SHARDS {env.get('SHARDS')} is not completions {n}")
    if not re.search(r"-o \"?/results/shard-", script):
        problems.append("perfgate-shards: results must go to the shared /results volume")
    if spec["template"]["spec"].get("restartPolicy") != "Never":
        problems.append("perfgate-shards: restartPolicy must be Never")
if merge:
    script = " ".join(merge["spec"]["template"]["spec"]["containers"][0].get("args", []))
    m, c = script.find("perfgate merge /results/shard-"), script.find("perfgate compare /results/merged.json")
    if m < 0 or c < 0 or c < m:
        problems.append("perfgate-merge: must run perfgate merge of the shards, then compare the merged file")
for p in problems:
    print(p)
print("k8s example ok" if not problems else f"{len(problems)} problem(s)")
sys.exit(1 if problems else 0)
