"""Development runs for issue 23 (advice with few known rows): seeds 100-104 ONLY.

Compares the advisor's rule and the strength of its rate-anchored prior (PRIOR_ROWS) on the
development seeds, never on the reported seeds 0-9 (scripts/measure_advice_knowledge.py).

Usage: FAIRFLIP_DATA=... python scripts/advise_knowledge_dev.py OUT.csv [--datasets ...]
       [--rules clear-gain,argmin] [--prior-rows 30,100,300] [--knowledge 10,100,1000,all]
"""

import argparse
import time

import pandas as pd

import fairflip.advisor._shadow as shadow
from fairflip.experiments import DatasetSpec
from fairflip.reproduce._advice_knowledge import knowledge_advice_records

SPECS = {"adult": DatasetSpec("adult", "sex"), "compas": DatasetSpec("compas", "race"),
         "german": DatasetSpec("german", "age"), "hsls": DatasetSpec("hsls"),
         "synthetic": DatasetSpec("synthetic", None, (("n_rows", 10000),))}
DEV_SEEDS = range(100, 105)

parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("--datasets", default="adult,compas,german,synthetic,hsls")
parser.add_argument("--rules", default="clear-gain,paired-gain,min-or-zero,argmin")
parser.add_argument("--prior-rows", default="100")
parser.add_argument("--knowledge", default="10,100,1000,all")
args = parser.parse_args()
frames = []
start = time.monotonic()
for prior in [int(p) for p in args.prior_rows.split(",")]:
    shadow.PRIOR_ROWS = prior  # the development knob (read at call time)
    for name in args.datasets.split(","):
        df = knowledge_advice_records([SPECS[name]], DEV_SEEDS,
                                      knowledge=tuple(args.knowledge.split(",")),
                                      rule=tuple(args.rules.split(",")))
        frames.append(df.assign(prior_rows=prior))
        print(f"{prior} {name} {time.monotonic() - start:.0f}s", flush=True)
        pd.concat(frames).to_csv(args.out, index=False)
out = pd.concat(frames)
summary = (out.groupby(["prior_rows", "dataset", "knowledge", "choice"])
           .agg(regret=("regret", "mean"), harm=("harm", "mean"), share=("share", "mean"))
           .unstack("choice"))
print(summary.round(3).to_string())
