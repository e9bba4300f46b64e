"""RB-label and RB-dist: rank by the collective's nearest known majority rows."""

from __future__ import annotations

import hashlib
import weakref

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
    """Each training row's neighbours among the known rows *and* among the known positives.

    Collectives for different alphas (and scorers with different k) share most of their
    rows; with the memo each row is searched once per known-majority set, with the largest k
    asked so far, and smaller k are prefixes (neighbours come sorted). One pass of the search
    answers both rb-label (all known rows) and rb-dist (the known positives), and
    :meth:`shared` hands the same memo to every scorer fitted on the same known rows.

    An entry is keyed by the row's index *and* checked against the row's features: scoring
    other rows under an index already seen searches them afresh instead of returning the
    earlier rows' neighbours.

    Parameters
    ----------
    X_ref : ndarray of shape (n_known, n_features)
    y_ref : ndarray of {0, 1} or None
        With labels, the known positive rows are searched in the same pass.
    """

    _live: weakref.WeakValueDictionary = weakref.WeakValueDictionary()

    def __init__(self, X_ref, y_ref=None):
        positive = None if y_ref is None else np.asarray(y_ref) == 1
        self.positive = positive if positive is not None and positive.any() else None
        self.index = NeighborIndex(X_ref, within=self.positive)
        self._rows: dict[int, tuple] = {}

    @classmethod
    def shared(cls, X_ref, y_ref):
        """The live memo for these exact rows and labels, or a new one (kept while in use)."""
        X_ref = np.ascontiguousarray(X_ref, dtype=np.float64)
        y_ref = np.ascontiguousarray(y_ref, dtype=np.int8)
        digest = hashlib.blake2b(memoryview(X_ref).cast("B"), digest_size=16)
        digest.update(memoryview(y_ref).cast("B"))
        key = (X_ref.shape, digest.hexdigest())
        memo = cls._live.get(key)
        if memo is None:
            memo = cls(X_ref, y_ref)
            cls._live[key] = memo
        return memo

    def _search(self, X, k):
        # All rows: at most n_ref of them; positives: at most as many as there are (rb-dist).
        k = min(k, self.index.n_ref)
        if self.positive is None:
            return self.index.kneighbors(X, k)
        (dist, idx), (dist_pos, idx_pos) = self.index.kneighbors_within(X, k)
        return dist, idx, dist_pos, idx_pos

    def _stale(self, row: int, query: np.ndarray, k: int) -> bool:
        hit = self._rows.get(row)
        return hit is None or hit[1] < k or not np.array_equal(hit[0], query)

    def kneighbors(self, X, k, index=None, *, positive=False):
        """(distances, indices) of the k nearest known rows, or known positive rows.

        ``index`` names the query rows (training-row positions) for the memo; without it
        the rows are searched afresh. Among the positives, fewer than k rows give all of them.
        """
        if positive and self.positive is None:
            raise DataError("There are no known positive rows to search.")
        part = 2 if positive else 0
        if index is None:
            found = self._search(X, k)
            return found[part], found[part + 1]
        X = np.asarray(X, dtype=np.float64)
        index = np.asarray(index, dtype=np.intp)
        if index.shape != (X.shape[0],):
            raise DataError(f"The 'index' parameter must hold one row index per row of X "
                            f"({X.shape[0]}). Got shape {index.shape} instead.")
        todo = [i for i, row in enumerate(index.tolist()) if self._stale(row, X[i], k)]
        if todo:
            found = self._search(X[todo], k)
            for j, pos in enumerate(todo):
                # (the query row, k asked, distances, indices, positives' distances, indices)
                self._rows[int(index[pos])] = (X[pos].copy(), k, *(a[j] for a in found))
        rows = [self._rows[row][2:] for row in index.tolist()]
        width = min(k, rows[0][part].size) if rows else k
        dist = np.array([r[part][:width] for r in rows]).reshape(len(rows), width)
        idx = np.array([r[part + 1][:width] for r in rows]).reshape(len(rows), width)
        return dist, idx


class RBLabelScorer(BaseScorer):
    """Score s_i = number of positives among the k nearest known majority rows (Euclidean)."""

    def __init__(self, k=DEFAULT_K):
        self.k = k

    def _fit(self, X, y):
        k = _check_k(self.k)
        if k > X.shape[0]:
            raise ConfigError(f"The 'k' parameter ({k}) exceeds the {X.shape[0]} known majority rows.")
        self.memo_, self.y_ref_ = NeighborMemo.shared(X, y), y

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
        self.n_ref_ = int((y == 1).sum())
        if self.n_ref_ == 0:
            raise DataError("rb-dist needs known positive majority rows; there are none.")
        # The same memo as rb-label's on these rows: one search serves both scorers.
        self.memo_ = NeighborMemo.shared(X, y)

    def _score(self, X, index):
        k = min(_check_k(self.k), self.n_ref_)
        dist, _ = self.memo_.kneighbors(X, k, index, positive=True)
        return -dist.mean(axis=1)
