"""The collective's whole strategy as one estimator: who acts, what it knows, who flips.

:func:`rank_collective` does the work every budget shares (draws, scores, ranking), once;
:class:`CollectiveRelabeler` applies one budget and returns relabelled labels in the
caller's container type.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, OneToOneFeatureMixin

from .._seeding import resolve_seed
from ..advisor import advise
from ..collective import (
    CollectiveView,
    rank_collective,
    resolve_budget,
)
from ..exceptions import ConfigError
from ..learning import flip_labels
from ..scorers import DEFAULT_K
from ._sampler import binary_target, like_target, split_group

__all__ = ["CollectiveRelabeler"]


class CollectiveRelabeler(BaseEstimator):
    """Relabel the collective's top-ranked negative labels to positive.

    Parameters
    ----------
    method : {"rb-prob", "rb-label", "rb-dist", "random", "oracle"}
    alpha : float in (0, 1]
        Fraction of the acting group that joins the collective.
    budget : int, float or "auto"
        Flips as a count, or a fraction of the candidates; ``"auto"`` takes the advisor's
        recommendation (:func:`fairflip.advise`) from the collective's view of these rows
        (its members, the majority rows it knows, alpha and the groups' shares), for a
        logistic-regression firm that sees the group.
    knowledge : "all", int or float
        Majority rows the collective sees.
    k : int
        Neighbours for rb-label / rb-dist.
    estimator : classifier or None
        Model for rb-prob.
    members : array-like of int or None
        Explicit collective (row positions), overriding ``alpha``.
    counterfactual_proba : array-like or None
        For the oracle (synthetic data).
    random_state : int, RandomState or None
        Base seed; every draw derives its own seed from it.
    group_column : str, int or None
        For :meth:`fit_resample`: the column of ``X`` that holds the group (a DataFrame's
        column name or a position). It is left out of the features the collective scores
        with and kept in the ``X`` returned (the firm sees it).
    acting_group : object or None
        The value of ``group_column`` whose rows act (compared as text); None means the
        column holds 0/1 with 1 acting.
    neighbors : {"exact", "approx"}, default="exact"
        Neighbour search of rb-label / rb-dist (approx: hnswlib, ``pip install
        fairflip[approx]``; its measured recall is ``ranking_.neighbor_recall``).
    majority_rate : float or None
        With ``budget="auto"``: the majority's favourable rate, a stated public fact in
        (0, 1) (a published figure, not computed from these rows), for the advisor's view
        (see :func:`fairflip.advise`).

    Attributes
    ----------
    ranking_ : CollectiveRanking
    flipped_ : ndarray of row positions whose label went 0 -> 1.
    n_flips_ : int
    advice_ : Advice or None
        The advisor's answer when ``budget="auto"``.
    sampling_strategy_ : dict
        ``{1: n_flips_}``: labels turned into class 1 (imbalanced-learn's sampler attribute).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0], [0.1], [2.9]])
    >>> y = np.array([0, 0, 1, 1, 0, 0])
    >>> g = np.array([0, 0, 0, 0, 1, 1])
    >>> CollectiveRelabeler(method="rb-label", k=2, alpha=1.0, budget=1).fit_relabel(X, y, groups=g)
    array([0, 0, 1, 1, 0, 1])

    As an imbalanced-learn sampler, with the group in a column of ``X``:

    >>> Xg = np.column_stack([X, g])
    >>> CollectiveRelabeler(method="rb-label", k=2, alpha=1.0, budget=1,
    ...                     group_column=1).fit_resample(Xg, y)[1]
    array([0, 0, 1, 1, 0, 1])
    """

    def __init__(self, method="rb-prob", *, alpha=0.3, budget=0, knowledge="all", k=DEFAULT_K,
                 estimator=None, members=None, counterfactual_proba=None, random_state=0,
                 group_column=None, acting_group=None, neighbors="exact", majority_rate=None):
        self.method = method
        self.alpha = alpha
        self.budget = budget
        self.knowledge = knowledge
        self.k = k
        self.estimator = estimator
        self.members = members
        self.counterfactual_proba = counterfactual_proba
        self.random_state = random_state
        self.group_column = group_column
        self.acting_group = acting_group
        self.neighbors = neighbors
        self.majority_rate = majority_rate

    def fit_relabel(self, X, y, *, groups):
        """Return ``y`` with the chosen flips; a Series stays a Series, an array an array."""
        seed = resolve_seed(self.random_state)
        y_arr = y.to_numpy() if isinstance(y, pd.Series) else np.asarray(y)
        X_arr = X.to_numpy() if isinstance(X, pd.DataFrame) else X
        self.ranking_ = rank_collective(
            X_arr, y_arr, groups, method=self.method, alpha=self.alpha, members=self.members,
            knowledge=self.knowledge, k=self.k, estimator=self.estimator,
            counterfactual_proba=self.counterfactual_proba, random_state=seed,
            neighbors=self.neighbors,
        )
        auto = isinstance(self.budget, str) and self.budget == "auto"
        if self.ranking_.n_candidates == 0 and (auto or self.budget):
            raise ConfigError("The collective has no negatively labelled members to flip.")
        self.advice_ = self._advise(X_arr, y_arr, groups, seed) if auto else None
        budget = self.advice_.recommended_budget if auto else self.budget
        self.n_flips_ = resolve_budget(budget, self.ranking_.n_candidates)
        self.flipped_ = self.ranking_.flipped(self.n_flips_)
        new = flip_labels(y_arr, self.flipped_)
        if isinstance(y, pd.Series):
            return pd.Series(new, index=y.index, name=y.name)
        return new

    def _advise(self, X, y, groups, seed):
        """The advisor on the collective's view of these rows (members and known rows only)."""

        r = self.ranking_
        X = np.asarray(X, dtype=np.float64)
        groups = np.asarray(groups)
        view = CollectiveView(
            X[r.members], y[r.members], r.members, X[r.known], y[r.known], r.known,
            tuple(f"x{i}" for i in range(X.shape[1])), group_share=float(groups.mean()),
            alpha=None if self.members is not None else float(self.alpha),
            majority_rate=self.majority_rate)
        return advise(view, method=self.method, order=np.searchsorted(r.members, r.ranked),
                      random_state=seed, neighbors=self.neighbors)

    def fit_resample(self, X, y, *, groups=None):
        """imbalanced-learn's sampler method: ``(X, y with the collective's flips)``.

        ``X`` comes back unchanged (same object); ``y`` in its own container type and dtype
        (list, array, Series or one-column DataFrame). The group is ``groups`` or the
        ``group_column`` of ``X``; scorers see the other columns, which must be numeric.
        Works as a step of ``imblearn.pipeline.Pipeline`` with ``group_column`` set (the
        pipeline does not pass ``groups`` to samplers without metadata routing), so the
        model after it trains on the flipped labels while prediction is untouched.
        """
        y_arr = binary_target(y)
        features, groups = split_group(X, self.group_column, self.acting_group, groups)
        self.n_features_in_ = features.shape[1] + (self.group_column is not None)
        if isinstance(X, pd.DataFrame):
            self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        new = self.fit_relabel(features.to_numpy(), y_arr, groups=groups)
        self.sampling_strategy_ = {1: self.n_flips_}
        return X, like_target(np.asarray(new), y)

    def get_feature_names_out(self, input_features=None):
        """The input features: a relabeler changes labels, never columns."""
        # scikit-learn's public one-to-one rule (OneToOneFeatureMixin), not its private helper.
        return OneToOneFeatureMixin.get_feature_names_out(self, input_features)
