"""The claims on crafted results frames whose verdicts are known by construction.

Every claim is shown to return each of holds / fails / inconclusive (and undecidable where a
control applies) on data made for it; seeds carry small deterministic noise so the paired t
intervals are finite.
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
    assert {r["scope"] for r in rows} == {"other data"}  # our Gaussian toy, not the paper's


def test_the_papers_toy_is_paper_scope_and_quotes_figure_1():
    fig1 = toy_frame(lambda s: 0.02).assign(dataset="figure1")
    rand = fig1.assign(method="random")
    rows = C.claim_toy(pd.concat([fig1, rand]))
    by = {(r["method"], r["claim"]): r for r in rows}
    assert by[("rb-prob", "toy: EqOd cut by 6 flips")]["scope"] == "paper"
    assert by[("random", "toy: EqOd cut by 6 flips")]["scope"] == "beyond the paper"
    assert all(r["source"].startswith("Figure 1") for r in rows)


def size_frame(rb_at, random_at, *, dataset="d", oracle_at=None):
    """Best EqOd per alpha: rb_at(alpha, seed), random_at(alpha, seed), oracle_at(...)."""
    def make(s, e):
        parts = []
        for a in (0.1, 0.3, 0.4):
            parts.append(curve("rb-prob", [0.2, rb_at(a, s) + e], seed=s, alpha=a, dataset=dataset))
            parts.append(curve("random", [0.2, random_at(a, s) + e], seed=s, alpha=a,
                               dataset=dataset))
            if oracle_at is not None:
                parts.append(curve("oracle", [0.2, oracle_at(a, s) + e], seed=s, alpha=a,
                                   dataset=dataset))
        return pd.concat(parts)
    return seeds(make)


WORST = "collective size: random is worst (beyond the paper)"


@pytest.mark.parametrize("rb_at, random_at, falls, saturates, worst", [
    (lambda a, s: {0.1: 0.15, 0.3: 0.05, 0.4: 0.045}[a], lambda a, s: 0.12, "holds", "holds", "holds"),
    (lambda a, s: {0.1: 0.05, 0.3: 0.15, 0.4: 0.02}[a], lambda a, s: 0.03, "fails", "fails", "fails"),
    (lambda a, s: {0.1: 0.10, 0.3: 0.10 + (-0.03, 0.03)[s % 2], 0.4: 0.1 + (-0.06, 0.06)[s % 2]}[a],
     lambda a, s: 0.1 + (-0.03, 0.03)[s % 2] * (a == 0.1),
     "inconclusive", "inconclusive", "inconclusive"),
])
def test_claim_collective_size(rb_at, random_at, falls, saturates, worst):
    rows = C.claim_collective_size(size_frame(rb_at, random_at, dataset="compas"),
                                   selections=("hindsight",))
    rb = dict(method="rb-prob")
    assert verdicts(rows, claim="collective size: best EqOd falls with alpha", **rb) == [falls]
    assert verdicts(rows, claim="collective size: saturates by alpha 0.3", **rb) == [saturates]
    assert verdicts(rows, claim=WORST, **rb) == [worst]
    scopes = {(r["method"], r["claim"]): r["scope"] for r in rows}
    assert scopes[("rb-prob", "collective size: best EqOd falls with alpha")] == "paper"
    assert scopes[("rb-prob", WORST)] == "beyond the paper"
    assert scopes[("random", "collective size: best EqOd falls with alpha")] == "beyond the paper"


@pytest.mark.parametrize("oracle_at, expected", [
    (lambda a, s: 0.02, "holds"),   # the positive control holds: the test can tell orderings
    (lambda a, s: 0.12, "undecidable"),  # even the oracle does not beat random
])
def test_random_is_worst_is_undecidable_when_the_oracle_control_fails(oracle_at, expected):
    df = size_frame(lambda a, s: {0.1: 0.15, 0.3: 0.05, 0.4: 0.045}[a], lambda a, s: 0.12,
                    dataset="synthetic", oracle_at=oracle_at)
    rows = C.claim_collective_size(df, selections=("hindsight",))
    assert verdicts(rows, claim=WORST, method="rb-prob") == [expected]
    assert {r["scope"] for r in rows if r["dataset"] == "synthetic" and r["method"] == "rb-prob"
            and r["claim"] != WORST} == {"other data"}


def _interpolated(path, target, step=10):
    """Independent reference: the first crossing of ``target``, linear between budgets."""
    for i in range(1, len(path)):
        if path[i] <= target < path[i - 1]:
            return step * (i - 1) + step * (path[i - 1] - target) / (path[i - 1] - path[i])
    return step * (len(path) - 1)


@pytest.mark.parametrize("rb_curve, expected", [
    (lambda s: [0.2, 0.09, 0.08, 0.06], "holds"),
    (lambda s: [0.2, 0.19, 0.18, 0.05], "fails"),
    (lambda s: ([0.2, 0.09, 0.08, 0.06], [0.2, 0.19, 0.18, 0.05])[s % 2], "inconclusive"),
])
def test_claim_flips_interpolates_between_budgets(rb_curve, expected):
    random = [0.2, 0.16, 0.09, 0.05]
    df = seeds(lambda s, e: pd.concat([curve("random", random, seed=s, dataset="adult"),
                                       curve("rb-prob", rb_curve(s), seed=s, dataset="adult")]))
    rows = C.claim_flips(df, shares=(0.5,))
    assert verdicts(rows) == [expected] and rows[0]["scope"] == "paper"
    ref = [_interpolated(rb_curve(s), 0.1) - _interpolated(random, 0.1) for s in SEEDS]
    assert rows[0]["measured"] == pytest.approx(np.mean(ref))
    assert rows[0]["p_value"] < 0.025 if expected == "holds" else rows[0]["p_value"] > 0.025


def test_flips_at_the_same_count_are_a_tie_not_a_failure():
    df = seeds(lambda s, e: pd.concat([curve("random", [0.2, 0.16, 0.09], seed=s),
                                       curve("rb-prob", [0.2, 0.16, 0.09], seed=s)]))
    row = C.claim_flips(df, shares=(0.5,))[0]
    assert row["measured"] == 0 and row["verdict"] == "inconclusive"


def test_flips_never_reached_is_censored_at_the_pool():
    df = seeds(lambda s, e: pd.concat([curve("random", [0.2, 0.18, 0.15], seed=s),
                                       curve("rb-prob", [0.2, 0.05, 0.04], seed=s)]))
    row = C.claim_flips(df, shares=(0.5,))[0]
    assert row["measured"] == pytest.approx(_interpolated([0.2, 0.05, 0.04], 0.1) - 20)
    assert "0 vs 6 seeds" in row["detail"]


# ------------------------------------------------------------------ knowledge on fronts

def front_curve(method, shift, *, seed, knowledge="all", k=3, dataset="compas"):
    """A front from (0.33, 0.21) down to (0.36, 0.06 + shift): EqOd falls as error rises."""
    errors = np.array([0.33, 0.34, 0.35, 0.36])
    eqods = np.array([0.21, 0.12 + shift, 0.08 + shift, 0.06 + shift])
    return curve(method, eqods, seed=seed, knowledge=knowledge, k=k, errors=errors,
                 base=0.21, base_error=0.33, dataset=dataset)


def knowledge_frame(limited, random):
    def make(s, e):
        return pd.concat([front_curve("rb-label", e, seed=s),
                          front_curve("rb-label", limited(s) + e, seed=s, knowledge="10"),
                          front_curve("random", random(s) + e, seed=s, k=0)])
    return seeds(make)


KNOW = "knowledge: 10 known majority rows, small effect on the front"


@pytest.mark.parametrize("limited, random, expected", [
    (lambda s: 0.002, lambda s: 0.08, "holds"),        # control fails the test: it can tell
    (lambda s: 0.06, lambda s: 0.08, "fails"),
    (lambda s: (-0.02, 0.04)[s % 2], lambda s: 0.08, "inconclusive"),
    (lambda s: 0.002, lambda s: 0.003, "undecidable"),  # random order passes the test too
])
def test_claim_knowledge_on_fronts_with_a_negative_control(limited, random, expected):
    rows = C.claim_knowledge(knowledge_frame(limited, random))
    claim = [r for r in rows if r["claim"] == KNOW]
    assert [r["verdict"] for r in claim] == [expected] and claim[0]["method"] == "rb-label (k=3)"
    assert claim[0]["scope"] == "paper" and claim[0]["source"].startswith("Figure 5")
    # The margin is 20 % of the achievable gain: base 0.21 - best 0.06 = 0.15 -> 0.03.
    assert claim[0]["criterion"].endswith("within [-0.03, 0.03]")
    control = [r for r in rows if r["claim"].startswith("knowledge: negative control")]
    assert len(control) == 1 and control[0]["scope"] == "beyond the paper"
    assert "negative control" in claim[0]["detail"]


def test_front_gap_matches_a_hand_computed_reference():
    df = knowledge_frame(lambda s: 0.01, lambda s: 0.08)
    row = [r for r in C.claim_knowledge(df) if r["claim"] == KNOW][0]
    # The 10-row front is the full front shifted by 0.01 on (0.34 .. 0.36] and equal at 0.33:
    # the mean over the common range [0.33, 0.36] of the gap, linear on [0.33, 0.34].
    xs = np.linspace(0.33, 0.36, 2001)
    gap = np.interp(xs, [0.33, 0.34, 0.36], [0.0, 0.01, 0.01])
    assert row["measured"] == pytest.approx(gap.mean(), abs=2e-4)


# ------------------------------------------------------------------ error cost at matched EqOd

ERR = "error cost: error rise at matched EqOd"


@pytest.mark.parametrize("err_at, expected", [
    (lambda s: 0.335, "holds"), (lambda s: 0.37, "fails"),
    (lambda s: (0.33, 0.365)[s % 2], "inconclusive"),
])
def test_claim_error_cost_at_the_papers_end_eqod(err_at, expected):
    # COMPAS: the poster's end EqOd is 0.065, its rise 0.34 - 0.33 = 0.01 -> threshold 0.02.
    def make(s, e):
        return curve("rb-prob", [0.21, 0.10, 0.03], seed=s, dataset="compas", base=0.21,
                     base_error=0.33, errors=[0.33, 0.33 + e, 2 * err_at(s) - 0.33 - e])
    rows = C.claim_error_cost(seeds(make))
    row = [r for r in rows if r["claim"] == ERR and r["selection"] == "hindsight"][0]
    assert row["verdict"] == expected and row["scope"] == "paper"
    assert row["criterion"].endswith("<= 0.02") and "target reached in every seed" in row["detail"]
    # 0.065 is halfway between 0.10 and 0.03: the error there is the mean of the two budgets'.
    ref = [(0.33 + NOISE[s] + 2 * err_at(s) - 0.33 - NOISE[s]) / 2 - 0.33 for s in SEEDS]
    assert row["measured"] == pytest.approx(np.mean(ref))
    kinds = {r["claim"]: r["kind"] for r in rows}
    assert kinds["error cost: error rise at the best-EqOd budget"] == "measurement"
    assert kinds["error cost: EqOd under an error cap of base + 0.01"] == "measurement"


def test_error_cost_says_when_the_target_is_not_reached():
    df = seeds(lambda s, e: curve("rb-prob", [0.21, 0.15, 0.10 + e], seed=s, dataset="compas",
                                  base=0.21, base_error=0.33, errors=[0.33, 0.333, 0.336]))
    row = [r for r in C.claim_error_cost(df) if r["claim"] == ERR and r["selection"] == "hindsight"][0]
    assert "target not reached in 6 of 6 seeds" in row["detail"]
    assert row["measured"] == pytest.approx(0.006)  # the rise at its lowest EqOd


def test_error_cap_measurement_interpolates_on_the_front():
    df = seeds(lambda s, e: curve("rb-prob", [0.21, 0.10, 0.02], seed=s, dataset="compas",
                                  base=0.21, base_error=0.33, errors=[0.33, 0.335, 0.345]))
    row = [r for r in C.claim_error_cost(df) if r["claim"].startswith("error cost: EqOd under")
           and r["selection"] == "hindsight"][0]
    # error cap 0.34: halfway between 0.335 and 0.345 -> EqOd (0.10 + 0.02) / 2
    assert row["measured"] == pytest.approx(0.06)


# ------------------------------------------------------------------ firm-side, on fronts

def firm_frame(firm_eqods, firm_errors, *, family="fare", dataset="compas"):
    """Collective rb-prob front (0.33, 0.21) -> (0.335, 0.10) -> (0.35, 0.05); a firm-side
    method's knobs at ``firm_eqods(s)``, ``firm_errors(s)``."""
    def make(s, e):
        coll = curve("rb-prob", [0.21, 0.10 + e, 0.05 + e], seed=s, dataset=dataset, base=0.21,
                     base_error=0.33, errors=[0.33, 0.335, 0.35])
        return pd.concat([coll, firm(family, np.asarray(firm_eqods(s)) + e, firm_errors(s),
                                     seed=s, base=0.21, base_error=0.33, dataset=dataset)])
    return seeds(make)


