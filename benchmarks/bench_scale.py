"""Planning at census scale: the three RB scorers on N rows x D features, against scikit-learn.

A synthetic table (numpy-generated: an acting group of 30 % with shifted features and a lower
favourable rate), a collective of alpha = 0.3 of the acting group that knows every majority
row, its negatively labelled members as candidates. Each RB scorer (rb-prob, rb-label,
rb-dist) is fitted on the known rows and ranks the candidates through
:func:`fairflip.relabel.rank_collective` with one scorer cache, as a sweep does: rb-label and
rb-dist share one neighbour search (rb-dist's known positives lie inside rb-label's known
rows), so rb-dist's time is what is left after rb-label's search.

Then the same queries through scikit-learn's brute-force ``NearestNeighbors`` (the known rows
and the known positive rows, at the largest k), in the same run: ``ratio_vs_sklearn`` is
scikit-learn's time over fairflip's rb-label + rb-dist time, and ``matches_sklearn`` says
whether the neighbour distances agree (1e-9) and the indices agree wherever the k-th
distance is not tied. Wall seconds are the keys the goals name; CPU seconds (all threads,
``time.process_time``) are reported next to them with the load average, because the shared
machine's wall times swing with other jobs (``ratio_vs_sklearn_cpu`` compares work;
``load_average`` is the 1, 5 and 15-minute load before planning, then at the end).
``--sklearn-queries M`` times scikit-learn on the first M queries only and scales its time
by n_queries / M (then ``sklearn_knn_s`` is an estimate and ``sklearn_queries`` says so).
``peak_rss_mb`` is the process's peak resident set (getrusage) at the end of planning, before
scikit-learn runs; ``peak_rss_with_sklearn_mb`` at the end.

``--neighbors approx`` plans with hnswlib's approximate search instead (``pip install
fairflip[approx]``; graphs built single-threaded from the seed, so the run is reproducible),
then runs the exact search on the same queries in the same run as the reference:
``recall_at_k`` is, per k-NN scorer, the share of the exact k nearest rows the approximate
search found (a found row as close as the exact k-th counts: ties) over all candidates, or
the first ``--recall-queries M``; ``recall_reported`` is what the search measured on its own
sample; ``exact_knn_s`` is the exact rb-label + rb-dist time and ``ratio_vs_exact`` that over
the approximate one (above 1: approx is faster). scikit-learn is not run then (the exact
search is the reference, and it matches scikit-learn in the tests and in the exact runs).

Usage::

    python benchmarks/bench_scale.py [--rows N] [--features D] [--k 5 10] [--format json]
    python benchmarks/bench_scale.py --neighbors approx [--recall-queries M] [--format json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time

import numpy as np
from sklearn.neighbors import NearestNeighbors
from threadpoolctl import threadpool_info

from fairflip.collective._ranking import rank_collective
from fairflip.scorers import ApproxNeighborIndex

SCORERS = ("rb-prob", "rb-label", "rb-dist")


def peak_rss_mb():
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 2**20


def make_data(n, p, rng):
    group = (rng.random(n) < 0.3).astype(np.int8)
    X = rng.standard_normal((n, p))
    X[group == 1, : p // 5] += 0.5  # the acting group sits apart in some features
    beta = rng.normal(size=p) / np.sqrt(p)
    logit = X @ beta - 1.0 - 0.8 * group
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-logit))).astype(np.int8)
    return X, y, group


def sklearn_search(X_known, y_known, X_cand, k, n_queries):
    """Both searches through scikit-learn's brute force; (seconds, results on the queries)."""
    t0, c0 = time.perf_counter(), time.process_time()
    out = []
    for ref in (X_known, X_known[y_known == 1]):
        nn = NearestNeighbors(n_neighbors=min(k, ref.shape[0]), algorithm="brute").fit(ref)
        out.append(nn.kneighbors(X_cand[:n_queries]))
    return time.perf_counter() - t0, time.process_time() - c0, out


def agrees(ours, theirs, tol=1e-9):
    """Distances within tol; indices equal on rows whose k-th distance is not tied."""
    (d, i), (rd, ri) = ours, theirs
    if d.shape != rd.shape or np.abs(d - rd).max() > tol:
        return False
    # sklearn's order among exactly equal distances is its own; compare untied rows.
    sd = np.sort(rd, axis=1)
    untied = (np.diff(sd, axis=1) > tol).all(axis=1)
    return bool((i[untied] == ri[untied]).all())


def recall_at_k(found, exact):
    """Share of the exact k nearest rows found; a found row as close as the exact k-th counts."""
    (found_d, _), (exact_d, _) = found, exact
    return float((found_d <= exact_d[:, -1:]).sum() / exact_d.size)


