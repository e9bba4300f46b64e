"""The advisor inside a sweep: each collective unit also records the budget it advises."""

from __future__ import annotations

from ..exceptions import FairflipError
from ..simulation import advise_ranking

__all__ = ["advised_budget"]


def advised_budget(unit, split, ranking, seed) -> int | None:
    """The advisor's budget for this unit's collective, from its view of the split alone
    (:func:`fairflip.simulation.advise_ranking`); None when the view cannot be advised (e.g.
    a collective of two rows with no positive member)."""
    if ranking.n_candidates == 0:
        return None
    try:
        advice = advise_ranking(split, ranking, method=unit.method, alpha=unit.alpha,
                                knowledge=unit.knowledge, k=unit.k, model=unit.model, seed=seed)
    except FairflipError:
        return None
    return advice.recommended_budget
