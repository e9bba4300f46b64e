"""Chunked brute-force k-NN against scikit-learn's brute-force search."""

import numpy as np
import pytest
from sklearn.neighbors import NearestNeighbors

from fairflip.exceptions import ConfigError, DataError
from fairflip.scorers._neighbors import NeighborIndex, kneighbors_chunked


def sklearn_knn(Q, R, k):
    return NearestNeighbors(n_neighbors=k, algorithm="brute").fit(R).kneighbors(Q)


def assert_matches(dist, idx, ref_dist, ref_idx):
    np.testing.assert_allclose(dist, ref_dist, rtol=0, atol=1e-9)
    # indices are compared where a row's distances are all distinct (no ties to break)
    sorted_d = np.sort(ref_dist, axis=1)
    distinct = (np.diff(sorted_d, axis=1) > 1e-9).all(axis=1)
    assert distinct.sum() > 0.9 * len(distinct)
    np.testing.assert_array_equal(idx[distinct], ref_idx[distinct])


@pytest.mark.parametrize("k", [1, 5, 40])
def test_matches_sklearn(k):
    rng = np.random.default_rng(0)
    R = rng.normal(size=(300, 6))
    Q = rng.normal(size=(70, 6)) * 2
    dist, idx = kneighbors_chunked(Q, R, k)
    assert dist.shape == idx.shape == (70, k)
    assert (np.diff(dist, axis=1) >= 0).all()
    assert_matches(dist, idx, *sklearn_knn(Q, R, k))


def test_k_equals_n_ref():
    rng = np.random.default_rng(1)
    R = rng.normal(size=(12, 3))
    Q = rng.normal(size=(4, 3))
    assert_matches(*kneighbors_chunked(Q, R, 12), *sklearn_knn(Q, R, 12))


@pytest.mark.parametrize("chunk_size", [1, 7, 1000])
def test_chunking_gives_identical_results(chunk_size):
    rng = np.random.default_rng(2)
    R = rng.normal(size=(200, 4))
    Q = rng.normal(size=(50, 4))
    full = kneighbors_chunked(Q, R, 6, chunk_size=1000)
    part = kneighbors_chunked(Q, R, 6, chunk_size=chunk_size)
    np.testing.assert_array_equal(full[0], part[0])
    np.testing.assert_array_equal(full[1], part[1])


def test_tiny_memory_bound_chunks_and_matches():
    rng = np.random.default_rng(3)
    R = rng.normal(size=(500, 4))
    Q = rng.normal(size=(60, 4))
    small = NeighborIndex(R, max_memory_mb=0.02)  # a few query rows per chunk
    assert small._chunk_rows(3) < 60
    np.testing.assert_array_equal(small.kneighbors(Q, 3)[1], kneighbors_chunked(Q, R, 3)[1])


def test_ties_go_to_smaller_index():
    R = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0], [5.0, 5.0]])
    dist, idx = kneighbors_chunked(np.zeros((1, 2)), R, 2)
    np.testing.assert_array_equal(idx, [[0, 1]])
    np.testing.assert_allclose(dist, [[1.0, 1.0]])
    # duplicates of one reference row: the k-th place is tied across the partition boundary
    R = np.repeat(np.array([[0.0], [1.0]]), 6, axis=0)[::-1].copy()  # ones first
    _, idx = kneighbors_chunked(np.zeros((1, 1)), R, 3)
    np.testing.assert_array_equal(idx, [[6, 7, 8]])


def test_one_index_serves_many_k():
    rng = np.random.default_rng(4)
    R = rng.normal(size=(150, 5))
    Q = rng.normal(size=(30, 5))
    index = NeighborIndex(R)
    dist10, idx10 = index.kneighbors(Q, 10)
    dist3, idx3 = index.kneighbors(Q, 3)
    np.testing.assert_array_equal(idx10[:, :3], idx3)
    np.testing.assert_array_equal(dist10[:, :3], dist3)


@pytest.mark.parametrize("k", [0, 11, 2.5, True])
def test_bad_k_raises_config_error(k):
    with pytest.raises(ConfigError, match="'k'"):
        kneighbors_chunked(np.zeros((2, 2)), np.zeros((10, 2)), k)


def test_bad_inputs():
    with pytest.raises(DataError):
        kneighbors_chunked(np.zeros((2, 3)), np.zeros((10, 2)), 1)
    with pytest.raises(DataError):
        kneighbors_chunked(np.full((2, 2), np.nan), np.zeros((10, 2)), 1)
    with pytest.raises(ConfigError):
        kneighbors_chunked(np.zeros((2, 2)), np.zeros((10, 2)), 1, chunk_size=0)
    with pytest.raises(ConfigError):
        NeighborIndex(np.zeros((3, 2)), max_memory_mb=0)


def exact_reference(Q, R, k):
    """Float64 distances from the differences; ties to the smaller index (the contract)."""
    d2 = ((Q[:, None, :] - R[None, :, :]) ** 2).sum(axis=2)
    cols = np.broadcast_to(np.arange(R.shape[0]), d2.shape)
    order = np.lexsort((cols, d2), axis=1)[:, :k]
    return np.sqrt(np.take_along_axis(d2, order, axis=1)), order


