""".npz tables, standardize=False and the float32 promise, checked against numpy/pandas."""

import numpy as np
import pandas as pd
import pytest

from fairflip.data import (
    TabularEncoder,
    load_dataset,
    load_table,
    make_embedding_toy,
    read_table,
    split_problem,
)
from fairflip.data._npz import MSG_NPZ_DTYPE, MSG_NPZ_KEY, MSG_NPZ_NAN, MSG_NPZ_SHAPE
from fairflip.data._table import MSG_NOT_BINARY
from fairflip.exceptions import ConfigError, DataError


def _arrays(n=120, d=6, seed=0, dtype=np.float32):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)).astype(dtype)
    group = np.where(rng.random(n) < 0.3, "B", "A")
    y = (rng.random(n) < np.where(group == "B", 0.3, 0.6)).astype(np.int64)
    return X, y, group


def _msg(template):
    return template.split("{")[0][:40]


def test_npz_round_trip_matches_numpy_and_pandas(tmp_path):
    X, y, group = _arrays()
    path = tmp_path / "emb.npz"
    np.savez(path, X=X, y=y, group=group, ids=np.arange(100, 220))
    problem = load_table(path, label="y", group="group", id_column="ids")
    # Independent: a DataFrame built by hand from the same arrays.
    expected = pd.DataFrame(X, columns=[f"X{j}" for j in range(X.shape[1])])
    pd.testing.assert_frame_equal(problem.features, expected)
    assert (problem.features.dtypes == np.float32).all()
    np.testing.assert_array_equal(problem.y, y)
    # acting group: the lower favourable rate
    rates = pd.Series(y).groupby(group).mean()
    assert problem.acting_label == rates.idxmin()
    np.testing.assert_array_equal(problem.group, (group == rates.idxmin()).astype(np.int8))
    np.testing.assert_array_equal(problem.info["ids"], np.arange(100, 220))
    assert problem.standardize is True
    # read_table (what plan reads) gives the same columns plus the 1-D arrays
    frame = read_table(path)
    assert frame.columns.tolist() == [*expected.columns, "y", "group", "ids"]


def test_npz_feature_names(tmp_path):
    X, y, group = _arrays(d=3)
    path = tmp_path / "named.npz"
    np.savez(path, X=X, y=y, group=group, feature_names=np.array(["a", "b", "c"]))
    assert load_table(path, label="y", group="group").features.columns.tolist() == ["a", "b", "c"]


@pytest.mark.parametrize("case, template", [
    ("no_X", MSG_NPZ_KEY), ("no_y", MSG_NPZ_KEY), ("X_1d", MSG_NPZ_SHAPE),
    ("y_short", MSG_NPZ_SHAPE), ("nan", MSG_NPZ_NAN), ("inf", MSG_NPZ_NAN),
    ("strings", MSG_NPZ_DTYPE), ("three_labels", MSG_NOT_BINARY), ("not_npz", None),
    ("object", None),
])
def test_bad_npz_is_one_line(tmp_path, case, template):
    X, y, group = _arrays(n=30, d=4, dtype=np.float64)
    arrays = {"X": X, "y": y, "group": group}
    if case == "no_X":
        arrays.pop("X")
    elif case == "no_y":
        arrays.pop("y")
    elif case == "X_1d":
        arrays["X"] = X[:, 0]
    elif case == "y_short":
        arrays["y"] = y[:-1]
    elif case == "nan":
        X[3, 1] = np.nan
    elif case == "inf":
        X[0, 0] = np.inf
    elif case == "strings":
        arrays["X"] = np.full((30, 2), "a")
    elif case == "three_labels":
        arrays["y"] = np.arange(30) % 3
    path = tmp_path / "bad.npz"
    if case == "not_npz":
        path.write_text("not a zip")
    elif case == "object":
        np.savez(path, X=X, y=y, group=np.array(list(group), dtype=object))
    else:
        np.savez(path, **arrays)
    with pytest.raises(DataError) as info:
        load_table(path, label="y", group="group")
    message = str(info.value)
    assert "\n" not in message
    if template is not None:
        assert message.startswith(_msg(template)), message
    if case in ("no_X", "no_y"):
        assert ("'X'" if case == "no_X" else "'y'") in message


