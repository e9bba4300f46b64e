"""From cross-fitted predictions to predicted curves with bootstrap bands, and the choice rule."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._seeding import sub_seed
from ..exceptions import ConfigError

__all__ = ["RULES", "Curves", "choose_budget", "predicted_curves"]

RULES = ("clear-gain", "paired-gain", "min-or-zero", "one-se", "paired-se", "argmin")
#: Central coverage of the bands the ``clear-gain`` rule compares (and the advice reports).
BAND_LEVEL = 0.9


@dataclass(frozen=True)
class Curves:
    """Point estimates (one per budget) and bootstrap replicates (rows) of EqOd and error."""

    eqod: np.ndarray
    error: np.ndarray
    eqod_boot: np.ndarray
    error_boot: np.ndarray


def _stratum_rates(pred, rows, counts):
    """Rate of positive predictions per budget: point estimate and bootstrap replicates."""
    P = pred[rows].astype(np.float64)
    return P.mean(axis=0), counts @ P / rows.size


def _soft_rates(pred, y, g, majority, rng, n_bootstrap):
    """The other group's rates per label from soft label masses; replicates resample source
    rows (each with all its copies) within their strata."""
    rows = np.flatnonzero(g == 0)
    src, mass = majority.source, majority.mass
    counts = np.zeros((n_bootstrap, majority.n_sources))
    src_stratum = np.zeros(majority.n_sources, np.int8)
    src_stratum[src] = majority.stratum
    for value in (0, 1):
        members = np.flatnonzero(src_stratum == value)
        if members.size:
            counts[:, members] = rng.multinomial(members.size, np.full(members.size, 1.0 / members.size),
                                                 size=n_bootstrap)
    rates, boots = {}, {}
    P = pred[rows].astype(np.float64)
    for label in (0, 1):
        sel = np.flatnonzero(y[rows] == label)
        w = mass[sel]
        if w.sum() <= 0:
            raise ConfigError("The advisor needs rows of both labels in both groups of the view "
                              f"(members and known rows). Got none with label {label} in "
                              "the known rows instead.")
        rates[label] = w @ P[sel] / w.sum()
        cw = counts[:, src[sel]] * w
        boots[label] = (cw @ P[sel]) / np.maximum(cw.sum(axis=1, keepdims=True), 1e-12)
    prev = float(mass[y[rows] == 1].sum() / mass.sum())
    return rates, boots, prev


def predicted_curves(pred, y, g, *, group_share, n_bootstrap=200, random_state=0,
                     majority=None) -> Curves:
    """EqOd and error per budget of the shadow firm, from its out-of-fold predictions.

    The group rows are evaluated with their own labels; the firm's error weights the groups by
    the stated (or implied) ``group_share``. Bootstrap replicates resample rows within each
    (group, label) stratum, so every replicate has each stratum's size. With a rate-anchored
    ``majority`` (:func:`fairflip.advisor._shadow.shadow_majority`) the other group's rates
    weight its rows by their label masses.
    """
    rng = np.random.default_rng(sub_seed(random_state, "advise-bootstrap"))
    rates, boots, prev = {}, {}, {}
    soft = majority is not None and majority.kind != "rows"
    for group in (0, 1):
        in_group = g == group
        if soft and group == 0:
            r0, b0, prev[0] = _soft_rates(pred, y, g, majority, rng, n_bootstrap)
            for label in (0, 1):
                rates[0, label], boots[0, label] = r0[label], b0[label]
            continue
        prev[group] = float(y[in_group].mean())
        for label in (0, 1):
            rows = np.flatnonzero(in_group & (y == label))
            if rows.size == 0:
                raise ConfigError("The advisor needs rows of both labels in both groups of the view "
                                  f"(members and known rows). Got none with label {label} in "
                                  f"the {'members' if group else 'known rows'} instead.")
            counts = rng.multinomial(rows.size, np.full(rows.size, 1.0 / rows.size),
                                     size=n_bootstrap).astype(np.float64)
            rates[group, label], boots[group, label] = _stratum_rates(pred, rows, counts)

    def eqod(r):
        return 0.5 * (np.abs(r[1, 1] - r[0, 1]) + np.abs(r[1, 0] - r[0, 0]))

    def error(r):
        err = {grp: prev[grp] * (1 - r[grp, 1]) + (1 - prev[grp]) * r[grp, 0] for grp in (0, 1)}
        return group_share * err[1] + (1 - group_share) * err[0]

    return Curves(eqod(rates), error(rates), eqod(boots), error(boots))


def choose_budget(curves: Curves, rule="clear-gain") -> int:
    """Index of the recommended budget (budgets ascending, index 0 = no flips).

    ``clear-gain`` (the default): the predicted minimum if its whole 90 % band lies below
    the band at no flips, else 0: when the view cannot tell the best budget's EqOd from
    doing nothing (few known rows, a small collective), do nothing.
    ``paired-gain``: the predicted minimum if it beats no flips in at least 90 % of the
    bootstrap replicates (the paired difference, each replicate scoring both budgets on the
    same rows), else 0: the same guard as ``clear-gain`` against a gain that is noise, but
    without comparing two unpaired bands (whose widths add up).
    ``min-or-zero``: the predicted minimum, unless its predicted gain over no flips is
    within one bootstrap standard error of that paired difference; then 0.
    ``one-se``: the smallest budget whose predicted EqOd is within one bootstrap standard
    error (at the minimum) of the predicted minimum; so 0 when no budget is predicted to
    beat doing nothing by more than the noise. ``paired-se``: the same against the
    standard error of each budget's paired difference to the minimum. ``argmin``: the
    minimum itself.
    """
    est = curves.eqod
    best = int(np.argmin(est))
    if rule == "argmin":
        return best
    if rule == "clear-gain":
        q = [(1 - BAND_LEVEL) / 2, (1 + BAND_LEVEL) / 2]
        low_0 = np.quantile(curves.eqod_boot[:, 0], q[0])
        high_best = np.quantile(curves.eqod_boot[:, best], q[1])
        return best if high_best < low_0 else 0
    if rule == "paired-gain":
        diff = curves.eqod_boot[:, 0] - curves.eqod_boot[:, best]
        return best if np.quantile(diff, 1 - BAND_LEVEL) > 0 else 0
    if rule == "min-or-zero":
        gain = est[0] - est[best]
        noise = (curves.eqod_boot[:, 0] - curves.eqod_boot[:, best]).std()
        return best if gain > noise else 0
    if rule == "one-se":
        slack = np.full(est.size, curves.eqod_boot[:, best].std())
    elif rule == "paired-se":
        slack = (curves.eqod_boot - curves.eqod_boot[:, [best]]).std(axis=0)
    else:
        raise ConfigError(f"The 'rule' parameter must be one of {', '.join(RULES)}. "
                          f"Got {rule!r} instead.")
    return int(np.flatnonzero(est <= est[best] + slack + 1e-12)[0])
