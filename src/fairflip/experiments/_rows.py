"""One row scorer for every unit family: the metric columns of a result row, computed once.

A collective unit, an audited unit, a firm-side unit and the base model all score their
firm's predictions the same way: the test metrics, the multi-group gaps (multi-group
problems), the firm-validation metrics and, on synthetic data, collective success and flip
precision. Each family's own code only makes the predictions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..data import Split
from ..metrics import collective_success, fairness_reports, flip_precision, multigroup_report
from ._config import SweepConfig

__all__ = ["JobContext", "MULTIGROUP_RESULT_COLUMNS", "scored_rows"]

MULTIGROUP_RESULT_COLUMNS = ("eqod_multi", "eqod_multi_large", "worst_gap", "min_group_size")


@dataclass
class JobContext:
    """What every unit of one job shares: the split, the firm-validation rows, the base seed,
    the config and the caches of rankings and audit probabilities."""

    split: Split
    val: Split
    seed: int
    config: SweepConfig
    scorer_cache: dict = field(default_factory=dict)
    proba_cache: dict = field(default_factory=dict)


def _as_columns(pred) -> np.ndarray:
    pred = np.asarray(pred)
    return pred[:, None] if pred.ndim == 1 else pred


def scored_rows(ctx: JobContext, pred_test, pred_val, *, pred_cf=None, flipped=None) -> list[dict]:
    """One dict of metric columns per firm (a column of each prediction matrix).

    Parameters
    ----------
    ctx : JobContext
    pred_test, pred_val : array of shape (n_rows, n_firms) or (n_rows,)
        Predictions on the test rows and on the firm-validation rows.
    pred_cf : array, optional
        Predictions on the test rows' counterfactuals (synthetic data): adds ``success``.
    flipped : sequence of arrays, optional
        The rows each firm's pool had flipped: adds ``flip_precision`` on synthetic data.
    """
    split, val = ctx.split, ctx.val
    pred_test, pred_val = _as_columns(pred_test), _as_columns(pred_val)
    tests = fairness_reports(split.y_test, pred_test, split.g_test)
    vals = fairness_reports(val.y_test, pred_val, val.g_test)
    if pred_cf is not None:
        pred_cf = _as_columns(pred_cf)
    rows = []
    for j, (test, v) in enumerate(zip(tests, vals, strict=True)):
        row = dict(test)
        if split.gv_test is not None:
            multi = multigroup_report(split.y_test, pred_test[:, j], split.gv_test)
            row.update({key: multi[key] for key in MULTIGROUP_RESULT_COLUMNS})
        row.update(firm_val_error=v["error"], firm_val_eqod=v["eqod"], firm_val_sp=v["sp"])
        if pred_cf is not None:
            row["success"] = collective_success(pred_test[:, j], pred_cf[:, j], split.g_test)
        if flipped is not None and split.y_train_cf is not None:
            row["flip_precision"] = flip_precision(flipped[j], split.y_train_cf)
        rows.append(row)
    return rows
