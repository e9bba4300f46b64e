"""Figures of the label-audit study: does the firm's audit catch the flips, and what survives.

Both read rows of family "audited" (and, for the unaudited curve, family "collective") at one
alpha, without the stealth plan.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import analysis as an
from . import _common as c

__all__ = ["plot_audited", "plot_detection"]

_RESPONSE_STYLES = {"none": ("-", "o"), "drop": ("--", "s"), "relabel": (":", "^")}


def _audited(df: pd.DataFrame, dataset: str, alpha: float) -> pd.DataFrame:
    rows = an.select(df, dataset=dataset)
    an.require_columns(rows, ["audit", "audit_action", "n_flips", "flag_recall"])
    audited = rows[rows["family"] == "audited"]
    if "avoid_audit" in audited.columns:
        audited = audited[~audited["avoid_audit"].fillna(False).astype(bool)]
    if audited.empty:
        raise an.FigureNotSupported(f"The 'dataset' parameter names a dataset without audited "
                                   f"rows. Got {dataset!r} instead.")
    return an.at_alpha(audited, alpha, dataset=dataset)


def plot_detection(df: pd.DataFrame, out_dir, *, dataset: str, alpha: float = 0.3) -> list[Path]:
    """Share of the collective's flips the audit flags against the number of flips.

    One panel per audit, one line per scorer (mean ± std over seeds); the flag rates of the
    rows the collective did not touch (acting and other group, averaged over scorers) are
    the grey lines a flip is compared with.

    Returns
    -------
    list of pathlib.Path
        ``detection_<dataset>`` as PNG and SVG.
    """
    rows = _audited(df, dataset, alpha)
    # The flags do not depend on the response; the drop rows stand for both.
    rows = rows[rows["audit_action"] == sorted(rows["audit_action"].unique())[0]]
    audits = sorted(rows["audit"].unique())
    fig, axes = c.new_figure(ncols=len(audits))
    for ax, audit in zip(axes, audits, strict=True):
        part = rows[rows["audit"] == audit]
        flips = part[part["n_flips"] > 0]
        agg = an.aggregate(flips, ["flag_recall", "n_flips"], by=["method", "budget"])
        for method, line in sorted(agg.groupby("method"), key=lambda s: an.sort_key(s[0])):
            ax.errorbar(line["n_flips_mean"], line["flag_recall_mean"], yerr=line["flag_recall_std"],
                        marker="o", capsize=3, color=c.color_for(method), label=f"flips of {method}")
        untouched = an.aggregate(part, ["flag_rate_acting", "flag_rate_other", "n_flips"],
                                by=["budget"])
        for col, style, name in (("flag_rate_acting", "--", "acting group"),
                                 ("flag_rate_other", ":", "other group")):
            ax.errorbar(untouched["n_flips_mean"], untouched[f"{col}_mean"],
                        yerr=untouched[f"{col}_std"], color="black", linestyle=style, capsize=2,
                        linewidth=1.2, label=f"untouched rows, {name}")
        ax.set_xlabel(f"flips made (alpha = {alpha:g})")
        ax.set_ylabel("share flagged by the firm's audit (0-1)")
        ax.set_title(f"audit: {audit}")
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
    axes[0].legend(title="mean ± std over seeds", fontsize="small")
    fig.suptitle(c.title_for(rows, dataset, "how many flips does a label audit flag?"))
    return c.save_figure(fig, out_dir, f"detection_{dataset}")


def plot_audited(df: pd.DataFrame, out_dir, *, dataset: str, alpha: float = 0.3,
                 metric: str = "eqod") -> list[Path]:
    """``metric`` against flips without an audit and after each response of the firm.

    One panel per audit; colour = scorer, line style = the firm's response (solid: no
    audit; dashed: drop the flagged rows; dotted: relabel them), mean ± std over seeds.

    Returns
    -------
    list of pathlib.Path
        ``audited_<dataset>`` as PNG and SVG.
    """
    c.check_metric(metric)
    audited = _audited(df, dataset, alpha)
    rows = an.select(df, dataset=dataset)
    plain = an.at_alpha(an.collective_rows(rows, dataset=dataset), alpha, dataset=dataset)
    plain = plain[plain["method"].isin(audited["method"].unique())]
    audits = sorted(audited["audit"].unique())
    fig, axes = c.new_figure(ncols=len(audits))
    for ax, audit in zip(axes, audits, strict=True):
        curves = [("none", plain)] + [(action, part) for action, part in
                                      audited[audited["audit"] == audit].groupby("audit_action")]
        for response, part in curves:
            style, marker = _RESPONSE_STYLES.get(response, ("-.", "x"))
            agg = an.aggregate(part, [metric, "n_flips"], by=["method", "budget"])
            for method, line in sorted(agg.groupby("method"), key=lambda s: an.sort_key(s[0])):
                label = f"{method}, " + ("no audit" if response == "none" else f"firm {response}s")
                ax.errorbar(line["n_flips_mean"], line[f"{metric}_mean"],
                            yerr=line[f"{metric}_std"], color=c.color_for(method),
                            linestyle=style, marker=marker, capsize=2, markersize=4,
                            label=label)
        c.draw_base_line(ax, an.base_value(plain, metric), metric)
        ax.set_xlabel(f"flips made (alpha = {alpha:g})")
        ax.set_ylabel(c.METRIC_LABELS[metric])
        ax.set_title(f"audit: {audit}")
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
    handles, labels = axes[0].get_legend_handles_labels()
    # Outside the panels: the curves fill them.
    fig.legend(handles, labels, title="scorer, firm's response\n(mean ± std over seeds)",
               fontsize="x-small", loc="outside right center")
    fig.suptitle(c.title_for(plain, dataset, f"{c.METRIC_NAMES[metric]} without and with "
                                             "the firm's label audit"))
    return c.save_figure(fig, out_dir, f"audited_{dataset}")


def best_budgets(plain: pd.DataFrame, metric: str = "eqod") -> pd.Series:
    """Per scorer, the budget whose seed-mean ``metric`` is lowest without an audit."""
    chosen = an.select_points(plain, selection="hindsight", by=("method",), metric=metric)
    return chosen.groupby("method")["budget"].first().astype(np.int64)
