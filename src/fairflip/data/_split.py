"""Problem -> Split: a stratified train/test split, encoded with what the train rows teach."""

from __future__ import annotations

import dataclasses
import numbers

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state

from .._deprecate import renamed_params
from .._seeding import resolve_seed, sub_seed
from ..exceptions import ConfigError
from ._encode import TabularEncoder
from ._problem import Problem, Split

__all__ = ["split_problem", "split_validation"]


def _check_fraction(value, name: str) -> float:
    if (not isinstance(value, numbers.Real) or isinstance(value, bool)
            or not 0.0 < float(value) < 1.0):
        raise ConfigError(
            f"The '{name}' parameter must be a number strictly between 0 and 1. "
            f"Got {value!r} instead."
        )
    return float(value)


def _stratified_positions(y, group, size, rng, name):
    """Row positions (kept, held out), stratified by group and label where each stratum
    has at least two rows, else by group alone, else not at all."""
    positions = np.arange(len(y))
    strata = np.asarray(group, dtype=np.int64) * 2 + np.asarray(y, dtype=np.int64)
    for stratify in (strata, np.asarray(group), None):
        if stratify is not None and np.unique(stratify, return_counts=True)[1].min() < 2:
            continue
        try:
            return train_test_split(positions, test_size=size, stratify=stratify,
                                    random_state=rng)
        except ValueError:
            # Too few rows for every stratum on both sides: try a coarser stratification.
            if stratify is None:
                raise ConfigError(
                    f"The '{name}' parameter leaves an empty side for {len(y)} rows. "
                    f"Got {size!r} instead."
                ) from None
    raise AssertionError("unreachable")  # pragma: no cover


@renamed_params(include_group="group_feature")
def split_problem(
    problem: Problem,
    *,
    random_state=0,
    test_size: float = 0.3,
    group_feature: bool = True,
) -> Split:
    """Split rows into the firm's training pool and its test set, and encode both.

    The split is random and stratified by group and label. The :class:`TabularEncoder` is
    fitted on the training rows only, so nothing about the test rows leaks into the scaling
    or the categories. A problem with ``standardize=False`` keeps numeric features as they
    are (float32 kept when every feature column is float32).

    Parameters
    ----------
    problem : Problem
    test_size : float, default=0.3
        Share of rows in the test set, strictly between 0 and 1.
    random_state : int, RandomState instance or None, default=0
        The base seed; the split draws from its own seed derived from it (as every other draw
        of a run does), so one base seed gives one split wherever it is used.
    group_feature : bool, default=True
        Append the binary group indicator (1 = acting group) as the last column, or for a
        multi-group problem one indicator per group value (``Split.group_columns``). True by
        default because the firm, as in the paper, trains on rows ``(x, a, y)``; a firm
        unaware of the group is ``group_feature=False`` away. Scorers drop the column(s) with
        :meth:`Split.scoring_view`. The split is stratified by the binary acting indicator
        and the label in both cases.

    Returns
    -------
    Split
        ``train_ids``/``test_ids`` are the ids in ``problem.info["ids"]`` when present (a
        user's table), else row positions. With a counterfactual, ``X_test_cf`` is the
        encoded counterfactual features of the test rows with the group indicator set to 0,
        and ``p_train_cf``/``y_train_cf`` the counterfactual probability and label of the
        train rows.

    Examples
    --------
    >>> from fairflip.data import make_synthetic, split_problem
    >>> split = split_problem(make_synthetic(n_rows=200, random_state=0), random_state=0)
    >>> split.X_train.shape, split.group_column
    ((140, 6), 5)
    """
    test_size = _check_fraction(test_size, "test_size")
    rng = check_random_state(sub_seed(resolve_seed(random_state), "split"))
    train, test = _stratified_positions(problem.y, problem.group, test_size, rng, "test_size")
    train, test = np.sort(train), np.sort(test)

    encoder = TabularEncoder(standardize=problem.standardize).fit(problem.features.iloc[train])
    names = list(encoder.feature_names_)

    multi = problem.is_multigroup
    levels = np.unique(problem.group_values.astype(str)) if multi else None

    def encode(rows, features, group):
        X = encoder.transform(features.iloc[rows])
        if group_feature and multi:
            # One indicator per group value: a firm that sees the group sees all of it.
            onehot = problem.group_values[rows].astype(str)[:, None] == levels[None, :]
            X = np.column_stack([X, onehot.astype(X.dtype)])
        elif group_feature:
            X = np.column_stack([X, group.astype(X.dtype)])
        return X

    group_column, group_columns = None, ()
    if group_feature and multi:
        group_columns = tuple(range(len(names), len(names) + len(levels)))
        names.extend(f"{problem.sensitive}={level}" for level in levels)
    elif group_feature:
        group_column = len(names)
        names.append(f"{problem.sensitive}={problem.acting_label}")

    ids = problem.info.get("ids")
    ids = np.arange(problem.n_rows) if ids is None else np.asarray(ids)
    cf = problem.counterfactual
    extra = {}
    if multi:
        extra = {"gv_train": problem.group_values[train], "gv_test": problem.group_values[test],
                 "group_columns": group_columns}
    if cf is not None:
        extra |= {
            "X_test_cf": encode(test, cf.features, np.zeros(len(test))),
            "p_train_cf": np.asarray(cf.proba, dtype=np.float64)[train],
            "y_train_cf": np.asarray(cf.label, dtype=np.int8)[train],
        }
    return Split(
        X_train=encode(train, problem.features, problem.group[train]),
        y_train=problem.y[train].astype(np.int8),
        g_train=problem.group[train].astype(np.int8),
        X_test=encode(test, problem.features, problem.group[test]),
        y_test=problem.y[test].astype(np.int8),
        g_test=problem.group[test].astype(np.int8),
        train_ids=ids[train],
        test_ids=ids[test],
        feature_names=tuple(names),
        group_column=group_column,
        **extra,
    )


def split_validation(split: Split, *, val_size: float = 0.2, random_state=None) -> Split:
    """Hold out part of a split's training rows as a validation set.

    Returns a :class:`Split` whose train part is the rest of the training rows and whose
    "test" part is the validation rows (stratified by group and label). Arrays are reused,
    not re-encoded: the encoder stays the one fitted on all training rows, which is what a
    collective that holds out some of its own knowledge sees. ``X_test_cf`` is None (the
    counterfactual features were encoded for the test rows only); ``p_train_cf`` and
    ``y_train_cf`` follow the kept training rows.

    Parameters
    ----------
    split : Split
    val_size : float, default=0.2
        Share of the training rows held out, strictly between 0 and 1.
    random_state : int, RandomState instance or None, default=None

    Returns
    -------
    Split
    """
    val_size = _check_fraction(val_size, "val_size")
    rng = check_random_state(random_state)
    keep, val = _stratified_positions(split.y_train, split.g_train, val_size, rng, "val_size")
    keep, val = np.sort(keep), np.sort(val)

    def pick(array, rows):
        return None if array is None else array[rows]

    return dataclasses.replace(
        split,
        X_train=split.X_train[keep], y_train=split.y_train[keep], g_train=split.g_train[keep],
        X_test=split.X_train[val], y_test=split.y_train[val], g_test=split.g_train[val],
        train_ids=split.train_ids[keep], test_ids=split.train_ids[val],
        X_test_cf=None, p_train_cf=pick(split.p_train_cf, keep),
        y_train_cf=pick(split.y_train_cf, keep),
        gv_train=pick(split.gv_train, keep), gv_test=pick(split.gv_train, val),
    )
