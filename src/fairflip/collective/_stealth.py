"""A stealth-aware plan: the collective runs the firm's label audit on its own view first.

The collective cannot see the firm's pool, only its members and the rows of the other group
it knows. It builds a shadow pool from that view: its members with the planned flips made,
its members again with their own labels as a stand-in for the acting group's non-members
(whose rows it cannot see), and its known rows. One cross-fitted audit of that shadow pool
(not one per candidate) says which planned flips look suspicious; those move to the end of
the ranking and the next candidates take their place, for a few rounds.

Relabelling *every* candidate in the shadow pool at once instead, without the stand-in,
hides the flips from the audit: every member is then positive and the group indicator
explains the labels (COMPAS, seed 0, random scorer: none of 350 candidates flagged in the
shadow pool, while the firm's audit flags 52 of the 100 planned flips).
"""

from __future__ import annotations

import numpy as np

from ..exceptions import ConfigError, DataError
from ..learning import AUDIT_FOLDS, DEFAULT_AUDIT_Q, audit_labels, check_audit, flip_labels
from ._view import CollectiveView

__all__ = ["STEALTH_ROUNDS", "ViewRisk", "audit_risk", "check_avoid_audit", "check_view_audit",
           "down_rank", "stealth_order"]

#: Rounds of re-planning: each round audits the current plan once.
STEALTH_ROUNDS = 3


def audit_risk(X_members, y_members, planned, X_known, y_known, *, audit="cleanlab",
               q=DEFAULT_AUDIT_Q, model="logreg", model_params=None, group_feature=True,
               folds=AUDIT_FOLDS, random_state=None) -> np.ndarray:
    """Whether the audit flags each planned flip, judged on the collective's shadow pool.

    Parameters
    ----------
    X_members, y_members : arrays
        The collective's own rows and labels.
    planned : array of int
        Positions in ``X_members`` of the negatively labelled members the plan flips.
    X_known, y_known : arrays
        Rows of the other group the collective knows.
    audit : {"cleanlab", "loss"}
        The audit the collective expects the firm to run (``"none"`` means cleanlab: a
        collective that wants stealth has to assume some audit).
    group_feature : bool
        Append the group indicator (members 1, known rows 0), as the firm's features have it.

    Returns
    -------
    ndarray of bool, one per planned flip: flagged in the collective's own audit.
    """
    audit = "cleanlab" if audit == "none" else audit
    check_audit(audit, "drop", q)
    X_members = np.asarray(X_members, dtype=np.float64)
    X_known = np.asarray(X_known, dtype=np.float64)
    planned = np.asarray(planned, dtype=np.intp)
    if planned.size == 0:
        return np.zeros(0, dtype=bool)
    if X_known.shape[0] == 0:
        raise DataError("The stealth plan needs rows of the other group the collective knows.")
    y_own = np.asarray(y_members, dtype=np.int8)
    y_flipped = flip_labels(y_own, planned)
    X = np.vstack([X_members, X_members, X_known])
    if group_feature:
        n_m = X_members.shape[0]
        X = np.column_stack([X, np.r_[np.ones(2 * n_m), np.zeros(X_known.shape[0])]])
    y = np.r_[y_flipped, y_own, np.asarray(y_known, dtype=np.int8)]
    result = audit_labels(X, y, audit=audit, q=q, model=model, model_params=model_params,
                          folds=folds, random_state=random_state)
    return result.flagged[planned]


def check_avoid_audit(avoid_audit) -> str | None:
    """The audit a stealth plan expects: None (no stealth), "cleanlab" or "loss".

    ``True`` means cleanlab (the audit a careful firm most likely runs).
    """
    if avoid_audit is None or avoid_audit is False:
        return None
    if avoid_audit is True:
        return "cleanlab"
    if avoid_audit not in ("cleanlab", "loss"):
        raise ConfigError("The 'avoid_audit' parameter must be None, 'cleanlab' or 'loss'. "
                          f"Got {avoid_audit!r} instead.")
    return avoid_audit


