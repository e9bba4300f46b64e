"""Shared neighbour searches give exactly the scores of fresh searches."""

import numpy as np
import pytest

from fairflip.collective._ranking import rank_collective
from fairflip.scorers import RBDistScorer, RBLabelScorer


@pytest.mark.parametrize("cls", [RBLabelScorer, RBDistScorer])
def test_memo_reuse_across_k_and_row_subsets(cls):
    rng = np.random.default_rng(0)
    X_ref, y_ref = rng.normal(size=(300, 4)), rng.integers(0, 2, 300)
    X = rng.normal(size=(80, 4))
    shared = cls(k=3).fit(X_ref, y_ref)
    for k, rows in ((3, np.arange(0, 50)), (9, np.arange(30, 80)), (5, np.arange(0, 80, 3))):
        shared.set_params(k=k)
        fresh = cls(k=k).fit(X_ref, y_ref).score(X[rows])
        np.testing.assert_array_equal(shared.score(X[rows], index=rows), fresh)


@pytest.mark.parametrize("method", ["rb-prob", "rb-label", "rb-dist"])
def test_cached_ranking_equals_uncached(synthetic_split, method):
    X = synthetic_split.scoring_view(synthetic_split.X_train)
    y, g = synthetic_split.y_train, synthetic_split.g_train
    cache = {}
    for alpha, k in ((0.3, 5), (0.6, 10), (0.3, 10)):
        cached = rank_collective(X, y, g, method=method, alpha=alpha, k=k, random_state=3,
                                 scorer_cache=cache)
        fresh = rank_collective(X, y, g, method=method, alpha=alpha, k=k, random_state=3)
        np.testing.assert_array_equal(cached.ranked, fresh.ranked)
        np.testing.assert_array_equal(cached.scores, fresh.scores)


def test_rb_label_and_rb_dist_share_one_search():
    rng = np.random.default_rng(1)
    X_ref, y_ref = rng.normal(size=(200, 3)), rng.integers(0, 2, 200)
    X = rng.normal(size=(30, 3))
    label = RBLabelScorer(k=4).fit(X_ref, y_ref)
    dist = RBDistScorer(k=4).fit(X_ref.copy(), y_ref.copy())  # equal rows, not the same array
    assert label.memo_ is dist.memo_
    rows = np.arange(30)
    label.score(X, index=rows)
    searched = label.memo_.n_searched
    assert searched == 30
    ours = dist.score(X, index=rows)
    assert label.memo_.n_searched == searched  # rb-dist needed no new search
    np.testing.assert_allclose(ours, RBDistScorer(k=4).fit(X_ref, y_ref).score(X), rtol=1e-12)
    # other labels are another known set: another memo
    assert RBDistScorer(k=4).fit(X_ref, 1 - y_ref).memo_ is not label.memo_


@pytest.mark.parametrize("cls", [RBLabelScorer, RBDistScorer])
def test_other_rows_under_the_same_index_are_searched_afresh(cls):
    """The memo is keyed by row index; rows that differ under a seen index must not get the
    earlier rows' neighbours (scikit-learn's brute-force search is the reference)."""
    rng = np.random.default_rng(1)
    X_ref, y_ref = rng.normal(size=(200, 3)), rng.integers(0, 2, 200)
    first, second = rng.normal(size=(20, 3)), rng.normal(size=(20, 3)) + 2.0
    index = np.arange(20)
    shared = cls(k=4).fit(X_ref, y_ref)
    shared.score(first, index=index)
    fresh = cls(k=4).fit(X_ref, y_ref).score(second)
    np.testing.assert_array_equal(shared.score(second, index=index), fresh)


def test_cache_key_includes_the_estimator(synthetic_split):
    """rb-prob with another model must not reuse the cached fit of the first."""
    from sklearn.tree import DecisionTreeClassifier

    X = synthetic_split.scoring_view(synthetic_split.X_train)
    y, g = synthetic_split.y_train, synthetic_split.g_train
    cache = {}
    rank_collective(X, y, g, method="rb-prob", alpha=0.5, random_state=0, scorer_cache=cache)
    tree = DecisionTreeClassifier(max_depth=2, random_state=0)
    cached = rank_collective(X, y, g, method="rb-prob", alpha=0.5, random_state=0,
                             estimator=tree, scorer_cache=cache)
    fresh = rank_collective(X, y, g, method="rb-prob", alpha=0.5, random_state=0, estimator=tree)
    np.testing.assert_array_equal(cached.scores, fresh.scores)


@pytest.mark.parametrize("same", [(0.5, "0.50"), (0.5, " 0.5"), (10, "10"), ("all", "ALL")])
def test_knowledge_seed_keys_on_the_canonical_value(synthetic_split, same):
    X = synthetic_split.scoring_view(synthetic_split.X_train)
    y, g = synthetic_split.y_train, synthetic_split.g_train
    a, b = (rank_collective(X, y, g, method="rb-label", alpha=0.5, knowledge=know, k=3,
                            random_state=4) for know in same)
    np.testing.assert_array_equal(a.known, b.known)
    np.testing.assert_array_equal(a.ranked, b.ranked)


@pytest.mark.parametrize("cls", [RBLabelScorer, RBDistScorer])
def test_repeated_index_in_one_call_scores_each_row(cls):
    """Two different rows under one index in one call: each gets its own neighbours."""
    rng = np.random.default_rng(2)
    X_ref, y_ref = rng.normal(size=(150, 3)), rng.integers(0, 2, 150)
    X = rng.normal(size=(6, 3))
    index = np.array([4, 1, 4, 7, 1, 9])
    shared = cls(k=5).fit(X_ref, y_ref)
    fresh = cls(k=5).fit(X_ref, y_ref).score(X)
    np.testing.assert_array_equal(shared.score(X, index=index), fresh)
    # the memo keeps the last row under each index
    np.testing.assert_array_equal(shared.score(X[[2, 4]], index=[4, 1]), fresh[[2, 4]])
