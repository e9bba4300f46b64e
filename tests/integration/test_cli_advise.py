"""``fairflip advise`` end to end on an organiser's files, as a new user runs it."""

import json

import numpy as np
import pandas as pd
import pytest
from test_cli_core import assert_clean_error, files_in, people, run, run_subprocess

from fairflip.cli import main


@pytest.fixture
def advise_files(tmp_path):
    frame = people(n=900, seed=5)
    members = frame[frame["sex"] == "F"].drop(columns="sex").iloc[:120]
    majority = frame[frame["sex"] == "M"].drop(columns=["sex", "pid"])
    m_path, j_path = tmp_path / "members.csv", tmp_path / "majority.csv"
    members.to_csv(m_path, index=False)
    majority.to_csv(j_path, index=False)
    return members, m_path, j_path


ADVISE = ["advise", "--label", "approved", "--id-column", "pid", "--alpha", "0.4",
          "--group-share", "0.3"]


def test_advise_json_has_the_documented_keys(tmp_path, advise_files):
    members, m_path, j_path = advise_files
    code, out, err = run_subprocess(*ADVISE, "--members", m_path, "--majority", j_path,
                                    "--format", "json", cwd=tmp_path)
    assert code == 0, err
    result = json.loads(out)
    assert {"recommended_budget", "n_candidates", "predicted", "curve"} <= set(result)
    assert result["n_candidates"] == int((members["approved"] == 0).sum())
    assert 0 <= result["recommended_budget"] <= result["n_candidates"]
    for metric in ("eqod", "error"):
        assert {"low", "high"} <= set(result["predicted"][metric])
        p = result["predicted"][metric]
        assert p["low"] <= p["after"] <= p["high"]
    point = result["curve"][0]
    assert set(point) >= {"budget", "eqod", "error", "low", "high"}
    assert [c["budget"] for c in result["curve"]] == sorted(c["budget"] for c in result["curve"])
    assert any(c["budget"] == result["recommended_budget"] for c in result["curve"])


def test_advise_table_and_figure(capsys, tmp_path, advise_files):
    _, m_path, j_path = advise_files
    fig = tmp_path / "figs" / "curve.png"
    code, out, err = run(capsys, *ADVISE, "--members", m_path, "--majority", j_path,
                         "--figure", fig)
    assert code == 0, err
    assert "recommended budget:" in out and "predicted curve" in out and "eqod" in out
    assert fig.is_file() and fig.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_advise_without_stated_facts_says_what_it_assumed(capsys, advise_files):
    _, m_path, j_path = advise_files
    code, out, err = run(capsys, "advise", "--label", "approved", "--id-column", "pid",
                         "--members", m_path, "--majority", j_path, "--format", "json")
    assert code == 0, err
    assert "alpha not stated" in err and "group share not stated" in err
    assert json.loads(out)["assumptions"]["alpha"] == 1.0


BAD_ADVISE = {
    "members without negatives": "no negatives",
    "majority with one label": "one label",
    "majority with other columns": "extra column",
    "group share 1": ["--group-share", "1"],
    "group share negative": ["--group-share", "-0.2"],
    "model that cannot use the view": ["--model", "sklearn.neighbors.KNeighborsClassifier"],
    "unknown model": ["--model", "no.such.Model"],
    "bad figure suffix": ["--figure", "curve.txt"],
    "missing label": ["--label", "nope"],
    "no majority": ["--majority", None],
}


@pytest.mark.parametrize("case", sorted(BAD_ADVISE))
def test_advise_bad_input_is_one_error_line_and_no_file(capsys, tmp_path, advise_files, case):
    members, m_path, j_path = advise_files
    frame = pd.read_csv(j_path)
    spec = BAD_ADVISE[case]
    opts = {"--label": "approved", "--members": str(m_path), "--majority": str(j_path),
            "--figure": str(tmp_path / "curve.png")}
    if spec == "no negatives":
        members[members["approved"] == 1].to_csv(m_path, index=False)
    elif spec == "one label":
        frame.assign(approved=1).to_csv(j_path, index=False)
    elif spec == "extra column":
        frame.assign(income=np.arange(len(frame))).to_csv(j_path, index=False)
    else:
        key, value = spec
        if value is None:
            del opts[key]
        else:
            opts[key] = str(tmp_path / value) if key == "--figure" else value
    before = files_in(tmp_path)
    args = ["advise", "--id-column", "pid", "--alpha", "0.4"]
    for k, v in opts.items():
        args += [k, v]
    code, out, err = run(capsys, *args)
    assert_clean_error(code, out, err)
    assert code == 2
    assert files_in(tmp_path) == before