def check_view_audit(view, *, folds=AUDIT_FOLDS) -> None:
    """Refuse a view too small for the collective's own audit at any budget.

    The shadow pool (members flipped, members again, known rows) has at least
    ``n_candidates + known negatives`` negative rows (every candidate flipped) and at least
    ``2 * member positives + known positives`` positive rows (none flipped); each label
    needs ``folds`` rows for the audit's stratified folds.
    """
    n_neg = view.n_candidates + int((view.y_known == 0).sum())
    n_pos = 2 * (view.n_members - view.n_candidates) + int(view.y_known.sum())
    if min(n_neg, n_pos) < folds:
        raise DataError(f"The collective's own audit (avoid_audit) needs at least {folds} rows "
                        f"of each label in its view for its {folds} folds. Got {n_neg} negative "
                        f"and {n_pos} positive rows at worst instead.")


class ViewRisk:
    """``risk(planned)`` for :func:`stealth_order`, from a :class:`~fairflip.collective.CollectiveView`.

    ``planned`` are member positions (candidates of the view). Only the view's arrays reach
    :func:`audit_risk`. Plans audited before are answered from memory (a plan and its
    re-plans often repeat), and :attr:`n_audits` counts the cross-fits actually run.
    ``progress(message)``, if given, is called before each of them (they are slow on large
    views).
    """

    def __init__(self, view, *, audit="cleanlab", q=DEFAULT_AUDIT_Q, model="logreg",
                 model_params=None, group_feature=True, random_state=None, progress=None):

        if not isinstance(view, CollectiveView):
            raise TypeError("The 'view' parameter must be a CollectiveView. "
                            f"Got {type(view).__name__} instead.")
        check_audit(audit, "drop", q)
        check_view_audit(view)
        self.view, self.audit, self.q = view, audit, q
        self._kw = dict(model=model, model_params=model_params, group_feature=group_feature,
                        random_state=random_state)
        self._memo = {}
        self.n_audits = 0
        self._progress = progress

    def __call__(self, planned) -> np.ndarray:
        planned = np.asarray(planned, dtype=np.intp)
        key = np.sort(planned).tobytes()
        if key not in self._memo:
            v = self.view
            if self._progress is not None:
                self._progress(f"own {self.audit} audit of the view #{self.n_audits + 1}: "
                               f"a plan of {planned.size} flips")
            try:
                flags = audit_risk(v.X_members, v.y_members, planned, v.X_known, v.y_known,
                                   audit=self.audit, q=self.q, **self._kw)
            except DataError as exc:
                raise DataError(f"The collective's own audit (avoid_audit) cannot run on its "
                                f"view: {exc}") from None
            self.n_audits += 1
            self._memo[key] = dict(zip(planned.tolist(), flags.tolist(), strict=True))
        flagged = self._memo[key]
        return np.array([flagged[int(p)] for p in planned], dtype=bool)


def stealth_order(ranked, n_flips, risk, *, rounds=STEALTH_ROUNDS):
    """Re-plan ``n_flips`` flips from ``ranked`` so the flagged ones go last.

    ``risk(planned) -> bool array`` audits a plan (see :func:`audit_risk`). Each round audits
    the current top ``n_flips`` and moves what it flags to the end; it stops early when a
    round flags nothing new.

    Returns
    -------
    (order, risky) : the new ranking and, in its order, whether a round flagged each entry.
    """
    ranked = np.asarray(ranked)
    risky = np.zeros(ranked.size, dtype=bool)
    order = ranked
    for _ in range(rounds):
        top = order[:n_flips]
        flags = risk(top) if top.size else np.zeros(0, dtype=bool)
        if not flags.any():
            break
        flagged = np.isin(ranked, top[flags])
        risky |= flagged
        order = down_rank(ranked, risky)
    return order, np.isin(order, ranked[risky])


def down_rank(ranked, risky) -> np.ndarray:
    """``ranked`` with the risky entries moved to the end, each part in its own order.

    Examples
    --------
    >>> down_rank([5, 3, 8, 1], [False, True, False, False])
    array([5, 8, 1, 3])
    """
    ranked = np.asarray(ranked)
    risky = np.asarray(risky, dtype=bool)
    return np.concatenate([ranked[~risky], ranked[risky]])
