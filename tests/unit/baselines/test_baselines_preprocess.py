"""Kamiran & Calders' reweighing and massaging against their definitions."""

import numpy as np
import pytest

from fairflip.baselines import massage_labels, massaging_pairs, reweighing_weights
from fairflip.exceptions import ConfigError, DataError


def test_reweighing_weights_by_hand():
    # 10 rows: group 1 has 4 rows (1 positive), group 0 has 6 rows (4 positives).
    y = np.array([1, 0, 0, 0, 1, 1, 1, 1, 0, 0])
    g = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    # W(g, y) = P(g) P(y) / P(g, y) with P(y=1) = 0.5.
    expected = {(1, 1): 0.4 * 0.5 / 0.1, (1, 0): 0.4 * 0.5 / 0.3,
                (0, 1): 0.6 * 0.5 / 0.4, (0, 0): 0.6 * 0.5 / 0.2}
    w = reweighing_weights(y, g)
    for (gv, yv), value in expected.items():
        np.testing.assert_allclose(w[(g == gv) & (y == yv)], value)
    half = reweighing_weights(y, g, strength=0.5)
    np.testing.assert_allclose(half, 1 + 0.5 * (w - 1))
    np.testing.assert_array_equal(reweighing_weights(y, g, strength=0.0), np.ones(10))


def test_reweighing_makes_label_independent_of_group():
    rng = np.random.default_rng(3)
    g = (rng.random(400) < 0.3).astype(int)
    y = (rng.random(400) < np.where(g == 1, 0.2, 0.6)).astype(int)
    w = reweighing_weights(y, g)
    rates = [np.average(y[g == v], weights=w[g == v]) for v in (0, 1)]
    np.testing.assert_allclose(rates, [y.mean(), y.mean()])


def test_reweighing_rejects_bad_input():
    with pytest.raises(ConfigError, match="'strength'"):
        reweighing_weights([0, 1], [0, 1], strength=1.5)
    with pytest.raises(DataError, match="'y'"):
        reweighing_weights([0, 2], [0, 1])


def _toy_massaging(seed=0, n=300):
    rng = np.random.default_rng(seed)
    g = (rng.random(n) < 0.4).astype(np.int8)
    y = (rng.random(n) < np.where(g == 1, 0.25, 0.6)).astype(np.int8)
    scores = rng.random(n)
    return y, g, scores


def test_massaging_pair_count_equalises_positive_rates():
    y, g, scores = _toy_massaging()
    plan = massaging_pairs(y, g, scores)
    assert plan.deprived == 1
    y_new = massage_labels(y, plan, n_pairs=plan.n_pairs_max)
    rates = [y_new[g == v].mean() for v in (0, 1)]
    # M is rounded to an integer, so the rates agree to one row of either group.
    assert abs(rates[0] - rates[1]) <= 1 / (g == 1).sum() + 1 / (g == 0).sum()
    # One pair fewer or more leaves a larger gap (M is the integer optimum).
    for m in (plan.n_pairs_max - 1, plan.n_pairs_max + 1):
        other = massage_labels(y, plan, n_pairs=m)
        gap = abs(other[g == 0].mean() - other[g == 1].mean())
        assert gap >= abs(rates[0] - rates[1])


@pytest.mark.parametrize("n_pairs", [0, 1, 7, 20])
def test_massaging_changes_exactly_2m_labels_in_the_right_direction(n_pairs):
    y, g, scores = _toy_massaging()
    plan = massaging_pairs(y, g, scores)
    y_new = massage_labels(y, plan, n_pairs=n_pairs)
    changed = np.flatnonzero(y_new != y)
    assert changed.size == 2 * n_pairs
    promoted = changed[y_new[changed] == 1]
    demoted = changed[y_new[changed] == 0]
    assert promoted.size == demoted.size == n_pairs
    assert (g[promoted] == 1).all() and (y[promoted] == 0).all()
    assert (g[demoted] == 0).all() and (y[demoted] == 1).all()
    # The ranker decides: promoted are the highest-scored deprived negatives, demoted the
    # lowest-scored favoured positives.
    neg_dep = np.sort(scores[(g == 1) & (y == 0)])[::-1]
    pos_fav = np.sort(scores[(g == 0) & (y == 1)])
    np.testing.assert_array_equal(np.sort(scores[promoted])[::-1], neg_dep[:n_pairs])
    np.testing.assert_array_equal(np.sort(scores[demoted]), pos_fav[:n_pairs])


def test_massaging_promotes_whichever_group_is_deprived():
    y, g, scores = _toy_massaging()
    plan = massaging_pairs(y, 1 - g, scores)
    assert plan.deprived == 0
    assert ((1 - g)[plan.promote] == 0).all()


def test_massaging_rejects_too_many_pairs():
    y, g, scores = _toy_massaging()
    plan = massaging_pairs(y, g, scores)
    with pytest.raises(ConfigError, match="'n_pairs'"):
        massage_labels(y, plan, n_pairs=10_000)
