"""Layer 2: the same base rates for the acting group (1) and everyone else (0)."""

from __future__ import annotations

import numpy as np

from ..exceptions import DataError
from ._rates import base_rates

__all__ = ["check_metric_inputs", "rates_by_group"]


def check_metric_inputs(y_true, y_pred, groups):
    """Three 1-D arrays of one length with 0/1 values, else a one-line DataError.

    Anything else would not fail later: a group value 2 or a shorter ``y_pred`` silently
    gives NaN or compares the wrong rows.
    """
    arrays = [np.asarray(a) for a in (y_true, y_pred, groups)]
    names = ("y_true", "y_pred", "groups")
    for name, arr in zip(names, arrays, strict=True):
        if arr.ndim != 1:
            raise DataError(f"The '{name}' parameter must be 1-D. Got shape {arr.shape} instead.")
    if len({arr.shape[0] for arr in arrays}) > 1:
        raise DataError("The 'y_true', 'y_pred' and 'groups' parameters must have one length. "
                        f"Got {', '.join(str(a.shape[0]) for a in arrays)} instead.")
    for name, arr in zip(names, arrays, strict=True):
        # (== 0) | (== 1) rather than np.isin: a sweep checks tens of thousands of arrays
        if arr.dtype.kind not in "biuf" or not ((arr == 0) | (arr == 1)).all():
            bad = arr[(arr != 0) & (arr != 1)][:1] if arr.dtype.kind in "biuf" else arr[:1]
            raise DataError(f"The '{name}' parameter must hold only 0 and 1 (groups: 1 = "
                            f"acting group). Got {bad.tolist()[0]!r} instead.")
    return arrays


def rates_by_group(
    y_true: np.ndarray, y_pred: np.ndarray, groups: np.ndarray
) -> dict[int, dict[str, float]]:
    """``{0: rates of the rest, 1: rates of the acting group}``; always both keys."""
    y_true, y_pred, groups = check_metric_inputs(y_true, y_pred, groups)
    return {g: base_rates(y_true[groups == g], y_pred[groups == g]) for g in (0, 1)}
