"""A sweep's fast path gives the numbers of plain scikit-learn refits on the same cells."""

import pandas as pd

from fairflip.data import load_dataset, split_problem
from fairflip.experiments import config_from_dict, expand_jobs, run_job
from fairflip.experiments._cells import carve_validation
from fairflip.metrics import fairness_report
from fairflip.simulation._evaluate import rank_split


def test_batched_sweep_rows_equal_sklearn_refits(sklearn_refit):
    config = config_from_dict({"datasets": ["compas"], "seeds": [2], "methods": ["rb-label"],
                               "alphas": [0.3], "budgets": [0, 20, 80, 100000]})
    job = expand_jobs(config)[0]
    frame = pd.concat([rows for _, rows, _ in run_job(job)], ignore_index=True)
    coll = frame[frame.family == "collective"].sort_values("budget")
    base = frame[frame.family == "base"].iloc[0]

    split, _ = carve_validation(split_problem(load_dataset("compas"), random_state=2), 2,
                                 config.firm_val_share)
    ranking = rank_split(split, method="rb-label", alpha=0.3, k=10, random_state=2)
    assert list(coll.n_flips) == [0, 20, 80, ranking.n_candidates]
    for row in coll.itertuples():
        pred = sklearn_refit(split, ranking.ranked, row.n_flips)
        want = fairness_report(split.y_test, pred, split.g_test)
        assert row.error == want["error"] and row.eqod == want["eqod"] and row.sp == want["sp"]
        if row.n_flips == 0:
            assert (row.error, row.eqod) == (base.error, base.eqod) == (row.base_error, row.base_eqod)
    assert coll.flip_precision.isna().all()  # real data: no counterfactuals
