"""Every scorer through the same contract, via :class:`fairflip.CollectiveRelabeler`.

Invariants: the budget is respected exactly, only the collective's negative labels change,
only 0 -> 1, the collective is round(alpha * n) of the acting group, seeds reproduce,
containers are preserved, and bad input raises the library's one-line errors.
"""

import numpy as np
import pandas as pd
import pytest

from fairflip.exceptions import ConfigError, DataError
from fairflip.organiser._relabeler import CollectiveRelabeler
from fairflip.scorers import SCORER_NAMES

METHODS = ("rb-prob", "rb-label", "rb-dist", "random", "oracle")


def test_suite_covers_every_scorer():
    assert set(METHODS) == set(SCORER_NAMES)


@pytest.fixture(scope="module")
def data(synthetic_split):
    s = synthetic_split
    return s.scoring_view(s.X_train), s.y_train.copy(), s.g_train.copy(), s.p_train_cf


def relabeler(method, cf, **kw):
    extra = {"counterfactual_proba": cf} if method == "oracle" else {}
    if method in ("rb-label", "rb-dist"):
        extra["k"] = 5
    kw.setdefault("alpha", 0.5)
    kw.setdefault("random_state", 0)
    return CollectiveRelabeler(method=method, **extra, **kw)


def half_up(fraction, n):
    return int(np.floor(fraction * n + 0.5))


def pool_size(X, y, g, method, cf, alpha=0.5, seed=0):
    """Negatively labelled collective members (the collective drawn with budget 0)."""
    rel = relabeler(method, cf, alpha=alpha, budget=0, random_state=seed)
    rel.fit_relabel(X, y, groups=g)
    return int((y[rel.ranking_.members] == 0).sum())


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("budget", [0, 1, 7])
def test_count_budget_changes_exactly_that_many_labels(data, method, budget):
    X, y, g, cf = data
    rel = relabeler(method, cf, budget=budget)
    new = rel.fit_relabel(X, y, groups=g)
    assert int((new != y).sum()) == budget
    assert rel.n_flips_ == budget


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fraction", [0.0, 0.25, 0.5, 1.0])
def test_fraction_budget_changes_the_resolved_count(data, method, fraction):
    X, y, g, cf = data
    n_pool = pool_size(X, y, g, method, cf)
    assert n_pool > 10  # the fixture must give a real pool
    new = relabeler(method, cf, budget=fraction).fit_relabel(X, y, groups=g)
    assert int((new != y).sum()) == half_up(fraction, n_pool)


@pytest.mark.parametrize("method", METHODS)
def test_only_negative_collective_labels_flip_and_only_up(data, method):
    X, y, g, cf = data
    y_before = y.copy()
    rel = relabeler(method, cf, budget=0.6)
    new = rel.fit_relabel(X, y, groups=g)
    np.testing.assert_array_equal(y, y_before)  # input untouched
    members = rel.ranking_.members
    changed = np.flatnonzero(new != y)
    assert changed.size > 0
    assert np.isin(changed, members).all()
    assert (g[members] == 1).all()
    assert (y[changed] == 0).all()
    assert (new[changed] == 1).all()
    np.testing.assert_array_equal(np.sort(rel.flipped_), changed)
    # Candidates are exactly the negative members.
    np.testing.assert_array_equal(np.sort(rel.ranking_.ranked), members[y[members] == 0])


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("alpha", [0.05, 0.3, 0.5, 1.0])
def test_collective_is_round_alpha_of_acting_group(data, method, alpha):
    X, y, g, cf = data
    rel = relabeler(method, cf, alpha=alpha, budget=0)
    rel.fit_relabel(X, y, groups=g)
    members = rel.ranking_.members
    n_acting = int((g == 1).sum())
    assert members.size == round(alpha * n_acting)
    assert np.unique(members).size == members.size
    assert (g[members] == 1).all()


@pytest.mark.parametrize("method", METHODS)
def test_same_seed_same_output(data, method):
    X, y, g, cf = data
    a = relabeler(method, cf, budget=5, random_state=3)
    b = relabeler(method, cf, budget=5, random_state=3)
    np.testing.assert_array_equal(a.fit_relabel(X, y, groups=g), b.fit_relabel(X, y, groups=g))
    np.testing.assert_array_equal(a.flipped_, b.flipped_)
    np.testing.assert_array_equal(a.ranking_.members, b.ranking_.members)


@pytest.mark.parametrize("method", METHODS)
def test_different_seed_draws_a_different_collective(data, method):
    X, y, g, cf = data
    members = []
    for seed in (0, 1):
        rel = relabeler(method, cf, budget=0, alpha=0.3, random_state=seed)
        rel.fit_relabel(X, y, groups=g)
        members.append(rel.ranking_.members)
    assert members[0].size == members[1].size
    assert not np.array_equal(members[0], members[1])


def test_random_scorer_plan_changes_with_seed_for_a_fixed_collective(data):
    X, y, g, cf = data
    members = np.flatnonzero(g == 1)[:60]
    plans = set()
    for seed in range(4):
        rel = relabeler("random", cf, members=members, budget=5, random_state=seed)
        rel.fit_relabel(X, y, groups=g)
        np.testing.assert_array_equal(rel.ranking_.members, members)
        plans.add(tuple(np.sort(rel.flipped_)))
    assert len(plans) > 1


