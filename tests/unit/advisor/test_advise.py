"""The advisor: rule, band, every scorer and model class, and its predicted curve against the
firm's true test curve on the synthetic causal model."""

import numpy as np
import pytest

from fairflip.advisor import advise, rank_view
from fairflip.advisor._curve import Curves, choose_budget
from fairflip.advisor._shadow import out_of_fold_predictions, shadow_weights
from fairflip.collective._ranking import rank_collective
from fairflip.collective._view import CollectiveView, view_from_split
from fairflip.data import make_synthetic, split_problem
from fairflip.exceptions import ConfigError, DataError
from fairflip.learning import LOGREG_C, fit_flip_path, predict_columns
from fairflip.metrics import equalized_odds_gap

JSON_KEYS = {"recommended_budget", "n_candidates", "predicted", "curve"}


def _view(split, *, alpha=0.5, knowledge="all", seed=0, method="rb-prob"):
    r = rank_collective(split.scoring_view(split.X_train), split.y_train, split.g_train,
                        alpha=alpha, knowledge=knowledge, random_state=seed, method=method)
    view = view_from_split(split, members=r.members, known=r.known, alpha=alpha,
                           group_share=float(split.g_train.mean()))
    return r, view


def _curves(eqod, sd):
    eqod = np.asarray(eqod, dtype=float)
    rng = np.random.default_rng(0)
    boot = eqod + rng.normal(scale=sd, size=(400, 1))  # a common shift: paired diffs are exact
    return Curves(eqod, eqod, boot, boot)


def test_rule_prefers_fewer_flips_within_one_standard_error():
    curve = [0.20, 0.10, 0.05, 0.045, 0.04, 0.08]
    assert choose_budget(_curves(curve, 0.001), "argmin") == 4
    assert choose_budget(_curves(curve, 0.001), "one-se") == 4
    assert choose_budget(_curves(curve, 0.012), "one-se") == 2
    assert choose_budget(_curves(curve, 0.012), "paired-se") == 4


def test_default_rule_takes_the_minimum_unless_its_gain_is_noise():
    curve = [0.20, 0.10, 0.05, 0.045, 0.04, 0.08]
    assert choose_budget(_curves(curve, 0.01)) == 4  # a common shift: the gain is certain
    rng = np.random.default_rng(1)
    eqod = np.array([0.050, 0.048, 0.049, 0.060])
    noisy = Curves(eqod, eqod, eqod + rng.normal(scale=0.01, size=(400, 4)), eqod + 0)
    assert choose_budget(noisy) == 0  # a gain of 0.002 against independent noise of 0.014


def test_rule_recommends_zero_when_no_budget_helps():
    assert choose_budget(_curves([0.05, 0.06, 0.09, 0.12], 0.01), "one-se") == 0
    assert choose_budget(_curves([0.05, 0.06, 0.09, 0.12], 0.01)) == 0
    assert choose_budget(_curves([0.05, 0.049, 0.09, 0.12], 0.01), "one-se") == 0
    with pytest.raises(ConfigError, match="rule"):
        choose_budget(_curves([0.1, 0.2], 0.01), "median")


def test_zero_flips_when_the_firm_is_already_fair():
    # No group effect at all: every flip only adds a gap.
    problem = make_synthetic(n_rows=1500, label_bias=0.0, isolation=0.0, random_state=1)
    split = split_problem(problem, random_state=1)
    _, view = _view(split)
    assert advise(view, random_state=0).recommended_budget == 0


def test_shadow_path_matches_scikit_learn_refits(synthetic_split):
    """The batched logistic path and scikit-learn's solver give the same shadow predictions."""
    r, view = _view(synthetic_split)
    order = np.searchsorted(r.members, r.ranked)
    budgets = np.array([0, 5, 10, view.n_candidates])
    w = shadow_weights(view)
    fast = out_of_fold_predictions(view, order, budgets, weights=w, n_folds=3)
    sk = out_of_fold_predictions(view, order, budgets, weights=w, n_folds=3,
                                 model="logreg", model_params={"C": LOGREG_C})
    assert (fast == sk).mean() > 0.995


def test_result_object_and_json_keys(synthetic_split):
    _, view = _view(synthetic_split)
    result = advise(view, random_state=0)
    data = result.to_dict()
    assert JSON_KEYS <= set(data)
    for metric in ("eqod", "error"):
        assert {"low", "high", "before", "after"} <= set(data["predicted"][metric])
    assert set(data["curve"][0]) >= {"budget", "eqod", "error", "low", "high"}
    assert data["curve"][0]["budget"] == 0 and data["curve"][-1]["budget"] == view.n_candidates
    # A band, not a confidence interval around the point: EqOd is an absolute gap, so near 0
    # its bootstrap percentiles can lie above the full-data estimate (the split decides).
    assert (result.eqod_low <= result.eqod_high + 1e-12).all()
    assert (result.error_low <= result.error_high + 1e-12).all()
    assert result.flipped().size == result.recommended_budget
    # Same seed, same numbers.
    again = advise(view, random_state=0)
    np.testing.assert_array_equal(again.eqod_low, result.eqod_low)


