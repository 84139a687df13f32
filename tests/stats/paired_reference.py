#!/usr/bin/python3
"""Reference values for tests/stats/test_paired.c, computed with scipy.

The paired test of `perfgate ab` is a one-sided one-sample t-test on the log
ratios of paired trials (B / A), in the direction that is worse: for a
latency, H1 is "B is slower" (mean of ln(B/A) > 0); for throughput the signs
are turned. Run: /usr/bin/python3 tests/stats/paired_reference.py (Debian's
python3-scipy); paste the printed lines into test_paired.c.
"""
import math

from scipy import stats

CASES = {
    # name: (A per trial, B per trial, direction)
    "latency_10pct": ([5.10, 5.32, 5.05, 5.21, 5.18, 5.40],
                      [5.63, 5.80, 5.52, 5.79, 5.70, 5.95], "higher"),
    "latency_aa": ([5.10, 5.32, 5.05, 5.21, 5.18, 5.40],
                   [5.12, 5.29, 5.09, 5.18, 5.22, 5.37], "higher"),
    "rps_drop": ([1000.0, 990.0, 1012.0, 1005.0, 998.0, 1003.0],
                 [951.0, 948.0, 960.0, 957.0, 940.0, 955.0], "lower"),
    "noisy_12": ([3.1, 2.9, 3.4, 3.0, 3.3, 2.8, 3.6, 3.2, 3.1, 2.95, 3.05, 3.5],
                 [3.3, 3.0, 3.3, 3.4, 3.5, 2.9, 3.7, 3.1, 3.4, 3.2, 3.1, 3.6], "higher"),
}

for name, (a, b, direction) in CASES.items():
    d = [math.log(y / x) for x, y in zip(a, b)]
    if direction == "lower":
        d = [-x for x in d]
    res = stats.ttest_1samp(d, 0.0, alternative="greater")
    print(f"/* {name} */ {res.pvalue!r}")
