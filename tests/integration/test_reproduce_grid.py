"""`fairflip reproduce --grid FILE` end to end on a tiny grid: only the grid's phases run,
one overall progress line in a log, nothing with progress off, the timing table's
expected seconds."""

from __future__ import annotations

import pandas as pd
import pytest

from fairflip.cli import main
from fairflip.reproduce import Grid, reproduce
from fairflip.reproduce import _reproduce as R

TINY = '''name = "tiny"
datasets = ["german"]
sweeps = ["collective-size-and-flips"]
firm_methods = []
studies = []
'''
PHASES = ["load data sets", "sweep collective-size-and-flips", "figures", "claims", "report"]


@pytest.mark.slow
def test_a_tiny_grid_runs_its_phases_only_with_one_progress_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(R, "SMALL_ROWS", 0)  # German keeps 3 seeds: a cheap run
    grid = tmp_path / "tiny.toml"
    grid.write_text(TINY)
    out = tmp_path / "out"
    assert main(["reproduce", "--quick", "--jobs", "1", "--grid", str(grid),
                 "--out", str(out)]) == 0
    err = capsys.readouterr().err.splitlines()
    timing = pd.read_csv(out / "timing.csv")
    assert timing.phase.tolist() == PHASES
    assert (timing.expected_seconds > 0).all()
    assert "grid: tiny" in (out / "summary.md").read_text()
    for left_out in ("toy.csv", "figure1.csv", "advice.csv", "audits.duckdb",
                     "advice_knowledge.csv"):
        assert not (out / left_out).exists()
    ours = [line for line in err if line.startswith("reproduce: phase")]
    assert [line.partition("| ")[2] for line in ours] == PHASES  # a log: a line per phase
    assert all(f"/{len(PHASES)}, " in line and "ETA" in line for line in ours)
    assert err[-2].startswith(f"reproduce: {len(PHASES)} phases done in ")
    assert not [line for line in err if line.startswith("sweep:")]  # no per-sweep lines
    tiny = Grid(name="tiny", datasets=("german",), sweeps=("collective-size-and-flips",),
                firm_methods=(), studies=())
    reproduce(out, quick=True, n_jobs=1, grid=tiny, progress=False)  # resumes: all stored
    assert "reproduce" not in capsys.readouterr().err
