"""Moved to :mod:`fairflip.simulation`; this path warns on use and goes in 0.3."""

from fairflip._deprecate import moved_names

__getattr__ = moved_names(__name__, {
    "CoalitionEvaluation": "fairflip.simulation",
    "evaluate_coalition": "fairflip.simulation",
    "evaluation_groups": "fairflip.simulation",
    "group_metrics": "fairflip.simulation",
    "group_table": "fairflip.simulation",
    "require_multigroup": "fairflip.simulation",
})
