"""Expanding a sweep config into jobs (one per data set and seed) made of units.

A *unit* is the work whose rows are stored together in one transaction: all budgets of one
(scorer, alpha, knowledge, k, model) and, for family "audited", (audit, response, stealth);
all knobs of one firm-side method; or the base model.
A *job* groups the units that share a split, so the split, its encoding and the base model
are computed once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .._names import KNN_SCORERS, RB_SCORERS
from ..analysis import best_point
from ..baselines import DEFAULT_KNOBS
from ..scorers import BUILTIN_SCORERS, grid_traits
from ._config import DatasetSpec, SweepConfig
from ._versions import algorithm_tag

__all__ = ["Job", "Unit", "expand_jobs", "expected_cells", "refinement_jobs"]



@dataclass(frozen=True)
class Unit:
    unit_id: str
    family: str
    model: str
    method: str
    alpha: float | None = None
    knowledge: str = "all"
    k: int = 0
    audit: str = "none"
    audit_action: str = "drop"
    avoid_audit: bool = False
    budgets: tuple[int, ...] = ()  # explicit flip counts of a refinement unit
    # Whether the unit also records the advisor's budget (advised_* columns). Only a unit
    # that does not advise has the key in its id, so ids from before the option still match.
    advise: bool = True


@dataclass(frozen=True)
class Job:
    dataset: DatasetSpec
    seed: int
    config: SweepConfig
    units: tuple[Unit, ...]


def _unit_id(config: SweepConfig, dataset: DatasetSpec, seed: int, **keys) -> str:
    # Only what changes a unit's numbers goes in, so another config sharing the unit skips it.
    payload = {
        "dataset": dataset.label, "options": dataset.options, "seed": seed,
        # "val_share" is the 0.1 name of firm_val_share, kept here so stored units resume.
        "test_size": config.test_size, "val_share": config.firm_val_share,
        # Payload keys are frozen: renaming a config field never changes a unit id.
        "include_group": config.group_feature, **keys,
    }
    tag = algorithm_tag(keys["family"], keys["method"])
    if tag:  # absent at version 1, so ids from before algorithm versions still match
        payload["algorithm"] = tag
    if keys.get("family") == "audited":
        payload["audit_q"] = config.audit_q
    if keys.get("budgets"):
        payload["budgets"] = ["refine", *keys["budgets"]]
    elif keys.get("family") in ("collective", "audited"):
        payload["budgets"] = (list(config.budgets) or
                              [config.budget_points, config.budget_max_fraction])
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _units(config: SweepConfig, dataset: DatasetSpec, seed: int) -> list[Unit]:
    units = []

    def add(**keys):
        units.append(Unit(unit_id=_unit_id(config, dataset, seed, **keys), **keys))

    for model in config.models:
        add(family="base", model=model, method="base")
        for method in config.methods:
            takes_k, knows = _traits(method)
            ks = config.k if takes_k else (0,)
            knowledge = config.knowledge if knows else ("all",)
            for alpha in config.alphas:
                for know in knowledge:
                    for k in ks:
                        off = {} if config.advises(alpha) else {"advise": False}
                        add(family="collective", model=model, method=method, alpha=float(alpha),
                            knowledge=know, k=int(k), **off)
                        for audit, action, stealth in _audit_cells(config):
                            add(family="audited", model=model, method=method, alpha=float(alpha),
                                knowledge=know, k=int(k), audit=audit, audit_action=action,
                                avoid_audit=stealth)
        for firm in config.firm_methods:
            add(family=firm, model=model, method=firm)
    return units


def _traits(method: str) -> tuple[bool, bool]:
    """(the config's k grid, the config's knowledge grid) apply to ``method``."""
    if method in KNN_SCORERS or method in RB_SCORERS or method in BUILTIN_SCORERS:
        return method in KNN_SCORERS, method in RB_SCORERS
    return grid_traits(method)  # a user's scorer: by its __init__ and needs_knowledge


def _audit_cells(config: SweepConfig):
    """(audit, response, stealth) of every audited unit next to a collective unit.

    Audit "none" is the collective unit itself (the batched path); the stealth plan only
    matters against an audit.
    """
    return [(audit, action, stealth) for audit in config.audits if audit != "none"
            for action in config.audit_actions for stealth in config.avoid_audit]


def expand_jobs(config: SweepConfig) -> list[Job]:
    """Every job of the grid, in a stable order."""
    return [Job(dataset, seed, config, tuple(_units(config, dataset, seed)))
            for dataset in config.datasets for seed in config.seeds]



def expected_cells(unit: Unit, config: SweepConfig) -> int:
    """Rows a unit will store (budget counts that coincide on a tiny pool are stored once)."""
    if unit.family == "base":
        return 1
    if unit.family in ("collective", "audited"):
        return len(unit.budgets) or len(config.budgets) or config.budget_points

    return len(DEFAULT_KNOBS.get(unit.method, (0,)))


def refine_budgets(curve: pd.DataFrame, n_points: int) -> tuple[int, ...]:
    """New flip counts around the minima of a seed-mean curve (index: budget; columns: the
    EqOd columns whose minima matter, and ``error`` for ties): ``n_points`` counts strictly
    between the neighbours of each minimum, minus the counts already there. The minimum is
    the selection module's hindsight choice (ties: lower error, then fewer flips)."""
    budgets = curve.index.to_numpy(np.int64)
    rows = curve.reset_index().assign(seed=0)
    if "error" not in rows:
        rows["error"] = 0.0
    new: set[int] = set()
    for column in curve.columns.drop("error", errors="ignore"):
        if not np.isfinite(curve[column].to_numpy(float)).any():
            continue
        i = int(np.searchsorted(budgets, best_point(rows, metric=column)))
        lo, hi = budgets[max(i - 1, 0)], budgets[min(i + 1, budgets.size - 1)]
        new |= set(np.linspace(lo, hi, n_points + 2)[1:-1].round().astype(np.int64).tolist())
    return tuple(sorted(new - set(budgets.tolist())))


