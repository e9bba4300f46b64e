"""fairflip's metrics equal fairlearn's on random inputs (Hypothesis, derandomized)."""

from __future__ import annotations

import numpy as np
from fairlearn.metrics import demographic_parity_difference, equalized_odds_difference
from hypothesis import given, settings
from hypothesis import strategies as st

from fairflip.metrics import equalized_odds_gap, fairness_report, statistical_parity_gap

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, database=None)


@st.composite
def predictions(draw):
    """y_true, y_pred, groups where each group holds both labels (every rate is defined)."""
    n = draw(st.integers(4, 80))
    bits = st.lists(st.integers(0, 1), min_size=n, max_size=n)
    y_true, y_pred, groups = (np.array(draw(bits)) for _ in range(3))
    for g in (0, 1):  # plant a positive and a negative in each group
        groups[[2 * g, 2 * g + 1]] = g
        y_true[[2 * g, 2 * g + 1]] = (0, 1)
    return y_true, y_pred, groups


@SETTINGS
@given(predictions())
def test_gaps_equal_fairlearn(data):
    y_true, y_pred, groups = data
    eqod = equalized_odds_difference(y_true, y_pred, sensitive_features=groups, agg="mean")
    sp = demographic_parity_difference(y_true, y_pred, sensitive_features=groups)
    assert np.isclose(equalized_odds_gap(y_true, y_pred, groups), eqod, atol=1e-12)
    assert np.isclose(statistical_parity_gap(y_true, y_pred, groups), sp, atol=1e-12)
    report = fairness_report(y_true, y_pred, groups)
    assert np.isclose(report["eqod"], eqod, atol=1e-12) and np.isclose(report["sp"], sp, atol=1e-12)
    assert np.isclose(report["error"], np.mean(y_true != y_pred))


@st.composite
def prediction_columns(draw):
    """y_true, groups and a (n, m) matrix of predictions; any group may lack a label."""
    n = draw(st.integers(1, 60))
    m = draw(st.integers(1, 6))
    bits = st.lists(st.integers(0, 1), min_size=n, max_size=n)
    y_true, groups = np.array(draw(bits)), np.array(draw(bits))
    Y = np.array([draw(bits) for _ in range(m)], dtype=np.int8).T
    return y_true, Y, groups


@SETTINGS
@given(prediction_columns())
def test_reports_of_columns_equal_one_report_each(data):
    """fairness_reports is fairness_report per column, bit for bit (NaN where a rate has no
    rows), and its EqOd is fairlearn's where every rate is defined."""
    from fairflip.metrics import fairness_reports

    y_true, Y, groups = data
    for j, got in enumerate(fairness_reports(y_true, Y, groups)):
        want = fairness_report(y_true, Y[:, j], groups)
        assert list(got) == list(want)
        np.testing.assert_array_equal(list(got.values()), list(want.values()))
        if np.isfinite(got["eqod"]):
            eqod = equalized_odds_difference(y_true, Y[:, j], sensitive_features=groups,
                                             agg="mean")
            assert np.isclose(got["eqod"], eqod, atol=1e-12)
