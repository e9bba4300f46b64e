"""Layer 3: fairness gaps and the firm's report, as thin compositions of the layers below."""

from __future__ import annotations

import numpy as np

from .._deprecate import renamed_params
from ..exceptions import DataError
from ._by_group import check_metric_inputs, rates_by_group
from ._rates import base_rates

__all__ = [
    "METRIC_COLUMNS",
    "equalized_odds_gap",
    "fairness_report",
    "fairness_reports",
    "statistical_parity_gap",
]

# Flat keys of :func:`fairness_report`, in the order results tables store them.
METRIC_COLUMNS = (
    "error", "eqod", "sp", "tpr_gap", "fpr_gap",
    "tpr_acting", "tpr_other", "fpr_acting", "fpr_other",
    "sel_acting", "sel_other", "err_acting", "err_other",
)


def _gap(by_group: dict[int, dict[str, float]], rate: str) -> float:
    return abs(by_group[1][rate] - by_group[0][rate])


@renamed_params(group="groups")
def equalized_odds_gap(y_true, y_pred, groups) -> float:
    """Mean of the absolute TPR gap and FPR gap between the two groups.

    Equals ``fairlearn.metrics.equalized_odds_difference(..., agg="mean")``.
    """
    by_group = rates_by_group(y_true, y_pred, groups)
    return 0.5 * (_gap(by_group, "tpr") + _gap(by_group, "fpr"))


@renamed_params(group="groups")
def statistical_parity_gap(y_true, y_pred, groups) -> float:
    """Absolute selection-rate gap; equals fairlearn's ``demographic_parity_difference``."""
    return _gap(rates_by_group(y_true, y_pred, groups), "selection_rate")


@renamed_params(group="groups")
def fairness_report(y_true, y_pred, groups) -> dict[str, float]:
    """Every metric of :data:`METRIC_COLUMNS` as one flat dict of floats.

    ``groups`` marks the acting group's rows with 1; all three arrays are 0/1 of one length
    (else :class:`~fairflip.exceptions.DataError`).
    """
    y_true, y_pred, groups = check_metric_inputs(y_true, y_pred, groups)
    by_group = rates_by_group(y_true, y_pred, groups)
    tpr_gap = _gap(by_group, "tpr")
    fpr_gap = _gap(by_group, "fpr")
    acting, other = by_group[1], by_group[0]
    return {
        "error": base_rates(y_true, y_pred)["error"],
        "eqod": 0.5 * (tpr_gap + fpr_gap),
        "sp": _gap(by_group, "selection_rate"),
        "tpr_gap": tpr_gap,
        "fpr_gap": fpr_gap,
        "tpr_acting": acting["tpr"],
        "tpr_other": other["tpr"],
        "fpr_acting": acting["fpr"],
        "fpr_other": other["fpr"],
        "sel_acting": acting["selection_rate"],
        "sel_other": other["selection_rate"],
        "err_acting": acting["error"],
        "err_other": other["error"],
    }


def fairness_reports(y_true, y_pred, groups) -> list[dict[str, float]]:
    """:func:`fairness_report` of every column of ``y_pred`` (n_rows, n_models), in one pass.

    A sweep scores dozens of models on the same rows; counting each column's predicted
    positives per (group, label) cell at once gives the same numbers, bit for bit (the
    rates are the same integer counts divided the same way).
    """
    Y = np.asarray(y_pred)
    if Y.ndim != 2 or Y.shape[1] == 0:
        raise DataError(f"The 'y_pred' parameter must be 2-D with a column per model. "
                        f"Got shape {Y.shape} instead.")
    y_true, _, groups = check_metric_inputs(y_true, Y[:, 0], groups)
    if Y.dtype.kind not in "biuf" or not ((Y == 0) | (Y == 1)).all():
        raise DataError("The 'y_pred' parameter must hold only 0 and 1. Got other values "
                        "instead.")
    cell = 2 * groups.astype(np.intp) + y_true.astype(np.intp)  # (group, label)
    size = np.bincount(cell, minlength=4)
    positive = Y == 1
    # hits[c, j]: rows of cell c that model j predicts positive (exact integers)
    hits = np.stack([positive[cell == c].sum(axis=0) for c in range(4)])

    def ratio(num, den):
        return num / den if den else np.full(num.shape, np.nan)

    rates = {}
    for g in (0, 1):
        neg, pos = size[2 * g], size[2 * g + 1]
        fp, tp = hits[2 * g], hits[2 * g + 1]
        rates[g] = {"tpr": ratio(tp, pos), "fpr": ratio(fp, neg),
                    "selection_rate": ratio(fp + tp, neg + pos),
                    "error": ratio(fp + (pos - tp), neg + pos)}
    wrong = hits[0] + hits[2] + (size[1] - hits[1]) + (size[3] - hits[3])
    cols = {"error": ratio(wrong, y_true.shape[0])}
    for name, rate in (("tpr_gap", "tpr"), ("fpr_gap", "fpr"), ("sp", "selection_rate")):
        cols[name] = np.abs(rates[1][rate] - rates[0][rate])
    cols["eqod"] = 0.5 * (cols["tpr_gap"] + cols["fpr_gap"])
    for short, rate in (("tpr", "tpr"), ("fpr", "fpr"), ("sel", "selection_rate"),
                        ("err", "error")):
        cols[f"{short}_acting"], cols[f"{short}_other"] = rates[1][rate], rates[0][rate]
    return [{key: float(cols[key][j]) for key in METRIC_COLUMNS} for j in range(Y.shape[1])]