LOW = "pareto: at matched error, collective action has the lower EqOd"
MATCH = "pareto: at matched EqOd, collective action adds less error"
PERFECT = "pareto: the firm-side method reaches a lower EqOd"


@pytest.mark.parametrize("eqods, errors, low, match, perfect", [
    # the paper's picture: the firm reaches 0 but only at high error
    (lambda s: [0.15, 0.01], lambda s: [0.34, 0.45], "holds", "holds", "holds"),
    # a firm-side method better everywhere: lower EqOd at lower error
    (lambda s: [0.05, 0.01], lambda s: [0.331, 0.335], "fails", "fails", "holds"),
    (lambda s: ([0.15, 0.01], [0.05, 0.01])[s % 2], lambda s: ([0.34, 0.45], [0.331, 0.335])[s % 2],
     "inconclusive", "inconclusive", "holds"),
    # a firm-side method that cannot get below the collective
    (lambda s: [0.15, 0.10], lambda s: [0.34, 0.45], "holds", "holds", "fails"),
])
def test_claim_firm_side_on_fronts(eqods, errors, low, match, perfect):
    rows = C.claim_firm_side(firm_frame(eqods, errors))
    for selection in ("firm-validation", "hindsight"):
        sel = [r for r in rows if r["selection"] == selection]
        assert verdicts(sel, claim=LOW) == [low]
        assert verdicts(sel, claim=MATCH) == [match]
        assert verdicts(sel, claim=PERFECT) == [perfect]
    claim = [r for r in rows if r["kind"] == "claim"]
    assert {r["scope"] for r in claim} == {"paper"} and {r["method"] for r in claim} == {
        "rb-prob vs fare"}
    assert all("menus: rb-prob 3 points per seed, fare 3" in r["detail"] for r in claim)
    assert any(r["kind"] == "measurement" and "dominates" in r["claim"] for r in rows)


