"""The firm's train/test split of a problem, from a base seed: the one split every run uses."""

from __future__ import annotations

from .._deprecate import renamed_params
from .._seeding import resolve_seed, sub_seed
from ..data import Problem, Split, split_problem

__all__ = ["make_split"]


@renamed_params(seed="random_state")
def make_split(problem: Problem, *, random_state=0, test_size=0.3, include_group=True) -> Split:
    """The firm's train/test split for base seed ``random_state`` (its own derived seed)."""
    seed = resolve_seed(random_state)
    return split_problem(problem, test_size=test_size, random_state=sub_seed(seed, "split"),
                         include_group=include_group)
