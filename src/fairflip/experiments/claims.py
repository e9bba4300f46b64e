"""Moved to :mod:`fairflip.analysis.claims`; this path warns on use and goes in 0.3."""

from fairflip._deprecate import moved_names

__getattr__ = moved_names(__name__, {
    "BEYOND": "fairflip.analysis.claims",
    "CLAIM_COLUMNS": "fairflip.analysis.claims",
    "NOT_CLAIMED": "fairflip.analysis.claims",
    "PAPER": "fairflip.analysis.claims",
    "VERDICTS": "fairflip.analysis.claims",
    "Criterion": "fairflip.analysis.claims",
    "all_claims": "fairflip.analysis.claims",
    "claim_collective_size": "fairflip.analysis.claims",
    "claim_error_cost": "fairflip.analysis.claims",
    "claim_firm_side": "fairflip.analysis.claims",
    "claim_flips": "fairflip.analysis.claims",
    "claim_knowledge": "fairflip.analysis.claims",
    "claim_toy": "fairflip.analysis.claims",
    "claim_row": "fairflip.analysis.claims",
    "headline": "fairflip.analysis.claims",
    "measure_selection": "fairflip.analysis.claims",
    "measurement_row": "fairflip.analysis.claims",
    "register_rows": "fairflip.analysis.claims",
})
