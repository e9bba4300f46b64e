"""The collective's whole strategy as one estimator: who acts, what it knows, who flips.

:func:`rank_collective` does the work every budget shares (draws, scores, ranking), once;
:class:`CollectiveRelabeler` applies one budget and returns relabelled labels in the
caller's container type.
"""

from __future__ import annotations

from dataclasses import dataclass

import joblib
import numpy as np

from .._deprecate import renamed_params
from .._seeding import resolve_seed, sub_seed
from ..exceptions import ConfigError, DataError
from ..scorers import (
    BUILTIN_SCORERS as BUILTIN_CLASSES,
)
from ..scorers import (
    DEFAULT_K,
    check_neighbors,
    make_scorer,
    method_name,
    scorer_seed,
)
from ._members import check_alpha, draw_collective, draw_knowledge, knowledge_label
from ._plan import rank_candidates

__all__ = ["CollectiveRanking", "rank_collective"]


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
    knowledge_pool=None, neighbors="exact", firm_pool=None,
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
    ``method`` is a scorer name (built-in or registered, see
    :func:`fairflip.scorers.register_scorer`) or a :class:`~fairflip.scorers.BaseScorer`
    instance, which is cloned before use; seeds and ties are keyed on its registered name (an
    unregistered instance: its class name).
    ``firm_pool`` (``(X, y, groups, C)`` of the firm's training pool, as the firm sees it) is
    the input of the ``influence`` reference only (:func:`fairflip.simulation.rank_split`
    passes it); a collective never has it.
    """
    neighbors = check_neighbors(neighbors)
    name = method_name(method)
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
                         random_state=scorer_seed(name, seed, alpha), firm_pool=firm_pool)
    # Seeds and the cache key use the canonical knowledge, so 0.5 and "0.50" draw the same rows.
    knowledge = knowledge_label(knowledge)
    known = (draw_knowledge(pool_groups, knowledge=knowledge,
                            random_state=sub_seed(seed, "knowledge", knowledge))
             if scorer.needs_knowledge else np.flatnonzero(pool_groups == 0))
    # k is not part of the key: k-NN scorers keep their neighbours and score any k from them.
    # The estimator is (rb-prob's model): another model must not reuse this one's fit.
    # An instance's parameters are part of the key: two instances of a class differ.
    key = (name if isinstance(method, str) else (name, joblib.hash(method.get_params())),
           knowledge, seed, None if estimator is None else joblib.hash(estimator),
           *pool_key, *(() if neighbors == "exact" else (neighbors,)))
    # Only built-in scorers are cached: a user's scorer may read k or its seed (keyed on
    # alpha) at fit time, so it is fitted for each call.
    if not isinstance(method, str) or name not in BUILTIN_CLASSES:
        scorer_cache = None
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
    order = rank_candidates(scores, random_state=sub_seed(seed, "ties", alpha, name))
    return CollectiveRanking(members_, known, candidates[order], scores[order],
                             neighbor_recall=getattr(scorer, "neighbor_recall_", None))


