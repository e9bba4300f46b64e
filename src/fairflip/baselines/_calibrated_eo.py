"""Calibrated equalized odds (Pleiss, Raghavan, Wu, Kleinberg & Weinberger, NeurIPS 2017).

fairlearn does not offer it. aif360's ``CalibratedEqOddsPostprocessing`` installs with our
stack, but it seeds NumPy's global generator in ``predict`` and needs its own dataset
containers, so the algorithm (a few lines) is written here on plain arrays, following
Pleiss et al.'s reference code (``calib_eq_odds.py``) as aif360 adapted it; the tests check
it against aif360 0.6.1 on the same scores and rows (``tests/unit/baselines/
test_calibrated_eo_reference.py``).

Each group keeps a calibrated score h_g. Generalised rates are score means:
GFPR_g = E[h | y = 0, g], GFNR_g = E[1 - h | y = 1, g]. The cost of a group is GFNR_g
("fnr"), GFPR_g ("fpr"), or ``(GFPR_g * (1 - mu_g) + GFNR_g * mu_g) / 2`` ("weighted"), with
mu_g the group's base rate. The group whose cost is lower gives up accuracy:
with probability ``mix_rate`` its score is withheld and replaced by mu_g (the trivial
calibrated classifier), with the rate chosen so that the expected costs of the groups match.

What went wrong before, and the fix
-----------------------------------
Checked against aif360 on the same scores and rows (COMPAS by race, Adult by sex; 10 splits;
``docs/calibrated-eo.md``), the suspects came out as follows.

- Not the mixing rates or the group that gives up accuracy: ours were aif360's to 1e-12
  (the cheaper group mixes, as in Pleiss et al.). aif360 leaves a rate above 1 unclipped
  where no withholding can equalise the costs; we clip it to 1 and set ``equalized_`` False.
- Not the fitting rows: fitting on the firm's training rows instead of held-out ones moved
  the rates by 0.00-0.10 and the numbers little. ``trace_method`` now fits on held-out rows.
- The cost constraint decides whether equalisation is possible at all: COMPAS's ``fnr`` and
  ``fpr`` costs and Adult's ``fpr`` and the sweep's ``weighted`` cost are infeasible
  (aif360's rates 2.0, 2.0, 2.4, 1.6), so a whole group is withheld.
- **Thresholding the withheld scores at 0.5** (aif360's ``predict`` does it too) is what
  raised EqOd: every withheld row gets its group's base rate, which lies on one side of 0.5
  (COMPAS 0.61 and 0.48, Adult 0.31 and 0.11), so they all get one label and the group's
  TPR and FPR both collapse. Thresholded EqOd at full equalisation: COMPAS 0.24 -> 0.53
  (fnr), 0.71 (fpr), 0.29 (weighted); Adult 0.10 -> 0.36 (fpr, weighted). The one
  exception is a side effect: on Adult with the ``fnr`` cost, withholding 29 % of the men
  sends them to 0 and pulls the men's TPR towards the women's (lowest EqOd 0.034 at error
  0.167, 65 % of the way to full equalisation).

Pleiss et al.'s guarantee is about generalised rates, which are the error rates of the
*randomised* classifier that says 1 with probability equal to its score. So :meth:`predict`
now draws each label as Bernoulli(post-processed score) (``threshold=None``, the default);
``threshold=0.5`` keeps aif360's rule. The equalised cost is then equal in expectation on
real labels, but the method still cannot reach low EqOd on these data, and aif360's
post-processed scores give the same numbers (to 0.002): it equalises one generalised cost,
not both error rates, and the randomisation itself costs error. Lowest EqOd along the front
from the model to full equalisation, and its error: COMPAS (model 0.239 at 0.325) fnr 0.118
at 0.442, fpr 0.112 at 0.462, weighted 0.101 at 0.421, no better than drawing labels from
the model's own scores (0.100 at 0.432); Adult (model 0.098 at 0.152) fnr 0.079 at 0.226,
fpr and weighted never below the model.
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
    threshold : float or None, default=None
        None: each label is drawn as Bernoulli(post-processed score), the randomised
        classifier whose expected FPR and FNR are the generalised rates Pleiss et al.
        equalise. A float: labels are ``score >= threshold`` after withholding, aif360's
        rule (which sends every withheld row of a group to one label; see the module).

    Attributes
    ----------
    base_rate_ : ndarray of shape (2,)
        Positive rate of each group on the calibration rows (index = group).
    mix_rate_ : ndarray of shape (2,)
        Probability of withholding each group's score; at most one is non-zero, and it is
        clipped to 1.
    cost_ : ndarray of shape (2,)
        Each group's cost before mixing; ``trivial_cost_`` the cost of its base-rate scores.
    equalized_ : bool
        Whether ``mix_rate_`` equalises the costs on the calibration rows; False when even
        withholding every score of the cheaper group leaves its cost below the other's
        (aif360 then reports a rate above 1).

    Examples
    --------
    >>> import numpy as np
    >>> scores = np.array([0.1, 0.3, 0.7, 0.9, 0.2, 0.4, 0.6, 0.8])
    >>> y = np.array([0, 0, 1, 1, 0, 1, 0, 1])
    >>> groups = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    >>> ceo = CalibratedEqualizedOdds(cost_constraint="fnr").fit(scores, y, groups)

    GFNR is 0.2 in group 0 and 0.4 in group 1; group 0's trivial GFNR is 1 - 0.5, so group 0
    withholds (0.4 - 0.2) / (0.5 - 0.2) of its scores:

    >>> ceo.mix_rate_.round(3).tolist(), ceo.equalized_
    ([0.667, 0.0], True)
    """

    def __init__(self, *, cost_constraint="weighted", threshold=None):
        self.cost_constraint = cost_constraint
        self.threshold = threshold

    @renamed_params(group="groups")
    def fit(self, scores, y, groups):
        """Learn the mixing rates from calibrated scores on held-out calibration rows.

        Parameters
        ----------
        scores : array-like of float in [0, 1]
            Calibrated P(y = 1) from a model that did not train on these rows, e.g. a
            logistic regression's ``predict_proba(X_val)[:, 1]``.
        y, groups : array-like of 0/1
            Labels and group indicator of the same rows.

        Returns
        -------
        self
        """
        _cost_weights(self.cost_constraint)
        _check_threshold(self.threshold)
        scores, y, groups = _check_arrays(scores, y, groups)
        self.base_rate_ = np.array([y[groups == g].mean() for g in (0, 1)])
        self.cost_ = np.array([
            generalized_cost(scores[groups == g], y[groups == g],
                             cost_constraint=self.cost_constraint) for g in (0, 1)])
        self.trivial_cost_ = np.array([
            generalized_cost(np.full((groups == g).sum(), self.base_rate_[g]), y[groups == g],
                             cost_constraint=self.cost_constraint) for g in (0, 1)])
        # Withholding moves a group's cost linearly from cost_ to trivial_cost_; only the
        # cheaper group moves, up to the other group's cost (aif360 and Pleiss et al. alike).
        self.mix_rate_ = np.zeros(2)
        self.equalized_ = True
        cheap = int(np.argmin(self.cost_))
        gap = self.cost_[1 - cheap] - self.cost_[cheap]
        room = self.trivial_cost_[cheap] - self.cost_[cheap]
        if gap > 0:
            rate = gap / room if room > 0 else np.inf
            self.mix_rate_[cheap] = min(1.0, rate)
            self.equalized_ = bool(rate <= 1.0)
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
        return self._withhold(scores, groups, rng.random_sample(scores.shape[0]))

    def _withhold(self, scores, groups, u):
        return np.where(u < self.mix_rate_[groups], self.base_rate_[groups], scores)

    @renamed_params(group="groups")
    def expected_scores(self, scores, groups) -> np.ndarray:
        """The mean of :meth:`transform_scores` over its randomness: each row's probability
        of label 1 under the default randomised :meth:`predict`."""
        check_is_fitted(self, "mix_rate_")
        groups = np.asarray(groups)
        m = self.mix_rate_[groups]
        return (1.0 - m) * np.asarray(scores, dtype=np.float64) + m * self.base_rate_[groups]

    @renamed_params(group="groups")
    def predict(self, scores, groups, *, random_state=None) -> np.ndarray:
        """Labels as int8: Bernoulli(:meth:`transform_scores`), or ``>= threshold`` if set.

        ``random_state`` draws one uniform per row for the withholding and then, unless
        ``threshold`` is set, one per row for the label, both in row order.
        """
        check_is_fitted(self, "mix_rate_")
        _check_threshold(self.threshold)
        scores = np.asarray(scores, dtype=np.float64)
        rng = check_random_state(random_state)
        out = self._withhold(scores, np.asarray(groups), rng.random_sample(scores.shape[0]))
        if self.threshold is not None:
            return (out >= self.threshold).astype(np.int8)
        return (rng.random_sample(scores.shape[0]) < out).astype(np.int8)


def _check_threshold(threshold):
    if threshold is not None and not (isinstance(threshold, (int, float, np.floating))
                                      and not isinstance(threshold, bool)
                                      and 0.0 <= float(threshold) <= 1.0):
        raise ConfigError(
            f"The 'threshold' parameter must be None or a number in [0, 1]. Got {threshold!r} "
            "instead."
        )


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
