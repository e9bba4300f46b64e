"""The approximate neighbour search (hnswlib) against scikit-learn's exact search."""

import importlib.util
import sys

import numpy as np
import pytest
from sklearn.neighbors import NearestNeighbors

from fairflip.collective import rank_collective
from fairflip.exceptions import ConfigError
from fairflip.scorers import (
    ApproxNeighborIndex,
    NeighborMemo,
    RBDistScorer,
    RBLabelScorer,
    check_neighbors,
    make_scorer,
)
from fairflip.scorers._approx import APPROX_EXTRA

# hnswlib is optional ([approx]); `pip install -e ".[test,approx]"` runs these too.
needs_hnswlib = pytest.mark.skipif(importlib.util.find_spec("hnswlib") is None,
                                   reason="hnswlib is not installed (pip install fairflip[approx])")


def sklearn_knn(Q, R, k):
    return NearestNeighbors(n_neighbors=k, algorithm="brute").fit(R).kneighbors(Q)


def recall_of(idx, Q, R, k):
    """Share of scikit-learn's k nearest rows found (continuous data: no ties)."""
    _, ref = sklearn_knn(Q, R, k)
    return np.mean([np.intersect1d(a, b).size / k for a, b in zip(idx, ref, strict=True)])


def clusters(n_ref=3000, n_query=300, d=8, seed=0):
    """Well-separated data: 20 tight clusters far apart, queries drawn from the same clusters."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=10, size=(20, d))
    R = centres[rng.integers(0, 20, n_ref)] + rng.normal(size=(n_ref, d))
    Q = centres[rng.integers(0, 20, n_query)] + rng.normal(size=(n_query, d))
    return R, Q


def hard(n_ref=2000, n_query=200, d=40, seed=1):
    """Isotropic Gaussian in 40 dimensions: no structure for a graph search to use."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n_ref, d)), rng.normal(size=(n_query, d))


@needs_hnswlib
def test_recall_on_well_separated_data_against_sklearn():
    R, Q = clusters()
    dist, idx = ApproxNeighborIndex(R, random_state=0).kneighbors(Q, 10)
    assert recall_of(idx, Q, R, 10) >= 0.95  # the stated floor
    # distances are the found rows' exact distances, ascending
    ref = np.linalg.norm(Q[:, None, :] - R[idx], axis=2)
    np.testing.assert_allclose(dist, ref, rtol=1e-12)
    assert (np.diff(dist, axis=1) >= 0).all()


@needs_hnswlib
def test_reported_recall_equals_an_independent_measurement():
    # A weak graph that is not allowed to try harder: recall well below 1.
    R, Q = hard()
    index = ApproxNeighborIndex(R, M=4, ef_construction=8, ef=10, min_recall=0.0,
                                recall_sample=Q.shape[0], random_state=0)
    _, idx = index.kneighbors(Q, 10)
    check = index.recall()
    assert check.n_queries == Q.shape[0] and check.k == 10 and check.ef == 10
    assert check.recall < 0.9
    assert check.recall == pytest.approx(recall_of(idx, Q, R, 10), abs=1e-12)


@needs_hnswlib
def test_low_recall_raises_ef_until_the_floor_is_reached():
    R, Q = hard()
    index = ApproxNeighborIndex(R, M=8, ef_construction=32, ef=10, min_recall=0.95,
                                recall_sample=Q.shape[0], random_state=0)
    _, idx = index.kneighbors(Q, 10)
    check = index.recall()
    assert check.ef > 10
    assert check.recall >= 0.95
    assert recall_of(idx, Q, R, 10) == pytest.approx(check.recall, abs=1e-12)


@needs_hnswlib
def test_a_recall_short_of_the_floor_at_max_ef_is_reported_not_hidden():
    R, Q = hard()
    index = ApproxNeighborIndex(R, M=4, ef_construction=8, ef=10, min_recall=0.95, max_ef=40,
                                recall_sample=Q.shape[0], random_state=0)
    _, idx = index.kneighbors(Q, 10)
    check = index.recall()
    assert check.ef == 40
    assert check.recall < 0.95
    assert recall_of(idx, Q, R, 10) == pytest.approx(check.recall, abs=1e-12)


@needs_hnswlib
def test_recall_counts_ties_as_found():
    # Every reference row at distance 1 from the query: any 3 of them are correct.
    R = np.array([[1.0, 0], [-1, 0], [0, 1], [0, -1], [5, 5]])
    index = ApproxNeighborIndex(R, random_state=0)
    dist, _ = index.kneighbors(np.zeros((1, 2)), 3)
    np.testing.assert_array_equal(dist, [[1.0, 1.0, 1.0]])
    assert index.recall().recall == 1.0


@needs_hnswlib
def test_within_rows_are_searched_in_their_own_graph():
    R, Q = clusters(seed=2)
    within = np.random.default_rng(3).random(R.shape[0]) < 0.3
    (_, idx), (_, idx_w) = ApproxNeighborIndex(R, within=within).kneighbors_within(Q, 10)
    assert within[idx_w].all()
    rows = np.flatnonzero(within)
    assert recall_of(np.searchsorted(rows, idx_w), Q, R[rows], 10) >= 0.95
    assert recall_of(idx, Q, R, 10) >= 0.95


