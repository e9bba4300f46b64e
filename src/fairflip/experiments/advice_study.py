"""Moved to :mod:`fairflip.reproduce`; this path warns on use and goes in 0.3."""

from fairflip._deprecate import moved_names

__getattr__ = moved_names(__name__, {
    "CHOICES": "fairflip.reproduce",
    "advice_rows": "fairflip.reproduce",
    "budget_choices": "fairflip.reproduce",
    "plot_advisor_figures": "fairflip.reproduce",
})
