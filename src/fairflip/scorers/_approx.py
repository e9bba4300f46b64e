"""Approximate k-nearest neighbours (hnswlib's HNSW graphs) whose recall is measured, not assumed.

``neighbors="approx"`` swaps :class:`~fairflip.scorers.NeighborIndex` (exact brute force, the
default) for :class:`ApproxNeighborIndex`: one HNSW graph over the reference rows and one over
the ``within`` rows (rb-dist's known positives), built single-threaded from a seed so the same
seed gives the same graph and the same neighbours (hnswlib's multi-threaded build inserts rows
in a racy order: two such builds differ). Queries run in threads; each query is independent,
so they are reproducible.

Each search checks itself: a seeded sample of the query rows (256 in all over the index's
life) is searched exactly too, and ``recall`` is the share of the exact k neighbours the
approximate search found. A found row as close as the exact k-th counts as found (among
tied rows any is a correct k-th). While the sampled recall is under ``min_recall`` the search
effort ``ef`` is doubled (up to ``max_ef``) and the sample searched again, so the recall is a
floor the search works to, measured on the rows it is reported for.

hnswlib is optional: ``pip install fairflip[approx]``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .._names import NEIGHBOR_MODES
from .._threads import blas_threads
from ..exceptions import ConfigError, DataError
from ._neighbors import NeighborIndex, _as_matrix

__all__ = ["ApproxNeighborIndex", "RecallCheck", "check_neighbors"]

#: The hint in the one-line error when hnswlib is missing.
APPROX_EXTRA = "pip install fairflip[approx]"


def check_neighbors(neighbors) -> str:
    """The neighbour search, ``"exact"`` or ``"approx"``, or a one-line ConfigError.

    Examples
    --------
    >>> check_neighbors("exact")
    'exact'
    """
    if not isinstance(neighbors, str) or neighbors not in NEIGHBOR_MODES:
        raise ConfigError(f"The 'neighbors' parameter must be one of {', '.join(NEIGHBOR_MODES)}. "
                          f"Got {neighbors!r} instead.")
    return neighbors


def _import_hnswlib():
    try:
        import hnswlib
    except ImportError:
        raise ConfigError("The 'neighbors' parameter 'approx' needs hnswlib, which is not "
                          f"installed: {APPROX_EXTRA}") from None
    return hnswlib


@dataclass(frozen=True)
class RecallCheck:
    """Measured recall of an approximate search.

    Attributes
    ----------
    recall : float
        Found share of the exact k nearest rows, over the sampled queries.
    k : int
        Neighbours per query (the largest k searched).
    n_queries : int
        Query rows checked against the exact search.
    ef : int
        hnswlib's search effort in use after the check.
    """

    recall: float
    k: int
    n_queries: int
    ef: int

    def describe(self) -> str:
        """One line for the command line."""
        return (f"neighbour recall@{self.k}: {self.recall:.4f} (approximate search, "
                f"{self.n_queries} sampled queries checked against the exact search; "
                f"hnswlib ef {self.ef})")


class _Graph:
    """One HNSW graph over ``rows`` of the reference set, with its recall tally."""

    def __init__(self, hnswlib, X_rows, rows, *, M, ef_construction, ef, seed):
        self.rows = rows
        self.ef = ef
        self.graph = hnswlib.Index(space="l2", dim=X_rows.shape[1])
        self.graph.init_index(max_elements=max(rows.size, 1), M=M,
                              ef_construction=ef_construction, random_seed=seed)
        # One thread: the insertion order (and so the graph) is then fixed by the seed.
        self.graph.add_items(np.ascontiguousarray(X_rows, dtype=np.float32),
                             np.arange(rows.size), num_threads=1)
        self.hits = self.total = self.n_queries = self.k = 0

    def query(self, Q32, k):
        self.graph.set_ef(max(self.ef, k))
        labels, _ = self.graph.knn_query(Q32, k=k, num_threads=blas_threads())
        return self.rows[labels.astype(np.intp)]

    def check(self):
        if not self.total:
            return None
        return RecallCheck(self.hits / self.total, self.k, self.n_queries, self.ef)


class ApproxNeighborIndex:
    """Reference rows in HNSW graphs (hnswlib), searched approximately with a measured recall.

    Same queries as :class:`~fairflip.scorers.NeighborIndex` (``kneighbors``,
    ``kneighbors_within``); distances are float64, recomputed from the differences for the
    rows found, ascending, equal distances in ascending index order.

    Parameters
    ----------
    X_ref : array-like of shape (n_ref, n_features)
    within : array-like of bool or None
        A subset also searched by :meth:`kneighbors_within` (a graph of its own).
    M, ef_construction : int or None
        hnswlib's graph degree and build effort (None: the class attributes ``M`` and
        ``ef_construction``, see ``benchmarks/README.md`` for how they were chosen).
    ef : int, default=64
        Search effort to start from (at least k); raised while the sampled recall is low.
    min_recall : float, default=0.95
        Recall@k the sampled queries must reach before ``ef`` stops doubling.
    max_ef : int, default=4096
    recall_sample : int, default=256
        Query rows checked against the exact search, over the index's life.
    random_state : int, default=0
        Seed of the graphs' levels and of the recall sample.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> index = ApproxNeighborIndex(rng.normal(size=(500, 4)), random_state=0)
    >>> dist, idx = index.kneighbors(rng.normal(size=(20, 4)), 5)
    >>> dist.shape, index.recall().n_queries
    ((20, 5), 20)
    """

    #: Default graph degree and build effort: at 1,000,000 x 50 (bench_scale) effort 100
    #: reached recall@10 0.95 at ef 2,048 with less work in all than effort 40, which
    #: stopped at the ef cap (0.947).
    M = 16
    ef_construction = 100

    def __init__(self, X_ref, *, within=None, M=None, ef_construction=None, ef=64,
                 min_recall=0.95, max_ef=4096, recall_sample=256, random_state=0):
        hnswlib = _import_hnswlib()
        M = type(self).M if M is None else M
        ef_construction = type(self).ef_construction if ef_construction is None else ef_construction
        self.X_ref = _as_matrix(X_ref, "X_ref")
        n = self.X_ref.shape[0]
        for name, value in (("M", M), ("ef_construction", ef_construction), ("ef", ef),
                            ("max_ef", max_ef), ("recall_sample", recall_sample)):
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
                raise ConfigError(f"The '{name}' parameter must be a positive integer. "
                                  f"Got {value!r} instead.")
        if not 0 <= min_recall <= 1:
            raise ConfigError(f"The 'min_recall' parameter must be in [0, 1]. Got {min_recall!r} "
                              "instead.")
        self.min_recall, self.max_ef = float(min_recall), int(max_ef)
        self._sample_left = int(recall_sample)
        self._rng = np.random.default_rng(random_state)
        # The exact search checks the sample; dropped once the sample is used up.
        self._exact = NeighborIndex(self.X_ref, within=within)
        self.n_within = self._exact.n_within
        build = dict(M=int(M), ef_construction=int(ef_construction), ef=int(ef))
        start = time.perf_counter()
        self._graphs = [_Graph(hnswlib, self.X_ref, np.arange(n), seed=int(random_state), **build)]
        if within is not None and self.n_within:
            rows = np.flatnonzero(np.asarray(within))
            self._graphs.append(_Graph(hnswlib, self.X_ref[rows], rows,
                                       seed=int(random_state) + 1, **build))
        #: Wall seconds the graphs took to build.
        self.build_seconds = time.perf_counter() - start

    @property
    def n_ref(self) -> int:
        return self.X_ref.shape[0]

    def recall(self, *, within=False) -> RecallCheck | None:
        """Recall measured so far over all rows (or the ``within`` rows); None before a search."""
        return self._graphs[1 if within else 0].check()

    def _exact_d(self, Q, idx):
        """Float64 distances of each query to its found rows, computed as the exact index does
        (row pairs, one difference each), so a row both find gets the same distance."""
        diff = np.repeat(Q, idx.shape[1], axis=0) - self.X_ref[idx.ravel()]
        return np.sqrt(np.einsum("ij,ij->i", diff, diff)).reshape(idx.shape)

    def _sorted(self, Q, idx):
        d = np.empty(idx.shape)
        step = max(1, 2**22 // max(idx.shape[1] * Q.shape[1], 1))
        for a in range(0, Q.shape[0], step):
            d[a:a + step] = self._exact_d(Q[a:a + step], idx[a:a + step])
        order = np.lexsort((idx, d), axis=1)
        return np.take_along_axis(d, order, 1), np.take_along_axis(idx, order, 1).astype(np.int64)

    def _check(self, Q, Q32, ks):
        """Search a seeded sample exactly; raise each graph's ef until its recall is reached."""
        n_check = min(self._sample_left, Q.shape[0])
        if n_check == 0:
            return
        self._sample_left -= n_check
        sample = np.sort(self._rng.choice(Q.shape[0], n_check, replace=False))
        if len(ks) == 1:
            exact = [self._exact.kneighbors(Q[sample], ks[0])]
        else:
            exact = list(self._exact.kneighbors_within(Q[sample], ks[0]))
        for graph, k, (exact_d, _) in zip(self._graphs[:len(ks)], ks, exact, strict=True):
            while True:
                found_d, _ = self._sorted(Q[sample], graph.query(Q32[sample], k))
                # A found row as close as the exact k-th is a correct k-th (ties count).
                hits, total = int((found_d <= exact_d[:, -1:]).sum()), n_check * k
                if hits >= self.min_recall * total or graph.ef >= self.max_ef:
                    break
                graph.ef = min(2 * graph.ef, self.max_ef)
            graph.hits += hits
            graph.total += total
            graph.n_queries += n_check
            graph.k = max(graph.k, k)
        if self._sample_left == 0:
            self._exact = None

    def _search(self, X_query, k, parts):
        Q = _as_matrix(X_query, "X_query")
        if Q.shape[1] != self.X_ref.shape[1]:
            raise DataError(f"The 'X_query' parameter must have {self.X_ref.shape[1]} columns "
                            f"like X_ref. Got {Q.shape[1]} instead.")
        if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 1 <= k <= self.n_ref:
            raise ConfigError(f"The 'k' parameter must be an integer in 1..{self.n_ref} (the "
                              f"reference rows). Got {k!r} instead.")
        ks = [min(int(k), graph.rows.size) for graph in self._graphs[:parts]]
        Q32 = np.ascontiguousarray(Q, dtype=np.float32)
        self._check(Q, Q32, ks)
        return [self._sorted(Q, graph.query(Q32, kk))
                for graph, kk in zip(self._graphs[:parts], ks, strict=True)]

    def kneighbors(self, X_query, k):
        """Approximately the ``k`` nearest reference rows: (distances, indices), as the exact index."""
        return self._search(X_query, k, 1)[0]

    def kneighbors_within(self, X_query, k):
        """Approximately the ``k`` nearest of all rows and of the ``within`` rows, as the exact index."""
        if self.n_within == 0:
            raise DataError("The index has no 'within' rows to search.")
        return tuple(self._search(X_query, k, 2))
