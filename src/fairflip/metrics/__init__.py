"""Metrics in three layers: base rates, a by-group engine, gaps as thin compositions.

Layer: the bottom, beside ``data``; it imports only private leaves.
"""

from ._by_group import rates_by_group
from ._collective import collective_success, flip_precision
from ._detection import DETECTION_KEYS, detection_report
from ._gaps import (
    METRIC_COLUMNS,
    equalized_odds_gap,
    fairness_report,
    fairness_reports,
    statistical_parity_gap,
)
from ._multi import (
    MIN_RATE_ROWS,
    MULTIGROUP_COLUMNS,
    group_gaps,
    group_labels_of,
    multigroup_report,
    rates_by_groups,
)
from ._rates import RATE_NAMES, base_rates

__all__ = [
    "DETECTION_KEYS",
    "METRIC_COLUMNS",
    "MIN_RATE_ROWS",
    "MULTIGROUP_COLUMNS",
    "RATE_NAMES",
    "base_rates",
    "collective_success",
    "detection_report",
    "equalized_odds_gap",
    "fairness_report",
    "fairness_reports",
    "flip_precision",
    "group_gaps",
    "group_labels_of",
    "multigroup_report",
    "rates_by_group",
    "rates_by_groups",
    "statistical_parity_gap",
]
