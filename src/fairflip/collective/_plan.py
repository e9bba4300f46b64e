"""From scores to a relabel plan: rank the candidates, resolve the budget, choose who flips."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
from sklearn.utils import check_random_state

from ..exceptions import ConfigError

__all__ = ["PLAN_COLUMNS", "make_plan", "rank_candidates", "resolve_budget"]

PLAN_COLUMNS = ("member_id", "score", "rank", "flip")


def resolve_budget(budget, n_candidates: int) -> int:
    """Normalise a budget to a flip count.

    Parameters
    ----------
    budget : int or float
        An ``int`` is a count in ``[0, n_candidates]``; a ``float`` is a fraction of the
        candidates in ``[0, 1]`` (rounded to the nearest count).
    n_candidates : int

    Examples
    --------
    >>> resolve_budget(0.5, 7), resolve_budget(3, 7)
    (4, 3)
    """
    if isinstance(budget, bool) or not isinstance(budget, numbers.Real):
        raise ConfigError(f"The 'budget' parameter must be a count or a fraction. Got {budget!r} instead.")
    if isinstance(budget, numbers.Integral):
        count = int(budget)
        if count < 0:
            raise ConfigError(f"The 'budget' parameter must be non-negative. Got {count} instead.")
        if count > n_candidates:
            raise ConfigError(
                f"The 'budget' parameter ({count} flips) is larger than the pool of "
                f"{n_candidates} negatively labelled collective members."
            )
        return count
    if not (0.0 <= float(budget) <= 1.0) or np.isnan(budget):
        raise ConfigError(
            f"The 'budget' parameter as a fraction must be in [0, 1]. Got {budget!r} instead."
        )
    return int(np.floor(float(budget) * n_candidates + 0.5))


def rank_candidates(scores, *, random_state=None) -> np.ndarray:
    """Positions of ``scores`` from highest to lowest; ties in a seeded random order.

    Counting scores (rb-label) tie often; a fixed tie order (say, by row id) would make the
    plan depend on how the data happened to be sorted.
    """
    scores = np.asarray(scores, dtype=np.float64)
    if np.isnan(scores).any():
        raise ConfigError("The scores contain NaN; the scorer could not score every candidate.")
    tie_break = check_random_state(random_state).permutation(scores.size)
    return np.lexsort((tie_break, -scores))


def make_plan(member_ids, scores, budget, *, random_state=0, order=None) -> pd.DataFrame:
    """The organiser's table: member id, score, rank (1 = flip first) and flip (bool).

    ``order`` (positions, flip first) overrides the ranking by score, e.g. a stealth plan's.

    Examples
    --------
    >>> make_plan(["a", "b", "c"], [0.2, 0.9, 0.5], 2)
      member_id  score  rank   flip
    0         b    0.9     1   True
    1         c    0.5     2   True
    2         a    0.2     3  False
    """
    scores = np.asarray(scores, dtype=np.float64)
    member_ids = np.asarray(member_ids)
    if member_ids.shape != scores.shape:
        raise ConfigError("The 'member_ids' and 'scores' parameters must have the same length.")
    n_flips = resolve_budget(budget, scores.size)
    if order is None:
        order = rank_candidates(scores, random_state=random_state)
    return pd.DataFrame({
        "member_id": member_ids[order],
        "score": scores[order],
        "rank": np.arange(1, scores.size + 1),
        "flip": np.arange(scores.size) < n_flips,
    })
