"""One row scorer for every unit family: audited and firm-side rows of a multi-group problem
carry the multi-group gaps too (they stored NULL before the families shared it)."""

from __future__ import annotations

import numpy as np
import pytest

from fairflip.experiments import ResultStore, config_from_dict, run_sweep
from fairflip.metrics import MULTIGROUP_COLUMNS

COLUMNS = ("eqod_multi", "eqod_multi_large", "worst_gap", "min_group_size")
# eqod_multi_large is NaN by definition when no group has 20 positive and 20 negative test
# rows (German's 300 test rows); the others are defined for every multi-group firm.
DEFINED = ("eqod_multi", "worst_gap", "min_group_size")


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    # German credit by age band x sex: four groups, young women acting; 1,000 rows.
    config = config_from_dict({
        "datasets": [{"name": "german", "sensitive": "age,sex"}], "seeds": [0],
        "methods": ["random"], "alphas": [0.5], "budget_points": 2,
        "audits": ["none", "loss"], "firm_methods": ["massaging"]})
    path = tmp_path_factory.mktemp("rows") / "r.duckdb"
    run_sweep(config, path, backend="sequential", progress=False)
    with ResultStore(path) as store:
        return store.frame()


@pytest.mark.parametrize("family", ["base", "collective", "audited", "massaging"])
def test_every_family_stores_the_multigroup_gaps(rows, family):
    assert set(COLUMNS) <= set(MULTIGROUP_COLUMNS)
    part = rows[rows.family == family]
    assert len(part)
    for column in DEFINED:
        assert part[column].notna().all(), (family, column)
    assert part.eqod_multi.between(0, 1).all()


def test_an_unconstrained_firm_side_row_scores_as_the_base_model(rows):
    """Massaging at knob 0 changes no label: its firm is the base model, scored the same way."""
    base = rows[rows.family == "base"].iloc[0]
    zero = rows[(rows.family == "massaging") & (rows.knob == 0)].iloc[0]
    for column in ("eqod", "error", *DEFINED):
        assert zero[column] == pytest.approx(base[column], abs=1e-12), column
    assert np.isclose(zero.firm_val_eqod, base.firm_val_eqod)
