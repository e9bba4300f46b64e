"""Operating points read off fronts, as the paper reads them: interpolated between points.

A method's *front* in one seed is the non-dominated set of its operating points on the
(error, EqOd) plane (both minimised), joined by straight lines (a firm can mix two
classifiers to get any point between them). Every function here works on one seed's points
and returns numbers, never a row of the grid:

- :func:`error_at_eqod`: the lowest error at which the front reaches an EqOd target
  ("matched EqOd"); where it never does, the error at its lowest EqOd, flagged.
- :func:`eqod_at_error`: the lowest EqOd on the front with error at most a cap
  ("matched error").
- :func:`front_gap`: the mean EqOd gap between two fronts over their common error range.
- :func:`dominated_share`: the share of one front (its error range) that the other dominates.
- :func:`flips_to_target`: flips at which a budget path first reaches an EqOd target,
  interpolated between budgets.

Each locator can find the point on one pair of columns (say the firm-validation rows) and
read other columns (the test rows) at the same mix: see :class:`Front`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._fronts import pareto_front

__all__ = ["Front", "dominated_share", "eqod_at_error", "error_at_eqod", "flips_to_target",
           "front_gap"]

_GRID = 201  # points of the common error range a front gap is averaged over


@dataclass(frozen=True)
class Front:
    """One seed's front: vertices sorted by error (EqOd falling), on columns ``x``, ``y``.

    ``rows`` keeps every column of the points (the vertices at positions ``pos``), so a
    point located on (``x``, ``y``) can be read on other columns at the same mix
    (:meth:`read`).

    Examples
    --------
    >>> pts = pd.DataFrame({"error": [0.30, 0.32, 0.31, 0.36], "eqod": [0.2, 0.1, 0.15, 0.0]})
    >>> f = Front.of(pts)
    >>> f.x.tolist(), f.y.tolist()
    ([0.3, 0.31, 0.32, 0.36], [0.2, 0.15, 0.1, 0.0])
    >>> round(f.read(f.at_y(0.05)[0], "error"), 4)
    0.34
    """

    rows: pd.DataFrame
    x: np.ndarray
    y: np.ndarray
    #: Positions of the vertices in ``rows`` (the points given), in front order.
    pos: np.ndarray | None = None

    @classmethod
    def of(cls, points: pd.DataFrame, *, x: str = "error", y: str = "eqod") -> Front:
        # The points are kept whole and read by position: taking the vertices' rows of a
        # wide result frame was most of the claims' time (they read thousands of fronts).
        idx = np.flatnonzero(pareto_front(points, x=x, y=y)) if len(points) else np.empty(0, int)
        xs, ys = points[x].to_numpy(float)[idx], points[y].to_numpy(float)[idx]
        order = np.lexsort((np.arange(idx.size), ys, xs))  # by x, then y, then row: stable
        return cls(points, xs[order], ys[order], idx[order])

    @property
    def size(self) -> int:
        return int(self.x.size)

    def read(self, mix, column: str) -> float:
        """The value of ``column`` at ``mix = (i, j, w)``: (1 - w) row i + w row j."""
        if mix is None:
            return float("nan")
        i, j, w = mix
        pos = np.arange(len(self.rows)) if self.pos is None else self.pos
        values = self.rows[column].to_numpy(float)
        return float((1 - w) * values[pos[i]] + w * values[pos[j]])

    def at_y(self, target: float):
        """(mix, reached): the lowest-error point with EqOd == ``target`` on the front.

        Where the front never gets down to ``target``, its lowest-EqOd vertex and False.
        """
        if self.size == 0:
            return None, False
        hit = np.flatnonzero(self.y <= target + 1e-12)
        if hit.size == 0:
            last = self.size - 1
            return (last, last, 0.0), False
        j = int(hit[0])
        if j == 0 or self.y[j] == target:
            return (j, j, 0.0), True
        i = j - 1  # y[i] > target >= y[j]
        w = (self.y[i] - target) / (self.y[i] - self.y[j])
        return (i, j, float(w)), True

    def at_x(self, cap: float):
        """The lowest-EqOd point on the front with error <= ``cap`` (None when none is)."""
        if self.size == 0 or self.x[0] > cap + 1e-12:
            return None
        i = int(np.flatnonzero(self.x <= cap + 1e-12)[-1])
        if i == self.size - 1 or self.x[i] == cap:
            return (i, i, 0.0)
        j = i + 1
        w = (cap - self.x[i]) / (self.x[j] - self.x[i])
        return (i, j, float(w))

    def y_of_x(self, xs: np.ndarray) -> np.ndarray:
        """The front's EqOd at each error in ``xs`` (NaN below its lowest error; its lowest
        EqOd beyond its highest error)."""
        xs = np.asarray(xs, float)
        out = np.interp(xs, self.x, self.y) if self.size else np.full(xs.shape, np.nan)
        out[xs < self.x[0] - 1e-12] = np.nan
        return out


def error_at_eqod(points: pd.DataFrame, target: float, *, x="error", y="eqod",
                  read=("error", "eqod")):
    """Matched EqOd: ``read`` columns where the front on (x, y) reaches ``target``, and
    whether it reached it (else the values at its lowest EqOd)."""
    front = Front.of(points, x=x, y=y)
    mix, reached = front.at_y(target)
    return tuple(front.read(mix, c) for c in read), reached


def eqod_at_error(points: pd.DataFrame, cap: float, *, x="error", y="eqod",
                  read=("error", "eqod")):
    """Matched error: ``read`` columns at the lowest-EqOd point with error <= ``cap``
    (NaN when no point is under the cap)."""
    front = Front.of(points, x=x, y=y)
    mix = front.at_x(cap)
    return tuple(front.read(mix, c) for c in read)


def front_gap(a: pd.DataFrame, b: pd.DataFrame, *, x="error", y="eqod") -> float:
    """Mean of EqOd(a) - EqOd(b) over the error range both fronts cover (NaN when none).

    >>> a = pd.DataFrame({"error": [0.30, 0.40], "eqod": [0.2, 0.0]})
    >>> b = pd.DataFrame({"error": [0.30, 0.40], "eqod": [0.1, 0.0]})
    >>> round(front_gap(a, b), 4)
    0.05
    """
    fa, fb = Front.of(a, x=x, y=y), Front.of(b, x=x, y=y)
    if fa.size == 0 or fb.size == 0:
        return float("nan")
    lo, hi = max(fa.x[0], fb.x[0]), min(fa.x[-1], fb.x[-1])
    if hi < lo:
        return float("nan")
    grid = np.linspace(lo, hi, _GRID) if hi > lo else np.array([lo])
    return float(np.mean(fa.y_of_x(grid) - fb.y_of_x(grid)))


def dominated_share(a: pd.DataFrame, b: pd.DataFrame, *, x="error", y="eqod") -> float:
    """Share of front ``a``'s error range on which front ``b`` is strictly lower (b dominates).

    ``a`` and ``b`` are points (their fronts on ``x``, ``y`` are built) or :class:`Front` objects.

    Beyond ``b``'s error range ``b`` keeps its lowest EqOd (a firm can always take more error
    for none of the gain); below it ``b`` has no point, so it dominates nothing there.

    >>> a = pd.DataFrame({"error": [0.30, 0.40], "eqod": [0.2, 0.0]})
    >>> b = pd.DataFrame({"error": [0.35], "eqod": [0.05]})
    >>> round(dominated_share(a, b), 2)
    0.25
    """
    fa, fb = (f if isinstance(f, Front) else Front.of(f, x=x, y=y) for f in (a, b))
    if fa.size == 0 or fb.size == 0:
        return float("nan")
    if fa.x[-1] == fa.x[0]:
        grid = fa.x[:1]
    else:
        grid = np.linspace(fa.x[0], fa.x[-1], _GRID)
    yb = fb.y_of_x(grid)
    return float(np.mean(np.where(np.isnan(yb), False, yb < fa.y_of_x(grid) - 1e-12)))


def flips_to_target(path: pd.DataFrame, target: float, *, count="n_flips", y="eqod"):
    """(flips, reached): flips at which a budget path first gets to EqOd <= ``target``,
    interpolated linearly between the two budgets around the crossing.

    Where the path never gets there, its largest count and False (censored: at least that).

    >>> p = pd.DataFrame({"n_flips": [0, 10, 20], "eqod": [0.2, 0.14, 0.06]})
    >>> flips_to_target(p, 0.1)
    (15.0, True)
    """
    path = path.sort_values(count, kind="stable")
    n = path[count].to_numpy(float)
    e = path[y].to_numpy(float)
    ok = np.isfinite(e)
    n, e = n[ok], e[ok]
    if n.size == 0:
        return float("nan"), False
    hit = np.flatnonzero(e <= target + 1e-12)
    if hit.size == 0:
        return float(n.max()), False
    j = int(hit[0])
    if j == 0 or e[j] == target:
        return float(n[j]), True
    i = j - 1
    w = (e[i] - target) / (e[i] - e[j])
    return float(n[i] + w * (n[j] - n[i])), True
