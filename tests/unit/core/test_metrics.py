"""fairflip.metrics against fairlearn (gaps, per-group rates) and hand-computed cases."""

import math

import numpy as np
import pytest
from fairlearn.metrics import (
    MetricFrame,
    demographic_parity_difference,
    equalized_odds_difference,
    false_positive_rate,
    selection_rate,
    true_positive_rate,
)

from fairflip.exceptions import DataError
from fairflip.metrics import (
    METRIC_COLUMNS,
    collective_success,
    equalized_odds_gap,
    fairness_report,
    flip_precision,
    statistical_parity_gap,
)


def error_rate(y_true, y_pred):
    return float(np.mean(np.asarray(y_true) != np.asarray(y_pred)))


def draw(seed, n, acting_share, pos_rate):
    """Random labels/predictions/groups with both labels present in both groups."""
    rng = np.random.default_rng(seed)
    while True:
        g = (rng.random(n) < acting_share).astype(np.int8)
        y = (rng.random(n) < pos_rate).astype(np.int8)
        # Predictions correlated with y and with the group, so gaps are not all ~0.
        p = 0.2 + 0.5 * y - 0.15 * g + 0.1 * rng.standard_normal(n)
        pred = (rng.random(n) < np.clip(p, 0, 1)).astype(np.int8)
        ok = all(((g == a) & (y == b)).sum() > 0 for a in (0, 1) for b in (0, 1))
        if ok:
            return y, pred, g


CASES = [(seed, n, share, pos)
         for seed, (n, share, pos) in enumerate(
             [(20, 0.5, 0.5), (50, 0.1, 0.4), (200, 0.3, 0.2), (1000, 0.05, 0.5),
              (5000, 0.2, 0.3), (37, 0.7, 0.6), (400, 0.02, 0.5), (3000, 0.5, 0.9)]
             * 3)]


@pytest.mark.parametrize(("seed", "n", "share", "pos"), CASES)
def test_gaps_equal_fairlearn(seed, n, share, pos):
    y, pred, g = draw(seed, n, share, pos)
    eo = equalized_odds_difference(y, pred, sensitive_features=g, agg="mean")
    dp = demographic_parity_difference(y, pred, sensitive_features=g)
    assert equalized_odds_gap(y, pred, g) == pytest.approx(eo, abs=1e-12)
    assert statistical_parity_gap(y, pred, g) == pytest.approx(dp, abs=1e-12)
    report = fairness_report(y, pred, g)
    assert report["eqod"] == pytest.approx(eo, abs=1e-12)
    assert report["sp"] == pytest.approx(dp, abs=1e-12)


@pytest.mark.parametrize(("seed", "n", "share", "pos"), CASES[:8])
def test_report_per_group_rates_equal_metricframe(seed, n, share, pos):
    y, pred, g = draw(seed, n, share, pos)
    mf = MetricFrame(
        metrics={"tpr": true_positive_rate, "fpr": false_positive_rate,
                 "sel": selection_rate, "err": error_rate},
        y_true=y, y_pred=pred, sensitive_features=g,
    )
    by = mf.by_group
    report = fairness_report(y, pred, g)
    assert tuple(report) == METRIC_COLUMNS
    for ours, theirs in (("tpr", "tpr"), ("fpr", "fpr"), ("sel", "sel"), ("err", "err")):
        assert report[f"{ours}_acting"] == pytest.approx(by.loc[1, theirs], abs=1e-12)
        assert report[f"{ours}_other"] == pytest.approx(by.loc[0, theirs], abs=1e-12)
    assert report["error"] == pytest.approx(mf.overall["err"], abs=1e-12)
    assert report["tpr_gap"] == pytest.approx(abs(by.loc[1, "tpr"] - by.loc[0, "tpr"]), abs=1e-12)
    assert report["fpr_gap"] == pytest.approx(abs(by.loc[1, "fpr"] - by.loc[0, "fpr"]), abs=1e-12)
    assert all(isinstance(v, float) for v in report.values())


