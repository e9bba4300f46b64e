"""Tables, rows and the figure of the few-known-rows advice study (issue 23)."""

import numpy as np
import pandas as pd
import pytest

from fairflip.analysis import KNOWLEDGE_CHOICES, knowledge_advice_rows, knowledge_advice_table


def _records():
    rows = []
    for dataset in ("a", "b"):
        for seed in range(4):
            for knowledge in ("10", "all"):
                for i, choice in enumerate(KNOWLEDGE_CHOICES):
                    regret = 0.01 * i + 0.001 * seed
                    rows.append({"dataset": dataset, "seed": seed, "knowledge": knowledge,
                                 "choice": choice, "regret": regret, "harm": seed == 0 and i == 1,
                                 "share": 0.1 * i, "no_advice": False,
                                 "covered": True if choice.startswith("advisor") else np.nan})
    return pd.DataFrame(rows)


def test_table_means_over_seeds_and_orders_knowledge():
    table = knowledge_advice_table(_records())
    one = table[(table.dataset == "a") & (table.knowledge == "10") & (table.choice == "advisor")]
    assert one.regret.iloc[0] == pytest.approx(0.01 + 0.0015)
    assert one.harm_rate.iloc[0] == pytest.approx(0.25)
    assert one.coverage.iloc[0] == 1.0
    assert np.isnan(table[table.choice == "nothing"].coverage).all()
    assert table[table.dataset == "a"].knowledge.tolist()[:len(KNOWLEDGE_CHOICES)] == ["10"] * 6
    # Negative control: a record with a bigger regret moves the mean.
    rec = _records()
    rec.loc[0, "regret"] += 1.0
    assert knowledge_advice_table(rec).regret.sum() > table.regret.sum()


def test_rows_are_measurements_with_a_per_seed_interval():
    rows = knowledge_advice_rows(_records())
    assert len(rows) == 2 * 2 * len(KNOWLEDGE_CHOICES) * 2
    regret = [r for r in rows if "regret" in r["claim"] and "advisor + rate" in r["claim"]]
    assert all(r["verdict"] == "not claimed" and r["n_seeds"] == 4 for r in regret)
    assert knowledge_advice_rows(_records().iloc[:0]) == []


def test_figure_has_one_panel_per_dataset():
    from fairflip.plotting import knowledge_advice_figure

    fig = knowledge_advice_figure(_records())
    try:
        assert len(fig.axes) == 2
        assert len(fig.axes[0].lines) == len(KNOWLEDGE_CHOICES)
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)
