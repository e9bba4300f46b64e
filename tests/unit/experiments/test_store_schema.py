"""The results file's schema version: old files migrate, newer ones and mixed versions are refused."""

from __future__ import annotations

import duckdb
import pytest

import fairflip
from fairflip.cli import main
from fairflip.exceptions import ConfigError
from fairflip.experiments import ResultStore, algorithm_tag, config_from_dict, run_sweep
from fairflip.experiments._store import ADDED_COLUMNS, RESULT_COLUMNS, SCHEMA_VERSION

# fairflip 0.1.0's layout, written out by hand (not derived from the code under test).
V010_COLUMNS = (
    "cell_id TEXT PRIMARY KEY, unit_id TEXT, config_hash TEXT, version TEXT, dataset TEXT, "
    "sensitive TEXT, model TEXT, family TEXT, method TEXT, alpha DOUBLE, knowledge TEXT, "
    "k BIGINT, budget BIGINT, knob DOUBLE, seed BIGINT, n_flips BIGINT, n_candidates BIGINT, "
    "collective_size BIGINT, error DOUBLE, eqod DOUBLE, sp DOUBLE, tpr_gap DOUBLE, "
    "fpr_gap DOUBLE, tpr_acting DOUBLE, tpr_other DOUBLE, fpr_acting DOUBLE, fpr_other DOUBLE, "
    "sel_acting DOUBLE, sel_other DOUBLE, err_acting DOUBLE, err_other DOUBLE, "
    "val_error DOUBLE, val_eqod DOUBLE, val_sp DOUBLE, success DOUBLE, flip_precision DOUBLE, "
    "base_error DOUBLE, base_eqod DOUBLE, base_sp DOUBLE"
)

GRID = {"datasets": [{"name": "synthetic", "options": {"n_rows": 600}}], "seeds": 1,
        "methods": ["random"], "alphas": [0.5], "budget_points": 2}


def _old_file(path, version="0.1.0"):
    con = duckdb.connect(str(path))
    con.execute(f"CREATE TABLE results ({V010_COLUMNS})")
    con.execute("CREATE TABLE units (unit_id TEXT PRIMARY KEY, n_rows BIGINT, "
                "config_hash TEXT, finished_at TIMESTAMP)")
    con.execute("INSERT INTO results (cell_id, unit_id, version, dataset, eqod, seed) VALUES "
                "('u1:0', 'u1', ?, 'adult', 0.125, 3), ('u1:1', 'u1', ?, 'adult', 0.0625, 3)",
                [version, version])
    con.execute("INSERT INTO units VALUES ('u1', 2, 'h', now())")
    con.close()
    return path


def test_an_old_file_migrates_and_keeps_its_rows(tmp_path):
    path = _old_file(tmp_path / "old.duckdb")
    with ResultStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        frame = store.frame()
        assert store.done_units() == {"u1"}
    assert list(frame.columns) == list(RESULT_COLUMNS)
    assert frame.eqod.tolist() == [0.125, 0.0625] and frame.seed.tolist() == [3, 3]
    for _, name, _ in ADDED_COLUMNS:
        assert frame[name].isna().all()
    con = duckdb.connect(str(path))
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    con.close()
    assert meta == {"schema_version": str(SCHEMA_VERSION), "fairflip_version": fairflip.__version__}
    with ResultStore(path) as store:  # opening again changes nothing
        assert len(store.frame()) == 2


def test_a_file_from_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.duckdb"
    ResultStore(path).close()
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    con.execute("UPDATE meta SET value = '9.9.9' WHERE key = 'fairflip_version'")
    con.close()
    with pytest.raises(ConfigError, match=rf"schema version {SCHEMA_VERSION + 1} .*9\.9\.9.*"
                                          rf"{fairflip.__version__}.*up to {SCHEMA_VERSION}"):
        ResultStore(path)


