"""Sweeps with many groups: binary rows unchanged since 0.1.0; multi-group rows equal refits."""

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fairflip.data import load_dataset, split_problem
from fairflip.experiments import config_from_dict, expand_jobs, run_job
from fairflip.experiments._cells import carve_validation
from fairflip.metrics import fairness_report, multigroup_report
from fairflip.simulation._evaluate import rank_split

REFERENCE = Path(__file__).parents[1] / "data" / "binary_rows_v0_1_0.json"
KEYS = ["dataset", "sensitive", "family", "method", "seed", "budget", "knob"]
MULTI_COLUMNS = ("eqod_multi", "eqod_multi_large", "worst_gap", "min_group_size")


def _rows(config):
    return pd.concat([rows for job in expand_jobs(config_from_dict(config))
                      for _, rows, _ in run_job(job)], ignore_index=True)


@pytest.mark.slow
def test_binary_sweep_rows_reproduce_version_0_1_0_exactly():
    """Rows written by fairflip 0.1.0 (before multi-group support) come out bit for bit.

    The rule: an intended change of these numbers regenerates the file with
    ``python scripts/regenerate_golden_rows.py`` in the same commit, whose message says which
    numbers moved and why (and bumps the method's algorithm version, with a CHANGELOG line).
    """
    stored = json.loads(REFERENCE.read_text())
    # Schema 4 renamed val_* to firm_val_* and scores firm-side knobs on those rows too
    # (0.1.0 left them empty there); every other value must match bit for bit.
    old = pd.DataFrame(stored["rows"]).rename(columns={"val_error": "firm_val_error",
                                                       "val_eqod": "firm_val_eqod"})
    new = pd.concat([_rows(cfg) for cfg in stored["configs"]], ignore_index=True)
    assert len(new) == len(old)
    new = new.set_index(KEYS).sort_index()
    old = old.set_index(KEYS).sort_index()
    assert new.index.equals(old.index)
    for column in old.columns.drop(["unit_id", "cell_id"]):
        for key, want in old[column].items():
            got = new.at[key, column]
            if want is None or (isinstance(want, float) and math.isnan(want)):
                if column.startswith("firm_val_") and key[2] not in ("collective", "base"):
                    assert np.isfinite(got), (column, key)
                    continue
                assert got is None or pd.isna(got), (column, key)
            else:
                assert got == want, (column, key, got, want)


def test_multigroup_sweep_rows_equal_sklearn_refits(sklearn_refit):
    config = {"datasets": [{"name": "compas", "sensitive": "race", "acting_group": "Hispanic",
                            "options": {"race_filter": False}}],
              "seeds": [1], "methods": ["rb-prob"], "alphas": [1.0], "budgets": [0, 30, 100000]}
    frame = _rows(config)
    assert set(frame.sensitive) == {"race=Hispanic"}
    coll = frame[frame.family == "collective"].sort_values("budget")
    problem = load_dataset("compas", sensitive="race", acting_group="Hispanic", race_filter=False)
    split, _ = carve_validation(split_problem(problem, random_state=1), 1, 0.5)
    assert len(split.group_columns) == 6  # one-hot race, not one indicator
    ranking = rank_split(split, method="rb-prob", alpha=1.0, random_state=1)
    assert list(coll.n_flips) == [0, 30, ranking.n_candidates]
    for row in coll.itertuples():
        pred = sklearn_refit(split, ranking.ranked, row.n_flips)
        want = fairness_report(split.y_test, pred, split.g_test)
        assert (row.error, row.eqod, row.sp) == (want["error"], want["eqod"], want["sp"])
        # The gaps over all six groups are stored too, and equal the metrics layer's.
        multi = multigroup_report(split.y_test, pred, split.gv_test)
        for name in MULTI_COLUMNS:
            assert getattr(row, name) == multi[name], name
    assert np.isfinite(coll.eqod).all() and np.isfinite(coll.eqod_multi).all()
    assert (coll.eqod_multi_large <= coll.eqod_multi + 1e-12).all()


def test_a_toml_sweep_over_a_multigroup_dataset_stores_the_multigroup_columns(tmp_path, capsys):
    from fairflip.cli import main
    from fairflip.experiments import ResultStore

    (tmp_path / "g.toml").write_text(
        'datasets = [{name = "compas", sensitive = "race", acting_group = "African-American", '
        'options = {race_filter = false}}]\nseeds = [0]\nmethods = ["random"]\n'
        'alphas = [0.5]\nbudgets = [0, 200]\n')
    db = tmp_path / "r.duckdb"
    assert main(["sweep", str(tmp_path / "g.toml"), "--db", str(db)]) == 0
    with ResultStore(db) as store:
        frame = store.frame()
    assert set(frame.sensitive) == {"race=African-American"}
    coll = frame[frame.family == "collective"].sort_values("budget")
    assert len(coll) == 2
    problem = load_dataset("compas", sensitive="race", acting_group="African-American",
                           race_filter=False)
    split, _ = carve_validation(split_problem(problem, random_state=0), 0, 0.5)
    # COMPAS by race has six values; the smallest counts its rows in the firm's test split.
    sizes = pd.Series(split.gv_test).value_counts()
    assert len(sizes) == 6 and (coll.min_group_size == sizes.min()).all()
    for column in MULTI_COLUMNS:
        assert coll[column].notna().all()


def test_binary_sweep_rows_leave_the_multigroup_columns_empty(tmp_path):
    from fairflip.experiments import ResultStore, run_sweep

    config = config_from_dict({"datasets": [{"name": "synthetic", "options": {"n_rows": 400}}],
                               "seeds": [0], "methods": ["random"], "budget_points": 2})
    run_sweep(config, tmp_path / "r.duckdb", progress=False)
    with ResultStore(tmp_path / "r.duckdb") as store:
        frame = store.frame()
    for column in ("eqod_multi", "eqod_multi_large", "worst_gap", "min_group_size"):
        assert frame[column].isna().all()


def test_a_schema_5_file_gains_the_multigroup_columns_and_keeps_the_advisor_ones(rewound_results):
    from fairflip.experiments import ResultStore
    from fairflip.experiments._store import ADDED_COLUMNS, SCHEMA_VERSION

    assert {name for version, name, _ in ADDED_COLUMNS if version == 6} == set(MULTI_COLUMNS)
    path = rewound_results(5, advised_flips=7)
    with ResultStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION >= 6
        frame = store.frame()
    assert frame.eqod.tolist() == [0.25] and frame.advised_flips.tolist() == [7]
    for name in MULTI_COLUMNS:
        assert frame[name].isna().all()