def test_standardize_false_leaves_numeric_features_unchanged(tmp_path):
    X, y, group = _arrays(n=200, d=5, dtype=np.float64)
    X[:, 2] *= 1000.0
    path = tmp_path / "raw.npz"
    np.savez(path, X=X, y=y, group=group)
    raw = split_problem(load_table(path, label="y", group="group", standardize=False),
                        random_state=0)
    scaled = split_problem(load_table(path, label="y", group="group"), random_state=0)
    # Same rows in both (the split does not depend on standardize).
    np.testing.assert_array_equal(raw.train_ids, scaled.train_ids)
    # Unscaled: exactly the input rows; scaled: an independent (x - mean) / std on train rows.
    np.testing.assert_array_equal(raw.scoring_view(raw.X_train), X[raw.train_ids])
    np.testing.assert_array_equal(raw.scoring_view(raw.X_test), X[raw.test_ids])
    train = X[scaled.train_ids]
    np.testing.assert_allclose(scaled.scoring_view(scaled.X_test),
                               (X[scaled.test_ids] - train.mean(0)) / train.std(0), rtol=1e-10)
    # Negative control: the two encodings differ.
    assert not np.allclose(raw.X_train, scaled.X_train)


def test_standardize_false_keeps_imputation():
    frame = pd.DataFrame({"a": [1.0, np.nan, 5.0, 3.0], "b": [10.0, 20.0, 30.0, 40.0]})
    Z = TabularEncoder(standardize=False).fit(frame).transform(frame)
    np.testing.assert_array_equal(Z, [[1.0, 10.0], [3.0, 20.0], [5.0, 30.0], [3.0, 40.0]])
    with pytest.raises(ConfigError, match="'standardize'"):
        TabularEncoder(standardize="no").fit(frame)


def test_float32_kept_only_where_promised(tmp_path):
    X, y, group = _arrays(n=150, d=4, dtype=np.float32)
    path = tmp_path / "f32.npz"
    np.savez(path, X=X, y=y, group=group)
    raw = split_problem(load_table(path, label="y", group="group", standardize=False),
                        random_state=1)
    assert raw.X_train.dtype == np.float32 and raw.X_test.dtype == np.float32
    np.testing.assert_array_equal(raw.scoring_view(raw.X_train), X[raw.train_ids])
    np.testing.assert_array_equal(raw.X_train[:, raw.group_column],
                                  raw.g_train.astype(np.float32))
    # Standardised, or float64 input, or a categorical column: float64 as before.
    assert split_problem(load_table(path, label="y", group="group"),
                         random_state=1).X_train.dtype == np.float64
    path64 = tmp_path / "f64.npz"
    np.savez(path64, X=X.astype(np.float64), y=y, group=group)
    assert split_problem(load_table(path64, label="y", group="group", standardize=False),
                         random_state=1).X_train.dtype == np.float64
    mixed = pd.DataFrame({"a": X[:, 0], "c": np.where(y == 1, "u", "v")})
    assert TabularEncoder(standardize=False).fit(mixed).transform(mixed).dtype == np.float64


def test_wide_parquet_float32(tmp_path):
    X, y, group = _arrays(n=100, d=512, dtype=np.float32)
    frame = pd.DataFrame(X, columns=[f"f{j}" for j in range(512)])
    frame["label"], frame["g"] = y, group
    path = tmp_path / "wide.parquet"
    frame.to_parquet(path)
    split = split_problem(load_table(path, label="label", group="g", standardize=False),
                          random_state=0)
    assert split.X_train.shape == (70, 513) and split.X_train.dtype == np.float32
    np.testing.assert_array_equal(split.scoring_view(split.X_train), X[split.train_ids])


def test_load_table_rejects_non_bool_standardize(tmp_path):
    X, y, group = _arrays(n=30)
    path = tmp_path / "s.npz"
    np.savez(path, X=X, y=y, group=group)
    with pytest.raises(ConfigError, match="The 'standardize' parameter must be True or False"):
        load_table(path, label="y", group="group", standardize="false")


def test_embedding_toy_is_seeded_synthetic_and_unscaled():
    a = make_embedding_toy(n_rows=400, dim=64, random_state=3)
    b = make_embedding_toy(n_rows=400, dim=64, random_state=3)
    pd.testing.assert_frame_equal(a.features, b.features)
    assert not make_embedding_toy(n_rows=400, dim=64, random_state=4).features.equals(a.features)
    norms = np.linalg.norm(a.features.to_numpy(np.float64), axis=1)
    np.testing.assert_allclose(norms, 1.0, rtol=1e-6)
    assert a.standardize is False and "not Waterbirds" in a.info["description"]
    assert a.favourable_rate(True) < a.favourable_rate(False)
    p = load_dataset("embedding-synthetic", n_rows=300, dim=16, standardize=True)
    assert p.standardize is True
    assert split_problem(p).X_train.dtype == np.float64
    with pytest.raises(ConfigError, match="'standardize' option"):
        load_dataset("adult", standardize="yes")
    assert load_dataset("german", standardize=False).standardize is False
