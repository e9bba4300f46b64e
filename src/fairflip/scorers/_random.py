"""Random order (the baseline) and the counterfactual oracle (synthetic data only)."""

from __future__ import annotations

import numpy as np
from sklearn.utils import check_random_state

from ..exceptions import ConfigError
from ._base import BaseScorer

__all__ = ["OracleScorer", "RandomScorer"]


class RandomScorer(BaseScorer):
    """Uniform random scores: a random order of the candidates."""

    needs_knowledge = False

    def __init__(self, random_state=0):
        self.random_state = random_state

    def _fit(self, X, y):
        self.rng_ = check_random_state(self.random_state)

    def _score(self, X, index):
        return self.rng_.random_sample(X.shape[0])


class OracleScorer(BaseScorer):
    """The ideal strategy: the true P0(Y = 1 | g(x)) from a known causal model.

    Parameters
    ----------
    counterfactual_proba : array-like of float
        Counterfactual probability of every training row; candidates are looked up by the
        ``index`` passed to :meth:`score`.
    """

    needs_knowledge = False
    deterministic = True

    def __init__(self, counterfactual_proba=None):
        self.counterfactual_proba = counterfactual_proba

    def _fit(self, X, y):
        if self.counterfactual_proba is None:
            raise ConfigError("The oracle needs known counterfactuals: use it on synthetic data only.")
        self.proba_ = np.asarray(self.counterfactual_proba, dtype=np.float64)

    def _score(self, X, index):
        if index is None or len(index) != X.shape[0]:
            raise ConfigError("The oracle scores candidates by their row 'index'; pass one per row.")
        return self.proba_[np.asarray(index, dtype=np.intp)]
