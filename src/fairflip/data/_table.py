"""A user's own CSV, Parquet or .npz table -> Problem, with one-line errors naming what is wrong."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd

from ..exceptions import ConfigError, DataError
from ._common import build_problem
from ._common import listing as _listing
from ._groups import GROUP_SEPARATOR, group_problem, parse_group_columns
from ._npz import NPZ_IDS_KEY, is_npz, read_npz

__all__ = ["load_table", "TABLE_SUFFIXES"]

TABLE_SUFFIXES = (".csv", ".csv.gz", ".parquet", ".pq", ".npz")

# Message templates; tests import them so wording changes stay in one place.
MSG_SUFFIX = ("The 'path' parameter must name a .csv, .csv.gz, .parquet, .pq or .npz file. "
              "Got {path!r} instead.")
MSG_MISSING_FILE = "The 'path' parameter must name an existing file. Got {path!r} instead."
MSG_EMPTY = "The table {path!r} has no rows."
MSG_UNREADABLE = "The file {path!r} cannot be read as {kind}: {why}."
MSG_NO_COLUMN = ("The '{param}' parameter must name a column of the table. Got {value!r} "
                 "instead; columns are {columns}.")
MSG_SAME_COLUMN = ("The 'label' and 'group' parameters must name different columns. "
                   "Got {value!r} for both.")
MSG_NAN = "The {role} column {column!r} has {count} missing values; drop or fill those rows first."
MSG_FAVOURABLE_ABSENT = ("The 'favourable' parameter must be a value of the label column "
                         "{column!r}. Got {value!r} instead; values are {values}.")
MSG_NOT_BINARY = ("The label column {column!r} has {count} distinct values ({values}); pass "
                  "favourable= (--favourable) to name the favourable one.")
MSG_AMBIGUOUS = ("The label column {column!r} has values {values}, not 0/1 or False/True; pass "
                 "favourable= (--favourable) to say which is favourable.")
MSG_ONE_GROUP = "The group column {column!r} has a single value {value!r}; it needs at least two."
MSG_UNKNOWN_ACTING = ("The 'acting_group' parameter must be a value of the group column "
                      "{column!r}. Got {value!r} instead; values are {values}.")
MSG_BAD_IDS = "The id column {column!r} must hold unique, non-missing values; {problem}."
MSG_NO_FEATURES = "The table {path!r} has no feature columns besides the label, group and id."


def _separator(path: Path) -> str:
    """',' unless the header line holds more ';' or tabs (spreadsheets in many locales
    write semicolons)."""
    import gzip

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            header = handle.readline(65536)
    except OSError:
        return ","
    counts = {sep: header.count(sep.encode()) for sep in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] > counts[","] else ","


def _read(path: Path, *, required=()) -> pd.DataFrame:
    path = Path(path)
    name = path.name.lower()
    if not name.endswith(TABLE_SUFFIXES):
        raise DataError(MSG_SUFFIX.format(path=str(path)))
    if not path.is_file():
        raise DataError(MSG_MISSING_FILE.format(path=str(path)))
    if is_npz(path):
        # Arrays X (features), the label, the group (and ids) as columns; see _npz.py.
        return read_npz(path, required=required)
    parquet = name.endswith((".parquet", ".pq"))
    try:
        if parquet:
            return pd.read_parquet(path)
        # utf-8-sig drops a byte-order mark (spreadsheet exports write one)
        return pd.read_csv(path, sep=_separator(path), encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        raise DataError(MSG_EMPTY.format(path=str(path))) from None
    except UnicodeDecodeError as exc:
        raise DataError(MSG_UNREADABLE.format(path=str(path), kind="UTF-8 CSV",
                                              why=f"byte {exc.start} is not UTF-8")) from None
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        # pandas' parser errors and pyarrow's ArrowInvalid are ValueErrors
        why = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise DataError(MSG_UNREADABLE.format(path=str(path), why=why,
                                              kind="Parquet" if parquet else "CSV")) from None


def _binary_label(label: pd.Series, favourable) -> np.ndarray:
    column = label.name
    values = pd.unique(label)
    if favourable is not None:
        hit = (label == favourable).to_numpy(dtype=bool)
        if not hit.any():
            # The CLI passes strings: '1' should match an integer label 1.
            hit = (label.astype(str) == str(favourable)).to_numpy(dtype=bool)
        if not hit.any():
            raise DataError(MSG_FAVOURABLE_ABSENT.format(
                column=column, value=favourable, values=_listing(sorted(map(str, values)))))
        return hit
    if len(values) != 2:
        raise DataError(MSG_NOT_BINARY.format(column=column, count=len(values),
                                              values=_listing(sorted(map(str, values)))))
    if pd.api.types.is_bool_dtype(label):
        return label.to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(label) and set(values.tolist()) == {0, 1}:
        return (label == 1).to_numpy(dtype=bool)
    raise DataError(MSG_AMBIGUOUS.format(column=column, values=_listing(sorted(map(str, values)))))


def load_table(
    path,
    *,
    label: str,
    group: str,
    acting_group=None,
    favourable=None,
    id_column: str | None = None,
    standardize: bool = True,
):
    """Read a user's CSV, Parquet or ``.npz`` table as a :class:`Problem`.

    Parameters
    ----------
    path : str or Path
        A ``.csv``, ``.csv.gz``, ``.parquet`` or ``.pq`` file, or a NumPy ``.npz`` archive
        (read with ``allow_pickle=False``) holding a 2-D numeric feature array ``X``, the
        label and group as 1-D arrays named by ``label`` and ``group`` (conventionally ``y``
        and ``group``), and optionally ``ids`` (the id column by default) and
        ``feature_names``; the
        columns of ``X`` become features ``X0``, ``X1``, ... (float32 kept).
    label : str
        The label column. Without ``favourable`` it must hold exactly two values, 0/1
        (1 favourable) or False/True (True favourable).
    group : str
        The sensitive attribute's column, or several joined by commas (``"race,sex"``) for
        their intersection. A column with two values gives a binary problem; more values, or
        an intersection, a multi-group problem where every group stays separate.
    acting_group : object, optional
        The group value whose members form the collective (compared as strings, so ``"1"``
        matches 1); for an intersection one value per column (``"Black,Female"``). Default:
        the value with the lowest favourable rate (in a multi-group problem, among groups
        with at least 2 % of the rows).
    favourable : object, optional
        The favourable label value; rows with any other label are unfavourable.
    id_column : str, optional
        A column of member ids, left out of the features and kept in ``info["ids"]`` so a
        plan can name members; without it the ids are row positions.
    standardize : bool, default=True
        Standardise numeric features (on the firm's training rows) before the firm and the
        scorers see them. False passes them through as they are (missing values still
        imputed), which keeps the geometry of an embedding; when every feature column is
        then float32, the encoded split stays float32 (``Problem.standardize``).

    Returns
    -------
    Problem
        Named after the file's stem; every other column is a feature.

    Raises
    ------
    DataError
        One line naming the file, column or value at fault.
    """
    if not isinstance(standardize, bool):
        raise ConfigError(f"The 'standardize' parameter must be True or False. Got "
                          f"{standardize!r} instead.")
    path = Path(path)
    required = [(label, "the label"), (group, "the group"),
                *([] if id_column is None else [(id_column, "the ids")])]
    df = _read(path, required=required if GROUP_SEPARATOR not in str(group) else required[:1])
    if len(df) == 0:
        raise DataError(MSG_EMPTY.format(path=str(path)))
    if id_column is None and is_npz(path) and NPZ_IDS_KEY in df.columns:
        id_column = NPZ_IDS_KEY  # an archive's 'ids' array names members, never a feature
    df.columns = [str(c) for c in df.columns]
    columns = _listing(df.columns.tolist())
    # "race,sex" names an intersection when it is not itself a column.
    group_columns = ([group] if group in df.columns or GROUP_SEPARATOR not in str(group)
                     else parse_group_columns(group, df.columns))
    for param, value in (("label", label), *(("group", c) for c in group_columns),
                         ("id_column", id_column)):
        if value is not None and value not in df.columns:
            raise DataError(MSG_NO_COLUMN.format(param=param, value=value, columns=columns))
    if label in group_columns:
        raise DataError(MSG_SAME_COLUMN.format(value=label))
    for role, column in (("label", label), *(("group", c) for c in group_columns)):
        count = int(df[column].isna().sum())
        if count:
            raise DataError(MSG_NAN.format(role=role, column=column, count=count))

    y = _binary_label(df[label], favourable)
    group_values = df[group_columns[0]].astype(str)
    distinct = sorted(pd.unique(group_values))
    if len(distinct) < 2 and len(group_columns) == 1:
        raise DataError(MSG_ONE_GROUP.format(column=group, value=distinct[0]))
    if (acting_group is not None and len(group_columns) == 1
            and str(acting_group) not in distinct):
        raise DataError(MSG_UNKNOWN_ACTING.format(column=group, value=acting_group,
                                                  values=_listing(distinct)))

    info = {"source": str(path), "label": f"{label}" + (
        f" == {favourable!r}" if favourable is not None else ""), "group_column": group}
    drop = [label, *group_columns]
    if id_column is not None:
        ids = df[id_column]
        if ids.isna().any():
            raise DataError(MSG_BAD_IDS.format(column=id_column, problem="some are missing"))
        if ids.duplicated().any():
            raise DataError(MSG_BAD_IDS.format(
                column=id_column, problem=f"{ids[ids.duplicated()].iloc[0]!r} repeats"))
        info["ids"] = ids.to_numpy()
        drop.append(id_column)
    features = df.drop(columns=drop)
    if features.shape[1] == 0:
        raise DataError(MSG_NO_FEATURES.format(path=str(path)))
    name = path.name.split(".")[0]
    if len(group_columns) > 1 or len(distinct) > 2:
        # Two or more columns, or more than two values: every group stays separate.
        problem = group_problem(name, df, y, features, sensitive=group,
                                acting_group=acting_group, info=info)
        return problem if standardize else dataclasses.replace(problem, standardize=False)
    if acting_group is None:
        rates = pd.Series(y.astype(float)).groupby(group_values.to_numpy(), sort=True).mean()
        acting_value = str(rates.idxmin())
    else:
        acting_value = str(acting_group)
    other_label = next(v for v in distinct if v != acting_value)
    return build_problem(
        name, features, y, (group_values == acting_value).to_numpy(),
        sensitive=group, acting_label=acting_value, other_label=other_label, info=info,
        standardize=standardize,
    )
