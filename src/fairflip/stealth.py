"""Moved to :mod:`fairflip.collective`; this path warns on use and goes in 0.3."""

from fairflip._deprecate import moved_names

__getattr__ = moved_names(__name__, {
    "STEALTH_ROUNDS": "fairflip.collective",
    "ViewRisk": "fairflip.collective",
    "audit_risk": "fairflip.collective",
    "check_avoid_audit": "fairflip.collective",
    "check_view_audit": "fairflip.collective",
    "down_rank": "fairflip.collective",
    "stealth_order": "fairflip.collective",
})
