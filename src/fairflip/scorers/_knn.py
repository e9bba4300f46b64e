"""RB-label and RB-dist: rank by the collective's nearest known majority rows."""

from __future__ import annotations

import numpy as np

from ..exceptions import ConfigError, DataError
from ._base import BaseScorer
from ._neighbors import kneighbors_chunked

__all__ = ["DEFAULT_K", "RBDistScorer", "RBLabelScorer"]

# The paper does not publish k; its illustration uses 3. A small k keeps the score local.
DEFAULT_K = 10


def _check_k(k) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ConfigError(f"The 'k' parameter must be a positive integer. Got {k!r} instead.")
    return int(k)


class RBLabelScorer(BaseScorer):
    """Score s_i = number of positives among the k nearest known majority rows (Euclidean)."""

    def __init__(self, k=DEFAULT_K):
        self.k = k

    def _fit(self, X, y):
        k = _check_k(self.k)
        if k > X.shape[0]:
            raise ConfigError(f"The 'k' parameter ({k}) exceeds the {X.shape[0]} known majority rows.")
        self.X_ref_, self.y_ref_ = X, y

    def _score(self, X, index):
        _, idx = kneighbors_chunked(X, self.X_ref_, self.k)
        return self.y_ref_[idx].sum(axis=1)


class RBDistScorer(BaseScorer):
    """Score s_i = minus the mean distance to the k nearest known *positive* majority rows."""

    def __init__(self, k=DEFAULT_K):
        self.k = k

    def _fit(self, X, y):
        k = _check_k(self.k)
        positives = X[y == 1]
        if positives.shape[0] == 0:
            raise DataError("rb-dist needs known positive majority rows; there are none.")
        # With fewer positives than k, use them all rather than refuse (10 known rows).
        self.k_ = min(k, positives.shape[0])
        self.X_ref_ = positives

    def _score(self, X, index):
        dist, _ = kneighbors_chunked(X, self.X_ref_, self.k_)
        return -dist.mean(axis=1)
