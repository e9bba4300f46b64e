"""Computing one job: the split once, the base model once, then every unit's rows."""

from __future__ import annotations

import warnings
from dataclasses import replace
from functools import lru_cache

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from .._seeding import sub_seed
from .._version import __version__
from ..data import Split, load_dataset, load_table, split_problem
from ..exceptions import ConfigError, DataError
from ..firm import train_firm
from ..learning import LOGREG_C, FlipPath, flip_labels, predict_columns
from ..metrics import (
    fairness_report,
)
from ..scorers import DEFAULT_K
from ..simulation import rank_split
from ._advised import advised_budget
from ._audited import audited_rows
from ._budgets import budget_counts
from ._grid import Job, Unit
from ._rows import JobContext, scored_rows
from ._store import RESULT_COLUMNS
from ._versions import algorithm_tag

__all__ = ["RESULT_COLUMNS", "Infeasible", "budget_counts", "carve_validation", "fit_budgets", "problem_for",
           "run_job"]

_KNN = ("rb-label", "rb-dist")



@lru_cache(maxsize=4)
def problem_for(spec):
    """The Problem of a DatasetSpec: a named data set or a user's table (cached)."""
    opts = dict(spec.options)
    if "file" in opts:

        return load_table(opts["file"], label=opts["label"], group=opts["group"],
                          acting_group=opts.get("acting_group"), favourable=opts.get("favourable"),
                          standardize=opts.get("standardize", True))
    return load_dataset(spec.name, sensitive=spec.sensitive, **opts)


class Infeasible(Exception):
    """A cell the collective cannot act in (the reason is recorded, the sweep goes on)."""


def carve_validation(split: Split, seed: int, val_share: float) -> tuple[Split, Split]:
    """Hold out part of the firm's test rows as its firm-validation set (stratified).

    These rows belong to the firm (both groups, true labels): a budget or knob chosen on
    them is the *firm-validation* choice, not something a collective could compute.
    """
    pos = np.arange(split.y_test.size)
    strata = split.g_test * 2 + split.y_test
    try:
        test_pos, val_pos = train_test_split(pos, test_size=val_share, stratify=strata,
                                             random_state=sub_seed(seed, "validation"))
    except ValueError:
        # scikit-learn refuses when a (group, label) stratum has fewer than two rows or the
        # share leaves fewer rows than strata on one side.
        counts = np.bincount(strata, minlength=4)
        raise ConfigError(
            f"The 'firm_val_share' entry ({val_share}) cannot carve a firm-validation split "
            f"stratified by group and label from {pos.size} test rows (per group and label: "
            f"{counts.tolist()}); use more rows or another firm_val_share.") from None
    test_pos, val_pos = np.sort(test_pos), np.sort(val_pos)

    def take(p):
        return replace(split, X_test=split.X_test[p], y_test=split.y_test[p],
                       g_test=split.g_test[p], test_ids=split.test_ids[p],
                       gv_test=None if split.gv_test is None else split.gv_test[p],
                       X_test_cf=None if split.X_test_cf is None else split.X_test_cf[p])
    return take(test_pos), take(val_pos)


# Newton steps of the batched solver before a budget counts as not converged (a module
# constant so a test can force the scikit-learn fallback).
_BATCHED_MAX_ITER = 100


def _fit_one(split: Split, labels, model, seed):
    """One scikit-learn fit; (model, whether it converged: no ConvergenceWarning)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        fitted = train_firm(split.X_train, labels, model=model,
                            random_state=sub_seed(seed, "model"))
    for w in caught:  # anything else goes on as it came
        if not issubclass(w.category, ConvergenceWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return fitted, not any(issubclass(w.category, ConvergenceWarning) for w in caught)


def flip_path(split: Split, base=None) -> FlipPath:
    """The batched solver prepared on ``split``'s training rows, started from ``base`` (the
    unflipped model's (coefficients, intercept)), for every path of one job."""
    start = {} if base is None else {"coef_init": base[0], "intercept_init": base[1]}
    return FlipPath(split.X_train, split.y_train, C=LOGREG_C, max_iter=_BATCHED_MAX_ITER,
                    **start)


