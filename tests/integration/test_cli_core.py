"""The core commands end to end: datasets, evaluate, plan, and sweep's config errors.

Most cases call ``fairflip.cli.main`` in-process; a few run a real subprocess so the exit
status and the streams are those a shell sees.
"""

import json
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from fairflip.cli import main
from fairflip.data import DATASETS, load_dataset, split_problem

EVAL_KEYS = {"before", "after", "n_flips", "n_candidates", "collective_size", "dataset",
             "method", "alpha", "seed"}


def run(capsys, *args):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def cli_command():
    script = shutil.which("fairflip")
    if script:
        return [script]
    return [sys.executable, "-c",
            "from fairflip.cli import main; import sys; sys.exit(main(sys.argv[1:]))"]


def run_subprocess(*args, cwd=None):
    proc = subprocess.run([*cli_command(), *map(str, args)], capture_output=True, text=True,
                          timeout=120, cwd=cwd)
    return proc.returncode, proc.stdout, proc.stderr


def assert_clean_error(code, out, err):
    assert code != 0
    assert "Traceback" not in out and "Traceback" not in err
    lines = err.strip("\n").splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error:"), err


def files_in(path):
    return sorted(p.name for p in path.iterdir())


# --- data the tests write -------------------------------------------------------------

def people(n=240, seed=0, acting_share=0.3):
    rng = np.random.default_rng(seed)
    sex = np.where(rng.random(n) < acting_share, "F", "M")
    x1 = rng.normal(size=n)
    x2 = rng.normal(size=n) + 0.5 * (sex == "F")
    logit = 1.2 * x1 - 0.6 * x2 - 1.0 * (sex == "F")
    approved = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return pd.DataFrame({"pid": np.arange(n) + 1000, "x1": x1, "x2": x2,
                         "job": rng.choice(["clerk", "nurse", "driver"], size=n),
                         "sex": sex, "approved": approved})


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "people.csv"
    people().to_csv(path, index=False)
    return path


EVAL_CSV = ["evaluate", "--label", "approved", "--group", "sex", "--acting-group", "F",
            "--method", "rb-label", "--k", "5", "--format", "json"]


# --- datasets -------------------------------------------------------------------------

def test_datasets_json_lists_every_data_set(tmp_path):
    code, out, err = run_subprocess("datasets", "--format", "json", cwd=tmp_path)
    assert code == 0, err
    rows = {row["name"]: row for row in json.loads(out)}
    assert {"adult", "compas", "german", "synthetic", "toy2d", "acs-income"} <= set(rows)
    assert set(rows) == set(DATASETS)
    from fairflip.data._acs import acs_file_path

    assert rows["acs-income"]["needs_download"] is (not acs_file_path().is_file())
    for name in ("adult", "compas", "german", "synthetic", "toy2d"):
        assert rows[name]["needs_download"] is False
        assert rows[name]["rows"] > 0
    assert rows["toy2d"]["rows"] == 300


