"""``advise(view)``: how many of the collective should flip, from the view alone."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from .._seeding import sub_seed
from ..collective import CollectiveView, check_avoid_audit, check_view_audit, rank_candidates
from ..exceptions import ConfigError, DataError
from ..learning import DEFAULT_AUDIT_Q, check_audit
from ..scorers import DEFAULT_K, INFLUENCE_NEEDS_FIRM, make_scorer, method_name, scorer_seed
from ._curve import BAND_LEVEL, Curves, choose_budget, predicted_curves
from ._shadow import anchored_scores, out_of_fold_predictions, shadow_majority, shadow_weights
from ._stealth import make_view_risk, stealth_plan, stealth_summary

__all__ = ["ADVISOR_VERSION", "DEFAULT_RULE", "RATE_RULE", "Advice", "advise", "rank_view"]

# Fixed before any reported measurement (chosen on development seeds, see docs/advise.md).
DEFAULT_RULE = "clear-gain"
# The default when the majority's favourable rate is stated (issue 23; development seeds
# 100-104, docs/advise.md): the rate-anchored curve is smooth enough to take its minimum,
# guarded by one bootstrap standard error of the paired gain over no flips.
RATE_RULE = "min-or-zero"
#: The advisor's version: 2 added the stated majority rate (rate-anchored shadow majority,
#: RATE_RULE, the paired-gain rule). Advice without a stated rate is unchanged from 1.
ADVISOR_VERSION = 2
MSG_NEEDS_OTHER_GROUP = ("The advisor needs rows of the other group the collective knows "
                         "(--majority), or that group's favourable rate stated (--majority-rate "
                         "with --group-share).")
MSG_ONE_LABEL = ("The known rows of the other group must hold both label values, or that group's "
                 "favourable rate must be stated (--majority-rate with --group-share). "
                 "Got only {label} instead.")
# A band this wide (EqOd, high - low, at no flips) cannot tell a good budget from a bad one.
WIDE_BAND = 0.1


def rank_view(view: CollectiveView, *, method="rb-prob", k=DEFAULT_K, random_state=0,
              neighbors="exact"):
    """The candidates (positions among the members) in flip order, and their scores.

    Scorers learn from the view's known rows (``random`` from nothing); ties are broken in a
    seeded order, as :func:`fairflip.collective.make_plan` breaks them. ``neighbors`` is
    rb-label's / rb-dist's search (``"exact"`` or ``"approx"``).
    """
    order, scores, _ = fit_rank_view(view, method=method, k=k, random_state=random_state,
                                     neighbors=neighbors)
    return order, scores


def _refuse_references(method):
    """The references read what a collective never has: refused in one line."""
    if isinstance(method, str) and method == "oracle":
        raise ConfigError("The oracle needs a known causal model; a collective has none.")
    if isinstance(method, str) and method == "influence":
        raise ConfigError(INFLUENCE_NEEDS_FIRM)


def fit_rank_view(view, *, method, k, random_state, neighbors):
    """:func:`rank_view`'s order and scores, and the fitted scorer (its ``neighbor_recall_``)."""
    if not isinstance(view, CollectiveView):
        raise TypeError(f"The 'view' parameter must be a CollectiveView. Got {type(view).__name__} "
                        "instead.")
    _refuse_references(method)
    scorer = make_scorer(method, k=k, neighbors=neighbors,
                         random_state=scorer_seed(method, random_state))
    if (scorer.needs_knowledge and view.majority_rate is not None
            and np.unique(view.y_known).size < 2):
        # Too few known labels to learn from, but a stated rate: rank by the rate-anchored
        # prior of the other group's P(y = 1 | x) (see advisor._shadow.shadow_majority).
        candidates = view.candidates
        if candidates.size == 0:
            return candidates, np.empty(0), None
        scores = anchored_scores(view, view.X_members[candidates])
        order = rank_candidates(scores, random_state=sub_seed(random_state, "ties"))
        return candidates[order], scores[order], None
    if scorer.needs_knowledge:
        if view.n_known == 0:
            raise ConfigError(f"{method} needs a file of majority rows the collective knows "
                              "(--majority), or the majority's favourable rate stated "
                              "(--majority-rate with --group-share).")
        scorer.fit(view.X_known, view.y_known)
    else:
        scorer.fit(view.X_members, view.y_members)
    candidates = view.candidates
    if candidates.size == 0:
        return candidates, np.empty(0), scorer
    scores = scorer.score(view.X_members[candidates], index=candidates)
    order = rank_candidates(scores, random_state=sub_seed(random_state, "ties"))
    return candidates[order], scores[order], scorer


