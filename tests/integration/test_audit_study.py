"""The reproduction's label-audit study on a tiny grid: figures and measurement rows."""

from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from fairflip.experiments._config import DatasetSpec
from fairflip.reproduce import _audit_study


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    out = tmp_path_factory.mktemp("study")
    tiny = [replace(cfg, datasets=(DatasetSpec("synthetic", None, (("n_rows", 900),)),),
                    seeds=(0, 1), methods=("rb-prob", "random"), budget_points=3,
                    budget_max_fraction=0.5)
            for cfg in _audit_study.audit_configs(quick=True)[::2]]
    mp = pytest.MonkeyPatch()
    mp.setattr(_audit_study, "audit_configs", lambda quick: tiny)
    try:
        figures, rows = _audit_study.run_audit_study(out, quick=True, n_jobs=1,
                                                     backend="sequential", progress=False)
    finally:
        mp.undo()
    return out, figures, rows


def test_both_figures_as_png_and_svg(study):
    out, figures, _ = study
    names = sorted(p.name for p in figures)
    assert names == ["audited_synthetic.png", "audited_synthetic.svg",
                     "detection_synthetic.png", "detection_synthetic.svg"]
    for path in figures:
        assert path.stat().st_size > 5000
    with Image.open(out / "figures" / "detection_synthetic.png") as image:
        width, height = image.size
    assert width >= 1000 and height >= 500
    svg = (out / "figures" / "audited_synthetic.svg").read_text()
    assert "flips made" in svg and "EqOd" in svg


def test_measurement_rows_are_marked_beyond_the_paper(study):
    _, _, rows = study
    assert set(rows.verdict) == {"not claimed"} and set(rows.kind) == {"measurement"}
    assert set(rows.scope) == {"beyond the paper"}
    claims = set(rows.claim)
    for audit in ("cleanlab", "loss"):
        assert f"audit ({audit}): RB flips flagged less often than random flips" in claims
        assert f"audit ({audit}): false-alarm rate on the acting group's rows" in claims
        for action in ("drop", "relabel"):
            assert f"audit ({audit}, firm {action}s): share of the EqOd gain that survives" in claims
    stealth = rows[rows.claim.str.startswith("stealth plan")]
    assert set(stealth.method) == {"rb-prob", "random"}
    alarms = rows[rows.claim.str.contains("false-alarm")]
    assert alarms.measured.between(0, 1).all()
    assert np.isfinite(rows.measured).all()
