"""Sweep units of family "audited": collective action against a firm that audits its labels.

Every budget refits: the firm cross-validates its model on the relabelled pool, flags rows
(cleanlab or the loss filter), drops or relabels them and retrains. The metric columns hold
that retrained firm; the detection columns say what the audit caught. Out-of-fold
probabilities depend only on the pool, so units that audit the same pool (the two audits,
the two responses, every scorer at budget 0) share them through ``proba_cache``, which also
keeps each retrained firm (budget 0 is one pool for every scorer).
"""

from __future__ import annotations

import numpy as np

from .._seeding import sub_seed
from ..firm import audit_and_retrain
from ..learning import flip_labels, out_of_fold_proba
from ..metrics import detection_report
from ..scorers import DEFAULT_K
from ..simulation import rank_split, stealth_ranking
from ._budgets import budget_counts
from ._rows import JobContext, scored_rows

__all__ = ["audited_rows"]


def audited_rows(unit, ctx: JobContext):
    """One row per budget of an audited unit (the budgets of the collective unit)."""
    split, val, seed, config, proba_cache = ctx.split, ctx.val, ctx.seed, ctx.config, ctx.proba_cache
    ranking = rank_split(split, method=unit.method, alpha=unit.alpha, knowledge=unit.knowledge,
                         k=unit.k or DEFAULT_K, random_state=seed, scorer_cache=ctx.scorer_cache)
    acting_negatives = int(((split.g_train == 1) & (split.y_train == 0)).sum())
    requested, counts = budget_counts(config, ranking.n_candidates,
                                      int(round(unit.alpha * acting_negatives)))
    rows = []
    for req, n in zip(requested, counts, strict=True):
        plan = ranking
        if unit.avoid_audit:
            plan = stealth_ranking(split, ranking, int(n), audit=unit.audit, q=config.audit_q,
                                   model=unit.model, random_state=seed)
        flipped = plan.flipped(int(n))
        y_pool = flip_labels(split.y_train, flipped)
        pool = (unit.model, np.sort(flipped).tobytes())
        if pool not in proba_cache:
            proba_cache[pool] = out_of_fold_proba(split.X_train, y_pool, model=unit.model,
                                                  random_state=sub_seed(seed, "audit"))
        # Budget 0 is the same pool for every scorer: audit and retrain it once.
        fitted = (*pool, unit.audit, unit.audit_action, config.audit_q)
        if fitted not in proba_cache:
            proba_cache[fitted] = audit_and_retrain(
                split, y_pool, audit=unit.audit, action=unit.audit_action, q=config.audit_q,
                model=unit.model, random_state=seed, proba=proba_cache[pool])
        result, firm = proba_cache[fitted]
        pred_cf = None if split.X_test_cf is None else firm.predict(split.X_test_cf)
        (scored,) = scored_rows(ctx, firm.predict(split.X_test), firm.predict(val.X_test),
                                pred_cf=pred_cf, flipped=[flipped])
        row = {"budget": int(req), "n_flips": int(n), "n_candidates": ranking.n_candidates,
               "collective_size": int(ranking.members.size), "knob": None, **scored}
        found = detection_report(result.flagged, flipped, split.g_train)
        row.update(audit=unit.audit, audit_action=unit.audit_action, audit_q=config.audit_q,
                   avoid_audit=unit.avoid_audit, n_flagged=found["n_flagged"],
                   flagged_flips=found["flagged_flips"], flag_recall=found["recall"],
                   flag_precision=found["precision"],
                   flag_rate_acting=found["flagged_other_by_group"]["acting"],
                   flag_rate_other=found["flagged_other_by_group"]["other"])
        rows.append(row)
    return rows
