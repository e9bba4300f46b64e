"""Every figure the results support, per dataset (used by ``fairflip reproduce``)."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ._collective import plot_collective_size, plot_flips, plot_knowledge
from ._common import FigureNotSupported, require_columns
from ._pareto import plot_pareto
from ._toy import plot_toy

__all__ = ["plot_all"]


def plot_all(df: pd.DataFrame, out_dir, *, toy: Mapping | None = None,
             flips_alpha: float = 0.3) -> list[Path]:
    """Draw every figure the rows support, per dataset and firm model; skip the others.

    Parameters
    ----------
    df : pandas.DataFrame
        Rows of the results table.
    out_dir : str or pathlib.Path
        Folder the figures are written to.
    toy : mapping, optional
        Keyword arguments of :func:`plot_toy` (``X``, ``y``, ``group``, ``flipped_idx``,
        ``before``, ``after`` and optionally ``title``); drawn when given.
    flips_alpha : float
        The alpha of the flips and knowledge figures; the largest alpha present is used
        for a dataset without rows at it.

    Returns
    -------
    list of pathlib.Path
        Every file written, PNG and SVG.
    """
    paths: list[Path] = []
    if toy is not None:
        paths += plot_toy(toy["X"], toy["y"], toy["group"], toy["flipped_idx"],
                          toy["before"], toy["after"], out_dir, title=toy.get("title"))
    if df is None or df.empty:
        return paths
    require_columns(df, ["dataset", "family", "method", "seed"])
    metrics = [m for m in ("eqod", "sp") if m in df.columns]
    for (dataset, model, sensitive), rows in _cells(df):
        alpha = _alpha_for(rows, flips_alpha)
        common = {"dataset": dataset, "model": model, "sensitive": sensitive}
        main = _main_k(rows)
        jobs = [(plot_collective_size, main, {"metric": m}) for m in metrics]
        jobs += [(plot_flips, main, {"metric": m, "alpha": alpha}) for m in metrics]
        jobs += [(plot_knowledge, rows, {"alpha": alpha})]
        jobs += [(plot_pareto, main, {"metric": m, "alphas": _pareto_alphas(rows)})
                 for m in metrics]
        for func, data, kwargs in jobs:
            try:
                paths += func(data, out_dir, **common, **kwargs)
            except FigureNotSupported as exc:
                # These rows hold no data for this figure; any other error is a real failure.
                print(f"figures: no {func.__name__.removeprefix('plot_')} figure for "
                      f"{dataset}: {exc}", file=sys.stderr)
    return paths


def _cells(df: pd.DataFrame):
    """(dataset, model, sensitive) triples; model/sensitive are None unless they vary."""
    for dataset, rows in df.groupby("dataset", sort=True):
        models = _values(rows, "model")
        sensitives = _values(rows, "sensitive")
        for model in models if len(models) > 1 else [None]:
            part = rows if model is None else rows[rows["model"].astype(str) == model]
            for sensitive in sensitives if len(sensitives) > 1 else [None]:
                sub = part if sensitive is None else part[
                    part["sensitive"].astype(str) == sensitive]
                if not sub.empty:
                    yield (dataset, model, sensitive), sub


def _main_k(rows: pd.DataFrame) -> pd.DataFrame:
    """Each k-NN scorer at its main k: the knowledge ablation's k has its own figure."""
    from ..experiments._select import main_k

    return main_k(rows)


def _values(rows: pd.DataFrame, column: str) -> list[str]:
    if column not in rows.columns:
        return []
    return sorted(rows[column].dropna().astype(str).unique())


def _pareto_alphas(rows: pd.DataFrame, preferred=(0.3, 1.0)):
    """The paper's Pareto alphas (0.3 and 1) when present, else every alpha."""
    alphas = rows.loc[rows["family"] == "collective", "alpha"].dropna().astype(float).unique()
    chosen = [a for a in preferred if np.isclose(alphas, a).any()]
    return tuple(chosen) or None


def _alpha_for(rows: pd.DataFrame, preferred: float) -> float:
    alphas = rows.loc[rows["family"] == "collective", "alpha"].dropna().astype(float)
    if alphas.empty or np.isclose(alphas, preferred).any():
        return preferred
    return float(alphas.max())
