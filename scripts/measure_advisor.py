"""Measure the advisor against the other budget choices (the numbers reported for issue 11).

The rule was fixed on development seeds 100-104 (scripts/advise_dev.py, docs/advise.md)
before this ran; this script reports seeds 0-9 as they come out.

Usage: python scripts/measure_advisor.py OUT_DIR [--jobs 2] [--datasets adult,compas,...]
"""

import argparse
import time
from pathlib import Path

from fairflip.experiments import ResultStore, run_sweep
from fairflip.experiments._config import DatasetSpec, SweepConfig
from fairflip.reproduce._advice_study import advice_table

SPECS = {"adult": DatasetSpec("adult", "sex"), "compas": DatasetSpec("compas", "race"),
         "german": DatasetSpec("german", "age"),
         "synthetic": DatasetSpec("synthetic", None, (("n_rows", 10000),))}

parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("--jobs", type=int, default=2)
parser.add_argument("--datasets", default="compas,synthetic,german,adult")
parser.add_argument("--seeds", type=int, default=10)
args = parser.parse_args()
out = Path(args.out)
out.mkdir(parents=True, exist_ok=True)
start = time.monotonic()
for name in args.datasets.split(","):
    config = SweepConfig(datasets=(SPECS[name],), seeds=tuple(range(args.seeds)),
                         methods=("rb-prob", "rb-label", "rb-dist", "random"), alphas=(0.3,),
                         knowledge=("all", "10"), budget_points=41, name=f"advisor-{name}")
    print(run_sweep(config, out / "results.duckdb", n_jobs=args.jobs, progress=False), flush=True)
with ResultStore(out / "results.duckdb") as store:
    df = store.frame()
table = advice_table(df)
table.to_csv(out / "advice_table.csv", index=False)
print(table.to_string(index=False))
print(f"{time.monotonic() - start:.0f} s")