def test_advise_is_registered_in_help(capsys):
    assert main(["--help"]) == 0
    assert "advise" in capsys.readouterr().out


def test_plan_budget_auto_equals_advise(capsys, tmp_path, advise_files):
    _, m_path, j_path = advise_files
    common = ["--label", "approved", "--id-column", "pid", "--members", m_path, "--majority", j_path,
              "--alpha", "0.4", "--group-share", "0.3", "--method", "rb-label", "--k", "5",
              "--random-state", "4"]
    code, out, err = run(capsys, "advise", *common, "--format", "json")
    assert code == 0, err
    advised = json.loads(out)["recommended_budget"]
    plan_path = tmp_path / "plan.csv"
    code, out, err = run(capsys, "plan", *common, "--budget", "auto", "--out", plan_path)
    assert code == 0, err
    assert "budget auto" in err and f"recommends {advised} of" in err
    table = pd.read_csv(plan_path)
    assert int(table["flip"].sum()) == advised


def test_advise_avoid_audit_says_its_ranking_is_stealth_aware(capsys, tmp_path, advise_files):
    _, m_path, j_path = advise_files
    common = [*ADVISE, "--members", m_path, "--majority", j_path, "--method", "random",
              "--avoid-audit", "--random-state", "1"]
    code, out, err = run(capsys, *common, "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    assert result["ranking"] == "stealth-aware"
    st = result["stealth"]
    assert st["audit"] == "cleanlab"
    assert st["flags_avoided"] == st["flagged_plain"] - st["flagged_stealth"]
    assert all("plain_eqod" in c for c in result["curve"])
    fig = tmp_path / "stealth.svg"
    code, out, err = run(capsys, *common, "--figure", fig)
    assert code == 0, err
    assert "stealth-aware ranking (--avoid-audit)" in out and "expected flags avoided" in out
    assert "stealth-aware ranking" in fig.read_text()
    # plan --budget auto --avoid-audit flips the advised count, planned the stealth way.
    plan_path = tmp_path / "plan.csv"
    code, out, err = run(capsys, "plan", *common[1:], "--budget", "auto", "--out", plan_path)
    assert code == 0, err
    assert "for the stealth-aware ranking" in err
    table = pd.read_csv(plan_path)
    assert int(table["flip"].sum()) == result["recommended_budget"]
    assert "flagged_by_own_audit" in table


@pytest.mark.parametrize("case", ["too few rows for the audit folds", "audit none"])
def test_advise_avoid_audit_bad_input(capsys, tmp_path, advise_files, case):
    members, m_path, j_path = advise_files
    args = ["advise", "--label", "approved", "--id-column", "pid", "--alpha", "0.4",
            "--members", m_path, "--majority", j_path, "--avoid-audit", "--method", "random",
            "--figure", tmp_path / "curve.png"]
    if case == "audit none":
        args += ["--audit", "none"]
    else:
        # Three negatives and one positive member, two majority rows of each label: the
        # collective's shadow pool has 4 positive rows at worst, fewer than the 5 folds.
        small = pd.concat([members[members.approved == 0].iloc[:3],
                           members[members.approved == 1].iloc[:1]])
        small.to_csv(m_path, index=False)
        major = pd.read_csv(j_path)
        pd.concat([major[major.approved == 0].iloc[:2],
                   major[major.approved == 1].iloc[:2]]).to_csv(j_path, index=False)
    before = files_in(tmp_path)
    code, out, err = run(capsys, *args)
    assert_clean_error(code, out, err)
    assert code == 2
    assert ("own audit" in err) if case != "audit none" else ("--audit" in err)
    assert files_in(tmp_path) == before
