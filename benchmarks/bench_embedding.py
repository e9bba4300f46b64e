"""Scorers and the exact neighbour search at embedding width (synthetic stand-in, NOT Waterbirds).

Data: ``fairflip.data.make_embedding_toy`` (seeded, synthetic, unit-norm float32 rows, 512
columns by default), split with ``split_problem`` (``standardize=False``, so the split is
float32). The collective is every minority member of the firm's pool; it knows every majority
row of the pool (knowledge "all"). For each of rb-prob, rb-label and rb-dist, and for the
exact neighbour search alone (``NeighborIndex.kneighbors``, k = 10, candidates vs known rows),
the same rows are timed twice: as the float32 split holds them, and widened to float64 (what
a standardised split would hand over). Peak memory is ``tracemalloc``'s peak of Python and
NumPy allocations during the call (BLAS work buffers are not traced). ``same_answer`` says the
two dtypes gave identical scores / neighbours (they must: float32 -> float64 is exact and the
search widens its input). ``exact`` checks the search's neighbours against a plain float64
brute-force computation on 200 queries.

Usage: ``python benchmarks/bench_embedding.py [--rows 20000] [--dim 512] [--format json]``
"""

from __future__ import annotations

import argparse
import json
import os
import time
import tracemalloc

import numpy as np

from fairflip.data import make_embedding_toy, split_problem
from fairflip.scorers import NeighborIndex, make_scorer


def measure(fn):
    tracemalloc.start()
    tracemalloc.reset_peak()
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return out, wall, cpu, peak


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--dim", type=int, default=512)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--format", choices=("table", "json"), default="table")
    args = parser.parse_args(argv)

    problem = make_embedding_toy(n_rows=args.rows, dim=args.dim, random_state=0)
    split = split_problem(problem, random_state=0)
    X = split.scoring_view(split.X_train)
    known = split.g_train == 0
    cand = (split.g_train == 1) & (split.y_train == 0)
    Xk32, yk, Xc32 = X[known], split.y_train[known], X[cand]
    Xk64, Xc64 = Xk32.astype(np.float64), Xc32.astype(np.float64)
    rows = []
    answers = {}
    for name in ("rb-prob", "rb-label", "rb-dist", "knn-search"):
        for dtype, (Xk, Xc) in (("float32", (Xk32, Xc32)), ("float64", (Xk64, Xc64))):
            if name == "knn-search":
                def run(Xk=Xk, Xc=Xc):
                    return NeighborIndex(Xk).kneighbors(Xc, args.k)[1]
            else:
                def run(Xk=Xk, Xc=Xc, name=name):
                    return make_scorer(name, k=args.k).fit(Xk, yk).score(Xc)
            out, wall, cpu, peak = measure(run)
            answers[name, dtype] = out
            rows.append({"what": name, "input": dtype, "wall_s": round(wall, 3),
                         "cpu_s": round(cpu, 3), "peak_traced_mb": round(peak, 1)})
        same = bool(np.array_equal(answers[name, "float32"], answers[name, "float64"]))
        rows[-1]["same_answer"] = rows[-2]["same_answer"] = same

    q = Xc64[:200]
    d2 = ((q[:, None, :] - Xk64[None, :, :]) ** 2).sum(axis=2)
    brute = np.argsort(d2, axis=1, kind="stable")[:, :args.k]
    exact = bool(np.array_equal(brute, answers["knn-search", "float32"][:200]))
    meta = {"rows": args.rows, "dim": args.dim, "k": args.k, "known_rows": int(known.sum()),
            "candidates": int(cand.sum()), "split_dtype": str(split.X_train.dtype),
            "split_train_mb": round(split.X_train.nbytes / 2**20, 1),
            "search_exact_on_200_queries": exact, "load_average": list(os.getloadavg())}
    if args.format == "json":
        print(json.dumps({"meta": meta, "rows": rows}, indent=1))
        return
    print(json.dumps(meta))
    print("| what | input | wall s | CPU s | peak traced MB | same answer |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['what']} | {r['input']} | {r['wall_s']} | {r['cpu_s']} | "
              f"{r['peak_traced_mb']} | {r['same_answer']} |")


if __name__ == "__main__":
    main()
