"""The scorer contract: learn from the known majority rows, score the collective's candidates."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from ..exceptions import DataError

__all__ = ["BaseScorer"]


def _check_matrix(X, name: str) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise DataError(f"The '{name}' parameter must be a 2-D array. Got {X.ndim} dimensions instead.")
    if not np.isfinite(X).all():
        raise DataError(f"The '{name}' parameter contains NaN or infinite values.")
    return X


class BaseScorer(BaseEstimator):
    """Scores candidates by how likely their counterfactual label is positive (higher first).

    Subclasses implement ``_fit(X_known, y_known)`` and ``_score(X, index)`` on clean arrays;
    the public methods validate (template method, as imbalanced-learn's samplers do).
    """

    #: Whether the scorer needs the majority's labelled rows (False for random / oracle).
    needs_knowledge = True
    #: Bump when a change moves the scores: a sweep's unit ids carry it, so a resumed results
    #: file recomputes exactly this scorer's units (and says so in the CHANGELOG).
    algorithm_version = 1

    def fit(self, X_known, y_known):
        """Learn from the majority rows the collective knows.

        Parameters
        ----------
        X_known : array-like of shape (n_known, n_features)
        y_known : array-like of {0, 1}
        """
        X = _check_matrix(X_known, "X_known")
        y = np.asarray(y_known)
        if y.shape != (X.shape[0],):
            raise DataError(
                f"The 'y_known' parameter must have {X.shape[0]} labels. Got shape {y.shape} instead."
            )
        if not np.isin(y, (0, 1)).all():
            raise DataError("The 'y_known' parameter must hold only 0 and 1.")
        self.n_features_in_ = X.shape[1]
        self._fit(X, y.astype(np.int8))
        self.is_fitted_ = True
        return self

    def score(self, X, *, index=None) -> np.ndarray:
        """Scores of the candidate rows ``X`` (float, higher = flip first).

        ``index`` are the candidates' row positions in the training split; only the oracle
        uses them.
        """
        check_is_fitted(self, "is_fitted_")
        X = _check_matrix(X, "X")
        if X.shape[1] != self.n_features_in_:
            raise DataError(
                f"The 'X' parameter must have {self.n_features_in_} features. Got {X.shape[1]} instead."
            )
        return np.asarray(self._score(X, index), dtype=np.float64)

    def _fit(self, X, y):  # pragma: no cover - abstract
        raise NotImplementedError

    def _score(self, X, index):  # pragma: no cover - abstract
        raise NotImplementedError
