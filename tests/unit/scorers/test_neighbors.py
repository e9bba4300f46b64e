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
