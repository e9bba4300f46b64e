"""Exact brute-force Euclidean k-nearest neighbours: float32 matrix products, float64 answers.

On one-hot data a matrix-product search beats tree searches by an order of magnitude (the
trees degrade in many dimensions). The search here is built for census-sized reference sets
(a million rows) in bounded memory:

- **float32 products, exact answers.** Candidates are selected from ``||r||^2 - 2 q.r`` computed
  in float32 (one BLAS product per tile, twice the speed of float64), on data centred at the
  reference mean (smaller norms, smaller rounding). Every selected candidate's distance is then
  recomputed in float64 from the differences, and a proven bound on the float32 rounding
  (:func:`_rounding_bound`) decides whether anything outside the candidates could still beat or
  tie the k-th: if so, that query is searched again with a threshold that keeps every such row.
  The answer is the exact k smallest float64 distances, ties to the smaller index.
- **Bounded tiles, no full selection.** Reference rows are scanned in tiles of a few thousand
  columns; each tile's product stays in cache and is reduced at once. A running threshold per
  query (the k-th smallest float32 score kept so far plus twice the rounding bound) keeps only
  the few rows that can still be neighbours; only pieces of 16 rows whose minimum is under it
  are looked into, and nothing of size ``n_query x n_ref`` is ever held.
- **One pass, two answers.** An index built with ``within=mask`` answers the k nearest rows
  overall *and* among that subset (rb-dist's known positives inside rb-label's known rows)
  from the same products (:meth:`NeighborIndex.kneighbors_within`).
"""

from __future__ import annotations

import numpy as np

from .._threads import map_threads
from ..exceptions import ConfigError, DataError

__all__ = ["NeighborIndex", "kneighbors_chunked"]

_U32 = float(np.finfo(np.float32).eps) / 2  # unit roundoff of float32
_U64 = float(np.finfo(np.float64).eps) / 2


def _as_matrix(X, name):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise DataError(f"The '{name}' parameter must be a 2-D array. "
                        f"Got shape {X.shape} instead.")
    if not np.isfinite(X).all():
        raise DataError(f"The '{name}' parameter must be finite. Got NaN or inf instead.")
    return X


def _rounding_bound(q_norm, r_max, n_features, offset_sq):
    """Largest possible difference between the float32 score and the exact one.

    The float32 score of a centred reference row r for a centred query q is one dot product of
    length d + 1, ``fl([-2 q32, 1] . [r32, fl32(|r32|^2)])``; the exact score is
    ``|q - r|^2 - |q|^2 = |r|^2 - 2 q.r``. Rounding the inputs to float32 moves it by at most
    ``(4u + 2u^2)|q||r| + (3u + u^2)|r|^2``; the dot product (any summation order, with or
    without FMA) by ``gamma_{d+1} (2|q||r| + |r|^2)``. The factor 1.5 covers the second-order
    terms; the float64 term covers the recomputed distances (about ``d`` roundings of
    ``|q - r|^2`` before centring).
    """
    gamma = (n_features + 1) * _U32 / (1 - (n_features + 1) * _U32)
    first = (2 * gamma + 4 * _U32) * q_norm * r_max + (gamma + 3 * _U32) * r_max**2
    exact = 4 * (n_features + 4) * _U64 * (q_norm + r_max + np.sqrt(offset_sq)) ** 2
    return 1.5 * first + exact


def _nonzero(mask):
    """(rows, columns) of a 2-D mask's true entries in row-major order.

    Same as ``np.nonzero(mask)``, measured 10x faster on (256, 256) masks (numpy 2.4).
    """
    flat = np.flatnonzero(mask)
    return np.divmod(flat, mask.shape[1])