@dataclass(frozen=True)
class Advice:
    """The advisor's answer: a recommended budget and the predicted curves behind it.

    Attributes
    ----------
    recommended_budget : int
        Flips to make (the top of the flip order).
    n_candidates : int
        Negatively labelled members.
    budgets : ndarray of int
        The budgets predicted, ascending from 0.
    eqod, eqod_low, eqod_high, error, error_low, error_high : ndarray
        Predicted firm test EqOd and error per budget and their 90 % bootstrap bands.
    order : ndarray of int
        Candidate positions among the view's members, in flip order.
    method, model, rule : str
    assumptions : dict
        alpha and group share used, and whether each was stated or assumed.
    notes : tuple of str
        Warnings a user should read (a wide band, an assumed alpha).
    stealth : dict or None
        With ``avoid_audit``: the expected audit, the flips the collective's own audit flags
        in the plain and in the stealth-aware plan at the recommended budget
        (``flagged_plain``, ``flagged_stealth``, ``flags_avoided``) and the plain ranking's
        predicted EqOd there (``plain_eqod``, ``eqod_cost``).
    plain_eqod : ndarray or None
        With ``avoid_audit``: the plain ranking's predicted EqOd per budget.
    """

    recommended_budget: int
    n_candidates: int
    budgets: np.ndarray
    eqod: np.ndarray
    eqod_low: np.ndarray
    eqod_high: np.ndarray
    error: np.ndarray
    error_low: np.ndarray
    error_high: np.ndarray
    order: np.ndarray
    method: str
    model: str
    rule: str
    assumptions: dict = field(default_factory=dict)
    notes: tuple = ()
    stealth: dict | None = None
    plain_eqod: np.ndarray | None = None

    @property
    def ranking(self) -> str:
        """``"stealth-aware"`` when the order was re-planned around the collective's own
        audit (``avoid_audit``), else ``"plain"``."""
        return "plain" if self.stealth is None else "stealth-aware"

    @property
    def recommended_share(self) -> float:
        return self.recommended_budget / self.n_candidates if self.n_candidates else 0.0

    @property
    def band_width(self) -> float:
        """Width of the EqOd band at no flips (how well the view pins the firm down)."""
        return float(self.eqod_high[0] - self.eqod_low[0])

    @property
    def wide_band(self) -> bool:
        return self.band_width > WIDE_BAND

    def _at(self, budget):
        j = int(np.flatnonzero(self.budgets == budget)[0])
        return {name: float(getattr(self, name)[j])
                for name in ("eqod", "eqod_low", "eqod_high", "error", "error_low", "error_high")}

    def flipped(self) -> np.ndarray:
        """Member positions that flip under the recommendation."""
        return self.order[:self.recommended_budget]

    def to_dict(self) -> dict:
        """Plain types: the JSON of ``fairflip advise --format json``."""
        before, after = self._at(0), self._at(self.recommended_budget)

        def pair(metric):
            return {"before": before[metric], "before_low": before[f"{metric}_low"],
                    "before_high": before[f"{metric}_high"], "after": after[metric],
                    "low": after[f"{metric}_low"], "high": after[f"{metric}_high"]}

        curve = [{"budget": int(b), "eqod": float(e), "error": float(r), "low": float(lo),
                  "high": float(hi), "error_low": float(rl), "error_high": float(rh)}
                 for b, e, r, lo, hi, rl, rh in zip(
                     self.budgets, self.eqod, self.error, self.eqod_low, self.eqod_high,
                     self.error_low, self.error_high, strict=True)]
        if self.plain_eqod is not None:
            for point, plain in zip(curve, self.plain_eqod, strict=True):
                point["plain_eqod"] = float(plain)
        return {
            "recommended_budget": int(self.recommended_budget),
            "recommended_share": float(self.recommended_share),
            "n_candidates": int(self.n_candidates),
            "predicted": {"eqod": pair("eqod"), "error": pair("error")},
            "band": {"level": BAND_LEVEL, "eqod_width": self.band_width, "wide": self.wide_band},
            "curve": curve, "ranking": self.ranking, "stealth": self.stealth,
            "method": self.method, "model": self.model, "rule": self.rule,
            "advisor_version": ADVISOR_VERSION,
            "assumptions": dict(self.assumptions), "notes": list(self.notes),
        }


def _budget_grid(n_candidates, points):
    return np.unique(np.linspace(0, n_candidates, points).round().astype(np.intp))


