"""The organiser's tools: the relabeler estimator and the plan from a collective's own tables.

Layer: the top of the collective's side (above ``advisor``, which ``budget="auto"`` calls). It
may import ``advisor``, ``collective``, ``scorers``, ``learning``, ``data`` and private leaves;
never the firm's side or anything above.
"""

from ._relabeler import CollectiveRelabeler
from ._tables import plan_from_tables

__all__ = ["CollectiveRelabeler", "plan_from_tables"]
