"""Issue 19's changes on purpose, pinned: one default per concept, one split, old paths that
warn and still return the same objects (so pickles that name them load)."""

from __future__ import annotations

import importlib
import inspect
import pickle
import warnings

import numpy as np
import pytest

import fairflip
from fairflip.cli import app

PUBLIC_SEEDED = [
    "fairflip.evaluate", "fairflip.split_problem", "fairflip.rank_collective",
    "fairflip.plan_from_tables", "fairflip.CollectiveRelabeler", "fairflip.make_plan",
    "fairflip.train_firm", "fairflip.make_model", "fairflip.make_scorer",
    "fairflip.scorers.RandomScorer", "fairflip.advise",
]


def _resolve(path):
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize("path", PUBLIC_SEEDED)
def test_one_random_state_default(path):
    assert inspect.signature(_resolve(path)).parameters["random_state"].default == 0


def test_one_split_for_one_seed():
    problem = fairflip.load_dataset("synthetic", n_rows=600)
    a = fairflip.split_problem(problem, random_state=4)
    with pytest.warns(FutureWarning, match="split_problem"):
        b = fairflip.make_split(problem, random_state=4)
    np.testing.assert_array_equal(a.train_ids, b.train_ids)
    other = fairflip.split_problem(problem, random_state=5)
    assert not np.array_equal(a.train_ids, other.train_ids)  # the seed matters


def test_one_group_feature_switch():
    problem = fairflip.load_dataset("synthetic", n_rows=600)
    aware = fairflip.split_problem(problem, group_feature=True)
    unaware = fairflip.split_problem(problem, group_feature=False)
    assert aware.X_train.shape[1] == unaware.X_train.shape[1] + 1
    with pytest.warns(FutureWarning, match="'include_group'.*'group_feature'"):
        old = fairflip.split_problem(problem, include_group=False)
    np.testing.assert_array_equal(old.X_train, unaware.X_train)


def _option_default(command: str, option: str):
    import typer.main

    from fairflip.cli import _advise, _core  # noqa: F401  (registers the commands)

    group = typer.main.get_command(app)
    params = {p.name: p for p in group.commands[command].params}
    return params[option].default


def test_plan_and_advise_default_to_the_same_ranking():
    assert _option_default("plan", "method") == _option_default("advise", "method") == "rb-prob"
    assert inspect.signature(fairflip.plan_from_tables).parameters["method"].default == "rb-prob"


OLD_PATHS = [
    ("fairflip.relabel", "CollectiveRelabeler", "fairflip.organiser"),
    ("fairflip.relabel", "rank_collective", "fairflip.collective"),
    ("fairflip.view", "CollectiveView", "fairflip.collective"),
    ("fairflip.plan", "make_plan", "fairflip.collective"),
    ("fairflip.plan", "flip_labels", "fairflip.learning"),
    ("fairflip.simulate", "evaluate", "fairflip.simulation"),
    ("fairflip.simulate", "train_firm", "fairflip.firm"),
    ("fairflip.stealth", "stealth_order", "fairflip.collective"),
    ("fairflip.coalition", "rank_coalition", "fairflip.collective"),
    ("fairflip.pareto", "pareto_front", "fairflip.analysis"),
    ("fairflip.firm", "make_model", "fairflip.learning"),
    ("fairflip.experiments.claims", "all_claims", "fairflip.analysis.claims"),
    ("fairflip.experiments.reproduce", "reproduce", "fairflip.reproduce"),
]


@pytest.mark.parametrize(("old", "name", "new"), OLD_PATHS)
def test_old_paths_warn_on_use_and_return_the_same_object(old, name, new):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        module = importlib.import_module(old)  # importing alone is silent (doctests collect it)
    with pytest.warns(FutureWarning, match=f"{old}.{name}.*{new}"):
        value = getattr(module, name)
    assert value is getattr(importlib.import_module(new), name)


def test_a_pickle_that_names_the_old_path_loads():
    relabeler = fairflip.CollectiveRelabeler(method="rb-label", budget=3)
    data = pickle.dumps(relabeler, protocol=0)
    old = data.replace(b"fairflip.organiser._relabeler", b"fairflip.relabel")
    assert old != data
    with pytest.warns(FutureWarning):
        loaded = pickle.loads(old)
    assert type(loaded) is fairflip.CollectiveRelabeler and loaded.get_params() == relabeler.get_params()


def test_evaluate_takes_budget_auto_from_the_collectives_view():
    problem = fairflip.load_dataset("synthetic", n_rows=2000)
    auto = fairflip.evaluate(problem, budget="auto", alpha=0.5)
    assert 0 < auto.n_flips < auto.n_candidates  # the advisor chose, and not "all" or "none"
    again = fairflip.evaluate(problem, budget=auto.n_flips, alpha=0.5)
    # the advised count, planned as any other budget
    assert again.after == pytest.approx(auto.after, nan_ok=True)
