"""Error-fairness Pareto fronts and label-flip efficiency, for collective action and firm-side
methods alike (both read from a results DataFrame)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..exceptions import ConfigError
from ._select import main_k

__all__ = ["efficiency_table", "flip_efficiency", "pareto_front", "summarize_front"]


def _columns(df, names):
    missing = [c for c in names if c not in df.columns]
    if missing:
        raise ConfigError(
            f"The 'df' parameter must have the columns {list(names)}. Got none named {missing} "
            "instead."
        )


def pareto_front(df, *, x="error", y="eqod") -> np.ndarray:
    """Mask of the rows that no other row dominates, minimising both ``x`` and ``y``.

    Row j dominates row i when ``x_j <= x_i`` and ``y_j <= y_i`` with one of them strict.
    Rows with equal (x, y) are one point: only the first in row order is kept, so the front
    never repeats a point. Rows with NaN in ``x`` or ``y`` are never on the front and never
    dominate.

    Parameters
    ----------
    df : DataFrame
    x, y : str
        Column names, both minimised.

    Returns
    -------
    ndarray of bool, one per row of ``df``.

    Examples
    --------
    >>> d = pd.DataFrame({"error": [0.1, 0.2, 0.2, 0.3], "eqod": [0.3, 0.1, 0.2, 0.05]})
    >>> pareto_front(d).tolist()
    [True, True, False, True]
    """
    _columns(df, (x, y))
    xs = df[x].to_numpy(dtype=np.float64)
    ys = df[y].to_numpy(dtype=np.float64)
    mask = np.zeros(xs.shape[0], dtype=bool)
    ok = np.flatnonzero(np.isfinite(xs) & np.isfinite(ys))
    # Sorted by x, then y, then row: a row is on the front iff its y beats every y before it.
    order = ok[np.lexsort((ok, ys[ok], xs[ok]))]
    best = np.inf
    for i in order:
        if ys[i] < best:
            mask[i] = True
            best = ys[i]
    return mask


def summarize_front(df, *, by, x="error", y="eqod", within=None) -> pd.DataFrame:
    """Mean and spread over seeds of each point, then its front.

    Parameters
    ----------
    df : DataFrame
        One row per run (e.g. the ``results`` table), several seeds per point.
    by : sequence of str
        Columns that identify a point across seeds, e.g. ``["family", "method", "knob"]`` for
        firm-side methods or ``["family", "method", "alpha", "budget"]`` for collective
        action. Rows agreeing on all of them are averaged.
    x, y : str
        The two metrics, both minimised (``"error"`` and ``"eqod"`` or ``"sp"``).
    within : sequence of str or None
        The front is computed separately for each value of these columns (e.g.
        ``["family", "method"]`` for one front per method); None = one front over all points.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``{x}_mean``, ``{x}_std``, ``{y}_mean``, ``{y}_std`` (sample std,
        ddof = 1; NaN for one seed), ``n_runs`` and ``on_front`` (the front of the means),
        sorted by ``within`` then ``{x}_mean``.
    """
    by = [by] if isinstance(by, str) else list(by)
    within = [] if within is None else ([within] if isinstance(within, str) else list(within))
    if not set(within) <= set(by):
        raise ConfigError(
            f"The 'within' parameter must be a subset of 'by' {by}. Got {within} instead.")
    _columns(df, (*by, x, y))
    grouped = df.groupby(by, dropna=False, sort=True)
    out = grouped[[x, y]].agg(["mean", "std"])
    out.columns = [f"{col}_{stat}" for col, stat in out.columns]
    out["n_runs"] = grouped.size()
    out = out.reset_index()
    out["on_front"] = False
    codes = (out.groupby(within, dropna=False, sort=False).ngroup().to_numpy() if within
             else np.zeros(len(out), dtype=int))
    for code in np.unique(codes):
        idx = out.index[codes == code]
        out.loc[idx, "on_front"] = pareto_front(out.loc[idx], x=f"{x}_mean", y=f"{y}_mean")
    return out.sort_values([*within, f"{x}_mean"], kind="stable").reset_index(drop=True)


def flip_efficiency(collective_df, massaging_df, *, targets, y="eqod", by=()) -> pd.DataFrame:
    """Fewest training labels each approach changes to reach ``y <= target``.

    Collective action counts its flips (acting group only, column ``n_flips``); massaging
    counts its changes in both groups (``n_label_changes``, two per pair).

    Parameters
    ----------
    collective_df, massaging_df : DataFrame
        Runs of each approach (one row per budget / knob), with the column ``y``.
    targets : sequence of float
        Fairness targets.
    y : str, default="eqod"
        The fairness metric.
    by : sequence of str
        Columns (e.g. ``["dataset", "seed"]``) to answer separately for; present in both.

    Returns
    -------
    DataFrame
        Columns ``by``, ``target``, ``collective_flips``, ``massaging_changes``; NaN where no
        row of that approach reaches the target.

    Examples
    --------
    >>> c = pd.DataFrame({"n_flips": [0, 5, 10], "eqod": [0.3, 0.1, 0.05]})
    >>> m = pd.DataFrame({"n_label_changes": [0, 20, 40], "eqod": [0.3, 0.12, 0.08]})
    >>> flip_efficiency(c, m, targets=[0.1, 0.01]).to_dict("list")
    {'target': [0.1, 0.01], 'collective_flips': [5.0, nan], 'massaging_changes': [40.0, nan]}
    """
    by = [by] if isinstance(by, str) else list(by)
    _columns(collective_df, (*by, "n_flips", y))
    _columns(massaging_df, (*by, "n_label_changes", y))
    targets = np.atleast_1d(np.asarray(targets, dtype=np.float64))

    def fewest(df, count):
        keys = df[by].drop_duplicates() if by else pd.DataFrame(index=[0])
        rows = []
        for _, key in keys.iterrows():
            sub = df
            for col in by:
                sub = sub[sub[col] == key[col]]
            ys = sub[y].to_numpy(dtype=np.float64)
            counts = sub[count].to_numpy(dtype=np.float64)
            for t in targets:
                hit = counts[ys <= t]
                rows.append({**{c: key[c] for c in by}, "target": float(t),
                             "value": float(hit.min()) if hit.size else np.nan})
        return pd.DataFrame(rows, columns=[*by, "target", "value"])

    c = fewest(collective_df, "n_flips").rename(columns={"value": "collective_flips"})
    m = fewest(massaging_df, "n_label_changes").rename(columns={"value": "massaging_changes"})
    out = c.merge(m, on=[*by, "target"], how="outer", sort=False)
    return out.sort_values([*by, "target"], kind="stable", ascending=[True] * len(by) + [False]
                           ).reset_index(drop=True)


def efficiency_table(df: pd.DataFrame, alpha: float = 0.3,
                     shares=(0.75, 0.5, 0.25)) -> pd.DataFrame:
    """Labels changed to reach EqOd targets: collective action (acting group only) vs massaging
    (both groups), on seed-mean curves; targets are shares of the base EqOd."""
    out = []
    for dataset in sorted(set(df.dataset[df.family == "massaging"])):
        rows = df[df.dataset == dataset]
        base = float(rows.base_eqod.mean())
        mass = (rows[rows.family == "massaging"].groupby("knob")[["n_flips", "eqod"]].mean()
                .rename(columns={"n_flips": "n_label_changes"}))
        coll = main_k(rows[(rows.family == "collective")
                           & np.isclose(rows.alpha.astype(float), alpha) & (rows.knowledge == "all")])
        for method, grp in coll.groupby("method"):
            curve = grp.groupby("budget")[["n_flips", "eqod"]].mean()
            table = flip_efficiency(curve, mass, targets=[s * base for s in shares])
            table.insert(0, "method", method)
            table.insert(0, "dataset", dataset)
            table.insert(3, "share_of_base_eqod", list(shares))
            out.append(table)
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame()
