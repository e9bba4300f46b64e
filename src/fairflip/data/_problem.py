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
    group_values : ndarray of str or None
        Multi-group problems only: every row's full group label (``"Black"``, or
        ``"Black,Female"`` for an intersection of ``sensitive="race,sex"``); ``group`` is 1
        exactly where it equals ``acting_label``. None for the binary problems (the firm's
        features then hold the one acting indicator, as in the paper).
    standardize : bool
        Whether :func:`~fairflip.data.split_problem` standardises numeric features (True,
        the default) or passes them through as they are (an embedding's geometry kept; the
        split then stays float32 when every feature column is float32).
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
    group_values: np.ndarray | None = None
    standardize: bool = True

    @property
    def is_multigroup(self) -> bool:
        return self.group_values is not None

    def group_table(self) -> pd.DataFrame:
        """One row per group: ``group``, ``rows``, ``share``, ``favourable_rate``, ``acting``.

        A binary problem has the two rows acting label / other label.
        """
        labels = (self.group_values if self.is_multigroup else
                  np.where(self.group == 1, self.acting_label, self.other_label))
        frame = pd.DataFrame({"group": labels, "y": self.y.astype(float)})
        table = frame.groupby("group", sort=True)["y"].agg(rows="size", favourable_rate="mean")
        table = table.reset_index()
        table.insert(2, "share", table["rows"] / self.n_rows)
        table["acting"] = table["group"] == self.acting_label
        return table

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

    ``X_*`` are float64 (float32 for a problem with ``standardize=False`` whose features are
    all float32: the values as given, which every consumer widens exactly) and include the
    group indicator as the last column when
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
    # Multi-group problems only: every row's group label, and the positions of the one-hot
    # group columns that replace the single indicator (``group_column`` is then None).
    gv_train: np.ndarray | None = None
    gv_test: np.ndarray | None = None
    group_columns: tuple[int, ...] = ()

    def scoring_view(self, X: np.ndarray) -> np.ndarray:
        """``X`` without the group indicator column(s) (a view-free copy when present)."""
        drop = ([] if self.group_column is None else [self.group_column]) + list(self.group_columns)
        if not drop:
            return X
        return np.delete(X, drop, axis=1)
