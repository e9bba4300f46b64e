"""Where the two sides meet: split the data, let the collective act, train the firm, measure.

Layer: above both sides (``organiser``, ``advisor``, ``collective``, ``scorers``; ``firm``,
``baselines``) and below ``analysis`` and ``experiments``. Only here does one function see the
firm's split and the collective's ranking together.
"""

from ._advised import advise_ranking
from ._evaluate import (
    Evaluation,
    audited_firm,
    evaluate,
    firm_metrics,
    influence_pool,
    rank_split,
    stealth_ranking,
)
from ._groups import (
    CoalitionEvaluation,
    evaluate_coalition,
    evaluation_groups,
    group_metrics,
    group_table,
    require_multigroup,
)
from ._split import make_split

__all__ = [
    "advise_ranking",
    "CoalitionEvaluation",
    "Evaluation",
    "audited_firm",
    "evaluate",
    "evaluate_coalition",
    "evaluation_groups",
    "firm_metrics",
    "group_metrics",
    "group_table",
    "influence_pool",
    "make_split",
    "rank_split",
    "require_multigroup",
    "stealth_ranking",
]
