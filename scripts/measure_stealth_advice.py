"""Stealth-aware advice against the firm's own audit (issue 12 point 3, advise --avoid-audit).

For each scorer and seed, the collective's view of a simulated split (alpha 0.3, every
majority row known) is advised twice, plain and with ``avoid_audit="cleanlab"``. Then the
firm (which the advisor never sees) audits its pool with cleanlab for both plans at the
stealth advice's budget: the flags the collective expected to avoid against the flags the
firm's audit really stops raising, and the firm's test EqOd (no audit, and after dropping).

Usage: python scripts/measure_stealth_advice.py OUT.csv [--dataset compas] [--seeds 3]
"""

import argparse
import time

import pandas as pd

from fairflip.advisor import advise
from fairflip.collective._view import view_from_split
from fairflip.data import load_dataset, split_problem
from fairflip.firm._train import audit_and_retrain, train_firm
from fairflip.learning._flip import flip_labels
from fairflip.metrics import detection_report
from fairflip.simulation._evaluate import firm_metrics, rank_split

parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("--dataset", default="compas")
parser.add_argument("--seeds", type=int, default=3)
parser.add_argument("--methods", default="rb-prob,rb-label,rb-dist,random")
args = parser.parse_args()
start = time.monotonic()
problem = load_dataset(args.dataset)
rows = []
for seed in range(args.seeds):
    split = split_problem(problem, random_state=seed)
    for method in args.methods.split(","):
        ranking = rank_split(split, method=method, alpha=0.3, random_state=seed)
        view = view_from_split(split, members=ranking.members, known=ranking.known, alpha=0.3,
                               group_share=float(split.g_train.mean()))
        plain = advise(view, method=method, random_state=seed)
        stealth = advise(view, method=method, random_state=seed, avoid_audit="cleanlab")
        b = stealth.recommended_budget
        row = {"dataset": args.dataset, "seed": seed, "method": method,
               "plain_budget": plain.recommended_budget, "stealth_budget": b,
               "n_candidates": stealth.n_candidates, **{f"own_{k}": v for k, v in
                                                        stealth.stealth.items()}}
        for name, advice in (("plain", plain), ("stealth", stealth)):
            # The same b flips from each ranking, as firm-side row positions.
            flipped = ranking.members[advice.order[:b]]
            y_pool = flip_labels(split.y_train, flipped)
            firm = train_firm(split.X_train, y_pool, random_state=seed)
            result, dropped = audit_and_retrain(split, y_pool, audit="cleanlab", action="drop",
                                                random_state=seed)
            found = detection_report(result.flagged, flipped, split.g_train)
            row[f"firm_flagged_{name}"] = found["flagged_flips"]
            row[f"eqod_{name}"] = firm_metrics(firm, split)["eqod"]
            row[f"eqod_drop_{name}"] = firm_metrics(dropped, split)["eqod"]
        rows.append(row)
        print({k: row[k] for k in ("seed", "method", "plain_budget", "stealth_budget",
                                   "own_flags_avoided", "firm_flagged_plain",
                                   "firm_flagged_stealth")},
              f"{time.monotonic() - start:.0f} s", flush=True)
df = pd.DataFrame(rows)
df.to_csv(args.out, index=False)
cols = ["plain_budget", "stealth_budget", "own_flagged_plain", "own_flagged_stealth",
        "firm_flagged_plain", "firm_flagged_stealth", "eqod_plain", "eqod_stealth",
        "eqod_drop_plain", "eqod_drop_stealth"]
print(df.groupby("method")[cols].mean().round(3).to_string())
print(f"{time.monotonic() - start:.0f} s")