def test_firm_side_matched_error_reads_the_interpolated_fronts():
    rows = C.claim_firm_side(firm_frame(lambda s: [0.15, 0.01], lambda s: [0.34, 0.45]))
    row = [r for r in rows if r["claim"] == LOW and r["selection"] == "hindsight"][0]
    # cap 0.34: collective between (0.335, 0.10) and (0.35, 0.05) -> 0.10 - 0.05 / 3;
    # firm exactly at its knob (0.34, 0.15)
    assert row["measured"] == pytest.approx((0.10 - 0.05 / 3) - 0.15)


def test_other_firm_side_methods_are_beyond_the_paper():
    rows = C.claim_firm_side(firm_frame(lambda s: [0.15, 0.01], lambda s: [0.34, 0.45],
                                        family="massaging"))
    assert {r["scope"] for r in rows if r["kind"] == "claim"} == {"beyond the paper"}


@pytest.mark.parametrize("family", ["calibrated_eo", "calibrated_eo_fnr", "calibrated_eo_fpr",
                                    "calibrated_eo_weighted"])
def test_calibrated_eo_under_every_cost_constraint_is_the_papers_comparison(family):
    rows = C.claim_firm_side(firm_frame(lambda s: [0.15, 0.01], lambda s: [0.34, 0.45],
                                        family=family))
    assert {r["scope"] for r in rows if r["kind"] == "claim"} == {"paper"}


