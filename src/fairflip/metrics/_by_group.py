"""Layer 2: the same base rates for the acting group (1) and everyone else (0)."""

from __future__ import annotations

import numpy as np

from ._rates import base_rates

__all__ = ["rates_by_group"]


def rates_by_group(
    y_true: np.ndarray, y_pred: np.ndarray, group: np.ndarray
) -> dict[int, dict[str, float]]:
    """``{0: rates of the rest, 1: rates of the acting group}``; always both keys."""
    group = np.asarray(group)
    return {g: base_rates(np.asarray(y_true)[group == g], np.asarray(y_pred)[group == g])
            for g in (0, 1)}
