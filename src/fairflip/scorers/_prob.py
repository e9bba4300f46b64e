"""RB-prob: rank by a majority-trained model's probability of the favourable label."""

from __future__ import annotations

import numpy as np
from sklearn.base import clone

from .._threads import single_blas
from ..exceptions import DataError
from ..learning import make_model
from ._base import BaseScorer

__all__ = ["RBProbScorer"]


class RBProbScorer(BaseScorer):
    """Score s_i = f(x_i), f trained on the known majority rows to estimate P(Y = 1 | x).

    Parameters
    ----------
    estimator : classifier with ``predict_proba`` or None
        Defaults to the firm's converged logistic regression.
    """

    deterministic = True

    def __init__(self, estimator=None):
        self.estimator = estimator

    def _fit(self, X, y):
        if np.unique(y).size < 2:
            raise DataError("rb-prob needs known majority rows of both labels; they have one.")
        est = make_model("logreg") if self.estimator is None else clone(self.estimator)
        if not hasattr(est, "predict_proba"):
            raise DataError(f"The 'estimator' parameter must have predict_proba. Got {est!r} instead.")
        # One BLAS thread: the Newton solver's X.T @ (w X) on tall rows ran 8x slower in wall
        # time with two OpenBLAS threads on a busy 2-core machine (700k x 50: 7.4 s against
        # 0.94 s per product), and one thread gives the same bits on every machine and worker.
        with single_blas():
            self.estimator_ = est.fit(X, y)

    def _score(self, X, index):
        proba = self.estimator_.predict_proba(X)
        return proba[:, list(self.estimator_.classes_).index(1)]
