"""The advisor on a simulated collective: its view of the split, never the firm's rows."""

from __future__ import annotations

import numpy as np

from .._seeding import sub_seed
from ..advisor import Advice, advise
from ..collective import CollectiveRanking, knowledge_label, view_from_split
from ..data import Split

__all__ = ["advise_ranking"]


def advise_ranking(split: Split, ranking: CollectiveRanking, *, method: str, alpha: float,
                   knowledge="all", k: int = 0, model="logreg", seed: int = 0) -> Advice:
    """The advisor's answer for the collective of ``ranking``, from its view of ``split``.

    The view is the collective's members and known rows, with alpha and the training pool's
    group share as stated facts; the flip order is the ranking's own. The seed depends on the
    cell's keys only (a sweep's unit and :func:`evaluate` with the same keys agree).
    """
    view = view_from_split(split, members=ranking.members, known=ranking.known, alpha=alpha,
                           group_share=float(split.g_train.mean()))
    return advise(view, method=method, order=np.searchsorted(ranking.members, ranking.ranked),
                  model=model, group_feature=split.group_column is not None,
                  random_state=sub_seed(seed, "advise", alpha, method, knowledge_label(knowledge),
                                        k))
