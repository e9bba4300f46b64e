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
    Distances are ``sqrt(max(||q||^2 - 2 q.r + ||r||^2, 0))`` in float64: exact up to
    rounding of order ``1e-8 * (||q|| + ||r||)``. Ties (equal computed distances) go to the
    smaller reference index. Rows closer than that rounding may swap order compared with an
    exact search.

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
        # Per query row: the distance row (8 n_ref bytes), argpartition's index row
        # (8 n_ref) and a float temporary (8 n_ref), plus the k-sized outputs.
        per_row = 24 * self.n_ref + 32 * k + 64
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
        D2 = Q @ self.X_ref.T
        D2 *= -2.0
        D2 += self.ref_sq
        D2 += np.einsum("ij,ij->i", Q, Q)[:, None]
        np.maximum(D2, 0.0, out=D2)
        n_ref = self.n_ref
        if k < n_ref:
            part = np.argpartition(D2, k - 1, axis=1)[:, :k]
            sel = np.take_along_axis(D2, part, axis=1)
            kth = sel.max(axis=1, keepdims=True)
            # argpartition breaks ties at the k-th distance arbitrarily: where rows tied with
            # the k-th value were left out, choose again so the smaller indices win.
            tied = (D2 == kth).sum(axis=1) > (sel == kth).sum(axis=1)
            for i in np.flatnonzero(tied):
                part[i] = np.lexsort((np.arange(n_ref), D2[i]))[:k]
        else:
            part = np.broadcast_to(np.arange(n_ref), D2.shape).copy()
        d = np.take_along_axis(D2, part, axis=1)
        # Sort by distance, then by index: lexsort's last key is the primary one.
        order = np.lexsort((part, d), axis=1)
        part = np.take_along_axis(part, order, axis=1)
        d = np.take_along_axis(d, order, axis=1)
        np.sqrt(d, out=d)
        return d, part


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
