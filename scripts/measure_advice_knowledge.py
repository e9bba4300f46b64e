"""Issue 23: the advisor with few known rows, reported on seeds 0-9 (never the dev seeds).

The advisor's settings (rule, PRIOR_ROWS) were fixed on seeds 100-104 with
scripts/advise_knowledge_dev.py before this ran. Every bundled data set (and HSLS when
FAIRFLIP_DATA holds it) at 10, 100, 1,000 and all known rows; alpha 0.3, rb-prob, 21 budgets.

Usage: FAIRFLIP_DATA=/work/shared/data python scripts/measure_advice_knowledge.py OUT_DIR
       [--datasets adult,compas,german,synthetic,hsls] [--seeds 10]
"""

import argparse
import time
from pathlib import Path

import pandas as pd

from fairflip.analysis import knowledge_advice_table
from fairflip.experiments import DatasetSpec
from fairflip.reproduce import knowledge_advice_records

SPECS = {"adult": DatasetSpec("adult", "sex"), "compas": DatasetSpec("compas", "race"),
         "german": DatasetSpec("german", "age"), "hsls": DatasetSpec("hsls"),
         "synthetic": DatasetSpec("synthetic", None, (("n_rows", 10000),))}

parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("--datasets", default="adult,compas,german,synthetic,hsls")
parser.add_argument("--seeds", type=int, default=10)
args = parser.parse_args()
out = Path(args.out)
out.mkdir(parents=True, exist_ok=True)
start = time.monotonic()
frames = []
for name in args.datasets.split(","):
    frames.append(knowledge_advice_records([SPECS[name]], range(args.seeds)))
    records = pd.concat(frames, ignore_index=True)
    records.to_csv(out / "advice_knowledge_records.csv", index=False)
    print(f"{name}: {time.monotonic() - start:.0f} s", flush=True)
table = knowledge_advice_table(records)
table.to_csv(out / "advice_knowledge_table.csv", index=False)
wide = table.pivot_table(index=["dataset", "knowledge"], columns="choice",
                         values=["regret", "harm_rate"])
print(wide.round(3).to_string())
