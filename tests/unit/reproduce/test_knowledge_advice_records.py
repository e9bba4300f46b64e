"""The few-known-rows advice study's records (issue 23) on a small synthetic problem."""

import numpy as np
import pandas as pd
import pytest

import fairflip.reproduce._advice_knowledge as study
from fairflip.experiments import DatasetSpec, problem_for
from fairflip.reproduce import knowledge_advice_records

SPEC = DatasetSpec("synthetic", None, (("n_rows", 3000),))


@pytest.fixture(scope="module")
def records_and_rates():
    stated = []
    real = study.view_from_split

    def spy(split, **kw):
        stated.append(kw.get("majority_rate"))
        return real(split, **kw)

    study.view_from_split = spy  # where the study looks it up
    try:
        records = knowledge_advice_records([SPEC], [0], knowledge=("10", "all"), n_bootstrap=50)
    finally:
        study.view_from_split = real
    return records, stated


def test_every_choice_at_every_setting(records_and_rates):
    records, _ = records_and_rates
    assert set(records.dataset) == {"synthetic"}
    assert set(records.knowledge) == {"10", "all"}
    assert set(records.choice) == {"advisor", "advisor + rate", "firm-validation", "fixed 25 %",
                                   "fixed 50 %", "nothing"}
    assert (records.regret >= -1e-12).all()
    nothing = records[records.choice == "nothing"]
    np.testing.assert_allclose(nothing.regret, nothing.base_eqod - nothing.best_eqod)
    assert not nothing.harm.any()
    rate = records[records.choice == "advisor + rate"]
    assert not rate.no_advice.any() and rate.covered.notna().all()


def test_the_stated_rate_is_the_data_sets_published_rate(records_and_rates):
    """The rate comes from all the problem's rows, never from the firm's split."""
    _, stated = records_and_rates
    problem = problem_for(SPEC)
    published = float(problem.y[problem.group == 0].mean())
    rates = [r for r in stated if r is not None]
    assert rates and all(r == published for r in rates)
    assert stated.count(None) == len(rates)  # the plain view states none


def test_several_rules_name_their_choices_and_keep_the_dataset():
    records = knowledge_advice_records([SPEC], [1], knowledge=("100",), n_bootstrap=50,
                                       rule=("clear-gain", "argmin"))
    assert set(records.dataset) == {"synthetic"}
    assert {"advisor [clear-gain]", "advisor [argmin]", "advisor + rate [clear-gain]",
            "advisor + rate [argmin]"} <= set(records.choice)


def test_reproduce_hook_writes_records_figure_and_rows(tmp_path, monkeypatch):
    import fairflip.reproduce._advice_knowledge as study

    calls = {}
    real = study.knowledge_advice_records

    def small(datasets, seeds, *, knowledge, **kw):
        calls["seeds"], calls["knowledge"] = list(seeds), knowledge
        return real(datasets, [0], knowledge=("10",), n_bootstrap=50)

    monkeypatch.setattr(study, "knowledge_advice_records", small)
    rows, figures = study.run_knowledge_advice_study(tmp_path, [SPEC], quick=True)
    assert calls == {"seeds": [0, 1], "knowledge": ("10", "100", "all")}
    assert (tmp_path / "advice_knowledge.csv").is_file()
    assert sorted(p.name for p in figures) == ["advice_knowledge.png", "advice_knowledge.svg"]
    assert rows and all(r["kind"] == "measurement" for r in rows)


def test_records_are_the_same_in_two_processes():
    """The (data set, seed) pairs run in worker processes: same records, same order."""
    one = knowledge_advice_records([SPEC], [0, 1], knowledge=("10",), n_bootstrap=20)
    two = knowledge_advice_records([SPEC], [0, 1], knowledge=("10",), n_bootstrap=20,
                                   n_jobs=2)
    assert len(one) and one.seed.nunique() == 2
    pd.testing.assert_frame_equal(one, two)
