"""Metrics that need a known causal model: the collective's success and flip precision."""

from __future__ import annotations

import numpy as np

from .._deprecate import renamed_params
from ._by_group import check_metric_inputs

__all__ = ["collective_success", "flip_precision"]


@renamed_params(group="groups")
def collective_success(pred_factual, pred_counterfactual, groups) -> float:
    """S = P[h(g(x)) = h(x)] over the acting group's rows.

    ``pred_counterfactual`` are the firm's predictions at the counterfactual features
    x_{A <- majority} of the same rows.
    """
    _, _, groups = check_metric_inputs(pred_factual, pred_counterfactual, groups)
    acting = groups == 1
    if not acting.any():
        return float("nan")
    same = np.asarray(pred_factual)[acting] == np.asarray(pred_counterfactual)[acting]
    return float(same.mean())


def flip_precision(flipped_idx, counterfactual_label) -> float:
    """Share of flipped rows whose counterfactual label is truly positive (NaN if none)."""
    flipped_idx = np.asarray(flipped_idx, dtype=np.intp)
    if flipped_idx.size == 0:
        return float("nan")
    return float(np.asarray(counterfactual_label)[flipped_idx].mean())
