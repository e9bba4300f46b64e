"""imbalanced-learn's sampler contract for :class:`~fairflip.organiser.CollectiveRelabeler`:
what comes in (lists, arrays, DataFrames, a 2-D target), which column holds the group, and
the same container types going out."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.utils.multiclass import type_of_target

from ..exceptions import ConfigError, DataError

__all__ = ["binary_target", "like_target", "split_group"]


def binary_target(y) -> np.ndarray:
    """``y`` as a 1-D 0/1 array; one-column 2-D targets are accepted (imbalanced-learn does)."""
    arr = y.to_numpy() if isinstance(y, (pd.Series, pd.DataFrame)) else np.asarray(y)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    kind = type_of_target(arr)
    if kind in ("multilabel-indicator", "multiclass-multioutput", "continuous-multioutput"):
        raise DataError("Multilabel and multioutput targets are not supported: 'y' must be one "
                        f"0/1 label per row. Got shape {arr.shape} instead.")
    if kind == "continuous" or kind == "unknown":
        raise DataError(f"Unknown label type: {kind}. The 'y' parameter must hold class labels "
                        "0 and 1.")
    if not np.isin(arr, (0, 1)).all():
        raise DataError("The 'y' parameter must hold the classes 0 and 1 (1 = favourable). "
                        f"Got classes {np.unique(arr)[:5].tolist()} instead.")
    return arr


def like_target(new: np.ndarray, y):
    """``new`` in the container type of the caller's ``y`` (and its dtype)."""
    if isinstance(y, pd.Series):
        return pd.Series(new, index=y.index, name=y.name).astype(y.dtype)
    if isinstance(y, pd.DataFrame):
        return pd.DataFrame(new.reshape(-1, 1), index=y.index, columns=y.columns).astype(
            y.dtypes.iloc[0])
    if isinstance(y, list):
        return new.tolist()
    arr = np.asarray(y)
    return new.astype(arr.dtype).reshape(arr.shape)


def split_group(X, group_column, acting_group, groups):
    """(numeric features without the group column, 0/1 groups).

    ``groups`` wins when given; otherwise ``group_column`` (a column name of a DataFrame, or
    a position) holds 0/1 values, or any values of which ``acting_group`` acts.
    """
    frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(np.asarray(X, dtype=object)
                                                              if _ragged(X) else np.asarray(X))
    if groups is not None:
        if group_column is not None:
            raise ConfigError("Give the group either as 'groups' or as 'group_column', not both.")
        return frame, np.asarray(groups)
    if group_column is None:
        raise ConfigError("The relabeler needs the group: pass groups= to fit_resample or set "
                          "group_column (a column of X).")
    if group_column in frame.columns:
        column = frame[group_column]
        features = frame.drop(columns=[group_column])
    elif isinstance(group_column, (int, np.integer)) and 0 <= group_column < frame.shape[1]:
        column = frame.iloc[:, int(group_column)]
        features = frame.drop(columns=frame.columns[int(group_column)])
    else:
        raise ConfigError(f"The 'group_column' parameter must name a column of X. Got "
                          f"{group_column!r} instead.")
    if acting_group is not None:
        hit = column.astype(str).to_numpy() == str(acting_group)
        if not hit.any():
            raise DataError(f"The 'acting_group' parameter must be a value of the group column. "
                            f"Got {acting_group!r} instead.")
        return features, hit.astype(np.int8)
    return features, column.to_numpy()


def _ragged(X) -> bool:
    return isinstance(X, list) and X and isinstance(X[0], (list, tuple)) and \
        len({len(r) for r in X}) > 1
