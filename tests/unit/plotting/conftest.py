"""A small synthetic results table shaped like the DuckDB ``results`` table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

SEEDS = (0, 1)
ALPHAS = (0.1, 0.3)
BUDGETS = (0, 5, 10, 20)
SCORERS = ("rb-prob", "random")
FIRM = ("expgrad", "threshold")
KNOBS = (0.0, 0.5, 1.0)
BASE = {"error": 0.30, "eqod": 0.20, "sp": 0.25}


def _row(rng, seed, **cell):
    return {
        "dataset": "toyset", "sensitive": "race", "model": "logreg", "seed": seed,
        "knob": np.nan, "alpha": np.nan, "knowledge": "all", "k": np.nan, "budget": 0,
        **{f"base_{m}": v + 0.01 * seed for m, v in BASE.items()},
        **cell,
    } | {m: cell[m] + rng.normal(0, 0.005) for m in ("error", "eqod", "sp")}


def make_results(seed: int = 0) -> pd.DataFrame:
    """2 seeds x 2 alphas x 4 budgets x 2 scorers x 2 knowledge levels, 2 firm families."""
    rng = np.random.default_rng(seed)
    rows = []
    for s in SEEDS:
        for alpha in ALPHAS:
            for scorer in SCORERS:
                gain = 0.004 if scorer == "random" else 0.008
                for knowledge in ("all", "10"):
                    for budget in BUDGETS:
                        drop = min(0.15, gain * budget * alpha / 0.3)
                        drop *= 0.8 if knowledge == "10" else 1.0
                        rows.append(_row(
                            rng, s, family="collective", method=scorer, alpha=alpha,
                            knowledge=knowledge, k=5.0 if scorer != "random" else np.nan,
                            budget=budget, error=0.30 + 0.002 * budget,
                            eqod=0.20 - drop, sp=0.25 - drop))
        for family in FIRM:
            for knob in KNOBS:
                rows.append(_row(rng, s, family=family, method=family, knob=knob,
                                 knowledge=None, error=0.30 + 0.08 * knob,
                                 eqod=0.20 * (1 - knob), sp=0.25 * (1 - knob)))
    return pd.DataFrame(rows)


@pytest.fixture
def results() -> pd.DataFrame:
    return make_results()
