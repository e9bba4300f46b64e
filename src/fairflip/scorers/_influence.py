"""The firm-aware reference ranking ``influence``: first-order influence of each flip on a
smooth EqOd of the firm's own logistic regression.

Not a strategy a collective can follow: it reads the firm's whole training pool and its
model (like the oracle reads the causal model), so it is built only where the firm's split
is at hand (:func:`fairflip.simulation.rank_split`, sweeps, ``reproduce``) and never from a
:class:`~fairflip.collective.CollectiveView` (``plan`` and ``advise`` refuse it). It tells
how good a ranking could be with the firm's knowledge.

The maths. The firm minimises ``0.5 ||w||^2 + C sum_i logloss(y_i, x_i . w + b)`` (b not
penalised; scikit-learn's ``LogisticRegression(C=C)``). Flipping candidate i from 0 to 1
changes that objective's gradient by ``-C x~_i`` (``x~ = (x, 1)``), so the optimum moves by
``C H^-1 x~_i`` to first order (H the objective's Hessian at the base model), and a smooth
EqOd E moves by ``C grad(E) . H^-1 x~_i``. One Hessian solve ``v = H^-1 grad(E)``, then one dot
product per candidate: the score is ``-C v . x~_i`` (the predicted drop of E; higher flips
first).

The smooth EqOd is the mean of the TPR gap and the FPR gap computed with predicted
probabilities instead of 0/1 predictions, on **the firm's training pool** with its true
(unflipped) labels. Those rows are never used to choose an operating point: the hindsight
choice reads the test rows, the firm-validation choice the firm-validation rows carved from
the test split; so the reference's firm-validation choice is not flattered by having been
fitted to the rows it is judged on.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import LinAlgError, cho_factor, cho_solve

from .._threads import single_blas
from ..exceptions import ConfigError, DataError
from ..learning import LOGREG_C, make_model
from ._base import BaseScorer

__all__ = ["INFLUENCE_NEEDS_FIRM", "InfluenceScorer", "smooth_eqod", "smooth_eqod_grad"]

#: The one-line refusal where the firm's pool is not at hand (plan, advise, a view).
INFLUENCE_NEEDS_FIRM = ("The influence reference reads the firm's training pool and model; a "
                        "collective has neither, so it cannot plan or advise with it.")


def _rates_weights(y, groups):
    """Per row, the weight of its probability in (TPR_1 - TPR_0) and (FPR_1 - FPR_0)."""
    y = np.asarray(y)
    groups = np.asarray(groups)
    w_tpr = np.zeros(y.size)
    w_fpr = np.zeros(y.size)
    for label, w in ((1, w_tpr), (0, w_fpr)):
        for g, sign in ((1, 1.0), (0, -1.0)):
            cell = (y == label) & (groups == g)
            n = int(cell.sum())
            if n == 0:
                raise DataError(f"The smooth EqOd needs rows of both groups with label {label}; "
                                f"group {g} has none.")
            w[cell] = sign / n
    return w_tpr, w_fpr


def smooth_eqod(proba, y, groups) -> float:
    """Mean of |TPR gap| and |FPR gap| computed with predicted probabilities ``proba``.

    Examples
    --------
    >>> smooth_eqod([0.9, 0.5, 0.2, 0.2], [1, 1, 0, 0], [0, 1, 0, 1])
    0.2
    """
    p = np.asarray(proba, dtype=np.float64)
    w_tpr, w_fpr = _rates_weights(y, groups)
    return float(round(0.5 * (abs(w_tpr @ p) + abs(w_fpr @ p)), 15))


def smooth_eqod_grad(proba, y, groups) -> np.ndarray:
    """d smooth_eqod / d proba (one value per row; the sign of each gap at its kink is 0)."""
    p = np.asarray(proba, dtype=np.float64)
    w_tpr, w_fpr = _rates_weights(y, groups)
    return 0.5 * (np.sign(w_tpr @ p) * w_tpr + np.sign(w_fpr @ p) * w_fpr)


def _design(X):
    return np.column_stack([X, np.ones(X.shape[0])])


class InfluenceScorer(BaseScorer):
    """First-order influence of each 0 -> 1 flip on the firm's smooth EqOd (a reference).

    Parameters
    ----------
    firm_X, firm_y, firm_groups : array-like or None
        The firm's training pool as the firm sees it (features including the group column
        when the firm uses it), its labels before any flip and its 0/1 group. Candidates are
        looked up by the ``index`` passed to :meth:`score` (their rows in this pool).
    C : float
        The firm's logistic-regression regularisation (scikit-learn's ``C``).

    Attributes
    ----------
    coef_, intercept_ : the firm's base model.
    smooth_eqod_ : float
        The base model's smooth EqOd on the pool.
    direction_ : ndarray of shape (n_features + 1,)
        ``H^-1 grad(E)`` (coefficients, then intercept).
    """

    needs_knowledge = False
    deterministic = True

    def __init__(self, firm_X=None, firm_y=None, firm_groups=None, C=LOGREG_C):
        self.firm_X = firm_X
        self.firm_y = firm_y
        self.firm_groups = firm_groups
        self.C = C

    def _fit(self, X, y):
        if self.firm_X is None or self.firm_y is None or self.firm_groups is None:
            raise ConfigError(INFLUENCE_NEEDS_FIRM)
        if not (isinstance(self.C, (int, float)) and self.C > 0):
            raise ConfigError(f"The 'C' parameter must be a positive number. Got {self.C!r} instead.")
        Xf = np.asarray(self.firm_X, dtype=np.float64)
        yf = np.asarray(self.firm_y).astype(np.int8)
        gf = np.asarray(self.firm_groups).astype(np.int8)
        with single_blas():
            model = make_model("logreg", model_params={"C": float(self.C)}).fit(Xf, yf)
            self.coef_ = model.coef_.ravel().copy()
            self.intercept_ = float(model.intercept_[0])
            Z = _design(Xf)
            p = 1.0 / (1.0 + np.exp(-(Z @ np.append(self.coef_, self.intercept_))))
            self.smooth_eqod_ = smooth_eqod(p, yf, gf)
            # dE/dtheta = sum_j dE/dp_j p_j (1 - p_j) z_j
            s = p * (1.0 - p)
            grad = Z.T @ (smooth_eqod_grad(p, yf, gf) * s)
            H = self.C * (Z.T @ (Z * s[:, None]))
            H[np.diag_indices(Xf.shape[1])] += 1.0  # the L2 penalty (intercept unpenalised)
            try:
                self.direction_ = cho_solve(cho_factor(H), grad)
            except LinAlgError:
                self.direction_ = np.linalg.lstsq(H, grad, rcond=None)[0]
        self.n_pool_ = Xf.shape[0]

    def _score(self, X, index):
        if index is None or len(index) != X.shape[0]:
            raise ConfigError("The influence reference scores candidates by their row 'index' "
                              "in the firm's pool; pass one per row.")
        index = np.asarray(index, dtype=np.intp)
        Z = _design(np.asarray(self.firm_X, dtype=np.float64)[index])
        return -self.C * (Z @ self.direction_)
