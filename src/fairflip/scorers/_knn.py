"""RB-label and RB-dist: rank by the collective's nearest known majority rows."""

from __future__ import annotations

import hashlib
import weakref

import numpy as np

from .._names import DEFAULT_K
from .._seeding import resolve_seed
from ..exceptions import ConfigError, DataError
from ._approx import ApproxNeighborIndex, check_neighbors
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
    earlier rows' neighbours. Entries live in arrays sorted by row index (no per-row Python
    objects: a census-sized collective has 70,000 candidates).

    Parameters
    ----------
    X_ref : ndarray of shape (n_known, n_features)
    y_ref : ndarray of {0, 1} or None
        With labels, the known positive rows are searched in the same pass.
    neighbors : {"exact", "approx"}, default="exact"
        Exact brute force (:class:`NeighborIndex`) or hnswlib's graphs
        (:class:`~fairflip.scorers._approx.ApproxNeighborIndex`, with a measured recall).
    random_state : int, default=0
        Seed of the approximate index (unused by the exact search).
    """

    _live: weakref.WeakValueDictionary = weakref.WeakValueDictionary()

    def __init__(self, X_ref, y_ref=None, *, neighbors="exact", random_state=0):
        positive = None if y_ref is None else np.asarray(y_ref) == 1
        self.positive = positive if positive is not None and positive.any() else None
        self.neighbors = check_neighbors(neighbors)
        if self.neighbors == "exact":
            self.index = NeighborIndex(X_ref, within=self.positive)
        else:
            self.index = ApproxNeighborIndex(X_ref, within=self.positive,
                                             random_state=random_state)
        self.y_ref = None if y_ref is None else np.asarray(y_ref)
        n_pos = 0 if self.positive is None else int(self.positive.sum())
        d = self.index.X_ref.shape[1]
        #: Query rows searched so far (a repeated row is not searched again).
        self.n_searched = 0
        # Sorted row indices; per entry the query row, the k asked, and the neighbours
        # (distances, indices; then the positives') padded to the widest k asked.
        self._keys = np.empty(0, dtype=np.intp)
        self._query = np.empty((0, d))
        self._k = np.empty(0, dtype=np.intp)
        self._found = [np.empty((0, 0)), np.empty((0, 0), dtype=np.int64)] * (
            1 if n_pos == 0 else 2)
        # Rows tied at a k-th distance beyond the neighbours kept: (k, row index) -> (query
        # row's bytes, number of known rows at that distance, positives among them).
        self._ties: dict = {}

    @classmethod
    def shared(cls, X_ref, y_ref, *, neighbors="exact", random_state=0):
        """The live memo for these exact rows and labels, or a new one (kept while in use).

        Exact and approximate searches (and approximate ones of other seeds) never share.
        """
        X_ref = np.ascontiguousarray(X_ref, dtype=np.float64)
        y_ref = np.ascontiguousarray(y_ref, dtype=np.int8)
        # A cheap key (shape, a sample of rows, the labels' hash), then an exact comparison.
        sample = X_ref[:: max(1, X_ref.shape[0] // 64)]
        digest = hashlib.blake2b(memoryview(np.ascontiguousarray(sample)).cast("B"),
                                 digest_size=16)
        digest.update(memoryview(y_ref).cast("B"))
        mode = (check_neighbors(neighbors),) + ((random_state,) if neighbors != "exact" else ())
        key = (X_ref.shape, digest.hexdigest(), *mode)
        memo = cls._live.get(key)
        if memo is None or not (np.array_equal(memo.index.X_ref, X_ref)
                                and np.array_equal(memo.y_ref, y_ref)):
            memo = cls(X_ref, y_ref, neighbors=neighbors, random_state=random_state)
            cls._live[key] = memo
        return memo

    def recall(self, *, positive=False):
        """The approximate search's measured :class:`RecallCheck` (None when exact)."""
        return None if self.neighbors == "exact" else self.index.recall(within=positive)

    def _search(self, X, k):
        # All rows: at most n_ref of them; positives: at most as many as there are (rb-dist).
        k = min(k, self.index.n_ref)
        self.n_searched += X.shape[0]
        if self.positive is None:
            return list(self.index.kneighbors(X, k))
        (dist, idx), (dist_pos, idx_pos) = self.index.kneighbors_within(X, k)
        return [dist, idx, dist_pos, idx_pos]

    def _remember(self, index, X, k, found):
        """Store fresh searches (the last of repeated indices wins), replacing older ones."""
        index, first_reversed = np.unique(index[::-1], return_index=True)
        last = X.shape[0] - 1 - first_reversed
        keep = ~np.isin(self._keys, index)
        width = [max(a.shape[1], b.shape[1]) for a, b in zip(self._found, found, strict=True)]

        def pad(a, w):
            fill = np.inf if a.dtype.kind == "f" else -1
            return np.pad(a, ((0, 0), (0, w - a.shape[1])), constant_values=fill)

        keys = np.r_[self._keys[keep], index]
        order = np.argsort(keys, kind="stable")
        self._keys = keys[order]
        self._query = np.r_[self._query[keep], X[last]][order]
        self._k = np.r_[self._k[keep], np.full(index.size, k)][order]
        self._found = [np.r_[pad(old[keep], w), pad(new[last], w)][order]
                       for old, new, w in zip(self._found, found, width, strict=True)]

    def kneighbors(self, X, k, index=None, *, positive=False):
        """(distances, indices) of the k nearest known rows, or known positive rows.

        ``index`` names the query rows (training-row positions) for the memo; without it
        the rows are searched afresh. Among the positives, fewer than k rows give all of them.
        """
        if positive and self.positive is None:
            raise DataError("There are no known positive rows to search.")
        part = 2 if positive else 0
        width = min(k, self.index.n_ref if not positive else int(self.positive.sum()))
        if index is None:
            found = self._search(X, k)
            return found[part][:, :width], found[part + 1][:, :width]
        X = np.asarray(X, dtype=np.float64)
        index = np.asarray(index, dtype=np.intp)
        if index.shape != (X.shape[0],):
            raise DataError(f"The 'index' parameter must hold one row index per row of X "
                            f"({X.shape[0]}). Got shape {index.shape} instead.")
        slot = np.minimum(np.searchsorted(self._keys, index), max(self._keys.size - 1, 0))
        fresh = np.zeros(index.size, dtype=bool)
        if self._keys.size:
            fresh = (self._keys[slot] == index) & (self._k[slot] >= k)
            fresh &= (self._query[slot] == X).all(axis=1)
        dist = np.empty((index.size, width))
        idx = np.empty((index.size, width), dtype=np.int64)
        if fresh.any():
            dist[fresh] = self._found[part][slot[fresh], :width]
            idx[fresh] = self._found[part + 1][slot[fresh], :width]
        todo = np.flatnonzero(~fresh)
        if todo.size:
            found = self._search(X[todo], k)
            dist[todo], idx[todo] = found[part][:, :width], found[part + 1][:, :width]
            self._remember(index[todo], X[todo], k, found)
        return dist, idx


    def label_counts(self, X, k, index=None):
        """Known positives among each row's k nearest known rows, ties counted fairly.

        Rows strictly nearer than the k-th distance count fully; the ``m`` known rows at
        exactly the k-th distance (tied, some possibly past the k-th place) share the
        remaining slots, each counting ``(k - nearer) / m``. The count never depends on the
        order of the known rows. With the approximate search the count is over the k rows it
        returns (ties are not resolved: the search is approximate anyway).
        """
        if self.y_ref is None:
            raise DataError("The memo has no labels to count.")
        y = (self.y_ref == 1).astype(np.float64)
        n_ref = self.index.n_ref
        if self.neighbors != "exact":
            _, idx = self.kneighbors(X, k, index)
            return y[idx].sum(axis=1)
        wide = min(k + 1, n_ref)
        dist, idx = self.kneighbors(X, wide, index)
        lab = y[idx]
        dk = dist[:, k - 1]
        nearer = dist[:, :k] < dk[:, None]
        c_near, p_near = nearer.sum(axis=1), (lab[:, :k] * nearer).sum(axis=1)
        tied = dist == dk[:, None]
        m, p_tied = tied.sum(axis=1).astype(np.float64), (lab * tied).sum(axis=1)
        if wide > k:  # a tie reaching the (k+1)-th place may reach further: count it all
            edge = np.flatnonzero(dist[:, k] == dk)
            if edge.size:
                m[edge], p_tied[edge] = self._tied(np.asarray(X, dtype=np.float64)[edge],
                                                   dk[edge], None if index is None
                                                   else np.asarray(index)[edge], k)
        return p_near + (k - c_near) * p_tied / m

    def _tied(self, X, radius, index, k):
        """(tied rows, positives among them) at ``radius``, remembered per (k, row)."""
        m = np.empty(X.shape[0])
        p = np.empty(X.shape[0])
        todo = []
        for i in range(X.shape[0]):
            hit = None if index is None else self._ties.get((k, int(index[i])))
            if hit is not None and hit[0] == X[i].tobytes():
                m[i], p[i] = hit[1], hit[2]
            else:
                todo.append(i)
        if todo:
            todo = np.asarray(todo)
            counts, pos = self.index.tied_at(X[todo], radius[todo], labels=self.y_ref)
            m[todo], p[todo] = counts, pos
            if index is not None:
                for i, c, q in zip(todo, counts, pos, strict=True):
                    self._ties[(k, int(index[i]))] = (X[i].tobytes(), int(c), int(q))
        return m, p


