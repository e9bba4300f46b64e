"""Sweeps record the advisor's budget and the firm's test metrics there, checked against an
independent advisor call on the same view and a scikit-learn refit at that budget."""

from __future__ import annotations

import numpy as np

from fairflip._seeding import sub_seed
from fairflip.advisor import advise
from fairflip.collective._view import view_from_split
from fairflip.data import make_synthetic, split_problem
from fairflip.experiments import ResultStore, config_from_dict, run_sweep
from fairflip.experiments._cells import carve_validation
from fairflip.firm._train import train_firm
from fairflip.learning._flip import flip_labels
from fairflip.metrics import fairness_report
from fairflip.simulation._evaluate import rank_split

GRID = {"datasets": [{"name": "synthetic", "options": {"n_rows": 1500}}], "seeds": 1,
        "methods": ["rb-prob"], "alphas": [0.5], "budget_points": 4}


def test_collective_units_record_the_advised_budget_and_its_test_metrics(tmp_path):
    run_sweep(config_from_dict(GRID), tmp_path / "r.duckdb", backend="sequential", progress=False)
    with ResultStore(tmp_path / "r.duckdb") as store:
        df = store.frame()
    coll = df[df.family == "collective"]
    assert coll.advised_flips.nunique() == 1 and coll.advised_eqod.notna().all()
    assert df[df.family == "base"].advised_flips.isna().all()
    n = int(coll.advised_flips.iloc[0])
    assert 0 <= n <= int(coll.n_candidates.iloc[0])

    # The same view, advised on its own, gives the same budget.
    full = split_problem(make_synthetic(n_rows=1500), random_state=0)
    split, _ = carve_validation(full, 0, 0.5)
    r = rank_split(split, method="rb-prob", alpha=0.5, random_state=0)
    view = view_from_split(split, members=r.members, known=r.known, alpha=0.5,
                           group_share=float(split.g_train.mean()))
    again = advise(view, order=np.searchsorted(r.members, r.ranked),
                   random_state=sub_seed(0, "advise", 0.5, "rb-prob", "all", 0))
    assert again.recommended_budget == n
    # The stored test metrics are those of a scikit-learn refit at that budget.
    est = train_firm(split.X_train, flip_labels(split.y_train, r.ranked[:n]),
                     random_state=sub_seed(0, "model"))
    report = fairness_report(split.y_test, est.predict(split.X_test), split.g_test)
    assert np.isclose(coll.advised_eqod.iloc[0], report["eqod"], atol=1e-9)
    assert np.isclose(coll.advised_error.iloc[0], report["error"], atol=1e-9)


def test_advise_alphas_limits_the_advisor_and_refinement_units_do_not_advise(tmp_path):
    grid = {**GRID, "alphas": [0.3, 0.5], "advise_alphas": [0.5], "refine_points": 2}
    run_sweep(config_from_dict(grid), tmp_path / "r.duckdb", backend="sequential", progress=False)
    with ResultStore(tmp_path / "r.duckdb") as store:
        df = store.frame()
    coll = df[df.family == "collective"]
    at = {a: coll[np.isclose(coll.alpha, a)] for a in (0.3, 0.5)}
    assert at[0.3].advised_flips.isna().all()
    # The coarse rows at 0.5 hold the advice; the refinement rows added later do not.
    coarse = at[0.5][at[0.5].advised_flips.notna()]
    assert len(coarse) == 4 and coarse.advised_flips.nunique() == 1
    assert len(at[0.5]) > len(coarse)

    # With the advisor everywhere, the 0.5 units are the same units (same ids, same numbers).
    run_sweep(config_from_dict({k: v for k, v in grid.items() if k != "advise_alphas"}),
              tmp_path / "all.duckdb", backend="sequential", progress=False)
    with ResultStore(tmp_path / "all.duckdb") as store:
        everywhere = store.frame()
    both = everywhere[everywhere.family == "collective"]
    assert set(coarse.unit_id) <= set(both.unit_id)
    assert both[np.isclose(both.alpha, 0.3)].advised_flips.notna().any()
    assert not set(at[0.3].unit_id[at[0.3].advised_flips.isna()]) & set(
        both.unit_id[both.advised_flips.notna()])
