"""Moved to :mod:`fairflip.analysis`; this path warns on use and goes in 0.3."""

from fairflip._deprecate import moved_names

__getattr__ = moved_names(__name__, {
    "flip_efficiency": "fairflip.analysis",
    "pareto_front": "fairflip.analysis",
    "summarize_front": "fairflip.analysis",
})