@pytest.mark.parametrize("method", METHODS)
def test_numpy_in_numpy_out(data, method):
    X, y, g, cf = data
    y64 = y.astype(np.int64)
    new = relabeler(method, cf, budget=3).fit_relabel(X, y64, groups=g)
    assert type(new) is np.ndarray
    assert new.shape == y64.shape
    assert new.dtype == y64.dtype


@pytest.mark.parametrize("method", METHODS)
def test_pandas_in_pandas_out(data, method):
    X, y, g, cf = data
    index = pd.Index(np.arange(len(y))[::-1] * 10 + 7, name="row")
    X_df = pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])], index=index)
    y_s = pd.Series(y, index=index, name="approved")
    g_s = pd.Series(g, index=index, name="group")
    new = relabeler(method, cf, budget=4).fit_relabel(X_df, y_s, groups=g_s)
    assert isinstance(new, pd.Series)
    assert new.name == "approved"
    assert new.index.equals(index)
    # Same rows flip as with plain arrays.
    ref = relabeler(method, cf, budget=4).fit_relabel(X, y, groups=g)
    np.testing.assert_array_equal(new.to_numpy(), ref)


@pytest.mark.parametrize("method", METHODS)
def test_budget_larger_than_pool_is_config_error(data, method):
    X, y, g, cf = data
    n_pool = pool_size(X, y, g, method, cf)
    with pytest.raises(ConfigError, match="budget"):
        relabeler(method, cf, budget=n_pool + 1).fit_relabel(X, y, groups=g)
    new = relabeler(method, cf, budget=n_pool).fit_relabel(X, y, groups=g)
    assert int((new != y).sum()) == n_pool


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("budget", [-1, 1.5, -0.1, float("nan"), "3", True])
def test_bad_budget_is_config_error(data, method, budget):
    X, y, g, cf = data
    with pytest.raises(ConfigError):
        relabeler(method, cf, budget=budget).fit_relabel(X, y, groups=g)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("alpha", [0, 0.0, -0.2, 1.5, float("nan"), "half", None])
def test_alpha_outside_unit_interval_is_config_error(data, method, alpha):
    X, y, g, cf = data
    with pytest.raises(ConfigError, match="alpha"):
        relabeler(method, cf, alpha=alpha, budget=0).fit_relabel(X, y, groups=g)


@pytest.mark.parametrize("method", METHODS)
def test_empty_collective_is_config_error(data, method):
    X, y, g, cf = data
    with pytest.raises(ConfigError, match="empty"):
        relabeler(method, cf, alpha=0.001, budget=0).fit_relabel(X, y, groups=g)
    with pytest.raises(ConfigError, match="empty"):
        relabeler(method, cf, members=[], budget=0).fit_relabel(X, y, groups=g)


@pytest.mark.parametrize("method", METHODS)
def test_members_outside_acting_group_is_config_error(data, method):
    X, y, g, cf = data
    outsider = int(np.flatnonzero(g == 0)[0])
    with pytest.raises(ConfigError, match="members"):
        relabeler(method, cf, members=[outsider], budget=0).fit_relabel(X, y, groups=g)


@pytest.mark.parametrize("method", METHODS)
def test_nan_in_X_is_data_error(data, method):
    X, y, g, cf = data
    X_bad = X.copy()
    X_bad[3, 1] = np.nan
    with pytest.raises(DataError, match="NaN"):
        relabeler(method, cf, budget=1).fit_relabel(X_bad, y, groups=g)
    X_df = pd.DataFrame(X_bad)
    with pytest.raises(DataError, match="NaN"):
        relabeler(method, cf, budget=1).fit_relabel(X_df, y, groups=g)


def test_non_numeric_X_is_data_error(data):
    # Validation precedes scoring, so one scorer suffices.
    method = "random"
    X, y, g, cf = data
    X_df = pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])])
    X_df["city"] = "Paris"
    with pytest.raises(DataError):
        relabeler(method, cf, budget=1).fit_relabel(X_df, y, groups=g)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("which", ["y", "groups"])
@pytest.mark.parametrize("bad_value", [2, -1, 0.5, np.nan])
def test_non_binary_y_or_groups_is_data_error(data, method, which, bad_value):
    X, y, g, cf = data
    y_bad, g_bad = y.astype(np.float64), g.astype(np.float64)
    (y_bad if which == "y" else g_bad)[5] = bad_value
    with pytest.raises(DataError, match=which):
        relabeler(method, cf, budget=1).fit_relabel(X, y_bad, groups=g_bad)


@pytest.mark.parametrize("method", METHODS)
def test_mismatched_lengths_is_data_error(data, method):
    X, y, g, cf = data
    with pytest.raises(DataError):
        relabeler(method, cf, budget=1).fit_relabel(X[:-1], y, groups=g)
    with pytest.raises(DataError):
        relabeler(method, cf, budget=1).fit_relabel(X, y, groups=g[:-1])


@pytest.mark.parametrize("method", METHODS)
def test_error_messages_are_one_line(data, method):
    X, y, g, cf = data
    for kw in ({"alpha": 0}, {"budget": 10**6}, {"alpha": 0.001}):
        with pytest.raises((ConfigError, DataError)) as info:
            relabeler(method, cf, **{"budget": 0, **kw}).fit_relabel(X, y, groups=g)
        assert "\n" not in str(info.value) and str(info.value)
