"""The organiser's planning from the collective's own files; the firm's data is never needed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._deprecate import renamed_params
from ._seeding import resolve_seed, sub_seed
from .advisor import advise, rank_view
from .exceptions import ConfigError, DataError
from .plan import make_plan
from .scorers import DEFAULT_K, make_scorer
from .view import _labels, view_from_tables

__all__ = ["plan_from_tables"]


@renamed_params(seed="random_state")
def plan_from_tables(members: pd.DataFrame, *, label: str, majority: pd.DataFrame | None = None,
                     favourable=None, id_column=None, drop=(), method="rb-label", budget=0.5,
                     k=DEFAULT_K, random_state=0, alpha=None, group_share=None,
                     model="logreg") -> pd.DataFrame:
    """Rank the collective's negatively labelled members and mark who flips.

    Parameters
    ----------
    members : DataFrame
        The collective's own rows: features and the label (and optionally an id column).
    label : str
        Label column (binary; see ``favourable``).
    majority : DataFrame or None
        Majority rows the collective knows (same feature columns and label). Needed by
        rb-prob, rb-label and rb-dist; ``random`` needs none.
    favourable : value or None
        The favourable label value (default: 1 / True).
    id_column : str or None
        Member ids to report; row numbers when None.
    drop : sequence of str
        Columns that are not features.
    method, budget, k, random_state
        Scorer, flips (count or fraction of candidates), neighbours, base seed (of ties and
        the random scorer).

    Returns
    -------
    DataFrame with columns member_id, score, rank, flip (candidates only, rank 1 first).
    """
    seed = resolve_seed(random_state)
    if method == "oracle":
        raise ConfigError("The oracle needs a known causal model; a collective has none.")
    if len(members) and label in members and not members[label].isna().any() \
            and (_labels(members[label], favourable) == 1).all():
        raise DataError("The collective has no negatively labelled members to flip.")
    auto = isinstance(budget, str) and budget == "auto"
    if not auto and not make_scorer(method).needs_knowledge:
        majority = None  # the random order needs no other rows, whatever their columns
    view = view_from_tables(members, label=label, majority=majority, favourable=favourable,
                            id_column=id_column, drop=drop, alpha=alpha, group_share=group_share,
                            require_both_labels=auto)
    if view.n_candidates == 0:
        raise DataError("The collective has no negatively labelled members to flip.")
    order, scores = rank_view(view, method=method, k=k, random_state=seed)
    if auto:
        budget = advise(view, method=method, k=k, order=order, model=model,
                        random_state=seed).recommended_budget
    # make_plan ranks again from the candidates' scores with the same tie seed: same order.
    candidates = view.candidates
    by_candidate = np.empty(candidates.size)
    by_candidate[np.searchsorted(candidates, order)] = scores
    return make_plan(view.member_ids[candidates], by_candidate, budget,
                     random_state=sub_seed(seed, "ties"))
