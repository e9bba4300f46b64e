"""The collective's side: who acts, what it sees, how it ranks and plans its flips.

Layer: the collective's side, above ``scorers`` and below ``advisor`` and ``organiser``. It may
import ``scorers``, the shared ``learning`` layer, ``data``, ``metrics`` and private leaves;
never the firm's side (``firm``, ``baselines``) or anything above. Everything here decides
from the collective's own rows or a :class:`CollectiveView`.
"""

from ._coalition import CoalitionRanking, knowledge_pool_for, parse_coalition, rank_coalition
from ._members import check_alpha, draw_collective, draw_knowledge, knowledge_label, parse_knowledge
from ._plan import PLAN_COLUMNS, make_plan, rank_candidates, resolve_budget
from ._ranking import CollectiveRanking, rank_collective
from ._stealth import (
    STEALTH_ROUNDS,
    ViewRisk,
    audit_risk,
    check_avoid_audit,
    check_view_audit,
    down_rank,
    stealth_order,
)
from ._view import (
    MSG_RATE_NEEDS_SHARE,
    CollectiveView,
    check_favourable,
    check_share,
    favourable_labels,
    view_from_split,
    view_from_tables,
)

__all__ = [
    "MSG_RATE_NEEDS_SHARE",
    "PLAN_COLUMNS",
    "STEALTH_ROUNDS",
    "CoalitionRanking",
    "CollectiveRanking",
    "CollectiveView",
    "ViewRisk",
    "audit_risk",
    "check_alpha",
    "check_avoid_audit",
    "check_favourable",
    "check_share",
    "favourable_labels",
    "check_view_audit",
    "down_rank",
    "draw_collective",
    "draw_knowledge",
    "knowledge_label",
    "knowledge_pool_for",
    "make_plan",
    "parse_coalition",
    "parse_knowledge",
    "rank_candidates",
    "rank_coalition",
    "rank_collective",
    "resolve_budget",
    "stealth_order",
    "view_from_split",
    "view_from_tables",
]
