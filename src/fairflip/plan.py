"""Moved to :mod:`fairflip.collective`, :mod:`fairflip.learning`; this path warns on use and goes in 0.3."""

from fairflip._deprecate import moved_names

__getattr__ = moved_names(__name__, {
    "PLAN_COLUMNS": "fairflip.collective",
    "make_plan": "fairflip.collective",
    "rank_candidates": "fairflip.collective",
    "resolve_budget": "fairflip.collective",
    "flip_labels": "fairflip.learning",
})
