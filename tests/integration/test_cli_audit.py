"""The firm's label audits and the stealth plan through the CLI and ``evaluate``."""

import json

import numpy as np
import pandas as pd
import pytest
from test_cli_core import assert_clean_error, files_in, people, run

from fairflip.data import load_dataset
from fairflip.simulation._evaluate import evaluate

AUDIT_KEYS = {"name", "action", "q", "n_flagged", "flagged_flips", "recall", "precision",
              "flagged_other_by_group", "after_response", "base_after_response"}


@pytest.mark.parametrize("audit", ["cleanlab", "loss"])
def test_evaluate_audit_json_has_the_measures(capsys, audit):
    code, out, err = run(capsys, "evaluate", "--dataset", "compas", "--budget", "100",
                         "--method", "random", "--audit", audit, "--audit-action", "relabel",
                         "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    measures = result["audit"]
    assert AUDIT_KEYS <= set(measures)
    assert measures["name"] == audit and measures["action"] == "relabel"
    assert measures["recall"] == pytest.approx(measures["flagged_flips"] / result["n_flips"])
    assert 0 < measures["flagged_flips"] <= measures["n_flagged"]
    assert measures["precision"] == pytest.approx(measures["flagged_flips"] / measures["n_flagged"])
    assert set(measures["flagged_other_by_group"]) == {"acting", "other"}
    assert set(measures["after_response"]) == {"error", "eqod", "sp"}
    if audit == "loss":
        split_rows = round(0.7 * load_dataset("compas").n_rows)
        assert abs(measures["n_flagged"] - 0.1 * split_rows) <= 1


def test_evaluate_table_prints_the_audit(capsys):
    code, out, err = run(capsys, "evaluate", "--dataset", "toy2d", "--alpha", "0.5",
                         "--budget", "5", "--audit", "loss", "--audit-q", "0.2", "--avoid-audit")
    assert code == 0, err
    assert "audit loss (response: drop)" in out
    assert "stealth plan" in out


def test_drop_with_nothing_flagged_reproduces_the_unaudited_firm(monkeypatch):
    import fairflip.learning._audit as audit_module

    monkeypatch.setattr(audit_module, "flag_labels",
                        lambda y, proba, **kw: np.zeros(np.asarray(y).size, dtype=bool))
    problem = load_dataset("synthetic", n_rows=800)
    result = evaluate(problem, method="rb-prob", alpha=0.5, budget=30, audit="cleanlab",
                      audit_action="drop")
    assert result.audit["n_flagged"] == 0
    for key in ("error", "eqod", "sp"):
        assert result.audit["after_response"][key] == result.after[key]
        assert result.audit["base_after_response"][key] == result.before[key]


BAD_AUDIT = {
    "unknown audit": ["--audit", "confident"],
    "unknown response": ["--audit", "loss", "--audit-action", "ignore"],
    "q is 0": ["--audit", "loss", "--audit-q", "0"],
    "q is 1": ["--audit", "loss", "--audit-q", "1"],
    "q above 1": ["--audit", "loss", "--audit-q", "1.5"],
}


@pytest.mark.parametrize("case", sorted(BAD_AUDIT))
def test_bad_audit_options_are_one_error_line(capsys, case):
    code, out, err = run(capsys, "evaluate", "--dataset", "toy2d", "--budget", "2",
                         *BAD_AUDIT[case])
    assert code == 2
    assert_clean_error(code, out, err)
    assert out == ""


def test_audit_on_too_few_rows_per_label(capsys, tmp_path):
    frame = people(n=60, seed=1)
    frame["approved"] = 0
    frame.loc[frame.index[:4], "approved"] = 1  # 2-3 positive training rows for 5 folds
    path = tmp_path / "few.csv"
    frame.to_csv(path, index=False)
    code, out, err = run(capsys, "evaluate", "--data", path, "--label", "approved",
                         "--group", "sex", "--acting-group", "F", "--method", "random",
                         "--budget", "0", "--audit", "cleanlab")
    assert code == 2
    assert_clean_error(code, out, err)
    assert "rows of each label" in err
    assert out == ""


@pytest.fixture
def plan_tables(tmp_path):
    frame = people(n=400, seed=5)
    members = frame[frame["sex"] == "F"].drop(columns="sex").iloc[:80]
    majority = frame[frame["sex"] == "M"].drop(columns=["sex", "pid"])
    m_path, j_path = tmp_path / "members.csv", tmp_path / "majority.csv"
    members.to_csv(m_path, index=False)
    majority.to_csv(j_path, index=False)
    return members, m_path, j_path


def test_plan_avoid_audit_marks_and_down_ranks_flagged_members(capsys, tmp_path, plan_tables):
    members, m_path, j_path = plan_tables
    out_path = tmp_path / "plan.csv"
    code, _, err = run(capsys, "plan", "--label", "approved", "--id-column", "pid",
                       "--members", m_path, "--majority", j_path, "--method", "random",
                       "--budget", "0.5", "--avoid-audit", "--audit", "loss", "--audit-q", "0.1",
                       "--out", out_path)
    assert code == 0, err
    table = pd.read_csv(out_path)
    assert list(table.columns) == ["member_id", "score", "rank", "flip", "flagged_by_own_audit"]
    assert sorted(table["member_id"]) == sorted(members.loc[members["approved"] == 0, "pid"])
    flagged = table["flagged_by_own_audit"].to_numpy()
    assert flagged.any()
    # Flagged members come last: none of them flips while unflagged ones remain.
    assert (np.diff(flagged.astype(int)) >= 0).all()
    n_flips = int(table["flip"].sum())
    assert n_flips == int(np.floor(0.5 * len(table) + 0.5))
    assert table["flip"].to_numpy()[~flagged].sum() == min(n_flips, (~flagged).sum())


def test_plan_avoid_audit_without_majority_is_an_error(capsys, tmp_path, plan_tables):
    _, m_path, _ = plan_tables
    before = files_in(tmp_path)
    code, out, err = run(capsys, "plan", "--label", "approved", "--id-column", "pid",
                         "--members", m_path, "--method", "random", "--budget", "3",
                         "--avoid-audit", "--out", tmp_path / "plan.csv")
    assert_clean_error(code, out, err)
    assert files_in(tmp_path) == before
