"""Every figure the results support, per dataset (used by ``fairflip reproduce``)."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ..analysis import (
    FigureNotSupported,
    alpha_for,
    figure_cells,
    main_k,
    pareto_alphas,
    require_columns,
)
from ._collective import plot_collective_size, plot_flips, plot_knowledge
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
    for (dataset, model, sensitive), rows in figure_cells(df):
        alpha = alpha_for(rows, flips_alpha)
        common = {"dataset": dataset, "model": model, "sensitive": sensitive}
        main = main_k(rows)
        jobs = [(plot_collective_size, main, {"metric": m}) for m in metrics]
        jobs += [(plot_flips, main, {"metric": m, "alpha": alpha}) for m in metrics]
        jobs += [(plot_knowledge, rows, {"alpha": alpha})]
        jobs += [(plot_pareto, main, {"metric": m, "alphas": pareto_alphas(rows)})
                 for m in metrics]
        for func, data, kwargs in jobs:
            try:
                paths += func(data, out_dir, **common, **kwargs)
            except FigureNotSupported as exc:
                # These rows hold no data for this figure; any other error is a real failure.
                print(f"figures: no {func.__name__.removeprefix('plot_')} figure for "
                      f"{dataset}: {exc}", file=sys.stderr)
    return paths


