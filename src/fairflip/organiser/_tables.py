"""The organiser's planning from the collective's own files; the firm's data is never needed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._deprecate import renamed_params
from .._seeding import resolve_seed, sub_seed
from ..advisor import advise, fit_rank_view
from ..collective import (
    ViewRisk,
    check_avoid_audit,
    check_favourable,
    favourable_labels,
    make_plan,
    rank_candidates,
    resolve_budget,
    stealth_order,
    view_from_tables,
)
from ..exceptions import ConfigError, DataError
from ..learning import DEFAULT_AUDIT_Q, check_audit
from ..scorers import DEFAULT_K, INFLUENCE_NEEDS_FIRM, check_neighbors, make_scorer

__all__ = ["plan_from_tables"]


@renamed_params(seed="random_state")
def plan_from_tables(members: pd.DataFrame, *, label: str, majority: pd.DataFrame | None = None,
                     favourable=None, id_column=None, drop=(), method="rb-prob", budget=0.5,
                     k=DEFAULT_K, random_state=0, alpha=None, group_share=None,
                     model="logreg", avoid_audit=None, audit_q=DEFAULT_AUDIT_Q,
                     neighbors="exact", majority_rate=None,
                     standardize=True) -> pd.DataFrame:
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
    method, k, random_state
        Scorer, neighbours, base seed (of ties and the random scorer).
    budget : int, float or "auto"
        Flips as a count or a fraction of the candidates; ``"auto"`` takes the advisor's
        recommendation (:func:`fairflip.advise`) for this view.
    alpha, group_share, majority_rate : float or None
        Stated public facts for the advisor (see :class:`~fairflip.collective.CollectiveView`);
        ``majority_rate`` (the majority's favourable rate, with ``group_share``) lets
        ``budget="auto"`` advise from few known rows, of one label or none, and ranks by the
        rate-anchored prior when the known rows cannot teach the scorer.
    model : str, default="logreg"
        The firm's model class the advisor imitates.
    avoid_audit : {None, "cleanlab", "loss"}
        Plan for stealth: run this audit on the collective's own rows and the majority rows
        and move the planned flips it flags to the end (:mod:`fairflip.collective` (stealth)); the table
        then has a column ``flagged_by_own_audit``. ``audit_q`` is the loss audit's share.
    neighbors : {"exact", "approx"}, default="exact"
        rb-label's / rb-dist's neighbour search; approx (hnswlib, ``pip install
        fairflip[approx]``) measures its recall against the exact search on a sample of the
        candidates: ``table.attrs["neighbor_recall"]`` (a :class:`~fairflip.scorers.RecallCheck`).
    standardize : bool, default=True
        False passes numeric features through unscaled (embeddings keep their geometry).

    Returns
    -------
    DataFrame with columns member_id, score, rank, flip (candidates only, rank 1 first).
    """
    seed = resolve_seed(random_state)
    neighbors = check_neighbors(neighbors)
    if isinstance(method, str) and method == "oracle":
        raise ConfigError("The oracle needs a known causal model; a collective has none.")
    if isinstance(method, str) and method == "influence":
        raise ConfigError(INFLUENCE_NEEDS_FIRM)
    if len(members) and label in members and not members[label].isna().any():
        check_favourable([members[label], *([] if majority is None or label not in majority
                                              else [majority[label]])], favourable)
        if (favourable_labels(members[label], favourable) == 1).all():
            raise DataError("The collective has no negatively labelled members to flip.")
    avoid_audit = check_avoid_audit(avoid_audit)
    if avoid_audit is not None:
        check_audit(avoid_audit, "drop", audit_q)
    if avoid_audit is not None and (majority is None or len(majority) == 0):
        raise ConfigError("--avoid-audit needs a file of majority rows the collective knows (--majority).")
    auto = isinstance(budget, str) and budget == "auto"
    if (not auto and avoid_audit is None and majority_rate is None
            and not make_scorer(method).needs_knowledge):
        majority = None  # the random order needs no other rows, whatever their columns
    view = view_from_tables(members, label=label, majority=majority, favourable=favourable,
                            id_column=id_column, drop=drop, alpha=alpha, group_share=group_share,
                            majority_rate=majority_rate, require_both_labels=auto,
                            standardize=standardize)
    if view.n_candidates == 0:
        raise DataError("The collective has no negatively labelled members to flip.")
    order, scores, scorer = fit_rank_view(view, method=method, k=k, random_state=seed,
                                          neighbors=neighbors)
    if auto:
        budget = advise(view, method=method, k=k, order=order, model=model, random_state=seed,
                        avoid_audit=avoid_audit, audit_q=audit_q).recommended_budget
    # make_plan ranks again from the candidates' scores with the same tie seed: same order.
    candidates = view.candidates
    by_candidate = np.empty(candidates.size)
    by_candidate[np.searchsorted(candidates, order)] = scores
    if avoid_audit is None:
        table = make_plan(view.member_ids[candidates], by_candidate, budget,
                          random_state=sub_seed(seed, "ties"))
    else:
        table = _stealth_plan(view, by_candidate, budget, audit=avoid_audit, q=audit_q,
                              model=model, seed=seed)
    recall = getattr(scorer, "neighbor_recall_", None)
    if recall is not None:
        table.attrs["neighbor_recall"] = recall
    return table


def _stealth_plan(view, scores, budget, *, audit, q, model, seed) -> pd.DataFrame:
    """The plan with the flips the collective's own audit flags moved to the end."""

    candidates = view.candidates
    order = rank_candidates(scores, random_state=sub_seed(seed, "ties"))
    n_flips = resolve_budget(budget, candidates.size)
    risk = ViewRisk(view, audit=audit, q=q, model=model, random_state=sub_seed(seed, "stealth"))
    order, risky = stealth_order(order, n_flips, lambda planned: risk(candidates[planned]))
    table = make_plan(view.member_ids[candidates], scores, budget, order=order)
    table["flagged_by_own_audit"] = risky
    return table
