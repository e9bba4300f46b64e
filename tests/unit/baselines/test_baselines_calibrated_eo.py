"""Calibrated equalized odds (Pleiss et al. 2017) against its definition."""

import numpy as np
import pytest

from fairflip.baselines import CalibratedEqualizedOdds, fit_base, generalized_cost
from fairflip.exceptions import ConfigError


def _generalized_rates(scores, y):
    return scores[y == 0].mean(), 1 - scores[y == 1].mean()


def test_generalized_cost_by_hand():
    s = np.array([0.2, 0.4, 0.7, 0.9])
    y = np.array([0, 0, 1, 1])
    gfpr, gfnr = 0.3, 0.2
    assert generalized_cost(s, y, cost_constraint="fpr") == pytest.approx(gfpr)
    assert generalized_cost(s, y, cost_constraint="fnr") == pytest.approx(gfnr)
    assert generalized_cost(s, y, cost_constraint="weighted") == pytest.approx(
        (gfpr * 0.5 + gfnr * 0.5) / 2)
    with pytest.raises(ConfigError, match="'cost_constraint'"):
        generalized_cost(s, y, cost_constraint="tpr")


@pytest.mark.parametrize("cost", ["fnr", "fpr", "weighted"])
def test_expected_costs_are_equal_on_the_calibration_set(cost):
    rng = np.random.default_rng(1)
    n = 4000
    g = (rng.random(n) < 0.4).astype(np.int8)
    # Calibrated by construction: y ~ Bernoulli(score); the acting group's scores are
    # sharper (Beta(0.5, 0.5)), so the groups' costs differ.
    scores = np.where(g == 1, rng.beta(0.5, 0.5, n), rng.beta(2, 2, n))
    y = (rng.random(n) < scores).astype(np.int8)
    ceo = CalibratedEqualizedOdds(cost_constraint=cost).fit(scores, y, g)
    assert (ceo.mix_rate_ > 0).sum() == 1
    cheap = int(np.argmax(ceo.mix_rate_))
    assert ceo.cost_[cheap] < ceo.cost_[1 - cheap]
    expected = ceo.expected_scores(scores, g)
    costs = [generalized_cost(expected[g == v], y[g == v], cost_constraint=cost) for v in (0, 1)]
    assert costs[0] == pytest.approx(costs[1], abs=1e-12)
    # The other group is untouched; withheld rows get their group's base rate.
    np.testing.assert_array_equal(expected[g == 1 - cheap], scores[g == 1 - cheap])
    out = ceo.transform_scores(scores, g, random_state=0)
    changed = out != scores
    assert (g[changed] == cheap).all()
    np.testing.assert_allclose(out[changed], y[g == cheap].mean())
    # Realised withholding rate matches mix_rate_ up to sampling noise.
    assert changed[g == cheap].mean() == pytest.approx(ceo.mix_rate_[cheap], abs=0.05)


def test_zero_mixing_reproduces_the_calibrated_classifier():
    rng = np.random.default_rng(2)
    scores = rng.random(500)
    g = (rng.random(500) < 0.5).astype(np.int8)
    y = (rng.random(500) < scores).astype(np.int8)
    ceo = CalibratedEqualizedOdds().fit(scores, y, g)
    ceo.mix_rate_ = np.zeros(2)
    # aif360's rule: the thresholded scores.
    ceo.set_params(threshold=0.5)
    np.testing.assert_array_equal(ceo.predict(scores, g, random_state=0),
                                  (scores >= 0.5).astype(np.int8))
    # The default: each label drawn with probability equal to its score; the documented
    # draws are n uniforms for the withholding, then n for the labels.
    ceo.set_params(threshold=None)
    u = np.random.RandomState(0).random_sample(1000)[500:]
    np.testing.assert_array_equal(ceo.predict(scores, g, random_state=0),
                                  (u < scores).astype(np.int8))


def test_infeasible_equalisation_is_clipped_and_reported():
    # Group 1's scores are perfect (cost 0) and its trivial cost is below group 0's cost:
    # even withholding all of group 1 leaves it cheaper.
    scores = np.array([0.9, 0.9, 0.1, 0.1, 0.0, 1.0, 0.0, 1.0])
    y = np.array([0, 0, 1, 1, 0, 1, 0, 1])
    g = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    ceo = CalibratedEqualizedOdds(cost_constraint="fpr").fit(scores, y, g)
    assert ceo.cost_.tolist() == pytest.approx([0.9, 0.0])
    assert ceo.trivial_cost_[1] == pytest.approx(0.5)
    assert ceo.mix_rate_.tolist() == [0.0, 1.0] and not ceo.equalized_
    with pytest.raises(ConfigError, match="'threshold'"):
        CalibratedEqualizedOdds(threshold=1.5).fit(scores, y, g)


def test_equalised_cost_gap_shrinks_on_test(biased_split):
    # The method's promise is about the generalised cost, not hard-label EqOd: check it on
    # held-out rows with the expected scores.
    s = biased_split
    base = fit_base(s, random_state=0)
    ceo = CalibratedEqualizedOdds().fit(base.predict_proba(s.X_train)[:, 1], s.y_train, s.g_train)
    p = base.predict_proba(s.X_test)[:, 1]
    post = ceo.expected_scores(p, s.g_test)

    def gap(scores):
        c = [generalized_cost(scores[s.g_test == v], s.y_test[s.g_test == v]) for v in (0, 1)]
        return abs(c[0] - c[1])

    assert gap(post) < gap(p)


def test_same_seed_same_predictions():
    rng = np.random.default_rng(4)
    scores, g = rng.random(300), (rng.random(300) < 0.5).astype(np.int8)
    y = (rng.random(300) < scores).astype(np.int8)
    ceo = CalibratedEqualizedOdds().fit(scores, y, g)
    np.testing.assert_array_equal(ceo.predict(scores, g, random_state=7),
                                  ceo.predict(scores, g, random_state=7))
