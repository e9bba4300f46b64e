"""Measure what a firm's cleanlab audit does at each scorer's best budget (issue 12's note).

The same computation as ``fairflip evaluate --audit cleanlab --audit-action drop|relabel``
(same split, ranking, flips, audit seed and retrain), with the work shared: one split and
ranking per (scorer, seed), one out-of-fold probability run per pool for both responses.

Rule for the best budget, the same for every scorer and fixed before any audited run: on a
coarse grid of shares of the candidates (without any audit), the share of lowest seed-mean
test EqOd. Budget 0 is not on the grid (the question is what an audit does to flips).

Usage: python scripts/measure_audits.py OUT.csv [--datasets adult,compas] [--seeds 3]
"""

import argparse
import time

import numpy as np
import pandas as pd

from fairflip._seeding import sub_seed
from fairflip.collective._plan import resolve_budget
from fairflip.data import load_dataset, split_problem
from fairflip.firm._train import audit_and_retrain, train_firm
from fairflip.learning import out_of_fold_proba
from fairflip.learning._flip import flip_labels
from fairflip.metrics import detection_report
from fairflip.simulation._evaluate import firm_metrics, rank_split

GRID = (0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0)
SCORERS = ("rb-prob", "rb-label", "rb-dist", "random")
ALPHA = 0.3

parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("--datasets", default="compas,adult")
parser.add_argument("--seeds", type=int, default=3)
args = parser.parse_args()
start = time.monotonic()
rows = []
for name in args.datasets.split(","):
    problem = load_dataset(name)
    for seed in range(args.seeds):
        split = split_problem(problem, random_state=seed)
        model_seed = sub_seed(seed, "model")
        base = train_firm(split.X_train, split.y_train, random_state=model_seed)
        base_m = firm_metrics(base, split)
        rankings = {m: rank_split(split, method=m, alpha=ALPHA, random_state=seed) for m in SCORERS}
        for method, ranking in rankings.items():
            for share in GRID:
                n = resolve_budget(share, ranking.n_candidates)
                flipped = ranking.flipped(n)
                after = train_firm(split.X_train, flip_labels(split.y_train, flipped),
                                   random_state=model_seed)
                m = firm_metrics(after, split)
                rows.append({"dataset": name, "seed": seed, "method": method, "share": share,
                             "n_flips": n, "n_candidates": ranking.n_candidates,
                             "eqod": m["eqod"], "error": m["error"],
                             "base_eqod": base_m["eqod"], "base_error": base_m["error"]})
        print(f"{name} seed {seed}: grid done ({time.monotonic() - start:.0f} s)", flush=True)
grid = pd.DataFrame(rows)
best = (grid.groupby(["dataset", "method", "share"]).eqod.mean().reset_index()
        .sort_values(["dataset", "method", "eqod", "share"])
        .groupby(["dataset", "method"]).head(1).set_index(["dataset", "method"]).share)
print(best, flush=True)

out = []
for name in args.datasets.split(","):
    problem = load_dataset(name)
    for seed in range(args.seeds):
        split = split_problem(problem, random_state=seed)
        pools = {"base": np.zeros(0, dtype=np.intp)}
        for method in SCORERS:
            ranking = rank_split(split, method=method, alpha=ALPHA, random_state=seed)
            pools[method] = ranking.flipped(resolve_budget(float(best[name, method]),
                                                           ranking.n_candidates))
        for method, flipped in pools.items():
            y_pool = flip_labels(split.y_train, flipped)
            proba = out_of_fold_proba(split.X_train, y_pool,
                                      random_state=sub_seed(seed, "audit"))
            for action in ("drop", "relabel"):
                result, firm = audit_and_retrain(split, y_pool, audit="cleanlab", action=action,
                                                 random_state=seed, proba=proba)
                found = detection_report(result.flagged, flipped, split.g_train)
                m = firm_metrics(firm, split)
                out.append({"dataset": name, "seed": seed, "method": method,
                            "share": None if method == "base" else float(best[name, method]),
                            "n_flips": int(flipped.size), "action": action,
                            "n_flagged": found["n_flagged"],
                            "flagged_flips": found["flagged_flips"], "recall": found["recall"],
                            "flag_rate_acting": found["flagged_other_by_group"]["acting"],
                            "flag_rate_other": found["flagged_other_by_group"]["other"],
                            "eqod_after_response": m["eqod"], "error_after_response": m["error"]})
            print(f"{name} seed {seed} {method}: audited ({time.monotonic() - start:.0f} s)",
                  flush=True)
audited = pd.DataFrame(out)
no_audit = grid.merge(best.reset_index(), on=["dataset", "method", "share"])
audited = audited.merge(no_audit[["dataset", "seed", "method", "eqod", "base_eqod"]]
                        .rename(columns={"eqod": "eqod_no_audit"}),
                        on=["dataset", "seed", "method"], how="left")
audited.to_csv(args.out, index=False)
grid.to_csv(args.out.replace(".csv", "_grid.csv"), index=False)
summary = audited.groupby(["dataset", "method", "action"]).agg(
    share=("share", "first"), n_flips=("n_flips", "mean"), recall=("recall", "mean"),
    recall_sd=("recall", "std"), flag_rate_acting=("flag_rate_acting", "mean"),
    flag_rate_other=("flag_rate_other", "mean"), eqod_no_audit=("eqod_no_audit", "mean"),
    eqod_after=("eqod_after_response", "mean"), eqod_after_sd=("eqod_after_response", "std"),
    base_eqod=("base_eqod", "mean"))
print(summary.to_string())
print(f"{time.monotonic() - start:.0f} s")
