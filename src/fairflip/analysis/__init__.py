"""Pure pandas over results rows: operating points, fronts, efficiency, verdicts, claims.

Layer: above ``simulation`` and below ``experiments``; it may import ``metrics`` and private
leaves only, and uses no DuckDB and no matplotlib. Every "best point" in claims, figures, the
report and the studies is chosen here (:func:`select_points`).
"""

from ._advice import CHOICES, advice_rows, advice_table, budget_choices
from ._advice_knowledge import (
    KNOWLEDGE_CHOICES,
    KNOWLEDGE_ORDER,
    knowledge_advice_rows,
    knowledge_advice_table,
)
from ._fronts import efficiency_table, flip_efficiency, pareto_front, summarize_front
from ._method_claims import REFERENCE as REFERENCE_METHOD
from ._method_claims import flips_to_target, method_rows, reference_rows
from ._rows import (
    GRID_KEYS,
    METHOD_ORDER,
    FigureNotSupported,
    aggregate,
    alpha_for,
    at_alpha,
    base_value,
    collective_rows,
    figure_cells,
    method_label,
    pareto_alphas,
    require_columns,
    select,
    series,
    sort_key,
)
from ._select import (
    SELECTION_MODES,
    SELECTIONS,
    best_point,
    collective_size_points,
    collective_size_series,
    main_k,
    point_column,
    point_columns,
    select_points,
)
from ._verdict import (
    CLAIM_COLUMNS,
    NOT_CLAIMED,
    VERDICTS,
    Criterion,
    claim_row,
    interval_label,
    measurement_row,
    paired_interval,
    register_rows,
    registered_rows,
    rows_frame,
)

__all__ = [
    "REFERENCE_METHOD",
    "SELECTION_MODES",
    "best_point",
    "collective_size_points",
    "collective_size_series",
    "CHOICES",
    "advice_rows",
    "advice_table",
    "budget_choices",
    "KNOWLEDGE_CHOICES",
    "KNOWLEDGE_ORDER",
    "knowledge_advice_rows",
    "knowledge_advice_table",
    "efficiency_table",
    "GRID_KEYS",
    "METHOD_ORDER",
    "FigureNotSupported",
    "aggregate",
    "alpha_for",
    "at_alpha",
    "base_value",
    "collective_rows",
    "figure_cells",
    "method_label",
    "pareto_alphas",
    "require_columns",
    "select",
    "series",
    "sort_key",
    "CLAIM_COLUMNS",
    "NOT_CLAIMED",
    "SELECTIONS",
    "VERDICTS",
    "Criterion",
    "claim_row",
    "flip_efficiency",
    "flips_to_target",
    "method_rows",
    "reference_rows",
    "interval_label",
    "main_k",
    "measurement_row",
    "paired_interval",
    "pareto_front",
    "point_column",
    "point_columns",
    "register_rows",
    "registered_rows",
    "rows_frame",
    "select_points",
    "summarize_front",
]
