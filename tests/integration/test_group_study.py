"""The reproduction's multi-group study: files, figure, measurement rows, and its numbers."""

import numpy as np
import pandas as pd
import pytest

from fairflip.data import load_dataset
from fairflip.reproduce._group_study import (
    GROUP_STUDIES,
    GroupStudy,
    best_budget,
    group_study,
    run_group_studies,
    spillover,
)
from fairflip.simulation._evaluate import evaluate

STUDY = GroupStudy("compas", (("acting_group", "African-American"), ("race_filter", False),
                              ("sensitive", "race")), budget_points=4)


@pytest.fixture(scope="module")
def study():
    return group_study(STUDY, [0, 1])


def test_budget_zero_rates_equal_the_evaluate_command(study):
    _, per_group = study
    problem = load_dataset("compas", sensitive="race", acting_group="African-American",
                           race_filter=False)
    ref = pd.DataFrame(evaluate(problem, alpha=0.3, budget=0, random_state=1).groups)
    mine = per_group[(per_group.seed == 1) & (per_group.budget == 0)].set_index("group")
    ref = ref.set_index("group")
    assert list(mine.index) == list(ref.index)
    for rate in ("tpr", "fpr", "selection_rate", "error"):
        np.testing.assert_array_equal(mine[rate].to_numpy(), ref[f"{rate}_before"].to_numpy())
    np.testing.assert_array_equal(mine["gap"].to_numpy(), ref["gap_before"].to_numpy())


def test_best_budget_and_spillover(study):
    summary, per_group = study
    budget = best_budget(summary)
    assert budget == summary.groupby("budget").eqod.mean().idxmin()
    spill = spillover(per_group, budget)
    assert set(spill.group) == set(per_group.group) and spill.acting.sum() == 1
    caucasian = spill.set_index("group").loc["Caucasian"]
    rows = per_group[per_group.group == "Caucasian"].set_index(["budget", "seed"])
    want = (rows.loc[budget].gap - rows.loc[0].gap).mean()
    assert caucasian.gap_change == pytest.approx(want, abs=1e-12)


def test_run_writes_csv_figure_and_measurement_rows(tmp_path):
    rows, paths = run_group_studies(tmp_path, [0], studies=(STUDY,))
    assert sorted(p.name for p in paths) == ["groups_compas.png", "groups_compas.svg"]
    assert all(p.stat().st_size > 10_000 for p in paths)
    assert (tmp_path / "groups_compas.csv").is_file()
    assert (tmp_path / "groups_compas_spillover.csv").is_file()
    frame = pd.DataFrame(rows)
    assert set(frame.verdict) == {"not claimed"} and set(frame.scope) == {"beyond the paper"}
    assert frame.claim.str.contains("largest spillover").any()
    assert frame.claim.str.contains("multi-group EqOd").sum() == 3
    assert np.isfinite(frame.measured).all()


def test_one_study_per_real_data_set_and_german_by_age_band_and_sex(tmp_path):
    assert [study.dataset for study in GROUP_STUDIES] == ["adult", "compas", "german"]
    german = GROUP_STUDIES[-1]
    rows, paths = run_group_studies(tmp_path, [0, 1], studies=(german,))
    assert sorted(p.name for p in paths) == ["groups_german.png", "groups_german.svg"]
    frame = pd.DataFrame(rows)
    assert set(frame.scope) == {"beyond the paper"} and set(frame.dataset) == {"german"}
    assert frame.detail.str.startswith("age,sex=young,female, alpha 0.5").all()
    per_group = pd.read_csv(tmp_path / "groups_german.csv")
    assert set(per_group.group) == {"young,female", "young,male", "older,female", "older,male"}
    # Budget 0 is the untouched firm of the evaluate command on the same seed.
    problem = load_dataset("german", **dict(german.options))
    ref = pd.DataFrame(evaluate(problem, alpha=german.alpha, budget=0, random_state=1).groups)
    mine = per_group[(per_group.seed == 1) & (per_group.budget == 0)].set_index("group")
    ref = ref.set_index("group").loc[mine.index]
    np.testing.assert_allclose(mine.tpr, ref.tpr_before, rtol=0, atol=1e-12)
    np.testing.assert_allclose(mine.gap, ref.gap_before, rtol=0, atol=1e-12)
