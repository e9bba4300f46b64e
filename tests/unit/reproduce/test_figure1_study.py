"""The Figure-1 study: one row per scorer, numbers checked against scikit-learn and fairlearn."""

import numpy as np
import pytest
from fairlearn.metrics import equalized_odds_difference
from sklearn.linear_model import LogisticRegression

from fairflip.data import make_figure1_toy
from fairflip.exceptions import ConfigError
from fairflip.reproduce._figure1 import (
    FIGURE1_STUDY_COLUMNS,
    figure1_fits,
    figure1_runs,
    figure1_study,
)

SCORERS = ("rb-prob", "rb-label", "rb-dist", "random", "oracle")


@pytest.fixture(scope="module")
def runs():
    return figure1_runs([0, 1, 2], population=3000)


def _reference(toy, labels):
    """Error and EqOd (original labels) of scikit-learn's logistic regression on ``labels``."""
    X = toy.features.to_numpy()
    pred = LogisticRegression(tol=1e-10, max_iter=1000).fit(X, labels).predict(X)
    return (np.mean(pred != toy.y),
            equalized_odds_difference(toy.y, pred, sensitive_features=toy.group, agg="mean"))


def test_study_has_one_row_per_scorer():
    table = figure1_study([0, 1], population=2000)
    assert tuple(table.columns) == FIGURE1_STUDY_COLUMNS
    assert tuple(table["scorer"]) == SCORERS
    assert (table["n_seeds"] == 2).all() and (table["n_flips"] == 6).all()
    assert not table["group_aware"].any()
    assert table[[c for c in FIGURE1_STUDY_COLUMNS if c.endswith("_mean")]].notna().all().all()


def test_base_and_oracle_numbers_match_references(runs):
    for seed in (0, 1, 2):
        toy = make_figure1_toy(random_state=seed)
        rows = runs[runs.seed == seed].set_index("scorer")
        error, eqod = _reference(toy, toy.y)
        np.testing.assert_allclose(rows["base_error"], error)
        np.testing.assert_allclose(rows["base_eqod"], eqod)
        # the oracle's flips: the minority's negatives with the highest known P0(Y=1 | g(x))
        candidates = np.flatnonzero((toy.group == 1) & (toy.y == 0))
        top = candidates[np.argsort(-toy.counterfactual.proba[candidates])[:6]]
        labels = toy.y.copy()
        labels[top] = 1
        error, eqod = _reference(toy, labels)
        assert rows.loc["oracle", "error"] == pytest.approx(error)
        assert rows.loc["oracle", "eqod"] == pytest.approx(eqod)
        assert rows.loc["oracle", "cf_positive_share"] == toy.counterfactual.label[top].mean()


def test_oracle_finds_the_most_counterfactual_positives(runs):
    share = runs.pivot(index="seed", columns="scorer", values="cf_positive_share")
    assert (share.max(axis=1) == share["oracle"]).all()


def test_fits_match_the_study_row():
    fits = figure1_fits(1, "rb-dist")
    row = figure1_runs([1], scorers=["rb-dist"], population=500).iloc[0]
    assert fits["before"]["error"] == pytest.approx(row["base_error"])
    assert fits["after"]["eqod"] == pytest.approx(row["eqod"])
    assert fits["flipped"].size == 6 and (fits["y"][fits["flipped"]] == 0).all()
    assert (fits["group"][fits["flipped"]] == 1).all()
    assert figure1_fits(1, "oracle", group_aware=True)["before"]["coef"].size == 3


@pytest.mark.parametrize("kwargs, match", [
    ({"scorers": ["rb-magic"]}, r"^The 'scorers' parameter must list names from"),
    ({"flips": 0}, r"^The 'flips' parameter must be an integer >= 1\. Got 0 instead\.$"),
    ({"seeds": []}, r"^The 'seeds' parameter must be a non-empty list of ints"),
    ({"params": {"n_points": 50}}, r"^The 'params' parameter must not set 'n_points'"),
])
def test_bad_options_raise_one_line(kwargs, match):
    kwargs = {"seeds": [0], "population": 100, **kwargs}
    with pytest.raises(ConfigError, match=match) as info:
        figure1_runs(**kwargs)
    assert "\n" not in str(info.value)
