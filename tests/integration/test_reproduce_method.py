"""`fairflip reproduce --quick --method NAME`: a scorer installed through an entry point (a
``*.dist-info`` on ``sys.path``) runs the paper's protocol beside the built-in ones, with
the influence reference, and gets claim and measurement rows (scope beyond the paper)."""

from __future__ import annotations

import sys
import uuid
from dataclasses import replace

import pandas as pd
import pytest
from test_reproduce_data import _german_csv

from fairflip.cli import main
from fairflip.experiments import ResultStore
from fairflip.reproduce import _reproduce as R

MODULE = '''
import numpy as np
from fairflip.scorers import BaseScorer


class CentroidScorer(BaseScorer):
    deterministic = True

    def _fit(self, X, y):
        self.centre_ = X[y == 1].mean(axis=0)

    def _score(self, X, index):
        return -((X - self.centre_) ** 2).sum(axis=1)
'''


@pytest.fixture
def installed_scorer(tmp_path, monkeypatch):
    module = f"repro_scorer_{uuid.uuid4().hex[:8]}"
    (tmp_path / f"{module}.py").write_text(MODULE)
    dist = tmp_path / "repro_scorer-1.2.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: repro-scorer\nVersion: 1.2\n")
    (dist / "entry_points.txt").write_text(f"[fairflip.scorers]\ncentroid = {module}:CentroidScorer\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "centroid"
    sys.modules.pop(module, None)


@pytest.mark.slow
def test_reproduce_quick_with_a_users_method(installed_scorer, tmp_path, monkeypatch):
    monkeypatch.setattr(R, "DEFAULT_GRID", replace(R.DEFAULT_GRID, firm_methods=("threshold",)))
    monkeypatch.setattr(R, "SMALL_ROWS", 0)
    csv = _german_csv(tmp_path / "credit.csv")
    out = tmp_path / "out"
    assert main(["reproduce", "--quick", "--jobs", "1", "--out", str(out), "--data", str(csv),
                 "--label", "decision", "--group", "age_group", "--acting-group", "young",
                 "--favourable", "good", "--method", installed_scorer]) == 0
    claims = pd.read_csv(out / "claims.csv", keep_default_na=False)
    mine = claims[(claims.method == installed_scorer) & (claims.kind == "claim")]
    assert set(mine.scope) == {"beyond the paper"}
    # Other studies' measurement rows name it too (advice, selection), never as the paper's.
    assert set(claims[claims.method == installed_scorer].scope) == {"beyond the paper"}
    assert set(mine.verdict) <= {"holds", "fails", "inconclusive"}
    for other in ("rb-prob", "rb-label", "rb-dist", "random"):
        assert mine.claim.str.contains(f"than {other}").sum() == 4  # 2 flip targets, 2 selections
    ref = claims[claims.claim.str.startswith("reference:")]
    assert set(ref.kind) == {"measurement"} and set(ref.method) >= {"rb-prob", "rb-label", "rb-dist"}
    with ResultStore(out / "results.duckdb") as store:
        frame = store.frame("family = 'collective'")
    assert set(frame[frame.method == installed_scorer].alpha) == {0.05, 0.1, 0.2, 0.3, 0.4}
    assert set(frame[frame.method == "influence"].alpha) == {0.3}
    assert frame[frame.method == installed_scorer].algorithm.unique().tolist() == [
        "centroid=1@repro-scorer-1.2"]
    assert any(p.name.startswith("flips_credit") for p in (out / "figures").iterdir())