@needs_hnswlib
def test_same_seed_same_neighbours_and_rankings():
    R, Q = hard(n_ref=1500, seed=4)
    a = ApproxNeighborIndex(R, M=6, ef=16, min_recall=0.0, random_state=7).kneighbors(Q, 10)
    b = ApproxNeighborIndex(R, M=6, ef=16, min_recall=0.0, random_state=7).kneighbors(Q, 10)
    np.testing.assert_array_equal(a[1], b[1])
    rng = np.random.default_rng(5)
    X, y, g = rng.normal(size=(600, 5)), rng.integers(0, 2, 600), rng.integers(0, 2, 600)
    for method in ("rb-label", "rb-dist"):
        first, second = (rank_collective(X, y, g, method=method, alpha=0.5, k=5, random_state=3,
                                         neighbors="approx") for _ in range(2))
        np.testing.assert_array_equal(first.ranked, second.ranked)
        np.testing.assert_array_equal(first.scores, second.scores)
        assert first.neighbor_recall == second.neighbor_recall
        assert first.neighbor_recall.k == 5


@needs_hnswlib
def test_exact_stays_identical_to_sklearn_and_reports_no_recall():
    rng = np.random.default_rng(6)
    X_ref, y_ref, X = rng.normal(size=(400, 5)), rng.integers(0, 2, 400), rng.normal(size=(50, 5))
    scorer = RBLabelScorer(k=7).fit(X_ref, y_ref)
    scores = scorer.score(X, index=np.arange(50))
    _, idx = sklearn_knn(X, X_ref, 7)
    np.testing.assert_array_equal(scores, y_ref[idx].sum(axis=1))
    assert scorer.neighbor_recall_ is None
    ranking = rank_collective(X_ref, y_ref, rng.integers(0, 2, 400), method="rb-label", k=7)
    assert ranking.neighbor_recall is None


@needs_hnswlib
def test_exact_and_approx_never_share_a_memo_and_one_search_serves_both_scorers():
    R, _ = clusters(n_ref=800, seed=7)
    y = (R[:, 0] > 0).astype(int)
    exact = RBLabelScorer(k=5).fit(R, y)
    label = RBLabelScorer(k=5, neighbors="approx", random_state=0).fit(R, y)
    dist = RBDistScorer(k=5, neighbors="approx", random_state=0).fit(R.copy(), y.copy())
    other_seed = RBLabelScorer(k=5, neighbors="approx", random_state=1).fit(R, y)
    assert label.memo_ is dist.memo_
    assert label.memo_ is not exact.memo_ and label.memo_ is not other_seed.memo_
    assert isinstance(label.memo_.index, ApproxNeighborIndex)
    assert not isinstance(exact.memo_.index, ApproxNeighborIndex)
    Q = R[:40] + 0.1
    label.score(Q, index=np.arange(40))
    searched = label.memo_.n_searched
    dist.score(Q, index=np.arange(40))
    assert label.memo_.n_searched == searched == 40  # rb-dist needed no new search
    assert dist.neighbor_recall_.n_queries == 40
    # the scorer cache keys on the mode: an exact ranking after an approx one is exact
    rng = np.random.default_rng(8)
    X, yy, g = rng.normal(size=(500, 3)), rng.integers(0, 2, 500), rng.integers(0, 2, 500)
    cache = {}
    rank_collective(X, yy, g, method="rb-label", k=5, neighbors="approx", scorer_cache=cache)
    again = rank_collective(X, yy, g, method="rb-label", k=5, scorer_cache=cache)
    assert again.neighbor_recall is None
    assert len(cache) == 2


@needs_hnswlib
def test_memo_key_includes_the_mode():
    R, _ = clusters(n_ref=300, seed=9)
    y = np.r_[np.ones(150, int), np.zeros(150, int)]
    a = NeighborMemo.shared(R, y)
    b = NeighborMemo.shared(R, y, neighbors="approx", random_state=0)
    assert a is not b and a.recall() is None and b.neighbors == "approx"


@pytest.mark.parametrize("bad", ["fast", "Exact", None, 1])
def test_unknown_mode_is_a_config_error(bad):
    with pytest.raises(ConfigError, match="The 'neighbors' parameter must be one of exact, approx"):
        check_neighbors(bad)
    with pytest.raises(ConfigError, match="'neighbors'"):
        make_scorer("rb-prob", neighbors=bad)
    rng = np.random.default_rng(0)
    with pytest.raises(ConfigError, match="'neighbors'"):
        rank_collective(rng.normal(size=(20, 2)), rng.integers(0, 2, 20), rng.integers(0, 2, 20),
                        method="rb-label", k=3, neighbors=bad)


def test_missing_library_is_one_line_naming_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "hnswlib", None)  # import hnswlib now raises ImportError
    R, _ = clusters(n_ref=100)
    with pytest.raises(ConfigError) as info:
        RBLabelScorer(k=3, neighbors="approx", random_state=0).fit(R, (R[:, 0] > 0).astype(int))
    message = str(info.value)
    assert APPROX_EXTRA in message and "\n" not in message
    assert APPROX_EXTRA == "pip install fairflip[approx]"
