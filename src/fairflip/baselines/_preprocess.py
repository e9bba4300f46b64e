"""Kamiran & Calders' pre-processing: massaging (relabel pairs) and reweighing.

Neither is in fairlearn, so both are written here, on plain arrays, each against its
published definition (Kamiran & Calders, "Data preprocessing techniques for classification
without discrimination", KAIS 2012, Sections 4.1 and 4.2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._deprecate import renamed_params
from ..exceptions import ConfigError, DataError
from ..learning import flip_labels

__all__ = ["MassagePlan", "massage_labels", "massaging_pairs", "reweighing_weights"]


def _check_binary(name: str, values) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim != 1 or not np.isin(arr, (0, 1)).all():
        raise DataError(f"The '{name}' parameter must be a 1-D array of 0/1. Got {arr!r} instead.")
    return arr.astype(np.int8, copy=False)


def _check_fraction(name: str, value) -> float:
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ConfigError(f"The '{name}' parameter must lie in [0, 1]. Got {value!r} instead.")
    return value


@renamed_params(group="groups")
def reweighing_weights(y, groups, *, strength=1.0) -> np.ndarray:
    """Kamiran & Calders' reweighing weights, optionally shrunk towards 1.

    Each row of cell (g, y) gets ``W(g, y) = P(g) P(y) / P(g, y)``, the weight that makes
    label and group independent in the weighted data; ``strength`` t gives
    ``1 + t (W - 1)``, so t = 0 is the unweighted data and t = 1 is full reweighing.

    Parameters
    ----------
    y, groups : array-like of 0/1
        Labels and group indicator of the training rows.
    strength : float in [0, 1], default=1.0
        Interpolation between no reweighing (0) and Kamiran & Calders' weights (1).

    Returns
    -------
    ndarray of float64
        One weight per row. A cell with no rows needs no weight.

    Examples
    --------
    >>> reweighing_weights([1, 0, 0, 0], [1, 1, 0, 0]).round(3).tolist()
    [0.5, 1.5, 0.75, 0.75]
    """
    y = _check_binary("y", y)
    groups = _check_binary("groups", groups)
    if y.shape != groups.shape:
        raise DataError(
            f"The 'groups' parameter must have the shape of 'y' {y.shape}. Got {groups.shape} "
            "instead."
        )
    strength = _check_fraction("strength", strength)
    n = y.shape[0]
    weights = np.ones(n, dtype=np.float64)
    for g in (0, 1):
        for label in (0, 1):
            cell = (groups == g) & (y == label)
            n_cell = int(cell.sum())
            if n_cell:
                w = (groups == g).sum() * (y == label).sum() / (n * n_cell)
                weights[cell] = 1.0 + strength * (w - 1.0)
    return weights


@dataclass(frozen=True)
class MassagePlan:
    """The ranked candidates of massaging and the number of pairs that equalises rates.

    Attributes
    ----------
    deprived : int
        The group with the lower positive rate in the training labels (promoted to 1).
    promote : ndarray of intp
        Deprived negatives, highest ranker score first.
    demote : ndarray of intp
        Favoured positives, lowest ranker score first.
    n_pairs_max : int
        Kamiran & Calders' M = disc |D_dep| |D_fav| / |D|, rounded to the nearest integer
        and capped by the candidates available; 0 when the rates are already equal.
    """

    deprived: int
    promote: np.ndarray
    demote: np.ndarray
    n_pairs_max: int


@renamed_params(group="groups")
def massaging_pairs(y, groups, scores) -> MassagePlan:
    """Rank the candidates of Kamiran & Calders' massaging.

    Parameters
    ----------
    y, groups : array-like of 0/1
        Training labels and group indicator.
    scores : array-like of float
        The ranker's score for y = 1 of every row (e.g. a logistic regression's
        ``predict_proba(X)[:, 1]`` on the training rows). Ties keep row order.

    Returns
    -------
    MassagePlan
    """
    y = _check_binary("y", y)
    groups = _check_binary("groups", groups)
    scores = np.asarray(scores, dtype=np.float64)
    if scores.shape != y.shape or groups.shape != y.shape:
        raise DataError(
            f"The 'scores' and 'groups' parameters must have the shape of 'y' {y.shape}. Got "
            f"{scores.shape} and {groups.shape} instead."
        )
    n_g = np.array([(groups == g).sum() for g in (0, 1)], dtype=np.float64)
    if (n_g == 0).any():
        raise DataError(
            f"The 'groups' parameter must contain both groups. Got counts {n_g} instead.")
    rate = np.array([y[groups == g].mean() for g in (0, 1)])
    # The acting group is the usual deprived one, but K&C promote whichever has the lower rate.
    deprived = 1 if rate[1] <= rate[0] else 0
    favoured = 1 - deprived
    disc = rate[favoured] - rate[deprived]
    m = int(np.rint(disc * n_g[0] * n_g[1] / n_g.sum()))
    neg_dep = np.flatnonzero((groups == deprived) & (y == 0))
    pos_fav = np.flatnonzero((groups == favoured) & (y == 1))
    # Stable sorts make the order (and so the relabelled rows) independent of platform.
    promote = neg_dep[np.argsort(-scores[neg_dep], kind="stable")]
    demote = pos_fav[np.argsort(scores[pos_fav], kind="stable")]
    m = max(0, min(m, promote.size, demote.size))
    return MassagePlan(deprived=deprived, promote=promote, demote=demote, n_pairs_max=m)


def massage_labels(y, plan: MassagePlan, *, n_pairs: int) -> np.ndarray:
    """Labels after swapping ``n_pairs`` pairs: promote the top deprived negatives, demote
    the bottom favoured positives.

    Parameters
    ----------
    y : array-like of 0/1
        Training labels the plan was built on.
    plan : MassagePlan
        From :func:`massaging_pairs`.
    n_pairs : int
        0 .. ``min(len(plan.promote), len(plan.demote))``.

    Returns
    -------
    ndarray of int8
        A copy of ``y`` with exactly ``2 * n_pairs`` labels changed.
    """
    y = _check_binary("y", y)
    limit = min(plan.promote.size, plan.demote.size)
    if isinstance(n_pairs, bool) or int(n_pairs) != n_pairs or not 0 <= n_pairs <= limit:
        raise ConfigError(
            f"The 'n_pairs' parameter must be an integer in [0, {limit}]. Got {n_pairs!r} instead."
        )
    n_pairs = int(n_pairs)
    out = flip_labels(y, plan.promote[:n_pairs])
    out[plan.demote[:n_pairs]] = 0
    return out