@pytest.mark.parametrize("method", ["rb-prob", "rb-label", "rb-dist", "random"])
def test_every_scorer(synthetic_split, method):
    _, view = _view(synthetic_split, method=method)
    result = advise(view, method=method, budget_points=6, n_bootstrap=20, random_state=0)
    assert 0 <= result.recommended_budget <= view.n_candidates
    assert result.method == method


def test_other_firm_model_classes(synthetic_split):
    _, view = _view(synthetic_split)
    result = advise(view, model="sklearn.tree.DecisionTreeClassifier",
                    model_params={"max_depth": 3}, budget_points=4, n_folds=2, n_bootstrap=20)
    assert result.budgets.size == 4 and result.model == "sklearn.tree.DecisionTreeClassifier"
    with pytest.raises(ConfigError, match="cannot be trained on the view"):
        advise(view, model="sklearn.neighbors.KNeighborsClassifier", budget_points=3)


def test_few_known_rows_say_the_band_is_wide():
    split = split_problem(make_synthetic(n_rows=4000, random_state=2), random_state=2)
    _, full = _view(split)
    _, few = _view(split, knowledge=10)
    wide, narrow = advise(few, random_state=0), advise(full, random_state=0)
    assert few.n_known == 10
    assert wide.band_width > 2 * narrow.band_width
    assert wide.wide_band and any("band is wide" in n for n in wide.notes)
    assert not narrow.wide_band


def test_bad_views():
    X = np.zeros((4, 1))
    with pytest.raises(DataError, match="no negatively"):
        advise(CollectiveView(X, [1, 1, 1, 1], range(4), X, [0, 1, 0, 1], range(4), ("x",)))
    with pytest.raises(DataError, match="positive rows"):
        advise(CollectiveView(X, [0, 0, 0, 0], range(4), X, [0, 1, 0, 1], range(4), ("x",)))
    with pytest.raises(DataError, match="both label values"):
        advise(CollectiveView(X, [0, 1, 0, 1], range(4), X, [1, 1, 1, 1], range(4), ("x",)))
    with pytest.raises(ConfigError, match="other group"):
        advise(CollectiveView(X, [0, 1, 0, 1], range(4), X[:0], [], [], ("x",)))
    with pytest.raises(ConfigError, match="oracle"):
        rank_view(CollectiveView(X, [0, 1, 0, 1], range(4), X, [0, 1, 0, 1], range(4), ("x",)),
                  method="oracle")


@pytest.mark.slow
def test_predicted_curve_tracks_the_true_test_curve_on_the_synthetic_model():
    """Across seeds, the firm's test EqOd lies inside the predicted band for most budgets."""
    inside = []
    for seed in range(4):
        problem = make_synthetic(n_rows=6000, random_state=seed)
        split = split_problem(problem, random_state=seed)
        r, view = _view(split, alpha=0.3, seed=seed)
        result = advise(view, order=np.searchsorted(r.members, r.ranked), random_state=seed)
        coef, intercept = fit_flip_path(split.X_train, split.y_train, r.ranked, result.budgets,
                                        C=LOGREG_C)
        pred = predict_columns(split.X_test, coef, intercept)
        true = np.array([equalized_odds_gap(split.y_test, p, split.g_test) for p in pred.T])
        inside.append(((true >= result.eqod_low) & (true <= result.eqod_high)).mean())
    assert np.mean(inside) > 0.5, inside


def test_relabeler_budget_auto_flips_the_advised_count(synthetic_split):
    from fairflip import CollectiveRelabeler

    split = synthetic_split
    X = split.scoring_view(split.X_train)
    relabeler = CollectiveRelabeler(method="rb-prob", alpha=0.5, budget="auto", random_state=0)
    y_new = relabeler.fit_relabel(X, split.y_train, groups=split.g_train)
    r, view = _view(split)
    expected = advise(view, order=np.searchsorted(r.members, r.ranked), random_state=0)
    assert relabeler.n_flips_ == relabeler.advice_.recommended_budget == expected.recommended_budget
    assert int((y_new != split.y_train).sum()) == relabeler.n_flips_


def test_top_level_advise_is_the_function(synthetic_split):
    import fairflip
    import fairflip.advisor  # noqa: F401  (the package must not shadow the function)

    _, view = _view(synthetic_split)
    assert fairflip.advise(view, budget_points=5, n_bootstrap=20).n_candidates == view.n_candidates
    assert isinstance(view, fairflip.CollectiveView)