def test_hand_computed_report():
    # acting (g=1): y = 1 1 0 0, pred = 1 0 1 0 -> tpr 1/2, fpr 1/2, sel 1/2, err 1/2
    # other  (g=0): y = 1 1 0 0 0, pred = 1 1 0 0 1 -> tpr 1, fpr 1/3, sel 3/5, err 1/5
    y = [1, 1, 0, 0, 1, 1, 0, 0, 0]
    pred = [1, 0, 1, 0, 1, 1, 0, 0, 1]
    g = [1, 1, 1, 1, 0, 0, 0, 0, 0]
    r = fairness_report(y, pred, g)
    assert r["tpr_acting"] == 0.5 and r["tpr_other"] == 1.0
    assert r["fpr_acting"] == 0.5 and r["fpr_other"] == pytest.approx(1 / 3)
    assert r["sel_acting"] == 0.5 and r["sel_other"] == pytest.approx(0.6)
    assert r["err_acting"] == 0.5 and r["err_other"] == pytest.approx(0.2)
    assert r["error"] == pytest.approx(3 / 9)
    assert r["eqod"] == pytest.approx(0.5 * (0.5 + (0.5 - 1 / 3)))
    assert r["sp"] == pytest.approx(0.1)


def test_perfectly_fair_predictions_have_zero_gaps():
    y = np.array([1, 0, 1, 0])
    g = np.array([1, 1, 0, 0])
    assert equalized_odds_gap(y, y, g) == 0.0
    assert statistical_parity_gap(y, y, g) == 0.0


def test_rate_with_empty_denominator_is_nan_not_zero():
    # No positive in the acting group: its TPR is undefined.
    r = fairness_report([0, 0, 1, 0], [1, 0, 1, 0], [1, 1, 0, 0])
    assert math.isnan(r["tpr_acting"])
    assert math.isnan(r["eqod"])
    assert r["fpr_acting"] == 0.5


def test_collective_success_hand_computed():
    factual = np.array([1, 0, 1, 1, 0, 1])
    counterfactual = np.array([1, 1, 1, 0, 0, 0])
    group = np.array([1, 1, 1, 1, 0, 0])
    # Acting rows 0..3 agree on rows 0 and 2: S = 2 / 4; majority rows are ignored.
    assert collective_success(factual, counterfactual, group) == 0.5
    assert collective_success(factual, factual, group) == 1.0
    assert math.isnan(collective_success(factual, counterfactual, np.zeros(6)))


def test_flip_precision_hand_computed():
    cf_label = np.array([1, 0, 1, 1, 0, 0, 1])
    assert flip_precision([0, 2, 3], cf_label) == 1.0
    assert flip_precision([1, 4], cf_label) == 0.0
    assert flip_precision([0, 1, 5, 6], cf_label) == 0.5
    assert math.isnan(flip_precision([], cf_label))


@pytest.mark.parametrize("func", [fairness_report, equalized_odds_gap, statistical_parity_gap])
@pytest.mark.parametrize("args, match", [
    (([0, 1, 1, 0], [0, 1, 0, 0], [0, 1, 2, 1]), "'groups' parameter must hold only 0 and 1"),
    (([0, 1, 1, 0], [0, 1, 0], [0, 1, 1, 0]), "must have one length"),
    (([0, 1, 1, 0], [0, 1, 0, 0], ["a", "b", "a", "b"]), "'groups' parameter"),
    (([0, 1, 1, 0], [0, 1, 0, np.nan], [0, 1, 1, 0]), "'y_pred' parameter"),
    (([[0, 1], [1, 0]], [0, 1], [0, 1]), "1-D"),
])
def test_metrics_refuse_nonsense_instead_of_returning_nan(func, args, match):
    with pytest.raises(DataError, match=match):
        func(*args)


@pytest.mark.parametrize("y_pred, match", [
    ([0, 1, 0, 1], "2-D with a column per model"),
    (np.zeros((4, 0)), "2-D with a column per model"),
    ([[0, 1], [1, 2], [0, 0], [1, 1]], "'y_pred' parameter must hold only 0 and 1"),
    ([[0], [1], [np.nan], [1]], "'y_pred' parameter"),
    ([[0], [1], [0]], "must have one length"),
])
def test_reports_of_columns_refuse_nonsense(y_pred, match):
    from fairflip.metrics import fairness_reports

    with pytest.raises(DataError, match=match):
        fairness_reports([0, 1, 1, 0], np.asarray(y_pred), [0, 1, 1, 0])