def refinement_jobs(config: SweepConfig, rows: pd.DataFrame) -> list[Job]:
    """The second pass of a refined grid: per (dataset, model, scorer, alpha, knowledge, k),
    extra budgets around the minima of the seed-mean test and firm-validation EqOd curves
    of the stored coarse rows, the same for every seed."""
    if not config.refine_points or config.budgets:
        return []
    jobs = expand_jobs(config)
    where = {u.unit_id: (job.dataset, u) for job in jobs for u in job.units
             if u.family == "collective"}
    rows = rows[rows["unit_id"].isin(list(where))]
    # A unit's numbers without its id (which holds the seed): the same for every seed.
    keys = {uid: (spec, replace(u, unit_id="")) for uid, (spec, u) in where.items()}
    index = {key: i for i, key in enumerate(dict.fromkeys(keys.values()))}
    extra: dict[tuple, tuple[int, ...]] = {}
    group = rows["unit_id"].map(lambda uid: index[keys[uid]])
    by_index = {i: key for key, i in index.items()}
    for i, grp in rows.groupby(group):
        curve = grp.groupby("budget")[["eqod", "firm_val_eqod", "error"]].mean()
        extra[by_index[i]] = refine_budgets(curve, config.refine_points)
    out = []
    for job in jobs:
        units = []
        for u in job.units:
            budgets = extra.get((job.dataset, replace(u, unit_id="")), ())
            if u.family != "collective" or not budgets:
                continue
            keys = {"family": u.family, "model": u.model, "method": u.method, "alpha": u.alpha,
                    "knowledge": u.knowledge, "k": u.k, "budgets": budgets}
            # A refinement unit adds budgets to a coarse unit, which already holds the advice.
            units.append(Unit(unit_id=_unit_id(config, job.dataset, job.seed, **keys), **keys,
                              advise=False))
        if units:
            out.append(Job(job.dataset, job.seed, config, tuple(units)))
    return out
