"""``--majority-rate`` on ``fairflip advise`` and ``fairflip plan --budget auto`` (issue 23)."""

import json

import pandas as pd
import pytest
from test_cli_advise import advise_files  # noqa: F401  (the organiser's files, as advise's tests)
from test_cli_core import assert_clean_error, files_in, run


@pytest.fixture
def rate_files(advise_files):  # noqa: F811
    _, m_path, j_path = advise_files
    majority = pd.read_csv(j_path)
    return m_path, j_path, majority, float(majority["approved"].mean())


BASE = ["--label", "approved", "--id-column", "pid", "--alpha", "0.4"]


def test_advise_with_a_rate_and_few_rows_of_one_label(capsys, tmp_path, rate_files):
    m_path, j_path, majority, rate = rate_files
    few = tmp_path / "few.csv"
    majority[majority["approved"] == 0].head(8).to_csv(few, index=False)
    args = ["advise", *BASE, "--members", m_path, "--majority", few, "--format", "json"]
    code, out, err = run(capsys, *args, "--group-share", "0.3")
    assert_clean_error(code, out, err)  # negative control: one label and no rate fails
    assert "--majority-rate" in err
    code, out, err = run(capsys, *args, "--group-share", "0.3", "--majority-rate", f"{rate:.3f}")
    assert code == 0, err
    result = json.loads(out)
    assert result["assumptions"]["majority_rate"] == pytest.approx(round(rate, 3))
    assert 0 <= result["recommended_budget"] <= result["n_candidates"]
    assert "majority rate" in err


def test_advise_with_a_rate_and_no_known_rows(capsys, rate_files):
    m_path, _, _, rate = rate_files
    code, out, err = run(capsys, "advise", *BASE, "--members", m_path, "--group-share", "0.3",
                         "--majority-rate", f"{rate:.3f}", "--format", "json")
    assert code == 0, err
    assert "no rows of the other group known" in err
    assert json.loads(out)["assumptions"]["n_known"] == 0


def test_plan_auto_takes_the_rate_and_equals_advise(capsys, tmp_path, rate_files):
    m_path, j_path, majority, rate = rate_files
    few = tmp_path / "few.csv"
    majority.head(30).to_csv(few, index=False)
    common = [*BASE, "--members", m_path, "--majority", few, "--group-share", "0.3",
              "--majority-rate", f"{rate:.3f}", "--method", "rb-prob", "--random-state", "2"]
    code, out, err = run(capsys, "advise", *common, "--format", "json")
    assert code == 0, err
    advised = json.loads(out)["recommended_budget"]
    plan_path = tmp_path / "plan.csv"
    code, out, err = run(capsys, "plan", *common, "--budget", "auto", "--out", plan_path)
    assert code == 0, err
    assert f"recommends {advised} of" in err
    assert int(pd.read_csv(plan_path)["flip"].sum()) == advised


BAD = {
    "rate 0": ["--group-share", "0.3", "--majority-rate", "0"],
    "rate 1": ["--group-share", "0.3", "--majority-rate", "1"],
    "rate above 1": ["--group-share", "0.3", "--majority-rate", "1.5"],
    "rate negative": ["--group-share", "0.3", "--majority-rate", "-0.1"],
    "rate with no group share": ["--majority-rate", "0.4"],
}


@pytest.mark.parametrize("command", ["advise", "plan"])
@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_rate_is_one_error_line_exit_2_no_file(capsys, tmp_path, rate_files, case, command):
    m_path, j_path, _, _ = rate_files
    before = files_in(tmp_path)
    extra = (["--budget", "auto", "--out", tmp_path / "plan.csv"] if command == "plan"
             else ["--figure", tmp_path / "curve.png"])
    code, out, err = run(capsys, command, *BASE, "--members", m_path, "--majority", j_path,
                         *BAD[case], *extra)
    assert_clean_error(code, out, err)
    assert code == 2
    assert "majority_rate" in err
    assert files_in(tmp_path) == before