def test_datasets_table(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")  # rich would truncate names at 80
    code, out, _ = run(capsys, "datasets")
    assert code == 0
    assert "toy2d" in out and "compas" in out


# --- evaluate -------------------------------------------------------------------------

def test_evaluate_synthetic_json(capsys):
    code, out, err = run(capsys, "evaluate", "--dataset", "synthetic", "--alpha", "0.5",
                         "--method", "rb-prob", "--budget", "20", "--random-state", "0",
                         "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    assert EVAL_KEYS <= set(result)
    for side in ("before", "after"):
        assert {"error", "eqod", "sp"} <= set(result[side])
        assert 0 <= result[side]["error"] <= 1
    assert result["n_flips"] == 20
    assert result["n_candidates"] >= 20
    assert result["dataset"] == "synthetic" and result["method"] == "rb-prob"
    assert result["alpha"] == 0.5 and result["seed"] == 0
    split = split_problem(load_dataset("synthetic"), random_state=0)
    assert result["collective_size"] == round(0.5 * int(split.g_train.sum()))


def test_evaluate_json_is_strict_json(capsys):
    """--format json must parse with a strict parser (no NaN / Infinity tokens)."""
    code, out, err = run(capsys, "evaluate", "--dataset", "toy2d", "--alpha", "0.5",
                         "--method", "random", "--budget", "3", "--format", "json")
    assert code == 0, err

    def reject(token):
        raise ValueError(f"not JSON: {token}")

    json.loads(out, parse_constant=reject)


def test_evaluate_table_output(capsys):
    code, out, err = run(capsys, "evaluate", "--dataset", "toy2d", "--alpha", "0.5",
                         "--method", "rb-dist", "--budget", "4")
    assert code == 0, err
    assert "eqod" in out and "4 flips" in out


def test_evaluate_own_csv(capsys, csv_file):
    code, out, err = run(capsys, *EVAL_CSV, "--data", csv_file, "--alpha", "0.5",
                         "--budget", "5")
    assert code == 0, err
    result = json.loads(out)
    assert result["dataset"] == "people"
    assert result["acting_group"] == "F"
    assert result["n_flips"] == 5 and result["method"] == "rb-label"
    assert EVAL_KEYS <= set(result)


def test_evaluate_flip_fraction(capsys, csv_file):
    code, out, err = run(capsys, *EVAL_CSV, "--data", csv_file, "--alpha", "1", "--budget", "0.5")
    assert code == 0, err
    result = json.loads(out)
    assert result["n_flips"] == int(np.floor(0.5 * result["n_candidates"] + 0.5))


@pytest.mark.slow
@pytest.mark.parametrize("dataset, flips", [("compas", 100), ("adult", 300)])
def test_evaluate_real_data_reduces_eqod(capsys, dataset, flips):
    """The issue's acceptance command: alpha 0.3, rb-prob, seed 0."""
    code, out, err = run(capsys, "evaluate", "--dataset", dataset, "--alpha", "0.3",
                         "--method", "rb-prob", "--budget", flips, "--random-state", "0",
                         "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    assert result["n_flips"] == flips and result["dataset"] == dataset
    assert result["after"]["eqod"] < result["before"]["eqod"]


# --- evaluate: bad input ----------------------------------------------------------------

def bad_csv(tmp_path, name, mutate):
    frame = people()
    frame = mutate(frame)
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def nan_label(frame):
    frame = frame.astype({"approved": float})
    frame.loc[3, "approved"] = np.nan
    return frame


BAD_EVALUATE = {
    "missing column": (lambda p: ["--data", p, "--label", "income"], None),
    "non-binary label": (
        lambda p: ["--data", p], lambda f: f.assign(approved=np.arange(len(f)) % 3)),
    "unknown acting group": (lambda p: ["--data", p, "--acting-group", "X"], None),
    "NaN in label": (lambda p: ["--data", p], nan_label),
    "alpha 0": (lambda p: ["--data", p, "--alpha", "0"], None),
    "alpha 1.5": (lambda p: ["--data", p, "--alpha", "1.5"], None),
    "flips above pool": (lambda p: ["--data", p, "--budget", "100000"], None),
    "flips fraction above 1": (lambda p: ["--data", p, "--budget", "1.5"], None),
    "flips not a number": (lambda p: ["--data", p, "--budget", "many"], None),
    "empty collective": (
        lambda p: ["--data", p, "--alpha", "0.05"], lambda f: f.iloc[:24]),
    "missing data file": (lambda p: ["--data", p.with_name("nope.csv")], None),
    "bad model": (lambda p: ["--data", p, "--model", "forest"], None),
    "bad dotted model": (lambda p: ["--data", p, "--model", "sklearn.nope.Model"], None),
    "bad method": (lambda p: ["--data", p, "--method", "rb-magic"], None),
    "bad knowledge": (lambda p: ["--data", p, "--knowledge", "lots"], None),
    "unknown dataset": (lambda p: ["--dataset", "mnist"], None),
    "both dataset and data": (lambda p: ["--dataset", "toy2d", "--data", p], None),
}


@pytest.mark.parametrize("case", sorted(BAD_EVALUATE))
def test_evaluate_bad_input_is_one_error_line(capsys, tmp_path, case):
    args, mutate = BAD_EVALUATE[case]
    path = bad_csv(tmp_path, "in.csv", mutate or (lambda f: f))
    before = files_in(tmp_path)
    # A repeated option takes its last value, so each case overrides the defaults.
    code, out, err = run(capsys, *EVAL_CSV, "--alpha", "0.5", "--budget", "3", *args(path))
    assert_clean_error(code, out, err)
    assert files_in(tmp_path) == before


def test_error_in_subprocess(tmp_path):
    code, out, err = run_subprocess("evaluate", "--data", tmp_path / "absent.csv", "--label",
                                    "y", "--group", "g", cwd=tmp_path)
    assert_clean_error(code, out, err)
    assert files_in(tmp_path) == []


USAGE_ERRORS = [
    ["evaluate", "--dataset", "toy2d", "--alpha", "abc"],
    ["evaluate", "--dataset", "toy2d", "--format", "yaml"],
    ["no-such-command"],
    ["plan", "--label", "y"],  # required options missing
]


@pytest.mark.parametrize("args", USAGE_ERRORS, ids=lambda a: " ".join(a))
def test_usage_errors_exit_nonzero_without_traceback(capsys, args):
    code, out, err = run(capsys, *args)
    assert code != 0
    assert "Traceback" not in out + err
    assert "error" in err.lower()


def test_usage_error_in_subprocess(tmp_path):
    code, out, err = run_subprocess("evaluate", "--dataset", "toy2d", "--alpha", "abc",
                                    cwd=tmp_path)
    assert code != 0
    assert "Traceback" not in out + err
    assert "error" in err.lower()


def test_no_arguments_shows_help(capsys):
    code, out, err = run(capsys)
    assert "Traceback" not in out + err
    assert "Usage" in out + err
    assert "evaluate" in out + err


# --- plan -------------------------------------------------------------------------------

@pytest.fixture
def plan_files(tmp_path):
    frame = people(n=200, seed=3)
    members = frame[frame["sex"] == "F"].drop(columns="sex").iloc[:40]
    majority = frame[frame["sex"] == "M"].drop(columns=["sex", "pid"])
    m_path, j_path = tmp_path / "members.csv", tmp_path / "majority.csv"
    members.to_csv(m_path, index=False)
    majority.to_csv(j_path, index=False)
    return members, m_path, j_path


PLAN = ["plan", "--label", "approved", "--id-column", "pid", "--k", "5"]


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_plan_writes_table(capsys, tmp_path, plan_files, suffix):
    members, m_path, j_path = plan_files
    out_path = tmp_path / "out" / f"plan.{suffix}"
    code, out, err = run(capsys, *PLAN, "--members", m_path, "--majority", j_path,
                         "--budget", "3", "--out", out_path)
    assert code == 0, err
    table = pd.read_csv(out_path) if suffix == "csv" else pd.read_parquet(out_path)
    assert list(table.columns) == ["member_id", "score", "rank", "flip"]
    assert sorted(table["member_id"]) == sorted(members.loc[members["approved"] == 0, "pid"])
    assert int(table["flip"].sum()) == 3
    assert table["rank"].tolist() == list(range(1, len(table) + 1))
    assert "wrote" in out


def test_plan_random_without_majority_in_subprocess(tmp_path, plan_files):
    members, m_path, _ = plan_files
    out_path = tmp_path / "plan.csv"
    code, out, err = run_subprocess(*PLAN, "--members", m_path, "--method", "random",
                                    "--budget", "0.5", "--out", out_path, cwd=tmp_path)
    assert code == 0, err
    table = pd.read_csv(out_path)
    n_neg = int((members["approved"] == 0).sum())
    assert int(table["flip"].sum()) == int(np.floor(0.5 * n_neg + 0.5))


BAD_PLAN = {
    "budget above pool": ["--budget", "1000"],
    "missing label column": ["--label", "nope"],
    "no majority for rb-label": ["--majority", None],
    "oracle": ["--method", "oracle"],
    "bad method": ["--method", "rb-magic"],
    "missing members file": ["--members", "absent.csv"],
    "bad out suffix": ["--out", "plan.txt"],
}


@pytest.mark.parametrize("case", sorted(BAD_PLAN))
def test_plan_bad_input_is_one_error_line_and_no_file(capsys, tmp_path, plan_files, case):
    _, m_path, j_path = plan_files
    opts = {"--label": "approved", "--members": str(m_path), "--majority": str(j_path),
            "--budget": "3", "--out": str(tmp_path / "plan.csv")}
    key, value = BAD_PLAN[case]
    if value is None:
        del opts[key]
    else:
        opts[key] = str(tmp_path / value) if key in ("--members", "--out") else value
    before = files_in(tmp_path)
    args = ["plan", "--id-column", "pid", "--k", "5"]
    for k, v in opts.items():
        args += [k, v]
    code, out, err = run(capsys, *args)
    assert_clean_error(code, out, err)
    assert files_in(tmp_path) == before


# --- sweep config errors ----------------------------------------------------------------

@pytest.mark.parametrize(("name", "text"), [
    ("malformed", 'datasets = ["toy2d"\nseeds = 2\n'),
    ("unknown key", 'datasets = ["toy2d"]\nseeds = 1\nbudgetz = [1, 2]\n'),
])
def test_sweep_bad_config(capsys, tmp_path, name, text):
    config = tmp_path / "sweep.toml"
    config.write_text(text)
    db = tmp_path / "results.duckdb"
    code, out, err = run(capsys, "sweep", config, "--db", db, "--backend", "sequential")
    assert_clean_error(code, out, err)
    assert not db.exists()
    assert files_in(tmp_path) == ["sweep.toml"]
    if name == "unknown key":
        assert "budgetz" in err


def test_evaluate_passes_model_parameters(capsys):
    code, out, err = run(capsys, "evaluate", "--dataset", "toy2d", "--alpha", "1.0", "--budget", "3",
                         "--model", "sklearn.tree.DecisionTreeClassifier",
                         "--model-param", "max_depth=1", "--format", "json")
    assert code == 0, err
    stump = json.loads(out)
    code, out, err = run(capsys, "evaluate", "--dataset", "toy2d", "--alpha", "1.0", "--budget", "3",
                         "--model", "sklearn.tree.DecisionTreeClassifier",
                         "--model-param", "max_depth=8", "--format", "json")
    deep = json.loads(out)
    # the parameter reaches the model: a stump and a deep tree predict differently
    assert stump["before"] != deep["before"]


@pytest.mark.parametrize("param", ["nonsense", "bogus=3"])
def test_bad_model_parameters_are_one_line_errors(capsys, param):
    code, out, err = run(capsys, "evaluate", "--dataset", "toy2d", "--model",
                         "sklearn.tree.DecisionTreeClassifier", "--model-param", param)
    assert_clean_error(code, out, err)
