"""Fits of the default logistic regression that start from a neighbouring solution.

A firm-side trace fits the same model many times on problems that differ a little: one
labelling or weighting per knob, one reweighted relabelling per best response of
ExponentiatedGradient. Every fit here reaches the optimum of ``make_model("logreg")``'s
objective (a convex problem: the start changes the path, not the optimum) to the same
tolerance; starting next to it saves most of the Newton steps.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from ..learning import LOGREG_C, LOGREG_TOL, fit_logreg_columns, make_model

__all__ = ["SharedStart", "WarmStartLogisticRegression", "fit_from", "is_default_logreg",
           "fit_label_columns"]

# Newton steps of the batched solver before a best response is refitted with scikit-learn
# (make_model's max_iter).
_MAX_ITER = 200


def is_default_logreg(model) -> bool:
    """Whether ``model`` names the default logistic regression (the one these fits solve)."""
    return isinstance(model, str) and model == "logreg"


def fit_from(model, est, start, X, y, sample_weight=None):
    """``est.fit(X, y, sample_weight)``; for the default logistic regression started from
    ``start``'s coefficients (scikit-learn's own warm start: same solver, same tolerance).
    Other models, whose tolerance may let the start show in the result, fit as they are."""
    if is_default_logreg(model) and start is not None:
        est.set_params(warm_start=True)
        est.coef_, est.intercept_ = start.coef_.copy(), start.intercept_.copy()
    return est.fit(X, y, sample_weight=sample_weight)


def fit_label_columns(X, labels, base):
    """(coef (p, m), intercept (m,)) of the default logistic regression fitted on each of
    the ``m`` labellings ``labels`` of the rows ``X``: one batched fit started from ``base``
    (a fitted ``LogisticRegression``), or, if it does not converge within 200 Newton steps,
    one ``make_model("logreg")`` fit per labelling."""
    Y = np.column_stack(labels)
    m = Y.shape[1]
    coef, intercept, n_iter = fit_logreg_columns(
        X, Y, C=LOGREG_C, max_iter=_MAX_ITER, coef_init=np.repeat(base.coef_.T, m, axis=1),
        intercept_init=np.repeat(base.intercept_, m))
    if n_iter >= _MAX_ITER:
        fits = [make_model("logreg").fit(X, y) for y in labels]
        coef = np.column_stack([f.coef_[0] for f in fits])
        intercept = np.array([f.intercept_[0] for f in fits])
    return coef, intercept


class SharedStart:
    """The last solution of a sequence of fits, shared by every clone of the estimator that
    holds it: :func:`sklearn.base.clone` calls ``__sklearn_clone__`` on each parameter, so
    the clones fairlearn makes for its best responses all read and write this one object (a
    plain object would be deep-copied, and the state lost)."""

    def __init__(self, coef=None, intercept=None):
        self.coef = None if coef is None else np.asarray(coef, dtype=np.float64).reshape(-1, 1)
        self.intercept = None if intercept is None else np.asarray(
            intercept, dtype=np.float64).reshape(1)
        self.n_fits = 0

    def __sklearn_clone__(self):
        return self

    def __repr__(self):
        return f"SharedStart(n_fits={self.n_fits})"


class WarmStartLogisticRegression(ClassifierMixin, BaseEstimator):
    """``make_model("logreg")``'s model (L2, C = 1, unpenalised intercept), each fit started
    from the previous fit's solution kept in ``start``.

    Solved by :func:`fairflip.learning.fit_logreg_columns` with scikit-learn's gradient test
    at ``make_model``'s tolerance (its step test bounds the coefficients' error, measured
    about 1e-6 relative); a fit that does not converge within 200 Newton steps is refitted
    by ``make_model("logreg")``. Binary labels only.

    Parameters
    ----------
    C : float, default=1.0
    tol : float, default=1e-8
    start : SharedStart or None
        Where the previous solution is kept; ``None`` starts every fit from zeros.
    """

    def __init__(self, C=LOGREG_C, tol=LOGREG_TOL, start=None):
        self.C = C
        self.tol = tol
        self.start = start

    def fit(self, X, y, sample_weight=None):
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        if self.classes_.size != 2:
            raise ValueError(f"{type(self).__name__} needs two classes. Got "
                             f"{self.classes_.tolist()} instead.")
        sw = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        s = self.start
        init = {} if s is None or s.coef is None else {"coef_init": s.coef,
                                                       "intercept_init": s.intercept}
        coef, intercept, n_iter = fit_logreg_columns(
            X, y == self.classes_[1], C=self.C, tol=self.tol, max_iter=_MAX_ITER,
            sample_weight=sw, **init)
        if n_iter >= _MAX_ITER:
            ref = make_model("logreg", model_params={"C": self.C, "tol": self.tol})
            ref.fit(X, y, sample_weight=sw)
            coef, intercept = ref.coef_.T, ref.intercept_
        self.coef_ = coef.T.copy()
        self.intercept_ = np.asarray(intercept, dtype=np.float64).reshape(1).copy()
        self.n_iter_ = np.array([n_iter])
        if s is not None:
            s.coef, s.intercept = coef.reshape(-1, 1).copy(), self.intercept_.copy()
            s.n_fits += 1
        return self

    def decision_function(self, X):
        return np.asarray(X, dtype=np.float64) @ self.coef_[0] + self.intercept_[0]

    def predict(self, X):
        return self.classes_[(self.decision_function(X) > 0).astype(np.intp)]