# ------------------------------------------------------------------ multiplicity, headline

def test_holm_matches_the_step_down_rule():
    p = np.array([0.001, 0.04, 0.012, 0.2, 0.03])
    table = pd.DataFrame({"kind": "claim", "scope": "paper", "selection": "hindsight",
                          "p_value": p})
    got = C.holm(table).p_holm.to_numpy()
    # Reference: sorted p_(i) times (m - i), running maximum, capped at 1 (Holm 1979).
    order = np.argsort(p)
    ref = np.empty(5)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, (5 - rank) * p[i])
        ref[i] = min(running, 1.0)
    assert np.allclose(got, ref)
    other = table.assign(scope="other data")
    assert C.holm(other).p_holm.isna().all()  # only paper-scope claims are in the family


def test_p_values_are_one_sided_and_tost_for_equivalence():
    x = np.array([0.01, -0.005, 0.004, 0.002, -0.001])
    within = Criterion("d", "within", (-0.02, 0.02)).p_value(x)
    lo = stats.ttest_1samp(x, -0.02, alternative="greater").pvalue
    hi = stats.ttest_1samp(x, 0.02, alternative="less").pvalue
    assert within == pytest.approx(max(lo, hi))
    assert Criterion("d", "<", 0.0).p_value(x) == pytest.approx(
        stats.ttest_1samp(x, 0.0, alternative="less").pvalue)


