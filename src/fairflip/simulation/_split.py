"""``make_split``: the old name of :func:`fairflip.data.split_problem` (until 0.3).

The two gave different splits for one seed (``make_split`` derived its own seed first). One
survives: ``split_problem``, which now derives the split's seed from the base seed itself,
so ``split_problem(problem, random_state=s)`` is the split every run with base seed ``s``
trains on.
"""

from __future__ import annotations

from .._deprecate import warn_moved
from ..data import Problem, Split, split_problem

__all__ = ["make_split"]


def make_split(problem: Problem, *, random_state=0, test_size=0.3, include_group=True) -> Split:
    """Deprecated: :func:`fairflip.data.split_problem` (same split for the same seed)."""
    warn_moved("fairflip.make_split", "fairflip.split_problem (fairflip.data)")
    return split_problem(problem, random_state=random_state, test_size=test_size,
                         group_feature=include_group)
