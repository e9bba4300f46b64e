"""RB-label and RB-dist: rank by the collective's nearest known majority rows."""

from __future__ import annotations

import numpy as np

from .._names import DEFAULT_K
from ..exceptions import ConfigError, DataError
from ._base import BaseScorer
from ._neighbors import NeighborIndex

__all__ = ["DEFAULT_K", "NeighborMemo", "RBDistScorer", "RBLabelScorer"]



def _check_k(k) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ConfigError(f"The 'k' parameter must be a positive integer. Got {k!r} instead.")
    return int(k)


class NeighborMemo:
    """A neighbour index that remembers each training row's neighbours once searched.

    Collectives for different alphas (and scorers with different k) share most of their
    rows; with the memo each row is searched once per known-majority set, with the
    largest k asked so far, and smaller k are prefixes (neighbours come sorted).

    An entry is keyed by the row's index *and* checked against the row's features: scoring
    other rows under an index already seen searches them afresh instead of returning the
    earlier rows' neighbours.
    """

    def __init__(self, X_ref):
        self.index = NeighborIndex(X_ref)
        # row index -> (the query row, distances, neighbour positions)
        self._rows: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def _stale(self, row: int, query: np.ndarray, k: int) -> bool:
        hit = self._rows.get(row)
        return hit is None or hit[1].size < k or not np.array_equal(hit[0], query)

    def kneighbors(self, X, k, index=None):
        if index is None:
            return self.index.kneighbors(X, k)
        X = np.asarray(X, dtype=np.float64)
        index = np.asarray(index, dtype=np.intp)
        if index.shape != (X.shape[0],):
            raise DataError(f"The 'index' parameter must hold one row index per row of X "
                            f"({X.shape[0]}). Got shape {index.shape} instead.")
        todo = [i for i, row in enumerate(index.tolist()) if self._stale(row, X[i], k)]
        if todo:
            dist, idx = self.index.kneighbors(X[todo], k)
            for pos, d, j in zip(todo, dist, idx, strict=True):
                self._rows[int(index[pos])] = (X[pos].copy(), d, j)
        rows = [self._rows[row][1:] for row in index.tolist()]
        dist = np.array([d[:k] for d, _ in rows]).reshape(len(rows), k)
        idx = np.array([j[:k] for _, j in rows]).reshape(len(rows), k)
        return dist, idx


class RBLabelScorer(BaseScorer):
    """Score s_i = number of positives among the k nearest known majority rows (Euclidean)."""

    def __init__(self, k=DEFAULT_K):
        self.k = k

    def _fit(self, X, y):
        k = _check_k(self.k)
        if k > X.shape[0]:
            raise ConfigError(f"The 'k' parameter ({k}) exceeds the {X.shape[0]} known majority rows.")
        self.memo_, self.y_ref_ = NeighborMemo(X), y

    def _score(self, X, index):
        k = _check_k(self.k)
        if k > self.y_ref_.size:
            raise ConfigError(f"The 'k' parameter ({k}) exceeds the {self.y_ref_.size} known majority rows.")
        _, idx = self.memo_.kneighbors(X, k, index)
        return self.y_ref_[idx].sum(axis=1)


class RBDistScorer(BaseScorer):
    """Score s_i = minus the mean distance to the k nearest known *positive* majority rows.

    With fewer known positives than k (say 10 known rows), all of them are used.
    """

    def __init__(self, k=DEFAULT_K):
        self.k = k

    def _fit(self, X, y):
        _check_k(self.k)
        positives = X[y == 1]
        if positives.shape[0] == 0:
            raise DataError("rb-dist needs known positive majority rows; there are none.")
        self.n_ref_ = positives.shape[0]
        self.memo_ = NeighborMemo(positives)

    def _score(self, X, index):
        dist, _ = self.memo_.kneighbors(X, min(_check_k(self.k), self.n_ref_), index)
        return -dist.mean(axis=1)