def test_all_claims_never_gives_a_verdict_without_a_finite_value():
    df = pd.concat([firm_frame(lambda s: [0.15, 0.01], lambda s: [0.34, 0.45]),
                    toy_frame(lambda s: 0.02),
                    size_frame(lambda a, s: 0.1, lambda a, s: 0.12)], ignore_index=True)
    table = C.all_claims(df)
    claims = table[table.kind == "claim"]
    assert len(claims) > 10 and set(claims.verdict) <= set(C.VERDICTS)
    assert np.isfinite(claims.measured.astype(float)).all()
    assert (table[table.kind == "measurement"].verdict == "not claimed").all()
    assert table.source[table.kind == "claim"].str.len().gt(0).all()
    assert set(table.scope) <= set(C.SCOPES)
    # No paper-scope row on data the paper does not use.
    assert set(table.dataset[table.scope == "paper"]) <= {"compas", "adult", "hsls",
                                                          "acs-income", "waterbirds", "figure1"}
    counts = C.headline(table)
    assert list(counts.columns) == ["holds", "fails", "inconclusive", "undecidable"]
    assert counts.to_numpy().sum() == len(claims)
    assert counts.index[0][0] == "paper"  # the paper's scope first
    summary = C.holm_summary(table)
    assert (summary.holds_after_holm <= summary.holds).all()


def test_claims_use_each_scorers_main_k_not_the_ablation_arm():
    # The knowledge ablation adds rb-label at k = 3 (knowledge 'all') beside the main sweep's
    # k = 10: a claim must count each seed once and not blend the two curves.
    df = seeds(lambda s, e: pd.concat([
        curve("rb-label", [0.2, 0.05 + e, 0.1, 0.1], seed=s, k=10,
              errors=[0.30, 0.302, 0.30, 0.30]),
        curve("rb-label", [0.2, 0.15, 0.01], seed=s, k=3, errors=[0.30, 0.30, 0.35])]))
    rows = [r for r in C.claim_error_cost(df) if r["claim"].endswith("best-EqOd budget")]
    assert {r["n_seeds"] for r in rows} == {len(SEEDS)}
    assert all(r["measured"] == pytest.approx(0.002) for r in rows)


def test_a_users_table_is_never_paper_scope_whatever_its_name():
    df = seeds(lambda s, e: pd.concat([curve("random", [0.2, 0.16, 0.09], seed=s, dataset="compas"),
                                       curve("rb-prob", [0.2, 0.09, 0.05], seed=s, dataset="compas")]))
    assert "paper" in set(C.all_claims(df).scope)
    table = C.all_claims(df, user_datasets={"compas"})
    assert "paper" not in set(table.scope) and "other data" in set(table.scope)
