"""Collective-action figures: collective size, number of flips, the knowledge ablation."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import analysis as an
from . import _common as c

__all__ = ["plot_collective_size", "plot_flips", "plot_knowledge"]


def _name(kind: str, dataset: str, metric: str, model) -> str:
    parts = [kind] + (["sp"] if metric == "sp" else []) + [dataset]
    return "_".join(parts + ([str(model)] if model is not None else []))


def plot_collective_size(df: pd.DataFrame, out_dir, *, dataset: str, metric: str = "eqod",
                         knowledge="all", model=None, sensitive=None) -> list[Path]:
    """Best ``metric`` over flip budgets against the collective size alpha, per scorer.

    The budget is chosen by the claims' rule (:func:`fairflip.analysis.collective_size_series`),
    the same for every scorer: left, in hindsight (the budget with the lowest seed-mean test
    value, the paper's choice); right, when the rows have them, per
    seed on the firm-validation rows. Mean and std over seeds at the chosen budget; the base
    model's mean ``base_<metric>`` is a dashed line.

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
    knowledge : str or None
        Keep only collective rows with this knowledge level; None keeps all.
    model, sensitive : str, optional
        Needed only when the dataset has rows for several firm models / sensitive attributes;
        a given ``model`` is appended to the file name.

    Returns
    -------
    list of pathlib.Path
        ``collective_size_<dataset>`` (or ``collective_size_sp_<dataset>``) as PNG and SVG.
    """

    c.check_metric(metric)
    rows = an.select(df, dataset=dataset, model=model, sensitive=sensitive)
    coll = an.collective_rows(rows, dataset=dataset, knowledge=knowledge)
    an.require_columns(coll, ["alpha", "budget", metric])
    if (coll["alpha"].astype(float) <= 0.4 + 1e-9).any():
        # The paper's range; alpha = 1 (the Pareto figures' second size) would squeeze it.
        coll = coll[coll["alpha"].astype(float) <= 0.4 + 1e-9]
    panels = [("hindsight", "hindsight: lowest seed-mean test value")]
    if f"firm_val_{metric}" in coll.columns and coll[f"firm_val_{metric}"].notna().any():
        panels.append(("firm-validation", "chosen per seed on the firm-validation rows"))
    fig, axes = c.new_figure(ncols=len(panels), sharey=True)
    for ax, (selection, what) in zip(axes, panels, strict=True):
        agg = an.collective_size_series(coll, selection=selection, metric=metric)
        for _, part in sorted(an.series(agg, ["method", "k"]), key=lambda s: an.sort_key(s[0][0])):
            ax.errorbar(part["alpha"], part[f"{metric}_mean"], yerr=part[f"{metric}_std"],
                        marker="o", capsize=3, color=c.color_for(str(part["method"].iloc[0])),
                        label=an.method_label(part, agg))
        c.draw_base_line(ax, an.base_value(coll, metric), metric)
        ax.set_xlabel("collective size alpha (fraction of the minority group)")
        alphas = sorted(agg["alpha"].dropna().unique())
        if len(alphas) <= 8:  # ticks at the swept sizes, unless they would overlap
            ax.set_xticks(alphas)
        ax.set_title(f"budget M: {what}", fontsize="medium")
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel(f"{c.METRIC_LABELS[metric]}\nat the chosen flip budget M")
    fig.suptitle(c.title_for(coll, dataset, f"best {c.METRIC_NAMES[metric]} over budgets vs "
                             "collective size"), x=0.02, ha="left")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside right upper",
               fontsize="small", title="scorer\n(mean ± std over seeds)")
    return c.save_figure(fig, out_dir, _name("collective_size", dataset, metric, model))


def plot_flips(df: pd.DataFrame, out_dir, *, dataset: str, alpha: float = 0.3,
               metric: str = "eqod", knowledge="all", model=None, sensitive=None) -> list[Path]:
    """``metric`` (left) and test error (right) against the number of flips at one alpha.

    Every scorer present (random included) is a line of mean ± std over seeds; the base
    model is dashed. Other parameters as in :func:`plot_collective_size`.

    Returns
    -------
    list of pathlib.Path
        ``flips_<dataset>`` (or ``flips_sp_<dataset>``) as PNG and SVG.
    """
    c.check_metric(metric)
    rows = an.select(df, dataset=dataset, model=model, sensitive=sensitive)
    coll = an.at_alpha(an.collective_rows(rows, dataset=dataset, knowledge=knowledge), alpha,
                      dataset=dataset)
    an.require_columns(coll, ["budget", "error", metric])
    agg = an.aggregate(coll, [metric, "error"], by=[k for k in ("method", "k", "budget")
                                                   if k in coll.columns])
    fig, axes = c.new_figure(ncols=2)
    for _, part in sorted(an.series(agg, ["method", "k"]), key=lambda s: an.sort_key(s[0][0])):
        label = an.method_label(part, agg)
        for ax, value in zip(axes, (metric, "error"), strict=True):
            ax.errorbar(part["budget"], part[f"{value}_mean"], yerr=part[f"{value}_std"],
                        marker="o", markersize=4, capsize=3,
                        color=c.color_for(str(part["method"].iloc[0])), label=label)
    for ax, value in zip(axes, (metric, "error"), strict=True):
        c.draw_base_line(ax, an.base_value(coll, value), value)
        ax.set_xlabel("flips M (requested budget, count of 0 -> 1 relabels)")
        ax.set_ylabel(c.METRIC_LABELS[value])
        ax.grid(alpha=0.3)
    handles, labels = axes[0].get_legend_handles_labels()
    for handle, label in zip(*axes[1].get_legend_handles_labels(), strict=True):
        if label not in labels:  # the base model's error line
            handles.append(handle)
            labels.append(label)
    fig.legend(handles, labels, loc="outside right upper", fontsize="small")
    axes[0].set_title(f"{c.METRIC_NAMES[metric]} vs flips")
    axes[1].set_title("test error vs flips")
    fig.suptitle(c.title_for(coll, dataset, f"effect of the number of flips at alpha = "
                             f"{alpha:g} (mean ± std over seeds)"))
    return c.save_figure(fig, out_dir, _name("flips", dataset, metric, model))


def plot_knowledge(df: pd.DataFrame, out_dir, *, dataset: str, alpha: float = 0.3,
                   metric: str = "eqod", model=None, sensitive=None) -> list[Path]:
    """Error vs ``metric`` over budgets, a collective knowing all majority rows vs fewer.

    One panel per scorer run at a limited knowledge level: solid filled markers knowledge
    'all', dashed hollow markers each other level; lines join each series' non-dominated
    points, which carry the std error bars (the other budgets are faint dots).

    Returns
    -------
    list of pathlib.Path
        ``knowledge_<dataset>`` (or ``knowledge_sp_<dataset>``) as PNG and SVG.
    """
    c.check_metric(metric)
    rows = an.select(df, dataset=dataset, model=model, sensitive=sensitive)
    coll = an.at_alpha(an.collective_rows(rows, dataset=dataset, knowledge=None), alpha,
                      dataset=dataset)
    an.require_columns(coll, ["knowledge", "budget", "error", metric])
    levels = sorted(coll["knowledge"].dropna().astype(str).unique(), key=lambda v: v != "all")
    if "all" not in levels or len(levels) < 2:
        raise an.FigureNotSupported(
            f"The 'dataset' parameter needs collective rows with knowledge 'all' and another "
            f"level at alpha {alpha:g}. Got {dataset!r} with levels {levels} instead."
        )
    coll = coll.assign(knowledge=coll["knowledge"].astype(str))
    keys = [k for k in ("method", "k") if k in coll.columns]
    limited = coll[coll["knowledge"] != "all"]
    scorers = sorted(limited.groupby(keys, dropna=False).groups, key=lambda g: an.sort_key(
        str(g[0] if isinstance(g, tuple) else g)))
    agg = an.aggregate(coll, ["error", metric], by=[k for k in ("knowledge", "method", "k",
                                                              "budget") if k in coll.columns])
    fig, axes = c.new_figure(ncols=len(scorers), sharey=True)
    for ax, scorer in zip(axes, scorers, strict=True):
        scorer = scorer if isinstance(scorer, tuple) else (scorer,)
        mine = agg
        for key, value in zip(keys, scorer, strict=True):
            mine = mine[(mine[key] == value) | (mine[key].isna() & pd.isna(value))]
        fronts = []
        for level, part in sorted(mine.groupby("knowledge"), key=lambda s: levels.index(s[0])):
            i = levels.index(level)
            fronts.append(c.draw_cloud_and_front(
                ax, part, x="error", y=metric, color=c.color_for(str(part["method"].iloc[0])),
                label=f"knows {level} majority rows", marker="os^D"[i % 4],
                linestyle=c.LINESTYLES[i % 4], filled=level == "all", cloud_errorbars=False))
        c.draw_base_star(ax, coll, metric)
        c.zoom_to_claims(ax, coll, fronts, x="error_mean", y=f"{metric}_mean")
        ax.set_title(an.method_label(mine, agg), fontsize="medium")
        ax.set_xlabel(c.METRIC_LABELS["error"])
        ax.grid(alpha=0.3)
    axes[0].set_ylabel(c.METRIC_LABELS[metric])
    fig.suptitle(c.title_for(coll, dataset, f"what the collective knows (alpha = {alpha:g}), "
                             "one panel per scorer"), x=0.02, ha="left")
    fig.supxlabel("zoomed to error <= base + 0.03 (points beyond are clipped)",
                  fontsize="small", x=0.02, ha="left")
    handles, labels = [], []
    for ax in axes:
        for h, label in zip(*ax.get_legend_handles_labels(), strict=True):
            if label not in labels:
                handles.append(h)
                labels.append(label)
    fig.legend(handles, labels, loc="outside right upper", fontsize="small",
               title=f"mean over seeds; bars: ± std\nof {c.METRIC_NAMES[metric]} "
                     "(lines: non-dominated fronts)")
    return c.save_figure(fig, out_dir, _name("knowledge", dataset, metric, model))
