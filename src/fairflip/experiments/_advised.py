"""The advisor inside a sweep: each collective unit also records the budget it advises."""

from __future__ import annotations

import numpy as np

from .._seeding import sub_seed
from ..exceptions import FairflipError

__all__ = ["advised_budget"]


def advised_budget(unit, split, ranking, seed) -> int | None:
    """The advisor's budget for this unit's collective, from its view of the split alone.

    The view is the unit's members and known rows, with alpha and the training pool's group
    share as stated facts; the flip order is the unit's own ranking. None when the view
    cannot be advised (e.g. a collective of two rows with no positive member).
    """
    from ..advisor import advise
    from ..collective import view_from_split

    if ranking.n_candidates == 0:
        return None
    view = view_from_split(split, members=ranking.members, known=ranking.known,
                           alpha=unit.alpha, group_share=float(split.g_train.mean()))
    try:
        advice = advise(view, method=unit.method, order=np.searchsorted(ranking.members, ranking.ranked),
                        model=unit.model, group_feature=split.group_column is not None,
                        random_state=sub_seed(seed, "advise", unit.alpha, unit.method,
                                              unit.knowledge, unit.k))
    except FairflipError:
        return None
    return advice.recommended_budget
