"""What both sides use: the firm's model, the batched logistic path, label audits, flipping labels.

Layer: beneath both sides (``collective``/``scorers``/``advisor``/``organiser`` and
``firm``/``baselines``), so neither side imports the other. It may import ``data``,
``metrics`` and private leaves only.

The default logistic regression has a batched fast path that trains every budget of a flip
sweep at once (:func:`fit_flip_path`), to scikit-learn's optimum. A firm may audit its labels
before training (:func:`audit_labels`: cleanlab or a loss filter) and drop or relabel what the
audit flags (:func:`respond`); the collective runs the same audit on its own view.
"""

from ._audit import (
    AUDIT_ACTIONS,
    AUDIT_FOLDS,
    AUDIT_NAMES,
    DEFAULT_AUDIT_Q,
    AuditResult,
    audit_labels,
    check_audit,
    flag_labels,
    out_of_fold_proba,
    respond,
)
from ._batched import FlipPath, fit_flip_path, fit_logreg_columns, predict_columns
from ._flip import flip_labels
from ._models import LOGREG_C, LOGREG_TOL, MODEL_NAMES, make_model

__all__ = [
    "AUDIT_ACTIONS",
    "AUDIT_FOLDS",
    "AUDIT_NAMES",
    "DEFAULT_AUDIT_Q",
    "AuditResult",
    "audit_labels",
    "check_audit",
    "flag_labels",
    "out_of_fold_proba",
    "respond",
    "LOGREG_C",
    "LOGREG_TOL",
    "MODEL_NAMES",
    "FlipPath",
    "fit_flip_path",
    "flip_labels",
    "fit_logreg_columns",
    "make_model",
    "predict_columns",
]
