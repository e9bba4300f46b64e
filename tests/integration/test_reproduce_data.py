"""The paper's protocol on a user's CSV, as a new user runs it: `fairflip reproduce --data`
and sweep TOML files with `file = ...` entries; infeasible cells recorded, not fatal."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from fairflip.cli import main
from fairflip.data import load_dataset
from fairflip.experiments import ResultStore
from fairflip.experiments._grid import refine_budgets
from fairflip.reproduce import _reproduce as R


def _german_csv(path, n=300):
    """A user's table: the bundled German credit data with readable group and label values."""
    p = load_dataset("german")
    df = p.features.copy()
    df["decision"] = np.where(p.y == 1, "good", "bad")
    df["age_group"] = np.where(p.group == 1, "young", "older")
    df.sample(n, random_state=0).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def csv_file(tmp_path_factory):
    return _german_csv(tmp_path_factory.mktemp("data") / "credit.csv")


@pytest.mark.slow
def test_reproduce_quick_on_a_users_csv(csv_file, tmp_path, monkeypatch, capsys):
    # The whole quick protocol, made cheap: no ExponentiatedGradient, no extra seeds.
    monkeypatch.setattr(R, "DEFAULT_GRID", replace(R.DEFAULT_GRID,
                                                   firm_methods=("reweighing", "threshold")))
    monkeypatch.setattr(R, "SMALL_ROWS", 0)
    out = tmp_path / "out"
    code = main(["reproduce", "--quick", "--jobs", "1", "--out", str(out), "--data", str(csv_file),
                 "--label", "decision", "--group", "age_group", "--acting-group", "young",
                 "--favourable", "good"])
    assert code == 0
    assert "holds" in capsys.readouterr().out
    claims = pd.read_csv(out / "claims.csv", keep_default_na=False)
    decided = claims[claims.kind == "claim"]
    assert len(decided) > 10 and set(decided.dataset) == {"credit"}
    assert set(decided.verdict) <= {"holds", "fails", "inconclusive", "undecidable"}
    assert "paper" not in set(claims.scope)  # a user's table is never the paper's data
    assert np.isfinite(decided.measured.astype(float)).all()
    assert {"firm-validation", "hindsight"} <= set(decided.selection)
    assert (claims[claims.kind == "measurement"].verdict == "not claimed").all()
    summary = (out / "summary.md").read_text()
    assert "| other data | credit | hindsight |" in summary and "toy" not in set(claims.dataset)
    assert (out / "figures" / "pareto_credit.png").is_file()
    with ResultStore(out / "results.duckdb") as store:
        frame = store.frame()
    assert frame.firm_val_eqod.notna().all()  # firm-side rows too: one selection rule
    assert set(frame.family) >= {"collective", "base", "reweighing", "threshold"}


@pytest.mark.parametrize("args, words", [
    (["--data", "missing.csv", "--label", "decision", "--group", "age_group"], "does not exist"),
    (["--data", "{csv}", "--label", "decision"], "--label COL and --group COL"),
    (["--data", "{csv}", "--label", "nope", "--group", "age_group"], "nope"),
    (["--label", "decision"], "need --data"),
])
def test_reproduce_data_bad_input_is_one_line_and_writes_nothing(csv_file, tmp_path, capsys,
                                                                 args, words):
    out = tmp_path / "out"
    args = [a.replace("{csv}", str(csv_file)) for a in args]
    assert main(["reproduce", "--quick", "--out", str(out), *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error:") and words in err[0]
    assert not out.exists()


def test_sweep_toml_with_a_file_entry_records_infeasible_cells(csv_file, tmp_path, capsys):
    # Knowing one majority row: with a negative one, rb-dist has no positive reference row
    # and rb-label (k = 2) more neighbours than known rows. Recorded, not fatal.
    toml = tmp_path / "grid.toml"
    toml.write_text(
        f'datasets = [{{file = "{csv_file.name}", label = "decision", group = "age_group", '
        'acting_group = "young", favourable = "good"}]\n'
        'seeds = 4\nmethods = ["rb-dist", "rb-label"]\nalphas = [0.5]\nknowledge = ["1"]\n'
        'k = [2]\nbudget_points = 3\n')
    (tmp_path / csv_file.name).write_bytes(csv_file.read_bytes())  # relative to the TOML
    db = tmp_path / "r.duckdb"
    assert main(["sweep", str(toml), "--db", str(db)]) == 0
    with ResultStore(db) as store:
        bad, rows = store.infeasible(), store.frame()
    assert len(bad) >= 4  # every rb-label unit, and rb-dist where the known row is negative
    assert set(bad.dataset) == {"credit"} and bad.reason.str.len().gt(0).all()
    assert (bad.method == "rb-label").sum() == 4
    feasible = 4 - (bad.method == "rb-dist").sum()
    assert rows[rows.family == "collective"].seed.nunique() == feasible
    capsys.readouterr()
    assert main(["sweep", str(toml), "--db", str(db)]) == 0  # resumes: nothing to redo
    assert '"units_run": 0' in capsys.readouterr().out


def test_sweep_file_entry_errors(tmp_path, capsys):
    toml = tmp_path / "grid.toml"
    toml.write_text('datasets = [{file = "nope.csv", label = "y", group = "g"}]\n')
    assert main(["sweep", str(toml), "--db", str(tmp_path / "r.duckdb")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "r.duckdb").exists()


def test_refinement_adds_budgets_between_the_neighbours_of_each_minimum():
    curve = pd.DataFrame({"eqod": [0.2, 0.05, 0.1, 0.15], "firm_val_eqod": [0.2, 0.1, 0.1, 0.02]},
                         index=pd.Index([0, 100, 200, 300], name="budget"))
    # test minimum at 100 -> (0, 200); firm-validation minimum at 300 -> (200, 300)
    assert refine_budgets(curve, 3) == (50, 150, 225, 250, 275)
    assert refine_budgets(curve[["eqod"]], 1) == ()  # 100 is already on the grid
