"""Rows beyond the paper for methods that are not the paper's: a user's scorer against each
RB method and random, and each RB method (and random) against the ``influence`` reference.

Both compare, per seed and paired, at the paper's working alpha (0.3), with every method at
its main k and knowing all majority rows:

- *flips to a target*: the flips at which a seed's test-EqOd curve first reaches ``share``
  x the base EqOd (shares 0.75 and 0.5), **linearly interpolated** between the last budget
  above the target and the first at or below it; a seed that never gets there is censored
  at its whole pool (counted in the detail);
- *best EqOd*: the test EqOd at the operating point :func:`select_points` chooses
  (firm-validation and hindsight).

A user's method gets *claim* rows, criteria fixed here before any result: it needs fewer
flips than the other method (difference < 0) and reaches a lower best EqOd (difference
< 0), each decided on a paired t interval. The influence reference gets *measurement* rows
(the RB methods are not claimed to beat or match it). Scope: ``beyond the paper``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._names import RB_SCORERS
from ._select import SELECTIONS, base_validation_error, main_k, select_points
from ._verdict import Criterion, claim_row, measurement_row, register_rows

__all__ = ["COMPARE_ALPHA", "FLIP_TARGETS", "PAPER_METHODS", "REFERENCE", "flips_to_target",
           "method_rows", "reference_rows"]

BEYOND = "beyond the paper"
COMPARE_ALPHA = 0.3
FLIP_TARGETS = (0.75, 0.5)
REFERENCE = "influence"
#: Methods of the paper (and its oracle): every other collective method is a user's.
PAPER_METHODS = (*RB_SCORERS, "random", "oracle")
_OTHERS = (*RB_SCORERS, "random")


def _nanmean_by(inv, values):
    """Mean of ``values`` per code in ``inv``, NaN skipped (as pandas' groupby mean)."""
    ok = ~np.isnan(values)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (np.bincount(inv, weights=np.where(ok, values, 0.0))
                / np.bincount(inv, weights=ok.astype(float)))


def flips_to_target(rows: pd.DataFrame, share: float) -> pd.DataFrame:
    """Per seed: interpolated flips at which test EqOd first reaches ``share`` x base EqOd.

    Columns ``flips`` and ``censored`` (never reached: the seed's largest flip count),
    indexed by seed.

    Examples
    --------
    >>> rows = pd.DataFrame({"seed": 0, "n_flips": [0, 10, 20], "eqod": [0.2, 0.16, 0.08],
    ...                      "base_eqod": 0.2})
    >>> flips_to_target(rows, 0.5).loc[0].to_dict()
    {'flips': 17.5, 'censored': False}
    """
    out = []
    seeds = rows["seed"].to_numpy()
    counts = rows["n_flips"].to_numpy(float)
    eqods = rows["eqod"].to_numpy(float)
    bases = rows["base_eqod"].to_numpy(float)
    for seed in np.unique(seeds):
        at = seeds == seed
        # the seed's curve: mean EqOd per flip count, counts ascending
        flips, inv = np.unique(counts[at], return_inverse=True)
        eqod, base = _nanmean_by(inv, eqods[at]), _nanmean_by(inv, bases[at])
        seed = seed.item() if hasattr(seed, "item") else seed
        target = share * float(base[0])
        hit = np.flatnonzero(eqod <= target + 1e-12)
        if hit.size == 0:
            out.append({"seed": seed, "flips": float(flips.max()), "censored": True})
            continue
        i = int(hit[0])
        if i == 0:
            value = flips[0]
        else:
            x0, x1, e0, e1 = flips[i - 1], flips[i], eqod[i - 1], eqod[i]
            value = x1 if e0 == e1 else x0 + (e0 - target) * (x1 - x0) / (e0 - e1)
        out.append({"seed": seed, "flips": float(value), "censored": False})
    return pd.DataFrame(out, columns=["seed", "flips", "censored"]).set_index("seed")


def _collective(df: pd.DataFrame, dataset: str, alpha: float) -> pd.DataFrame:
    part = df[(df.family == "collective") & (df.dataset == dataset)
              & (df.knowledge.astype(str) == "all") & np.isclose(df.alpha.astype(float), alpha)]
    return main_k(part) if not part.empty else part


def _paired(a: pd.Series, b: pd.Series) -> pd.Series:
    common = a.index.intersection(b.index)
    return a.loc[common] - b.loc[common]


def _comparisons(df, mine_of, other_of, make_row, alpha):
    """Rows comparing method ``mine`` with ``other`` for the pairs the two callbacks name."""
    if df.empty or "family" not in df.columns:
        return []
    rows = []
    base_val = base_validation_error(df)
    for dataset in sorted(set(df.dataset) - {"toy2d"}):
        coll = _collective(df, dataset, alpha)
        if coll.empty:
            continue
        present = set(coll.method)
        for mine in mine_of(present):
            for other in other_of(present):
                a, b = coll[coll.method == mine], coll[coll.method == other]
                for share in FLIP_TARGETS:
                    fa, fb = flips_to_target(a, share), flips_to_target(b, share)
                    detail = (f"mean flips {fa.flips.mean():.1f} vs {fb.flips.mean():.1f}; "
                              f"never reached (censored at the pool): "
                              f"{int(fa.censored.sum())} vs {int(fb.censored.sum())} seeds")
                    rows.append(make_row("flips", share, dataset, mine, other,
                                         _paired(fa.flips, fb.flips), detail, ""))
                for selection in SELECTIONS:
                    pa = select_points(a, selection=selection, base_val_error=base_val)
                    pb = select_points(b, selection=selection, base_val_error=base_val)
                    ea = pa.set_index("seed").eqod.astype(float)
                    eb = pb.set_index("seed").eqod.astype(float)
                    detail = f"best EqOd {ea.mean():.4f} vs {eb.mean():.4f}"
                    rows.append(make_row("best", None, dataset, mine, other, _paired(ea, eb),
                                         detail, selection))
    return rows


def method_rows(df: pd.DataFrame, alpha: float = COMPARE_ALPHA) -> list:
    """A user's method (any collective method not the paper's nor the reference) against
    each RB method and random: claim rows, scope ``beyond the paper``."""
    def make(kind, share, dataset, mine, other, diff, detail, selection):
        if kind == "flips":
            stat = f"flips to EqOd <= {share:g} x base (interpolated): {mine} - {other}"
            name = f"{mine}: fewer flips than {other} to reach {share:g} x base EqOd"
        else:
            stat = f"best EqOd: {mine} - {other}"
            name = f"{mine}: lower best EqOd than {other}"
        return claim_row(name, dataset=dataset, method=mine, selection=selection,
                         paper_wording=f"(not the paper's) {mine} ranks better than {other}",
                         criterion=Criterion(stat, "<", 0.0), per_seed=diff, detail=detail,
                         scope=BEYOND)

    return _comparisons(
        df, lambda present: sorted(present - set(PAPER_METHODS) - {REFERENCE}),
        lambda present: [m for m in _OTHERS if m in present], make, alpha)


def reference_rows(df: pd.DataFrame, alpha: float = COMPARE_ALPHA) -> list:
    """Each RB method (and random) against the ``influence`` reference: measurement rows of
    the paired differences (flips to 75 % / 50 % of base EqOd, best EqOd)."""
    def make(kind, share, dataset, mine, other, diff, detail, selection):
        if kind == "flips":
            name = f"reference: flips to {share:g} x base EqOd, {mine} - influence"
        else:
            name = f"reference: best EqOd, {mine} - influence"
        return measurement_row(name, dataset=dataset, method=mine, per_seed=diff,
                               selection=selection, detail=detail, scope=BEYOND)

    return _comparisons(
        df, lambda present: [m for m in _OTHERS if m in present] if REFERENCE in present else [],
        lambda present: [REFERENCE], make, alpha)


@register_rows
def _method_and_reference_rows(df: pd.DataFrame):
    return [*method_rows(df), *reference_rows(df)]
