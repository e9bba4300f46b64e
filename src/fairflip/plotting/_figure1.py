"""The paper's Figure 1, laid out like the paper's: before | after, points over the boundary.

Each panel shades the plane by the firm's prediction (blue: 0, red: 1), draws the majority
as circles and the minority as crosses coloured by label (blue 0, orange 1; the after panel
shows the labels the firm trained on, flips included, ringed in gold), the boundary as a
line, and under it the error and EqOd bars of the paper's figure.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..exceptions import ConfigError
from . import _common as c
from ._toy import _check, _check_fit

__all__ = ["plot_figure1"]

_LABEL_COLORS = ("#4878d0", "#ee854a")  # y = 0 blue, y = 1 orange, as in the paper
_SHADE = ("#dde3f6", "#f6dcdc")
_RING = "#ffd700"
_GRID = 300


def _linear(fit, points, group):
    w = np.ravel(fit["coef"]).astype(float)
    z = points @ w[:2] + float(np.ravel(fit["intercept"])[0])
    if w.size == 3:
        z = z + w[2] * group
    return z


def _nearest_group(points, X, group):
    """The group of each grid point's nearest plotted point (where a group-aware firm's
    two boundaries are drawn); chunked so the distance matrix stays small."""
    out = np.empty(len(points), dtype=float)
    for start in range(0, len(points), 4096):
        block = points[start:start + 4096]
        d = ((block[:, None, :] - X[None, :, :]) ** 2).sum(axis=2)
        out[start:start + 4096] = group[d.argmin(axis=1)]
    return out


def _panel(ax, bars, X, y, group, fit, box, *, flipped, title, previous=None):
    x0, x1, y0, y1 = box
    gx, gy = np.meshgrid(np.linspace(x0, x1, _GRID), np.linspace(y0, y1, _GRID))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    aware = np.ravel(fit["coef"]).size == 3
    grid_group = _nearest_group(grid, X, group) if aware else 0.0
    pred = (_linear(fit, grid, grid_group) > 0).reshape(gx.shape).astype(float)
    c.pyplot()
    from matplotlib.colors import ListedColormap

    cmap = ListedColormap(_SHADE)
    ax.pcolormesh(gx, gy, pred, cmap=cmap, vmin=0, vmax=1, shading="auto", rasterized=True)
    if previous is not None:
        ax.contour(gx, gy, (_linear(previous, grid, grid_group) > 0).reshape(gx.shape),
                   levels=[0.5], colors="0.45", linewidths=1.2, linestyles="--")
    ax.contour(gx, gy, pred, levels=[0.5], colors="0.15", linewidths=1.6)
    for g, marker, name in ((0, "o", "majority"), (1, "X", "minority")):
        for label in (0, 1):
            rows = (group == g) & (y == label)
            ax.scatter(X[rows, 0], X[rows, 1], marker=marker, s=46 if g == 0 else 60,
                       color=_LABEL_COLORS[label], edgecolors="black", linewidths=0.6,
                       label=f"{name}, label {label}", zorder=3)
    if flipped.size:
        ax.scatter(X[flipped, 0], X[flipped, 1], s=330, facecolors="none",
                   edgecolors=_RING, linewidths=2.4, label="relabeled 0 -> 1", zorder=4)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("feature x1")
    ax.set_ylabel("feature x2")
    ax.set_title(f"{title}\nerror {fit['error']:.3f}, EqOd {fit['eqod']:.3f}", fontsize="medium")
    values = (fit["eqod"], fit["error"])
    bars.barh([0, 1], values, color=("#d62728", "#1a7a1a"), height=0.7)
    for i, v in enumerate(values):
        bars.text(v + 0.005, i, f"{v:.2f}", va="center", fontsize="medium")
    bars.set_yticks([0, 1], ["Unfairness (EqOd)", "Error"])
    bars.set_xlim(0, 0.3)
    bars.set_xlabel("on the plotted points")


def plot_figure1(X, y, group, flipped, before: dict, after: dict, out_dir, *,
                 name: str = "figure1", title: str | None = None) -> list[Path]:
    """Draw the paper's Figure 1 (before | after collective action) for a 2-D problem.

    Parameters
    ----------
    X : array-like of shape (n, 2)
        The plotted points.
    y : array-like of shape (n,)
        Their labels before the flips.
    group : array-like of shape (n,)
        1 for the minority (crosses), 0 for the majority (circles).
    flipped : array-like of int
        Row positions the collective relabelled 0 -> 1 (ringed in the after panel).
    before, after : dict
        The firm's fit without and with the flips: ``coef`` (two coefficients, or three
        with the group indicator's last), ``intercept``, ``error`` and ``eqod``.
    out_dir : str or pathlib.Path
        Folder to write into.
    name : str, default="figure1"
        File stem.
    title : str, optional
        Figure title.

    Returns
    -------
    list of pathlib.Path
        ``<name>.png`` and ``<name>.svg``.
    """
    X, y, group, flipped = _check(X, y, group, flipped)
    _check_fit(before, "before")
    _check_fit(after, "after")
    if flipped.size and (y[flipped] != 0).any():
        raise ConfigError("The 'flipped' parameter must name rows labelled 0 (flips are 0 -> 1).")
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = 0.06 * (hi - lo + 1e-12)
    box = (lo[0] - pad[0], hi[0] + pad[0], lo[1] - pad[1], hi[1] + pad[1])
    plt = c.pyplot()
    fig = plt.figure(figsize=(12.0, 5.6), dpi=c.DPI, layout="constrained")
    axes = fig.subplots(2, 2, height_ratios=(4, 1))
    relabelled = y.copy()
    relabelled[flipped] = 1
    _panel(axes[0, 0], axes[1, 0], X, y, group, before, box, flipped=flipped[:0],
           title="(a) Before collective action")
    _panel(axes[0, 1], axes[1, 1], X, relabelled, group, after, box, flipped=flipped,
           previous=before, title=f"(b) After collective action ({flipped.size} flips)")
    handles, labels = axes[0, 1].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=len(labels),
               fontsize="small")
    if title:
        fig.suptitle(title)
    return c.save_figure(fig, out_dir, name)
