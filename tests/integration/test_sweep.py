"""End-to-end sweep behaviour: determinism, resume after kill -9, Dask equals local."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from fairflip.experiments import ResultStore, config_from_dict, expand_jobs, run_sweep
from fairflip.metrics import METRIC_COLUMNS

GRID = {
    "name": "tiny",
    "datasets": [{"name": "synthetic", "options": {"n_rows": 1500}}],
    "seeds": 2,
    "methods": ["rb-prob", "rb-label", "random"],
    "alphas": [0.2, 0.5],
    "budget_points": 5,
}
VALUE_COLUMNS = [*METRIC_COLUMNS, "firm_val_eqod", "success", "flip_precision", "n_flips"]


def _frame(db) -> pd.DataFrame:
    with ResultStore(db) as store:
        return store.frame().set_index("cell_id").sort_index()


def _expected_units(config) -> int:
    return sum(len(job.units) for job in expand_jobs(config))


def test_same_config_twice_gives_identical_metrics(tmp_path):
    config = config_from_dict(GRID)
    run_sweep(config, tmp_path / "a.duckdb", backend="sequential", progress=False)
    run_sweep(config, tmp_path / "b.duckdb", backend="sequential", progress=False)
    a, b = _frame(tmp_path / "a.duckdb"), _frame(tmp_path / "b.duckdb")
    assert len(a) > 0
    pd.testing.assert_frame_equal(a[VALUE_COLUMNS], b[VALUE_COLUMNS])


def test_rerun_skips_stored_units(tmp_path):
    config = config_from_dict(GRID)
    first = run_sweep(config, tmp_path / "r.duckdb", backend="sequential", progress=False)
    second = run_sweep(config, tmp_path / "r.duckdb", backend="sequential", progress=False)
    assert first["units_run"] == _expected_units(config)
    assert second["units_run"] == 0 and second["rows_written"] == 0
    assert second["rows_in_db"] == first["rows_in_db"]


def test_cell_numbers_do_not_depend_on_other_cells(tmp_path):
    """A cell computed in a small grid equals the same cell computed in a larger one."""
    small = config_from_dict({**GRID, "methods": ["rb-label"], "alphas": [0.5], "seeds": [1]})
    run_sweep(small, tmp_path / "s.duckdb", backend="sequential", progress=False)
    run_sweep(config_from_dict(GRID), tmp_path / "l.duckdb", backend="sequential", progress=False)
    s, big = _frame(tmp_path / "s.duckdb"), _frame(tmp_path / "l.duckdb")
    common = s.index.intersection(big.index)
    assert len(common) == len(s)
    pd.testing.assert_frame_equal(s.loc[common, VALUE_COLUMNS], big.loc[common, VALUE_COLUMNS])


_RUNNER = """
import sys
from fairflip.experiments import config_from_dict, run_sweep
import json
run_sweep(config_from_dict(json.loads(sys.argv[1])), sys.argv[2], n_jobs=1,
          backend="sequential", progress=False)
"""


@pytest.mark.slow
def test_kill_minus_nine_then_resume_gives_exactly_the_grid(tmp_path):
    import json

    grid = {**GRID, "seeds": 6, "alphas": [0.2, 0.35, 0.5]}
    config = config_from_dict(grid)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-c", _RUNNER, json.dumps(grid)]
    reference = tmp_path / "ref.duckdb"
    start = time.monotonic()
    subprocess.run([*command, str(reference)], env=env, check=True, timeout=300)
    duration = time.monotonic() - start  # start-up included: kills land anywhere in a run

    db = tmp_path / "killed.duckdb"
    rng = np.random.default_rng(7)
    kills = 0
    for _ in range(5):
        proc = subprocess.Popen([*command, str(db)], env=env)
        time.sleep(float(rng.uniform(0.3, 0.9)) * duration)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait()
    final = subprocess.run([*command, str(db)], env=env, timeout=300)
    assert final.returncode == 0
    assert kills >= 1, "no run was interrupted: the kill test tested nothing"
    got, want = _frame(db), _frame(reference)
    assert not got.index.duplicated().any()
    assert list(got.index) == list(want.index)
    pd.testing.assert_frame_equal(got[VALUE_COLUMNS], want[VALUE_COLUMNS])
    with ResultStore(db) as store:
        n_units = store.con.execute("SELECT count(*) FROM units").fetchone()[0]
    assert n_units == _expected_units(config)


@pytest.mark.slow
def test_dask_local_cluster_matches_local_backend(tmp_path):
    pytest.importorskip("dask.distributed")
    config = config_from_dict({**GRID, "seeds": 1})
    run_sweep(config, tmp_path / "local.duckdb", n_jobs=2, backend="loky", progress=False)
    run_sweep(config, tmp_path / "dask.duckdb", n_jobs=1, backend="dask", progress=False)
    local, dask = _frame(tmp_path / "local.duckdb"), _frame(tmp_path / "dask.duckdb")
    assert list(local.index) == list(dask.index)
    pd.testing.assert_frame_equal(local[VALUE_COLUMNS], dask[VALUE_COLUMNS])
