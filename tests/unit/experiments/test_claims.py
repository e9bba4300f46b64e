"""The claims logic on crafted results frames whose answers are known by construction."""

import numpy as np
import pandas as pd

from fairflip.experiments.claims import (
    claim_collective_size,
    claim_error_cost,
    claim_flips,
    claim_hindsight,
    claim_knowledge,
)


def _rows(method, alpha, eqods, *, seed=0, knowledge="all", errors=None, val=None, base=0.2):
    n = len(eqods)
    return pd.DataFrame({
        "dataset": "d", "family": "collective", "method": method, "alpha": alpha,
        "knowledge": knowledge, "seed": seed, "n_flips": np.arange(n) * 10,
        "budget": np.arange(n) * 10, "eqod": eqods,
        "error": errors if errors is not None else np.full(n, 0.30),
        "val_eqod": val if val is not None else eqods,
        "base_eqod": base, "base_error": 0.30,
    })


def test_flips_claim_compares_areas_with_random():
    df = pd.concat([_rows("random", 0.3, [0.2, 0.15, 0.1]),
                    _rows("rb-prob", 0.3, [0.2, 0.05, 0.04]),
                    _rows("rb-label", 0.3, [0.2, 0.19, 0.18])])
    verdict = {r["method"]: r["holds"] for r in claim_flips(df)}
    assert verdict == {"rb-prob": "yes", "rb-label": "no"}


def test_collective_size_saturation_share():
    def frame(best03):
        return pd.concat([_rows("rb-prob", 0.1, [0.2, 0.15]), _rows("rb-prob", 0.3, [0.2, best03]),
                          _rows("rb-prob", 0.4, [0.2, 0.05])])
    # gain by 0.3 is 0.13 of 0.15 (87 %) -> holds; 0.10 of 0.15 (67 %) -> does not
    assert claim_collective_size(frame(0.07))[0]["holds"] == "yes"
    assert claim_collective_size(frame(0.10))[0]["holds"] == "no"


def test_knowledge_and_error_cost_use_the_error_cap():
    full = _rows("rb-prob", 0.3, [0.2, 0.10, 0.01], errors=[0.30, 0.305, 0.35])
    part = _rows("rb-prob", 0.3, [0.2, 0.15, 0.01], knowledge="10", errors=[0.30, 0.305, 0.35])
    row = claim_knowledge(pd.concat([full, part]))[0]
    # within the error cap the best are 0.10 and 0.15: 0.05 apart, more than 0.02
    assert row["holds"] == "no" and np.isclose(row["measured"], 0.15)
    cost = claim_error_cost(full)[0]
    assert np.isclose(cost["measured"], 0.05) and cost["holds"] == "no"


def test_hindsight_bias_is_reported_from_validation_choice():
    df = _rows("rb-prob", 0.3, [0.2, 0.05, 0.10], val=[0.2, 0.12, 0.03])
    row = claim_hindsight(df)[0]
    assert np.isclose(row["measured"], 0.10)
    assert "hindsight (test-picked) 0.0500" in row["detail"]


def test_flips_claim_stops_where_flipping_stops_helping():
    # rb-prob bottoms out at 10 flips and then overshoots; random is still descending.
    df = pd.concat([_rows("random", 0.3, [0.2, 0.15, 0.10, 0.08]),
                    _rows("rb-prob", 0.3, [0.2, 0.02, 0.15, 0.30])])
    row = claim_flips(df)[0]
    assert row["holds"] == "yes"
    assert "0..10 flips" in row["detail"]
    assert np.isclose(row["measured"], (0.2 + 0.02) / 2)


def test_hindsight_rows_are_measurements_not_claims():
    df = _rows("rb-prob", 0.3, [0.2, 0.05, 0.10], val=[0.2, 0.12, 0.03])
    assert claim_hindsight(df)[0]["holds"] == "not claimed"
