"""Scorer names (or instances) -> scorer objects, their seeds and algorithm versions."""

from __future__ import annotations

from sklearn.base import clone

from .._names import DEFAULT_K, KNN_SCORERS, SCORER_NAMES
from .._seeding import sub_seed
from ..exceptions import ConfigError
from ._approx import check_neighbors
from ._base import BaseScorer
from ._influence import InfluenceScorer
from ._knn import RBDistScorer, RBLabelScorer
from ._prob import RBProbScorer
from ._random import OracleScorer, RandomScorer
from ._registry import BUILTIN_CLASSES, method_name, protocol_kwargs, scorer_class, scorer_info

__all__ = ["SCORER_NAMES", "algorithm_version", "algorithm_tag_part", "make_scorer",
           "scorer_seed"]

_BUILTIN_SEEDED = ("random",)


def algorithm_version(name) -> int:
    """The algorithm version of the scorer ``name`` (its class's ``algorithm_version``)."""
    if isinstance(name, BaseScorer):
        return int(type(name).algorithm_version)
    return int(scorer_class(name).algorithm_version)


def algorithm_tag_part(name: str) -> str:
    """The scorer's part of a unit's algorithm tag: ``""`` for a built-in scorer at version 1
    (ids from before versions existed), ``"rb-prob=2"`` for a bumped built-in one, and for a
    user's scorer always its name, algorithm version and package (``"mine=1@pkg-0.3"``; a
    session class outside any installed package shows its module: ``"mine=1@mod:Cls"``)."""
    info = scorer_info(name)
    if info.source == "built-in":
        return "" if info.algorithm_version <= 1 else f"{name}={info.algorithm_version}"
    where = (f"{info.package}-{info.package_version}" if info.package
             else info.target)
    return f"{name}={info.algorithm_version}@{where}"


def scorer_seed(method, seed: int, *keys) -> int:
    """The seed :func:`make_scorer` gets: the random scorer's depends on ``keys`` (its alpha);
    a k-NN scorer's (its approximate index) does not, so one search serves every alpha. A
    user's scorer's seed is keyed on its registered name (and ``keys``)."""
    name = method if isinstance(method, str) else method_name(method)
    if name in KNN_SCORERS:
        return sub_seed(seed, "neighbors")
    if name in BUILTIN_CLASSES:
        return sub_seed(seed, "random-scorer", *keys)
    return sub_seed(seed, "scorer", name, *keys)


def make_scorer(method, *, k=DEFAULT_K, estimator=None, counterfactual_proba=None, random_state=0,
                neighbors="exact", firm_pool=None):
    """Build a scorer from its method name, or clone a scorer instance.

    ``random_state`` seeds the random scorer, or rb-label's / rb-dist's approximate index
    (``neighbors="approx"``); ``neighbors`` is checked for every scorer. ``firm_pool``
    (``(X, y, groups, C)`` of the firm's training pool) is the influence reference's input.
    A registered name (:func:`fairflip.register_scorer` or the ``fairflip.scorers`` entry
    points) gets the protocol's arguments its ``__init__`` takes by name (``k``,
    ``random_state``, ``neighbors``, ``estimator``). An instance is cloned; its
    ``random_state``, if it has one left at None, becomes ``random_state``.

    Examples
    --------
    >>> make_scorer("rb-label", k=5)
    RBLabelScorer(k=5)
    """
    neighbors = check_neighbors(neighbors)
    if isinstance(method, BaseScorer):
        scorer = clone(method)
        if "random_state" in scorer.get_params(deep=False) and scorer.random_state is None:
            scorer.set_params(random_state=random_state)
        return scorer
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
    if method == "influence":
        if firm_pool is None:
            return InfluenceScorer()
        X, y, groups, C = firm_pool
        return InfluenceScorer(firm_X=X, firm_y=y, firm_groups=groups, C=C)
    if isinstance(method, type):
        raise ConfigError(f"The 'method' parameter must be a scorer name or a BaseScorer "
                          f"instance, not a class. Got {method.__name__} instead.")
    cls = scorer_class(method)  # raises ConfigError naming the available scorers
    return cls(**protocol_kwargs(cls, k=k, random_state=random_state, neighbors=neighbors,
                                 estimator=estimator))
