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
