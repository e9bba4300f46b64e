"""Error-vs-fairness fronts: collective action against the firm-side methods."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import analysis as an
from . import _common as c

__all__ = ["plot_pareto"]


def plot_pareto(df: pd.DataFrame, out_dir, *, dataset: str, metric: str = "eqod",
                alphas=None, knowledge="all", model=None, sensitive=None) -> list[Path]:
    """Test error vs ``metric``, one panel per collective size: collective action per scorer
    and the firm-side methods (the same in every panel).

    Each collective series traces its flip budgets, each firm-side family its ``knob``; every
    point is a mean over seeds (faint), each series' non-dominated front is a line with std
    error bars in both directions. The axes are zoomed to where the claims are decided
    (error up to the base model's + 0.03, shaded up to + 0.01); the base model is a star.

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
        Collective sizes to draw, one panel each; default every alpha present.
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
    rows = an.select(df, dataset=dataset, model=model, sensitive=sensitive)
    coll = an.collective_rows(rows, dataset=dataset, knowledge=knowledge)
    an.require_columns(rows, ["error", metric])
    if alphas is None:
        alphas = sorted(coll["alpha"].dropna().astype(float).unique())
    firm = rows[~rows["family"].isin(["collective", "base", "audited"])]
    fig, axes = c.new_figure(ncols=len(alphas), sharey=True)
    for ax, alpha in zip(axes, alphas, strict=True):
        part = an.at_alpha(coll, alpha, dataset=dataset)
        fronts = _draw_collective(ax, part, metric) + _draw_firm(ax, firm, metric)
        c.draw_base_star(ax, part, metric)
        c.zoom_to_claims(ax, part, fronts, x="error_mean", y=f"{metric}_mean")
        c.draw_low_error_band(ax, an.base_value(part, "error"))
        ax.set_xlabel(c.METRIC_LABELS["error"])
        ax.set_title(f"collective size alpha = {alpha:g}")
        ax.grid(alpha=0.3)
    axes[0].set_ylabel(c.METRIC_LABELS[metric])
    who = "collective action vs firm-side methods" if not firm.empty else "collective action"
    fig.suptitle(c.title_for(rows, dataset, f"error vs {c.METRIC_NAMES[metric]}, {who}"),
                 x=0.02, ha="left")
    fig.supxlabel("zoomed to error <= base + 0.03 (points beyond are clipped)",
                  fontsize="small", x=0.02, ha="left")
    handles, labels = _unique_legend(axes)
    fig.legend(handles, labels, loc="outside right upper", fontsize="small",
               title=f"mean over seeds; bars: ± std\nof {c.METRIC_NAMES[metric]} "
                     "(lines: non-dominated fronts)")
    stem = "_".join(["pareto"] + (["sp"] if metric == "sp" else []) + [dataset]
                    + ([str(model)] if model is not None else []))
    return c.save_figure(fig, out_dir, stem)


def _unique_legend(axes):
    """One legend entry per label across the panels (the first panel's artist)."""
    seen = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            seen.setdefault(label, handle)
    return list(seen.values()), list(seen)


def _draw_collective(ax, coll: pd.DataFrame, metric: str) -> list[pd.DataFrame]:
    agg = an.aggregate(coll, ["error", metric])
    fronts = []
    for _, part in sorted(an.series(agg, ["method", "k"]), key=lambda s: an.sort_key(str(s[0][0]))):
        fronts.append(c.draw_cloud_and_front(
            ax, part, x="error", y=metric, color=c.color_for(str(part["method"].iloc[0])),
            label=f"collective: {an.method_label(part, agg)}", marker="o", cloud_errorbars=False))
    return fronts


def _draw_firm(ax, firm: pd.DataFrame, metric: str) -> list[pd.DataFrame]:
    if firm.empty:
        return []
    agg = an.aggregate(firm, ["error", metric])
    fronts = []
    for _, part in sorted(an.series(agg, ["family", "method"]),
                          key=lambda s: an.sort_key(str(s[0][0]))):
        family = str(part["family"].iloc[0])
        fronts.append(c.draw_cloud_and_front(
            ax, part, x="error", y=metric, color=c.color_for(family), label=f"firm: {family}",
            marker="s", linestyle="-.", cloud_errorbars=False))
    return fronts
