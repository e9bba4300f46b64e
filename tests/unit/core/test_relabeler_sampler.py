"""CollectiveRelabeler as an imbalanced-learn sampler and a scikit-learn estimator."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.utils.estimator_checks import (
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
)

from fairflip.organiser._relabeler import CollectiveRelabeler
from fairflip.scorers import OracleScorer, RandomScorer, RBDistScorer, RBLabelScorer, RBProbScorer

imblearn = pytest.importorskip("imblearn")
from imblearn.pipeline import Pipeline  # noqa: E402
from imblearn.utils import estimator_checks as imb_checks  # noqa: E402


def _binary_with_group(n=400, seed=0):
    """Two informative features and a 0/1 group in column 0 (30 % act, fewer positives)."""
    rng = np.random.default_rng(seed)
    g = (rng.random(n) < 0.3).astype(float)
    x = rng.normal(size=(n, 2))
    y = ((x[:, 0] + 0.5 * x[:, 1] - 0.8 * g + rng.normal(scale=0.5, size=n)) > 0).astype(int)
    return np.column_stack([g, x]), y


RELABELER = CollectiveRelabeler(method="rb-label", alpha=0.5, budget=0.5, k=5, random_state=0,
                                group_column=0)
ESTIMATORS = [RELABELER, RBProbScorer(), RBLabelScorer(k=3), RBDistScorer(k=3),
              RandomScorer(random_state=0), OracleScorer()]


@pytest.mark.parametrize("est", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_clone_and_get_params_round_trip(est):
    name = type(est).__name__
    twin = clone(est)
    assert twin.get_params() == est.get_params() and twin is not est
    assert type(twin)(**est.get_params()).get_params() == est.get_params()
    check_get_params_invariance(name, est)
    check_set_params(name, est)
    check_parameters_default_constructible(name, est)
    check_no_attributes_set_in_init(name, est)


@pytest.mark.parametrize("check", [
    "check_samplers_fit_resample", "check_samplers_pandas", "check_samplers_list",
    "check_samplers_preserve_dtype", "check_samplers_2d_target", "check_target_type",
])
def test_imbalanced_learn_sampler_checks(check, monkeypatch):
    """imbalanced-learn's checks that apply to a binary relabeler whose group is a column.

    Their data generator draws three classes; here it draws a binary problem with the group
    in column 0 (a relabeler needs one). Not applicable: multiclass, sparse, NaN and string
    inputs, and the balancing checks (a relabeler flips a budget, it does not balance)."""
    monkeypatch.setattr(imb_checks, "sample_dataset_generator", _binary_with_group)
    getattr(imb_checks, check)("CollectiveRelabeler", RELABELER)


def test_fit_resample_changes_only_collective_negatives_and_keeps_x():
    X, y = _binary_with_group()
    X_res, y_res = clone(RELABELER).fit_resample(X, y)
    assert X_res is X
    changed = np.flatnonzero(y_res != y)
    assert (y[changed] == 0).all() and (y_res[changed] == 1).all() and (X[changed, 0] == 1).all()
    n_candidates = int(((X[:, 0] == 1) & (y == 0)).sum())
    assert 0 < changed.size <= n_candidates


def test_fit_resample_group_by_name_value_or_groups_gives_the_same_labels():
    X, y = _binary_with_group()
    frame = pd.DataFrame(X, columns=["g", "a", "b"]).assign(
        sex=lambda d: np.where(d.g == 1, "F", "M")).drop(columns="g")
    by_value = CollectiveRelabeler(method="rb-label", alpha=0.5, budget=0.5, k=5,
                                   random_state=0, group_column="sex", acting_group="F")
    by_groups = CollectiveRelabeler(method="rb-label", alpha=0.5, budget=0.5, k=5, random_state=0)
    _, a = by_value.fit_resample(frame, pd.Series(y, name="y"))
    _, b = by_groups.fit_resample(X[:, 1:], y, groups=X[:, 0].astype(int))
    _, c = clone(RELABELER).fit_resample(X, y)
    assert a.name == "y"
    np.testing.assert_array_equal(a.to_numpy(), b)
    np.testing.assert_array_equal(b, c)


def test_in_an_imblearn_pipeline_the_classifier_trains_on_flipped_labels():
    X, y = _binary_with_group()
    pipe = Pipeline([("relabel", clone(RELABELER)), ("clf", LogisticRegression())]).fit(X, y)
    _, y_flipped = clone(RELABELER).fit_resample(X, y)
    reference = LogisticRegression().fit(X, y_flipped)
    np.testing.assert_allclose(pipe.named_steps["clf"].coef_, reference.coef_)
    np.testing.assert_array_equal(pipe.predict(X), reference.predict(X))


@pytest.mark.parametrize("kwargs, match", [
    ({}, "needs the group"),
    ({"group_column": "nope"}, "'group_column' parameter"),
    ({"group_column": 0, "acting_group": "Z"}, "'acting_group' parameter"),
])
def test_fit_resample_bad_group_is_one_line(kwargs, match):
    from fairflip.exceptions import FairflipError

    X, y = _binary_with_group()
    with pytest.raises(FairflipError, match=match):
        CollectiveRelabeler(budget=1, **kwargs).fit_resample(X, y)
