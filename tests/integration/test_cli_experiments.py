"""`fairflip sweep` and `fairflip results` end to end on a tiny grid."""

import json

import pandas as pd
import pytest

from fairflip.cli import main

TOML = """
datasets = [{name = "synthetic", options = {n_rows = 800}}]
seeds = 1
methods = ["rb-prob", "random"]
alphas = [0.5]
budget_points = 3
"""


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    root = tmp_path_factory.mktemp("sweep")
    (root / "grid.toml").write_text(TOML)
    assert main(["sweep", str(root / "grid.toml"), "--db", str(root / "r.duckdb")]) == 0
    return root


def test_sweep_prints_a_summary_and_reruns_nothing(swept, capsys):
    capsys.readouterr()
    assert main(["sweep", str(swept / "grid.toml"), "--db", str(swept / "r.duckdb")]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["units_run"] == 0 and summary["rows_written"] == 0 and summary["rows_in_db"] > 0


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json"])
def test_results_export_round_trips(swept, capsys, fmt):
    out = swept / f"export.{fmt}"
    assert main(["results", "--db", str(swept / "r.duckdb"), "--format", fmt, "--out", str(out)]) == 0
    frame = {"csv": pd.read_csv, "parquet": pd.read_parquet,
             "json": lambda p: pd.read_json(p, orient="records")}[fmt](out)
    # base + 2 scorers x 3 budgets
    assert len(frame) == 1 + 2 * 3
    assert {"cell_id", "eqod", "error", "sp", "flip_precision", "config_hash", "version"} <= set(frame)
    assert frame.cell_id.is_unique


def test_results_to_stdout_and_errors(swept, capsys, tmp_path):
    capsys.readouterr()
    assert main(["results", "--db", str(swept / "r.duckdb")]) == 0
    assert capsys.readouterr().out.startswith("cell_id,")
    assert main(["results", "--db", str(tmp_path / "missing.duckdb")]) == 2
    assert main(["results", "--db", str(swept / "r.duckdb"), "--format", "parquet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("error:") for line in err)
