"""The stealth-aware plan: re-planning order, and the information boundary (only the
collective's view reaches its audit)."""

from dataclasses import replace

import numpy as np
import pytest

from fairflip.collective._stealth import audit_risk, down_rank, stealth_order
from fairflip.simulation._evaluate import rank_split, stealth_ranking


def test_down_rank_keeps_both_parts_in_rank_order():
    rng = np.random.default_rng(0)
    ranked = rng.permutation(50)
    risky = rng.random(50) < 0.3
    out = down_rank(ranked, risky)
    n_safe = int((~risky).sum())
    np.testing.assert_array_equal(out[:n_safe], ranked[~risky])
    np.testing.assert_array_equal(out[n_safe:], ranked[risky])


def test_stealth_order_replaces_flagged_flips_with_the_next_candidates():
    ranked = np.array([10, 11, 12, 13, 14, 15])
    suspicious = {11, 13}
    seen = []

    def risk(planned):
        seen.append(list(planned))
        return np.isin(planned, list(suspicious))

    order, risky = stealth_order(ranked, 3, risk)
    # Round 1 plans 10, 11, 12 and flags 11; round 2 plans 10, 12, 13 and flags 13;
    # round 3 plans 10, 12, 14 and flags nothing.
    assert seen == [[10, 11, 12], [10, 12, 13], [10, 12, 14]]
    np.testing.assert_array_equal(order, [10, 12, 14, 15, 11, 13])
    np.testing.assert_array_equal(risky, [False, False, False, False, True, True])


def test_stealth_order_stops_when_nothing_is_flagged():
    calls = []
    order, risky = stealth_order(np.arange(5), 2, lambda p: calls.append(p) or np.zeros(p.size, bool))
    assert len(calls) == 1
    np.testing.assert_array_equal(order, np.arange(5))
    assert not risky.any()


def _poison_outside_view(split, ranking, seed=0):
    """The split with every training row outside the collective's view, and every test row,
    replaced by noise with scrambled labels."""
    rng = np.random.default_rng(seed)
    view = np.zeros(split.y_train.size, dtype=bool)
    view[ranking.members] = True
    view[ranking.known] = True
    X_train, y_train = split.X_train.copy(), split.y_train.copy()
    outside = ~view
    X_train[outside] = rng.normal(size=(outside.sum(), X_train.shape[1])) * 50
    y_train[outside] = rng.integers(0, 2, outside.sum())
    X_test = rng.normal(size=split.X_test.shape) * 50
    return replace(split, X_train=X_train, y_train=y_train, X_test=X_test,
                   y_test=1 - split.y_test), outside


@pytest.mark.parametrize("audit", ["cleanlab", "loss"])
def test_stealth_plan_never_reads_rows_outside_the_view(synthetic_split, audit):
    split = synthetic_split
    ranking = rank_split(split, method="random", alpha=0.6, random_state=1)
    # The random scorer knows no rows; give the collective half of the other group.
    ranking = replace(ranking, known=ranking.known[::2])
    n_flips = ranking.n_candidates // 2
    planned = stealth_ranking(split, ranking, n_flips, audit=audit, q=0.2, random_state=1)
    poisoned, outside = _poison_outside_view(split, ranking)
    assert outside.sum() > 150  # the acting group's non-members and unknown majority rows
    again = stealth_ranking(poisoned, ranking, n_flips, audit=audit, q=0.2, random_state=1)
    # Not vacuous: the collective's audit did move candidates.
    assert planned.risky.any()
    assert not np.array_equal(planned.ranked, ranking.ranked)
    np.testing.assert_array_equal(again.ranked, planned.ranked)
    np.testing.assert_array_equal(again.risky, planned.risky)


def test_audit_risk_sees_the_planned_flips_only_in_the_shadow_pool():
    # Candidates far on the negative side are implausible positives: flagged when planned.
    rng = np.random.default_rng(0)
    X_known = rng.normal(size=(200, 1))
    y_known = (X_known[:, 0] > 0).astype(int)
    X_members = rng.normal(size=(60, 1))
    y_members = (X_members[:, 0] > 0).astype(int)
    deep = np.flatnonzero(X_members[:, 0] < -1.5)
    assert deep.size >= 2
    flags = audit_risk(X_members, y_members, deep, X_known, y_known, random_state=0)
    assert flags.all()
