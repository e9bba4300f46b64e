"""The one source of the method names and defaults every module (and the CLI) uses.

Import-light on purpose (no numpy): config validation, the CLI and the plotting code read
these lists without loading the scorers or the firm-side methods.
"""

from __future__ import annotations

__all__ = ["CALIBRATED_EO_METHODS", "DEFAULT_K", "FIRM_FAMILIES", "FIRM_METHODS", "KNN_SCORERS",
           "NEIGHBOR_MODES", "RB_SCORERS", "SCORER_NAMES"]

#: The collective's scorers, in the order tables and figures list them.
SCORER_NAMES = ("rb-prob", "rb-label", "rb-dist", "random", "oracle")
#: Scorers that learn from the majority rows the collective knows (the rest need none).
RB_SCORERS = ("rb-prob", "rb-label", "rb-dist")
#: Scorers with a neighbour count ``k``.
KNN_SCORERS = ("rb-label", "rb-dist")
#: Their neighbour search: exact brute force (the default) or hnswlib's approximate graphs.
NEIGHBOR_MODES = ("exact", "approx")
#: The firm-side fairness methods a sweep can trace (``fairflip.baselines.trace_method``).
FIRM_METHODS = ("expgrad", "threshold", "calibrated_eo", "massaging", "reweighing",
                "correlation_remover", "fare")
#: Calibrated equalized odds by cost constraint (family "calibrated_eo"; the bare name traces
#: all three).
CALIBRATED_EO_METHODS = ("calibrated_eo_fnr", "calibrated_eo_fpr", "calibrated_eo_weighted")
#: Every family a firm-side results row may carry: a sweep traces each cost constraint of
#: calibrated EO as a family of its own (``calibrated_eo`` alone is the weighted cost).
FIRM_FAMILIES = FIRM_METHODS + CALIBRATED_EO_METHODS
#: Neighbours of rb-label / rb-dist. The paper does not publish k; its illustration uses 3.
#: A small k keeps the score local.
DEFAULT_K = 10