def test_cli_refuses_a_newer_file_with_one_line(tmp_path, capsys):
    path = tmp_path / "new.duckdb"
    ResultStore(path).close()
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    (tmp_path / "g.toml").write_text('datasets = ["toy2d"]\nmethods = ["random"]\n')
    out = tmp_path / "r.csv"
    assert main(["results", "--db", str(path), "--out", str(out)]) == 2
    assert main(["sweep", str(tmp_path / "g.toml"), "--db", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("error:") and "99" in line for line in err)
    assert not out.exists()


def test_resuming_with_another_version_needs_allow_mixed(tmp_path, capsys):
    path = _old_file(tmp_path / "old.duckdb", version="0.0.1")
    config = config_from_dict(GRID)
    with pytest.raises(ConfigError, match=r"fairflip 0\.0\.1.*--allow-mixed-versions"):
        run_sweep(config, path, backend="sequential", progress=False)
    (tmp_path / "g.toml").write_text(
        'datasets = [{name = "synthetic", options = {n_rows = 600}}]\nmethods = ["random"]\n'
        'alphas = [0.5]\nbudget_points = 2\n')
    capsys.readouterr()
    assert main(["sweep", str(tmp_path / "g.toml"), "--db", str(path)]) == 2
    assert capsys.readouterr().err.count("error:") == 1
    assert main(["sweep", str(tmp_path / "g.toml"), "--db", str(path),
                 "--allow-mixed-versions"]) == 0
    with ResultStore(path) as store:
        versions = store.stored_versions()
        assert versions == {"0.0.1", fairflip.__version__}
        assert len(store.frame("version = '0.0.1'")) == 2


def test_same_version_resumes_without_the_flag(tmp_path):
    path = tmp_path / "r.duckdb"
    config = config_from_dict(GRID)
    run_sweep(config, path, backend="sequential", progress=False)
    again = run_sweep(config, path, backend="sequential", progress=False)
    assert again["units_run"] == 0


def test_a_schema_2_file_gains_the_advisor_columns(tmp_path):
    path = tmp_path / "v2.duckdb"
    con = duckdb.connect(str(path))
    con.execute(f"CREATE TABLE results ({V010_COLUMNS}, converged BOOLEAN)")
    con.execute("CREATE TABLE units (unit_id TEXT PRIMARY KEY, n_rows BIGINT, "
                "config_hash TEXT, finished_at TIMESTAMP)")
    con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    con.execute("INSERT INTO meta VALUES ('schema_version', '2'), ('fairflip_version', '0.2.0')")
    con.execute("INSERT INTO results (cell_id, unit_id, eqod, converged) VALUES "
                "('u:0', 'u', 0.5, true)")
    con.close()
    with ResultStore(path) as store:
        frame = store.frame()
        assert store.schema_version == SCHEMA_VERSION >= 4
    for name in ("advised_flips", "advised_error", "advised_eqod", "advised_sp"):
        assert frame[name].isna().all()
    assert frame.eqod.tolist() == [0.5] and frame.converged.tolist() == [True]


def test_schema_4_renames_the_firm_validation_columns_and_adds_infeasible(tmp_path):
    path = _old_file(tmp_path / "old.duckdb")
    con = duckdb.connect(str(path))
    con.execute("UPDATE results SET val_eqod = 0.5, val_error = 0.25")
    con.close()
    with ResultStore(path) as store:
        frame = store.frame()
        assert store.infeasible().empty
    assert {"firm_val_eqod", "firm_val_error", "firm_val_sp"} <= set(frame.columns)
    assert not {"val_eqod", "val_error", "val_sp"} & set(frame.columns)
    assert frame.firm_val_eqod.tolist() == [0.5, 0.5] and frame.firm_val_error.tolist() == [0.25] * 2


def test_a_schema_6_file_gains_the_second_knob_and_the_certificate(tmp_path):
    path = tmp_path / "v6.duckdb"
    with ResultStore(path) as store:  # today's layout, then taken back to schema 6 by hand
        pass
    con = duckdb.connect(str(path))
    con.execute("ALTER TABLE results DROP COLUMN algorithm")
    con.execute("ALTER TABLE infeasible DROP COLUMN algorithm")
    con.execute("ALTER TABLE results DROP COLUMN knob2")
    con.execute("ALTER TABLE results DROP COLUMN certificate")
    con.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
    con.execute("INSERT INTO results (cell_id, unit_id, family, knob, eqod) VALUES "
                "('u:0', 'u', 'massaging', 0.5, 0.25)")
    con.close()
    with ResultStore(path) as store:
        frame = store.frame()
        assert store.schema_version == SCHEMA_VERSION >= 7
    assert list(frame.columns) == list(RESULT_COLUMNS)
    assert frame.knob.tolist() == [0.5] and frame.eqod.tolist() == [0.25]
    assert frame.knob2.isna().all() and frame.certificate.isna().all()


def test_val_share_is_the_deprecated_name_of_firm_val_share():
    with pytest.warns(FutureWarning, match="'val_share'.*'firm_val_share'"):
        cfg = config_from_dict({**GRID, "val_share": 0.4})
    assert cfg.firm_val_share == 0.4
    with pytest.raises(ConfigError, match="both"):
        config_from_dict({**GRID, "val_share": 0.4, "firm_val_share": 0.4})


def test_a_schema_7_file_gains_the_algorithm_tag_and_its_units_count_as_version_1(tmp_path):
    path = tmp_path / "v7.duckdb"
    with ResultStore(path) as store:
        pass
    con = duckdb.connect(str(path))
    con.execute("ALTER TABLE results DROP COLUMN algorithm")
    con.execute("ALTER TABLE infeasible DROP COLUMN algorithm")
    con.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    con.execute("INSERT INTO results (cell_id, unit_id, family, method, eqod) VALUES "
                "('u:0', 'u', 'collective', 'rb-prob', 0.25), "
                "('v:0', 'v', 'calibrated_eo', 'calibrated_eo', 0.3)")
    con.execute("INSERT INTO units VALUES ('u', 1, 'h', now()), ('v', 1, 'h', now())")
    con.close()
    with ResultStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION >= 8
        assert list(store.frame().columns) == list(RESULT_COLUMNS)
        assert store.frame().algorithm.isna().all()
        # rb-prob is still at version 1: kept; calibrated_eo moved to 2: its old unit goes
        dropped = store.drop_stale_units(algorithm_tag)
        assert dropped == {"calibrated_eo/calibrated_eo": 1}  # firm-side=2,calibrated_eo=2
        assert store.done_units() == frozenset({"u"})
        assert store.frame().unit_id.tolist() == ["u"]
