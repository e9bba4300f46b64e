"""Shared pieces of the figures: lazy pyplot, saving, row selection, aggregation over seeds."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .._names import FIRM_FAMILIES as ALL_FIRM_FAMILIES
from ..analysis import (
    base_value,
    pareto_front,
)
from ..exceptions import ConfigError

__all__ = ["save_figure"]

# Fixed size and dpi (no bbox_inches="tight") so every PNG has a known pixel size.
FIGSIZE = (9.0, 5.0)
WIDE_FIGSIZE = (12.0, 5.0)
DPI = 110

FIRM_FAMILIES = ALL_FIRM_FAMILIES
METRIC_LABELS = {
    "eqod": "EqOd: mean of |TPR gap|, |FPR gap| (rate, 0-1)",
    "sp": "SP: |selection-rate gap| (rate, 0-1)",
    "error": "test error (fraction misclassified)",
}
METRIC_NAMES = {"eqod": "EqOd", "sp": "SP", "error": "error"}
COLORS = {
    "rb-prob": "tab:blue", "rb-label": "tab:orange", "rb-dist": "tab:green",
    "random": "tab:gray", "oracle": "tab:purple",
    "expgrad": "tab:red", "threshold": "tab:brown", "calibrated_eo": "tab:pink",
    "massaging": "tab:olive", "reweighing": "tab:cyan", "correlation_remover": "navy",
    "fare": "darkgreen", "influence": "black",
    # calibrated EO, one family per cost constraint: shades of its pink
    "calibrated_eo_fnr": "tab:pink", "calibrated_eo_fpr": "mediumvioletred",
    "calibrated_eo_weighted": "palevioletred",
}
_SPARE_COLORS = ("gold", "teal", "crimson", "darkkhaki", "slateblue", "sienna")
LINESTYLES = ("-", "--", ":", "-.")


def pyplot():
    """Import pyplot on first use, on the non-interactive Agg backend."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def new_figure(ncols: int = 1, *, sharey: bool = False):
    """A constrained-layout figure of fixed pixel size and its row of axes."""
    plt = pyplot()
    figsize = FIGSIZE if ncols == 1 else WIDE_FIGSIZE
    fig, axes = plt.subplots(1, ncols, figsize=figsize, dpi=DPI, layout="constrained",
                             squeeze=False, sharey=sharey)
    return fig, list(axes[0])


def save_figure(fig, out_dir, name: str) -> list[Path]:
    """Write ``fig`` as ``<out_dir>/<name>.png`` and ``.svg``, close it, return both paths.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to write; it is closed afterwards.
    out_dir : str or pathlib.Path
        Folder to write into; created when missing.
    name : str
        File stem, without folders or suffix.

    Returns
    -------
    list of pathlib.Path
        The PNG path, then the SVG path.
    """
    if not name or Path(name).name != name:
        raise ConfigError(f"The 'name' parameter must be a bare file stem. Got {name!r} instead.")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"{name}.png", out / f"{name}.svg"]
    try:
        fig.savefig(paths[0], dpi=fig.dpi, metadata={"Software": None})
        # The PNG's draw placed the axes; the SVG keeps that layout instead of solving it
        # again (a third of the figures' time).
        fig.set_layout_engine("none")
        # No date in the SVG, so re-running a sweep gives byte-identical figures.
        fig.savefig(paths[1], metadata={"Date": None})
    finally:
        pyplot().close(fig)
    return paths


def check_metric(metric: str, allowed: Sequence[str] = ("eqod", "sp")) -> None:
    if metric not in allowed:
        raise ConfigError(
            f"The 'metric' parameter must be one of {list(allowed)}. Got {metric!r} instead."
        )


def color_for(name: str) -> str:
    if name in COLORS:
        return COLORS[name]
    return _SPARE_COLORS[sum(map(ord, name)) % len(_SPARE_COLORS)]


def title_for(rows: pd.DataFrame, dataset: str, what: str) -> str:
    model = rows["model"].dropna().unique() if "model" in rows.columns else []
    suffix = f" ({model[0]})" if len(model) == 1 else ""
    return f"{dataset}{suffix}: {what}"


def draw_base_line(ax, value: float, metric: str) -> None:
    if np.isfinite(value):
        ax.axhline(value, color="black", linestyle="--", linewidth=1.2,
                   label=f"base model ({METRIC_NAMES[metric]} {value:.3f})")


def draw_cloud_and_front(ax, part: pd.DataFrame, *, x: str, y: str, color: str, label: str,
                         marker: str = "o", linestyle: str = "-", filled: bool = True,
                         cloud_errorbars: bool = True) -> pd.DataFrame:
    """Every point (faint), the non-dominated front bold; returns the front.

    With ``cloud_errorbars`` every point has error bars in both directions; without, only
    the front's points have them, in ``y`` only (the std of the error axis is about as wide
    as the region the claims are decided in and would hide it).
    """
    if cloud_errorbars:
        ax.errorbar(part[f"{x}_mean"], part[f"{y}_mean"], xerr=part[f"{x}_std"],
                    yerr=part[f"{y}_std"], fmt=marker, color=color, alpha=0.3, markersize=4,
                    capsize=2, linewidth=0.8, mfc=color if filled else "none")
    else:
        ax.plot(part[f"{x}_mean"], part[f"{y}_mean"], marker, color=color, alpha=0.25,
                markersize=3, mfc=color if filled else "none")
    front = part[pareto_front(part, x=f"{x}_mean", y=f"{y}_mean")].sort_values(f"{x}_mean")
    ax.plot(front[f"{x}_mean"], front[f"{y}_mean"], linestyle=linestyle, marker=marker,
            color=color, label=label, markersize=5, mfc=color if filled else "white")
    if not cloud_errorbars:
        ax.errorbar(front[f"{x}_mean"], front[f"{y}_mean"], yerr=front[f"{y}_std"],
                    fmt="none", ecolor=color, alpha=0.5, capsize=2, linewidth=0.9)
    return front


def draw_low_error_band(ax, base_error: float, slack: float = 0.01) -> None:
    """Shade error <= base + ``slack`` (call after the limits are set): the region the
    Pareto claims are decided in."""
    if np.isfinite(base_error):
        lo, hi = ax.get_xlim()
        ax.axvspan(lo, base_error + slack, color="tab:green", alpha=0.08, zorder=0,
                   label=f"error <= base + {slack:g} (where claims are decided)")
        ax.set_xlim(lo, hi)


def zoom_to_claims(ax, rows: pd.DataFrame, fronts: list[pd.DataFrame], *, x: str, y: str,
                   reach: float = 0.03) -> None:
    """Limit the axes to where claims are decided: error up to base + ``reach``, EqOd from 0
    to a little above the base model; points beyond are clipped, not dropped."""
    base_x, base_y = base_value(rows, "error"), base_value(rows, y.removesuffix("_mean"))
    xs = [f[x].to_numpy(float) for f in fronts if len(f)]
    lo = min([base_x, *[v.min() for v in xs]]) if xs else base_x
    if np.isfinite(lo) and np.isfinite(base_x):
        ax.set_xlim(lo - 0.005, base_x + reach)
    if np.isfinite(base_y):
        ax.set_ylim(0, base_y * 1.15)


def draw_base_star(ax, rows: pd.DataFrame, metric: str) -> None:
    x, y = base_value(rows, "error"), base_value(rows, metric)
    if np.isfinite(x) and np.isfinite(y):
        ax.plot([x], [y], marker="*", markersize=16, color="gold", markeredgecolor="black",
                linestyle="none", zorder=5,
                label=f"base model (error {x:.3f}, {METRIC_NAMES[metric]} {y:.3f})")
