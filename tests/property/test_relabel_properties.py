"""Invariants of the collective's relabelling on random data (Hypothesis, derandomized).

Only the collective's negative labels change, only 0 -> 1, never more than the budget, and
the same seed gives the same plan; for the organiser's plan the same.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fairflip.collective._plan import resolve_budget
from fairflip.exceptions import FairflipError
from fairflip.organiser._relabeler import CollectiveRelabeler
from fairflip.organiser._tables import plan_from_tables

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


@st.composite
def problems(draw):
    n = draw(st.integers(4, 40))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, draw(st.integers(1, 3))))
    y = (rng.random(n) < draw(st.floats(0.1, 0.9))).astype(int)
    g = (rng.random(n) < draw(st.floats(0.1, 0.9))).astype(int)
    return X, y, g


budgets = st.one_of(st.integers(0, 8), st.floats(0.0, 1.0))
methods = st.sampled_from(["random", "rb-label", "rb-dist", "rb-prob"])


@settings(SETTINGS, max_examples=150)
@given(problems(), methods, st.floats(0.2, 1.0), budgets, st.integers(0, 1000),
       st.integers(1, 5))
def test_relabeler_invariants(data, method, alpha, budget, seed, k):
    X, y, g = data
    relabeler = CollectiveRelabeler(method=method, alpha=alpha, budget=budget, k=k,
                                    random_state=seed)
    try:
        y_new = relabeler.fit_relabel(X, y, groups=g)
    except FairflipError:
        return  # a refusal (empty collective, budget above the pool, k too large) is allowed
    changed = np.flatnonzero(y_new != y)
    members = relabeler.ranking_.members
    # only the collective's negative labels change, and only 0 -> 1
    assert set(changed) <= set(members[y[members] == 0])
    assert (y[changed] == 0).all() and (y_new[changed] == 1).all()
    assert (g[changed] == 1).all()
    # never more than the budget
    pool = int((y[members] == 0).sum())
    assert changed.size == relabeler.n_flips_ == resolve_budget(budget, pool)
    if isinstance(budget, int):
        assert changed.size <= budget
    # same seed, same plan
    again = CollectiveRelabeler(method=method, alpha=alpha, budget=budget, k=k,
                                random_state=seed).fit_relabel(X, y, groups=g)
    np.testing.assert_array_equal(again, y_new)


@SETTINGS
@given(problems(), st.sampled_from(["random", "rb-label", "rb-dist", "rb-prob"]), budgets,
       st.integers(0, 1000))
def test_organiser_plan_invariants(data, method, budget, seed):
    X, y, g = data
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])]).assign(y=y)
    members, majority = frame[g == 1], frame[g == 0]
    kw = {"label": "y", "majority": majority, "method": method, "budget": budget, "k": 1}
    try:
        plan = plan_from_tables(members, random_state=seed, **kw)
    except FairflipError:
        return
    negatives = np.flatnonzero(members.y.to_numpy() == 0)
    assert sorted(plan.member_id) == negatives.tolist()  # only negative members are listed
    assert int(plan.flip.sum()) == resolve_budget(budget, negatives.size)
    pd.testing.assert_frame_equal(plan, plan_from_tables(members, random_state=seed, **kw))
