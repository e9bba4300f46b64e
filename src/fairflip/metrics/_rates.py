"""Layer 1: base rates of one set of rows."""

from __future__ import annotations

import numpy as np

__all__ = ["RATE_NAMES", "base_rates"]

RATE_NAMES = ("tpr", "fpr", "selection_rate", "error", "count")


def base_rates(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """True/false positive rate, selection rate, error and count of one row set.

    A rate with an empty denominator is NaN (as fairlearn reports it), never a silent 0.
    """
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    n = y_true.shape[0]
    pos = y_true == 1
    n_pos = int(pos.sum())
    n_neg = n - n_pos
    pred_pos = y_pred == 1
    return {
        "tpr": float(pred_pos[pos].sum() / n_pos) if n_pos else float("nan"),
        "fpr": float(pred_pos[~pos].sum() / n_neg) if n_neg else float("nan"),
        "selection_rate": float(pred_pos.sum() / n) if n else float("nan"),
        "error": float((y_pred != y_true).sum() / n) if n else float("nan"),
        "count": float(n),
    }
