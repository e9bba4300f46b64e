"""Label audits: what a careful firm may do to its training pool before it trains.

An audit cross-validates the firm's own model class on the pool (scikit-learn's
``cross_val_predict``), then flags rows whose label looks wrong:

- ``cleanlab``: confident learning, :func:`cleanlab.filter.find_label_issues` with its
  defaults on the out-of-fold probabilities;
- ``loss``: the share ``q`` of rows with the largest out-of-fold log loss.

The firm then responds: ``drop`` the flagged rows or ``relabel`` them to the audit's
predicted label, and retrains. Both audits share the out-of-fold probabilities, so a caller
that wants both computes them once (:func:`out_of_fold_proba`, then :func:`flag_labels`).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from ..exceptions import ConfigError, DataError
from ._models import make_model

__all__ = ["AUDIT_ACTIONS", "AUDIT_FOLDS", "AUDIT_NAMES", "DEFAULT_AUDIT_Q", "AuditResult",
           "audit_labels", "check_audit", "flag_labels", "out_of_fold_proba", "respond"]

AUDIT_NAMES = ("none", "cleanlab", "loss")
AUDIT_ACTIONS = ("drop", "relabel")
#: Share of the pool the loss audit flags. Adult's logistic regression errs on about 15 % of
#: its rows and COMPAS's on about 33 %: a tenth flags only confidently wrong rows on both.
DEFAULT_AUDIT_Q = 0.1
#: Folds of the cross-validation (cleanlab's own default for out-of-fold probabilities).
AUDIT_FOLDS = 5


def check_audit(audit="none", action="drop", q=DEFAULT_AUDIT_Q) -> None:
    """Validate an audit's name, the firm's response and the loss audit's share."""
    if audit not in AUDIT_NAMES:
        raise ConfigError(f"The 'audit' parameter must be one of {', '.join(AUDIT_NAMES)}. "
                          f"Got {audit!r} instead.")
    if action not in AUDIT_ACTIONS:
        raise ConfigError(f"The 'audit_action' parameter must be one of {', '.join(AUDIT_ACTIONS)}. "
                          f"Got {action!r} instead.")
    if (isinstance(q, bool) or not isinstance(q, numbers.Real) or not math.isfinite(q)
            or not 0 < q < 1):
        raise ConfigError(f"The 'audit_q' parameter must be a share in (0, 1). Got {q!r} instead.")


def out_of_fold_proba(X, y, *, model="logreg", model_params=None, folds=AUDIT_FOLDS,
                      random_state=None) -> np.ndarray:
    """P(label = 1) for every row from a model that did not train on it.

    Parameters
    ----------
    X, y : arrays
        The pool as the firm holds it (labels possibly relabelled by a collective).
    model, model_params
        The firm's own model class (see :func:`make_model`).
    folds : int
        Stratified folds; each label needs at least this many rows.
    random_state : int or None
        Seeds the fold assignment and the model.
    """
    y = np.asarray(y)
    counts = np.bincount(y.astype(np.int64), minlength=2)[:2]
    if counts.min() < folds:
        raise DataError(f"The audit needs at least {folds} rows of each label for its {folds} "
                        f"folds. Got {counts[0]} negative and {counts[1]} positive rows instead.")
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=random_state)
    est = make_model(model, random_state=random_state, model_params=model_params)
    proba = cross_val_predict(est, X, y, cv=cv, method="predict_proba")
    return proba[:, 1]


def flag_labels(y, proba, *, audit, q=DEFAULT_AUDIT_Q) -> np.ndarray:
    """Boolean mask of the rows ``audit`` flags, given out-of-fold P(label = 1).

    Examples
    --------
    >>> import numpy as np
    >>> flag_labels(np.array([1, 0, 1, 0]), np.array([0.9, 0.2, 0.1, 0.3]), audit="loss", q=0.25)
    array([False, False,  True, False])
    """
    check_audit(audit, "drop", q)
    y = np.asarray(y).astype(np.int64)
    proba = np.asarray(proba, dtype=np.float64)
    if audit == "none":
        return np.zeros(y.size, dtype=bool)
    if audit == "cleanlab":
        from cleanlab.filter import find_label_issues

        # n_jobs=1: cleanlab's own process pool shares its inputs through module globals,
        # which a pool started inside a sweep's worker process (loky) does not inherit
        # (NameError in cleanlab 2.9); a two-class prune gains nothing from processes anyway.
        flags = find_label_issues(labels=y, pred_probs=np.column_stack([1 - proba, proba]),
                                  n_jobs=1)
        return np.asarray(flags, dtype=bool)
    # Largest log loss first; the stable sort keeps the flags independent of float ties'
    # platform order.
    p_label = np.clip(np.where(y == 1, proba, 1 - proba), 1e-15, 1.0)
    order = np.argsort(np.log(p_label), kind="stable")
    flagged = np.zeros(y.size, dtype=bool)
    flagged[order[:int(math.ceil(q * y.size))]] = True
    return flagged


@dataclass(frozen=True)
class AuditResult:
    """One audit of a pool: which rows it flagged and the label it believes for each."""

    audit: str
    q: float
    flagged: np.ndarray
    proba: np.ndarray

    @property
    def predicted(self) -> np.ndarray:
        return (self.proba >= 0.5).astype(np.int8)

    @property
    def n_flagged(self) -> int:
        return int(self.flagged.sum())


def audit_labels(X, y, *, audit="cleanlab", q=DEFAULT_AUDIT_Q, model="logreg", model_params=None,
                 folds=AUDIT_FOLDS, random_state=None, proba=None) -> AuditResult:
    """Run ``audit`` on a pool; ``proba`` reuses out-of-fold probabilities computed before."""
    check_audit(audit, "drop", q)
    y = np.asarray(y)
    if audit == "none":
        return AuditResult(audit, float(q), np.zeros(y.size, dtype=bool),
                           np.full(y.size, np.nan) if proba is None else np.asarray(proba))
    if proba is None:
        proba = out_of_fold_proba(X, y, model=model, model_params=model_params, folds=folds,
                                  random_state=random_state)
    return AuditResult(audit, float(q), flag_labels(y, proba, audit=audit, q=q), np.asarray(proba))


def respond(X, y, result: AuditResult, *, action="drop", sample_weight=None):
    """The firm's response to an audit: ``(X, y, sample_weight)`` to retrain on.

    ``drop`` removes the flagged rows; ``relabel`` sets them to the audit's predicted label.
    With nothing flagged both return the pool unchanged.
    """
    check_audit(result.audit, action, result.q)
    y = np.asarray(y)
    if action == "drop":
        keep = ~result.flagged
        if np.unique(y[keep]).size < 2:
            raise DataError("The audit flagged every row of one label; the firm cannot retrain.")
        return X[keep], y[keep], None if sample_weight is None else np.asarray(sample_weight)[keep]
    new = np.where(result.flagged, result.predicted, y).astype(y.dtype)
    return X, new, sample_weight
