"""Issue 8's bad inputs, each through the CLI: one `error:` line, exit 2, no output file."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fairflip.cli import main


def _errors(capsys) -> list[str]:
    return capsys.readouterr().err.strip().splitlines()


@pytest.fixture
def hiring(tmp_path):
    """Members (some already hired) and known majority rows; the label holds words."""
    rng = np.random.default_rng(0)

    def table(n):
        x = rng.normal(size=n)
        return pd.DataFrame({"x": x, "job": rng.choice(["a", "b"], n),
                             "outcome": np.where(x + rng.normal(size=n) > 0, "hired", "rejected")})

    table(30).to_csv(tmp_path / "m.csv", index=False)
    table(60).to_csv(tmp_path / "k.csv", index=False)
    return tmp_path


@pytest.mark.parametrize("method", ["random", "rb-prob", "rb-label"])
def test_plan_with_a_misspelt_favourable_value_is_refused(hiring, capsys, method):
    out = hiring / "p.csv"
    code = main(["plan", "--members", str(hiring / "m.csv"), "--majority", str(hiring / "k.csv"),
                 "--label", "outcome", "--favourable", "Hired", "--method", method,
                 "--budget", "10", "--out", str(out)])
    err = _errors(capsys)
    assert code == 2 and len(err) == 1 and err[0].startswith("error:")
    assert "'favourable'" in err[0] and "did you mean 'hired'" in err[0]
    assert not out.exists()


def test_plan_with_the_right_favourable_value_flips_only_rejected_members(hiring, capsys):
    out = hiring / "p.csv"
    assert main(["plan", "--members", str(hiring / "m.csv"), "--majority", str(hiring / "k.csv"),
                 "--label", "outcome", "--favourable", "hired", "--method", "random",
                 "--budget", "5", "--out", str(out)]) == 0
    members = pd.read_csv(hiring / "m.csv")
    plan = pd.read_csv(out)
    assert set(plan.member_id) == set(np.flatnonzero(members.outcome == "rejected"))


def test_plan_on_a_collective_of_negatives_only_still_works(hiring, capsys):
    members = pd.read_csv(hiring / "m.csv")
    members[members.outcome == "rejected"].to_csv(hiring / "neg.csv", index=False)
    out = hiring / "p.csv"
    assert main(["plan", "--members", str(hiring / "neg.csv"), "--label", "outcome",
                 "--favourable", "hired", "--method", "random", "--budget", "2",
                 "--out", str(out)]) == 0


def _sweep(tmp_path, toml: str, capsys):
    (tmp_path / "g.toml").write_text(toml)
    db = tmp_path / "r.duckdb"
    code = main(["sweep", str(tmp_path / "g.toml"), "--db", str(db)])
    return code, _errors(capsys), db


def test_sweep_validation_carve_on_small_data_is_one_line(tmp_path, capsys):
    code, err, db = _sweep(tmp_path, 'datasets = [{name = "synthetic", options = {n_rows = 30}}]\n'
                           'methods = ["random"]\nbudget_points = 2\n', capsys)
    assert code == 2 and len(err) == 1 and err[0].startswith("error:")
    assert "firm_val_share" in err[0]
    assert not db.exists()


def test_list_valued_dataset_option_is_one_line(tmp_path, capsys):
    code, err, db = _sweep(tmp_path, 'datasets = [{name = "synthetic", options = '
                           '{n_rows = [500, 600]}}]\nmethods = ["random"]\n', capsys)
    assert code == 2 and len(err) == 1 and err[0].startswith("error:")
    assert "n_rows" in err[0]
    assert not db.exists()


def test_unknown_firm_method_is_one_line(tmp_path, capsys):
    code, err, db = _sweep(tmp_path, 'datasets = ["toy2d"]\nfirm_methods = ["magic"]\n', capsys)
    assert code == 2 and len(err) == 1 and "'firm_methods'" in err[0]
    assert not db.exists()


def test_ray_backend_is_gone_with_a_one_line_error(tmp_path, capsys):
    (tmp_path / "g.toml").write_text('datasets = ["toy2d"]\nmethods = ["random"]\n')
    db = tmp_path / "r.duckdb"
    assert main(["sweep", str(tmp_path / "g.toml"), "--db", str(db), "--backend", "ray"]) == 2
    err = _errors(capsys)
    assert len(err) == 1 and "'backend'" in err[0] and "loky, dask, sequential" in err[0]
    assert not db.exists()


def test_knowledge_spellings_of_one_value_draw_the_same_rows(capsys):
    """--knowledge 0.5 and 0.50 are one value: the same known rows, the same numbers."""
    outs = []
    for spelling in ("0.5", "0.50"):
        assert main(["evaluate", "--dataset", "german", "--method", "rb-label", "--knowledge",
                     spelling, "--budget", "10", "--format", "json"]) == 0
        outs.append(capsys.readouterr().out)
    assert outs[0] == outs[1]


# Issue 19, item 0: a model string names a classifier class; nothing else is ever called.
_NOT_A_CLASSIFIER = ["os.system", "builtins.print", "sklearn.preprocessing.StandardScaler",
                     "sklearn.linear_model.LinearRegression"]


@pytest.mark.parametrize("model", _NOT_A_CLASSIFIER)
def test_a_model_string_that_is_not_a_classifier_class_runs_nothing(tmp_path, capsys, model,
                                                                    monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main(["evaluate", "--dataset", "toy2d", "--budget", "2", "--model", model,
                 "--model-param", "command=touch pwned", "--format", "json"])
    err = _errors(capsys)
    assert code == 2 and len(err) == 1 and err[0].startswith("error:")
    assert model in err[0] and "classifier class" in err[0]
    assert not (tmp_path / "pwned").exists()


def test_a_model_string_in_a_sweep_runs_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, err, db = _sweep(tmp_path, 'datasets = ["toy2d"]\nmethods = ["random"]\n'
                           'models = ["os.system"]\n',
                           capsys)
    assert code == 2 and len(err) == 1 and err[0].startswith("error:")
    assert not (tmp_path / "pwned").exists() and not db.exists()
