"""Stealth-aware advice (``avoid_audit``): only the view reaches it, its plan is the plan the
organiser would make for the advised budget, and its output says what the ranking is."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from fairflip.advisor import advise
from fairflip.collective._ranking import rank_collective
from fairflip.collective._view import CollectiveView, view_from_split, view_from_tables
from fairflip.data import make_synthetic, split_problem
from fairflip.exceptions import ConfigError, DataError
from fairflip.organiser._tables import plan_from_tables


def _members_known(split, alpha=0.6, seed=1):
    r = rank_collective(split.scoring_view(split.X_train), split.y_train, split.g_train,
                        alpha=alpha, method="random", random_state=seed)
    # The random scorer knows no rows; give the collective half of the other group.
    return r.members, np.flatnonzero(split.g_train == 0)[::2]


def _view(split, members, known, alpha=0.6):
    return view_from_split(split, members=members, known=known, alpha=alpha,
                           group_share=float(split.g_train.mean()))


def _poisoned(split, members, known, seed=1):
    """The split with every training row outside the view, and the test split, replaced by
    noise with scrambled labels."""
    rng = np.random.default_rng(seed)
    outside = np.setdiff1d(np.arange(split.y_train.size), np.concatenate([members, known]))
    X_train, y_train = split.X_train.copy(), split.y_train.copy()
    X_train[outside] = rng.normal(scale=50, size=X_train[outside].shape)
    y_train[outside] = rng.integers(0, 2, outside.size)
    return dataclasses.replace(split, X_train=X_train, y_train=y_train,
                               X_test=rng.normal(scale=50, size=split.X_test.shape),
                               y_test=1 - split.y_test), outside


@pytest.mark.parametrize("audit", ["cleanlab", "loss"])
def test_stealth_advice_never_reads_rows_outside_the_view(synthetic_split, audit):
    split = synthetic_split
    members, known = _members_known(split)
    kw = dict(method="random", avoid_audit=audit, audit_q=0.2, random_state=2)
    clean = advise(_view(split, members, known), **kw)
    bad, outside = _poisoned(split, members, known)
    assert outside.size > 150  # the acting group's non-members and unknown majority rows
    again = advise(_view(bad, members, known), **kw)
    # Not vacuous: the collective's audit did flag candidates and re-plan the ranking.
    assert clean.stealth["n_risky"] > 0
    assert not np.array_equal(clean.order, advise(_view(split, members, known), method="random",
                                                  random_state=2).order)
    assert again.recommended_budget == clean.recommended_budget
    np.testing.assert_array_equal(again.order, clean.order)
    np.testing.assert_array_equal(again.eqod, clean.eqod)
    np.testing.assert_array_equal(again.eqod_high, clean.eqod_high)
    assert again.stealth == clean.stealth


def test_stealth_advice_plans_what_the_organiser_plans():
    # The organiser's plan_from_tables with budget="auto" ranks, advises and re-plans through
    # its own code path; its flips must be the advice's flips.
    split = split_problem(make_synthetic(n_rows=1500, n_features=4, minority_share=0.3,
                                         label_bias=1.5, isolation=1.0, random_state=0),
                          test_size=0.3, random_state=1)  # a split where flips are advised
    members, known = _members_known(split)
    known = np.flatnonzero(split.g_train == 0)
    X = split.scoring_view(split.X_train)
    cols = [f"x{i}" for i in range(X.shape[1])]
    m = pd.DataFrame(X[members], columns=cols).assign(y=split.y_train[members],
                                                      pid=split.train_ids[members])
    j = pd.DataFrame(X[known], columns=cols).assign(y=split.y_train[known])
    view = view_from_tables(m, label="y", majority=j, id_column="pid", alpha=0.6,
                            group_share=0.3)
    advice = advise(view, method="random", avoid_audit="cleanlab", random_state=5)
    table = plan_from_tables(m, label="y", majority=j, id_column="pid", method="random",
                             budget="auto", alpha=0.6, group_share=0.3, random_state=5,
                             avoid_audit="cleanlab")
    # Not vacuous: flips are advised and the stealth plan is not the plain one.
    assert advice.recommended_budget > 0 and advice.stealth["n_risky"] > 0
    flips = set(table.loc[table["flip"], "member_id"].tolist())
    assert flips == set(view.member_ids[advice.flipped()].tolist())
    assert "flagged_by_own_audit" in table


def test_stealth_advice_reports_its_ranking_and_the_flags_it_avoids(synthetic_split):
    split = synthetic_split
    members, known = _members_known(split)
    plain = advise(_view(split, members, known), method="random", random_state=2)
    assert plain.ranking == "plain" and plain.stealth is None
    assert "plain_eqod" not in plain.to_dict()["curve"][0]
    result = advise(_view(split, members, known), method="random", avoid_audit=True,
                    random_state=2)
    data = result.to_dict()
    assert data["ranking"] == "stealth-aware" and data["stealth"]["audit"] == "cleanlab"
    st = data["stealth"]
    assert st["flags_avoided"] == st["flagged_plain"] - st["flagged_stealth"]
    assert 0 <= st["flagged_stealth"] <= result.recommended_budget
    assert 0 <= st["n_risky_flipped"] <= st["n_risky"]
    # The stealth ranking is a re-ordering of the same candidates; the plain curve comes along.
    assert sorted(result.order.tolist()) == sorted(plain.order.tolist())
    np.testing.assert_allclose([c["plain_eqod"] for c in data["curve"]], plain.eqod)
    assert st["plain_eqod"] == pytest.approx(
        plain.eqod[list(plain.budgets).index(result.recommended_budget)])


def test_stealth_advice_bad_input(synthetic_split):
    split = synthetic_split
    members, known = _members_known(split)
    with pytest.raises(ConfigError, match="avoid_audit"):
        advise(_view(split, members, known), method="random", avoid_audit="none")
    with pytest.raises(ConfigError, match="audit_q"):
        advise(_view(split, members, known), method="random", avoid_audit="loss", audit_q=1.5)
    # Too few rows of a label for the collective's own audit folds.
    rng = np.random.default_rng(0)
    tiny = CollectiveView(rng.normal(size=(6, 2)), [0, 0, 1, 0, 0, 0], np.arange(6),
                          rng.normal(size=(4, 2)), [0, 1, 0, 1], np.arange(4), ("a", "b"),
                          group_share=0.3, alpha=0.5)
    with pytest.raises(DataError, match="own audit .* at least 5 rows .* Got 7 negative and 4 positive"):
        advise(tiny, method="random", avoid_audit="cleanlab", n_bootstrap=10,
               budget_points=3)