class _KNNScorer(BaseScorer):
    """A scorer on the shared neighbour memo; ``neighbors`` picks the search.

    Parameters
    ----------
    k : int, default=10
    neighbors : {"exact", "approx"}, default="exact"
        Exact brute force, or hnswlib's approximate graphs (``pip install fairflip[approx]``),
        whose recall is measured on a sample of queries (:attr:`neighbor_recall_`).
    random_state : int, RandomState or None
        Seed of the approximate index (unused by the exact search).
    """

    deterministic = True
    _positive = False  # which of the memo's searches the score reads

    def __init__(self, k=DEFAULT_K, *, neighbors="exact", random_state=0):
        self.k = k
        self.neighbors = neighbors
        self.random_state = random_state

    def _memo(self, X, y):
        neighbors = check_neighbors(self.neighbors)
        seed = 0 if neighbors == "exact" else resolve_seed(self.random_state)
        return NeighborMemo.shared(X, y, neighbors=neighbors, random_state=seed)

    @property
    def neighbor_recall_(self):
        """The approximate search's measured recall so far (:class:`RecallCheck`); None when
        exact or before any search."""
        return self.memo_.recall(positive=self._positive)


class RBLabelScorer(_KNNScorer):
    """Score s_i = number of positives among the k nearest known majority rows (Euclidean).

    Ties are counted fairly: known rows at exactly the k-th distance share the slots left
    after the nearer rows (fractional counts), so the score never depends on the order of
    the rows (exact search; the approximate search counts the k rows it returns). Version 2:
    version 1 broke ties at the k-th distance by row index.
    """

    algorithm_version = 2

    def _fit(self, X, y):
        k = _check_k(self.k)
        if k > X.shape[0]:
            raise ConfigError(f"The 'k' parameter ({k}) exceeds the {X.shape[0]} known majority rows.")
        self.memo_, self.y_ref_ = self._memo(X, y), y

    def _score(self, X, index):
        k = _check_k(self.k)
        if k > self.y_ref_.size:
            raise ConfigError(f"The 'k' parameter ({k}) exceeds the {self.y_ref_.size} known majority rows.")
        return self.memo_.label_counts(X, k, index)


class RBDistScorer(_KNNScorer):
    """Score s_i = minus the mean distance to the k nearest known *positive* majority rows.

    With fewer known positives than k (say 10 known rows), all of them are used.
    """

    _positive = True

    def _fit(self, X, y):
        _check_k(self.k)
        self.n_ref_ = int((y == 1).sum())
        if self.n_ref_ == 0:
            raise DataError("rb-dist needs known positive majority rows; there are none.")
        # The same memo as rb-label's on these rows: one search serves both scorers.
        self.memo_ = self._memo(X, y)

    def _score(self, X, index):
        k = min(_check_k(self.k), self.n_ref_)
        dist, _ = self.memo_.kneighbors(X, k, index, positive=True)
        return -dist.mean(axis=1)
