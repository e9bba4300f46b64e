"""Scorers rank the collective's negatively labelled members by their counterfactual label.

A new ranking method is a :class:`BaseScorer` subclass (see its docstring and
``docs/extending.md``), checked with :func:`check_scorer` and made available by name with
:func:`register_scorer` or the ``fairflip.scorers`` entry-point group.

Layer: the lowest package of the collective's side, below ``collective``; it may import
``learning``, ``data``, ``metrics`` and private leaves, never the firm's side.
"""

from .._names import DEFAULT_K, SCORER_NAMES
from ._approx import ApproxNeighborIndex, RecallCheck, check_neighbors
from ._base import BaseScorer
from ._check import SCORER_RULES, check_scorer
from ._factory import algorithm_tag_part, algorithm_version, make_scorer, scorer_seed
from ._influence import INFLUENCE_NEEDS_FIRM, InfluenceScorer, smooth_eqod, smooth_eqod_grad
from ._knn import NeighborMemo, RBDistScorer, RBLabelScorer
from ._neighbors import NeighborIndex, kneighbors_chunked
from ._prob import RBProbScorer
from ._random import OracleScorer, RandomScorer
from ._registry import BUILTIN_CLASSES as BUILTIN_SCORERS
from ._registry import (
    ENTRY_POINT_GROUP,
    ScorerInfo,
    available_scorers,
    check_parallel,
    grid_traits,
    is_scorer_name,
    method_name,
    register_scorer,
    restore_registrations,
    scorer_class,
    scorer_info,
    scorer_names,
    session_registrations,
    unregister_scorer,
)

__all__ = [
    "scorer_seed",
    "BUILTIN_SCORERS",
    "DEFAULT_K",
    "ENTRY_POINT_GROUP",
    "INFLUENCE_NEEDS_FIRM",
    "SCORER_NAMES",
    "SCORER_RULES",
    "ApproxNeighborIndex",
    "BaseScorer",
    "InfluenceScorer",
    "NeighborIndex",
    "NeighborMemo",
    "OracleScorer",
    "RBDistScorer",
    "RBLabelScorer",
    "RBProbScorer",
    "RandomScorer",
    "RecallCheck",
    "ScorerInfo",
    "algorithm_tag_part",
    "algorithm_version",
    "available_scorers",
    "check_neighbors",
    "check_parallel",
    "check_scorer",
    "grid_traits",
    "is_scorer_name",
    "kneighbors_chunked",
    "make_scorer",
    "method_name",
    "register_scorer",
    "restore_registrations",
    "scorer_class",
    "scorer_info",
    "scorer_names",
    "session_registrations",
    "smooth_eqod",
    "smooth_eqod_grad",
    "unregister_scorer",
]
