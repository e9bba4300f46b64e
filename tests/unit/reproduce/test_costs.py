"""The expected seconds the progress line weighs phases by: jobs spread over workers, a job's
own cost counted once, unit shares that add up, phases that grow with the data sets."""

from __future__ import annotations

from dataclasses import replace

import pytest

from fairflip.experiments import config_from_dict, expand_jobs
from fairflip.reproduce import _costs as C

GRID = {"name": "collective-size-and-flips", "seeds": 2, "methods": ["rb-prob", "random"],
        "alphas": [0.3], "budget_points": 4, "firm_methods": ["threshold", "expgrad"],
        "datasets": [{"name": "synthetic", "options": {"n_rows": 600}}]}


def test_makespan_puts_the_longest_job_first_on_the_least_loaded_worker():
    assert C._makespan([3, 5, 3, 4, 3], 2) == 10  # 5+3+... : [5, 3] and [4, 3, 3]
    assert C._makespan([3, 5, 3, 4, 3], 1) == 18
    assert C._makespan([2, 2], 4) == 2


def test_a_pass_spreads_its_jobs_over_the_workers_and_its_shares_add_up():
    config = config_from_dict(GRID)
    todo = [(job, unit) for job in expand_jobs(config) for unit in job.units]
    one, shares = C.pass_seconds(todo, 1, quick=True)
    two, _ = C.pass_seconds(todo, 2, quick=True)
    assert two == pytest.approx(one / 2)  # two jobs of the same size
    assert sum(shares.values()) == pytest.approx(one)
    job = todo[0][0]
    per_unit = sum(C.unit_seconds(config, job.dataset, u) for u in job.units)
    scale = C._SCALE["collective-size-and-flips"][0]
    assert one == pytest.approx(2 * (per_unit + C._job_seconds(job.dataset)) * scale)
    expgrad = [u for _, u in todo if u.method == "expgrad"][0]
    assert C.unit_seconds(config, job.dataset, expgrad) == pytest.approx(
        C._EXPGRAD_KNOB * C.expected_cells(expgrad, config))


def test_a_refined_sweep_has_a_second_part():
    config = config_from_dict(GRID)
    assert len(C.sweep_parts(config, expand_jobs(config), 2, True)) == 1
    refined = replace(config, refine_points=4)
    first, refine = C.sweep_parts(refined, expand_jobs(refined), 2, True)
    assert first == pytest.approx(C.sweep_parts(config, expand_jobs(config), 2, True)[0])
    assert 0 < refine < first  # no advisor, no firm-side knobs


def test_phases_that_grow_with_the_data_sets_scale_with_them():
    assert C.phase_seconds("figures", True, 8) == pytest.approx(
        2 * C.phase_seconds("figures", True, 4))
    assert C.phase_seconds("toy example", False, 8) == C.PHASE_SECONDS["toy example"][1]
    assert C.phase_seconds("no such phase", True) == 0.0
