"""The reproduction's budget-choice study, on a results table made by hand."""

import numpy as np
import pandas as pd

from fairflip.analysis import advice_rows, advice_table
from fairflip.reproduce._advice_study import advice_section


def _unit(seed, *, advised_flips, advised_eqod, base_eqod=0.20):
    # EqOd falls to 0.05 at 40 flips and rises again; validation picks 30 flips.
    flips = np.arange(0, 101, 10)
    eqod = np.abs(flips - 40) / 200 + 0.05
    val = np.abs(flips - 30) / 200
    return pd.DataFrame({
        "family": "collective", "dataset": "d", "method": "rb-prob", "knowledge": "all",
        "model": "logreg", "k": 0, "alpha": 0.3, "seed": seed, "n_candidates": 100,
        "n_flips": flips, "budget": flips, "eqod": eqod, "error": 0.1 + flips / 1000,
        "firm_val_eqod": val, "base_eqod": base_eqod, "base_error": 0.1,
        "advised_flips": advised_flips, "advised_eqod": advised_eqod, "advised_error": 0.13,
    })


def test_regret_and_harm_per_choice():
    df = pd.concat([_unit(0, advised_flips=40, advised_eqod=0.05),
                    _unit(1, advised_flips=90, advised_eqod=0.30)], ignore_index=True)
    table = advice_table(df).set_index("choice")
    # Advisor: regret 0 and 0.25; harm in seed 1 only (0.30 > base 0.20).
    assert np.isclose(table.loc["advisor", "regret"], 0.125)
    assert np.isclose(table.loc["advisor", "harm_rate"], 0.5)
    assert np.isclose(table.loc["advisor", "error_rise"], 0.03)
    # Firm-validation picks 30 flips: EqOd 0.10, regret 0.05, never harmful.
    assert np.isclose(table.loc["firm-validation", "regret"], 0.05)
    assert table.loc["firm-validation", "harm_rate"] == 0
    # Fixed 25 % of 100 candidates: the grid budget nearest 25 (20 or 30 -> first, 20).
    assert np.isclose(table.loc["fixed 25 %", "regret"], 0.10)
    assert np.isclose(table.loc["fixed 50 %", "regret"], 0.05)
    rows = advice_rows(df)
    assert {r["verdict"] for r in rows} == {"not claimed"}
    assert {r["scope"] for r in rows} == {"beyond the paper"}
    regret = next(r for r in rows if r["claim"].startswith("budget choice: regret of the advisor"))
    assert np.isclose(regret["measured"], 0.125) and regret["n_seeds"] == 2
    assert "| d | rb-prob | all | advisor |" in advice_section(advice_table(df))


def test_units_without_advice_are_left_out_of_the_advisor_rows():
    df = _unit(0, advised_flips=None, advised_eqod=np.nan)
    table = advice_table(df)
    assert "advisor" not in set(table.choice) and "firm-validation" in set(table.choice)
