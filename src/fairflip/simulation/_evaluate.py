"""Simulate the firm: train on the pool with and without the collective's flips, measure on test."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._deprecate import renamed_params
from .._record import RunRecord
from .._seeding import resolve_seed, sub_seed
from ..collective import (
    CollectiveRanking,
    audit_risk,
    knowledge_label,
    knowledge_pool_for,
    rank_collective,
    resolve_budget,
    stealth_order,
)
from ..data import Problem, Split, split_problem
from ..exceptions import ConfigError
from ..firm import audit_and_retrain, train_firm
from ..learning import DEFAULT_AUDIT_Q, LOGREG_C, check_audit, flip_labels
from ..metrics import collective_success, detection_report, fairness_report, flip_precision
from ..scorers import DEFAULT_K, method_name
from ._advised import advise_ranking
from ._groups import evaluation_groups, group_metrics, require_multigroup

__all__ = ["Evaluation", "audited_firm", "evaluate", "firm_metrics", "influence_pool",
           "rank_split", "stealth_ranking"]


def firm_metrics(estimator, split: Split, *, flipped=None) -> dict:
    """Test metrics of a fitted firm model; on synthetic data also success and flip precision.

    A multi-group split adds :data:`fairflip.metrics.MULTIGROUP_COLUMNS` (the gaps over all
    groups) to the paper's acting-vs-rest metrics.
    """
    pred = estimator.predict(split.X_test)
    out = fairness_report(split.y_test, pred, split.g_test)
    if split.gv_test is not None:
        out.update(group_metrics(split.y_test, pred, split.gv_test))
    if split.X_test_cf is not None:
        out["success"] = collective_success(pred, estimator.predict(split.X_test_cf), split.g_test)
        if flipped is not None:
            out["flip_precision"] = flip_precision(flipped, split.y_train_cf)
    return out


@dataclass
class Evaluation(RunRecord):
    """Before/after metrics of one collective action."""

    alpha: float
    model: str
    k: int
    knowledge: str
    n_flips: int
    n_candidates: int
    collective_size: int
    after: dict = field(default_factory=dict)
    acting_group: str = ""
    acting_is_smaller: bool = True
    # Multi-group problems: every group's rates before/after and its gap change (spillover).
    groups: list = field(default_factory=list)
    reference_group: str | None = None
    audit: dict | None = None
    stealth: dict | None = None


@renamed_params(flips="budget", seed="random_state", include_group="group_feature")
def evaluate(problem: Problem, *, method="rb-prob", alpha=0.3, budget=0, random_state=0,
             model="logreg", model_params=None, k=DEFAULT_K, knowledge="all", test_size=0.3,
             group_feature=True, audit="none", audit_action="drop", audit_q=DEFAULT_AUDIT_Q,
             avoid_audit=False, reference_group=None) -> Evaluation:
    """Train the firm without and with the collective's flips and compare on the test split.

    ``budget`` is a count, a fraction of the candidates (see :func:`resolve_budget`) or
    ``"auto"``: the advisor's budget from the collective's view of the split (its members,
    the majority rows it knows, alpha and the pool's group share; :func:`advise_ranking`);
    ``random_state`` is the base seed every draw derives its own seed from.
    ``reference_group`` (a multi-group problem's group label) restricts what the collective
    knows to that group's rows; by default it knows every non-acting row.
    With ``audit`` ("cleanlab" or "loss") the firm also audits its pool and responds
    (``audit_action`` "drop" or "relabel"); the result's ``audit`` holds the detection
    measures and the metrics after the response (see :func:`audited_firm`). With
    ``avoid_audit`` the collective first runs that audit on its own view and moves the
    planned flips it flags to the end of its ranking (:mod:`fairflip.collective` (stealth)).
    ``method`` is a scorer name (built-in or registered) or a
    :class:`~fairflip.scorers.BaseScorer` instance (cloned before use); ``"influence"`` is
    the firm-aware reference (logistic-regression firm only, see
    :class:`~fairflip.scorers.InfluenceScorer`).
    """
    check_audit(audit, audit_action, audit_q)
    method_name(method)  # an unknown method fails before any work
    seed = resolve_seed(random_state)
    split = split_problem(problem, random_state=seed, test_size=test_size,
                       group_feature=group_feature)
    pool = None
    if reference_group is not None:
        require_multigroup(problem, "'reference_group' parameter")
        pool = knowledge_pool_for(split.gv_train, (problem.acting_label,), reference_group)
    ranking = rank_split(split, method=method, alpha=alpha, knowledge=knowledge, k=k,
                         random_state=seed, knowledge_pool=pool, model=model,
                         model_params=model_params)
    if isinstance(budget, str) and budget == "auto":
        # The advisor on the collective's own view of the split (members, known rows, alpha,
        # the pool's group share), as a sweep's unit records it.
        n_flips = advise_ranking(split, ranking, method=method, alpha=alpha, knowledge=knowledge,
                                 k=k, model=model, seed=seed).recommended_budget
    else:
        n_flips = resolve_budget(budget, ranking.n_candidates)
    if avoid_audit:
        ranking = stealth_ranking(split, ranking, n_flips, audit=audit, q=audit_q, model=model,
                                  model_params=model_params, random_state=seed)
    flipped = ranking.flipped(n_flips)
    y_new = flip_labels(split.y_train, flipped)
    model_seed = sub_seed(seed, "model")
    base = train_firm(split.X_train, split.y_train, model=model, model_params=model_params,
                      random_state=model_seed)
    after = train_firm(split.X_train, y_new, model=model, model_params=model_params,
                       random_state=model_seed)
    audit_out = None
    if audit != "none":
        audit_out = audited_firm(split, y_new, flipped, audit=audit, action=audit_action,
                                 q=audit_q, model=model, model_params=model_params, random_state=seed)
        # What the same audit and response do to the firm when nobody acts.
        base_audit = audit_out if n_flips == 0 else audited_firm(
            split, split.y_train, flipped[:0], audit=audit, action=audit_action, q=audit_q,
            model=model, model_params=model_params, random_state=seed)
        audit_out["base_after_response"] = base_audit["after_response"]
        audit_out["base_n_flagged"] = base_audit["n_flagged"]
    return Evaluation(
        dataset=problem.name, method=method_name(method), alpha=float(alpha), seed=int(seed),
        model=model if isinstance(model, str) else type(model).__name__, k=int(k),
        knowledge=knowledge_label(knowledge), n_flips=n_flips, n_candidates=ranking.n_candidates,
        collective_size=int(ranking.members.size),
        before=firm_metrics(base, split),
        after=firm_metrics(after, split, flipped=flipped),
        acting_group=problem.acting_label, acting_is_smaller=problem.acting_is_smaller,
        groups=evaluation_groups(split, base.predict(split.X_test), after.predict(split.X_test),
                                 (problem.acting_label,)),
        reference_group=reference_group,
        audit=audit_out, stealth=None if ranking.risky is None else {
            "audit": "cleanlab" if audit == "none" else audit,
            "n_risky": int(ranking.risky.sum()), "n_risky_flipped": int(ranking.risky[:n_flips].sum())},
    )


def audited_firm(split: Split, y_pool, flipped, *, audit, action="drop", q=DEFAULT_AUDIT_Q,
                 model="logreg", model_params=None, random_state=0) -> dict:
    """The firm audits its pool ``(split.X_train, y_pool)``, responds and retrains.

    Returns the detection measures of :func:`fairflip.metrics.detection_report` and
    ``after_response``: the retrained firm's test error, EqOd and SP.
    """
    result, firm = audit_and_retrain(split, y_pool, audit=audit, action=action, q=q, model=model,
                                     model_params=model_params, random_state=random_state)
    report = firm_metrics(firm, split)
    out = {"name": audit, "action": action, "q": float(q)}
    out.update(detection_report(result.flagged, flipped, split.g_train))
    out["after_response"] = {key: report[key] for key in ("error", "eqod", "sp")}
    return out


def stealth_ranking(split: Split, ranking: CollectiveRanking, n_flips: int, *, audit="cleanlab",
                    q=DEFAULT_AUDIT_Q, model="logreg", model_params=None, random_state=0
                    ) -> CollectiveRanking:
    """``ranking`` re-planned for ``n_flips`` flips so its own audit's flags come last.

    Only the collective's view reaches the audit: its members' and its known rows' features
    (without the group indicator, which :func:`fairflip.collective.audit_risk` adds back as the
    firm would see it) and labels.
    """

    seed = resolve_seed(random_state)
    X = split.scoring_view(split.X_train)
    members, known = ranking.members, ranking.known
    X_members, y_members = X[members], split.y_train[members]
    X_known, y_known = X[known], split.y_train[known]
    position = {int(row): i for i, row in enumerate(members)}

    def risk(planned_rows):
        planned = np.array([position[int(r)] for r in planned_rows], dtype=np.intp)
        return audit_risk(X_members, y_members, planned, X_known, y_known, audit=audit, q=q,
                          model=model, model_params=model_params,
                          group_feature=split.group_column is not None,
                          random_state=sub_seed(seed, "stealth"))

    order, risky = stealth_order(ranking.ranked, n_flips, risk)
    where = {int(row): i for i, row in enumerate(ranking.ranked)}
    scores = ranking.scores[[where[int(r)] for r in order]]
    return CollectiveRanking(members, known, order, scores, risky=risky)


# The logistic-regression parameters the influence reference follows (others change the
# objective whose Hessian it solves, so they are refused).
_INFLUENCE_PARAMS = ("C", "tol", "max_iter", "solver")


def influence_pool(split: Split, model="logreg", model_params=None):
    """``(X, y, groups, C)`` of the firm's training pool for the ``influence`` reference.

    Refused (one line) for any firm other than the logistic regression, or with parameters
    that change its objective.
    """

    if not (isinstance(model, str) and model == "logreg"):
        shown = model if isinstance(model, str) else type(model).__name__
        raise ConfigError(f"The influence reference is defined for the logistic-regression "
                          f"firm only (model='logreg'). Got model={shown!r} instead.")
    params = dict(model_params or {})
    other = sorted(set(params) - set(_INFLUENCE_PARAMS))
    if other:
        raise ConfigError(f"The influence reference follows the firm's L2 logistic regression; "
                          f"'model_params' may set only {', '.join(_INFLUENCE_PARAMS)}. Got "
                          f"{other[0]!r} instead.")
    return split.X_train, split.y_train, split.g_train, float(params.get("C", LOGREG_C))


def rank_split(split: Split, *, method, alpha, knowledge="all", k=DEFAULT_K, random_state=0,
               estimator=None, members=None, scorer_cache=None,
               knowledge_pool=None, model="logreg", model_params=None) -> CollectiveRanking:
    """:func:`rank_collective` on a split's training rows (group indicator dropped).

    The ``influence`` reference gets the firm's pool (:func:`influence_pool`; ``model`` and
    ``model_params`` are the firm's); every other scorer sees what a collective sees.
    """
    firm_pool = None
    if isinstance(method, str) and method == "influence":
        firm_pool = influence_pool(split, model, model_params)
    return rank_collective(
        split.scoring_view(split.X_train), split.y_train, split.g_train, method=method,
        alpha=alpha, members=members, knowledge=knowledge, k=k, estimator=estimator,
        counterfactual_proba=split.p_train_cf, random_state=random_state,
        scorer_cache=scorer_cache, knowledge_pool=knowledge_pool, firm_pool=firm_pool,
    )
