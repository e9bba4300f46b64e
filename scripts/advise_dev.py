"""Development runs of the advisor's rule on seeds 100-104 (never the reported seeds 0-9).

Prints regret (test EqOd at the chosen budget minus the test-curve minimum on the same grid)
per rule, so the rule can be fixed before the reported measurement.
"""
import sys
import time

import numpy as np

from fairflip.advisor._advice import _budget_grid
from fairflip.advisor._curve import choose_budget, predicted_curves
from fairflip.advisor._shadow import out_of_fold_predictions, shadow_weights
from fairflip.collective._view import view_from_split
from fairflip.data import load_dataset, make_synthetic, split_problem
from fairflip.experiments._cells import carve_validation
from fairflip.learning import LOGREG_C, fit_flip_path, predict_columns
from fairflip.metrics import fairness_report
from fairflip.simulation._evaluate import rank_split

datasets = sys.argv[1].split(",")
folds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
knowledge = sys.argv[3] if len(sys.argv) > 3 else "all"
method = sys.argv[4] if len(sys.argv) > 4 else "rb-prob"
rules = ("min-or-zero", "one-se", "argmin")
for name in datasets:
    prob = make_synthetic(n_rows=10000) if name == "synthetic" else load_dataset(name)
    out = {r: [] for r in rules}
    out["val"] = []
    harm = {r: 0 for r in rules}
    for seed in range(100, 105):
        full = split_problem(prob, random_state=seed)
        split, val = carve_validation(full, seed, 0.5)
        r = rank_split(split, method=method, alpha=0.3, knowledge=knowledge, random_state=seed)
        view = view_from_split(split, members=r.members, known=r.known, alpha=0.3,
                               group_share=float(split.g_train.mean()))
        order = np.searchsorted(r.members, r.ranked)
        t = time.time()
        w = shadow_weights(view)
        budgets = _budget_grid(view.n_candidates, 41)
        pred = out_of_fold_predictions(view, order, budgets, weights=w, n_folds=folds, random_state=seed)
        y = np.concatenate([view.y_members, view.y_known])
        g = np.concatenate([np.ones(view.n_members), np.zeros(view.n_known)])
        curves = predicted_curves(pred, y, g, group_share=w.group_share, random_state=seed)
        dt = time.time() - t
        coef, b = fit_flip_path(split.X_train, split.y_train, r.ranked, budgets, C=LOGREG_C)
        true = np.array([fairness_report(split.y_test, p, split.g_test)["eqod"]
                         for p in predict_columns(split.X_test, coef, b).T])
        vals = np.array([fairness_report(val.y_test, p, val.g_test)["eqod"]
                         for p in predict_columns(val.X_test, coef, b).T])
        for rule in rules:
            j = choose_budget(curves, rule)
            out[rule].append(true[j] - true.min())
            harm[rule] += true[j] > true[0]
        out["val"].append(true[vals.argmin()] - true.min())
        print(f"  {name} seed {seed} {dt:.1f}s " + " ".join(
            f"{k}={v[-1]:.4f}" for k, v in out.items()), flush=True)
    print(name, folds, knowledge, method, " ".join(f"{k}: {np.mean(v):.4f}" for k, v in out.items()),
          "harm", harm, flush=True)
