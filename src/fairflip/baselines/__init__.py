"""Firm-side fairness methods to compare collective action against.

fairlearn's in- and post-processing (``ExponentiatedGradient``, ``ThresholdOptimizer``) and
``CorrelationRemover`` are wrapped; calibrated equalized odds and Kamiran & Calders'
massaging and reweighing, which no maintained library offers with our stack, are written
here. :func:`trace_method` runs any of them along its trade-off knob.
"""

from ._calibrated_eo import COST_CONSTRAINTS, CalibratedEqualizedOdds, generalized_cost
from ._preprocess import MassagePlan, massage_labels, massaging_pairs, reweighing_weights
from ._trace import (
    CALIBRATED_EO_METHODS,
    CALIBRATION_SHARE,
    DEFAULT_KNOBS,
    FIRM_METHODS,
    TRACE_COLUMNS,
    fit_base,
    trace_method,
)

__all__ = [
    "CALIBRATED_EO_METHODS",
    "CALIBRATION_SHARE",
    "COST_CONSTRAINTS",
    "DEFAULT_KNOBS",
    "FIRM_METHODS",
    "TRACE_COLUMNS",
    "CalibratedEqualizedOdds",
    "MassagePlan",
    "fit_base",
    "generalized_cost",
    "massage_labels",
    "massaging_pairs",
    "reweighing_weights",
    "trace_method",
]
