"""Small helpers every data source shares: parameter checks and Problem assembly."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..exceptions import ConfigError
from ._problem import Problem

__all__ = ["check_choice", "build_problem", "listing", "lower_rate_value"]


def listing(values, limit: int = 8) -> str:
    """``'a', 'b', ... (12 in all)``: the first ``limit`` values for a one-line message."""
    values = list(values)
    shown = ", ".join(repr(v) for v in values[:limit])
    return shown + (f", ... ({len(values)} in all)" if len(values) > limit else "")


def check_choice(value, choices, *, param: str, where: str):
    """``value`` if it is one of ``choices``, else a one-line ConfigError listing them."""
    if value not in choices:
        valid = ", ".join(repr(c) for c in choices)
        raise ConfigError(
            f"The '{param}' parameter of {where} must be one of {valid}. Got {value!r} instead."
        )
    return value


def lower_rate_value(values: pd.Series, y: np.ndarray):
    """The value of ``values`` whose rows have the lowest favourable rate (ties: first sorted)."""
    rates = pd.Series(np.asarray(y, dtype=float), index=values.index).groupby(
        values.to_numpy(), sort=True
    ).mean()
    return rates.idxmin()


def build_problem(
    name: str,
    features: pd.DataFrame,
    y,
    acting,
    *,
    sensitive: str,
    acting_label: str,
    other_label: str,
    info: dict,
    counterfactual=None,
    group_values=None,
    standardize: bool = True,
) -> Problem:
    """A Problem with int8 arrays and a fresh 0..n-1 index on ``features``.

    ``group_values`` (one label per row) makes a multi-group problem; ``acting`` then marks
    the rows of the acting label.
    """
    features = features.reset_index(drop=True)
    return Problem(
        name=name,
        features=features,
        y=np.asarray(y, dtype=np.int8),
        group=np.asarray(acting, dtype=np.int8),
        sensitive=sensitive,
        acting_label=acting_label,
        other_label=other_label,
        counterfactual=counterfactual,
        info=dict(info),
        group_values=None if group_values is None else np.asarray(group_values, dtype=object),
        standardize=standardize,
    )
