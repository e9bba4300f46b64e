"""Multi-group metrics against fairlearn's MetricFrame (one and several sensitive features)."""

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import (
    MetricFrame,
    equalized_odds_difference,
    false_positive_rate,
    selection_rate,
    true_positive_rate,
)
from sklearn.metrics import zero_one_loss

from fairflip.metrics import (
    MIN_RATE_ROWS,
    equalized_odds_gap,
    fairness_report,
    group_gaps,
    multigroup_report,
    rates_by_groups,
)

TOL = 1e-12


def _data(seed, n=2000):
    rng = np.random.default_rng(seed)
    race = rng.choice(["A", "B", "C", "D"], size=n, p=[0.5, 0.3, 0.15, 0.05])
    sex = rng.choice(["F", "M"], size=n)
    y = rng.integers(0, 2, n)
    # Predictions that depend on the group, so the rates differ.
    shift = pd.Series(race).map({"A": 0.2, "B": 0.0, "C": -0.2, "D": 0.1}).to_numpy()
    pred = (rng.random(n) < 0.4 + 0.3 * y + shift).astype(int)
    return y, pred, race, sex


def _frame(y, pred, features):
    return MetricFrame(metrics={"tpr": true_positive_rate, "fpr": false_positive_rate,
                                "selection_rate": selection_rate, "error": zero_one_loss},
                       y_true=y, y_pred=pred, sensitive_features=features)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_one_sensitive_feature_matches_metricframe(seed):
    y, pred, race, _ = _data(seed)
    ours = rates_by_groups(y, pred, race)
    ref = _frame(y, pred, pd.Series(race, name="race")).by_group
    assert list(ours.index) == [str(g) for g in ref.index]
    for rate in ("tpr", "fpr", "selection_rate", "error"):
        np.testing.assert_allclose(ours[rate].to_numpy(), ref[rate].to_numpy(), rtol=0, atol=TOL)
    report = multigroup_report(y, pred, race)
    want = equalized_odds_difference(y, pred, sensitive_features=race, agg="mean")
    assert abs(report["eqod_multi"] - want) <= TOL
    assert report["min_group_size"] == pd.Series(race).value_counts().min()


@pytest.mark.parametrize("seed", [0, 3])
def test_several_sensitive_features_match_metricframe(seed):
    y, pred, race, sex = _data(seed)
    features = pd.DataFrame({"race": race, "sex": sex})
    ours = rates_by_groups(y, pred, features)
    ref = _frame(y, pred, features).by_group
    assert list(ours.index) == [f"{r},{s}" for r, s in ref.index]
    for rate in ("tpr", "fpr", "selection_rate", "error"):
        np.testing.assert_allclose(ours[rate].to_numpy(), ref[rate].to_numpy(), rtol=0, atol=TOL)
    want = equalized_odds_difference(y, pred, sensitive_features=features, agg="mean")
    assert abs(multigroup_report(y, pred, features)["eqod_multi"] - want) <= TOL
    # Labels already joined give the same numbers as the columns.
    joined = np.array([f"{r},{s}" for r, s in zip(race, sex, strict=True)])
    assert multigroup_report(y, pred, joined)["eqod_multi"] == multigroup_report(
        y, pred, features)["eqod_multi"]


def test_two_groups_reduce_to_the_paper_gap():
    y, pred, race, _ = _data(4)
    binary = np.where(race == "B", 1, 0)
    assert abs(multigroup_report(y, pred, binary)["eqod_multi"]
               - fairness_report(y, pred, binary)["eqod"]) <= TOL
    gaps = group_gaps(y, pred, race)
    for label, gap in gaps.items():
        assert gap == equalized_odds_gap(y, pred, race == label)


def test_small_groups_are_flagged_and_left_out_of_the_large_range():
    y, pred, race, _ = _data(5)
    # Group "D" gets 5 rows of which all predicted 1: its rates are extreme and unreliable.
    race = race.copy()
    idx = np.flatnonzero(race == "D")
    race[idx[5:]] = "A"
    pred = pred.copy()
    pred[idx[:5]] = 1
    table = rates_by_groups(y, pred, race)
    assert bool(table.at["D", "small"]) and not table.drop(index="D")["small"].any()
    assert ((table.positives < MIN_RATE_ROWS) | (table.negatives < MIN_RATE_ROWS)).equals(table.small)
    report = multigroup_report(y, pred, race)
    assert report["n_small_groups"] == 1 and report["min_group_size"] == 5
    large = equalized_odds_difference(y[race != "D"], pred[race != "D"],
                                      sensitive_features=race[race != "D"], agg="mean")
    assert abs(report["eqod_multi_large"] - large) <= TOL
    assert report["eqod_multi"] >= report["eqod_multi_large"]
    assert "D" not in (report["worst_group"], report["best_group"])
    tpr = table.drop(index="D")["tpr"]
    assert (report["worst_group"], report["best_group"]) == (tpr.idxmin(), tpr.idxmax())
    w, b = report["worst_group"], report["best_group"]
    assert abs(report["worst_gap"] - 0.5 * (abs(table.at[w, "tpr"] - table.at[b, "tpr"])
                                            + abs(table.at[w, "fpr"] - table.at[b, "fpr"]))) <= TOL