def _check_order(order, view):
    order = np.asarray(order)
    if order.ndim != 1 or not np.issubdtype(order.dtype, np.integer):
        raise ConfigError("The 'order' parameter must be a 1-D array of member positions.")
    if sorted(order.tolist()) != view.candidates.tolist():
        raise ConfigError("The 'order' parameter must list every negatively labelled member "
                          "exactly once.")
    return order.astype(np.intp)


def advise(view, *, method="rb-prob", k=DEFAULT_K, order=None, model="logreg", model_params=None,
           group_feature=True, rule=None, budget_points=None, n_folds=3,
           n_bootstrap=200, avoid_audit=None, audit_q=DEFAULT_AUDIT_Q, progress=None,
           random_state=0, neighbors="exact", majority_rate=None) -> Advice:
    """Recommend how many of the collective's candidates should flip, from its view alone.

    A shadow firm is trained on the view (members for the acting group, with a weighted copy
    standing for its non-members; known rows for the other group, weighted to the group
    shares), one model per budget and fold; each fold's held-out rows score every budget with
    their own labels. Bootstrapping those rows gives the 90 % band. The rule: the budget
    with the lowest predicted EqOd if its band lies wholly below the band at no flips;
    otherwise 0, the fewest flips (the view cannot tell that budget from doing nothing).

    Parameters
    ----------
    view : CollectiveView
        The only data read (type-checked).
    method : str, default="rb-prob"
        Scorer ranking the candidates (ignored when ``order`` is given).
    k : int, default=10
        Neighbours for rb-label and rb-dist.
    order : array-like of int or None
        The flip order (candidate positions among the members) when the caller has ranked
        already, e.g. the oracle on synthetic data.
    model : str or estimator, default="logreg"
        The firm's model class (the batched path trains every budget at once for logreg).
    model_params : dict or None
    group_feature : bool, default=True
        Whether the firm's features include the group indicator.
    rule : {"clear-gain", "paired-gain", "min-or-zero", "one-se", "paired-se", "argmin"} or None
        See :func:`fairflip.advisor._curve.choose_budget`. None: ``"clear-gain"``
        (:data:`DEFAULT_RULE`), or ``"min-or-zero"`` (:data:`RATE_RULE`) when the majority's
        rate is stated; both fixed on development seeds before any reported measurement
        (``docs/advise.md``).
    budget_points : int or None
        Budgets predicted, 0 to every candidate (default 41 for logreg, 11 otherwise).
    n_folds : int, default=3
        Cross-fitting folds.
    n_bootstrap : int, default=200
    avoid_audit : {None, "cleanlab", "loss"}, default=None
        Advise for the stealth-aware ranking (as ``fairflip plan --avoid-audit``): the
        collective's own audit of its view re-plans the ranking so the flips it flags come
        last (:mod:`fairflip.collective` (stealth); re-planned for the plain ranking's predicted best
        budget and for the recommended one, see :mod:`fairflip.advisor._stealth`). The
        result's ``stealth`` then holds the flags that audit expects on the plain and on the
        stealth-aware plan at the recommended budget, and ``plain_eqod`` the plain ranking's
        predicted curve.
    audit_q : float, default=0.1
        The loss audit's share (with ``avoid_audit="loss"``).
    progress : callable or None
        With ``avoid_audit``, called with a message before each of the collective's own
        audits (a few cross-fits of the view; slow on large views).
    random_state : int, default=0
    neighbors : {"exact", "approx"}, default="exact"
        rb-label's / rb-dist's neighbour search (ignored when ``order`` is given).
    majority_rate : float or None
        The other group's favourable rate, a public fact (sets the view's
        ``majority_rate``; needs the view's ``group_share``). With it the shadow firm's other
        group leans on a rate-anchored prior as far as the known rows are few, and known rows
        with one label, or none, still get advice (ranked, for a scorer that learns from
        the known rows, by that prior). See ``docs/advise.md``.

    Returns
    -------
    Advice

    Examples
    --------
    >>> from fairflip.data import make_synthetic, split_problem
    >>> from fairflip.collective import rank_collective
    >>> from fairflip.collective import view_from_split
    >>> split = split_problem(make_synthetic(n_rows=2000, random_state=0), random_state=0)
    >>> ranking = rank_collective(split.scoring_view(split.X_train), split.y_train,
    ...                           split.g_train, alpha=0.5, random_state=0)
    >>> view = view_from_split(split, members=ranking.members, known=ranking.known,
    ...                        alpha=0.5, group_share=float(split.g_train.mean()))
    >>> result = advise(view, random_state=0)
    >>> 0 <= result.recommended_budget <= result.n_candidates
    True
    """
    if not isinstance(view, CollectiveView):
        raise TypeError(f"The 'view' parameter must be a CollectiveView. Got {type(view).__name__} "
                        "instead.")
    if isinstance(method, str) and method == "influence":
        # (The oracle's order may be advised on synthetic data: a sweep passes it.)
        raise ConfigError(INFLUENCE_NEEDS_FIRM)
    if majority_rate is not None:
        view = replace(view, majority_rate=majority_rate)
    if view.n_candidates == 0:
        raise DataError("The collective has no negatively labelled members to flip.")
    if view.n_candidates == view.n_members:
        raise DataError("The advisor needs the members' positive rows too (the acting group's "
                        "true positive rate). Got only negatively labelled members instead.")
    if view.n_known == 0 and view.majority_rate is None:
        raise ConfigError(MSG_NEEDS_OTHER_GROUP)
    if np.unique(view.y_known).size < 2 and view.majority_rate is None:
        raise DataError(MSG_ONE_LABEL.format(label=int(view.y_known[0])))
    if rule is None:
        rule = DEFAULT_RULE if view.majority_rate is None else RATE_RULE
    is_logreg = model == "logreg" and not model_params
    points = budget_points or (41 if is_logreg else 11)
    folds = n_folds
    for name, value, low in (("budget_points", points, 2), ("n_folds", folds, 2),
                             ("n_bootstrap", n_bootstrap, 10)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
            raise ConfigError(f"The '{name}' parameter must be an integer >= {low}. "
                              f"Got {value!r} instead.")
    if order is None:
        order, _ = rank_view(view, method=method, k=k, random_state=random_state,
                             neighbors=neighbors)
    else:
        order = _check_order(order, view)
    avoid_audit = check_avoid_audit(avoid_audit)
    if avoid_audit is not None:
        check_audit(avoid_audit, "drop", audit_q)
        check_view_audit(view)
    weights, majority, budgets, fit, pred, curves_of = _shadow_curves(
        view, order, points=points, model=model, model_params=model_params,
        group_feature=group_feature, n_folds=folds, n_bootstrap=n_bootstrap,
        random_state=random_state)
    curves = curves_of(pred)
    stealth = plain_eqod = None
    if avoid_audit is not None:
        plain_order, plain_eqod = order, curves.eqod
        risk = make_view_risk(view, audit=avoid_audit, q=audit_q, model=model,
                              model_params=model_params, group_feature=group_feature,
                              random_state=random_state, progress=progress)
        order, curves, risky, best = _stealth_curves(view, plain_order, budgets, pred, plain_eqod,
                                                     curves_of, risk, rule, fit)
        stealth = stealth_summary(plain_order, order, risky, int(budgets[best]), risk,
                                  plain_eqod=plain_eqod[best], stealth_eqod=curves.eqod[best])
    else:
        best = choose_budget(curves, rule)
    q = [(1 - BAND_LEVEL) / 2, (1 + BAND_LEVEL) / 2]
    eq_lo, eq_hi = np.quantile(curves.eqod_boot, q, axis=0)
    er_lo, er_hi = np.quantile(curves.error_boot, q, axis=0)
    notes = []
    if not weights.alpha_stated:
        notes.append("alpha not stated: members taken as the whole acting group (alpha = 1), "
                     "which errs towards fewer flips; state --alpha")
    if not weights.group_share_stated:
        notes.append(f"group share not stated: {weights.group_share:.3f} implied by the view's "
                     "rows; state --group-share")
    if view.majority_rate is not None:
        notes.append(f"majority rate {view.majority_rate:g} stated: the other group's labels "
                     f"lean on a rate-anchored prior (weight {majority.prior_weight:.2f}; "
                     f"{majority.kind})")
    if view.n_known == 0:
        notes.append("no rows of the other group known: its features are assumed to look like "
                     "the members'; add --majority rows to check that")
    width = float(eq_hi[0] - eq_lo[0])
    if width > WIDE_BAND:
        notes.append(f"the band is wide ({width:.3f} EqOd at no flips): the view "
                     f"({view.n_known} known rows of the other group, {view.n_members} members) "
                     "cannot pin the firm's curve down")
    return Advice(
        recommended_budget=int(budgets[best]), n_candidates=view.n_candidates, budgets=budgets,
        eqod=curves.eqod, eqod_low=eq_lo, eqod_high=eq_hi, error=curves.error,
        error_low=er_lo, error_high=er_hi, order=order, method=method_name(method),
        model=model if isinstance(model, str) else type(model).__name__, rule=rule,
        assumptions={"alpha": weights.alpha, "alpha_stated": weights.alpha_stated,
                     "group_share": weights.group_share,
                     "group_share_stated": weights.group_share_stated,
                     "majority_rate": view.majority_rate,
                     "majority_rate_stated": view.majority_rate is not None,
                     "prior_weight": majority.prior_weight,
                     "n_members": view.n_members, "n_known": view.n_known},
        notes=tuple(notes), stealth=stealth, plain_eqod=plain_eqod,
    )


def _shadow_curves(view, order, *, points, model, model_params, group_feature, n_folds,
                   n_bootstrap, random_state):
    """The shadow firm's pieces: weights, other group, budgets, fit options, out-of-fold
    predictions and the function from predictions to curves."""
    weights = shadow_weights(view)
    majority = shadow_majority(view)
    budgets = _budget_grid(view.n_candidates, points)
    fit = dict(weights=weights, model=model, model_params=model_params,
               group_feature=group_feature, n_folds=n_folds, random_state=random_state,
               majority=majority)
    pred = out_of_fold_predictions(view, order, budgets, **fit)
    y = np.concatenate([view.y_members, majority.y])
    g = np.concatenate([np.ones(view.n_members, np.int8), np.zeros(majority.y.size, np.int8)])

    def curves_of(*preds):
        return predicted_curves(np.hstack(preds), y, g, group_share=weights.group_share,
                                n_bootstrap=n_bootstrap, random_state=random_state,
                                majority=majority)

    return weights, majority, budgets, fit, pred, curves_of


def predicted_choices(view, order, rules, *, budget_points=41, n_folds=3, n_bootstrap=200,
                      random_state=0):
    """Development aid: the budget each of ``rules`` picks on one shadow curve (logistic
    firm), with the 90 % EqOd band there; ``advise`` with that rule gives the same budget.
    Returns ``{rule: (budget, low, high)}``."""
    _, _, budgets, _, pred, curves_of = _shadow_curves(
        view, np.asarray(order, dtype=np.intp), points=budget_points, model="logreg",
        model_params=None, group_feature=True, n_folds=n_folds, n_bootstrap=n_bootstrap,
        random_state=random_state)
    curves = curves_of(pred)
    q = [(1 - BAND_LEVEL) / 2, (1 + BAND_LEVEL) / 2]
    out = {}
    for rule in rules:
        j = choose_budget(curves, rule)
        low, high = np.quantile(curves.eqod_boot[:, j], q)
        out[rule] = (int(budgets[j]), float(low), float(high))
    return out


def _split_curves(curves, n):
    """The first ``n`` columns of curves computed on several predictions side by side."""
    return Curves(curves.eqod[:n], curves.error[:n], curves.eqod_boot[:, :n],
                  curves.error_boot[:, :n])


def _stealth_curves(view, plain_order, budgets, plain_pred, plain_eqod, curves_of, risk, rule,
                    fit):
    """(order, curves, risky, index of the recommended budget) of the stealth-aware ranking.

    The ranking is re-planned for the plain ranking's predicted best budget and the rule
    picks a budget on its curve; then the plan is re-planned for exactly that budget (what
    ``fairflip plan --avoid-audit --budget B`` flips) and its own prediction replaces the
    curve's point there. The bootstrap draws depend on the rows only, so every column
    computed next to others has the same replicates as alone.
    """
    reference = int(budgets[int(np.argmin(plain_eqod))])
    order, risky = stealth_plan(plain_order, reference, risk)
    pred = (plain_pred if np.array_equal(order, plain_order)
            else out_of_fold_predictions(view, order, budgets, **fit))
    curves = _split_curves(curves_of(pred, plain_pred), budgets.size)
    best = choose_budget(curves, rule)
    budget = int(budgets[best])
    if budget in (0, reference):
        return order, curves, risky, best
    order, risky = stealth_plan(plain_order, budget, risk)
    exact = _split_curves(curves_of(out_of_fold_predictions(view, order, budgets[[best]], **fit)), 1)
    for name in ("eqod", "error"):
        getattr(curves, name)[best] = getattr(exact, name)[0]
        getattr(curves, f"{name}_boot")[:, best] = getattr(exact, f"{name}_boot")[:, 0]
    return order, curves, risky, best
