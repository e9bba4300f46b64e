"""The collective's whole strategy as one estimator: who acts, what it knows, who flips.

:func:`rank_collective` does the work every budget shares (draws, scores, ranking), once;
:class:`CollectiveRelabeler` applies one budget and returns relabelled labels in the
caller's container type.
"""

from __future__ import annotations

from dataclasses import dataclass

import joblib
import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from ._deprecate import renamed_params
from ._sampler import binary_target, like_target, split_group
from ._seeding import resolve_seed, sub_seed
from .collective import check_alpha, draw_collective, draw_knowledge, knowledge_label
from .exceptions import ConfigError, DataError
from .plan import flip_labels, rank_candidates, resolve_budget
from .scorers import DEFAULT_K, check_neighbors, make_scorer
from .scorers._factory import scorer_seed

__all__ = ["CollectiveRanking", "CollectiveRelabeler", "rank_collective"]


@dataclass(frozen=True)
class CollectiveRanking:
    """Everything a budget sweep reuses.

    Attributes
    ----------
    members : row positions of the collective.
    known : row positions of the majority rows it knows.
    ranked : the negatively labelled members (the candidates), in flip order.
    scores : their scores, in the same order.
    risky : for a stealth ranking, whether the collective's own audit flags each candidate
        (same order; the flagged ones come last); None otherwise.
    neighbor_recall : with ``neighbors="approx"``, the approximate neighbour search's measured
        recall (:class:`~fairflip.scorers.RecallCheck`); None otherwise.
    """

    members: np.ndarray
    known: np.ndarray
    ranked: np.ndarray
    scores: np.ndarray
    risky: np.ndarray | None = None
    neighbor_recall: object | None = None

    @property
    def n_candidates(self) -> int:
        return int(self.ranked.size)

    def flipped(self, n_flips: int) -> np.ndarray:
        return self.ranked[:n_flips]


def _check_inputs(X, y, groups):
    try:
        X = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        raise DataError("The 'X' parameter must be numeric; encode categorical columns first "
                        "(fairflip.data.TabularEncoder).") from None
    y = np.asarray(y)
    groups = np.asarray(groups)
    if X.ndim != 2 or X.shape[0] != y.shape[0] or groups.shape != y.shape:
        raise DataError(
            f"X, y and groups must describe the same rows. Got {X.shape}, {y.shape}, "
            f"{groups.shape} instead."
        )
    if not np.isfinite(X).all():
        raise DataError("The 'X' parameter contains NaN or infinite values.")
    for name, arr in (("y", y), ("groups", groups)):
        if not np.isin(arr, (0, 1)).all():
            raise DataError(f"The '{name}' parameter must hold only 0 and 1.")
    return X, y.astype(np.int8), groups.astype(np.int8)


@renamed_params(seed="random_state")
def rank_collective(
    X, y, groups, *, method="rb-prob", alpha=0.3, members=None, knowledge="all",
    k=DEFAULT_K, estimator=None, counterfactual_proba=None, random_state=0, scorer_cache=None,
    knowledge_pool=None, neighbors="exact",
) -> CollectiveRanking:
    """Draw the collective and its knowledge, score and rank its candidates.

    Each draw uses its own seed derived from ``seed`` and the keys it depends on, so the
    collective for (seed, alpha) is the same whichever scorer, budget or k is used.
    ``scorer_cache`` (a dict) keeps fitted knowledge-based scorers across calls on the same
    rows: they depend on (method, knowledge, seed) only, not on alpha or k.
    ``knowledge_pool`` (boolean, one per row) names the rows the collective may know; by
    default every non-acting row (``groups == 0``). A multi-group collective passes a named
    reference group, or the rows outside every group of a coalition.
    ``neighbors`` (``"exact"`` or ``"approx"``) is rb-label's and rb-dist's neighbour search;
    the approximate one's measured recall is the result's ``neighbor_recall``.
    """
    neighbors = check_neighbors(neighbors)
    X, y, groups = _check_inputs(X, y, groups)
    pool_key = ()
    if knowledge_pool is not None:
        pool = np.asarray(knowledge_pool, dtype=bool)
        if pool.shape != groups.shape:
            raise DataError(f"The 'knowledge_pool' parameter must hold one flag per row. "
                            f"Got shape {pool.shape} for {groups.size} rows instead.")
        if (pool & (groups == 1)).any():
            raise ConfigError("The 'knowledge_pool' parameter must not include acting-group rows.")
        # The knowledge draws see the pool as "the majority": 0 inside, 1 outside.
        pool_groups = np.where(pool, 0, 1).astype(np.int8)
        pool_key = (np.packbits(pool).tobytes(),)
    else:
        pool_groups = groups
    seed = resolve_seed(random_state)
    # Seeds key on the canonical alpha, so alpha=1 and alpha=1.0 draw the same collective.
    alpha = "members" if members is not None else check_alpha(alpha)
    members_ = draw_collective(groups, alpha=None if members is not None else alpha,
                               members=members, random_state=sub_seed(seed, "collective", alpha))
    candidates = members_[y[members_] == 0]
    scorer = make_scorer(method, k=k, estimator=estimator,
                         counterfactual_proba=counterfactual_proba, neighbors=neighbors,
                         random_state=scorer_seed(method, seed, alpha))
    # Seeds and the cache key use the canonical knowledge, so 0.5 and "0.50" draw the same rows.
    knowledge = knowledge_label(knowledge)
    known = (draw_knowledge(pool_groups, knowledge=knowledge,
                            random_state=sub_seed(seed, "knowledge", knowledge))
             if scorer.needs_knowledge else np.flatnonzero(pool_groups == 0))
    # k is not part of the key: k-NN scorers keep their neighbours and score any k from them.
    # The estimator is (rb-prob's model): another model must not reuse this one's fit.
    key = (method, knowledge, seed, None if estimator is None else joblib.hash(estimator),
           *pool_key, *(() if neighbors == "exact" else (neighbors,)))
    if scorer.needs_knowledge and scorer_cache is not None and key in scorer_cache:
        scorer = scorer_cache[key]
        if "k" in scorer.get_params():
            scorer.set_params(k=k)
    else:
        scorer.fit(X[known], y[known])
        if scorer.needs_knowledge and scorer_cache is not None:
            scorer_cache[key] = scorer
    if candidates.size == 0:
        return CollectiveRanking(members_, known, candidates, np.empty(0))
    scores = scorer.score(X[candidates], index=candidates)
    order = rank_candidates(scores, random_state=sub_seed(seed, "ties", alpha, method))
    return CollectiveRanking(members_, known, candidates[order], scores[order],
                             neighbor_recall=getattr(scorer, "neighbor_recall_", None))


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
                 estimator=None, members=None, counterfactual_proba=None, random_state=None,
                 group_column=None, acting_group=None, neighbors="exact"):
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
        from .advisor import advise
        from .view import CollectiveView

        r = self.ranking_
        X = np.asarray(X, dtype=np.float64)
        groups = np.asarray(groups)
        view = CollectiveView(
            X[r.members], y[r.members], r.members, X[r.known], y[r.known], r.known,
            tuple(f"x{i}" for i in range(X.shape[1])), group_share=float(groups.mean()),
            alpha=None if self.members is not None else float(self.alpha))
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
        from sklearn.utils.validation import _check_feature_names_in

        return _check_feature_names_in(self, input_features)