def test_one_hot_ties_match_the_exact_reference_and_sklearn():
    # Binary rows: distances are square roots of small integers, with many exact ties.
    rng = np.random.default_rng(5)
    R = rng.integers(0, 2, size=(900, 7)).astype(float)
    Q = rng.integers(0, 2, size=(120, 7)).astype(float)
    index = NeighborIndex(R)
    index.tile_columns = 64  # many tiles, so thresholds move between them
    dist, idx = index.kneighbors(Q, 9)
    ref_dist, ref_idx = exact_reference(Q, R, 9)
    np.testing.assert_array_equal(idx, ref_idx)
    np.testing.assert_allclose(dist, ref_dist, rtol=0, atol=1e-12)
    sk_dist, sk_idx = sklearn_knn(Q, R, 9)
    np.testing.assert_allclose(dist, sk_dist, rtol=0, atol=1e-9)
    # where the k-th distance is not tied with the next, scikit-learn picks the same rows
    full = np.sort(np.sqrt(((Q[:, None] - R[None]) ** 2).sum(2)), axis=1)
    untied = full[:, 9] - full[:, 8] > 1e-9
    assert untied.sum() > 0
    for a, b in zip(idx[untied], sk_idx[untied], strict=True):
        assert set(a) == set(b)


def test_near_ties_below_float32_resolution_are_ordered_exactly():
    # Reference rows at distances 1 + j * 1e-11 from the query, far from the origin: float32
    # products cannot tell them apart, the float64 re-check must.
    rng = np.random.default_rng(6)
    q = rng.normal(size=4) + 1000.0
    directions = rng.normal(size=(60, 4))
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    radii = 1.0 + rng.permutation(60) * 1e-11
    R = q + directions * radii[:, None]
    R = np.vstack([R, q + 50.0])  # one far row
    dist, idx = kneighbors_chunked(q[None], R, 12)
    ref_dist, ref_idx = exact_reference(q[None], R, 12)
    np.testing.assert_array_equal(idx, ref_idx)
    np.testing.assert_allclose(dist, ref_dist, rtol=1e-15)


@pytest.mark.parametrize("offset", [0.0, 1e4])
def test_matches_exact_reference_for_every_tiling(offset):
    rng = np.random.default_rng(7)
    R = rng.normal(size=(700, 9)) + offset
    Q = rng.normal(size=(90, 9)) + offset
    ref = exact_reference(Q, R, 7)
    for tile, chunk in ((4096, None), (37, 5), (300, 64)):
        index = NeighborIndex(R)
        index.tile_columns = tile
        dist, idx = index.kneighbors(Q, 7, chunk_size=chunk)
        np.testing.assert_array_equal(idx, ref[1])
        np.testing.assert_allclose(dist, ref[0], rtol=1e-12)


def test_within_subset_in_the_same_pass():
    rng = np.random.default_rng(8)
    # halves: every distance is computed exactly, so ties are real ties
    R = np.round(2 * rng.normal(size=(500, 5))) / 2
    Q = np.round(2 * rng.normal(size=(40, 5))) / 2
    within = rng.random(500) < 0.2
    index = NeighborIndex(R, within=within)
    index.tile_columns = 96
    (dist, idx), (wdist, widx) = index.kneighbors_within(Q, 6)
    ref_all = exact_reference(Q, R, 6)
    cols = np.flatnonzero(within)
    ref_sub = exact_reference(Q, R[cols], 6)
    np.testing.assert_array_equal(idx, ref_all[1])
    np.testing.assert_array_equal(widx, cols[ref_sub[1]])
    np.testing.assert_allclose(wdist, ref_sub[0], rtol=1e-12)
    np.testing.assert_array_equal(index.kneighbors(Q, 6)[1], idx)
    # fewer subset rows than k: all of them
    few = np.zeros(500, dtype=bool)
    few[[3, 99, 400]] = True
    (_, _), (fd, fi) = NeighborIndex(R, within=few).kneighbors_within(Q, 6)
    assert fi.shape == (40, 3)
    np.testing.assert_array_equal(np.sort(fi, axis=1), np.tile([3, 99, 400], (40, 1)))


def test_within_errors():
    with pytest.raises(DataError, match="'within'"):
        NeighborIndex(np.zeros((4, 2)), within=np.ones(3, dtype=bool))
    with pytest.raises(DataError):
        NeighborIndex(np.zeros((4, 2))).kneighbors_within(np.zeros((1, 2)), 1)


def test_tiles_cover_each_segment_without_straddling():
    from fairflip.scorers._neighbors import _tiles

    bounds = [0, 37, 300, 301]
    tiles = list(_tiles(bounds, 64, 16))
    covered = [c for lo, hi in tiles for c in range(lo, hi)]
    assert covered == list(range(301))  # in order, each row once
    for lo, hi in tiles:
        assert not any(lo < b < hi for b in bounds)
        assert hi - lo <= 64
    # every tile but a segment's remainder is whole pieces
    assert sum((hi - lo) % 16 != 0 for lo, hi in tiles) <= len(bounds) - 1


@pytest.mark.parametrize("tile", [16, 48, 100, 4096])
def test_within_subset_for_tilings_that_cut_pieces(tile):
    # The subset starts at a row that is no multiple of the piece size, and k exceeds a
    # first tile's pieces: first-tile thresholds, piece minima and remainder tiles all move.
    rng = np.random.default_rng(9)
    R = np.round(4 * rng.normal(size=(437, 6))) / 4
    Q = np.round(4 * rng.normal(size=(33, 6))) / 4
    within = rng.random(437) < 0.35
    index = NeighborIndex(R, within=within)
    index.tile_columns = tile
    (dist, idx), (wdist, widx) = index.kneighbors_within(Q, 20, chunk_size=16)
    ref_all = exact_reference(Q, R, 20)
    cols = np.flatnonzero(within)
    ref_sub = exact_reference(Q, R[cols], 20)
    np.testing.assert_array_equal(idx, ref_all[1])
    np.testing.assert_allclose(dist, ref_all[0], rtol=1e-12)
    np.testing.assert_array_equal(widx, cols[ref_sub[1]])
    np.testing.assert_allclose(wdist, ref_sub[0], rtol=1e-12)
