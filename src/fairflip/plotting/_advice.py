"""The advisor's predicted curve with its band, optionally over the firm's true test curve."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .._io import _atomic
from ..analysis import KNOWLEDGE_CHOICES, KNOWLEDGE_ORDER, knowledge_advice_table
from ._common import METRIC_LABELS, new_figure, pyplot

__all__ = ["advice_figure", "knowledge_advice_figure", "write_advice_figure"]


def advice_figure(advice, *, true_eqod=None, true_budgets=None, title=None):
    """A figure of the predicted EqOd (band = 90 % bootstrap) against flips.

    ``true_eqod`` (with ``true_budgets``) adds the firm's test curve, which only a
    simulation knows.
    """
    fig, (ax,) = new_figure()
    b = np.asarray(advice.budgets)
    ax.fill_between(b, advice.eqod_low, advice.eqod_high, color="tab:blue", alpha=0.2,
                    label="predicted, 90 % band")
    stealth = getattr(advice, "stealth", None)
    ranking = f"stealth-aware ranking vs {stealth['audit']}" if stealth else None
    ax.plot(b, advice.eqod, color="tab:blue", marker=".",
            label=f"predicted EqOd ({ranking})" if stealth else "predicted EqOd (shadow firm)")
    if stealth:
        ax.plot(b, advice.plain_eqod, color="tab:gray", linestyle="-.",
                label="predicted EqOd (plain ranking)")
    if true_eqod is not None:
        ax.plot(true_budgets, true_eqod, color="black", linestyle="--", marker="x", markersize=4,
                label="firm's test EqOd (simulation only)")
    ax.axvline(advice.recommended_budget, color="tab:red", linestyle=":",
               label=f"recommended: {advice.recommended_budget} flips")
    ax.set_xlabel(f"flips (of {advice.n_candidates} negatively labelled members)")
    ax.set_ylabel(METRIC_LABELS["eqod"])
    ax.set_ylim(bottom=0)
    extra = f", {ranking}" if stealth else ""
    ax.set_title(title or f"advisor ({advice.method}, {advice.model}{extra}): predicted EqOd by budget")
    ax.legend(loc="best", fontsize="small")
    return fig


def write_advice_figure(advice, path, **kwargs) -> Path:
    """Write the figure to ``path`` (.png or .svg), atomically (never half a file)."""

    path = Path(path)
    fig = advice_figure(advice, **kwargs)
    fmt = path.suffix.lower().lstrip(".")
    try:
        return _atomic(path, lambda tmp: fig.savefig(tmp, format=fmt, dpi=fig.dpi,
                                                     metadata={"Date": None} if fmt == "svg"
                                                     else {"Software": None}))
    finally:
        pyplot().close(fig)


def knowledge_advice_figure(records):
    """Mean regret (test EqOd above the seed's best budget) against the rows of the other
    group the collective knows, one panel per data set, one line per way of choosing."""

    table = knowledge_advice_table(records)
    datasets = sorted(table.dataset.unique())
    plt = pyplot()
    fig, axes = plt.subplots(1, len(datasets), figsize=(3.2 * len(datasets), 3.4), sharey=True,
                             squeeze=False)
    styles = {"advisor + rate": ("tab:red", "o", "-"), "advisor": ("tab:blue", "s", "-"),
              "firm-validation": ("tab:green", "^", "--"), "fixed 25 %": ("tab:gray", "v", ":"),
              "fixed 50 %": ("tab:brown", "D", ":"), "nothing": ("black", "x", ":")}
    for ax, name in zip(axes[0], datasets, strict=True):
        sub = table[table.dataset == name]
        levels = [k for k in KNOWLEDGE_ORDER if k in set(sub.knowledge)]
        x = np.arange(len(levels))
        for choice in KNOWLEDGE_CHOICES:
            line = sub[sub.choice == choice].set_index("knowledge").reindex(levels)
            if line.regret.notna().any():
                colour, marker, style = styles[choice]
                ax.plot(x, line.regret, color=colour, marker=marker, linestyle=style,
                        label=choice)
        ax.set_xticks(x, [f"{int(k):,}" if k != "all" else "all" for k in levels])
        ax.set_title(name)
        ax.set_xlabel("rows of the other group known")
        ax.set_ylim(bottom=0)
    axes[0][0].set_ylabel("mean regret (test EqOd)")
    axes[0][-1].legend(loc="best", fontsize="x-small")
    fig.tight_layout()
    return fig
