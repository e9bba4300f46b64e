"""The organiser's planning from the collective's own files; the firm's data is never needed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._deprecate import renamed_params
from ._seeding import resolve_seed, sub_seed
from .data._encode import TabularEncoder
from .data._table import MSG_FAVOURABLE_ABSENT, _binary_label, _listing
from .exceptions import ConfigError, DataError
from .firm import DEFAULT_AUDIT_Q, check_audit
from .plan import make_plan, rank_candidates, resolve_budget
from .scorers import DEFAULT_K, make_scorer

__all__ = ["plan_from_tables"]


def _features(frame: pd.DataFrame, label: str, drop, where: str) -> pd.DataFrame:
    missing = [c for c in (label, *drop) if c not in frame.columns]
    if missing:
        raise DataError(f"The {where} table has no column {missing[0]!r}.")
    if frame[label].isna().any():
        raise DataError(f"The label column {label!r} of the {where} table has missing values.")
    return frame.drop(columns=[label, *drop])


def _labels(column: pd.Series, favourable) -> np.ndarray:
    """Binary labels of one table; a table may hold a single label value.

    A collective often gathers only its negatively labelled members, so one value is normal
    here: 0/1 and False/True need no ``favourable``; other values do.
    """
    if favourable is None and set(pd.unique(column).tolist()) <= {0, 1}:
        return (column == 1).to_numpy(dtype=np.int8)
    if favourable is None:
        return _binary_label(column, None).astype(np.int8)
    hit = (column == favourable) | (column.astype(str) == str(favourable))
    return hit.to_numpy(dtype=np.int8)


@renamed_params(seed="random_state")
def _check_favourable(columns: list[pd.Series], favourable) -> None:
    """The favourable value must occur in the label columns, unless every row holds one
    other value (a collective that gathered only its negative members).

    A typo ('Hired' for 'hired') would otherwise make every member negative and flip
    members who are already favourable.
    """
    if favourable is None:
        return
    values = pd.unique(pd.concat(columns, ignore_index=True))
    text = {str(v) for v in values}
    if str(favourable) in text or any(v == favourable for v in values):
        return
    near = sorted(v for v in text if v.strip().casefold() == str(favourable).strip().casefold())
    if len(values) > 1 or near:
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise DataError(MSG_FAVOURABLE_ABSENT.format(
            column=columns[0].name, value=favourable, values=_listing(sorted(text))) + hint)


def plan_from_tables(members: pd.DataFrame, *, label: str, majority: pd.DataFrame | None = None,
                     favourable=None, id_column=None, drop=(), method="rb-label", budget=0.5,
                     k=DEFAULT_K, random_state=0, avoid_audit=None,
                     audit_q=DEFAULT_AUDIT_Q) -> pd.DataFrame:
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
    avoid_audit : {None, "cleanlab", "loss"}
        Plan for stealth: run this audit on the collective's own rows and the majority rows
        and move the planned flips it flags to the end (:mod:`fairflip.stealth`); the table
        then has a column ``flagged_by_own_audit``. ``audit_q`` is the loss audit's share.

    Returns
    -------
    DataFrame with columns member_id, score, rank, flip (candidates only, rank 1 first).
    """
    seed = resolve_seed(random_state)
    if len(members) == 0:
        raise DataError("The collective is empty: the members table has no rows.")
    if method == "oracle":
        raise ConfigError("The oracle needs a known causal model; a collective has none.")
    drop = [*drop, *([id_column] if id_column else [])]
    X_members = _features(members, label, drop, "members")
    _check_favourable([members[label], *([] if majority is None or label not in majority
                                          else [majority[label]])], favourable)
    y_members = _labels(members[label], favourable)
    ids = members[id_column].to_numpy() if id_column else np.arange(len(members))
    candidates = np.flatnonzero(y_members == 0)
    if candidates.size == 0:
        raise DataError("The collective has no negatively labelled members to flip.")
    scorer = make_scorer(method, k=k, random_state=sub_seed(seed, "random-scorer"))
    if scorer.needs_knowledge and (majority is None or len(majority) == 0):
        raise ConfigError(f"{method} needs a file of majority rows the collective knows (--majority).")
    if avoid_audit is not None and (majority is None or len(majority) == 0):
        raise ConfigError("--avoid-audit needs a file of majority rows the collective knows (--majority).")
    X_major = y_major = None
    if scorer.needs_knowledge or avoid_audit is not None:
        X_major = _features(majority, label, [c for c in drop if c in majority.columns], "majority")
        if sorted(X_major.columns) != sorted(X_members.columns):
            raise DataError("The members and majority tables must have the same feature columns.")
        X_major = X_major[X_members.columns]
        y_major = _labels(majority[label], favourable)
        encoder = TabularEncoder().fit(pd.concat([X_members, X_major], ignore_index=True))
    else:
        encoder = TabularEncoder().fit(X_members)
    if scorer.needs_knowledge:
        scorer.fit(encoder.transform(X_major), y_major)
    else:
        scorer.fit(encoder.transform(X_members), y_members)
    scores = scorer.score(encoder.transform(X_members.iloc[candidates]), index=candidates)
    if avoid_audit is None:
        return make_plan(ids[candidates], scores, budget, random_state=sub_seed(seed, "ties"))
    return _stealth_plan(ids, candidates, scores, budget, encoder.transform(X_members), y_members,
                         encoder.transform(X_major), y_major, audit=avoid_audit, q=audit_q, seed=seed)


def _stealth_plan(ids, candidates, scores, budget, X_members, y_members, X_known, y_known, *,
                  audit, q, seed) -> pd.DataFrame:
    """The plan with the flips the collective's own audit flags moved to the end."""
    from .stealth import audit_risk, stealth_order

    check_audit(audit, "drop", q)
    order = rank_candidates(scores, random_state=sub_seed(seed, "ties"))
    n_flips = resolve_budget(budget, candidates.size)

    def risk(planned):
        return audit_risk(X_members, y_members, candidates[planned], X_known, y_known,
                          audit=audit, q=q, random_state=sub_seed(seed, "stealth"))

    order, risky = stealth_order(order, n_flips, risk)
    table = make_plan(ids[candidates], scores, budget, order=order)
    table["flagged_by_own_audit"] = risky
    return table
