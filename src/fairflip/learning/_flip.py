"""Flip labels 0 -> 1: the one relabelling operation, used by the collective and by massaging."""

from __future__ import annotations

import numpy as np

from ..exceptions import DataError

__all__ = ["flip_labels"]


def flip_labels(y, rows) -> np.ndarray:
    """A copy of ``y`` with the labels at positions ``rows`` set to 1: the collective's flips.

    Every flip is 0 -> 1; a row already labelled 1 (or not 0/1) means the caller ranked the
    wrong rows, so it raises :class:`~fairflip.exceptions.DataError` instead of passing.

    Examples
    --------
    >>> flip_labels(np.array([0, 1, 0, 0]), [2, 0])
    array([1, 1, 1, 0])
    """
    y = np.asarray(y)
    rows = np.asarray(rows, dtype=np.intp)
    if rows.size and (y[rows] != 0).any():
        raise DataError("The 'rows' parameter must name rows labelled 0. Got a row labelled "
                        f"{y[rows][y[rows] != 0][0]!r} instead.")
    out = y.copy()
    out[rows] = 1
    return out


