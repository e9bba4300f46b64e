"""What a collective can see: :class:`CollectiveView`, the only input of its decisions.

A collective sees its own members' rows (features and labels), the rows of the other group
it happens to know (the ``knowledge`` setting), and facts the user states in public (the
acting group's share of the firm's data, the collective's share ``alpha`` of its group, the
majority's favourable rate).
Nothing else: no non-member rows of the acting group, no unknown rows of the other group,
nothing of the firm's test split. The rule is written down in ``docs/collective-view.md``.

Two builders copy only the allowed rows: :func:`view_from_split` for simulations (sweeps,
``evaluate``, :class:`~fairflip.organiser.CollectiveRelabeler`) and :func:`view_from_tables`
for an organiser's own files (``fairflip advise`` and ``fairflip plan``).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data import MSG_FAVOURABLE_ABSENT, TabularEncoder, listing
from ..data import binary_label as _binary_label
from ..exceptions import ConfigError, DataError

__all__ = ["CollectiveView", "MSG_RATE_NEEDS_SHARE", "check_favourable", "check_share",
           "favourable_labels", "view_from_split", "view_from_tables"]

MSG_RATE_NEEDS_SHARE = ("The 'majority_rate' parameter needs the acting group's share of the "
                        "firm's data stated too (group_share, --group-share). Got a rate of "
                        "{rate!r} and no group share instead.")


def check_share(value, name: str) -> float | None:
    """A stated share as a float strictly inside (0, 1] (``alpha``) or (0, 1) (group share,
    majority rate)."""
    if value is None:
        return None
    upper_ok = name == "alpha"
    if (isinstance(value, bool) or not isinstance(value, numbers.Real)
            or not np.isfinite(value) or not (0.0 < float(value) < 1.0
                                              or (upper_ok and float(value) == 1.0))):
        interval = "(0, 1]" if upper_ok else "(0, 1)"
        raise ConfigError(f"The '{name}' parameter must be a number in {interval}. "
                          f"Got {value!r} instead.")
    return float(value)


def _frozen(array, dtype) -> np.ndarray:
    out = np.array(array, dtype=dtype, copy=True)
    out.setflags(write=False)
    return out


@dataclass(frozen=True, eq=False)
class CollectiveView:
    """Everything a collective may use to decide, and nothing else.

    Arrays are private read-only copies: a view never shares memory with the data it was
    built from, so nothing done to that data later can change it.

    Attributes
    ----------
    X_members : ndarray of shape (n_members, n_features)
        The members' encoded features, without the group indicator (every member is in the
        acting group).
    y_members : ndarray of {0, 1}
        The members' own labels (1 = favourable).
    member_ids : ndarray
        The members' ids (as in the organiser's table, or the split's row ids).
    X_known, y_known, known_ids
        The same for the rows of the other group the collective knows.
    feature_names : tuple of str
    group_share : float or None
        Stated share of the acting group in the firm's data, in (0, 1).
    alpha : float or None
        Stated share of the acting group that is in the collective, in (0, 1].
    majority_rate : float or None
        Stated favourable rate of the other group (the majority) in the firm's data, in
        (0, 1): a published figure such as a hiring, lending or admission rate. Needs a
        stated ``group_share``. In simulations it is the data set's rate over all its rows
        (the published figure), never the firm's split.

    Examples
    --------
    >>> import numpy as np
    >>> view = CollectiveView(np.zeros((2, 1)), [0, 1], [7, 8], np.ones((3, 1)), [0, 1, 1],
    ...                       [1, 2, 3], ("x",), group_share=0.3, alpha=0.5)
    >>> view.n_members, view.n_known, view.n_candidates
    (2, 3, 1)
    """

    X_members: np.ndarray
    y_members: np.ndarray
    member_ids: np.ndarray
    X_known: np.ndarray
    y_known: np.ndarray
    known_ids: np.ndarray
    feature_names: tuple[str, ...]
    group_share: float | None = None
    alpha: float | None = None
    majority_rate: float | None = None

    def __post_init__(self):
        set_ = object.__setattr__
        for name in ("X_members", "X_known"):
            X = np.asarray(getattr(self, name), dtype=np.float64)
            if X.ndim != 2 or not np.isfinite(X).all():
                raise DataError(f"The '{name}' parameter must be a finite 2-D array. "
                                f"Got shape {X.shape} instead.")
            set_(self, name, _frozen(X, np.float64))
        for name in ("y_members", "y_known"):
            y = np.asarray(getattr(self, name))
            if y.ndim != 1 or not np.isin(y, (0, 1)).all():
                raise DataError(f"The '{name}' parameter must hold only 0 and 1.")
            set_(self, name, _frozen(y, np.int8))
        for name in ("member_ids", "known_ids"):
            set_(self, name, _frozen(getattr(self, name), None))
        if self.X_members.shape[0] == 0:
            raise DataError("The collective is empty: the view has no members.")
        if (self.X_members.shape[0] != self.y_members.size
                or self.member_ids.shape != self.y_members.shape
                or self.X_known.shape[0] != self.y_known.size
                or self.known_ids.shape != self.y_known.shape):
            raise DataError("The view's features, labels and ids must describe the same rows.")
        if self.X_known.shape[1] != self.X_members.shape[1]:
            raise DataError("The members and the known rows must have the same features. "
                            f"Got {self.X_members.shape[1]} and {self.X_known.shape[1]} instead.")
        set_(self, "feature_names", tuple(str(n) for n in self.feature_names))
        set_(self, "group_share", check_share(self.group_share, "group_share"))
        set_(self, "alpha", check_share(self.alpha, "alpha"))
        set_(self, "majority_rate", check_share(self.majority_rate, "majority_rate"))
        if self.majority_rate is not None and self.group_share is None:
            raise ConfigError(MSG_RATE_NEEDS_SHARE.format(rate=self.majority_rate))

    @property
    def n_members(self) -> int:
        return int(self.y_members.size)

    @property
    def n_known(self) -> int:
        return int(self.y_known.size)

    @property
    def candidates(self) -> np.ndarray:
        """Positions (among the members) of the negatively labelled members."""
        return np.flatnonzero(self.y_members == 0)

    @property
    def n_candidates(self) -> int:
        return int(self.candidates.size)


def _features(frame: pd.DataFrame, label: str, drop, where: str) -> pd.DataFrame:
    missing = [c for c in (label, *drop) if c not in frame.columns]
    if missing:
        raise DataError(f"The {where} table has no column {missing[0]!r}.")
    if frame[label].isna().any():
        raise DataError(f"The label column {label!r} of the {where} table has missing values.")
    return frame.drop(columns=[label, *drop])


def favourable_labels(column: pd.Series, favourable) -> np.ndarray:
    """Binary labels of one table; a table may hold a single label value.

    A collective often gathers only its negatively labelled members, so one value is normal
    here: 0/1 and False/True need no ``favourable``; other values do.
    """
    if favourable is None and set(pd.unique(column).tolist()) <= {0, 1}:
        return (column == 1).to_numpy(dtype=np.int8)
    if favourable is None:
        return _binary_label(column, None).astype(np.int8)
    hit = (column == favourable) | (column.astype(str) == str(favourable))
    return hit.to_numpy(dtype=np.int8)


def check_favourable(columns: list[pd.Series], favourable) -> None:
    """The favourable value must occur in the label columns, unless every row holds one
    other value (a collective that gathered only its negative members).

    A typo ('Hired' for 'hired') would otherwise make every member negative and flip
    members who are already favourable.
    """
    if favourable is None:
        return
    values = pd.unique(pd.concat(columns, ignore_index=True))
    text = {str(v) for v in values}
    if str(favourable) in text or any(v == favourable for v in values):
        return
    near = sorted(v for v in text if v.strip().casefold() == str(favourable).strip().casefold())
    if len(values) > 1 or near:
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise DataError(MSG_FAVOURABLE_ABSENT.format(
            column=columns[0].name, value=favourable, values=listing(sorted(text))) + hint)


def view_from_split(split, *, members, known, alpha=None, group_share=None,
                    majority_rate=None) -> CollectiveView:
    """The view of a simulated collective: copies of its members' and known rows only.

    Parameters
    ----------
    split : Split
        The firm's split; only ``X_train[members]``, ``X_train[known]`` and their labels and
        ids are copied (without the group indicator). The test split is never read.
    members, known : array-like of int
        Row positions in the training split (members: acting group; known: the other group).
    alpha, group_share, majority_rate : float or None
        Stated public facts. The caller states them: a simulation that states
        ``majority_rate`` passes the data set's published rate (the other group's rate over
        all the problem's rows), not a rate computed from this split.

    Returns
    -------
    CollectiveView
    """
    members = np.asarray(members, dtype=np.intp)
    known = np.asarray(known, dtype=np.intp)
    if (split.g_train[members] != 1).any() or (split.g_train[known] != 0).any():
        raise ConfigError("The view's members must be in the acting group and its known rows "
                          "in the other group.")
    X = split.scoring_view(split.X_train[np.concatenate([members, known])])
    names = tuple(n for i, n in enumerate(split.feature_names) if i != split.group_column)
    return CollectiveView(
        X[:members.size], split.y_train[members], split.train_ids[members],
        X[members.size:], split.y_train[known], split.train_ids[known], names,
        group_share=group_share, alpha=alpha, majority_rate=majority_rate,
    )


def view_from_tables(members: pd.DataFrame, *, label: str, majority: pd.DataFrame | None = None,
                     favourable=None, id_column=None, drop=(), alpha=None, group_share=None,
                     majority_rate=None, require_both_labels=True,
                     standardize=True) -> CollectiveView:
    """The view from an organiser's files: the members' table and the known majority rows.

    The encoder is fitted on these rows alone. ``require_both_labels`` makes a majority table
    holding one label value an error (a shadow firm cannot learn the other group's rates from
    it); ``fairflip plan`` with a fixed budget does not need that, and neither does the
    advisor when ``majority_rate`` is stated (a public fact that stands in for the missing
    label). ``standardize=False`` passes numeric features through unscaled (an embedding's
    geometry kept; see :class:`~fairflip.data.TabularEncoder`).

    Returns
    -------
    CollectiveView
    """

    majority_rate = check_share(majority_rate, "majority_rate")
    if majority_rate is not None and check_share(group_share, "group_share") is None:
        raise ConfigError(MSG_RATE_NEEDS_SHARE.format(rate=majority_rate))
    if majority_rate is not None:
        require_both_labels = False
    if len(members) == 0:
        raise DataError("The collective is empty: the members table has no rows.")
    drop = [*drop, *([id_column] if id_column else [])]
    X_members = _features(members, label, drop, "members")
    check_favourable([members[label], *([] if majority is None or label not in majority
                                          else [majority[label]])], favourable)
    y_members = favourable_labels(members[label], favourable)
    ids = members[id_column].to_numpy() if id_column else np.arange(len(members))
    if majority is not None and len(majority):
        X_major = _features(majority, label, [c for c in drop if c in majority.columns], "majority")
        if sorted(X_major.columns) != sorted(X_members.columns):
            extra = sorted(set(X_major.columns) ^ set(X_members.columns))
            raise DataError("The members and majority tables must have the same feature columns. "
                            f"Got {extra[0]!r} in only one of them instead.")
        X_major = X_major[X_members.columns]
        y_major = favourable_labels(majority[label], favourable)
        if require_both_labels and np.unique(y_major).size < 2:
            raise DataError("The majority table must hold both label values, or the majority's "
                            "favourable rate must be stated (--majority-rate with --group-share). "
                            f"Got only {int(y_major[0])} instead.")
        known_ids = (majority[id_column].to_numpy() if id_column and id_column in majority
                     else np.arange(len(majority)))
    else:
        X_major = X_members.iloc[:0]
        y_major = np.empty(0, dtype=np.int8)
        known_ids = np.empty(0, dtype=np.int64)
    encoder = TabularEncoder(standardize=standardize).fit(
        pd.concat([X_members, X_major], ignore_index=True))
    return CollectiveView(
        encoder.transform(X_members), y_members, ids,
        encoder.transform(X_major) if len(X_major) else np.empty((0, len(encoder.feature_names_))),
        y_major, known_ids, tuple(encoder.feature_names_), group_share=group_share, alpha=alpha,
        majority_rate=majority_rate,
    )
