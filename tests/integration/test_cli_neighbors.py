"""``--neighbors exact|approx`` on ``fairflip plan`` and ``fairflip advise``, end to end."""

import importlib.util
import json
import re
import sys

import pandas as pd
import pytest
from test_cli_core import PLAN, assert_clean_error, files_in, people, run

# hnswlib is optional ([approx]); `pip install -e ".[test,approx]"` runs these too.
needs_hnswlib = pytest.mark.skipif(importlib.util.find_spec("hnswlib") is None,
                                   reason="hnswlib is not installed (pip install fairflip[approx])")

RECALL_LINE = re.compile(r"^neighbour recall@(\d+): ([0-9.]+) \(approximate search, (\d+) sampled "
                         r"queries checked against the exact search; hnswlib ef (\d+)\)$", re.M)


@pytest.fixture
def files(tmp_path):
    # 300 members, 700 majority rows: more candidates than the 256 queries checked.
    frame = people(n=1400, seed=11, acting_share=0.5)
    members = frame[frame["sex"] == "F"].drop(columns="sex").iloc[:300]
    majority = frame[frame["sex"] == "M"].drop(columns=["sex", "pid"])
    m_path, j_path = tmp_path / "members.csv", tmp_path / "majority.csv"
    members.to_csv(m_path, index=False)
    majority.to_csv(j_path, index=False)
    return members, m_path, j_path


@needs_hnswlib
@pytest.mark.parametrize("method", ["rb-label", "rb-dist"])
def test_plan_approx_prints_recall_and_matches_exact_on_small_data(capsys, tmp_path, files,
                                                                    method):
    members, m_path, j_path = files
    tables, outs = {}, {}
    for mode in ("exact", "approx"):
        out_path = tmp_path / f"{mode}.csv"
        code, out, err = run(capsys, *PLAN, "--members", m_path, "--majority", j_path,
                             "--method", method, "--budget", "20", "--out", out_path,
                             "--neighbors", mode)
        assert code == 0, err
        tables[mode], outs[mode] = pd.read_csv(out_path), out
    assert not RECALL_LINE.search(outs["exact"])
    found = RECALL_LINE.findall(outs["approx"])
    assert len(found) == 1, outs["approx"]
    k, recall, n_queries, _ = found[0]
    n_candidates = int((members["approved"] == 0).sum())
    assert int(k) == 5 and int(n_queries) == min(256, n_candidates)
    # 700 rows in a few features: the graph search finds every exact neighbour, so the plans agree.
    assert float(recall) == 1.0
    pd.testing.assert_frame_equal(tables["approx"], tables["exact"])


@needs_hnswlib
def test_plan_approx_same_seed_same_plan(capsys, tmp_path, files):
    _, m_path, j_path = files
    outs = []
    for name in ("a", "b"):
        code, out, err = run(capsys, *PLAN, "--members", m_path, "--majority", j_path,
                             "--budget", "0.3", "--out", tmp_path / f"{name}.csv",
                             "--neighbors", "approx", "--random-state", "4")
        assert code == 0, err
        outs.append(out.splitlines()[-1])
    assert outs[0] == outs[1]
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "a.csv"), pd.read_csv(tmp_path / "b.csv"))


@needs_hnswlib
def test_advise_approx_gives_the_exact_advice_on_small_data(capsys, files):
    _, m_path, j_path = files
    outs = []
    for mode in ("exact", "approx"):
        code, out, err = run(capsys, "advise", "--label", "approved", "--id-column", "pid",
                             "--members", m_path, "--majority", j_path, "--method", "rb-label",
                             "--alpha", "0.5", "--group-share", "0.5", "--format", "json",
                             "--neighbors", mode)
        assert code == 0, err
        outs.append(json.loads(out))
    assert outs[0] == outs[1]


def _command(command, tmp_path):
    """The command line of ``command`` up to its input files."""
    return {"plan": [*PLAN, "--out", tmp_path / "plan.csv"],
            "plan-auto": [*PLAN, "--out", tmp_path / "plan.csv", "--budget", "auto"],
            "advise": ["advise", "--label", "approved", "--id-column", "pid"]}[command]


@pytest.mark.parametrize("command", ["plan", "advise"])
def test_unknown_mode_is_one_error_line_exit_2_no_file(capsys, tmp_path, files, command):
    _, m_path, j_path = files
    before = files_in(tmp_path)
    code, out, err = run(capsys, *_command(command, tmp_path), "--members", m_path,
                         "--majority", j_path, "--neighbors", "fast")
    assert code == 2
    assert_clean_error(code, out, err)
    assert "The 'neighbors' parameter must be one of exact, approx. Got 'fast' instead." in err
    assert files_in(tmp_path) == before


@pytest.mark.parametrize("command", ["plan", "plan-auto", "advise"])
def test_missing_library_is_one_error_line_naming_the_extra(capsys, tmp_path, files,
                                                            monkeypatch, command):
    # Also shows that each command really asks for the approximate search.
    _, m_path, j_path = files
    monkeypatch.setitem(sys.modules, "hnswlib", None)
    before = files_in(tmp_path)
    args = _command(command, tmp_path)
    # A k-NN scorer: plan and advise default to rb-prob, which searches no neighbours.
    args += ["--method", "rb-dist" if command == "advise" else "rb-label"]
    code, out, err = run(capsys, *args, "--members", m_path, "--majority", j_path,
                         "--neighbors", "approx")
    assert code == 2
    assert_clean_error(code, out, err)
    assert "pip install fairflip[approx]" in err
    assert files_in(tmp_path) == before
