"""Firm-side fairness methods to compare collective action against.

fairlearn's in- and post-processing (``ExponentiatedGradient``, ``ThresholdOptimizer``) and
``CorrelationRemover`` are wrapped; calibrated equalized odds, Kamiran & Calders'
massaging and reweighing, and FARE's certified fair representation (Jovanovic et al. 2023),
which no maintained library offers with our stack, are written here. :func:`trace_method`
runs any of them along its trade-off knob(s).

Layer: the firm's side, beside ``firm`` and independent of the collective's side; it may
import ``learning``, ``data``, ``metrics`` and private leaves.
"""

from ._calibrated_eo import COST_CONSTRAINTS, CalibratedEqualizedOdds, generalized_cost
from ._fare import FARE, clopper_pearson, eqod_certificate
from ._fare_tree import FairTree, grow_fair_tree
from ._preprocess import MassagePlan, massage_labels, massaging_pairs, reweighing_weights
from ._trace import (
    ALGORITHM_VERSIONS,
    CALIBRATED_EO_METHODS,
    CALIBRATION_SHARE,
    DEFAULT_KNOBS,
    FIRM_METHODS,
    TRACE_COLUMNS,
    fit_base,
    trace_method,
    trace_predictions,
)

__all__ = [
    "ALGORITHM_VERSIONS",
    "CALIBRATED_EO_METHODS",
    "CALIBRATION_SHARE",
    "COST_CONSTRAINTS",
    "DEFAULT_KNOBS",
    "FIRM_METHODS",
    "TRACE_COLUMNS",
    "CalibratedEqualizedOdds",
    "FARE",
    "FairTree",
    "MassagePlan",
    "clopper_pearson",
    "eqod_certificate",
    "fit_base",
    "generalized_cost",
    "grow_fair_tree",
    "massage_labels",
    "massaging_pairs",
    "reweighing_weights",
    "trace_method",
    "trace_predictions",
]
