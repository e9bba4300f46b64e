"""Layer 3: fairness gaps and the firm's report, as thin compositions of the layers below."""

from __future__ import annotations

from .._deprecate import renamed_params
from ._by_group import check_metric_inputs, rates_by_group
from ._rates import base_rates

__all__ = [
    "METRIC_COLUMNS",
    "equalized_odds_gap",
    "fairness_report",
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
