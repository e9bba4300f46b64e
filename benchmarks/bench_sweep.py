"""Time one flip sweep's firm fits three ways, side by side in one process.

On bundled Adult (alpha = 0.3 of the acting group, seed 0, candidates ranked by rb-prob):

(a) naive   -- a loop of scikit-learn refits with default settings (``LogisticRegression()``,
               lbfgs, which stops early on this data);
(b) matched -- the accuracy-matched scikit-learn loop: newton-cholesky warm-started from the
               previous budget, at the loosest tolerance of 1e-5, 1e-6, ..., 1e-12 whose
               coefficients are at least as close to the reference as the batched path's
               (both accuracies are reported: equal work, not a loop that stops early);
(c) fast    -- :func:`fairflip.firm.fit_flip_path` plus one matrix product for all test
               predictions.

(b) and (c) are timed as the median of three runs (the first of (b) is its ladder run);
(a), at 85 s and more, runs once.

Each time covers fitting every budget's model and predicting the test set. The batched
coefficients are compared with a tightly converged reference (newton-cholesky, tol=1e-12),
and error and EqOd with the reference's at every budget. Wall seconds are the keys the goals
name; CPU seconds of the process (``*_cpu_s``, all threads) and the load average before and
after (``load_average``: 1, 5, 15 minutes) are reported next to them, because the shared
machine's wall times swing with other jobs. Not a test: CI times nothing.

Usage::

    python benchmarks/bench_sweep.py [--budgets N] [--format text|json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.utils import check_random_state

from fairflip.data import load_dataset, split_problem
from fairflip.learning import fit_flip_path, predict_columns
from fairflip.learning._flip import flip_labels
from fairflip.metrics import fairness_report

ALPHA = 0.3
SEED = 0
# Issue 24's goals, in CPU time (wall ratios move between machines and with their load).
GOAL_NAIVE, GOAL_MATCHED = 100, 12


def build_sweep(n_budgets):
    """Adult split, the collective's ranked candidates (rb-prob) and the budgets."""
    split = split_problem(load_dataset("adult"), test_size=0.3, random_state=SEED,
                          group_feature=True)
    rng = check_random_state(SEED)
    acting = np.flatnonzero(split.g_train == 1)
    collective = np.sort(rng.choice(acting, int(round(ALPHA * acting.size)), replace=False))
    candidates = collective[split.y_train[collective] == 0]
    # rb-prob: a model of the majority's rows scores the candidates (group column dropped)
    Xs = split.scoring_view(split.X_train)
    majority = split.g_train == 0
    f = LogisticRegression(solver="newton-cholesky", tol=1e-8, max_iter=200)
    f.fit(Xs[majority], split.y_train[majority])
    score = f.predict_proba(Xs[candidates])[:, 1]
    ranked = candidates[np.argsort(-score, kind="stable")]
    budgets = np.unique(np.linspace(0, ranked.size, n_budgets).astype(int))
    return split, ranked, budgets


def flipped(y, ranked, b):
    return flip_labels(y, ranked[:b])


def sklearn_loop(split, ranked, budgets, make, warm=False):
    """Fit one scikit-learn model per budget; return coefficients (p+1, m) and predictions."""
    coefs, preds = [], []
    est = make()
    for b in budgets:
        if not warm:
            est = make()
        est.fit(split.X_train, flipped(split.y_train, ranked, b))
        coefs.append(np.r_[est.coef_[0], est.intercept_])
        preds.append(est.predict(split.X_test))
    return np.array(coefs).T, np.array(preds).T


CPU = {}  # CPU seconds of the last timed call, by function name


def timed(fn, *args, **kwargs):
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn(*args, **kwargs)
    CPU[fn.__name__] = time.process_time() - c0
    return time.perf_counter() - t0, out


REPEATS = 3  # the batched path and the matched loop: median of this many runs


def median_timed(fn, *args, first=None, **kwargs):
    """(median wall s, median CPU s, output) over REPEATS runs (``first``: a (wall, CPU)
    already measured, counted as one of them). The naive loop (85 s and more) runs once;
    122 refits amortise its start-up as a run of the others amortises theirs."""
    walls, cpus = ([first[0]], [first[1]]) if first else ([], [])
    out = None
    while len(walls) < REPEATS:
        wall, out = timed(fn, *args, **kwargs)
        walls.append(wall)
        cpus.append(CPU[fn.__name__])
    return float(np.median(walls)), float(np.median(cpus)), out


def fast_path(split, ranked, budgets):
    coef, intercept = fit_flip_path(split.X_train, split.y_train, ranked, budgets)
    return np.vstack([coef, intercept]), predict_columns(split.X_test, coef, intercept)


def max_rel_diff(W, R):
    """Largest per-model relative difference ``max |w - r| / max |r|`` (intercept included)."""
    return float((np.abs(W - R).max(axis=0) / np.abs(R).max(axis=0)).max())


