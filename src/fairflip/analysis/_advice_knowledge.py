"""Advice when the collective knows little (issue 23): tables and measurement rows.

Pure pandas over the records of :func:`fairflip.reproduce.knowledge_advice_records` (one per
data set, seed, knowledge setting and way of choosing the budget; regret already per seed
against the seed's best grid budget, chosen by ``select_points(selection="seed-hindsight")``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._verdict import measurement_row

__all__ = ["KNOWLEDGE_CHOICES", "KNOWLEDGE_ORDER", "knowledge_advice_rows",
           "knowledge_advice_table"]

#: The ways of choosing compared, in the order tables and figures show them.
KNOWLEDGE_CHOICES = ("advisor + rate", "advisor", "firm-validation", "fixed 25 %", "fixed 50 %",
                     "nothing")
#: Knowledge settings from fewest rows known to all.
KNOWLEDGE_ORDER = ("10", "100", "1000", "all")


def knowledge_advice_table(records: pd.DataFrame) -> pd.DataFrame:
    """One row per (dataset, knowledge, choice): mean and std of regret over seeds, harm rate,
    mean share of candidates flipped, share of seeds without advice, band coverage."""
    if records.empty:
        return records
    out = (records.groupby(["dataset", "knowledge", "choice"])
           .agg(regret=("regret", "mean"), regret_std=("regret", lambda v: v.std(ddof=0)),
                harm_rate=("harm", "mean"), share=("share", "mean"),
                no_advice=("no_advice", "mean"),
                coverage=("covered", lambda v: v.dropna().astype(float).mean()
                          if v.notna().any() else np.nan),
                seeds=("seed", "nunique"))
           .reset_index())
    k = {name: i for i, name in enumerate(KNOWLEDGE_ORDER)}
    c = {name: i for i, name in enumerate(KNOWLEDGE_CHOICES)}
    return (out.assign(_k=out.knowledge.map(k), _c=out.choice.map(c))
            .sort_values(["dataset", "_k", "_c"]).drop(columns=["_k", "_c"])
            .reset_index(drop=True))


def knowledge_advice_rows(records: pd.DataFrame) -> list[dict]:
    """Measurement rows: per data set, knowledge setting and choice, regret (per-seed
    interval) and harm rate."""
    rows = []
    if records.empty:
        return rows
    for (dataset, knowledge, choice), grp in records.groupby(["dataset", "knowledge", "choice"]):
        selection = f"alpha 0.3, {knowledge} known rows, {choice} choice"
        detail = (f"{choice}: harm rate {grp.harm.mean():.2f} ({int(grp.harm.sum())}/{len(grp)} "
                  f"seeds), mean share flipped {grp.share.mean():.2f}, no advice in "
                  f"{int(grp.no_advice.sum())} seeds")
        rows.append(measurement_row(
            f"advice with few known rows: regret of the {choice} choice (test EqOd)",
            dataset=dataset, method="rb-prob", per_seed=grp.regret.to_numpy(),
            selection=selection, detail=detail))
        rows.append(measurement_row(
            f"advice with few known rows: harm rate of the {choice} choice", dataset=dataset,
            method="rb-prob", value=float(grp.harm.mean()), selection=selection, detail=detail))
    return [r for r in rows if r is not None]
