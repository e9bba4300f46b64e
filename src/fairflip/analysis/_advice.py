"""Budget choices compared: the advisor, firm-validation, fixed shares, against hindsight.

Measurement rows (beyond the paper, which picks budgets in hindsight): per data set, scorer
and knowledge setting at alpha 0.3, how much test EqOd each way of choosing the budget gives
away against the hindsight minimum (regret, mean and spread over seeds), how often it leaves
the firm less fair than no flips at all (harm rate), and the error it adds. The ways:

- ``advisor``: :func:`fairflip.advise` on the collective's view (columns ``advised_*``);
- ``firm-validation``: the budget with the lowest EqOd on the firm's validation rows (data a
  collective does not have; the sweep's ``val_*`` columns);
- ``fixed 25 %`` / ``fixed 50 %``: that share of the candidates (the nearest budget of the
  sweep's grid).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._select import select_points
from ._verdict import measurement_row

__all__ = ["CHOICES", "advice_rows", "advice_table", "budget_choices"]

CHOICES = ("advisor", "firm-validation", "fixed 25 %", "fixed 50 %")


def _validation_column(df: pd.DataFrame) -> str:
    """The firm-validation EqOd column (renamed from ``val_eqod`` in schema 3, if so)."""
    for name in ("firm_val_eqod", "val_eqod"):
        if name in df.columns:
            return name
    raise KeyError("no firm-validation EqOd column")


def budget_choices(unit: pd.DataFrame) -> dict[str, pd.Series]:
    """The row (test metrics) each way of choosing picks, for the rows of one unit.

    The advisor's row is built from the unit's ``advised_*`` columns (its budget need not be
    on the grid); the others are rows of the grid.
    """
    first = unit.iloc[0]
    val = _validation_column(unit)
    n_cand = max(int(first.n_candidates), 1)
    # Regret is per seed: the hindsight reference is this seed's own best budget.
    out = {
        "hindsight": select_points(unit, selection="seed-hindsight", by=()).iloc[0],
        "firm-validation": select_points(unit.rename(columns={val: "firm_val_eqod"}),
                                         selection="firm-validation", by=()).iloc[0],
    }
    for share in (0.25, 0.5):
        pick = (unit.n_flips - share * n_cand).abs().idxmin()
        out[f"fixed {int(share * 100)} %"] = unit.loc[pick]
    # Refinement rows of the same unit carry no advice; the coarse rows do.
    advised = unit[unit["advised_eqod"].notna()] if "advised_eqod" in unit.columns else unit.iloc[:0]
    if len(advised):
        at = advised.iloc[0]
        out["advisor"] = pd.Series({"eqod": at.advised_eqod, "error": at.advised_error,
                                    "n_flips": at.advised_flips})
    return out


def _per_unit(df: pd.DataFrame, alpha: float) -> pd.DataFrame:
    coll = df[(df.family == "collective") & np.isclose(df.alpha.astype(float), alpha)]
    records = []
    for keys, unit in coll.groupby(["dataset", "method", "knowledge", "model", "k", "seed"]):
        picks = budget_choices(unit)
        hind = picks["hindsight"]
        base_eqod, base_error = float(unit.base_eqod.iloc[0]), float(unit.base_error.iloc[0])
        for choice in CHOICES:
            if choice not in picks:
                continue
            row = picks[choice]
            records.append({
                "dataset": keys[0], "method": keys[1], "knowledge": keys[2], "model": keys[3],
                "seed": keys[5], "choice": choice, "regret": float(row.eqod - hind.eqod),
                "harm": bool(row.eqod > base_eqod + 1e-12),
                "error_rise": float(row.error - base_error), "flips": float(row.n_flips),
            })
    return pd.DataFrame.from_records(records)


def advice_rows(df: pd.DataFrame, alpha: float = 0.3) -> list[dict]:
    """Measurement rows: regret (per-seed interval), harm rate and error rise per choice."""
    per = _per_unit(df, alpha)
    rows = []
    if per.empty:
        return rows
    for (dataset, method, knowledge, choice), grp in per.groupby(
            ["dataset", "method", "knowledge", "choice"], sort=True):
        selection = f"alpha {alpha}, knowledge {knowledge}, {choice} choice"
        detail = (f"{choice}: harm rate {grp.harm.mean():.2f} ({int(grp.harm.sum())}/{len(grp)} "
                  f"seeds with test EqOd above the base model's), error rise "
                  f"{grp.error_rise.mean():+.4f}, mean flips {grp.flips.mean():.0f}")
        rows.append(measurement_row(
            f"budget choice: regret of the {choice} choice vs hindsight (test EqOd)",
            dataset=dataset, method=method, per_seed=grp.regret.to_numpy(), selection=selection,
            detail=detail))
        rows.append(measurement_row(
            f"budget choice: harm rate of the {choice} choice", dataset=dataset, method=method,
            value=float(grp.harm.mean()), selection=selection, detail=detail))
    return [r for r in rows if r is not None]


def advice_table(df: pd.DataFrame, alpha: float = 0.3) -> pd.DataFrame:
    """One row per (dataset, method, knowledge, choice): regret mean/std, harm rate, error rise."""
    per = _per_unit(df, alpha)
    if per.empty:
        return per
    return (per.groupby(["dataset", "method", "knowledge", "choice"])
            .agg(regret=("regret", "mean"), regret_std=("regret", lambda v: v.std(ddof=0)),
                 harm_rate=("harm", "mean"), error_rise=("error_rise", "mean"),
                 flips=("flips", "mean"), seeds=("seed", "nunique"))
            .reset_index())


