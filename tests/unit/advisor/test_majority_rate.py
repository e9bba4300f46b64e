"""The majority's favourable rate as a public fact, and the advisor that leans on it (issue 23)."""

import dataclasses

import numpy as np
import pytest

from fairflip.advisor import advise, predicted_choices
from fairflip.advisor._shadow import shadow_majority
from fairflip.collective import MSG_RATE_NEEDS_SHARE, CollectiveView, rank_collective, view_from_split
from fairflip.data import make_synthetic, split_problem
from fairflip.exceptions import ConfigError, DataError
from fairflip.organiser import CollectiveRelabeler


@pytest.fixture(scope="module")
def split():
    return split_problem(make_synthetic(n_rows=3000, random_state=2), random_state=2)


def _view(split, knowledge="all", rate=None, seed=0):
    r = rank_collective(split.scoring_view(split.X_train), split.y_train, split.g_train,
                        alpha=0.3, knowledge=knowledge, random_state=seed, method="rb-label", k=1)
    return r, view_from_split(split, members=r.members, known=r.known, alpha=0.3,
                              group_share=float(split.g_train.mean()), majority_rate=rate)


@pytest.mark.parametrize("rate", [0.0, 1.0, -0.1, 1.5, float("nan"), True, "0.4"])
def test_rate_outside_the_open_interval_is_refused(rate):
    with pytest.raises(ConfigError, match="majority_rate"):
        CollectiveView(np.zeros((2, 1)), [0, 1], [0, 1], np.zeros((2, 1)), [0, 1], [2, 3], ("x",),
                       group_share=0.3, majority_rate=rate)


def test_rate_needs_a_group_share():
    with pytest.raises(ConfigError, match="group_share") as info:
        CollectiveView(np.zeros((2, 1)), [0, 1], [0, 1], np.zeros((2, 1)), [0, 1], [2, 3], ("x",),
                       majority_rate=0.4)
    assert str(info.value) == MSG_RATE_NEEDS_SHARE.format(rate=0.4)


def test_advise_sets_the_rate_through_the_view(split):
    _, view = _view(split, knowledge=100)
    rate = float(split.y_train[split.g_train == 0].mean())
    a = advise(view, majority_rate=rate, budget_points=11, random_state=1)
    b = advise(dataclasses.replace(view, majority_rate=rate), budget_points=11, random_state=1)
    assert a.recommended_budget == b.recommended_budget
    np.testing.assert_array_equal(a.eqod, b.eqod)
    assert a.assumptions["majority_rate"] == rate and a.assumptions["majority_rate_stated"]
    with pytest.raises(ConfigError, match="majority_rate"):
        advise(view, majority_rate=1.2)


def test_without_a_rate_nothing_changes(split):
    """No rate: the other group is the known rows with their own labels, weight 1 each."""
    _, view = _view(split, knowledge=200)
    maj = shadow_majority(view)
    assert maj.kind == "rows" and maj.prior_weight == 0
    np.testing.assert_array_equal(maj.y, view.y_known)
    np.testing.assert_array_equal(maj.mass, np.ones(view.n_known))


def test_rate_anchored_majority_has_the_stated_rate_and_shrinks_with_rows(split):
    rate = 0.37
    weights = []
    for n in (10, 100, 1000):
        _, view = _view(split, knowledge=n, rate=rate)
        maj = shadow_majority(view)
        positive = maj.mass[maj.y == 1].sum() / maj.mass.sum()
        assert positive == pytest.approx(rate)  # the stated rate, whatever the rows hold
        np.testing.assert_allclose(np.bincount(maj.source, weights=maj.mass), 1.0)
        weights.append(maj.prior_weight)
    assert weights[0] > weights[1] > weights[2] > 0  # more rows, less prior


def test_one_label_or_no_rows_advise_with_a_rate_and_fail_without(split):
    r, view = _view(split, knowledge=100)
    neg = np.flatnonzero(view.y_known == 0)
    one = dataclasses.replace(view, X_known=view.X_known[neg], y_known=view.y_known[neg],
                              known_ids=view.known_ids[neg])
    none = dataclasses.replace(view, X_known=view.X_known[:0], y_known=view.y_known[:0],
                               known_ids=view.known_ids[:0])
    with pytest.raises(DataError, match="--majority-rate"):
        advise(one, budget_points=11)
    with pytest.raises(ConfigError, match="--majority-rate"):
        advise(none, budget_points=11)
    for v in (one, none):
        result = advise(v, majority_rate=0.45, budget_points=11, random_state=0)
        assert 0 <= result.recommended_budget <= result.n_candidates
        assert np.isfinite(result.eqod).all()
        assert sorted(result.order.tolist()) == v.candidates.tolist()


def test_relabeler_passes_the_rate_to_its_advice(split):
    X = split.scoring_view(split.X_train)
    rate = 0.41
    rel = CollectiveRelabeler(method="rb-prob", alpha=0.3, budget="auto", knowledge=100,
                              random_state=0, majority_rate=rate)
    rel.fit_relabel(X, split.y_train, groups=split.g_train)
    assert rel.advice_.assumptions["majority_rate"] == rate
    assert rel.n_flips_ == rel.advice_.recommended_budget


@pytest.mark.parametrize("rate", [None, 0.45])
def test_predicted_choices_equal_advise_per_rule(split, rate):
    """The development aid reads the rules off the same curve advise computes."""
    r, view = _view(split, knowledge=100, rate=rate)
    order = np.searchsorted(r.members, r.ranked)
    rules = ("clear-gain", "paired-gain", "argmin")
    chosen = predicted_choices(view, order, rules, budget_points=11, n_bootstrap=50,
                               random_state=3)
    for rule in rules:
        advice = advise(view, order=order, rule=rule, budget_points=11, n_bootstrap=50,
                        random_state=3)
        j = int(np.flatnonzero(advice.budgets == advice.recommended_budget)[0])
        assert chosen[rule] == (advice.recommended_budget, pytest.approx(advice.eqod_low[j]),
                                pytest.approx(advice.eqod_high[j]))


def test_paired_gain_rule_uses_the_paired_difference():
    from fairflip.advisor._curve import Curves, choose_budget

    rng = np.random.default_rng(0)
    eqod = np.array([0.10, 0.07, 0.09])
    common = rng.normal(scale=0.03, size=(400, 1))
    paired = Curves(eqod, eqod, eqod + common + rng.normal(scale=0.002, size=(400, 3)), eqod)
    assert choose_budget(paired, "paired-gain") == 1
    assert choose_budget(paired, "clear-gain") == 0  # unpaired bands overlap
    # Negative control: independent noise as large as the gain -> no flips.
    noisy = Curves(eqod, eqod, eqod + rng.normal(scale=0.03, size=(400, 3)), eqod)
    assert choose_budget(noisy, "paired-gain") == 0
