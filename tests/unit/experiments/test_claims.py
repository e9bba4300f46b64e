"""The claims on crafted results frames whose verdicts are known by construction.

Every claim is shown to return each of holds / fails / inconclusive on data made for it;
seeds carry small deterministic noise so the paired t intervals are finite.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from fairflip.analysis import claims as C
from fairflip.analysis._select import select_points
from fairflip.analysis._verdict import Criterion, claim_row, measurement_row, paired_interval

SEEDS = range(6)
NOISE = np.array([-1, 1, -1, 1, -1, 1]) * 0.002  # per seed, mean 0


def curve(method, eqods, *, seed=0, alpha=0.3, knowledge="all", k=0, errors=None, val=None,
          val_errors=None, base=0.2, base_error=0.30, dataset="d", step=10):
    n = len(eqods)
    eqods = np.asarray(eqods, float)
    errors = np.full(n, base_error) if errors is None else np.asarray(errors, float)
    return pd.DataFrame({
        "dataset": dataset, "family": "collective", "method": method, "alpha": alpha,
        "knowledge": knowledge, "k": k, "seed": seed, "budget": np.arange(n) * step,
        "n_flips": np.arange(n) * step, "knob": np.nan, "eqod": eqods, "error": errors,
        "firm_val_eqod": eqods if val is None else val,
        "firm_val_error": errors if val_errors is None else val_errors,
        "base_eqod": base, "base_error": base_error,
    })


def firm(family, eqods, errors, *, seed=0, base=0.2, base_error=0.30, dataset="d"):
    n = len(eqods)
    return pd.DataFrame({
        "dataset": dataset, "family": family, "method": family, "alpha": np.nan,
        "knowledge": "all", "k": 0, "seed": seed, "budget": 0, "n_flips": 0,
        "knob": np.linspace(0, 1, n), "eqod": eqods, "error": errors, "firm_val_eqod": eqods,
        "firm_val_error": errors, "base_eqod": base, "base_error": base_error,
    })


def seeds(make):
    """Concatenate ``make(seed, noise)`` over the seeds."""
    return pd.concat([make(s, NOISE[s]) for s in SEEDS], ignore_index=True)


def verdicts(rows, **match):
    return [r["verdict"] for r in rows if r is not None
            and all(r[k] == v for k, v in match.items())]


# ------------------------------------------------------------------ the verdict machinery

@pytest.mark.parametrize("op, threshold, low, high, expected", [
    ("<", 0.0, -0.3, -0.1, "holds"), ("<", 0.0, 0.1, 0.3, "fails"), ("<", 0.0, -0.1, 0.1, "inconclusive"),
    ("<", 0.0, 0.0, 0.2, "fails"), ("<=", 0.0, -0.2, 0.0, "holds"), ("<=", 0.0, 0.0, 0.2, "inconclusive"),
    (">", 0.5, 0.6, 0.9, "holds"), (">", 0.5, 0.1, 0.5, "fails"), (">=", 0.5, 0.5, 0.9, "holds"),
    (">", 0.5, 0.4, 0.6, "inconclusive"),
    ("within", (-0.02, 0.02), -0.01, 0.01, "holds"), ("within", (-0.02, 0.02), 0.03, 0.05, "fails"),
    ("within", (-0.02, 0.02), 0.0, 0.05, "inconclusive"), ("<", 0.0, -np.inf, np.inf, "inconclusive"),
])
def test_criterion_decides_from_the_whole_interval(op, threshold, low, high, expected):
    assert Criterion("x", op, threshold).decide(low, high) == expected


def test_t_interval_matches_scipy():
    x = np.array([0.1, -0.05, 0.2, 0.07, 0.01, 0.12])
    mean, low, high, n = paired_interval(x)
    ref = stats.t.interval(0.95, x.size - 1, loc=x.mean(), scale=stats.sem(x))
    assert n == 6 and np.isclose(mean, x.mean()) and np.allclose((low, high), ref)


def test_bootstrap_interval_is_seeded_and_brackets_the_mean():
    x = np.array([0.1, -0.05, 0.2, 0.07, 0.01, 0.12, np.nan])
    a, b = paired_interval(x, interval="bootstrap"), paired_interval(x, interval="bootstrap")
    assert a == b and a[3] == 6 and a[1] < a[0] < a[2]


def test_no_finite_value_gives_no_row_and_one_seed_is_inconclusive():
    crit = Criterion("d", "<", 0.0)
    common = dict(dataset="d", method="m", paper_wording="w", criterion=crit)
    assert claim_row("c", per_seed=[np.nan, np.nan], **common) is None
    row = claim_row("c", per_seed=[-1.0], **common)
    assert row["verdict"] == "inconclusive" and row["n_seeds"] == 1


def test_measurement_rows_are_not_claims():
    row = measurement_row("size", dataset="d", method="m", per_seed=[1.0, 2.0, 3.0])
    assert row["kind"] == "measurement" and row["verdict"] == "not claimed"
    assert row["scope"] == "beyond the paper" and row["ci_low"] < 2.0 < row["ci_high"]
    assert measurement_row("size", dataset="d", method="m", value=float("nan")) is None


def test_registered_rows_reach_the_table(monkeypatch):
    from fairflip.analysis import _verdict

    monkeypatch.setattr(_verdict, "_REGISTRY", [])

    @C.register_rows
    def extra(df):
        return [measurement_row("beyond", dataset="d", method="m", value=len(df)), None]

    table = C.all_claims(seeds(lambda s, e: curve("rb-prob", [0.2, 0.1 + e])))
    row = table[table.claim == "beyond"].iloc[0]
    assert row.measured == 12 and row.verdict == "not claimed"


# ------------------------------------------------------------------ the selection rule

def test_selection_validation_per_seed_and_hindsight_common_point():
    df = pd.concat([curve("rb-prob", [0.2, 0.05, 0.10], val=[0.2, 0.12, 0.03], seed=0),
                    curve("rb-prob", [0.2, 0.06, 0.08], val=[0.2, 0.04, 0.09], seed=1)])
    val = select_points(df, selection="firm-validation").set_index("seed")
    assert val.budget.to_dict() == {0: 20, 1: 10}
    hind = select_points(df, selection="hindsight").set_index("seed")
    assert hind.budget.to_dict() == {0: 10, 1: 10}


def test_selection_error_cap_uses_the_base_model_on_both_sides():
    df = curve("rb-prob", [0.2, 0.05, 0.01], errors=[0.30, 0.305, 0.35])
    base_val = pd.Series({("d", 0): 0.30})
    capped = select_points(df, selection="firm-validation", max_error_rise=0.01,
                           base_val_error=base_val)
    assert capped.budget.tolist() == [10]
    assert select_points(df, selection="hindsight", max_error_rise=0.01).budget.tolist() == [10]


# ------------------------------------------------------------------ each claim, each verdict

def toy_frame(eqod_at_6):
    def make(s, e):
        n = np.arange(11)
        eq = np.where(n == 6, eqod_at_6(s) + e, 0.13)
        return pd.DataFrame({"dataset": "toy2d", "family": "collective", "method": "rb-prob",
                             "seed": s, "n_flips": n, "eqod": eq, "error": 0.15 + 0.0 * n,
                             "base_eqod": 0.13, "base_error": 0.15})
    return seeds(make)


@pytest.mark.parametrize("eqod_at_6, expected", [
    (lambda s: 0.02, "holds"), (lambda s: 0.10, "fails"),
    (lambda s: (0.0, 0.065)[s % 2], "inconclusive"),
])
def test_claim_toy(eqod_at_6, expected):
    rows = C.claim_toy(toy_frame(eqod_at_6))
    assert verdicts(rows, claim="toy: EqOd cut by 6 flips") == [expected]
    assert verdicts(rows, claim="toy: error rise at 6 flips") == ["holds"]


def size_frame(rb_at, random_at):
    """Best EqOd per alpha: rb_at(alpha, seed), random_at(alpha, seed)."""
    def make(s, e):
        parts = []
        for a in (0.1, 0.3, 0.4):
            parts.append(curve("rb-prob", [0.2, rb_at(a, s) + e], seed=s, alpha=a))
            parts.append(curve("random", [0.2, random_at(a, s) + e], seed=s, alpha=a))
        return pd.concat(parts)
    return seeds(make)


@pytest.mark.parametrize("rb_at, random_at, falls, saturates, worst", [
    (lambda a, s: {0.1: 0.15, 0.3: 0.05, 0.4: 0.045}[a], lambda a, s: 0.12, "holds", "holds", "holds"),
    (lambda a, s: {0.1: 0.05, 0.3: 0.15, 0.4: 0.02}[a], lambda a, s: 0.03, "fails", "fails", "fails"),
    (lambda a, s: {0.1: 0.10, 0.3: 0.10 + (-0.03, 0.03)[s % 2], 0.4: 0.1 + (-0.06, 0.06)[s % 2]}[a],
     lambda a, s: 0.1 + (-0.03, 0.03)[s % 2] * (a == 0.1),
     "inconclusive", "inconclusive", "inconclusive"),
])
def test_claim_collective_size(rb_at, random_at, falls, saturates, worst):
    rows = C.claim_collective_size(size_frame(rb_at, random_at), selections=("hindsight",))
    rb = dict(method="rb-prob")
    assert verdicts(rows, claim="collective size: best EqOd falls with alpha", **rb) == [falls]
    assert verdicts(rows, claim="collective size: saturates by alpha 0.3", **rb) == [saturates]
    assert verdicts(rows, claim="collective size: random is worst", **rb) == [worst]


@pytest.mark.parametrize("rb_curve, expected", [
    (lambda s: [0.2, 0.09, 0.08, 0.06], "holds"),
    (lambda s: [0.2, 0.19, 0.18, 0.05], "fails"),
    (lambda s: ([0.2, 0.09, 0.08, 0.06], [0.2, 0.19, 0.18, 0.05])[s % 2], "inconclusive"),
])
def test_claim_flips_counts_flips_to_a_share_of_the_base(rb_curve, expected):
    df = seeds(lambda s, e: pd.concat([curve("random", [0.2, 0.16, 0.09, 0.05], seed=s),
                                       curve("rb-prob", rb_curve(s), seed=s)]))
    rows = C.claim_flips(df, shares=(0.5,))
    assert verdicts(rows) == [expected]
    # random reaches 0.5 x 0.2 at 20 flips; rb-prob at the first budget with EqOd <= 0.1
    first = [10 * int(np.argmax(np.asarray(rb_curve(s)) <= 0.1)) for s in SEEDS]
    assert rows[0]["measured"] == pytest.approx(np.mean(first) - 20)


def test_flips_never_reached_is_censored_at_the_pool():
    df = seeds(lambda s, e: pd.concat([curve("random", [0.2, 0.18, 0.15], seed=s),
                                       curve("rb-prob", [0.2, 0.05, 0.04], seed=s)]))
    row = C.claim_flips(df, shares=(0.5,))[0]
    assert row["measured"] == pytest.approx(10 - 20) and "6 vs" not in row["detail"]
    assert "0 vs 6 seeds" in row["detail"]


@pytest.mark.parametrize("limited, expected", [
    (lambda s: 0.055, "holds"), (lambda s: 0.12, "fails"),
    (lambda s: 0.05 + (-0.03, 0.04)[s % 2], "inconclusive"),
])
def test_claim_knowledge_is_an_equivalence_test(limited, expected):
    df = seeds(lambda s, e: pd.concat([
        curve("rb-label", [0.2, 0.05 + e], seed=s, k=3),
        curve("rb-label", [0.2, limited(s) + e], seed=s, k=3, knowledge="10")]))
    rows = C.claim_knowledge(df, selections=("hindsight",))
    assert verdicts(rows) == [expected] and rows[0]["method"] == "rb-label (k=3)"


@pytest.mark.parametrize("rise, expected", [
    (lambda s: 0.002, "holds"), (lambda s: 0.04, "fails"),
    (lambda s: (0.0, 0.03)[s % 2], "inconclusive"),
])
def test_claim_error_cost(rise, expected):
    df = seeds(lambda s, e: curve("rb-prob", [0.2, 0.05 + e, 0.1], seed=s,
                                  errors=[0.30, 0.30 + rise(s) + e / 4, 0.30]))
    rows = C.claim_error_cost(df)
    assert verdicts(rows, selection="hindsight") == [expected]
    assert verdicts(rows, selection="firm-validation") == [expected]


def firm_frame(ca_low, firm_low, firm_best_error):
    """Collective action's capped best EqOd ``ca_low``; the firm method's capped best
    ``firm_low`` and its unconstrained best at error ``firm_best_error``."""
    def make(s, e):
        base = pd.DataFrame({"dataset": "d", "family": "base", "method": "base", "seed": [s],
                             "n_flips": 0, "firm_val_error": 0.30, "eqod": 0.2, "error": 0.30,
                             "base_eqod": 0.2, "base_error": 0.30, "knob": np.nan,
                             "budget": 0, "alpha": np.nan, "knowledge": "all", "k": 0})
        return pd.concat([
            base, curve("rb-prob", [0.2, ca_low(s) + e, 0.03], seed=s, errors=[0.30, 0.305, 0.33]),
            firm("massaging", [0.2, firm_low(s) + e, 0.01], [0.30, 0.305, firm_best_error(s)],
                 seed=s)])
    return seeds(make)


@pytest.mark.parametrize("ca_low, firm_low, firm_err, beats, costs", [
    (lambda s: 0.05, lambda s: 0.10, lambda s: 0.40, "holds", "holds"),
    (lambda s: 0.10, lambda s: 0.05, lambda s: 0.31, "fails", "fails"),
    (lambda s: 0.07 + (-0.03, 0.03)[s % 2], lambda s: 0.07, lambda s: (0.315, 0.36)[s % 2],
     "inconclusive", "inconclusive"),
])
def test_claim_firm_side_same_rule_both_sides(ca_low, firm_low, firm_err, beats, costs):
    df = firm_frame(ca_low, firm_low, firm_err)
    for selection in ("firm-validation", "hindsight"):
        rows = [r for r in C.claim_firm_side(df) if r["selection"] == selection]
        assert verdicts(rows, claim="pareto: collective action beats the firm-side method at "
                        "low error") == [beats]
        assert verdicts(rows, claim="pareto: the firm-side method's best EqOd costs more "
                        "error") == [costs]


def test_all_claims_never_gives_a_verdict_without_a_finite_value():
    df = pd.concat([firm_frame(lambda s: 0.05, lambda s: 0.10, lambda s: 0.40),
                    toy_frame(lambda s: 0.02),
                    size_frame(lambda a, s: 0.1, lambda a, s: 0.12)], ignore_index=True)
    table = C.all_claims(df)
    claims = table[table.kind == "claim"]
    assert len(claims) > 10 and set(claims.verdict) <= {"holds", "fails", "inconclusive"}
    assert np.isfinite(claims.measured.astype(float)).all()
    assert (table[table.kind == "measurement"].verdict == "not claimed").all()
    counts = C.headline(table)
    assert list(counts.columns) == ["holds", "fails", "inconclusive"]
    assert counts.to_numpy().sum() == len(claims)


def test_claims_use_each_scorers_main_k_not_the_ablation_arm():
    # The knowledge ablation adds rb-label at k = 3 (knowledge 'all') beside the main sweep's
    # k = 10: a claim must count each seed once and not blend the two curves.
    df = seeds(lambda s, e: pd.concat([
        curve("rb-label", [0.2, 0.05 + e, 0.1, 0.1], seed=s, k=10,
              errors=[0.30, 0.302, 0.30, 0.30]),
        curve("rb-label", [0.2, 0.15, 0.01], seed=s, k=3, errors=[0.30, 0.30, 0.35])]))
    rows = C.claim_error_cost(df)
    assert {r["n_seeds"] for r in rows} == {len(SEEDS)}
    assert all(r["measured"] == pytest.approx(0.002) for r in rows)
