"""The paper's protocol on a user's CSV, as a new user runs it: `fairflip reproduce --data`,
with a scorer of their own (``--method``, installed through an entry point: a
``*.dist-info`` on ``sys.path``) beside the built-in ones and the influence reference, and
sweep TOML files with `file = ...` entries; infeasible cells recorded, not fatal."""

from __future__ import annotations

import contextlib
import io
import sys
import uuid
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from fairflip.cli import main
from fairflip.data import load_dataset
from fairflip.experiments import ResultStore
from fairflip.experiments._grid import refine_budgets
from fairflip.reproduce import _reproduce as R

SCORER = '''
from fairflip.scorers import BaseScorer


class CentroidScorer(BaseScorer):
    deterministic = True

    def _fit(self, X, y):
        self.centre_ = X[y == 1].mean(axis=0)

    def _score(self, X, index):
        return -((X - self.centre_) ** 2).sum(axis=1)
'''


@pytest.fixture(scope="module")
def credit_csv(tmp_path_factory):
    """A user's table: 300 rows of the bundled German credit data with readable group and
    label values."""
    p = load_dataset("german")
    df = p.features.copy()
    df["decision"] = np.where(p.y == 1, "good", "bad")
    df["age_group"] = np.where(p.group == 1, "young", "older")
    path = tmp_path_factory.mktemp("data") / "credit.csv"
    df.sample(300, random_state=0).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def users_reproduction(credit_csv, scorer_package, tmp_path_factory):
    """`fairflip reproduce --quick --data CSV --method centroid`, as a new user runs it on
    their table with their scorer, once for both tests that read it: ``out`` (the folder),
    ``stdout`` (what the command printed) and ``method`` (the scorer's name)."""
    out = tmp_path_factory.mktemp("users-reproduction") / "out"
    with pytest.MonkeyPatch.context() as mp:
        # The whole quick protocol, made cheap: no ExponentiatedGradient, no extra seeds.
        mp.setattr(R, "DEFAULT_GRID", replace(R.DEFAULT_GRID,
                                              firm_methods=("reweighing", "threshold")))
        mp.setattr(R, "SMALL_ROWS", 0)
        # The user's scorer, installed as their package would be: a module and its
        # package's entry point.
        folder, module = tmp_path_factory.mktemp("scorer"), f"repro_scorer_{uuid.uuid4().hex[:8]}"
        (folder / f"{module}.py").write_text(SCORER)
        scorer_package(folder, mp, "repro-scorer-1.2", {"centroid": f"{module}:CentroidScorer"})
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            code = main(["reproduce", "--quick", "--jobs", "1", "--out", str(out),
                         "--data", str(credit_csv), "--label", "decision", "--group", "age_group",
                         "--acting-group", "young", "--favourable", "good", "--method", "centroid"])
        sys.modules.pop(module, None)
    assert code == 0
    return SimpleNamespace(out=out, stdout=printed.getvalue(), method="centroid")


@pytest.mark.slow
def test_reproduce_quick_on_a_users_csv(users_reproduction):
    out = users_reproduction.out
    assert "holds" in users_reproduction.stdout
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


@pytest.mark.slow
def test_reproduce_quick_with_a_users_method(users_reproduction):
    out, method = users_reproduction.out, users_reproduction.method
    claims = pd.read_csv(out / "claims.csv", keep_default_na=False)
    mine = claims[(claims.method == method) & (claims.kind == "claim")]
    assert set(mine.scope) == {"beyond the paper"}
    # Other studies' measurement rows name it too (advice, selection), never as the paper's.
    assert set(claims[claims.method == method].scope) == {"beyond the paper"}
    assert set(mine.verdict) <= {"holds", "fails", "inconclusive"}
    for other in ("rb-prob", "rb-label", "rb-dist", "random"):
        assert mine.claim.str.contains(f"than {other}").sum() == 4  # 2 flip targets, 2 selections
    ref = claims[claims.claim.str.startswith("reference:")]
    assert set(ref.kind) == {"measurement"} and set(ref.method) >= {"rb-prob", "rb-label", "rb-dist"}
    with ResultStore(out / "results.duckdb") as store:
        frame = store.frame("family = 'collective'")
    assert set(frame[frame.method == method].alpha) == {0.05, 0.1, 0.2, 0.3, 0.4}
    assert set(frame[frame.method == "influence"].alpha) == {0.3}
    assert frame[frame.method == method].algorithm.unique().tolist() == [
        "centroid=1@repro-scorer-1.2"]
    assert any(p.name.startswith("flips_credit") for p in (out / "figures").iterdir())


@pytest.mark.parametrize("args, words", [
    (["--data", "missing.csv", "--label", "decision", "--group", "age_group"], "does not exist"),
    (["--data", "{csv}", "--label", "decision"], "--label COL and --group COL"),
    (["--data", "{csv}", "--label", "nope", "--group", "age_group"], "nope"),
    (["--label", "decision"], "need --data"),
])
def test_reproduce_data_bad_input_is_one_line_and_writes_nothing(credit_csv, tmp_path, capsys,
                                                                 args, words):
    out = tmp_path / "out"
    args = [a.replace("{csv}", str(credit_csv)) for a in args]
    assert main(["reproduce", "--quick", "--out", str(out), *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error:") and words in err[0]
    assert not out.exists()


def test_sweep_toml_with_a_file_entry_records_infeasible_cells(credit_csv, tmp_path, capsys):
    # Knowing one majority row: with a negative one, rb-dist has no positive reference row
    # and rb-label (k = 2) more neighbours than known rows. Recorded, not fatal.
    toml = tmp_path / "grid.toml"
    toml.write_text(
        f'datasets = [{{file = "{credit_csv.name}", label = "decision", group = "age_group", '
        'acting_group = "young", favourable = "good"}]\n'
        'seeds = 4\nmethods = ["rb-dist", "rb-label"]\nalphas = [0.5]\nknowledge = ["1"]\n'
        'k = [2]\nbudget_points = 3\n')
    (tmp_path / credit_csv.name).write_bytes(credit_csv.read_bytes())  # relative to the TOML
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