def plan(X, y, group, ks, neighbors):
    """Rank with the three RB scorers and one cache, as a sweep does: wall and CPU seconds."""
    cache, seconds, cpu, rankings = {}, {}, {}, {}
    for method in SCORERS:
        t0, c0 = time.perf_counter(), time.process_time()
        # The largest k first: smaller k are prefixes of the remembered neighbours.
        for k in sorted(ks, reverse=True):
            rankings[method, k] = rank_collective(X, y, group, method=method, alpha=0.3, k=k,
                                                  random_state=0, scorer_cache=cache,
                                                  neighbors=neighbors)
        seconds[method] = time.perf_counter() - t0
        cpu[method] = time.process_time() - c0
    return cache, seconds, cpu, rankings


def planning_keys(seconds, cpu, data_s, planning_peak):
    """The keys every run reports, in the order the goals name them."""
    return {
        "seconds_by_scorer": {m: round(s, 3) for m, s in seconds.items()},
        "seconds_total": round(sum(seconds.values()), 3),
        "cpu_seconds_by_scorer": {m: round(s, 3) for m, s in cpu.items()},
        "cpu_seconds_total": round(sum(cpu.values()), 3),
        "data_s": round(data_s, 3),
        "peak_rss_mb": round(planning_peak, 1),
    }


def machine_keys(load_before):
    return {"load_average": [round(x, 2) for x in (*load_before, *os.getloadavg())],
            "blas": [f"{i['internal_api']} {i.get('architecture')} x{i['num_threads']}"
                     for i in threadpool_info()]}


def print_scorers(seconds, cpu):
    for m, s in seconds.items():
        print(f"  {m:10s} {s:8.2f} s ({cpu[m]:.2f} CPU s)", file=sys.stderr)


