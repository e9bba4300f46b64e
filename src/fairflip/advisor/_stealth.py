"""Stealth-aware advice: the budget for a ranking re-planned around the collective's own audit.

:func:`fairflip.collective.stealth_order` re-plans for one flip count; the advisor needs one
ranking for its whole budget grid, and each re-plan costs a few cross-fits of the view (a
minute on Adult's view under load), so it cannot re-plan every budget. It re-plans once, for
the *reference budget*: the budget of lowest predicted EqOd of the plain ranking, where the
plain plan would aim. The shadow firm then predicts the whole curve of that stealth-aware
ranking, and the rule picks a budget on it. Then the plan is re-planned for exactly that
budget, as ``fairflip plan --avoid-audit --budget B`` re-plans for B, and the prediction of
that exact plan replaces the curve's point at B; so the advice's order, its "after" numbers
and its flag counts all describe the plan the collective would make. Elsewhere the curve is
the one of the ranking planned for the reference budget.

Everything is computed from the :class:`~fairflip.collective.CollectiveView` alone (the firm's
pool, its test split and the rows the collective does not know never reach it).
"""

from __future__ import annotations

import numpy as np

from .._seeding import sub_seed
from ..collective import ViewRisk, stealth_order
from ..learning import DEFAULT_AUDIT_Q

__all__ = ["make_view_risk", "stealth_plan", "stealth_summary"]


def stealth_plan(order, budget, risk):
    """(stealth-aware order, risky mask in that order) for ``budget`` flips."""

    if budget <= 0:
        return np.asarray(order), np.zeros(len(order), dtype=bool)
    return stealth_order(order, int(budget), risk)


def make_view_risk(view, *, audit, q=DEFAULT_AUDIT_Q, model="logreg", model_params=None,
                   group_feature=True, random_state=0, progress=None):
    """The risk function ``fairflip plan --avoid-audit`` uses for this view (same seed)."""

    return ViewRisk(view, audit=audit, q=q, model=model, model_params=model_params,
                    group_feature=group_feature, random_state=sub_seed(random_state, "stealth"),
                    progress=progress)


def stealth_summary(plain, stealthy, risky, budget, risk, *, plain_eqod, stealth_eqod) -> dict:
    """What the stealth-aware ranking buys at ``budget`` flips, by the collective's own audit.

    ``flagged_plain`` and ``flagged_stealth`` count the flips the collective's audit of its
    view flags in the plain top-``budget`` plan and in the stealth-aware one;
    ``flags_avoided`` is their difference (expected, not the firm's count).
    """
    if budget > 0:
        flagged_plain = int(risk(np.asarray(plain)[:budget]).sum())
        flagged_stealth = int(risk(np.asarray(stealthy)[:budget]).sum())
    else:
        flagged_plain = flagged_stealth = 0
    return {
        "audit": risk.audit, "q": float(risk.q),
        "n_risky": int(np.asarray(risky).sum()),
        "n_risky_flipped": int(np.asarray(risky)[:budget].sum()),
        "flagged_plain": flagged_plain, "flagged_stealth": flagged_stealth,
        "flags_avoided": flagged_plain - flagged_stealth,
        "plain_eqod": float(plain_eqod), "eqod_cost": float(stealth_eqod - plain_eqod),
        "n_audits": int(risk.n_audits),
    }
