"""Calibrated equalized odds (Pleiss, Raghavan, Wu, Kleinberg & Weinberger, NeurIPS 2017).

fairlearn does not offer it. aif360's ``CalibratedEqOddsPostprocessing`` installs with our
stack, but it seeds NumPy's global generator in ``predict`` and needs its own dataset
containers, so the algorithm (a few lines) is written here on plain arrays, following
Pleiss et al.'s reference code (``calib_eq_odds.py``) as aif360 adapted it.

Each group keeps a calibrated score h_g. Generalised rates are score means:
GFPR_g = E[h | y = 0, g], GFNR_g = E[1 - h | y = 1, g]. The cost of a group is GFNR_g
("fnr"), GFPR_g ("fpr"), or ``(GFPR_g * (1 - mu_g) + GFNR_g * mu_g) / 2`` ("weighted"), with
mu_g the group's base rate. The group whose cost is lower gives up accuracy:
with probability ``mix_rate`` its score is withheld and replaced by mu_g (the trivial
calibrated classifier), with the rate chosen so that the expected costs of the groups match.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from .._deprecate import renamed_params
from ..exceptions import ConfigError, DataError

__all__ = ["COST_CONSTRAINTS", "CalibratedEqualizedOdds", "generalized_cost"]

COST_CONSTRAINTS = ("fnr", "fpr", "weighted")
_COST_WEIGHTS = {"fnr": (0.0, 1.0), "fpr": (1.0, 0.0), "weighted": (1.0, 1.0)}


def generalized_cost(scores, y, *, cost_constraint="weighted") -> float:
    """Pleiss et al.'s cost of one group's scores: weighted generalised FPR and FNR.

    Parameters
    ----------
    scores : array-like of float in [0, 1]
        Calibrated P(y = 1) of the group's rows.
    y : array-like of 0/1
        Their labels.
    cost_constraint : {"fnr", "fpr", "weighted"}
        Which generalised rate(s) the cost weighs.

    Returns
    -------
    float

    Examples
    --------
    >>> generalized_cost([0.2, 0.8], [0, 1], cost_constraint="fpr")
    0.2
    """
    c_fp, c_fn = _cost_weights(cost_constraint)
    scores = np.asarray(scores, dtype=np.float64)
    y = np.asarray(y)
    mu = float(y.mean())
    gfpr = float(scores[y == 0].mean()) if (y == 0).any() else 0.0
    gfnr = float((1.0 - scores[y == 1]).mean()) if (y == 1).any() else 0.0
    if not c_fn:
        return gfpr
    if not c_fp:
        return gfnr
    return (c_fp * gfpr * (1.0 - mu) + c_fn * gfnr * mu) / (c_fp + c_fn)


def _cost_weights(cost_constraint):
    if cost_constraint not in _COST_WEIGHTS:
        raise ConfigError(
            f"The 'cost_constraint' parameter must be one of {', '.join(COST_CONSTRAINTS)}. "
            f"Got {cost_constraint!r} instead."
        )
    return _COST_WEIGHTS[cost_constraint]


class CalibratedEqualizedOdds(BaseEstimator):
    """Post-process calibrated scores so the two groups' generalised costs are equal.

    Parameters
    ----------
    cost_constraint : {"fnr", "fpr", "weighted"}, default="weighted"
        The cost to equalise (aif360's default is "weighted").
    threshold : float, default=0.5
        Labels are ``score >= threshold`` after withholding, as in aif360.

    Attributes
    ----------
    base_rate_ : ndarray of shape (2,)
        Positive rate of each group on the calibration rows (index = group).
    mix_rate_ : ndarray of shape (2,)
        Probability of withholding each group's score; at most one is non-zero.
    cost_ : ndarray of shape (2,)
        Each group's cost before mixing; ``trivial_cost_`` the cost of its base-rate scores.
    """

    def __init__(self, *, cost_constraint="weighted", threshold=0.5):
        self.cost_constraint = cost_constraint
        self.threshold = threshold

    @renamed_params(group="groups")
    def fit(self, scores, y, groups):
        """Learn the mixing rates from calibrated scores on a calibration set.

        Parameters
        ----------
        scores : array-like of float in [0, 1]
            Calibrated P(y = 1), e.g. a logistic regression's ``predict_proba(X)[:, 1]``.
        y, groups : array-like of 0/1
            Labels and group indicator of the same rows.

        Returns
        -------
        self
        """
        _cost_weights(self.cost_constraint)
        scores, y, groups = _check_arrays(scores, y, groups)
        self.base_rate_ = np.array([y[groups == g].mean() for g in (0, 1)])
        self.cost_ = np.array([
            generalized_cost(scores[groups == g], y[groups == g],
                             cost_constraint=self.cost_constraint) for g in (0, 1)])
        self.trivial_cost_ = np.array([
            generalized_cost(np.full((groups == g).sum(), self.base_rate_[g]), y[groups == g],
                             cost_constraint=self.cost_constraint) for g in (0, 1)])
        # Withholding moves a group's cost linearly from cost_ to trivial_cost_; only the
        # cheaper group moves, up to the other group's cost.
        self.mix_rate_ = np.zeros(2)
        cheap = int(np.argmin(self.cost_))
        gap = self.cost_[1 - cheap] - self.cost_[cheap]
        room = self.trivial_cost_[cheap] - self.cost_[cheap]
        if gap > 0 and room > 0:
            self.mix_rate_[cheap] = min(1.0, gap / room)
        return self

    @renamed_params(group="groups")
    def transform_scores(self, scores, groups, *, random_state=None) -> np.ndarray:
        """Scores after withholding: each row of group g becomes mu_g with prob. mix_rate_[g].

        One uniform draw per row, in row order, from ``random_state``.
        """
        check_is_fitted(self, "mix_rate_")
        scores = np.asarray(scores, dtype=np.float64)
        groups = np.asarray(groups)
        rng = check_random_state(random_state)
        withhold = rng.random_sample(scores.shape[0]) < self.mix_rate_[groups]
        return np.where(withhold, self.base_rate_[groups], scores)

    @renamed_params(group="groups")
    def expected_scores(self, scores, groups) -> np.ndarray:
        """The mean of :meth:`transform_scores` over its randomness."""
        check_is_fitted(self, "mix_rate_")
        groups = np.asarray(groups)
        m = self.mix_rate_[groups]
        return (1.0 - m) * np.asarray(scores, dtype=np.float64) + m * self.base_rate_[groups]

    @renamed_params(group="groups")
    def predict(self, scores, groups, *, random_state=None) -> np.ndarray:
        """Labels ``transform_scores(...) >= threshold`` as int8."""
        out = self.transform_scores(scores, groups, random_state=random_state)
        return (out >= self.threshold).astype(np.int8)


def _check_arrays(scores, y, groups):
    scores = np.asarray(scores, dtype=np.float64)
    y = np.asarray(y)
    groups = np.asarray(groups)
    if not (scores.shape == y.shape == groups.shape) or scores.ndim != 1:
        raise DataError(
            "The 'scores', 'y' and 'groups' parameters must be 1-D arrays of one length. Got "
            f"shapes {scores.shape}, {y.shape} and {groups.shape} instead."
        )
    for g in (0, 1):
        if not (groups == g).any():
            raise DataError(f"The 'groups' parameter must contain group {g}. Got none instead.")
    return scores, y, groups
