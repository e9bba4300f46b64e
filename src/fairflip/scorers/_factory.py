"""Scorer names -> scorer objects."""

from __future__ import annotations

from .._names import DEFAULT_K, SCORER_NAMES
from ..exceptions import ConfigError
from ._knn import RBDistScorer, RBLabelScorer
from ._prob import RBProbScorer
from ._random import OracleScorer, RandomScorer

__all__ = ["SCORER_NAMES", "make_scorer"]



def make_scorer(name, *, k=DEFAULT_K, estimator=None, counterfactual_proba=None, random_state=None):
    """Build a scorer by name.

    Examples
    --------
    >>> make_scorer("rb-label", k=5)
    RBLabelScorer(k=5)
    """
    if name == "rb-prob":
        return RBProbScorer(estimator=estimator)
    if name == "rb-label":
        return RBLabelScorer(k=k)
    if name == "rb-dist":
        return RBDistScorer(k=k)
    if name == "random":
        return RandomScorer(random_state=random_state)
    if name == "oracle":
        return OracleScorer(counterfactual_proba=counterfactual_proba)
    raise ConfigError(
        f"The 'method' parameter must be one of {', '.join(SCORER_NAMES)}. Got {name!r} instead."
    )
