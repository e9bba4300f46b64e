"""Figure ``groups_<data>``: every group's TPR and FPR before and after the acting group's flips."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import analysis as an
from . import _common as c

__all__ = ["plot_groups"]

_NEEDED = ("group", "acting", "small", "rows", "best_budget", "tpr_before", "tpr_after",
           "fpr_before", "fpr_after", "tpr_before_std", "tpr_after_std", "fpr_before_std",
           "fpr_after_std")


def _tick(row) -> str:
    # Long labels break at commas and hyphens so neighbouring ticks do not overlap.
    name = str(row.group).replace(",", ",\n")
    if len(name) > 12:
        name = name.replace("-", "-\n", 1)
    marks = ("\n(acting)" if row.acting else "") + (" †" if row.small else "")
    return f"{name}{marks}\n{int(round(row.rows)):,} rows"


def plot_groups(spill: pd.DataFrame, out_dir, *, dataset: str, sensitive: str) -> list[Path]:
    """Grouped bars of each group's test TPR and FPR before and at the best budget.

    Parameters
    ----------
    spill : DataFrame
        One row per group with the columns of
        :func:`fairflip.experiments._group_study.spillover` (means and standard deviations
        over seeds; error bars are one standard deviation).
    out_dir : str or pathlib.Path
    dataset, sensitive : str
        For the title and the file name ``groups_<dataset>``.

    Returns
    -------
    list of pathlib.Path
        The PNG and SVG paths.
    """
    an.require_columns(spill, _NEEDED)
    spill = spill.sort_values(["acting", "rows"], ascending=[False, False])
    budget = int(spill.best_budget.iloc[0])
    fig, axes = c.new_figure(ncols=2)
    x = np.arange(len(spill))
    width = 0.38
    for ax, rate, label in ((axes[0], "tpr", "true positive rate (test)"),
                            (axes[1], "fpr", "false positive rate (test)")):
        ax.bar(x - width / 2, spill[f"{rate}_before"], width, yerr=spill[f"{rate}_before_std"],
               capsize=3, color="lightgray", edgecolor="dimgray", label="no flips")
        ax.bar(x + width / 2, spill[f"{rate}_after"], width, yerr=spill[f"{rate}_after_std"],
               capsize=3, color="tab:blue", label=f"after {budget} flips by the acting group")
        ax.set_xticks(x, [_tick(r) for r in spill.itertuples()], fontsize=7)
        ax.set_ylabel(label)
        ax.set_xlabel("group (test rows)")
        top = np.nanmax(spill[[f"{rate}_before", f"{rate}_after"]].to_numpy()
                         + spill[[f"{rate}_before_std", f"{rate}_after_std"]].fillna(0).to_numpy())
        ax.set_ylim(0, min(1.0, float(top)) * 1.2 + 0.01)  # room for the legend
        ax.grid(axis="y", alpha=0.3)
    axes[0].legend(loc="upper center", ncol=2, fontsize=8)
    fig.suptitle(f"{dataset} by {sensitive}: every group's rates before and at the best budget "
                 f"(mean ± std over seeds; † fewer than 20 positive or negative test rows)",
                 fontsize=9)
    return c.save_figure(fig, out_dir, f"groups_{dataset}")
