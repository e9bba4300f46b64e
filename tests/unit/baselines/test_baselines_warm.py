"""Warm-started and batched fits of the firm-side traces against cold scikit-learn fits."""

import warnings

import numpy as np
import pytest
from fairlearn.preprocessing import CorrelationRemover
from fairlearn.reductions import EqualizedOdds, ExponentiatedGradient
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression

import fairflip.baselines._trace as trace
from fairflip.baselines import (
    DEFAULT_KNOBS,
    fit_base,
    massage_labels,
    massaging_pairs,
    reweighing_weights,
    trace_method,
)
from fairflip.baselines._warm import SharedStart, WarmStartLogisticRegression, fit_label_columns
from fairflip.data import load_dataset, split_problem
from fairflip.learning import make_model
from fairflip.metrics import METRIC_COLUMNS, fairness_report

SEED = 0


def _tight(X, y, sample_weight=None):
    """The reference optimum: scikit-learn's Newton-Cholesky at tol 1e-12."""
    return LogisticRegression(solver="newton-cholesky", tol=1e-12, max_iter=500).fit(
        X, y, sample_weight=sample_weight)


def _rel(coef, intercept, ref):
    want = np.r_[ref.coef_.ravel(), ref.intercept_]
    got = np.r_[np.ravel(coef), np.ravel(intercept)]
    return np.max(np.abs(got - want)) / np.max(np.abs(want))


def _fit_expgrad(est, split, bound):
    with warnings.catch_warnings():
        trace._silence_known_warnings()  # pandas 3's deprecations inside fairlearn 0.15
        return ExponentiatedGradient(est, constraints=EqualizedOdds(difference_bound=bound)).fit(
            split.X_train, split.y_train, sensitive_features=split.g_train)


@pytest.fixture(scope="module")
def german():
    return split_problem(load_dataset("german", sensitive="age"), random_state=SEED)


def test_clones_share_the_start_and_fairlearn_writes_through_it(biased_split):
    s = biased_split
    start = SharedStart()
    est = WarmStartLogisticRegression(start=start)
    assert clone(est).start is start

    class Plain:  # a holder without __sklearn_clone__ is deep-copied by clone
        pass

    plain = Plain()
    assert clone(WarmStartLogisticRegression(start=plain)).start is not plain
    # fairlearn clones the estimator for every best response (fairlearn 0.15,
    # _Lagrangian._call_oracle): each clone must have written to the one start.
    eg = _fit_expgrad(est, s, 0.05)
    assert start.n_fits == eg.n_oracle_calls_ - eg.n_oracle_calls_dummy_returned_ > 1


def test_each_fit_reaches_the_optimum_from_the_last(biased_split):
    # A sequence of nearby weighted problems, as the reduction's best responses are.
    s = biased_split
    start = SharedStart()
    warm_steps = cold_steps = 0
    for t in (0.2, 0.4, 0.6, 0.8, 1.0):
        w = reweighing_weights(s.y_train, s.g_train, strength=t)
        warm = WarmStartLogisticRegression(start=start).fit(s.X_train, s.y_train, sample_weight=w)
        cold = WarmStartLogisticRegression().fit(s.X_train, s.y_train, sample_weight=w)
        ref = _tight(s.X_train, s.y_train, w)
        assert _rel(warm.coef_, warm.intercept_, ref) < 1e-6
        np.testing.assert_array_equal(warm.predict(s.X_test), ref.predict(s.X_test))
        warm_steps += warm.n_iter_[0]
        cold_steps += cold.n_iter_[0]
    assert warm_steps < cold_steps


def test_expgrad_warm_start_keeps_the_reductions_mixture(biased_split, monkeypatch):
    """Tolerance on error and EqOd: 0 wherever the warm and the cold best responses agree on
    every training row. fairlearn reads a best response only through those 0/1 predictions
    (its error and constraint violations), so the two runs are then one run: the same
    mixture, whose test labels the same seed draws. Both are the same convex optimum to about
    1e-6 relative, so they disagree only on a row whose logit is that close to 0; there the
    runs part ways, each within the reduction's own guarantee (error within 2 nu of the best
    mixture's; nu = 0.5 std(error) / sqrt(n), 0.0065 here), which is then the tolerance."""
    s = biased_split
    knobs = (0.05, 0.0)
    warm = trace.trace_predictions("expgrad", s, knobs=knobs, random_state=SEED)[1]
    monkeypatch.setattr(trace, "_EXPGRAD_WARM_START", False)
    cold = trace.trace_predictions("expgrad", s, knobs=knobs, random_state=SEED)[1]
    seed = int(np.random.RandomState(SEED).randint(np.iinfo(np.int32).max))
    for bound, w, c in zip(knobs, warm, cold, strict=True):
        # Without the warm start the trace is fairlearn on make_model("logreg"), exactly.
        eg = _fit_expgrad(make_model("logreg"), s, bound)
        np.testing.assert_array_equal(c, eg.predict(s.X_test, random_state=seed))
        np.testing.assert_array_equal(w, c)


@pytest.mark.parametrize("data", ["biased", "german"])
def test_massaging_columns_reach_scikit_learns_optimum(data, biased_split, german):
    s = biased_split if data == "biased" else german
    base = fit_base(s)
    plan = massaging_pairs(s.y_train, s.g_train, base.predict_proba(s.X_train)[:, 1])
    assert plan.n_pairs_max > 4
    labels = [massage_labels(s.y_train, plan, n_pairs=n)
              for n in (1, plan.n_pairs_max // 2, plan.n_pairs_max)]
    coef, intercept = fit_label_columns(s.X_train, labels, base)
    for j, y in enumerate(labels):
        assert _rel(coef[:, j], intercept[j], _tight(s.X_train, y)) < 1e-6
    # The trace: at every knob the metrics of scikit-learn's refit (today's make_model).
    df = trace_method("massaging", s, random_state=SEED)
    for row in df.itertuples():
        y = massage_labels(s.y_train, plan, n_pairs=row.n_label_changes // 2)
        want = fairness_report(s.y_test, make_model("logreg").fit(s.X_train, y).predict(s.X_test),
                               s.g_test)
        assert [getattr(row, c) for c in METRIC_COLUMNS] == [want[c] for c in METRIC_COLUMNS]


def test_reweighing_and_correlation_remover_keep_the_cold_fits_numbers(biased_split, german):
    # Each knob's fit starts from the last knob's; its predictions are the cold refit's.
    for s in (biased_split, german):
        knobs = DEFAULT_KNOBS["reweighing"]
        got = trace.trace_predictions("reweighing", s, random_state=SEED)[1]
        for t, pred in zip(knobs, got, strict=True):
            w = reweighing_weights(s.y_train, s.g_train, strength=t)
            ref = make_model("logreg").fit(s.X_train, s.y_train, sample_weight=w)
            np.testing.assert_array_equal(pred, ref.predict(s.X_test))
    s = biased_split  # its group is column 4
    got = trace.trace_predictions("correlation_remover", s, random_state=SEED)[1]
    for alpha, pred in zip(DEFAULT_KNOBS["correlation_remover"], got, strict=True):
        cr = CorrelationRemover(sensitive_feature_ids=[4], alpha=alpha).fit(s.X_train)
        ref = make_model("logreg").fit(cr.transform(s.X_train), s.y_train)
        np.testing.assert_array_equal(pred, ref.predict(cr.transform(s.X_test)))
