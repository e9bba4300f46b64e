"""Moved to :mod:`fairflip.firm`, :mod:`fairflip.simulation`; this path warns on use and goes in 0.3."""

from fairflip._deprecate import moved_names

__getattr__ = moved_names(__name__, {
    "Evaluation": "fairflip.simulation",
    "audited_firm": "fairflip.simulation",
    "evaluate": "fairflip.simulation",
    "firm_metrics": "fairflip.simulation",
    "make_split": "fairflip.simulation",
    "rank_split": "fairflip.simulation",
    "stealth_ranking": "fairflip.simulation",
    "train_firm": "fairflip.firm",
    "audit_and_retrain": "fairflip.firm",
})
