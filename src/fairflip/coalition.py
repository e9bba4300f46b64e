"""Moved to :mod:`fairflip.collective`; this path warns on use and goes in 0.3."""

from fairflip._deprecate import moved_names

__getattr__ = moved_names(__name__, {
    "CoalitionRanking": "fairflip.collective",
    "knowledge_pool_for": "fairflip.collective",
    "parse_coalition": "fairflip.collective",
    "rank_coalition": "fairflip.collective",
})
