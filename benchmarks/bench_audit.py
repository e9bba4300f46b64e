"""What a label audit costs the firm: one Adult cell with and without it, side by side.

The cell: bundled Adult (sex), alpha = 0.3, seed 0, rb-prob, 400 flips. Without an audit
the firm fits its logistic regression once on the relabelled pool; with one it first
cross-validates that model (5 folds, ``cross_val_predict``), flags rows (cleanlab's
``find_label_issues`` by default), drops or relabels them and fits again. Each time covers
the fits and the test predictions. Not a test: CI times nothing.

Usage::

    python benchmarks/bench_audit.py [--audit cleanlab|loss] [--action drop|relabel]
                                     [--budget N] [--format text|json]
"""

from __future__ import annotations

import argparse
import json
import time

from fairflip.data import load_dataset, split_problem
from fairflip.firm._train import audit_and_retrain, train_firm
from fairflip.learning._flip import flip_labels
from fairflip.simulation._evaluate import rank_split

DATASET = "adult"
ALPHA = 0.3
SEED = 0


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--audit", default="cleanlab", choices=["cleanlab", "loss"])
    parser.add_argument("--action", default="drop", choices=["drop", "relabel"])
    parser.add_argument("--budget", type=int, default=400)
    parser.add_argument("--format", default="text", choices=["text", "json"])
    args = parser.parse_args(argv)

    split = split_problem(load_dataset(DATASET), random_state=SEED)
    ranking = rank_split(split, method="rb-prob", alpha=ALPHA, random_state=SEED)
    flipped = ranking.flipped(min(args.budget, ranking.n_candidates))
    y_pool = flip_labels(split.y_train, flipped)

    # One untimed fit first: the first solve in a process pays for BLAS start-up.
    train_firm(split.X_train, split.y_train, random_state=SEED)
    start = time.perf_counter()
    train_firm(split.X_train, y_pool, random_state=SEED).predict(split.X_test)
    seconds_no_audit = time.perf_counter() - start

    start = time.perf_counter()
    result, firm = audit_and_retrain(split, y_pool, audit=args.audit, action=args.action,
                                     random_state=SEED)
    firm.predict(split.X_test)
    seconds_audit = time.perf_counter() - start

    out = {"dataset": DATASET, "seconds_audit": round(seconds_audit, 3),
           "seconds_no_audit": round(seconds_no_audit, 3),
           "ratio": round(seconds_audit / seconds_no_audit, 2),
           "audit": args.audit, "action": args.action, "n_flips": int(flipped.size),
           "n_rows": int(split.y_train.size), "n_flagged": result.n_flagged}
    if args.format == "json":
        print(json.dumps(out))
    else:
        for key, value in out.items():
            print(f"{key:>17}: {value}")
    return out


if __name__ == "__main__":
    main()
