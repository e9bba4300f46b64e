"""Moved to :mod:`fairflip.collective`, :mod:`fairflip.organiser`; this path warns on use and goes in 0.3."""

from fairflip._deprecate import moved_names

__getattr__ = moved_names(__name__, {
    "CollectiveRanking": "fairflip.collective",
    "rank_collective": "fairflip.collective",
    "CollectiveRelabeler": "fairflip.organiser",
})
