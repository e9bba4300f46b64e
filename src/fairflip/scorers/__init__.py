"""Scorers rank the collective's negatively labelled members by their counterfactual label.

Layer: the lowest package of the collective's side, below ``collective``; it may import
``learning``, ``data``, ``metrics`` and private leaves, never the firm's side.
"""

from .._names import DEFAULT_K, SCORER_NAMES
from ._approx import ApproxNeighborIndex, RecallCheck, check_neighbors
from ._base import BaseScorer
from ._factory import algorithm_version, make_scorer, scorer_seed
from ._knn import NeighborMemo, RBDistScorer, RBLabelScorer
from ._neighbors import NeighborIndex, kneighbors_chunked
from ._prob import RBProbScorer
from ._random import OracleScorer, RandomScorer

__all__ = [
    "scorer_seed",
    "DEFAULT_K",
    "SCORER_NAMES",
    "ApproxNeighborIndex",
    "BaseScorer",
    "NeighborIndex",
    "NeighborMemo",
    "OracleScorer",
    "RBDistScorer",
    "RBLabelScorer",
    "RBProbScorer",
    "RandomScorer",
    "RecallCheck",
    "algorithm_version",
    "check_neighbors",
    "kneighbors_chunked",
    "make_scorer",
]
