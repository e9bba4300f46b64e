"""Scoring and planning at scale: 1,000,000 rows x 50 features in bounded memory.

A synthetic table (numpy-generated: an acting group of 30 % with shifted features and a lower
favourable rate), a collective of alpha = 0.3 of the acting group, its negatively labelled
members as candidates, then rb-label (positives among the k nearest majority rows) and
rb-dist (minus the mean distance to the k nearest positive majority rows) through
:func:`fairflip.scorers._neighbors.NeighborIndex`, one search per reference set at the
largest k (smaller k are slices), and the flip plans (stable argsort of the scores).

Prints wall times per stage and the peak resident memory (``getrusage``), and whether that
stays under 4 GB. Not a test: CI times nothing.

Usage::

    python benchmarks/bench_scale.py [--rows N] [--features P] [--k 5 10] [--format json]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time

import numpy as np

from fairflip.scorers._neighbors import NeighborIndex

LIMIT_GB = 4.0


def peak_rss_gb():
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 2**20 if sys.platform != "darwin" else kb / 2**30


def make_data(n, p, rng):
    group = (rng.random(n) < 0.3).astype(np.int8)
    X = rng.standard_normal((n, p))
    X[group == 1, : p // 5] += 0.5  # the acting group sits apart in some features
    beta = rng.normal(size=p) / np.sqrt(p)
    logit = X @ beta - 1.0 - 0.8 * group
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-logit))).astype(np.int8)
    return X, y, group


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=50)
    parser.add_argument("--k", type=int, nargs="+", default=[5, 10])
    parser.add_argument("--max-memory-mb", type=float, default=512)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    times = {}

    t0 = time.perf_counter()
    X, y, group = make_data(args.rows, args.features, rng)
    acting = np.flatnonzero(group == 1)
    collective = np.sort(rng.choice(acting, int(round(0.3 * acting.size)), replace=False))
    candidates = collective[y[collective] == 0]
    majority = np.flatnonzero(group == 0)
    times["data_s"] = time.perf_counter() - t0

    k_max = max(args.k)
    t0 = time.perf_counter()
    index = NeighborIndex(X[majority], max_memory_mb=args.max_memory_mb)
    _, idx = index.kneighbors(X[candidates], k_max)
    times["rb_label_search_s"] = time.perf_counter() - t0
    label_scores = {k: y[majority][idx[:, :k]].sum(axis=1) for k in args.k}
    del index, idx

    t0 = time.perf_counter()
    positive = majority[y[majority] == 1]
    index = NeighborIndex(X[positive], max_memory_mb=args.max_memory_mb)
    dist, _ = index.kneighbors(X[candidates], k_max)
    times["rb_dist_search_s"] = time.perf_counter() - t0
    dist_scores = {k: -dist[:, :k].mean(axis=1) for k in args.k}
    del index, dist

    t0 = time.perf_counter()
    plans = {f"rb-label k={k}": candidates[np.argsort(-s, kind="stable")]
             for k, s in label_scores.items()}
    plans.update({f"rb-dist k={k}": candidates[np.argsort(-s, kind="stable")]
                  for k, s in dist_scores.items()})
    times["plan_s"] = time.perf_counter() - t0

    peak = peak_rss_gb()
    result = {
        "rows": args.rows, "features": args.features, "candidates": int(candidates.size),
        "majority_rows": int(majority.size), "k": args.k, **times,
        "total_s": sum(times.values()), "peak_rss_gb": peak, "under_4gb": peak < LIMIT_GB,
    }
    print(f"{args.rows} rows x {args.features} features; {candidates.size} candidates vs "
          f"{majority.size} majority rows ({positive.size} positive); k = {args.k}")
    for name, value in times.items():
        print(f"  {name:20s} {value:8.2f} s")
    print(f"total {result['total_s']:.1f} s; peak RSS {peak:.2f} GB; under {LIMIT_GB:g} GB: "
          f"{result['under_4gb']}; {len(plans)} plans")
    if args.format == "json":
        print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
