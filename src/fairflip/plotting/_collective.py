"""Collective-action figures: collective size, number of flips, the knowledge ablation."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import _common as c

__all__ = ["plot_collective_size", "plot_flips", "plot_knowledge"]


def _name(kind: str, dataset: str, metric: str, model) -> str:
    parts = [kind] + (["sp"] if metric == "sp" else []) + [dataset]
    return "_".join(parts + ([str(model)] if model is not None else []))


def plot_collective_size(df: pd.DataFrame, out_dir, *, dataset: str, metric: str = "eqod",
                         knowledge="all", model=None, sensitive=None) -> list[Path]:
    """Best ``metric`` over flip budgets against the collective size alpha, per scorer.

    The best budget is chosen per seed (minimum over budgets), then mean and std are taken
    over seeds. The base model's mean ``base_<metric>`` is a dashed line.

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
    rows = c.select(df, dataset=dataset, model=model, sensitive=sensitive)
    coll = c.collective_rows(rows, dataset=dataset, knowledge=knowledge)
    c.require_columns(coll, ["alpha", "budget", metric])
    agg = c.aggregate(c.best_over_budgets(coll, metric), [metric], by=["method", "k", "alpha"]
                      if "k" in coll.columns else ["method", "alpha"])
    fig, (ax,) = c.new_figure()
    for _, part in sorted(c.series(agg, ["method", "k"]), key=lambda s: c.sort_key(s[0][0])):
        label = c.method_label(part, agg)
        ax.errorbar(part["alpha"], part[f"{metric}_mean"], yerr=part[f"{metric}_std"],
                    marker="o", capsize=3, color=c.color_for(str(part["method"].iloc[0])),
                    label=label)
    c.draw_base_line(ax, c.base_value(coll, metric), metric)
    ax.set_xlabel("collective size alpha (fraction of the minority group)")
    ax.set_ylabel(f"{c.METRIC_LABELS[metric]}\nbest over flip budgets M, per seed")
    alphas = sorted(agg["alpha"].dropna().unique())
    if len(alphas) <= 8:  # ticks at the swept sizes, unless they would overlap
        ax.set_xticks(alphas)
    ax.set_title(c.title_for(coll, dataset,
                             f"best {c.METRIC_NAMES[metric]} over budgets vs collective size"))
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(title="scorer (mean ± std over seeds)", fontsize="small")
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
    rows = c.select(df, dataset=dataset, model=model, sensitive=sensitive)
    coll = c.at_alpha(c.collective_rows(rows, dataset=dataset, knowledge=knowledge), alpha,
                      dataset=dataset)
    c.require_columns(coll, ["budget", "error", metric])
    agg = c.aggregate(coll, [metric, "error"], by=[k for k in ("method", "k", "budget")
                                                   if k in coll.columns])
    fig, axes = c.new_figure(ncols=2)
    for _, part in sorted(c.series(agg, ["method", "k"]), key=lambda s: c.sort_key(s[0][0])):
        label = c.method_label(part, agg)
        for ax, value in zip(axes, (metric, "error"), strict=True):
            ax.errorbar(part["budget"], part[f"{value}_mean"], yerr=part[f"{value}_std"],
                        marker="o", markersize=4, capsize=3,
                        color=c.color_for(str(part["method"].iloc[0])), label=label)
    for ax, value in zip(axes, (metric, "error"), strict=True):
        c.draw_base_line(ax, c.base_value(coll, value), value)
        ax.set_xlabel("flips M (requested budget, count of 0 -> 1 relabels)")
        ax.set_ylabel(c.METRIC_LABELS[value])
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small")
    axes[0].set_title(f"{c.METRIC_NAMES[metric]} vs flips")
    axes[1].set_title("test error vs flips")
    fig.suptitle(c.title_for(coll, dataset, f"effect of the number of flips at alpha = "
                             f"{alpha:g} (mean ± std over seeds)"))
    return c.save_figure(fig, out_dir, _name("flips", dataset, metric, model))


def plot_knowledge(df: pd.DataFrame, out_dir, *, dataset: str, alpha: float = 0.3,
                   metric: str = "eqod", model=None, sensitive=None) -> list[Path]:
    """Error vs ``metric`` over budgets, a collective knowing all majority rows vs fewer.

    Colour is the scorer, solid filled markers knowledge 'all', dashed hollow markers each
    other knowledge level; lines join each series' non-dominated points.

    Returns
    -------
    list of pathlib.Path
        ``knowledge_<dataset>`` (or ``knowledge_sp_<dataset>``) as PNG and SVG.
    """
    c.check_metric(metric)
    rows = c.select(df, dataset=dataset, model=model, sensitive=sensitive)
    coll = c.at_alpha(c.collective_rows(rows, dataset=dataset, knowledge=None), alpha,
                      dataset=dataset)
    c.require_columns(coll, ["knowledge", "budget", "error", metric])
    levels = sorted(coll["knowledge"].dropna().astype(str).unique(), key=lambda v: v != "all")
    if "all" not in levels or len(levels) < 2:
        raise c.FigureNotSupported(
            f"The 'dataset' parameter needs collective rows with knowledge 'all' and another "
            f"level at alpha {alpha:g}. Got {dataset!r} with levels {levels} instead."
        )
    coll = coll.assign(knowledge=coll["knowledge"].astype(str))
    agg = c.aggregate(coll, ["error", metric], by=[k for k in ("knowledge", "method", "k",
                                                              "budget") if k in coll.columns])
    fig, (ax,) = c.new_figure()
    ordered = sorted(c.series(agg, ["knowledge", "method", "k"]),
                     key=lambda s: (levels.index(s[0][0]), c.sort_key(str(s[0][1]))))
    for (level, *_), part in ordered:
        label = c.method_label(part, agg)
        i = levels.index(level)
        c.draw_cloud_and_front(ax, part, x="error", y=metric,
                               color=c.color_for(str(part["method"].iloc[0])),
                               label=f"{label}, knows {level}", marker="os^D"[i % 4],
                               linestyle=c.LINESTYLES[i % 4], filled=level == "all")
    c.draw_base_star(ax, coll, metric)
    ax.set_xlabel(c.METRIC_LABELS["error"])
    ax.set_ylabel(c.METRIC_LABELS[metric])
    ax.set_title(c.title_for(coll, dataset, f"what the collective knows (alpha = {alpha:g})"))
    ax.grid(alpha=0.3)
    fig.legend(loc="outside right upper", fontsize="small",
               title="scorer, majority rows known\n(lines: non-dominated fronts)")
    return c.save_figure(fig, out_dir, _name("knowledge", dataset, metric, model))
