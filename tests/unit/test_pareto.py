"""Pareto fronts against a brute-force check; summaries and flip efficiency by hand."""

import numpy as np
import pandas as pd
import pytest

from fairflip.analysis._fronts import flip_efficiency, pareto_front, summarize_front
from fairflip.exceptions import ConfigError


def _brute_force(xs, ys):
    n = len(xs)
    mask = np.zeros(n, dtype=bool)
    for i in range(n):
        if not (np.isfinite(xs[i]) and np.isfinite(ys[i])):
            continue
        dominated = False
        for j in range(n):
            if j == i or not (np.isfinite(xs[j]) and np.isfinite(ys[j])):
                continue
            weakly = xs[j] <= xs[i] and ys[j] <= ys[i]
            strictly = xs[j] < xs[i] or ys[j] < ys[i]
            earlier_twin = xs[j] == xs[i] and ys[j] == ys[i] and j < i
            if (weakly and strictly) or earlier_twin:
                dominated = True
                break
        mask[i] = not dominated
    return mask


@pytest.mark.parametrize("seed", range(5))
def test_pareto_front_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    # Values on a coarse grid so that ties and duplicates occur; a few NaNs.
    xs = rng.integers(0, 8, 60).astype(float) / 10
    ys = rng.integers(0, 8, 60).astype(float) / 10
    xs[rng.choice(60, 3, replace=False)] = np.nan
    df = pd.DataFrame({"error": xs, "eqod": ys})
    np.testing.assert_array_equal(pareto_front(df), _brute_force(xs, ys))


def test_pareto_front_other_columns_and_missing_column():
    df = pd.DataFrame({"error": [0.2, 0.1], "sp": [0.1, 0.2]})
    assert pareto_front(df, y="sp").tolist() == [True, True]
    with pytest.raises(ConfigError, match="'df'"):
        pareto_front(df)


def test_summarize_front_means_spreads_and_front():
    df = pd.DataFrame({
        "method": ["a"] * 4 + ["b"] * 4,
        "knob": [0, 0, 1, 1] * 2,
        "seed": [0, 1] * 4,
        "error": [0.10, 0.12, 0.20, 0.22, 0.30, 0.30, 0.05, 0.07],
        "eqod": [0.30, 0.32, 0.10, 0.12, 0.01, 0.03, 0.50, 0.50],
    })
    out = summarize_front(df, by=["method", "knob"], within=["method"])
    a1 = out[(out.method == "a") & (out.knob == 1)].iloc[0]
    assert a1["error_mean"] == pytest.approx(0.21)
    assert a1["error_std"] == pytest.approx(np.std([0.20, 0.22], ddof=1))
    assert a1["n_runs"] == 2
    assert out["on_front"].all()  # within each method both points are non-dominated
    joint = summarize_front(df, by=["method", "knob"])
    # Over all points, a/knob 1 (0.21, 0.11) is not dominated; none dominates b/knob 1 either.
    front = joint[joint.on_front][["method", "knob"]].values.tolist()
    assert front == [["b", 1], ["a", 0], ["a", 1], ["b", 0]]


def test_flip_efficiency_fewest_changes_and_unreachable():
    coll = pd.DataFrame({"seed": [0, 0, 0, 1, 1], "n_flips": [0, 4, 8, 0, 6],
                         "eqod": [0.3, 0.1, 0.04, 0.2, 0.12]})
    mass = pd.DataFrame({"seed": [0, 0, 1, 1], "n_label_changes": [0, 30, 0, 40],
                         "eqod": [0.3, 0.08, 0.2, 0.15]})
    out = flip_efficiency(coll, mass, targets=[0.1, 0.05], by=["seed"])
    got = {(r.seed, r.target): (r.collective_flips, r.massaging_changes)
           for r in out.itertuples()}
    assert got[(0, 0.1)] == (4.0, 30.0)
    assert got[(0, 0.05)][0] == 8.0 and np.isnan(got[(0, 0.05)][1])
    assert np.isnan(got[(1, 0.1)][0]) and np.isnan(got[(1, 0.1)][1])
