"""The collective's view: only allowed rows, private read-only copies, checked facts; and the
advisor reads nothing else (a poisoned firm split changes no recommendation)."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from fairflip.advisor import advise
from fairflip.collective._ranking import rank_collective
from fairflip.collective._view import CollectiveView, view_from_split, view_from_tables
from fairflip.exceptions import ConfigError, DataError


def _ranking(split, alpha=0.5, seed=0):
    return rank_collective(split.scoring_view(split.X_train), split.y_train, split.g_train,
                           alpha=alpha, random_state=seed)


def test_view_from_split_copies_only_members_and_known_rows(synthetic_split):
    split = synthetic_split
    r = _ranking(split)
    view = view_from_split(split, members=r.members, known=r.known[:10], alpha=0.5)
    X = split.scoring_view(split.X_train)
    np.testing.assert_array_equal(view.X_members, X[r.members])
    np.testing.assert_array_equal(view.y_members, split.y_train[r.members])
    np.testing.assert_array_equal(view.member_ids, split.train_ids[r.members])
    np.testing.assert_array_equal(view.X_known, X[r.known[:10]])
    assert view.n_known == 10
    assert len(view.feature_names) == view.X_members.shape[1] == X.shape[1]
    # Read-only copies: changing the split afterwards cannot reach the view.
    assert not view.X_members.flags.writeable
    assert not np.shares_memory(view.X_members, split.X_train)
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.alpha = 0.1
    # Only the allowed fields exist: no test rows, no other rows of the acting group.
    assert {f.name for f in dataclasses.fields(CollectiveView)} == {
        "X_members", "y_members", "member_ids", "X_known", "y_known", "known_ids",
        "feature_names", "group_share", "alpha", "majority_rate"}


def test_view_rejects_rows_from_the_wrong_group(synthetic_split):
    split = synthetic_split
    acting = np.flatnonzero(split.g_train == 1)
    with pytest.raises(ConfigError, match="acting group"):
        view_from_split(split, members=acting[:5], known=acting[5:10])


def _poisoned(split, members, known, seed=1):
    """The same split with every row outside the view replaced by garbage."""
    rng = np.random.default_rng(seed)
    outside = np.setdiff1d(np.arange(split.y_train.size), np.concatenate([members, known]))
    X_train, y_train = split.X_train.copy(), split.y_train.copy()
    X_train[outside] = rng.normal(scale=50, size=X_train[outside].shape)
    y_train[outside] = 1 - y_train[outside]
    return dataclasses.replace(
        split, X_train=X_train, y_train=y_train,
        X_test=rng.normal(scale=50, size=split.X_test.shape),
        y_test=1 - split.y_test, g_test=1 - split.g_test)


def test_poisoned_firm_split_leaves_the_recommendation_unchanged(synthetic_split):
    split = synthetic_split
    r = _ranking(split)
    share = float(split.g_train.mean())
    clean = advise(view_from_split(split, members=r.members, known=r.known, alpha=0.5,
                                   group_share=share), random_state=3)
    bad = _poisoned(split, r.members, r.known)
    poisoned = advise(view_from_split(bad, members=r.members, known=r.known, alpha=0.5,
                                      group_share=share), random_state=3)
    assert poisoned.recommended_budget == clean.recommended_budget
    np.testing.assert_array_equal(poisoned.eqod, clean.eqod)
    np.testing.assert_array_equal(poisoned.eqod_high, clean.eqod_high)
    # The poison is real: the firm's own test metrics do change.
    assert not np.array_equal(bad.y_test, split.y_test)


def test_advise_accepts_only_a_view(synthetic_split):
    with pytest.raises(TypeError, match="CollectiveView"):
        advise(synthetic_split)


@pytest.mark.parametrize(("kw", "match"), [
    ({"group_share": 1.0}, "group_share"), ({"group_share": 0.0}, "group_share"),
    ({"group_share": float("nan")}, "group_share"), ({"alpha": 1.5}, "alpha"),
    ({"alpha": 0}, "alpha"),
])
def test_stated_facts_are_checked(kw, match):
    with pytest.raises(ConfigError, match=match):
        CollectiveView(np.zeros((2, 1)), [0, 1], [0, 1], np.zeros((2, 1)), [0, 1], [2, 3], ("x",),
                       **kw)


def _tables(seed=0, n=120):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"x": rng.normal(size=n), "job": rng.choice(["a", "b"], size=n),
                          "y": rng.integers(0, 2, size=n), "pid": np.arange(n)})
    return frame.iloc[:40], frame.iloc[40:].drop(columns="pid")


def test_view_from_tables_encodes_members_and_majority_together():
    members, majority = _tables()
    view = view_from_tables(members, label="y", majority=majority, id_column="pid",
                            alpha=0.3, group_share=0.4)
    assert view.n_members == 40 and view.n_known == 80
    assert view.X_members.shape[1] == view.X_known.shape[1] == 3  # x, job=a, job=b
    np.testing.assert_array_equal(view.member_ids, members["pid"])
    assert (view.alpha, view.group_share) == (0.3, 0.4)


def test_view_from_tables_bad_input():
    members, majority = _tables()
    with pytest.raises(DataError, match="both label values"):
        view_from_tables(members, label="y", majority=majority.assign(y=1), id_column="pid")
    with pytest.raises(DataError, match="same feature columns"):
        view_from_tables(members, label="y", majority=majority.assign(extra=1.0), id_column="pid")
    with pytest.raises(DataError, match="empty"):
        view_from_tables(members.iloc[:0], label="y", majority=majority)
