"""Brute-force Euclidean k-nearest neighbours by matrix products, chunked over queries.

On one-hot data a matrix-product search beats tree searches by an order of magnitude (the
trees degrade in many dimensions), and chunking the queries keeps memory bounded however
many rows there are. One :class:`NeighborIndex` over the reference rows serves every query
set and every k: query once with the largest k and slice ``[:, :k]`` for smaller ones
(neighbours come sorted).
"""

from __future__ import annotations

import numpy as np

from ..exceptions import ConfigError, DataError

__all__ = ["NeighborIndex", "kneighbors_chunked"]


def _as_matrix(X, name):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise DataError(f"The '{name}' parameter must be a 2-D array. "
                        f"Got shape {X.shape} instead.")
    if not np.isfinite(X).all():
        raise DataError(f"The '{name}' parameter must be finite. Got NaN or inf instead.")
    return X


class NeighborIndex:
    """Reference rows and their squared norms, ready for many k-nearest-neighbour queries.

    Parameters
    ----------
    X_ref : array-like of shape (n_ref, n_features)
        The rows searched (for example the majority rows a collective knows).
    max_memory_mb : float, default=512
        Bound on the working memory of one query chunk (the distance block and its
        temporaries), which sets the chunk size unless a query passes ``chunk_size``.

    Notes
    -----
    Candidates are selected by ``||r||^2 - 2 q.r`` (one matrix product per chunk),
    then the k reported distances are recomputed as ``||q - r||`` in float64. Ties (equal
    distances) go to the smaller reference index. Rows whose distances differ by less than
    the product's rounding (about ``1e-16 * (||q||^2 + ||r||^2)``) at the k-th place may be
    chosen differently from an exact search.

    Examples
    --------
    >>> import numpy as np
    >>> index = NeighborIndex(np.array([[0.0], [1.0], [3.0]]))
    >>> dist, idx = index.kneighbors(np.array([[0.9]]), 2)
    >>> idx.tolist(), np.round(dist, 6).tolist()
    ([[1, 0]], [[0.1, 0.9]])
    """

    def __init__(self, X_ref, *, max_memory_mb=512):
        self.X_ref = _as_matrix(X_ref, "X_ref")
        if not (isinstance(max_memory_mb, int | float) and max_memory_mb > 0):
            raise ConfigError("The 'max_memory_mb' parameter must be a positive number. "
                              f"Got {max_memory_mb!r} instead.")
        self.max_memory_mb = float(max_memory_mb)
        self.ref_sq = np.einsum("ij,ij->i", self.X_ref, self.X_ref)

    @property
    def n_ref(self) -> int:
        return self.X_ref.shape[0]

    def _chunk_rows(self, k):
        # Per query row: the distance row (8 n_ref bytes), the comparison mask (n_ref), the
        # sampled bound and the k-sized outputs and differences.
        per_row = 10 * self.n_ref + 8 * k * (self.X_ref.shape[1] + 8) + 64
        return max(1, int(self.max_memory_mb * 2**20 // per_row))

    def kneighbors(self, X_query, k, *, chunk_size=None):
        """The ``k`` nearest reference rows of every query row.

        Parameters
        ----------
        X_query : array-like of shape (n_query, n_features)
        k : int
            Neighbours per query, ``1 <= k <= n_ref``.
        chunk_size : int or None
            Query rows per chunk; by default as many as ``max_memory_mb`` allows.

        Returns
        -------
        distances : ndarray of shape (n_query, k)
            Euclidean distances, ascending along each row.
        indices : ndarray of int64, shape (n_query, k)
            Row numbers in ``X_ref``; equal distances in ascending index order.
        """
        Xq = _as_matrix(X_query, "X_query")
        if Xq.shape[1] != self.X_ref.shape[1]:
            raise DataError(f"The 'X_query' parameter must have {self.X_ref.shape[1]} columns "
                            f"like X_ref. Got {Xq.shape[1]} instead.")
        if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 1 <= k <= self.n_ref:
            raise ConfigError(f"The 'k' parameter must be an integer in 1..{self.n_ref} (the "
                              f"reference rows). Got {k!r} instead.")
        k = int(k)
        if chunk_size is None:
            chunk_size = self._chunk_rows(k)
        elif isinstance(chunk_size, bool) or not isinstance(chunk_size, int | np.integer) \
                or chunk_size < 1:
            raise ConfigError("The 'chunk_size' parameter must be a positive integer. "
                              f"Got {chunk_size!r} instead.")
        nq = Xq.shape[0]
        dist = np.empty((nq, k))
        idx = np.empty((nq, k), dtype=np.int64)
        for start in range(0, nq, int(chunk_size)):
            stop = min(start + int(chunk_size), nq)
            dist[start:stop], idx[start:stop] = self._block(Xq[start:stop], k)
        return dist, idx

    def _block(self, Q, k):
        # ||q - r||^2 up to the per-query constant ||q||^2, which does not change the order.
        D2 = (-2.0 * Q) @ self.X_ref.T
        D2 += self.ref_sq
        n_ref = self.n_ref
        # The k-th smallest value over a strided sample of the columns bounds the k-th
        # smallest over all of them from above: only entries under that bound can be
        # neighbours, so one comparison pass replaces a selection over every entry.
        stride = max(1, n_ref // max(4 * k, 2048))
        sample = D2[:, ::stride]
        bound = np.partition(sample, k - 1, axis=1)[:, k - 1:k]
        rows, cols = np.nonzero(D2 <= bound)
        vals = D2[rows, cols]
        # Per query: ascending value, then ascending index; lexsort's last key is primary.
        order = np.lexsort((cols, vals, rows))
        rows, cols = rows[order], cols[order]
        starts = np.searchsorted(rows, np.arange(Q.shape[0]))
        part = cols[starts[:, None] + np.arange(k)]
        # The product only selects; the reported distances are recomputed from the
        # differences, which is more accurate and does not depend on how BLAS summed a
        # chunk (results are identical for every chunking).
        diff = Q[:, None, :] - self.X_ref[part]
        d = np.einsum("ijk,ijk->ij", diff, diff)
        order = np.lexsort((part, d), axis=1)
        part = np.take_along_axis(part, order, axis=1)
        d = np.take_along_axis(d, order, axis=1)
        np.sqrt(d, out=d)
        return d, part.astype(np.int64)


def kneighbors_chunked(X_query, X_ref, k, *, chunk_size=None, max_memory_mb=512):
    """Brute-force Euclidean k-nearest neighbours of every query row among ``X_ref``.

    Shorthand for ``NeighborIndex(X_ref, max_memory_mb=...).kneighbors(X_query, k, ...)``;
    build the index once when querying the same reference rows again.

    Parameters
    ----------
    X_query : array-like of shape (n_query, n_features)
    X_ref : array-like of shape (n_ref, n_features)
    k : int
        ``1 <= k <= n_ref``, else :class:`~fairflip.exceptions.ConfigError`.
    chunk_size : int or None
        Query rows per chunk (default: as many as ``max_memory_mb`` allows).
    max_memory_mb : float, default=512
        Bound on one chunk's working memory.

    Returns
    -------
    distances : ndarray of shape (n_query, k), ascending along each row
    indices : ndarray of int64, shape (n_query, k); ties go to the smaller index

    Examples
    --------
    >>> import numpy as np
    >>> dist, idx = kneighbors_chunked(np.array([[0.0]]), np.array([[2.0], [1.0], [1.0]]), 2)
    >>> idx.tolist(), dist.tolist()
    ([[1, 2]], [[1.0, 1.0]])
    """
    return NeighborIndex(X_ref, max_memory_mb=max_memory_mb).kneighbors(
        X_query, k, chunk_size=chunk_size)
