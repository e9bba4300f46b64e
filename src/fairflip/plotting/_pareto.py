"""Error-vs-fairness fronts: collective action against the firm-side methods."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import _common as c

__all__ = ["plot_pareto"]


def plot_pareto(df: pd.DataFrame, out_dir, *, dataset: str, metric: str = "eqod",
                alphas=None, knowledge="all", model=None, sensitive=None) -> list[Path]:
    """Test error vs ``metric``: collective action per scorer and alpha vs firm-side methods.

    Each collective series traces its flip budgets, each firm-side family its ``knob``; every
    point is a mean over seeds with std error bars in both directions (faint), and each
    series' non-dominated front is drawn as a line. The base model is a star.

    Parameters
    ----------
    df : pandas.DataFrame
        Rows of the results table.
    out_dir : str or pathlib.Path
        Folder the figure is written to.
    dataset : str
        The dataset to draw.
    metric : {"eqod", "sp"}
        The fairness gap on the y axis.
    alphas : sequence of float, optional
        Collective sizes to draw; default every alpha present.
    knowledge : str or None
        Keep only collective rows with this knowledge level; None keeps all.
    model, sensitive : str, optional
        Needed only when the dataset has rows for several firm models / sensitive attributes;
        a given ``model`` is appended to the file name.

    Returns
    -------
    list of pathlib.Path
        ``pareto_<dataset>`` (or ``pareto_sp_<dataset>``) as PNG and SVG.
    """
    c.check_metric(metric)
    rows = c.select(df, dataset=dataset, model=model, sensitive=sensitive)
    coll = c.collective_rows(rows, dataset=dataset, knowledge=knowledge)
    c.require_columns(rows, ["error", metric])
    if alphas is not None:
        coll = pd.concat([c.at_alpha(coll, a, dataset=dataset) for a in alphas])
    firm = rows[~rows["family"].isin(["collective", "base", "audited"])]
    fig, (ax,) = c.new_figure()
    _draw_collective(ax, coll, metric)
    _draw_firm(ax, firm, metric)
    c.draw_base_star(ax, coll, metric)
    ax.set_xlabel(c.METRIC_LABELS["error"])
    ax.set_ylabel(c.METRIC_LABELS[metric])
    ax.set_title(c.title_for(rows, dataset, f"error vs {c.METRIC_NAMES[metric]}, "
                             "collective action vs firm-side methods"))
    ax.grid(alpha=0.3)
    fig.legend(loc="outside right upper", fontsize="small",
               title="mean ± std over seeds\n(lines: non-dominated fronts)")
    stem = "_".join(["pareto"] + (["sp"] if metric == "sp" else []) + [dataset]
                    + ([str(model)] if model is not None else []))
    return c.save_figure(fig, out_dir, stem)


def _draw_collective(ax, coll: pd.DataFrame, metric: str) -> None:
    agg = c.aggregate(coll, ["error", metric])
    alphas = sorted(agg["alpha"].dropna().unique())
    for _, part in sorted(c.series(agg, ["method", "k", "alpha"]),
                          key=lambda s: c.sort_key(str(s[0][0]))):
        alpha = part["alpha"].iloc[0]
        i = int(np.searchsorted(alphas, alpha))
        c.draw_cloud_and_front(ax, part, x="error", y=metric,
                               color=c.color_for(str(part["method"].iloc[0])),
                               label=f"collective: {c.method_label(part, agg)}, alpha={alpha:g}",
                               marker="o", linestyle=c.LINESTYLES[i % len(c.LINESTYLES)])


def _draw_firm(ax, firm: pd.DataFrame, metric: str) -> None:
    if firm.empty:
        return
    agg = c.aggregate(firm, ["error", metric])
    for _, part in sorted(c.series(agg, ["family", "method"]),
                          key=lambda s: c.sort_key(str(s[0][0]))):
        family = str(part["family"].iloc[0])
        c.draw_cloud_and_front(ax, part, x="error", y=metric, color=c.color_for(family),
                               label=f"firm: {family}", marker="s", linestyle="-.")
