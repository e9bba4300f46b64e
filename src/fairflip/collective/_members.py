"""Forming the collective (who acts) and its knowledge (which majority rows it sees)."""

from __future__ import annotations

import numpy as np
from sklearn.utils import check_random_state

from ..exceptions import ConfigError

__all__ = ["check_alpha", "draw_collective", "draw_knowledge", "knowledge_label", "parse_knowledge"]


def check_alpha(alpha) -> float:
    """``alpha`` as a float in (0, 1], else a one-line ConfigError."""
    try:
        value = float(alpha)
    except (TypeError, ValueError):
        raise ConfigError(
            f"The 'alpha' parameter must be a number in (0, 1]. Got {alpha!r} instead.") from None
    if not (0.0 < value <= 1.0):
        raise ConfigError(f"The 'alpha' parameter must be in (0, 1]. Got {alpha!r} instead.")
    return value


def draw_collective(groups, *, alpha=None, members=None, random_state=None) -> np.ndarray:
    """Row positions of the collective: a fraction ``alpha`` of the acting group, or ``members``.

    Parameters
    ----------
    groups : array-like of {0, 1}
        1 marks the acting group.
    alpha : float in (0, 1], optional
        Fraction of the acting group's rows that join; the size is ``round(alpha * n)``.
    members : array-like of int, optional
        Explicit row positions (each must be in the acting group). Overrides ``alpha``.
    random_state : int, RandomState or None

    Returns
    -------
    ndarray of intp, sorted.

    Examples
    --------
    >>> draw_collective([0, 1, 1, 1, 0], alpha=1.0)
    array([1, 2, 3])
    """
    groups = np.asarray(groups)
    acting = np.flatnonzero(groups == 1)
    if members is not None:
        members = np.unique(np.asarray(members, dtype=np.intp))
        if members.size == 0:
            raise ConfigError("The collective is empty: the 'members' list has no ids.")
        outside = np.setdiff1d(members, acting)
        if outside.size:
            raise ConfigError(
                f"The 'members' parameter must name acting-group rows only. Got {outside.size} "
                f"rows outside it (first: {int(outside[0])}) instead."
            )
        return members
    alpha = check_alpha(alpha)
    size = int(round(alpha * acting.size))
    if size == 0:
        raise ConfigError(
            f"The collective is empty: alpha={alpha} of {acting.size} acting-group rows rounds to 0."
        )
    rng = check_random_state(random_state)
    return np.sort(rng.choice(acting, size=size, replace=False))


def parse_knowledge(knowledge):
    """Normalise a knowledge spec to ``"all"``, an ``int`` count or a ``float`` fraction.

    Strings from the CLI or a config are parsed: ``"all"``, ``"10"`` (rows), ``"0.5"``
    (fraction of the majority's rows).
    """
    if isinstance(knowledge, str):
        text = knowledge.strip().lower()
        if text == "all":
            return "all"
        try:
            knowledge = int(text)
        except ValueError:
            try:
                knowledge = float(text)
            except ValueError:
                raise ConfigError(
                    "The 'knowledge' parameter must be 'all', a row count or a fraction in "
                    f"(0, 1]. Got {knowledge!r} instead."
                ) from None
    if isinstance(knowledge, bool) or not isinstance(knowledge, (int, float, np.integer, np.floating)):
        raise ConfigError(
            "The 'knowledge' parameter must be 'all', a row count or a fraction in (0, 1]. "
            f"Got {knowledge!r} instead."
        )
    if isinstance(knowledge, (int, np.integer)):
        if knowledge < 1:
            raise ConfigError(f"The 'knowledge' parameter must be at least 1 row. Got {knowledge} instead.")
        return int(knowledge)
    if not (0.0 < knowledge <= 1.0):
        raise ConfigError(
            f"The 'knowledge' parameter as a fraction must be in (0, 1]. Got {knowledge} instead."
        )
    return float(knowledge)


def knowledge_label(knowledge) -> str:
    """The canonical text form used in results tables (``'all'``, ``'10'``, ``'0.5'``)."""
    value = parse_knowledge(knowledge)
    return value if value == "all" else str(value)


def draw_knowledge(groups, *, knowledge="all", random_state=None) -> np.ndarray:
    """Row positions of the majority rows the collective knows (sorted).

    ``"all"`` keeps every majority row; an int keeps that many, a float that fraction
    (at least one row), drawn without replacement.
    """
    majority = np.flatnonzero(np.asarray(groups) == 0)
    value = parse_knowledge(knowledge)
    if majority.size == 0:
        raise ConfigError("The collective knows no majority rows: the data has none.")
    if value == "all":
        return majority
    size = value if isinstance(value, int) else max(1, int(round(value * majority.size)))
    if size > majority.size:
        raise ConfigError(
            f"The 'knowledge' parameter asks for {size} majority rows but only "
            f"{majority.size} exist."
        )
    rng = check_random_state(random_state)
    return np.sort(rng.choice(majority, size=size, replace=False))
