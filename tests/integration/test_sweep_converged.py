"""The sweep's `converged` column and the scikit-learn fallback for budgets the batched
solver does not finish."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import ConvergenceWarning

from fairflip.experiments import ResultStore, _cells, config_from_dict, run_sweep
from fairflip.learning import fit_flip_path

GRID = {"datasets": [{"name": "synthetic", "options": {"n_rows": 800}}], "seeds": 1,
        "methods": ["rb-prob"], "alphas": [0.5], "budget_points": 4}


def _rows(db):
    with ResultStore(db) as store:
        return store.frame().set_index("cell_id").sort_index()


def test_fit_flip_path_reports_convergence_per_budget():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 5))
    y = (X[:, 0] + rng.normal(size=300) > 0).astype(int)
    ranked = np.flatnonzero(y == 0)[:40]
    _, _, ok = fit_flip_path(X, y, ranked, [0, 10, 40], return_converged=True)
    assert ok.tolist() == [True, True, True]
    _, _, stuck = fit_flip_path(X, y, ranked, [0, 10, 40], max_iter=1, return_converged=True)
    assert not stuck.any()


def test_sweep_stores_converged_and_refits_stuck_budgets_with_sklearn(tmp_path, monkeypatch):
    config = config_from_dict(GRID)
    run_sweep(config, tmp_path / "a.duckdb", backend="sequential", progress=False)
    normal = _rows(tmp_path / "a.duckdb")
    assert normal.converged.notna().all() and normal.converged.all()

    monkeypatch.setattr(_cells, "_BATCHED_MAX_ITER", 1)
    with pytest.warns(ConvergenceWarning, match="refitted with scikit-learn"):
        run_sweep(config, tmp_path / "b.duckdb", backend="sequential", progress=False)
    refit = _rows(tmp_path / "b.duckdb")
    assert refit.converged.all()
    # scikit-learn's converged fits give the batched solver's test metrics
    pd.testing.assert_frame_equal(refit[["error", "eqod", "sp", "n_flips"]],
                                  normal[["error", "eqod", "sp", "n_flips"]])
