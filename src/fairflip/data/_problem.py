"""The problem definition every data source produces, and the split the firm trains on.

Data sources (bundled files, folktables, a user's table, synthetic generators) build a
:class:`Problem`; :func:`fairflip.data.split_problem` turns it into a :class:`Split` of encoded
arrays. Both are frozen so they pickle cleanly for parallel sweeps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["Counterfactual", "Problem", "Split"]


@dataclass(frozen=True)
class Counterfactual:
    """What a known causal model says about every row (synthetic data only).

    Attributes
    ----------
    features : DataFrame
        The counterfactual features x_{A <- majority}, same columns and row order as
        ``Problem.features``; equal to the factual features for majority rows.
    proba : ndarray of float
        P0(Y = 1 | g(x)): the majority's label probability at the counterfactual features.
    label : ndarray of int8
        The counterfactual label argmax_y P0(y | g(x)), that is ``proba >= 0.5``.
    """

    features: pd.DataFrame
    proba: np.ndarray
    label: np.ndarray


@dataclass(frozen=True)
class Problem:
    """A binary classification task with a binary acting-group indicator.

    Attributes
    ----------
    name : str
        Data set name (``"adult"``, ``"synthetic"``, a file stem, ...).
    features : DataFrame
        Raw feature columns, label and sensitive column excluded. Categorical columns have
        object/category/string dtype, numeric columns numeric dtype; NaN allowed (the encoder
        handles it by a documented rule).
    y : ndarray of int8
        1 = favourable outcome.
    group : ndarray of int8
        1 = the acting group (the collective is drawn from it), 0 = everyone else.
    sensitive : str
        Name of the sensitive attribute (``"race"``, ``"sex"``, ...).
    acting_label, other_label : str
        Human-readable names of the two groups (``"non-White"``, ``"White"``).
    counterfactual : Counterfactual or None
        Known counterfactuals (synthetic data only).
    info : dict
        Provenance and notes shown by ``fairflip datasets``.
    """

    name: str
    features: pd.DataFrame
    y: np.ndarray
    group: np.ndarray
    sensitive: str
    acting_label: str
    other_label: str
    counterfactual: Counterfactual | None = None
    info: dict = field(default_factory=dict)

    @property
    def n_rows(self) -> int:
        return len(self.y)

    def favourable_rate(self, acting: bool) -> float:
        mask = self.group == (1 if acting else 0)
        return float(self.y[mask].mean()) if mask.any() else float("nan")

    @property
    def acting_share(self) -> float:
        return float(self.group.mean())

    @property
    def acting_is_smaller(self) -> bool:
        return self.acting_share < 0.5


@dataclass(frozen=True)
class Split:
    """Encoded train (the firm's pool) and test (its deployment) arrays.

    ``X_*`` are float64 and include the group indicator as the last column when
    ``group_column`` is not None; scorers use :meth:`scoring_view`, which drops it, since a
    collective asks what its members' labels would be as majority members.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    g_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    g_test: np.ndarray
    train_ids: np.ndarray
    test_ids: np.ndarray
    feature_names: tuple[str, ...]
    group_column: int | None = None
    # Synthetic data only: encoded counterfactual features and labels.
    X_test_cf: np.ndarray | None = None
    p_train_cf: np.ndarray | None = None
    y_train_cf: np.ndarray | None = None

    def scoring_view(self, X: np.ndarray) -> np.ndarray:
        """``X`` without the group indicator column (a view-free copy when present)."""
        if self.group_column is None:
            return X
        return np.delete(X, self.group_column, axis=1)
