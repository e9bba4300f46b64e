"""Flips to an EqOd target (interpolated, censored) and the rows comparing methods."""

import numpy as np
import pandas as pd

from fairflip.analysis import flips_to_target, method_rows, reference_rows


def _curve(method, seed, flips, eqod, base=0.2):
    return pd.DataFrame({"family": "collective", "dataset": "d", "knowledge": "all",
                         "alpha": 0.3, "k": 0, "method": method, "seed": seed,
                         "n_flips": flips, "budget": flips, "eqod": eqod, "base_eqod": base,
                         "error": 0.2, "firm_val_eqod": eqod, "firm_val_error": 0.2})


def test_interpolated_between_the_budgets_around_the_target():
    rows = _curve("m", 0, [0, 10, 20, 30], [0.2, 0.16, 0.08, 0.05])
    # target 0.1 = 0.5 x 0.2, crossed between 10 (0.16) and 20 (0.08): 10 + 10 * 0.06 / 0.08
    assert flips_to_target(rows, 0.5).loc[0, "flips"] == 17.5
    assert flips_to_target(rows, 1.0).loc[0, "flips"] == 0.0  # already there


def test_never_reached_is_censored_at_the_pool():
    rows = _curve("m", 3, [0, 10, 20], [0.2, 0.18, 0.15])
    out = flips_to_target(rows, 0.5)
    assert bool(out.loc[3, "censored"]) and out.loc[3, "flips"] == 20.0


def _frame():
    parts = []
    for seed in range(3):
        flips = [0, 10, 20, 30]
        parts.append(_curve("mine", seed, flips, [0.2, 0.12, 0.08, 0.06]))
        parts.append(_curve("influence", seed, flips, [0.2, 0.14, 0.09, 0.07]))
        for other in ("rb-prob", "rb-label", "rb-dist", "random"):
            parts.append(_curve(other, seed, flips, [0.2, 0.17 + 0.01 * seed, 0.12, 0.1]))
    return pd.concat(parts, ignore_index=True)


def test_user_method_rows_are_claims_beyond_the_paper():
    rows = pd.DataFrame([r for r in method_rows(_frame()) if r is not None])
    assert set(rows.method) == {"mine"} and set(rows.kind) == {"claim"}
    assert set(rows.scope) == {"beyond the paper"}
    flips = rows[rows.claim.str.contains("fewer flips than rb-prob to reach 0.5")]
    # mine reaches 0.1 at 10 + 10 * 0.02 / 0.04 = 15; rb-prob at 20 + 10 * 0.02 / 0.02 = 30
    assert np.isclose(flips.measured.iloc[0], -15.0)
    assert flips.verdict.iloc[0] == "holds"


def test_reference_rows_are_measurements_and_need_the_reference():
    rows = pd.DataFrame([r for r in reference_rows(_frame()) if r is not None])
    assert set(rows.kind) == {"measurement"} and set(rows.verdict) == {"not claimed"}
    assert set(rows.method) == {"rb-prob", "rb-label", "rb-dist", "random"}
    no_ref = _frame()
    assert reference_rows(no_ref[no_ref.method != "influence"]) == []
