"""The synthetic causal model: known counterfactuals, determinism, and its two knobs."""

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

from fairflip.data import make_synthetic, make_toy2d, split_problem
from fairflip.exceptions import ConfigError


def test_counterfactual_invariants():
    p = make_synthetic(n_rows=2000, n_features=3, random_state=1)
    cf = p.counterfactual
    assert list(cf.features.columns) == list(p.features.columns) == ["x0", "x1", "x2"]
    majority = p.group == 0
    pd.testing.assert_frame_equal(cf.features[majority], p.features[majority])
    assert not np.allclose(cf.features[~majority], p.features[~majority])
    np.testing.assert_array_equal(cf.label, cf.proba >= 0.5)
    assert cf.label.dtype == np.int8
    # proba is sigmoid(w . U + b) with the recorded weights
    w, b = np.asarray(p.info["weights"]), p.info["intercept"]
    np.testing.assert_allclose(cf.proba, expit(cf.features.to_numpy() @ w + b))


def test_labels_follow_the_model():
    p = make_synthetic(n_rows=40000, n_features=2, label_bias=1.0, random_state=2)
    cf = p.counterfactual
    w, b = np.asarray(p.info["weights"]), p.info["intercept"]
    truth = expit(cf.features.to_numpy() @ w + b - 1.0 * p.group)
    for g in (0, 1):
        rows = p.group == g
        assert p.y[rows].mean() == pytest.approx(truth[rows].mean(), abs=0.015)
    assert p.acting_share == pytest.approx(0.2)
    assert p.favourable_rate(True) < p.favourable_rate(False)


def test_same_seed_same_data_and_different_seed_differs():
    a, b = make_synthetic(n_rows=100, random_state=7), make_synthetic(n_rows=100, random_state=7)
    pd.testing.assert_frame_equal(a.features, b.features)
    np.testing.assert_array_equal(a.y, b.y)
    np.testing.assert_array_equal(a.counterfactual.proba, b.counterfactual.proba)
    c = make_synthetic(n_rows=100, random_state=8)
    assert not np.allclose(a.features, c.features)


def test_isolation_moves_the_minority_along_the_shift():
    n_features = 4
    means = {}
    for iso in (0.0, 3.0):
        p = make_synthetic(n_rows=20000, n_features=n_features, isolation=iso, random_state=3)
        x = p.features.to_numpy()
        means[iso] = x[p.group == 1].mean(axis=0) - x[p.group == 0].mean(axis=0)
    np.testing.assert_allclose(means[0.0], 0.0, atol=0.06)
    np.testing.assert_allclose(means[3.0], 3.0 / np.sqrt(n_features), atol=0.06)


@pytest.mark.parametrize(
    ("param", "value"),
    [("n_rows", 9), ("n_rows", 10.5), ("n_features", 0), ("minority_share", 0.0),
     ("minority_share", 1.0), ("isolation", -0.1), ("label_bias", float("nan"))],
)
def test_bad_parameters(param, value):
    with pytest.raises(ConfigError, match=f"The '{param}' parameter .* Got"):
        make_synthetic(**{param: value})


def test_tiny_sample_has_both_groups():
    p = make_synthetic(n_rows=10, minority_share=0.01, random_state=0)
    assert set(p.group) == {0, 1}


def test_toy2d_few_oracle_flips_cut_eqod():
    from fairflip.learning import make_model
    from fairflip.metrics import fairness_report

    toy = make_toy2d(random_state=0)
    assert toy.features.shape == (300, 2) and toy.counterfactual is not None
    # Many draws of the same fixed model measure the gaps without test-set noise.
    draws = [make_toy2d(random_state=1000 + i) for i in range(40)]
    Xp = np.vstack([np.column_stack([d.features, d.group]) for d in draws])
    yp = np.concatenate([d.y for d in draws])
    gp = np.concatenate([d.group for d in draws])
    base, flipped = [], []
    for seed in range(5):
        p = make_toy2d(random_state=seed)
        X = np.column_stack([p.features, p.group])
        pool = np.flatnonzero((p.group == 1) & (p.y == 0))
        top = pool[np.argsort(-p.counterfactual.proba[pool])[:6]]
        y = p.y.copy()
        y[top] = 1
        for labels, out in ((p.y, base), (y, flipped)):
            model = make_model("logreg").fit(X, labels)
            out.append(fairness_report(yp, model.predict(Xp), gp)["eqod"])
    assert np.mean(flipped) < 0.6 * np.mean(base)


def test_split_carries_counterfactuals():
    p = make_synthetic(n_rows=400, n_features=3, random_state=0)
    s = split_problem(p, random_state=0)
    assert s.X_test_cf.shape == s.X_test.shape
    np.testing.assert_array_equal(s.X_test_cf[:, s.group_column], 0.0)
    majority = s.g_test == 0
    np.testing.assert_allclose(s.X_test_cf[majority], s.X_test[majority])
    np.testing.assert_array_equal(s.p_train_cf, p.counterfactual.proba[s.train_ids])
    np.testing.assert_array_equal(s.y_train_cf, p.counterfactual.label[s.train_ids])