def fit_budgets(split: Split, ranked, counts, model, seed, path=None):
    """Train every budget's firm model.

    Returns ``predict(X) -> (n_rows, n_budgets)``, per budget whether its model converged,
    and for the logistic regression the first budget's (coefficients, intercept). The
    default logistic regression trains all budgets at once (the batched solver reaches
    scikit-learn's optimum) on ``path`` (:func:`flip_path` of the split, prepared once per
    job and started from its base model; by default one from zeros); a budget it does not
    converge on within ``_BATCHED_MAX_ITER`` steps is refitted with scikit-learn, with a
    ConvergenceWarning. Any other model is refitted once per budget.
    """
    if model == "logreg":
        path = flip_path(split) if path is None else path
        coef, intercept, converged = path.fit(ranked, counts, return_converged=True)
        stuck = np.flatnonzero(~converged)
        if stuck.size:
            warnings.warn(f"The batched solver did not converge for {stuck.size} of "
                          f"{converged.size} budgets (flips {counts[stuck][:5].tolist()}...); "
                          "they are refitted with scikit-learn.", ConvergenceWarning,
                          stacklevel=2)
            for j in stuck:
                est, converged[j] = _fit_one(split, flip_labels(split.y_train, ranked[:counts[j]]),
                                             model, seed)
                coef[:, j], intercept[j] = est.coef_.ravel(), est.intercept_[0]
        return (lambda X: predict_columns(X, coef, intercept).astype(np.int8), converged,
                (coef[:, 0].copy(), float(intercept[0])))
    fitted, converged = [], []
    for n in counts:
        est, ok = _fit_one(split, flip_labels(split.y_train, ranked[:n]), model, seed)
        fitted.append(est)
        converged.append(ok)
    return lambda X: np.column_stack([m.predict(X) for m in fitted]), np.array(converged), None


def _collective_rows(unit: Unit, ctx: JobContext, path=None):
    split, seed = ctx.split, ctx.seed
    try:
        ranking = rank_split(split, method=unit.method, alpha=unit.alpha,
                             knowledge=unit.knowledge, k=unit.k or DEFAULT_K, random_state=seed,
                             scorer_cache=ctx.scorer_cache)
    except (DataError, ConfigError) as exc:
        raise Infeasible(str(exc).splitlines()[0]) from None
    if unit.method in _KNN and not split.y_train[ranking.known].any():
        # Every rb-label score would be 0 and rb-dist has no reference rows: no ranking.
        raise Infeasible(f"no positive row among the {ranking.known.size} known majority rows")
    if ranking.n_candidates == 0:
        raise Infeasible("the collective has no negatively labelled member")
    if unit.budgets:
        requested = np.asarray(unit.budgets, dtype=np.int64)
        counts = np.minimum(requested, ranking.n_candidates)
    else:
        acting_negatives = int(((split.g_train == 1) & (split.y_train == 0)).sum())
        expected_pool = int(round(unit.alpha * acting_negatives))
        requested, counts = budget_counts(ctx.config, ranking.n_candidates, expected_pool)
    advised = advised_budget(unit, split, ranking, seed) if unit.advise else None
    # The advisor's budget is one more column of the same path (it need not be on the grid).
    budgets = counts if advised is None else np.append(counts, advised)
    predict, converged, _ = fit_budgets(split, ranking.ranked, budgets, unit.model, seed,
                                        path=path)
    pred_cf = None if split.X_test_cf is None else predict(split.X_test_cf)
    scored = scored_rows(ctx, predict(split.X_test), predict(ctx.val.X_test), pred_cf=pred_cf,
                         flipped=[ranking.ranked[:n] for n in budgets])
    rows = []
    for j, (req, n) in enumerate(zip(requested, counts, strict=True)):
        row = {"budget": int(req), "n_flips": int(n), "n_candidates": ranking.n_candidates,
               "collective_size": int(ranking.members.size), "knob": None,
               "converged": bool(converged[j])}
        row.update(scored[j])
        rows.append(row)
    if advised is not None:
        at = scored[-1]
        for row in rows:
            row.update(advised_flips=int(advised), advised_error=at["error"],
                       advised_eqod=at["eqod"], advised_sp=at["sp"])
    return rows


def _base_rows(ctx: JobContext, predict, converged):
    split = ctx.split
    pred_cf = None if split.X_test_cf is None else predict(split.X_test_cf)
    (row,) = scored_rows(ctx, predict(split.X_test), predict(ctx.val.X_test), pred_cf=pred_cf)
    return [{"budget": 0, "n_flips": 0, "knob": None, "converged": bool(converged[0]), **row}]


