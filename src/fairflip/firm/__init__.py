"""The firm simulator: any scikit-learn classifier trained on the (relabelled) pool.

Before training, the firm may audit its labels (:func:`audit_labels`: cleanlab or a loss
filter) and drop or relabel what the audit flags (:func:`respond`).

The default logistic regression has a batched fast path that trains every budget of a flip
sweep at once (:func:`fit_flip_path`), to scikit-learn's optimum.
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
from ._batched import fit_flip_path, fit_logreg_columns, predict_columns
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
    "fit_flip_path",
    "fit_logreg_columns",
    "make_model",
    "predict_columns",
]