def _piece_minima(T, piece):
    """Minima of a tile's pieces: piece j is columns j, j + P, ..., j + (piece - 1) P.

    The minimum over the middle axis of a (n, piece, P) view is one vectorised pass (contiguous
    pieces would reduce along rows of 16, several times slower). None unless piece divides the
    tile's width.
    """
    n, width = T.shape
    if width % piece:
        return None
    return T.reshape(n, piece, width // piece).min(axis=1)


def _tiles(bounds, width, piece):
    """(lo, hi) tiles of at most ``width`` rows covering each segment between ``bounds``.

    Tiles never straddle a bound (a selector's range is whole tiles, so every selector of a
    tile shares its piece minima), and a tile's width is a multiple of ``piece`` except the
    remainder of each segment, a tile of its own.
    """
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        for lo in range(a, b, width):
            hi = min(lo + width, b)
            cut = lo + (hi - lo) // piece * piece
            if lo < cut:
                yield lo, cut
            if cut < hi:
                yield cut, hi


class _Selector:
    """Running top-k threshold and kept rows for one query block and one range of reference rows.

    ``best`` holds each query's k smallest float32 scores kept so far (k distinct reference
    rows), so the k-th smallest score overall is at most ``best.max()``. A row can only be
    among the k nearest if its float32 score is at most that plus twice the rounding bound
    (``margin``): ``tau``, which only shrinks. Each tile is cut into pieces of 16 rows; only
    pieces whose minimum is under ``tau`` are looked into.
    """

    piece = 16  # reference rows per piece (measured best of 8, 16, 32, 64)

    def __init__(self, k, lo, hi, margin):
        n = margin.size
        self.k, self.lo, self.hi = k, lo, hi  # the rows searched: internal positions lo..hi-1
        self.margin = margin
        self.best = np.full((n, k), np.inf, dtype=np.float32)
        self.tau = np.full(n, np.inf, dtype=np.float32)
        self.rows, self.cols, self._vals = [], [], []

    def _lower_tau(self, kth, rows=slice(None)):
        # kth + margin, rounded up to float32 (never down)
        tau = np.nextafter((kth.astype(np.float64) + self.margin[rows]).astype(np.float32),
                           np.float32(np.inf))
        np.minimum(self.tau[rows], tau, out=tau)
        self.tau[rows] = tau

    def add(self, T, col0, piece_min):
        """Reduce one tile of float32 scores whose column j is internal position col0 + j.

        ``piece_min`` is the tile's :func:`_piece_minima` (None for a tile of other width).
        """
        n, width = T.shape
        L, k = self.piece, self.k
        P = 0 if piece_min is None else piece_min.shape[1]
        if np.isinf(self.tau[0]) and k <= width:
            # The first tile: k distinct rows score at most its k-th smallest (piece minimum).
            src = piece_min if P >= k else T
            self._lower_tau(np.partition(src, k - 1, axis=1)[:, k - 1])
        tau = self.tau[:, None]
        if P:
            hit = piece_min <= tau
            n_hit = np.count_nonzero(hit)
            if n_hit == 0:
                return
        if not P or n_hit * 4 > hit.size:  # many pieces: the whole tile
            r, c = _nonzero(T <= tau)
            vals = T[r, c]
        else:  # look into the pieces under the threshold only
            r, p = _nonzero(hit)
            vals = T.reshape(n, L, P)[r, :, p]  # (pairs, L): piece p of row r
            i, j = _nonzero(vals <= tau[r])
            r, c, vals = r[i], p[i] + P * j, vals[i, j]
        if r.size == 0:
            return
        self.rows.append(r)
        self.cols.append(c + col0)
        self._vals.append(vals)
        # Merge into the running k smallest (r is sorted: _nonzero walks row-major).
        counts = np.bincount(r, minlength=n)
        todo = np.flatnonzero(counts)
        starts = np.cumsum(counts) - counts
        slot = np.cumsum(counts > 0) - 1  # row -> its line in buf
        buf = np.full((todo.size, k + counts.max()), np.inf, dtype=np.float32)
        buf[:, :k] = self.best[todo]
        buf[slot[r], k + np.arange(r.size) - starts[r]] = vals
        best = np.partition(buf, k - 1, axis=1)[:, :k] if buf.shape[1] > k else buf
        self.best[todo] = best
        self._lower_tau(best.max(axis=1), todo)

    def kept(self):
        """(rows, internal positions) of the kept rows that can be among the k nearest.

        ``v_k``, a query's final k-th smallest kept score, bounds the k-th smallest exactly up
        to the rounding bound: a row scoring more than ``v_k + 2 bound`` (``tau``) in float32 is
        exactly farther than k others.
        """
        if not self.rows:
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
        rows, cols, vals = (np.concatenate(a) for a in (self.rows, self.cols, self._vals))
        keep = vals <= self.tau[rows]  # tau: v_k + 2 bound rounded up, v_k the final one
        return rows[keep], cols[keep]


class NeighborIndex:
    """Reference rows, ready for many exact k-nearest-neighbour queries.

    Parameters
    ----------
    X_ref : array-like of shape (n_ref, n_features)
        The rows searched (for example the majority rows a collective knows).
    within : array-like of bool, shape (n_ref,), or None
        A subset of the reference rows that :meth:`kneighbors_within` also searches, in the
        same pass (rb-dist's known positives among rb-label's known rows).
    max_memory_mb : float, default=256
        Bound on the working memory of one query block (its tiles of scores, its kept rows
        and their differences), which sets the block size unless a query passes
        ``chunk_size``.

    Notes
    -----
    Distances are the float64 Euclidean distances recomputed from the differences; the k
    returned are the exact k smallest of them, equal distances in ascending index order (see
    the module notes for how float32 products select them without changing the answer).

    Examples
    --------
    >>> import numpy as np
    >>> index = NeighborIndex(np.array([[0.0], [1.0], [3.0]]))
    >>> dist, idx = index.kneighbors(np.array([[0.9]]), 2)
    >>> idx.tolist(), np.round(dist, 6).tolist()
    ([[1, 0]], [[0.1, 0.9]])
    """

    #: Reference rows per tile: a query block's tile of float32 scores stays in cache.
    tile_columns = 4096
    #: Query rows per block by default (fewer when ``max_memory_mb`` is small).
    block_rows = 256

    def __init__(self, X_ref, *, within=None, max_memory_mb=256):
        self.X_ref = _as_matrix(X_ref, "X_ref")
        if isinstance(max_memory_mb, bool) or not (
                isinstance(max_memory_mb, int | float) and max_memory_mb > 0):
            raise ConfigError("The 'max_memory_mb' parameter must be a positive number. "
                              f"Got {max_memory_mb!r} instead.")
        self.max_memory_mb = float(max_memory_mb)
        n, d = self.X_ref.shape
        if within is None:
            self.order_ = np.arange(n)
            self.n_within = 0
        else:
            within = np.asarray(within)
            if within.shape != (n,) or within.dtype != bool:
                raise DataError(f"The 'within' parameter must be {n} booleans (one per "
                                f"reference row). Got shape {within.shape}, {within.dtype} "
                                "instead.")
            # The subset's rows last, so every tile holds them as one contiguous slice.
            self.order_ = np.r_[np.flatnonzero(~within), np.flatnonzero(within)]
            self.n_within = int(within.sum())
        self.center_ = self.X_ref.mean(axis=0) if n else np.zeros(d)
        # Rows [x - center, |x - center|^2] in float32, in `order_`, built in pieces: one
        # product per tile gives |r|^2 - 2 q.r, with no float64 copy of the reference set.
        self._ref32 = np.empty((n, d + 1), dtype=np.float32)
        sq_max = 0.0
        for a in range(0, n, 65536):
            piece = self._ref32[a:a + 65536]
            np.subtract(self.X_ref[self.order_[a:a + 65536]], self.center_, out=piece[:, :d],
                        casting="same_kind")
            sq = np.einsum("ij,ij->i", piece[:, :d], piece[:, :d], dtype=np.float64)
            piece[:, d] = sq
            sq_max = max(sq_max, float(sq.max()))
        self._r_max = float(np.sqrt(sq_max))
        self._offset_sq = float(self.center_ @ self.center_)

    @property
    def n_ref(self) -> int:
        return self.X_ref.shape[0]

    def _chunk_rows(self, k):
        # Per query row: one float32 score tile with its comparison masks and gathered
        # pieces, the running k smallest, and the kept rows with their float64 differences.
        d = self.X_ref.shape[1]
        per_row = 14 * min(self.tile_columns, max(self.n_ref, 1)) + 4 * (k + 8) * (8 * d + 64)
        return max(1, min(self.block_rows, int(self.max_memory_mb * 2**20 // per_row)))

    def _check_query(self, X_query, k, chunk_size, n_rows):
        Xq = _as_matrix(X_query, "X_query")
        if Xq.shape[1] != self.X_ref.shape[1]:
            raise DataError(f"The 'X_query' parameter must have {self.X_ref.shape[1]} columns "
                            f"like X_ref. Got {Xq.shape[1]} instead.")
        if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 1 <= k <= n_rows:
            raise ConfigError(f"The 'k' parameter must be an integer in 1..{n_rows} (the "
                              f"reference rows). Got {k!r} instead.")
        if chunk_size is None:
            chunk_size = self._chunk_rows(int(k))
        elif isinstance(chunk_size, bool) or not isinstance(chunk_size, int | np.integer) \
                or chunk_size < 1:
            raise ConfigError("The 'chunk_size' parameter must be a positive integer. "
                              f"Got {chunk_size!r} instead.")
        return Xq, int(k), int(chunk_size)

    def kneighbors(self, X_query, k, *, chunk_size=None):
        """The ``k`` nearest reference rows of every query row.

        Parameters
        ----------
        X_query : array-like of shape (n_query, n_features)
        k : int
            Neighbours per query, ``1 <= k <= n_ref``.
        chunk_size : int or None
            Query rows per block; by default as many as ``max_memory_mb`` allows.

        Returns
        -------
        distances : ndarray of shape (n_query, k)
            Euclidean distances, ascending along each row.
        indices : ndarray of int64, shape (n_query, k)
            Row numbers in ``X_ref``; equal distances in ascending index order.
        """
        Xq, k, chunk = self._check_query(X_query, k, chunk_size, self.n_ref)
        return self._search(Xq, [(k, 0, self.n_ref)], chunk)[0]

    def kneighbors_within(self, X_query, k, *, chunk_size=None):
        """The ``k`` nearest of all reference rows and among the ``within`` rows, in one pass.

        Returns ``(distances, indices)`` over all rows and ``(distances, indices)`` over the
        ``within`` rows, the latter with ``min(k, n_within)`` columns; indices number rows of
        ``X_ref`` in both.
        """
        if self.n_within == 0:
            raise DataError("The index has no 'within' rows to search.")
        Xq, k, chunk = self._check_query(X_query, k, chunk_size, self.n_ref)
        lo = self.n_ref - self.n_within
        return tuple(self._search(Xq, [(k, 0, self.n_ref), (min(k, self.n_within), lo,
                                                            self.n_ref)], chunk))

    def tied_at(self, X_query, radius, *, labels=None, chunk_size=None):
        """Per query row, how many reference rows lie at exactly distance ``radius[i]``, and
        how many of them have ``labels == 1``.

        Distances are the float64 ones :meth:`kneighbors` returns (recomputed from the
        differences), so ``radius`` taken from its answer (say the k-th distance) counts every
        row tied with it, also those past the k returned. Reference rows are scanned in tiles
        with the same float32 pre-selection and rounding bound as the search, so memory stays
        bounded on a million reference rows.

        Returns
        -------
        counts : ndarray of int64, shape (n_query,)
        positives : ndarray of int64, shape (n_query,) (zeros without ``labels``)

        Examples
        --------
        >>> index = NeighborIndex(np.array([[0.0], [1.0], [-1.0], [1.0], [3.0]]))
        >>> counts, pos = index.tied_at(np.array([[0.0]]), np.array([1.0]),
        ...                             labels=np.array([0, 1, 0, 1, 1]))
        >>> counts.tolist(), pos.tolist()
        ([3], [2])
        """
        Xq = _as_matrix(X_query, "X_query")
        if Xq.shape[1] != self.X_ref.shape[1]:
            raise DataError(f"The 'X_query' parameter must have {self.X_ref.shape[1]} columns "
                            f"like X_ref. Got {Xq.shape[1]} instead.")
        radius = np.asarray(radius, dtype=np.float64).reshape(-1)
        if radius.shape != (Xq.shape[0],):
            raise DataError(f"The 'radius' parameter must hold one distance per query row "
                            f"({Xq.shape[0]}). Got shape {radius.shape} instead.")
        positive = None if labels is None else (np.asarray(labels) == 1)
        n = Xq.shape[0]
        counts = np.zeros(n, dtype=np.int64)
        pos = np.zeros(n, dtype=np.int64)
        chunk = int(chunk_size) if chunk_size else self._chunk_rows(1)
        for start in range(0, n, chunk):
            stop = min(start + chunk, n)
            Q, r = Xq[start:stop], radius[start:stop]
            q32, bound = self._scores(Q)
            qc = Q - self.center_
            # Exact score of a row at distance r: r^2 - |q - center|^2; float32 scores are
            # within the bound of it (see _finish), so nothing at distance r is left out.
            limit = r * r - np.einsum("ij,ij->i", qc, qc) + 2 * bound
            lim = (limit + np.abs(limit) * 2.0**-20).astype(np.float32)[:, None]
            for lo in range(0, self.n_ref, self.tile_columns):
                hi = min(lo + self.tile_columns, self.n_ref)
                rows, j = _nonzero(q32 @ self._ref32[lo:hi].T <= lim)
                if rows.size == 0:
                    continue
                cols = self.order_[lo + j]
                hit = np.sqrt(self._exact_sq(Q, rows, cols)) == r[rows]
                counts[start:stop] += np.bincount(rows[hit], minlength=stop - start)
                if positive is not None:
                    both = hit & positive[cols]
                    pos[start:stop] += np.bincount(rows[both], minlength=stop - start)
        return counts, pos

    def _search(self, Xq, ranges, chunk):
        nq = Xq.shape[0]
        out = [(np.empty((nq, kk)), np.empty((nq, kk), dtype=np.int64)) for kk, _, _ in ranges]

        def run(start):
            stop = min(start + chunk, nq)
            for (dist, idx), (d, i) in zip(out, self._block(Xq[start:stop], ranges), strict=True):
                dist[start:stop], idx[start:stop] = d, i

        # Query blocks in parallel threads, each with a single-threaded BLAS.
        map_threads(run, range(0, nq, chunk))
        return out

    def _scores(self, Q):
        """[-2 (q - center), 1] in float32 and the rounding bound of each query row."""
        q32 = np.empty((Q.shape[0], Q.shape[1] + 1), dtype=np.float32)
        np.subtract(Q, self.center_, out=q32[:, :-1], casting="same_kind")
        q_norm = np.sqrt(np.einsum("ij,ij->i", q32[:, :-1], q32[:, :-1], dtype=np.float64))
        q32[:, :-1] *= -2.0
        q32[:, -1] = 1.0
        return q32, _rounding_bound(q_norm, self._r_max, Q.shape[1], self._offset_sq)

    def _block(self, Q, ranges):
        q32, bound = self._scores(Q)
        selectors = [_Selector(kk, lo, hi, 2 * bound) for kk, lo, hi in ranges]
        bounds = sorted({0, self.n_ref, *(b for _, lo, hi in ranges for b in (lo, hi))})
        piece = _Selector.piece
        for lo, hi in _tiles(bounds, self.tile_columns, piece):
            T = q32 @ self._ref32[lo:hi].T
            piece_min = _piece_minima(T, piece)
            for sel in selectors:
                if sel.lo <= lo and hi <= sel.hi:
                    sel.add(T, lo, piece_min)
        return [self._finish(Q, sel, bound) for sel in selectors]

    def _exact_sq(self, Q, rows, cols):
        """Float64 squared distances of (query row, reference row) pairs, in bounded pieces."""
        out = np.empty(rows.size)
        step = max(1, 2**22 // max(Q.shape[1], 1))
        for a in range(0, rows.size, step):
            diff = Q[rows[a:a + step]] - self.X_ref[cols[a:a + step]]
            out[a:a + step] = np.einsum("ij,ij->i", diff, diff)
        return out

    def _top_k(self, Q, rows, cols, k, n_rows):
        """Per query row, the k smallest exact distances among (row, reference row) pairs."""
        d = self._exact_sq(Q, rows, cols)
        order = np.lexsort((cols, d, rows))  # last key first: row, then distance, then index
        rows, cols, d = rows[order], cols[order], d[order]
        starts = np.searchsorted(rows, np.arange(n_rows))
        counts = np.diff(np.r_[starts, rows.size])
        # A sentinel past the end keeps every take in range (rows short of k are redone).
        take = starts[:, None] + np.minimum(np.arange(k), counts[:, None])
        return np.r_[d, np.inf][take], np.r_[cols, 0][take], counts

    def _finish(self, Q, sel, bound):
        n, k = Q.shape[0], sel.k
        rows, pos = sel.kept()
        d2, idx, counts = self._top_k(Q, rows, self.order_[pos], k, n)
        # Exact score of the k-th: |q - r|^2 - |q - center|^2, the float32 score's target.
        qc = Q - self.center_
        kth = d2[:, -1] - np.einsum("ij,ij->i", qc, qc)
        # Any row not kept scores above tau in float32, so above tau - bound exactly: it cannot
        # beat or tie the k-th when kth < tau - bound. Otherwise search that query again.
        short = counts < k
        redo = np.flatnonzero(short | ~(kth < sel.tau.astype(np.float64) - bound))
        if redo.size:
            limit = np.where(short, np.inf, kth + 2 * bound)[redo]
            d2[redo], idx[redo] = self._research(Q[redo], limit, sel)
        return np.sqrt(d2), idx.astype(np.int64)

    def _research(self, Q, limit, sel):
        """Keep every row scoring <= limit in float32 (all that can reach the k-th), exactly."""
        q32, _ = self._scores(Q)
        n, k = Q.shape[0], sel.k
        best_d = np.full((n, k), np.inf)
        best_i = np.full((n, k), np.iinfo(np.int64).max)
        # Rounded up, never down, to float32.
        lim = (limit + np.abs(limit) * 2.0**-20).astype(np.float32)[:, None]
        for lo in range(sel.lo, sel.hi, self.tile_columns):
            hi = min(lo + self.tile_columns, sel.hi)
            rows, j = _nonzero(q32 @ self._ref32[lo:hi].T <= lim)
            if rows.size == 0:
                continue
            cols = self.order_[lo + j]
            all_rows = np.r_[np.repeat(np.arange(n), k), rows]
            all_cols = np.r_[best_i.ravel(), cols]
            d = np.r_[best_d.ravel(), self._exact_sq(Q, rows, cols)]
            order = np.lexsort((all_cols, d, all_rows))
            take = np.searchsorted(all_rows[order], np.arange(n))[:, None] + np.arange(k)
            best_d, best_i = d[order][take], all_cols[order][take]
        return best_d, best_i


def kneighbors_chunked(X_query, X_ref, k, *, chunk_size=None, max_memory_mb=256):
    """Exact brute-force Euclidean k-nearest neighbours of every query row among ``X_ref``.

    Shorthand for ``NeighborIndex(X_ref, max_memory_mb=...).kneighbors(X_query, k, ...)``;
    build the index once when querying the same reference rows again.

    Parameters
    ----------
    X_query : array-like of shape (n_query, n_features)
    X_ref : array-like of shape (n_ref, n_features)
    k : int
        ``1 <= k <= n_ref``, else :class:`~fairflip.exceptions.ConfigError`.
    chunk_size : int or None
        Query rows per block (default: as many as ``max_memory_mb`` allows).
    max_memory_mb : float, default=256
        Bound on one block's working memory.

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
