"""Advice when the collective knows little: budget choices at 10, 100, 1,000 and all known rows.

Beyond the paper (issue 23). Per data set, seed and knowledge setting (alpha 0.3, rb-prob, a
21-point budget grid, the firm a logistic regression trained by the batched path), the test
EqOd curve of the firm is computed once and every way of choosing the budget is read off it:

- ``advisor``: :func:`fairflip.advise` on the collective's view without a stated rate (when it
  cannot advise, e.g. known rows of one label, the collective does nothing and the record
  says ``no_advice``);
- ``advisor + rate``: the same view with the majority's favourable rate stated, taken as the
  data set's published rate: the other group's rate over **all** the problem's rows, never
  the firm's split (a published hiring rate is about the whole population);
- ``firm-validation``: the lowest EqOd on the firm's validation rows (half of the test split,
  stratified; data a collective does not have);
- ``fixed 25 %``, ``fixed 50 %`` of the candidates (nearest grid budget), ``nothing`` (0).

Regret = test EqOd at the chosen budget minus the seed's best on the grid
(:func:`fairflip.analysis.select_points` with ``selection="seed-hindsight"``); harm = test EqOd
above the no-flip model's. The advisor's 90 % band is recorded at its budget (``covered``:
whether the test EqOd fell inside it).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._io import write_table
from .._seeding import sub_seed
from ..advisor import advise, predicted_choices, rank_view
from ..analysis import knowledge_advice_rows, select_points
from ..collective import view_from_split
from ..data import split_problem
from ..exceptions import FairflipError
from ..experiments import carve_validation, problem_for
from ..learning import LOGREG_C, fit_flip_path, predict_columns
from ..metrics import fairness_report
from ..plotting import knowledge_advice_figure, save_figure
from ..simulation import rank_split

__all__ = ["KNOWLEDGE_LEVELS", "knowledge_advice_records", "run_knowledge_advice_study"]

KNOWLEDGE_LEVELS = ("10", "100", "1000", "all")
STUDY_ALPHA = 0.3
STUDY_POINTS = 21
STUDY_METHOD = "rb-prob"


def _grid(n_candidates: int, points: int) -> np.ndarray:
    return np.unique(np.linspace(0, n_candidates, points).round().astype(np.intp))


def _ranking(split, knowledge, seed):
    """The unit's ranking; when rb-prob cannot learn from the known rows (one label), the same
    members and known rows with no order (the advisor with a rate ranks them itself)."""

    try:
        return rank_split(split, method=STUDY_METHOD, alpha=STUDY_ALPHA, knowledge=knowledge,
                          random_state=seed), True
    except FairflipError:
        # rb-label draws the same members and known rows (draws depend on the seed only).
        return rank_split(split, method="rb-label", alpha=STUDY_ALPHA, knowledge=knowledge,
                          k=1, random_state=seed), False


def _one_unit(problem, name, seed, knowledge, published_rate, rule, n_bootstrap):

    # Half the firm's test rows (stratified by group and label) as its validation rows, the
    # sweep's own carve.
    split, val = carve_validation(split_problem(problem, random_state=seed), seed, 0.5)
    if knowledge != "all" and int(knowledge) >= int((split.g_train == 0).sum()):
        return []  # more rows than the other group has (German at 1,000): that is "all"
    r, ranked_ok = _ranking(split, knowledge, seed)
    if r.n_candidates == 0:
        return []
    share = float(split.g_train.mean())
    plain = view_from_split(split, members=r.members, known=r.known, alpha=STUDY_ALPHA,
                            group_share=share)
    stated = view_from_split(split, members=r.members, known=r.known, alpha=STUDY_ALPHA,
                             group_share=share, majority_rate=published_rate)
    adv_seed = sub_seed(seed, "advise", STUDY_ALPHA, STUDY_METHOD, knowledge)
    if ranked_ok:
        order = np.searchsorted(r.members, r.ranked)
    else:  # the collective's own ranking with the stated rate (the rate-anchored prior)
        order, _ = rank_view(stated, method=STUDY_METHOD, random_state=seed)
    ranked_rows = r.members[order]
    budgets = _grid(r.n_candidates, STUDY_POINTS)
    coef, intercept = fit_flip_path(split.X_train, split.y_train, ranked_rows, budgets,
                                    C=LOGREG_C)
    rows = []
    for b, p_test, p_val in zip(budgets, predict_columns(split.X_test, coef, intercept).T,
                                predict_columns(val.X_test, coef, intercept).T, strict=True):
        t = fairness_report(split.y_test, p_test, split.g_test)
        v = fairness_report(val.y_test, p_val, val.g_test)
        rows.append({"family": "collective", "seed": seed, "budget": int(b), "eqod": t["eqod"],
                     "error": t["error"], "firm_val_eqod": v["eqod"],
                     "firm_val_error": v["error"]})
    grid = pd.DataFrame(rows)
    best = select_points(grid, selection="seed-hindsight", by=()).iloc[0]
    base = grid.iloc[0]
    picks = {"nothing": (0, None),
             "firm-validation": (int(select_points(grid, selection="firm-validation",
                                                   by=()).iloc[0].budget), None)}
    for share_ in (0.25, 0.5):
        picks[f"fixed {int(share_ * 100)} %"] = (
            int(budgets[np.abs(budgets - share_ * r.n_candidates).argmin()]), None)
    for label, view in (("advisor", plain), ("advisor + rate", stated)):
        if isinstance(rule, tuple):  # development: several rules on one shadow curve
            try:
                chosen = predicted_choices(view, order, rule, budget_points=STUDY_POINTS,
                                           n_bootstrap=n_bootstrap, random_state=adv_seed)
            except (FairflipError, ValueError):
                chosen = dict.fromkeys(rule)
            for rule_name, pick in chosen.items():
                picks[f"{label} [{rule_name}]"] = ((0, "no_advice") if pick is None
                                              else (pick[0], pick[1:]))
            continue
        try:
            advice = advise(view, order=order, budget_points=STUDY_POINTS, rule=rule,
                            n_bootstrap=n_bootstrap, random_state=adv_seed)
        except FairflipError:
            picks[label] = (0, "no_advice")
            continue
        j = int(np.flatnonzero(advice.budgets == advice.recommended_budget)[0])
        picks[label] = (advice.recommended_budget,
                        (float(advice.eqod_low[j]), float(advice.eqod_high[j])))
    out = []
    for choice, (budget, extra) in picks.items():
        at = grid[grid.budget == budget].iloc[0]
        band = extra if isinstance(extra, tuple) else (np.nan, np.nan)
        out.append({
            "dataset": name, "seed": seed, "knowledge": knowledge, "n_known": int(r.known.size),
            "known_one_label": bool(np.unique(split.y_train[r.known]).size < 2),
            "n_candidates": int(r.n_candidates), "choice": choice, "budget": int(budget),
            "share": budget / r.n_candidates, "eqod": float(at.eqod), "error": float(at.error),
            "base_eqod": float(base.eqod), "best_eqod": float(best.eqod),
            "regret": float(at.eqod - best.eqod), "harm": bool(at.eqod > base.eqod + 1e-12),
            "no_advice": extra == "no_advice", "band_low": band[0], "band_high": band[1],
            "covered": bool(band[0] <= at.eqod <= band[1]) if np.isfinite(band[0]) else np.nan,
        })
    return out


def _seed_records(spec, seed, knowledge, published, rule, n_bootstrap):
    problem = problem_for(spec)  # cached per process: a worker loads each data set once
    return [rec for kn in knowledge
            for rec in _one_unit(problem, spec.name, seed, kn, published, rule, n_bootstrap)]


def knowledge_advice_records(datasets, seeds, *, knowledge=KNOWLEDGE_LEVELS, rule=None,
                             n_bootstrap=200, progress=None, n_jobs=1) -> pd.DataFrame:
    """One record per (data set, seed, knowledge, choice); see the module docstring.

    ``datasets`` are :class:`~fairflip.experiments.DatasetSpec`; ``rule`` the advisor's
    (default its own, which depends on whether the rate is stated; a tuple of rules, for
    development, reads every rule off one shadow curve and names the choices
    ``"advisor [rule]"``); ``progress`` is called with a message per data set and seed.
    ``n_jobs`` processes share the (data set, seed) pairs; the records are the same, in the
    same order, for any ``n_jobs``.
    """
    import joblib

    tasks = []
    for spec in datasets:
        problem = problem_for(spec)
        y, g = np.asarray(problem.y), np.asarray(problem.group)
        # The published rate: the other group's favourable rate over all the data set's rows.
        published = float(y[g == 0].mean())
        tasks += [(spec, seed, published) for seed in seeds]
    parallel = joblib.Parallel(n_jobs=n_jobs, backend="loky" if n_jobs != 1 else "sequential",
                               return_as="generator")
    records = []
    for (spec, seed, _), recs in zip(tasks, parallel(
            joblib.delayed(_seed_records)(spec, seed, tuple(knowledge), published, rule,
                                          n_bootstrap) for spec, seed, published in tasks),
            strict=True):
        records += recs
        if progress is not None:
            progress(f"{spec.name} seed {seed}")
    return pd.DataFrame.from_records(records)


def run_knowledge_advice_study(out_dir, datasets, *, quick=False, n_jobs=1):
    """``reproduce``'s hook: the records (``advice_knowledge.csv``), the measurement rows and
    the figure ``advice_knowledge`` (regret against rows known). Seeds 0-9 (quick: 0-1 and
    10, 100 and all known rows); the advisor's settings were fixed on seeds 100-104
    (``scripts/advise_knowledge_dev.py``, ``docs/advise.md``)."""
    from pathlib import Path


    seeds, levels = (range(2), ("10", "100", "all")) if quick else (range(10), KNOWLEDGE_LEVELS)
    records = knowledge_advice_records(datasets, seeds, knowledge=levels, n_jobs=n_jobs)
    out_dir = Path(out_dir)
    write_table(records, out_dir / "advice_knowledge.csv")
    figures = save_figure(knowledge_advice_figure(records), out_dir / "figures",
                          "advice_knowledge") if len(records) else []
    return knowledge_advice_rows(records), figures
