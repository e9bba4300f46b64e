"""The advisor in the reproduction: budget choices compared, and the advisor's figures.

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

from ._verdict import measurement_row

__all__ = ["CHOICES", "advice_rows", "budget_choices", "plot_advisor_figures"]

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
    out = {
        "hindsight": unit.loc[unit.eqod.idxmin()],
        "firm-validation": unit.loc[unit[val].idxmin()],
    }
    for share in (0.25, 0.5):
        pick = (unit.n_flips - share * n_cand).abs().idxmin()
        out[f"fixed {int(share * 100)} %"] = unit.loc[pick]
    if "advised_eqod" in unit.columns and pd.notna(first.get("advised_eqod")):
        out["advisor"] = pd.Series({"eqod": first.advised_eqod, "error": first.advised_error,
                                    "n_flips": first.advised_flips})
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


def plot_advisor_figures(datasets, out_dir, *, alpha=0.3, method="rb-prob", seed=0,
                         test_size=0.3) -> list:
    """``advisor_<data>``: the predicted curve and band over the firm's test curve, one seed."""
    from .._seeding import sub_seed
    from ..advisor import advise
    from ..firm import LOGREG_C, fit_flip_path, predict_columns
    from ..metrics import equalized_odds_gap
    from ..plotting._advice import advice_figure
    from ..plotting._common import save_figure
    from ..simulate import make_split, rank_split
    from ..view import view_from_split
    from ._cells import problem_for

    paths = []
    for spec in datasets:
        problem = problem_for(spec)
        split = make_split(problem, random_state=seed, test_size=test_size)
        r = rank_split(split, method=method, alpha=alpha, random_state=seed)
        view = view_from_split(split, members=r.members, known=r.known, alpha=alpha,
                               group_share=float(split.g_train.mean()))
        result = advise(view, order=np.searchsorted(r.members, r.ranked),
                        random_state=sub_seed(seed, "advise", alpha, method, "all"))
        coef, intercept = fit_flip_path(split.X_train, split.y_train, r.ranked, result.budgets,
                                        C=LOGREG_C)
        pred = predict_columns(split.X_test, coef, intercept)
        true = [equalized_odds_gap(split.y_test, p, split.g_test) for p in pred.T]
        fig = advice_figure(result, true_eqod=true, true_budgets=result.budgets,
                            title=f"{spec.name}: advisor's predicted EqOd (band 90 %) vs the "
                                  f"firm's test EqOd ({method}, alpha {alpha}, seed {seed})")
        paths += save_figure(fig, out_dir, f"advisor_{spec.name}")
    return paths


def advice_section(table: pd.DataFrame) -> str:
    """The summary's markdown section for :func:`advice_table` (knowledge ``all`` first)."""
    if table.empty:
        return ""
    lines = ["", "## Choosing the budget without hindsight (beyond the paper)", "",
             "Regret = test EqOd at the chosen budget minus the hindsight minimum (mean +- std "
             "over seeds); harm rate = share of seeds whose test EqOd at the chosen budget is "
             "above the base model's; error rise against the base model. The advisor sees only "
             "the collective's view; firm-validation uses the firm's own validation rows.", "",
             "| dataset | scorer | knowledge | choice | regret | harm rate | error rise | flips |",
             "|---|---|---|---|---|---|---|---|"]
    order = {c: i for i, c in enumerate(CHOICES)}
    table = table.assign(_k=table.knowledge != "all", _c=table.choice.map(order))
    for r in table.sort_values(["_k", "dataset", "method", "knowledge", "_c"]).itertuples():
        lines.append(f"| {r.dataset} | {r.method} | {r.knowledge} | {r.choice} | "
                     f"{r.regret:.4f} +- {r.regret_std:.4f} | {r.harm_rate:.2f} | "
                     f"{r.error_rise:+.4f} | {r.flips:.0f} |")
    return "\n".join(lines) + "\n"
