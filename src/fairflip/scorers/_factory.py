"""Scorer names -> scorer objects."""

from __future__ import annotations

from .._names import DEFAULT_K, KNN_SCORERS, SCORER_NAMES
from .._seeding import sub_seed
from ..exceptions import ConfigError
from ._approx import check_neighbors
from ._knn import RBDistScorer, RBLabelScorer
from ._prob import RBProbScorer
from ._random import OracleScorer, RandomScorer

__all__ = ["SCORER_NAMES", "algorithm_version", "make_scorer", "scorer_seed"]

_CLASSES = {"rb-prob": RBProbScorer, "rb-label": RBLabelScorer, "rb-dist": RBDistScorer,
            "random": RandomScorer, "oracle": OracleScorer}


def algorithm_version(name: str) -> int:
    """The algorithm version of the scorer ``name`` (its class's ``algorithm_version``)."""
    if name not in _CLASSES:
        raise ConfigError(f"The 'method' parameter must be one of {', '.join(SCORER_NAMES)}. "
                          f"Got {name!r} instead.")
    return int(_CLASSES[name].algorithm_version)


def scorer_seed(method, seed: int, *keys) -> int:
    """The seed :func:`make_scorer` gets: the random scorer's depends on ``keys`` (its alpha);
    a k-NN scorer's (its approximate index) does not, so one search serves every alpha."""
    if method in KNN_SCORERS:
        return sub_seed(seed, "neighbors")
    return sub_seed(seed, "random-scorer", *keys)



def make_scorer(method, *, k=DEFAULT_K, estimator=None, counterfactual_proba=None, random_state=0,
                neighbors="exact"):
    """Build a scorer from its method name.

    ``random_state`` seeds the random scorer, or rb-label's / rb-dist's approximate index
    (``neighbors="approx"``); ``neighbors`` is checked for every scorer.

    Examples
    --------
    >>> make_scorer("rb-label", k=5)
    RBLabelScorer(k=5)
    """
    neighbors = check_neighbors(neighbors)
    if method == "rb-prob":
        return RBProbScorer(estimator=estimator)
    if method == "rb-label":
        return RBLabelScorer(k=k, neighbors=neighbors, random_state=random_state)
    if method == "rb-dist":
        return RBDistScorer(k=k, neighbors=neighbors, random_state=random_state)
    if method == "random":
        return RandomScorer(random_state=random_state)
    if method == "oracle":
        return OracleScorer(counterfactual_proba=counterfactual_proba)
    raise ConfigError(
        f"The 'method' parameter must be one of {', '.join(SCORER_NAMES)}. Got {method!r} instead."
    )
