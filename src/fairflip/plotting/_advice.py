"""The advisor's predicted curve with its band, optionally over the firm's true test curve."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .._io import _atomic
from ._common import METRIC_LABELS, new_figure, pyplot

__all__ = ["advice_figure", "write_advice_figure"]


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
