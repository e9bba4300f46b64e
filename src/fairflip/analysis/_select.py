"""One rule for choosing an operating point, applied to collective action and firm-side methods.

An *operating point* is a flip budget (collective action; with several scorers pooled, a
(scorer, budget) pair) or a knob value (a firm-side method). This module is the only place a
best point is chosen: claims, figures, the report and the studies all call
:func:`select_points` (or a helper built on it). Three modes:

- ``firm-validation``: per seed, the point with the lowest EqOd on the firm-validation rows
  (held out from the firm's test split; data a collective does not have), scored on the test
  rows. With an error cap, only points whose firm-validation error is at most the base
  model's firm-validation error plus the cap are eligible.
- ``hindsight``: the point with the lowest seed-mean *test* EqOd (the paper's "best EqOd"),
  the same point for every seed; with an error cap, among points whose seed-mean test error is
  at most the seed-mean base error plus the cap.
- ``seed-hindsight``: per seed, the point with the lowest *test* EqOd of that seed (for a
  study that defines regret per seed against the best point of the same seed).

Points read *on a front* (the error where a front reaches an EqOd, the EqOd under an error
cap, interpolated between points) are not best points of the grid: they come from
:mod:`._operating`, the one place fronts are read.

One tie-break everywhere: the lower EqOd, then the lower error (on the rows the mode chooses
on), then the smaller point (fewer flips, the weaker knob). Every mode returns one row per
(group, seed), so methods are compared seed by seed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._rows import aggregate

__all__ = ["SELECTIONS", "SELECTION_MODES", "best_point", "collective_size_points",
           "collective_size_series", "main_k", "point_column", "point_columns",
           "select_points"]

#: The selections every claim is decided under.
SELECTIONS = ("firm-validation", "hindsight")
FIRM_VALIDATION, HINDSIGHT = SELECTIONS
SEED_HINDSIGHT = "seed-hindsight"
SELECTION_MODES = (*SELECTIONS, SEED_HINDSIGHT)
_EPS = 1e-12


def main_k(rows: pd.DataFrame) -> pd.DataFrame:
    """Per collective scorer, only the k with the most rows (the main sweep's).

    The knowledge ablation runs rb-label and rb-dist at another k (also with knowledge
    'all'); mixing the two would count each seed twice and blend two scorers into one curve.
    Other families' rows are kept.
    """
    if "k" not in rows.columns:
        return rows
    coll = rows[rows["family"] == "collective"]
    counts = coll.groupby(["dataset", "method", "k"]).size()
    if counts.empty:
        return rows
    best = counts.groupby(level=["dataset", "method"]).idxmax()
    keep = pd.MultiIndex.from_tuples(best.tolist(), names=["dataset", "method", "k"])
    key = pd.MultiIndex.from_frame(rows[["dataset", "method", "k"]])
    return rows[(rows["family"] != "collective") | key.isin(keep) | rows["k"].isna()]


def point_columns(rows: pd.DataFrame) -> list[str]:
    """The columns that name an operating point: ``budget`` for collective action, ``knob`` for a
    firm-side method, ``knob`` and ``knob2`` (FARE's trade-off weight and leaf count) where the
    rows have a second knob."""
    if (rows["family"] == "collective").all():
        return ["budget"]
    if "knob2" in rows and rows["knob2"].notna().any():
        return ["knob", "knob2"]
    return ["knob"]


def point_column(rows: pd.DataFrame) -> str:
    """The first of :func:`point_columns` (kept for callers that name one column)."""
    return point_columns(rows)[0]


def base_validation_error(df: pd.DataFrame) -> pd.Series:
    """The base model's firm-validation error per (dataset, seed).

    From the ``base`` rows when present, else from collective rows with no flips (the base
    model is budget 0 of every flip path).
    """
    if "firm_val_error" not in df:
        return pd.Series(dtype=float)
    base = df[df["family"] == "base"]
    if base.empty:
        base = df[(df["family"] == "collective") & (df["n_flips"] == 0)]
    return base.groupby(["dataset", "seed"])["firm_val_error"].first()


def select_points(rows: pd.DataFrame, *, selection: str, by=("method",), point=None,
                  max_error_rise: float | None = None, base_val_error: pd.Series | None = None,
                  metric: str = "eqod") -> pd.DataFrame:
    """The chosen operating point per (``by``..., seed): one row each, test metrics intact.

    Parameters
    ----------
    rows : DataFrame
        Results rows of one dataset.
    selection : {"firm-validation", "hindsight", "seed-hindsight"}
    by : tuple of str
        Columns that define what is compared (a method, a method at an alpha, ...).
    point : list of str, optional
        Columns that name an operating point within a group; default the budget (collective)
        or knob (firm-side).
    max_error_rise : float, optional
        The error cap above the base model (see the module docstring).
    base_val_error : Series, optional
        Per (dataset, seed) base firm-validation error; needed for the capped
        firm-validation selection (see :func:`base_validation_error`).
    metric : {"eqod", "sp"}
        The gap minimised (``firm_val_<metric>`` on the firm-validation rows).
    """
    if selection not in SELECTION_MODES:
        raise ValueError(f"The 'selection' parameter must be one of {', '.join(SELECTION_MODES)}. "
                         f"Got {selection!r} instead.")
    if rows.empty:
        return rows
    by = list(by)
    point = list(point) if point is not None else point_columns(rows)
    if selection == FIRM_VALIDATION:
        return _by_validation(rows, by, point, max_error_rise, base_val_error, metric)
    if selection == SEED_HINDSIGHT:
        return _by_seed_hindsight(rows, by, point, max_error_rise, metric)
    return _by_hindsight(rows, by, point, max_error_rise, metric)


def _by_validation(rows, by, point, cap, base_val, metric):
    rows = rows[np.isfinite(rows[f"firm_val_{metric}"].astype(float))]
    if cap is not None:
        if base_val is None or base_val.empty:
            raise ValueError("A capped firm-validation selection needs the base validation error.")
        key = pd.MultiIndex.from_arrays([rows["dataset"], rows["seed"]])
        limit = base_val.reindex(key).to_numpy(float) + cap + _EPS
        rows = rows[rows["firm_val_error"].to_numpy(float) <= limit]
    if rows.empty:
        return rows
    # Ties go to the lower validation error, then to the smaller point (fewer flips).
    tie = ["firm_val_error"] if "firm_val_error" in rows else []
    ordered = rows.sort_values([*by, "seed", f"firm_val_{metric}", *tie, *point], kind="stable")
    return ordered.groupby([*by, "seed"], sort=True, dropna=False).head(1)


def _by_hindsight(rows, by, point, cap, metric):
    columns = [metric, "error"] + (["base_error"] if cap is not None else [])
    mean = rows.groupby([*by, *point], dropna=False)[columns].mean()
    mean = mean[np.isfinite(mean[metric])]
    if cap is not None:
        mean = mean[mean["error"] <= mean["base_error"] + cap + _EPS]
    if mean.empty:
        return rows.iloc[:0]
    mean = mean.reset_index().sort_values([*by, metric, "error", *point], kind="stable")
    chosen = mean.groupby(by, sort=True, dropna=False).head(1)[[*by, *point]] if by else mean.head(1)[point]
    return rows.merge(chosen, on=[*by, *point], how="inner")


def _by_seed_hindsight(rows, by, point, cap, metric):
    rows = rows[np.isfinite(rows[metric].astype(float))]
    if cap is not None:
        rows = rows[rows["error"].to_numpy(float) <= rows["base_error"].to_numpy(float) + cap + _EPS]
    ordered = rows.sort_values([*by, "seed", metric, "error", *point], kind="stable")
    return ordered.groupby([*by, "seed"], sort=True, dropna=False).head(1)


def best_point(rows: pd.DataFrame, *, point: str = "budget", metric: str = "eqod",
               selection: str = HINDSIGHT):
    """The one point ``selection`` chooses over all ``rows`` (default: the lowest seed-mean test
    ``metric``, the paper's choice), as a number."""
    chosen = select_points(rows, selection=selection, by=(), point=[point], metric=metric)
    value = chosen[point].iloc[0]
    return int(value) if point == "budget" else value


def collective_size_points(coll: pd.DataFrame, *, selection: str, metric: str = "eqod",
                           base_val_error: pd.Series | None = None) -> pd.DataFrame:
    """The chosen flip budget per (scorer, k, alpha, seed): the rows the collective-size figure,
    the report's chart and the collective-size claims are all drawn from."""
    by = [key for key in ("method", "k", "alpha") if key in coll.columns]
    return select_points(coll, selection=selection, by=by, metric=metric,
                         base_val_error=base_val_error)


def collective_size_series(coll: pd.DataFrame, *, selection: str, metric: str = "eqod",
                           base_val_error: pd.Series | None = None) -> pd.DataFrame:
    """:func:`collective_size_points` averaged over seeds: ``<metric>_mean``, ``_std``, per
    (scorer, k, alpha)."""
    by = [key for key in ("method", "k", "alpha") if key in coll.columns]
    chosen = collective_size_points(coll, selection=selection, metric=metric,
                                    base_val_error=base_val_error)
    return aggregate(chosen, [metric], by=by)
