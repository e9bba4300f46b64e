"""TabularEncoder's rules and split_problem's guarantees (train-only fitting above all)."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
from sklearn.preprocessing import StandardScaler

from fairflip.data import (
    Problem,
    TabularEncoder,
    load_german,
    make_synthetic,
    split_problem,
    split_validation,
)
from fairflip.exceptions import ConfigError


def _frame():
    return pd.DataFrame({
        "num": [1.0, 2.0, np.nan, 4.0, 10.0],
        "count": pd.array([1, 2, 3, pd.NA, 5], dtype="Int64"),
        "text": pd.array(["a", "b", None, "a", "b"], dtype="str"),
        "cat": pd.Categorical(["x", "y", "x", None, "x"]),
        "flag": [True, False, True, True, False],
    })


def test_encoder_rules():
    X = _frame()
    enc = TabularEncoder().fit(X)
    assert enc.numeric_columns_ == ["num", "count"]
    assert enc.feature_names_ == ("num", "count", "text=a", "text=b", "text=missing", "cat=missing",
                                  "cat=x", "cat=y", "flag=False", "flag=True")
    Z = enc.transform(X)
    assert Z.dtype == np.float64 and Z.shape == (5, 10)
    # numeric: median imputation, then the scaler sklearn fits on the imputed column
    num = X["num"].fillna(X["num"].median()).to_numpy()[:, None]
    np.testing.assert_allclose(Z[:, 0], StandardScaler().fit_transform(num)[:, 0])
    # categorical NaN is a category of its own
    np.testing.assert_array_equal(Z[:, 4], [0, 0, 1, 0, 0])
    np.testing.assert_array_equal(Z[:, 5], [0, 0, 0, 1, 0])
    # unseen categories encode as zeros
    new = X.head(1).assign(text=pd.array(["zzz"], dtype="str"))
    np.testing.assert_array_equal(enc.transform(new)[0, 2:5], 0.0)


def test_encoder_column_all_missing_in_train_does_not_warn():
    X = pd.DataFrame({"a": [np.nan, np.nan, np.nan], "b": ["u", "v", "u"]})
    Z = TabularEncoder().fit_transform(X)
    np.testing.assert_array_equal(Z[:, 0], 0.0)


def _problem(n=200, seed=0):
    rng = np.random.default_rng(seed)
    features = pd.DataFrame({"a": rng.normal(size=n), "b": rng.choice(["u", "v", "w"], n)})
    return Problem(name="t", features=features, y=rng.integers(0, 2, n).astype(np.int8),
                   group=(rng.random(n) < 0.3).astype(np.int8), sensitive="s",
                   acting_label="A", other_label="B")


def test_encoder_fits_on_train_rows_only():
    p = _problem()
    s = split_problem(p, random_state=0)
    features = p.features.copy()
    features.loc[s.test_ids, "a"] *= 1000.0
    features.loc[s.test_ids, "b"] = "only-in-test"
    s2 = split_problem(dataclasses.replace(p, features=features), random_state=0)
    np.testing.assert_array_equal(s2.train_ids, s.train_ids)
    np.testing.assert_array_equal(s2.X_train, s.X_train)
    assert s2.feature_names == s.feature_names
    # the scaler is the train rows' own
    assert s.X_train[:, 0].mean() == pytest.approx(0.0, abs=1e-12)
    assert s.X_train[:, 0].std() == pytest.approx(1.0)


def test_split_shapes_group_column_and_stratification():
    p = _problem(n=1000)
    s = split_problem(p, test_size=0.25, random_state=3)
    assert len(s.y_train) == 750 and len(s.y_test) == 250
    assert s.group_column == s.X_train.shape[1] - 1 == len(s.feature_names) - 1
    assert s.feature_names[-1] == "s=A"
    np.testing.assert_array_equal(s.X_train[:, -1], s.g_train)
    np.testing.assert_array_equal(s.X_test[:, -1], s.g_test)
    np.testing.assert_array_equal(s.y_test, p.y[s.test_ids])
    assert sorted(np.concatenate([s.train_ids, s.test_ids])) == list(range(1000))
    for g in (0, 1):
        for y in (0, 1):
            total = np.sum((p.group == g) & (p.y == y))
            assert np.sum((s.g_test == g) & (s.y_test == y)) == pytest.approx(total / 4, abs=1)
    assert s.scoring_view(s.X_test).shape[1] == s.X_test.shape[1] - 1
    unaware = split_problem(p, test_size=0.25, random_state=3, group_feature=False)
    assert unaware.group_column is None
    np.testing.assert_array_equal(unaware.X_train, s.scoring_view(s.X_train))


def test_split_same_seed_same_split():
    p = load_german()
    a, b = split_problem(p, random_state=5), split_problem(p, random_state=5)
    np.testing.assert_array_equal(a.X_test, b.X_test)
    assert not np.array_equal(a.test_ids, split_problem(p, random_state=6).test_ids)


@pytest.mark.parametrize("size", [0, 1, 1.5, -0.1, "0.3"])
def test_bad_test_size(size):
    with pytest.raises(ConfigError, match="The 'test_size' parameter .* Got"):
        split_problem(_problem(), test_size=size)


def test_split_validation():
    p = make_synthetic(n_rows=500, random_state=0)
    s = split_problem(p, random_state=0)
    v = split_validation(s, val_size=0.2, random_state=0)
    assert len(v.y_train) + len(v.y_test) == len(s.y_train)
    assert set(v.test_ids).isdisjoint(v.train_ids)
    assert set(v.test_ids) | set(v.train_ids) == set(s.train_ids)
    np.testing.assert_array_equal(v.y_test, p.y[v.test_ids])
    np.testing.assert_array_equal(v.p_train_cf, p.counterfactual.proba[v.train_ids])
    assert v.X_test_cf is None
