"""rb-label counts rows tied at the k-th distance fairly, so row order never decides a score."""

import numpy as np
import pytest

from fairflip.scorers import NeighborIndex, RBLabelScorer
from fairflip.scorers._knn import NeighborMemo


def tied_data(seed=0, n_ref=300, n_query=80, d=4):
    """One-hot-like rows with few distinct values: many ties at every distance."""
    rng = np.random.default_rng(seed)
    X_ref = rng.integers(0, 2, size=(n_ref, d)).astype(float)
    y_ref = rng.integers(0, 2, size=n_ref)
    X = rng.integers(0, 2, size=(n_query, d)).astype(float)
    return X_ref, y_ref, X


def fair_reference(X, X_ref, y_ref, k):
    """Brute force from the full distance matrix: nearer rows count 1, the m rows tied at
    the k-th distance share the k - nearer remaining slots."""
    d = np.sqrt(((X[:, None, :] - X_ref[None, :, :]) ** 2).sum(axis=2))
    out = []
    for row in d:
        dk = np.sort(row)[k - 1]
        nearer, tied = row < dk, row == dk
        out.append(y_ref[nearer].sum() + (k - nearer.sum()) * y_ref[tied].mean())
    return np.array(out)


@pytest.mark.parametrize("k", [1, 3, 10])
def test_scores_equal_the_fair_count_of_a_brute_force_reference(k):
    X_ref, y_ref, X = tied_data()
    got = RBLabelScorer(k=k).fit(X_ref, y_ref).score(X)
    assert np.allclose(got, fair_reference(X, X_ref, y_ref, k))


def test_shuffling_the_known_rows_leaves_every_score_unchanged():
    X_ref, y_ref, X = tied_data(1)
    order = np.random.default_rng(5).permutation(len(y_ref))
    a = RBLabelScorer(k=10).fit(X_ref, y_ref).score(X, index=np.arange(len(X)))
    b = RBLabelScorer(k=10).fit(X_ref[order], y_ref[order]).score(X, index=np.arange(len(X)))
    assert np.array_equal(a, b)
    # Negative control: the version-1 count (the k first rows by index among ties) moves.
    def by_index(R, y):
        _, idx = NeighborIndex(R).kneighbors(X, 10)
        return y[idx].sum(axis=1)
    assert not np.array_equal(by_index(X_ref, y_ref), by_index(X_ref[order], y_ref[order]))


def test_without_ties_the_score_is_the_plain_count():
    rng = np.random.default_rng(2)
    X_ref, y_ref, X = rng.normal(size=(200, 3)), rng.integers(0, 2, 200), rng.normal(size=(30, 3))
    _, idx = NeighborIndex(X_ref).kneighbors(X, 5)
    assert np.array_equal(RBLabelScorer(k=5).fit(X_ref, y_ref).score(X), y_ref[idx].sum(axis=1))


def test_tied_at_counts_across_tiles_like_brute_force():
    X_ref, y_ref, X = tied_data(3, n_ref=500)
    index = NeighborIndex(X_ref)
    index.tile_columns = 64  # many tiles
    radius = np.sqrt(((X - X_ref[7]) ** 2).sum(axis=1))  # a distance that occurs
    counts, pos = index.tied_at(X, radius, labels=y_ref)
    d = np.sqrt(((X[:, None, :] - X_ref[None, :, :]) ** 2).sum(axis=2))
    tied = d == radius[:, None]
    assert np.array_equal(counts, tied.sum(axis=1)) and counts.min() >= 1
    assert np.array_equal(pos, (tied * (y_ref == 1)).sum(axis=1))


def test_the_memo_keeps_tied_rows_and_does_not_count_them_again(monkeypatch):
    X_ref, y_ref, X = tied_data(4)
    memo = NeighborMemo(X_ref, y_ref)
    first = memo.label_counts(X, 10, np.arange(len(X)))
    calls = []
    original = memo.index.tied_at
    monkeypatch.setattr(memo.index, "tied_at", lambda *a, **kw: calls.append(1) or original(*a, **kw))
    again = memo.label_counts(X, 10, np.arange(len(X)))
    assert np.array_equal(first, again) and not calls
    # Other rows under the same index are counted afresh, never served from the memo.
    moved = memo.label_counts(1 - X, 10, np.arange(len(X)))
    assert calls and np.allclose(moved, fair_reference(1 - X, X_ref, y_ref, 10))


def test_rb_label_algorithm_version_is_bumped():
    from fairflip.scorers import algorithm_version

    assert RBLabelScorer.algorithm_version == 2 and algorithm_version("rb-label") == 2
