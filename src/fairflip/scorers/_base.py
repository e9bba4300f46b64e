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

    This is fairflip's extension point for a new ranking method (see ``docs/extending.md``).
    Subclass it and implement two private methods on clean arrays; the public :meth:`fit` and
    :meth:`score` validate first (template method, as imbalanced-learn's samplers do):

    ``_fit(X_known, y_known)``
        ``X_known`` (float64, shape ``(n_known, n_features)``, finite) are the rows of the
        non-acting group the collective knows (all of them, or a drawn sample under a
        knowledge limit), ``y_known`` their 0/1 labels (int8). A scorer with
        ``needs_knowledge = False`` gets every non-acting row and should ignore them.
        Learned state goes in attributes ending in ``_``.
    ``_score(X, index)``
        ``X`` (float64, shape ``(n_candidates, n_features)``) are the collective's negatively
        labelled members, ``index`` their row positions in the data the ranking was asked
        for (an array of int; may be None when called directly). Return one finite float per
        row; higher flips first. Ties are broken by a seeded shuffle outside the scorer.

    What a scorer never sees: the firm's split (its test or firm-validation rows, the rows it
    holds out), any row of the acting group outside the collective, and any label beyond
    ``y_known`` (the candidates' labels are all 0). The features exclude the group column.
    Only the two references built into fairflip read more, and are refused where a
    collective plans (``oracle``: the causal model; ``influence``: the firm's pool).

    Constructor arguments the protocol passes, when ``__init__`` takes them by name:
    ``k`` (neighbours, default :data:`fairflip.scorers.DEFAULT_K`), ``random_state`` (an
    int derived from the run's seed and the scorer's registered name), ``neighbors``
    (``"exact"`` or ``"approx"``) and ``estimator`` (rb-prob's model). A scorer *instance*
    passed as ``method`` is cloned (``sklearn.base.clone``) and keeps its own parameters,
    except that a ``random_state`` left at None gets the protocol's seed.

    Class attributes: ``needs_knowledge`` (whether it learns from the known rows),
    ``deterministic`` (its scores depend on nothing but the rows and parameters, so they
    are invariant to the candidates' order; :func:`fairflip.scorers.check_scorer` tests
    it) and ``algorithm_version`` (bump it when a change moves the scores: a sweep's unit
    ids carry it). Check a new scorer with :func:`fairflip.scorers.check_scorer`.
    """

    #: Whether the scorer needs the majority's labelled rows (False for random / oracle).
    needs_knowledge = True
    #: Whether the scores are a function of the rows and parameters only (no random draw,
    #: no dependence on the candidates' order); checked by ``check_scorer``.
    deterministic = False
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