def neighbours_of(cache, X, candidates, k):
    """The candidates' neighbours (all known rows, known positives) from the scorers' memo."""
    memo = cache[next(key for key in cache if key[0] == "rb-label")].memo_
    return [memo.kneighbors(X[candidates], k, candidates),
            memo.kneighbors(X[candidates], k, candidates, positive=True)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=50)
    parser.add_argument("--k", type=int, nargs="+", default=[5, 10])
    parser.add_argument("--sklearn-queries", type=int, default=None,
                        help="time scikit-learn on this many queries and scale (default: all)")
    parser.add_argument("--neighbors", choices=("exact", "approx"), default="exact",
                        help="the k-NN scorers' search (approx: hnswlib, checked against exact)")
    parser.add_argument("--ef-construction", type=int, default=None,
                        help="with --neighbors approx: hnswlib's build effort (default: fairflip's)")
    parser.add_argument("--recall-queries", type=int, default=None,
                        help="with --neighbors approx: recall on this many queries (default: all)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)

    t0 = time.perf_counter()
    X, y, group = make_data(args.rows, args.features, rng)
    data_s = time.perf_counter() - t0

    k_max = max(args.k)
    if args.ef_construction is not None:
        ApproxNeighborIndex.ef_construction = args.ef_construction
    load_before = os.getloadavg()
    cache, seconds, cpu, rankings = plan(X, y, group, args.k, args.neighbors)
    planning_peak = peak_rss_mb()
    ranking = rankings["rb-label", k_max]
    candidates = np.sort(ranking.ranked)
    known = ranking.known
    ours_knn_s = seconds["rb-label"] + seconds["rb-dist"]
    ours_knn_cpu = cpu["rb-label"] + cpu["rb-dist"]

    # fairflip's neighbours of the candidates, from the scorers' shared memo (no new search)
    ours = neighbours_of(cache, X, candidates, k_max)
    if args.neighbors == "approx":
        return approx_report(args, X, y, group, cache, seconds, cpu, rankings, ours,
                             planning_peak, load_before, data_s)
    n_q = candidates.size if args.sklearn_queries is None else min(args.sklearn_queries,
                                                                     candidates.size)
    del cache
    sk_s, sk_cpu, theirs = sklearn_search(X[known], y[known], X[candidates], k_max, n_q)
    sklearn_knn_s = sk_s * candidates.size / n_q
    sklearn_knn_cpu = sk_cpu * candidates.size / n_q
    # The ids of the positives search are rows of X_known; sklearn's are rows of the positives.
    pos_rows = np.flatnonzero(y[known] == 1)
    theirs[1] = (theirs[1][0], pos_rows[theirs[1][1]])
    match = all(agrees((d[:n_q], i[:n_q]), t) for (d, i), t in zip(ours, theirs, strict=True))

    result = {
        "rows": args.rows, "features": args.features, "k": args.k,
        "candidates": int(candidates.size), "known_rows": int(known.size),
        "known_positive_rows": int(pos_rows.size),
        **planning_keys(seconds, cpu, data_s, planning_peak),
        "peak_rss_with_sklearn_mb": round(peak_rss_mb(), 1),
        "sklearn_knn_s": round(sklearn_knn_s, 3),
        "sklearn_knn_cpu_s": round(sklearn_knn_cpu, 3),
        "sklearn_queries": int(n_q),
        "ratio_vs_sklearn": round(sklearn_knn_s / ours_knn_s, 2),
        "ratio_vs_sklearn_cpu": round(sklearn_knn_cpu / ours_knn_cpu, 2),
        "matches_sklearn": match,
        **machine_keys(load_before),
    }
    print(f"{args.rows} rows x {args.features} features; {candidates.size} candidates vs "
          f"{known.size} known majority rows ({pos_rows.size} positive); k = {args.k}",
          file=sys.stderr)
    print_scorers(seconds, cpu)
    print(f"total {result['seconds_total']:.1f} s; peak RSS {result['peak_rss_mb']:.0f} MB; "
          f"scikit-learn brute force {sklearn_knn_s:.1f} s"
          f"{'' if n_q == candidates.size else f' (scaled from {n_q} queries)'}; "
          f"ratio {result['ratio_vs_sklearn']:.2f} (CPU {result['ratio_vs_sklearn_cpu']:.2f}); "
          f"same neighbours: {match}; load average {result['load_average']}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(result))
    else:
        print(json.dumps(result, indent=1))
    return result


def approx_report(args, X, y, group, cache, seconds, cpu, rankings, ours, planning_peak,
                  load_before, data_s):
    """The approximate run's keys, with the exact search on the same queries as reference."""
    k_max = max(args.k)
    ranking = rankings["rb-label", k_max]
    candidates = np.sort(ranking.ranked)
    reported = {m: rankings[m, k_max].neighbor_recall for m in ("rb-label", "rb-dist")}
    index = cache[next(key for key in cache if key[0] == "rb-label")].memo_.index
    build_s = index.build_seconds
    del cache, index
    exact_cache, exact_s, exact_cpu = {}, {}, {}
    for method in ("rb-label", "rb-dist"):
        t0, c0 = time.perf_counter(), time.process_time()
        rank_collective(X, y, group, method=method, alpha=0.3, k=k_max, random_state=0,
                        scorer_cache=exact_cache)
        exact_s[method] = time.perf_counter() - t0
        exact_cpu[method] = time.process_time() - c0
    exact = neighbours_of(exact_cache, X, candidates, k_max)
    n_q = candidates.size if args.recall_queries is None else min(args.recall_queries,
                                                                    candidates.size)
    recall = {m: round(recall_at_k((f[0][:n_q], f[1][:n_q]), (e[0][:n_q], e[1][:n_q])), 4)
              for m, f, e in zip(("rb-label", "rb-dist"), ours, exact, strict=True)}
    approx_knn_s = seconds["rb-label"] + seconds["rb-dist"]
    exact_knn_s = sum(exact_s.values())
    result = {
        "rows": args.rows, "features": args.features, "k": args.k, "neighbors": "approx",
        "candidates": int(candidates.size), "known_rows": int(ranking.known.size),
        **planning_keys(seconds, cpu, data_s, planning_peak),
        "recall_at_k": recall, "recall_k": k_max, "recall_queries": int(n_q),
        "recall_reported": {m: None if r is None else {"recall": round(r.recall, 4), "k": r.k,
                                                        "n_queries": r.n_queries, "ef": r.ef}
                            for m, r in reported.items()},
        "approx_build_s": round(build_s, 3),
        "hnsw_M": ApproxNeighborIndex.M, "hnsw_ef_construction": ApproxNeighborIndex.ef_construction,
        "exact_knn_s": round(exact_knn_s, 3),
        "exact_knn_cpu_s": round(sum(exact_cpu.values()), 3),
        "ratio_vs_exact": round(exact_knn_s / approx_knn_s, 3),
        "ratio_vs_exact_cpu": round(sum(exact_cpu.values()) / (cpu["rb-label"] + cpu["rb-dist"]),
                                    3),
        "peak_rss_with_exact_mb": round(peak_rss_mb(), 1),
        **machine_keys(load_before),
    }
    print(f"{args.rows} rows x {args.features} features, approximate search; "
          f"{candidates.size} candidates; k = {args.k}; graphs built in {build_s:.1f} s",
          file=sys.stderr)
    print_scorers(seconds, cpu)
    print(f"total {result['seconds_total']:.1f} s; peak RSS {result['peak_rss_mb']:.0f} MB; "
          f"exact rb-label + rb-dist {exact_knn_s:.1f} s; ratio_vs_exact "
          f"{result['ratio_vs_exact']:.2f}; recall@{k_max} {recall} on {n_q} queries; "
          f"load average {result['load_average']}", file=sys.stderr)
    print(json.dumps(result, indent=None if args.format == "json" else 1))
    return result


if __name__ == "__main__":
    main()
