"""The paper's Figure 1: a 2-D toy problem and the firm's boundary before and after flips."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..exceptions import ConfigError, DataError
from . import _common as c

__all__ = ["plot_toy"]

_FIT_KEYS = ("coef", "intercept", "error", "eqod")


def plot_toy(X, y, group, flipped_idx, before: dict, after: dict, out_dir, *,
             title: str | None = None) -> list[Path]:
    """Scatter of a 2-D problem with the logistic-regression boundaries before and after.

    Parameters
    ----------
    X : array-like of shape (n, 2)
        The two features.
    y : array-like of shape (n,)
        Labels before the flips (colour).
    group : array-like of shape (n,)
        1 for the acting minority (crosses), 0 for the majority (circles).
    flipped_idx : array-like of int
        Row indices whose label the collective flipped 0 -> 1 (ringed).
    before, after : dict
        The firm's fit without and with the flips: ``coef`` (two feature coefficients, then
        optionally the group indicator's), ``intercept``, ``error`` and ``eqod``. With a
        non-zero group coefficient one boundary per group is drawn.
    out_dir : str or pathlib.Path
        Folder the figure is written to.
    title : str, optional
        Figure title; a default names the number of flips.

    Returns
    -------
    list of pathlib.Path
        ``toy.png`` and ``toy.svg``.
    """
    X, y, group, flipped = _check(X, y, group, flipped_idx)
    _check_fit(before, "before")
    _check_fit(after, "after")
    fig, (ax,) = c.new_figure()
    for g, marker, name in ((0, "o", "majority"), (1, "x", "minority")):
        for label, color in ((0, "tab:red"), (1, "tab:blue")):
            pts = X[(group == g) & (y == label)]
            ax.scatter(pts[:, 0], pts[:, 1], marker=marker, color=color, s=28, alpha=0.75,
                       facecolors="none" if marker == "o" else None,
                       label=f"{name}, y={label}")
    ax.scatter(X[flipped, 0], X[flipped, 1], s=170, facecolors="none", edgecolors="black",
               linewidths=1.6, label=f"flipped 0 -> 1 ({len(flipped)})")
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = 0.05 * (hi - lo + 1e-12)
    box = (lo[0] - pad[0], hi[0] + pad[0], lo[1] - pad[1], hi[1] + pad[1])
    for fit, color, when in ((before, "0.55", "before"), (after, "black", "after")):
        _draw_boundaries(ax, fit, box, color=color, when=when)
    ax.set_xlim(box[0], box[1])
    ax.set_ylim(box[2], box[3])
    ax.set_xlabel("feature x1 (a.u.)")
    ax.set_ylabel("feature x2 (a.u.)")
    ax.set_title(title or f"Toy example: {len(flipped)} flips by the minority collective")
    fig.legend(loc="outside right upper", fontsize="small")
    return c.save_figure(fig, out_dir, "toy")


def _check(X, y, group, flipped_idx):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y).ravel()
    group = np.asarray(group).ravel()
    flipped = np.asarray(flipped_idx, dtype=int).ravel()
    if X.ndim != 2 or X.shape[1] != 2:
        raise DataError(f"The 'X' parameter must have shape (n, 2). Got {X.shape} instead.")
    if len(y) != len(X) or len(group) != len(X):
        raise DataError(
            f"The 'y' and 'group' parameters must have {len(X)} entries like X. "
            f"Got {len(y)} and {len(group)} instead."
        )
    if flipped.size and (flipped.min() < 0 or flipped.max() >= len(X)):
        raise DataError(
            f"The 'flipped_idx' parameter must index rows 0..{len(X) - 1}. "
            f"Got values from {flipped.min()} to {flipped.max()} instead."
        )
    return X, y, group, flipped


def _check_fit(fit, name: str) -> None:
    missing = [k for k in _FIT_KEYS if not isinstance(fit, dict) or k not in fit]
    n_coef = len(np.ravel(fit["coef"])) if not missing else 0
    if missing or n_coef not in (2, 3):
        raise ConfigError(
            f"The '{name}' parameter must be a dict with {list(_FIT_KEYS)} and 2 or 3 "
            f"coefficients. Got missing keys {missing} and {n_coef} coefficients instead."
        )


def _draw_boundaries(ax, fit: dict, box, *, color: str, when: str) -> None:
    w = np.ravel(fit["coef"]).astype(float)
    b = float(np.ravel(fit["intercept"])[0])
    stats = f"error {fit['error']:.3f}, EqOd {fit['eqod']:.3f}"
    w_group = w[2] if len(w) == 3 else 0.0
    if w_group == 0.0:
        _line(ax, w[:2], b, box, color=color, linestyle="-", label=f"{when}: {stats}")
        return
    for g, linestyle, name in ((0, "-", "majority"), (1, "--", "minority")):
        _line(ax, w[:2], b + w_group * g, box, color=color, linestyle=linestyle,
              label=f"{when}, {name} boundary: {stats}")


def _line(ax, w, b, box, **style) -> None:
    """Draw w . x + b = 0 across the box, solving for the better-conditioned coordinate."""
    x0, x1, y0, y1 = box
    if abs(w[1]) >= abs(w[0]) and w[1] != 0:
        xs = np.array([x0, x1])
        ys = -(w[0] * xs + b) / w[1]
    elif w[0] != 0:
        ys = np.array([y0, y1])
        xs = -(w[1] * ys + b) / w[0]
    else:
        return
    ax.plot(xs, ys, linewidth=2, **style)
