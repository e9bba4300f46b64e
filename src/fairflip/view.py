"""Moved to :mod:`fairflip.collective`; this path warns on use and goes in 0.3."""

from fairflip._deprecate import moved_names

__getattr__ = moved_names(__name__, {
    "CollectiveView": "fairflip.collective",
    "check_share": "fairflip.collective",
    "view_from_split": "fairflip.collective",
    "view_from_tables": "fairflip.collective",
})
