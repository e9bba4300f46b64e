"""The influence reference against the RB methods and random (docs/extending.md numbers).

Usage: ``FAIRFLIP_DATA=/path/to/data python scripts/measure_influence.py compas adult hsls``
(HSLS needs its files under ``$FAIRFLIP_DATA/hsls``). Alpha 0.3, 10 seeds, 41 budgets from
0 to the whole candidate pool, the logistic-regression firm; writes ``influence-<name>.duckdb``
and prints, per method, the seed-mean interpolated flips to 75 % / 50 % of the base EqOd
(seeds that never get there are censored at their pool and counted) and the best EqOd at
the hindsight and firm-validation operating points, then the paired measurement rows of
each method against the reference.
"""

from __future__ import annotations

import sys
import time

import pandas as pd

from fairflip.analysis import flips_to_target, reference_rows, rows_frame, select_points
from fairflip.data import load_dataset
from fairflip.experiments import DatasetSpec, ResultStore, SweepConfig, run_sweep

METHODS = ("influence", "rb-prob", "rb-label", "rb-dist", "random")
SENSITIVE = {"adult": "sex", "compas": "race"}


def measure(name: str, seeds=tuple(range(10)), points=41, n_jobs=2) -> pd.DataFrame:
    sensitive = SENSITIVE.get(name) or load_dataset(name).sensitive
    cfg = SweepConfig(datasets=(DatasetSpec(name, sensitive),), seeds=seeds, methods=METHODS,
                      alphas=(0.3,), budget_points=points, advise_alphas=(),
                      name=f"influence-{name}")
    db = f"influence-{name}.duckdb"
    start = time.monotonic()
    run_sweep(cfg, db, n_jobs=n_jobs, progress=False)
    with ResultStore(db) as store:
        df = store.frame()
    coll = df[df.family == "collective"]
    out = []
    for method in METHODS:
        part = coll[coll.method == method]
        row = {"dataset": name, "method": method, "base_eqod": part.base_eqod.mean()}
        for share in (0.75, 0.5):
            f = flips_to_target(part, share)
            row[f"flips_{share:g}"] = f.flips.mean()
            row[f"censored_{share:g}"] = int(f.censored.sum())
        for selection in ("hindsight", "firm-validation"):
            row[f"best_{selection}"] = select_points(part, selection=selection).eqod.mean()
        out.append(row)
    table = pd.DataFrame(out)
    print(f"{name}: {time.monotonic() - start:.0f} s")
    print(table.to_string(index=False, float_format=lambda x: f"{x:.4f}"))
    rows = rows_frame(reference_rows(df))
    print(rows[["claim", "selection", "measured", "ci_low", "ci_high", "n_seeds"]]
          .to_string(index=False))
    return table


if __name__ == "__main__":
    for dataset in sys.argv[1:] or ("compas", "adult", "hsls"):
        measure(dataset)
