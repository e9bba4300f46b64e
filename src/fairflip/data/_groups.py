"""Groups with two or more values: one sensitive column or the intersection of several.

A multi-group :class:`Problem` keeps the full categorical group of every row in
``group_values`` (one label per row; an intersection's label joins the columns' values with
``","``, e.g. ``"Black,Female"``) next to the binary acting indicator ``group`` that every
binary code path uses unchanged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..exceptions import DataError
from ._common import build_problem
from ._common import listing as _listing
from ._problem import Problem

__all__ = [
    "DEFAULT_ACTING_MIN_SHARE",
    "GROUP_SEPARATOR",
    "group_labels",
    "group_problem",
    "make_group_problem",
    "parse_group_columns",
    "resolve_acting_value",
]

GROUP_SEPARATOR = ","
# The default acting group is the lowest favourable rate among groups holding at least this
# share of the rows: a handful of rows (COMPAS has 11 Native Americans) is no base for a
# collective, and its rate is mostly noise.
DEFAULT_ACTING_MIN_SHARE = 0.02

MSG_NO_GROUP_COLUMN = ("The 'group' parameter names {column!r}, which is not a column of the "
                       "{where}. Got {group!r} instead; columns are {columns}.")
MSG_REPEATED_COLUMN = "The 'group' parameter names the column {column!r} twice. Got {group!r} instead."
MSG_ACTING_PARTS = ("The 'acting_group' parameter must give one value per group column "
                    "({columns}). Got {value!r} instead.")
MSG_ACTING_VALUE = ("The 'acting_group' parameter names {part!r}, which is not a value of the "
                    "column {column!r}. Got {value!r} instead; values are {values}.")
MSG_EMPTY_INTERSECTION = ("The 'acting_group' parameter names the intersection {value!r} of "
                          "{columns}, which has no rows.")


def parse_group_columns(group: str, columns, *, where: str = "table") -> list[str]:
    """``"race,sex"`` -> ``["race", "sex"]``, each checked to be one of ``columns``.

    A name that is itself a column (even with a comma in it) is one column.
    """
    columns = [str(c) for c in columns]
    if group in columns:
        return [group]
    names = [part.strip() for part in str(group).split(GROUP_SEPARATOR)]
    for name in names:
        if name not in columns:
            raise DataError(MSG_NO_GROUP_COLUMN.format(column=name, where=where, group=group,
                                                       columns=_listing(columns)))
    seen = set()
    for name in names:
        if name in seen:
            raise DataError(MSG_REPEATED_COLUMN.format(column=name, group=group))
        seen.add(name)
    return names


def group_labels(frame: pd.DataFrame, columns) -> np.ndarray:
    """One string label per row: the column's value, or the columns' values joined by ','."""
    columns = list(columns)
    labels = frame[columns[0]].astype(str).str.strip()
    for name in columns[1:]:
        labels = labels + GROUP_SEPARATOR + frame[name].astype(str).str.strip()
    return labels.to_numpy(dtype=object)


def resolve_acting_value(frame: pd.DataFrame, columns, labels, y, acting_group=None) -> str:
    """The acting group's label, checked against the data.

    Without ``acting_group``: the lowest favourable rate among groups with at least
    :data:`DEFAULT_ACTING_MIN_SHARE` of the rows. With it: every part must be a value of its
    column (compared as stripped strings) and the intersection must have rows.
    """
    columns = list(columns)
    labels = np.asarray(labels, dtype=object)
    if acting_group is None:
        rates = pd.Series(np.asarray(y, dtype=float)).groupby(labels, sort=True).agg(["mean", "size"])
        big = rates[rates["size"] >= DEFAULT_ACTING_MIN_SHARE * len(labels)]
        return str((big if len(big) else rates)["mean"].idxmin())
    value = str(acting_group)
    parts = [p.strip() for p in value.split(GROUP_SEPARATOR)] if len(columns) > 1 else [value.strip()]
    if len(parts) != len(columns):
        raise DataError(MSG_ACTING_PARTS.format(columns=", ".join(columns), value=value))
    for part, name in zip(parts, columns, strict=True):
        values = sorted(pd.unique(frame[name].astype(str).str.strip()))
        if part not in values:
            raise DataError(MSG_ACTING_VALUE.format(part=part, column=name, value=value,
                                                    values=_listing(values)))
    label = GROUP_SEPARATOR.join(parts)
    if not (labels == label).any():
        raise DataError(MSG_EMPTY_INTERSECTION.format(value=value, columns=", ".join(columns)))
    return label


def make_group_problem(name: str, features: pd.DataFrame, y, labels, acting_value: str, *,
                       sensitive: str, info: dict) -> Problem:
    """A multi-group Problem: ``group`` marks ``acting_value``, ``group_values`` keeps every label."""
    labels = np.asarray(labels, dtype=object)
    return build_problem(name, features, y, labels == acting_value, sensitive=sensitive,
                         acting_label=acting_value, other_label=f"not {acting_value}",
                         info=info, group_values=labels)


def group_problem(name: str, frame: pd.DataFrame, y, features: pd.DataFrame, *, sensitive: str,
                  acting_group=None, info: dict, where: str = "table") -> Problem:
    """A Problem from ``frame``'s group column(s) ``sensitive`` (``"race"`` or ``"race,sex"``).

    A single column with exactly two values gives a binary problem (as before issue 10: one
    acting indicator); more values or an intersection give a multi-group problem.
    """
    columns = parse_group_columns(sensitive, frame.columns, where=where)
    labels = group_labels(frame, columns)
    acting = resolve_acting_value(frame, columns, labels, y, acting_group)
    sensitive = GROUP_SEPARATOR.join(columns)
    distinct = sorted(pd.unique(labels))
    if len(columns) == 1 and len(distinct) == 2:
        other = next(v for v in distinct if v != acting)
        return build_problem(name, features, y, labels == acting, sensitive=sensitive,
                             acting_label=acting, other_label=other, info=info)
    return make_group_problem(name, features, y, labels, acting, sensitive=sensitive, info=info)
