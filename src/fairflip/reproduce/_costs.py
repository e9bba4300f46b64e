"""What each phase of ``reproduce`` is expected to cost, in seconds on 2 idle cores.

The overall progress line weighs phases by these numbers; its ETA then scales them by the
speed measured so far, so only their ratios matter. A sweep's cost is a per-unit model (a
unit's CPU seconds grow with its data set's rows; the advisor, ExponentiatedGradient and
the other firm-side knobs have costs of their own), spread over the workers, times a factor
per sweep and mode that matches the model to measured runs. The other phases are measured
seconds. ``timing.csv`` keeps each phase's expected seconds beside the measured ones, so a
run shows where the model is off (``benchmarks/bench_reproduce.py`` prints both).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import replace
from functools import cache

from ..experiments import expected_cells, problem_for

__all__ = ["PHASE_SECONDS", "START_UP_SECONDS", "pass_seconds", "phase_seconds", "sweep_parts",
           "unit_seconds"]

# Per-unit CPU seconds of one worker, fitted (least squares) to the sweep phases of a quick
# run (2026-12-06, 188 s, no HSLS) and the v3 full run (797 s, with HSLS): a job's split
# and base fit, a collective unit's ranking, the advisor per budget and 1,000 rows, one
# ExponentiatedGradient knob, one knob of another firm-side method per 1,000 rows.
_JOB, _JOB_PER_K = 0.22, 0.0096
_UNIT_PER_K = 0.0024
_ADVISE_PER_CELL_K = 0.00037
_AUDIT_PER_CELL_K = 0.0064
_EXPGRAD_KNOB = 0.22
_FIRM_KNOB_PER_K = 0.0032
# Refinement adds about this many budgets per refine point to each collective unit (the
# test and firm-validation minima are refined apart when they differ).
_REFINE_BUDGETS_PER_POINT = 1.5
# Measured seconds over the model's, per sweep (name without -small / -large) and mode
# (quick, full), from the same two runs: what the unit model leaves out (worker start-up,
# reading and writing the results file, the refinement pass's planning). pareto: refitted
# to issue 24's runs, after its firm-side round made the knobs about 1.6x cheaper.
_SCALE = {"collective-size-and-flips": (2.1, 1.7), "influence-reference": (0.5, 0.6),
          "synthetic-oracle": (0.4, 0.5), "knowledge": (1.3, 0.7), "pareto": (0.73, 0.65)}
_OTHER_SCALE = (1.0, 1.0)  # a sweep the table does not name (a user's methods, the audits)
#: Starting the worker processes of the first parallel sweep (imports, data sets).
START_UP_SECONDS = 3.0
#: Measured seconds of the phases that are not sweeps, (quick, full): issue 24's runs
#: (2026-12-06, idle 2 cores; quick without HSLS 154 s, full with HSLS 549 s). For the
#: label-audit study, what it takes beyond its sweeps: figures and rows.
PHASE_SECONDS = {"load data sets": (0.1, 1.1), "toy example": (2.4, 2.5),
                 "Figure-1 study": (0.3, 0.4), "figures": (10.0, 13.9), "claims": (2.3, 9.0),
                 "label-audit study": (3.0, 3.0), "multi-group studies": (3.5, 5.3),
                 "advice study": (3.6, 8.7), "advice with few known rows": (6.7, 46.2),
                 "report": (4.4, 6.6)}


@cache  # problem_for keeps only four data sets
def _rows_k(spec) -> float:
    return problem_for(spec).n_rows / 1000


def _job_seconds(spec) -> float:
    """A job's split and base fit, paid once per (data set, seed) in every pass."""
    return _JOB + _JOB_PER_K * _rows_k(spec)


def unit_seconds(config, spec, unit) -> float:
    """Model CPU seconds of one unit of ``config`` on ``spec`` (one worker) beyond its job's
    split and base fit."""
    n = _rows_k(spec)
    cells = expected_cells(unit, config)
    if unit.family == "base":
        return 0.0
    if unit.family == "collective":
        advised = unit.advise or unit.method == "influence"
        return _UNIT_PER_K * n + (_ADVISE_PER_CELL_K * cells * n if advised else 0.0)
    if unit.family == "audited":
        return _AUDIT_PER_CELL_K * cells * n
    if unit.method == "expgrad":
        return _EXPGRAD_KNOB * cells
    return _FIRM_KNOB_PER_K * cells * n


def _scale(name: str, quick: bool) -> float:
    base = name.removesuffix("-small").removesuffix("-large")
    return _SCALE.get(base, _OTHER_SCALE)[0 if quick else 1]


def _makespan(job_seconds, workers: int) -> float:
    """Wall seconds of jobs on ``workers`` processes, longest first to the least loaded."""
    loads = [0.0] * max(1, workers)
    for seconds in sorted(job_seconds, reverse=True):
        heapq.heapreplace(loads, loads[0] + seconds)
    return max(loads)


def pass_seconds(todo, workers: int, quick: bool) -> tuple[float, dict]:
    """(expected wall seconds, each unit's share of them) of one pass of a sweep over
    ``todo``, its (Job, Unit) pairs."""
    if not todo:
        return 0.0, {}
    per_job, per_unit = defaultdict(float), {}
    for job, unit in todo:
        key = (job.dataset, job.seed)
        seconds = unit_seconds(job.config, job.dataset, unit)
        if key not in per_job:  # the job's split and base fit go with its first unit
            seconds += _job_seconds(job.dataset)
        per_job[key] += seconds
        per_unit[unit.unit_id] = seconds
    total = sum(per_unit.values())
    wall = _makespan(per_job.values(), workers) * _scale(todo[0][0].config.name, quick)
    return wall, {uid: wall * s / total for uid, s in per_unit.items()}


def sweep_parts(config, jobs, workers: int, quick: bool) -> list[float]:
    """Expected wall seconds of a sweep's first pass over ``jobs`` (its Jobs) and of its
    refinement pass (a unit of ``refine_points`` budgets per collective unit)."""
    todo = [(job, unit) for job in jobs for unit in job.units]
    first, _ = pass_seconds(todo, workers, quick)
    if not config.refine_points or config.budgets:
        return [first]
    budgets = tuple(range(round(_REFINE_BUDGETS_PER_POINT * config.refine_points)))
    refine = [(job, replace(unit, budgets=budgets, advise=False))
              for job, unit in todo if unit.family == "collective"]
    return [first, pass_seconds(refine, workers, quick)[0]]


# Phases whose work grows with the data sets (figures, claims and advice per data set), and
# the data sets of the runs that measured them (quick, full).
_PER_DATASET = ("figures", "claims", "advice study", "advice with few known rows")
_MEASURED_DATASETS = (4, 5)


def phase_seconds(name: str, quick: bool, n_datasets: int | None = None) -> float:
    """Expected seconds of a phase that is not a sweep (0 for one the table does not know);
    ``n_datasets`` scales the phases whose work grows with the data sets."""
    mode = 0 if quick else 1
    seconds = PHASE_SECONDS.get(name, (0.0, 0.0))[mode]
    if n_datasets is not None and name in _PER_DATASET:
        seconds *= n_datasets / _MEASURED_DATASETS[mode]
    return seconds
