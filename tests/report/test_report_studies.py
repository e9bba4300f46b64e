"""Sections beyond the paper appear when their results exist: the multi-group study's files,
a sweep in which several groups of one attribute act."""

import json
import re

import pandas as pd
import pytest

from fairflip.experiments import DatasetSpec, SweepConfig, run_sweep
from fairflip.report import write_report


def _anchors(text):
    return set(re.findall(r'data-chart="([^"]+)"', text))


def test_no_groups_section_without_group_results(tiny_db, tmp_path):
    out = tmp_path / "r.html"
    write_report(tiny_db, out)
    text = out.read_text(encoding="utf-8")
    assert 'id="groups"' not in text and not any(a.startswith("fig-groups") for a in _anchors(text))


def test_group_study_files_next_to_the_database_get_a_section(tiny_copy, tmp_path):
    from fairflip.reproduce._group_study import GroupStudy, run_group_studies

    study = GroupStudy("compas", (("acting_group", "African-American"), ("race_filter", False),
                                  ("sensitive", "race")), budget_points=3)
    run_group_studies(tiny_copy.parent, [0, 1], studies=(study,), figures=False)
    out = tmp_path / "r.html"
    write_report(tiny_copy, out)
    text = out.read_text(encoding="utf-8")
    assert 'id="groups"' in text and "fig-groups-compas" in _anchors(text)
    section = text.split('id="groups"', 1)[1]
    assert "African-American" in section and "Hispanic" in section and ">acts<" in section


@pytest.mark.slow
def test_several_acting_groups_in_a_sweep_are_compared(tmp_path):
    specs = tuple(DatasetSpec("compas", "race", (("acting_group", g), ("race_filter", False)))
                  for g in ("African-American", "Caucasian"))
    cfg = SweepConfig(datasets=specs, seeds=(0, 1), methods=("rb-prob",), alphas=(0.3, 0.5),
                      budget_points=3, name="groups")
    db = tmp_path / "results.duckdb"
    run_sweep(cfg, db, n_jobs=1, backend="sequential", progress=False)
    out = tmp_path / "r.html"
    write_report(db, out)
    text = out.read_text(encoding="utf-8")
    assert "fig-acting-compas" in _anchors(text)
    # one section per acting group, each with its provenance row
    assert "Data set: compas / race=African-American" in text and "race=Caucasian" in text
    assert "not loadable here" not in text


AUDITS = SweepConfig(datasets=(DatasetSpec("synthetic", None, (("n_rows", 800),)),), seeds=(0, 1),
                     methods=("rb-prob", "random"), alphas=(0.3,), budget_points=3,
                     audits=("none", "loss"), audit_actions=("drop",), name="tiny-audits")


def test_an_audit_results_file_next_to_the_database_gets_a_section(tiny_copy, tmp_path):
    run_sweep(AUDITS, tiny_copy.with_name("audits.duckdb"), n_jobs=1, backend="sequential",
              progress=False)
    out = tmp_path / "r.html"
    write_report(tiny_copy, out)
    text = out.read_text(encoding="utf-8")
    assert {"fig-audit-caught-synthetic", "fig-audit-eqod-synthetic"} <= _anchors(text)
    spec = text.split('"fig-audit-eqod-synthetic":', 1)[1]
    # the unaudited collective is drawn next to the audited firm, for reference
    assert '"variant":"no audit"' in spec and '"variant":"loss, drop"' in spec


def test_advice_next_to_the_database_is_charted_in_the_hindsight_notes(tiny_copy, tmp_path):
    choices = ("advisor", "firm-validation", "fixed 25 %", "fixed 50 %")
    table = pd.DataFrame([{"dataset": "synthetic", "method": m, "knowledge": k, "choice": c,
                           "regret": 0.01 * (i + 1), "regret_std": 0.005, "harm_rate": 0.5,
                           "error_rise": 0.002, "flips": 12.0, "seeds": 2}
                          for m in ("rb-prob", "random") for k in ("all", "10")
                          for i, c in enumerate(choices)])
    table.to_csv(tiny_copy.with_name("advice.csv"), index=False)
    out = tmp_path / "r.html"
    write_report(tiny_copy, out)
    text = out.read_text(encoding="utf-8")
    assert "fig-advice-synthetic" in _anchors(text)
    assert "fig-advice-synthetic" in text.split('id="hindsight"', 1)[1]
    data = json.loads(re.search(r'id="chart-specs">(.*?)</script>', text, flags=re.S).group(1)
                      .replace("<\\/", "</"))["fig-advice-synthetic"]["datasets"]
    rows = [r for rows in data.values() for r in rows]
    # knowledge "all" only: one bar per scorer and choice, with its exact regret
    assert len(rows) == 2 * len(choices)
    assert sorted({round(r["regret"], 6) for r in rows}) == [0.01, 0.02, 0.03, 0.04]
