"""A NumPy ``.npz`` archive of arrays (an embedding matrix, labels, groups) as one table.

The archive is read with ``np.load(path, allow_pickle=False)``, so it can hold numeric,
boolean and fixed-width string arrays, never pickled objects. Expected arrays:

``X``
    The features, 2-D numeric of shape (n, d), finite (no NaN or infinity). Its columns
    become the table's feature columns ``X0 .. X{d-1}``, or the names in ``feature_names``.
    float32 stays float32.
``y`` (or any name passed as ``label``)
    The label, 1-D of length n.
``group`` (or any name passed as ``group``)
    The sensitive attribute, 1-D of length n.
``ids`` (optional; or any name passed as ``id_column``)
    Member ids, 1-D of length n; :func:`~fairflip.data.load_table` takes ``ids`` as the id
    column when no other is named.
``feature_names`` (optional)
    d distinct strings naming the columns of ``X``.

Every other 1-D array of length n becomes one more column (a feature, unless it is named as
the label, group or id column).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..exceptions import DataError

__all__ = ["NPZ_IDS_KEY", "NPZ_SUFFIX", "read_npz", "MSG_NPZ_KEY", "MSG_NPZ_SHAPE", "MSG_NPZ_NAN",
           "MSG_NPZ_DTYPE"]

NPZ_SUFFIX = ".npz"
FEATURES_KEY = "X"
NPZ_IDS_KEY = "ids"
NAMES_KEY = "feature_names"

MSG_NPZ_KEY = ("The .npz file {path!r} has no array {key!r} ({role}); its arrays are "
               "{keys}.")
MSG_NPZ_SHAPE = ("The array {key!r} of {path!r} must have shape {expected}. Got {shape} "
                 "instead.")
MSG_NPZ_DTYPE = ("The array {key!r} of {path!r} must be numeric (float or integer). Got "
                 "dtype {dtype} instead.")
MSG_NPZ_NAN = ("The array {key!r} of {path!r} has {count} missing or infinite values; "
               "embeddings must be finite.")
MSG_NPZ_UNREADABLE = "The file {path!r} cannot be read as .npz: {why}."


def _keys(arrays) -> str:
    return ", ".join(repr(k) for k in sorted(arrays)) or "none"


def read_npz(path, *, required=()) -> pd.DataFrame:
    """The arrays of an ``.npz`` archive as one DataFrame (see the module notes).

    Parameters
    ----------
    path : str or Path
    required : sequence of (key, role)
        1-D arrays that must be present (``("y", "the label")``); a missing one raises a
        one-line :class:`~fairflip.exceptions.DataError` naming it.

    Returns
    -------
    DataFrame
        Feature columns from ``X`` first (dtype kept), then every other 1-D array.

    Examples
    --------
    >>> import io, numpy as np
    >>> buffer = io.BytesIO()
    >>> np.savez(buffer, X=np.ones((3, 2), dtype=np.float32), y=[0, 1, 1], group=[0, 0, 1])
    >>> _ = buffer.seek(0)
    >>> frame = read_npz(buffer)
    >>> frame.columns.tolist(), str(frame["X0"].dtype)
    (['X0', 'X1', 'y', 'group'], 'float32')
    """
    shown = str(path)
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in archive.files}
    except (ValueError, OSError, zipfile.BadZipFile, EOFError) as exc:
        why = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise DataError(MSG_NPZ_UNREADABLE.format(path=shown, why=why)) from None
    if FEATURES_KEY not in arrays:
        raise DataError(MSG_NPZ_KEY.format(path=shown, key=FEATURES_KEY, role="the features",
                                           keys=_keys(arrays)))
    X = arrays.pop(FEATURES_KEY)
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise DataError(MSG_NPZ_SHAPE.format(key=FEATURES_KEY, path=shown,
                                             expected="(rows, features), both at least 1",
                                             shape=X.shape))
    if not (np.issubdtype(X.dtype, np.floating) or np.issubdtype(X.dtype, np.integer)):
        raise DataError(MSG_NPZ_DTYPE.format(key=FEATURES_KEY, path=shown, dtype=X.dtype))
    if np.issubdtype(X.dtype, np.floating):
        if X.dtype == np.float16:
            X = X.astype(np.float32)
        bad = int(X.size - np.count_nonzero(np.isfinite(X)))
        if bad:
            raise DataError(MSG_NPZ_NAN.format(key=FEATURES_KEY, path=shown, count=bad))
    n, d = X.shape
    for key, role in required:
        if key not in arrays:
            raise DataError(MSG_NPZ_KEY.format(path=shown, key=key, role=role,
                                               keys=_keys({FEATURES_KEY: X, **arrays})))
    names = arrays.pop(NAMES_KEY, None)
    if names is None:
        names = [f"{FEATURES_KEY}{j}" for j in range(d)]
    else:
        names = [str(v) for v in np.asarray(names).reshape(-1)]
        if len(names) != d or len(set(names)) != d:
            raise DataError(MSG_NPZ_SHAPE.format(key=NAMES_KEY, path=shown,
                                                 expected=f"({d},) of distinct names",
                                                 shape=f"{len(names)} names"))
    columns = {}
    for key, value in arrays.items():
        if value.shape != (n,):
            raise DataError(MSG_NPZ_SHAPE.format(key=key, path=shown, expected=f"({n},)",
                                                 shape=value.shape))
        if key in names:
            raise DataError(f"The array {key!r} of {shown!r} has the name of a feature column.")
        columns[key] = value
    # One float32 (or float64) block for the features: no per-column copy of a wide matrix.
    frame = pd.DataFrame(X, columns=names, copy=False)
    if columns:
        frame = pd.concat([frame, pd.DataFrame(columns)], axis=1)
    return frame


def is_npz(path) -> bool:
    return Path(str(path)).name.lower().endswith(NPZ_SUFFIX)