def metrics_agree(split, preds, ref_preds):
    for j in range(preds.shape[1]):
        a = fairness_report(split.y_test, preds[:, j].astype(np.int8), split.g_test)
        r = fairness_report(split.y_test, ref_preds[:, j].astype(np.int8), split.g_test)
        if a["error"] != r["error"] or a["eqod"] != r["eqod"]:
            return False
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--budgets", type=int, default=122)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)

    load_before = os.getloadavg()
    split, ranked, budgets = build_sweep(args.budgets)
    print(f"Adult: {split.X_train.shape[0]} train rows x {split.X_train.shape[1]} features, "
          f"{ranked.size} candidates, {budgets.size} budgets")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        naive_s, (naive_W, _) = timed(sklearn_loop, split, ranked, budgets, LogisticRegression)
    naive_cpu = CPU["sklearn_loop"]
    fast_s, fast_cpu, (fast_W, fast_pred) = median_timed(fast_path, split, ranked, budgets)
    ref_s, (ref_W, ref_pred) = timed(
        sklearn_loop, split, ranked, budgets,
        make=lambda: LogisticRegression(solver="newton-cholesky", tol=1e-12, max_iter=1000))
    fast_acc = max_rel_diff(fast_W, ref_W)
    # The matched loop: tighten scikit-learn's tolerance until its coefficients are as close
    # to the reference as the batched path's; the loop at that tolerance is the one timed.
    ladder = []
    for tol in (1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            sec, (W, _) = timed(
                sklearn_loop, split, ranked, budgets, warm=True,
                make=lambda tol=tol: LogisticRegression(solver="newton-cholesky", tol=tol,
                                                        max_iter=1000, warm_start=True))
        ladder.append({"tol": tol, "seconds": sec, "cpu_s": CPU["sklearn_loop"],
                       "coef_rel_diff": max_rel_diff(W, ref_W)})
        print(f"    warm newton loop tol={tol:.0e}  {sec:8.2f} s   coef rel diff "
              f"{ladder[-1]['coef_rel_diff']:.1e}", file=sys.stderr)
        if ladder[-1]["coef_rel_diff"] <= fast_acc:
            break
    matched = ladder[-1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        matched_s, matched_cpu, _ = median_timed(
            sklearn_loop, split, ranked, budgets, warm=True,
            first=(matched["seconds"], matched["cpu_s"]),
            make=lambda tol=matched["tol"]: LogisticRegression(
                solver="newton-cholesky", tol=tol, max_iter=1000, warm_start=True))
    matched.update(seconds=matched_s, cpu_s=matched_cpu)
    matched_acc = matched["coef_rel_diff"]

    result = {
        "naive_s": naive_s,
        "matched_s": matched_s,
        "fast_s": fast_s,
        "ratio_naive": naive_s / fast_s,
        "ratio_matched": matched_s / fast_s,
        "naive_cpu_s": naive_cpu,
        "matched_cpu_s": matched["cpu_s"],
        "fast_cpu_s": fast_cpu,
        "ratio_naive_cpu": naive_cpu / fast_cpu,
        "ratio_matched_cpu": matched["cpu_s"] / fast_cpu,
        "load_average": [round(x, 2) for x in (*load_before, *os.getloadavg())],
        "max_coef_rel_diff": fast_acc,
        "matched_tol": matched["tol"],
        "matched_coef_rel_diff": matched_acc,
        "matched_reaches_batched_accuracy": matched_acc <= fast_acc,
        "naive_coef_rel_diff": max_rel_diff(naive_W, ref_W),
        "matched_ladder": ladder,
        "metrics_identical": metrics_agree(split, fast_pred, ref_pred),
    }
    print(f"(a) naive lbfgs loop      {naive_s:8.2f} s   coef rel diff "
          f"{max_rel_diff(naive_W, ref_W):.1e}")
    print(f"(b) matched newton loop   {matched_s:8.2f} s   coef rel diff "
          f"{matched_acc:.1e}  (tol={matched['tol']:.0e})")
    print(f"(c) batched path          {fast_s:8.2f} s   coef rel diff "
          f"{result['max_coef_rel_diff']:.1e}")
    print(f"    reference loop        {ref_s:8.2f} s   (newton-cholesky, tol=1e-12)")
    print(f"ratios a/c = {result['ratio_naive']:.1f}, b/c = {result['ratio_matched']:.1f}; "
          f"error and EqOd identical at every budget: {result['metrics_identical']}")
    print(f"CPU seconds: naive {naive_cpu:.2f}, matched {matched['cpu_s']:.2f}, batched "
          f"{fast_cpu:.2f}; ratios {result['ratio_naive_cpu']:.1f}, "
          f"{result['ratio_matched_cpu']:.1f}; load average {result['load_average']}")
    met = {"naive": result["ratio_naive_cpu"] >= GOAL_NAIVE,
           "matched": result["ratio_matched_cpu"] >= GOAL_MATCHED}
    result["goals_met"] = met
    print(f"goals (CPU time, issue 24): >= {GOAL_NAIVE}x naive "
          f"{'met' if met['naive'] else 'NOT met'}, >= {GOAL_MATCHED}x matched "
          f"{'met' if met['matched'] else 'NOT met'}")
    if args.format == "json":
        print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
