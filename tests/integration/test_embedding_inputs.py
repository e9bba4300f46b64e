""".npz through the CLI (evaluate, plan) and a sweep, with and without standardisation."""

import json

import numpy as np
import pandas as pd

from fairflip.cli import main
from fairflip.data import load_table, split_problem
from fairflip.experiments import ResultStore, config_from_dict, run_sweep
from fairflip.simulation import evaluate


def _write_npz(path, n=300, d=8, seed=0):
    rng = np.random.default_rng(seed)
    group = (rng.random(n) < 0.3).astype(np.int64)
    X = (rng.normal(size=(n, d)) + 0.8 * group[:, None]).astype(np.float32)
    X[:, 0] *= 4.0  # one wide-scale column: scaling changes the geometry
    y = (rng.random(n) < np.where(group == 1, 0.3, 0.6)).astype(np.int64)
    np.savez(path, X=X, y=y, group=group, ids=np.arange(n) + 1000)
    return X, y, group


def _run(capsys, *args):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_evaluate_npz_no_standardize_matches_the_api(tmp_path, capsys):
    path = tmp_path / "emb.npz"
    _write_npz(path)
    args = ["evaluate", "--data", path, "--label", "y", "--group", "group", "--method",
            "rb-label", "--budget", "10", "--format", "json"]
    code, out, err = _run(capsys, *args, "--no-standardize")
    assert code == 0, err
    raw = json.loads(out)
    problem = load_table(path, label="y", group="group", standardize=False)
    api = evaluate(problem, method="rb-label", budget=10, random_state=0)
    assert raw["before"]["eqod"] == api.before["eqod"]
    assert raw["after"]["eqod"] == api.after["eqod"]
    code, out, err = _run(capsys, *args)
    assert code == 0, err
    scaled = json.loads(out)
    # Negative control: standardising moves the numbers on this wide-scale column.
    assert (scaled["before"], scaled["after"]) != (raw["before"], raw["after"])


def test_cli_plan_reads_npz_members(tmp_path, capsys):
    X, y, group = _write_npz(tmp_path / "all.npz")
    members, majority = group == 1, group == 0
    np.savez(tmp_path / "members.npz", X=X[members], y=y[members])
    np.savez(tmp_path / "majority.npz", X=X[majority], y=y[majority])
    out = tmp_path / "plan.csv"
    code, _, err = _run(capsys, "plan", "--members", tmp_path / "members.npz", "--majority",
                        tmp_path / "majority.npz", "--label", "y", "--method", "rb-dist",
                        "--budget", "5", "--out", out, "--no-standardize")
    assert code == 0, err
    table = pd.read_csv(out)
    assert int(table["flip"].sum()) == 5
    assert len(table) == int((y[members] == 0).sum())


def test_cli_bad_npz_is_one_error_line(tmp_path, capsys):
    path = tmp_path / "bad.npz"
    np.savez(path, X=np.ones((5, 2)), group=np.array([0, 1, 0, 1, 0]))
    code, out, err = _run(capsys, "evaluate", "--data", path, "--label", "y", "--group",
                          "group")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "'y'" in lines[0]


def test_tiny_sweep_with_npz_entry(tmp_path):
    path = tmp_path / "emb.npz"
    _write_npz(path, n=400)
    grid = {"name": "npz", "seeds": [0], "methods": ["rb-prob", "rb-dist"], "alphas": [0.5],
            "budget_points": 3,
            "datasets": [{"file": "emb.npz", "label": "y", "group": "group",
                          "standardize": False, "name": "emb"}]}
    config = config_from_dict(grid, base_dir=tmp_path)
    spec = config.datasets[0]
    assert dict(spec.options)["standardize"] is False and "sha256" in dict(spec.options)
    # The default entry does not carry the key (unit ids of existing sweeps unchanged).
    default = config_from_dict({**grid, "datasets": [{"file": "emb.npz", "label": "y",
                                                      "group": "group"}]}, base_dir=tmp_path)
    assert "standardize" not in dict(default.datasets[0].options)
    run_sweep(config, tmp_path / "r.duckdb", backend="sequential", progress=False)
    with ResultStore(tmp_path / "r.duckdb") as store:
        frame = store.frame()
    assert len(frame) > 0 and set(frame["method"]) >= {"rb-prob", "rb-dist"}
    # The zero-flip cells' firm equals the API's on the same split (unscaled features).
    split = split_problem(load_table(path, label="y", group="group", standardize=False),
                          random_state=0)
    assert split.X_train.dtype == np.float32