def _firm_rows(unit: Unit, ctx: JobContext):
    """Every knob of a firm-side method, scored on the test rows and on the firm-validation
    rows (both predicted in one pass, so the randomised methods draw once per row)."""
    from ..baselines import trace_predictions  # fairlearn loads only for firm-side units

    split, val = ctx.split, ctx.val
    both = replace(split, X_test=np.vstack([split.X_test, val.X_test]),
                   y_test=np.concatenate([split.y_test, val.y_test]),
                   g_test=np.concatenate([split.g_test, val.g_test]),
                   test_ids=np.concatenate([split.test_ids, val.test_ids]), X_test_cf=None)
    knobs, preds, changes, extras = trace_predictions(unit.method, both, model=unit.model,
                                                      random_state=sub_seed(ctx.seed, unit.method))
    n_test = split.y_test.size
    pred = np.column_stack([np.asarray(p) for p in preds])
    scored = scored_rows(ctx, pred[:n_test], pred[n_test:])
    rows = []
    for knob, n_changed, extra, row in zip(knobs, changes, extras, scored, strict=True):
        row.update(knob=float(knob), budget=0, n_flips=int(n_changed))
        row.update(extra)  # fare: knob2 (its k) and certificate
        rows.append(row)
    return rows


def _frame(rows: list[dict], same: dict, unit_id: str) -> pd.DataFrame:
    """The unit's rows with every column of RESULT_COLUMNS (built at once: a sweep stores
    thousands of units, and setting columns one by one was 3 % of a reproduction)."""
    n = len(rows)
    data = {"cell_id": [f"{unit_id}:{i}" for i in range(n)]}
    for col in RESULT_COLUMNS:
        if col in same:
            data[col] = [same[col]] * n
        elif col != "cell_id":
            data[col] = [row.get(col) for row in rows]
    return pd.DataFrame(data, columns=list(RESULT_COLUMNS))


def run_job(job: Job, skip: frozenset = frozenset()) -> list[tuple[Unit, pd.DataFrame, str | None]]:
    """All units of ``job`` not in ``skip``, each as (unit, its rows, infeasibility reason).

    An infeasible unit (e.g. no positive known majority row) has no rows and a reason.
    """
    units = [u for u in job.units if u.unit_id not in skip]
    if not units:
        return []
    spec, seed, config = job.dataset, job.seed, job.config
    problem = problem_for(spec)
    full = split_problem(problem, random_state=seed, test_size=config.test_size,
                      group_feature=config.group_feature)
    split, val = carve_validation(full, seed, config.firm_val_share)
    ctx = JobContext(split, val, seed, config)
    bases, base_reports, paths = {}, {}, {}
    out = []
    for unit in units:
        if unit.model not in bases:
            # The untouched model is budget 0 of an empty flip path.
            bases[unit.model] = fit_budgets(split, np.empty(0, dtype=np.intp), np.zeros(1, np.intp),
                                             unit.model, seed)
            base_reports[unit.model] = fairness_report(
                split.y_test, bases[unit.model][0](split.X_test)[:, 0], split.g_test)
            if unit.model == "logreg":  # every collective unit's path starts at the base
                paths[unit.model] = flip_path(split, bases[unit.model][2])
        base_report = base_reports[unit.model]
        try:
            if unit.family == "collective":
                rows = _collective_rows(unit, ctx, paths.get(unit.model))
            elif unit.family == "audited":
                rows = audited_rows(unit, ctx)
            elif unit.family == "base":
                rows = _base_rows(ctx, *bases[unit.model][:2])
            else:
                rows = _firm_rows(unit, ctx)
        except Infeasible as exc:
            out.append((unit, pd.DataFrame(columns=list(RESULT_COLUMNS)), str(exc)))
            continue
        same = {
            "base_error": base_report["error"], "base_eqod": base_report["eqod"],
            "base_sp": base_report["sp"], "unit_id": unit.unit_id,
            "config_hash": config.config_hash, "version": __version__, "dataset": spec.name,
            # A multi-group problem's rows name the acting group too ("race=Black"): the
            # binary "race" of the same data set is another problem.
            "sensitive": (f"{problem.sensitive}={problem.acting_label}"
                          if problem.is_multigroup else problem.sensitive),
            "model": unit.model, "family": unit.family, "method": unit.method,
            "alpha": unit.alpha, "knowledge": unit.knowledge, "k": unit.k, "seed": seed,
            "algorithm": algorithm_tag(unit.family, unit.method),
        }
        out.append((unit, _frame(rows, same, unit.unit_id), None))
    return out
