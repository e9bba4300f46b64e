"""A scorer written outside the package: instances everywhere a method is taken, and the
public contract check (each rule caught by a scorer that breaks only that rule)."""

import numpy as np
import pytest
from sklearn.base import clone

import fairflip
from fairflip.advisor import advise
from fairflip.collective import rank_collective, view_from_split
from fairflip.data import split_problem
from fairflip.exceptions import ConfigError
from fairflip.organiser import CollectiveRelabeler
from fairflip.scorers import (
    SCORER_RULES,
    BaseScorer,
    InfluenceScorer,
    OracleScorer,
    RandomScorer,
    RBDistScorer,
    RBLabelScorer,
    RBProbScorer,
    check_scorer,
)
from fairflip.simulation import evaluate


class CentroidScorer(BaseScorer):
    """Minus the squared distance to the known positive rows' centroid."""

    deterministic = True

    def __init__(self, shift=0.0):
        self.shift = shift

    def _fit(self, X, y):
        self.centre_ = X[y == 1].mean(axis=0) + self.shift

    def _score(self, X, index):
        return -((X - self.centre_) ** 2).sum(axis=1)


class NoisyScorer(BaseScorer):
    """Seeded noise: takes the protocol's random_state."""

    needs_knowledge = False

    def __init__(self, random_state=None):
        self.random_state = random_state

    def _fit(self, X, y):
        self.rng_ = np.random.default_rng(self.random_state)

    def _score(self, X, index):
        return self.rng_.random(X.shape[0])


# ---------------------------------------------------------------- instances everywhere

def _problem():
    return fairflip.data.make_synthetic(n_rows=500, n_features=4, random_state=1)


def test_instance_through_evaluate_matches_an_independent_ranking():
    problem = _problem()
    scorer = CentroidScorer()
    out = evaluate(problem, method=scorer, budget=5, random_state=3)
    assert out.method == "CentroidScorer" and out.n_flips == 5
    assert not hasattr(scorer, "centre_")  # cloned, never fitted in place
    # Independent reference: the same members and known rows, ranked by hand.
    split = split_problem(problem, random_state=3)
    ranking = rank_collective(split.scoring_view(split.X_train), split.y_train, split.g_train,
                              method=CentroidScorer(), alpha=0.3, random_state=3)
    X = split.scoring_view(split.X_train)
    known = ranking.known
    centre = X[known][split.y_train[known] == 1].mean(axis=0)
    by_hand = -((X[ranking.ranked] - centre) ** 2).sum(axis=1)
    np.testing.assert_allclose(ranking.scores, by_hand)
    assert (np.diff(ranking.scores) <= 0).all()


def test_instance_parameters_are_kept_and_instances_differ():
    split = split_problem(_problem(), random_state=0)
    args = (split.scoring_view(split.X_train), split.y_train, split.g_train)
    cache = {}
    a = rank_collective(*args, method=CentroidScorer(), random_state=0, scorer_cache=cache)
    b = rank_collective(*args, method=CentroidScorer(shift=5.0), random_state=0,
                        scorer_cache=cache)
    assert not np.array_equal(a.scores, b.scores)


def test_instance_random_state_none_gets_the_protocols_seed():
    split = split_problem(_problem(), random_state=0)
    args = (split.scoring_view(split.X_train), split.y_train, split.g_train)
    one = rank_collective(*args, method=NoisyScorer(), random_state=4)
    two = rank_collective(*args, method=NoisyScorer(), random_state=4)
    other = rank_collective(*args, method=NoisyScorer(), random_state=5)
    np.testing.assert_array_equal(one.ranked, two.ranked)
    assert not np.array_equal(one.scores, other.scores)  # negative control


