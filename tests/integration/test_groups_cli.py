"""Many groups through the CLI: per-group rates, both EqOd measures, coalitions, bad input."""

import json

import pytest

from fairflip.cli import main
from fairflip.metrics import MULTIGROUP_COLUMNS


def run(capsys, *args):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_clean_error(code, out, err, needle):
    assert code == 2 and out == ""
    lines = err.strip("\n").splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and needle in lines[0], err


@pytest.mark.slow
def test_evaluate_adult_race_black_prints_groups_and_both_eqods(capsys):
    code, out, err = run(capsys, "evaluate", "--dataset", "adult", "--sensitive", "race",
                         "--acting-group", "Black", "--alpha", "0.3", "--budget", "100")
    assert code == 0, err
    assert "EqOd acting vs rest:" in out and "multi-group EqOd (all groups):" in out
    assert "per-group test rates" in out
    # Full group names: the table must not cut "Amer-Indian-Eskimo" to "Amer-Indian-E...".
    for group in ("Black *", "White", "Other", "Amer-Indian-Eskimo", "Asian-Pac-Islander", "FLAG"):
        assert group in out


def test_evaluate_german_intersection_prints_groups_and_both_eqods(capsys):
    code, out, err = run(capsys, "evaluate", "--dataset", "german", "--sensitive", "age,sex",
                         "--alpha", "0.5", "--budget", "8")
    assert code == 0, err
    assert "acting group 'young,female'" in out and "multi-group EqOd (all groups):" in out
    for group in ("young,female *", "young,male", "older,female", "older,male"):
        assert group in out


def test_evaluate_intersection_json(capsys):
    code, out, err = run(capsys, "evaluate", "--dataset", "compas", "--sensitive", "race,sex",
                         "--acting-group", "African-American,Male", "--budget", "0.2",
                         "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    assert set(MULTIGROUP_COLUMNS) <= set(result["before"]) and "eqod" in result["before"]
    groups = {g["group"]: g for g in result["groups"]}
    assert set(groups) == {"African-American,Female", "African-American,Male",
                           "Caucasian,Female", "Caucasian,Male"}
    assert groups["African-American,Male"]["acting"]
    assert result["after"]["n_groups"] == 4


def test_coalition_json_and_coalition_of_one(capsys):
    base = ["evaluate", "--dataset", "compas", "--sensitive", "race", "--dataset-option",
            "race_filter=false", "--method", "rb-label", "--budget", "0.3", "--format", "json"]
    code, out, err = run(capsys, *base, "--coalition", "African-American=0.3",
                         "--coalition", "Hispanic=0.5")
    assert code == 0, err
    result = json.loads(out)
    assert set(result["alone"]) == {"African-American", "Hispanic"}
    assert result["coalition"] == {"African-American": 0.3, "Hispanic": 0.5}
    # A coalition of one = the single-group evaluate (same split, draws and firm); the split
    # is stratified by the problem's acting group, so both name it.
    code, out, _ = run(capsys, *base, "--acting-group", "Hispanic", "--coalition", "Hispanic=0.5")
    one = json.loads(out)
    code, out, _ = run(capsys, *base, "--acting-group", "Hispanic", "--alpha", "0.5")
    single = json.loads(out)
    assert one["together"]["eqod"] == single["after"]["eqod"]
    assert one["together"]["eqod_multi"] == single["after"]["eqod_multi"]
    assert one["n_flips"]["Hispanic"] == single["n_flips"]


def test_datasets_lists_groups(capsys):
    code, out, err = run(capsys, "datasets", "adult", "--sensitive", "race", "--acting-group",
                         "Black", "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    assert result["multigroup"] and len(result["groups"]) == 5
    assert sum(g["rows"] for g in result["groups"]) == 45222
    code, out, _ = run(capsys, "datasets", "compas", "--sensitive", "race,sex")
    assert code == 0 and "African-American,Male" in out and "favourable rate" in out


@pytest.mark.parametrize("args, needle", [
    (["--dataset", "adult", "--sensitive", "race", "--acting-group", "Martian"],
     "'Martian', which is not a value of the column 'race'"),
    (["--dataset", "adult", "--sensitive", "race,sex", "--acting-group", "Black,Robot"],
     "not a value of the column 'sex'"),
    (["--dataset", "adult", "--sensitive", "race,planet"], "'sensitive' parameter"),
    (["--dataset", "compas", "--sensitive", "race,sex", "--dataset-option", "race_filter=false",
      "--acting-group", "Native American,Female", "--coalition", "Asian,Female=0.5",
      "--coalition", "Asian,Female=0.2"], "names the group 'Asian,Female' twice"),
    (["--dataset", "compas", "--sensitive", "race", "--dataset-option", "race_filter=false",
      "--coalition", "Klingon=0.5"], "'Klingon', which is not a group"),
    (["--dataset", "compas", "--coalition", "Caucasian=0.5"], "multi-group problem"),
    (["--dataset", "toy2d", "--acting-group", "young"], "data set takes the options"),
    (["--dataset", "german", "--sensitive", "age,sex", "--acting-group", "middle,female"],
     "'middle', which is not a value of the column 'age'"),
])
def test_bad_group_input_is_one_line_exit_2(capsys, tmp_path, args, needle):
    out_file = tmp_path / "out.json"
    code, out, err = run(capsys, "evaluate", *args, "--budget", "10")
    assert_clean_error(code, out, err, needle)
    assert not out_file.exists()


def test_table_intersection_naming_a_missing_column_and_empty_intersection(capsys, tmp_path):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    n = 200
    df = pd.DataFrame({"x": rng.normal(size=n), "race": rng.choice(["A", "B", "C"], n),
                       "sex": rng.choice(["F", "M"], n), "y": rng.integers(0, 2, n)})
    df = df[~((df.race == "C") & (df.sex == "F"))]
    path = tmp_path / "t.csv"
    df.to_csv(path, index=False)
    code, out, err = run(capsys, "evaluate", "--data", path, "--label", "y", "--group", "race,age")
    assert_clean_error(code, out, err, "'age', which is not a column")
    code, out, err = run(capsys, "evaluate", "--data", path, "--label", "y", "--group", "race,sex",
                         "--acting-group", "C,F")
    assert_clean_error(code, out, err, "which has no rows")
    code, out, err = run(capsys, "evaluate", "--data", path, "--label", "y", "--group", "race,sex",
                         "--acting-group", "B,M", "--budget", "0.5", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["acting_group"] == "B,M"
