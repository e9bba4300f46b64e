"""Honest resume: a method's algorithm version is part of its unit ids, so a results file
resumed after a bump recomputes exactly that method's units, and never mixes old and new."""

from __future__ import annotations

import pandas as pd
import pytest

from fairflip.experiments import ResultStore, algorithm_tag, config_from_dict, expand_jobs, run_sweep
from fairflip.scorers import RandomScorer

GRID = {"datasets": [{"name": "synthetic", "options": {"n_rows": 800}}], "seeds": [0, 1],
        "methods": ["random", "rb-prob"], "alphas": [0.5], "budget_points": 3,
        "firm_methods": ["massaging"]}


def _run(path):
    return run_sweep(config_from_dict(GRID), path, backend="sequential", progress=False)


def _rows(path) -> pd.DataFrame:
    with ResultStore(path) as store:
        return store.frame()


def test_version_one_keeps_the_ids_from_before_versions():
    assert algorithm_tag("collective", "rb-prob") == ""
    assert algorithm_tag("calibrated_eo", "calibrated_eo") == "firm-side=2,calibrated_eo=2"
    assert algorithm_tag("reweighing", "reweighing") == "firm-side=2"


def test_a_bump_recomputes_exactly_the_units_of_that_method(tmp_path, monkeypatch):
    path = tmp_path / "r.duckdb"
    first = _run(path)
    before = _rows(path)
    n_random = sum(u.method == "random" for job in expand_jobs(config_from_dict(GRID))
                   for u in job.units)
    assert first["units_skipped"] == 0 and n_random == 2

    monkeypatch.setattr(RandomScorer, "algorithm_version", 2)
    second = _run(path)
    after = _rows(path)
    assert second["units_run"] == n_random  # nothing else is recomputed
    random_after = after[after.method == "random"]
    assert set(random_after.algorithm) == {"random=2"}
    assert not set(random_after.unit_id) & set(before.loc[before.method == "random", "unit_id"])
    assert len(random_after) == (before.method == "random").sum()  # old rows gone, none doubled
    keep = ["cell_id", "eqod", "error", "n_flips"]
    pd.testing.assert_frame_equal(
        after.loc[after.method != "random", keep].reset_index(drop=True),
        before.loc[before.method != "random", keep].reset_index(drop=True))

    assert _run(path)["units_run"] == 0  # resumed again at the same version: nothing to do


def test_without_a_bump_nothing_is_recomputed(tmp_path):
    """Negative control: the recomputation above is caused by the bump alone."""
    path = tmp_path / "r.duckdb"
    _run(path)
    assert _run(path)["units_run"] == 0


@pytest.mark.parametrize("family", ["collective", "audited"])
def test_a_family_bump_is_in_the_tag(monkeypatch, family):
    from fairflip.experiments import FAMILY_VERSIONS

    monkeypatch.setitem(FAMILY_VERSIONS, family, 3)
    assert algorithm_tag(family, "rb-prob") == f"{family}=3"


def test_every_firm_side_family_shares_one_version(monkeypatch):
    from fairflip.experiments import FAMILY_VERSIONS

    monkeypatch.setitem(FAMILY_VERSIONS, "firm-side", 5)
    assert algorithm_tag("reweighing", "reweighing") == "firm-side=5"
    assert algorithm_tag("expgrad", "expgrad") == "firm-side=5,expgrad=2"