def test_instance_through_the_relabeler_and_advise():
    split = split_problem(_problem(), random_state=0)
    X = split.scoring_view(split.X_train)
    rel = CollectiveRelabeler(method=CentroidScorer(), alpha=0.5, budget=4, random_state=0)
    y_new = rel.fit_relabel(X, split.y_train, groups=split.g_train)
    assert int((y_new != split.y_train).sum()) == 4
    assert clone(rel).method.get_params() == {"shift": 0.0}
    view = view_from_split(split, members=rel.ranking_.members, known=rel.ranking_.known,
                           alpha=0.5, group_share=float(split.g_train.mean()))
    advice = advise(view, method=CentroidScorer(), n_bootstrap=20, budget_points=5)
    assert advice.method == "CentroidScorer"
    assert 0 <= advice.recommended_budget <= advice.n_candidates


def test_a_class_is_refused_in_one_line():
    with pytest.raises(ConfigError, match="not a class"):
        evaluate(_problem(), method=CentroidScorer, budget=1)


# ---------------------------------------------------------------- check_scorer

def _pool(n=120, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 5))
    y = (X[:, 0] + rng.normal(size=n) > 0).astype(int)
    g = (rng.random(n) < 0.4).astype(int)
    return X, y, g


@pytest.mark.parametrize("scorer", [
    RBProbScorer(), RBLabelScorer(k=3), RBDistScorer(k=3), RandomScorer(),
    OracleScorer(counterfactual_proba=np.linspace(0, 1, 40)),
    InfluenceScorer(*_pool()), CentroidScorer(), NoisyScorer(),
], ids=lambda s: type(s).__name__)
def test_builtin_and_well_behaved_scorers_pass(scorer):
    check_scorer(scorer)


class NaNScorer(CentroidScorer):
    def _score(self, X, index):
        out = super()._score(X, index)
        out[0] = np.nan
        return out


class ShapeScorer(CentroidScorer):
    def _score(self, X, index):
        return super()._score(X, index)[:-1]


class MutatingScorer(CentroidScorer):
    def _fit(self, X, y):
        super()._fit(X, y)
        X -= 1.0  # in place: the caller's rows change (BaseScorer passes float64 as is)


class UnseededScorer(NoisyScorer):
    def _fit(self, X, y):
        self.rng_ = np.random.default_rng()  # ignores random_state


class BadInitScorer(CentroidScorer):
    def __init__(self, shift=0.0):
        self.shift = shift + 1.0  # __init__ must store its arguments unchanged


class OrderScorer(CentroidScorer):
    """Declares determinism but scores by position."""

    def _score(self, X, index):
        return -np.arange(X.shape[0], dtype=float)


@pytest.mark.parametrize("broken, rule", [
    (BadInitScorer(), "clone round-trips"),
    (NaNScorer(), "finite scores of the right shape"),
    (ShapeScorer(), "finite scores of the right shape"),
    (MutatingScorer(), "inputs not mutated"),
    (UnseededScorer(), "same scores for the same random_state"),
    (OrderScorer(), "row-order invariance (deterministic scorers)"),
], ids=lambda x: x if isinstance(x, str) else type(x).__name__)
def test_check_scorer_names_the_broken_rule(broken, rule):
    assert rule in SCORER_RULES
    with pytest.raises(AssertionError, match=f"rule '{__import__('re').escape(rule)}' broken by "
                                             f"{type(broken).__name__}"):
        check_scorer(broken)


def test_check_scorer_refuses_a_non_scorer():
    with pytest.raises(ConfigError, match="BaseScorer instance"):
        check_scorer(object())


def test_order_rule_applies_only_to_declared_deterministic_scorers():
    class Positional(OrderScorer):
        deterministic = False

    check_scorer(Positional())  # not declared deterministic: its order is not checked


def test_check_scorer_does_not_need_pytest():
    import ast
    import inspect

    from fairflip.scorers import _check

    tree = ast.parse(inspect.getsource(_check))
    imported = {a.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import | ast.ImportFrom) for a in node.names} | {
        (node.module or "").split(".")[0] for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)}
    assert "pytest" not in imported
