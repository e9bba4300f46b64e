"""Coalitions: collectives in two or more groups acting at once, each with its own alpha.

Each member group draws its own collective (a fraction alpha of that group's rows) and ranks
its own negatively labelled members; what they know is shared: by default every row outside
all of the coalition's groups, or a named reference group. A coalition of one group is
exactly the single-group collective (same draws, same ranking).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._names import DEFAULT_K
from .._seeding import resolve_seed
from ..data import listing as _listing
from ..exceptions import ConfigError
from ._members import check_alpha
from ._plan import resolve_budget
from ._ranking import rank_collective

__all__ = ["CoalitionRanking", "knowledge_pool_for", "parse_coalition", "rank_coalition"]

MSG_EMPTY = "The 'coalition' parameter must name at least one group. Got {spec!r} instead."
MSG_FORM = "The 'coalition' parameter entries must be GROUP=ALPHA. Got {item!r} instead."
MSG_TWICE = "The 'coalition' parameter names the group {value!r} twice. Got {spec!r} instead."
MSG_UNKNOWN = ("The 'coalition' parameter names {value!r}, which is not a group of the data. "
               "Got {value!r} instead; groups are {groups}.")
MSG_REFERENCE = ("The 'reference_group' parameter must be a group of the data outside the "
                 "acting group(s). Got {value!r} instead; groups are {groups}.")


def parse_coalition(spec) -> tuple[tuple[str, float], ...]:
    """``["Black=0.3", "Asian-Pac-Islander=0.5"]`` or ``[(value, alpha), ...]`` -> pairs.

    Each alpha is checked to lie in (0, 1]; a group named twice is an error.
    """
    items = [spec] if isinstance(spec, str) else list(spec or ())
    if not items:
        raise ConfigError(MSG_EMPTY.format(spec=spec))
    pairs, seen = [], set()
    for item in items:
        if isinstance(item, str):
            value, sep, alpha = item.rpartition("=")
            if not sep or not value.strip():
                raise ConfigError(MSG_FORM.format(item=item))
        else:
            try:
                value, alpha = item
            except (TypeError, ValueError):
                raise ConfigError(MSG_FORM.format(item=item)) from None
        value = str(value).strip()
        if value in seen:
            raise ConfigError(MSG_TWICE.format(value=value, spec=spec))
        seen.add(value)
        pairs.append((value, check_alpha(alpha)))
    return tuple(pairs)


def knowledge_pool_for(labels, acting_values, reference_group=None) -> np.ndarray:
    """Rows the collective(s) may know: outside every acting group, or the reference group."""
    labels = np.asarray(labels, dtype=object)
    groups = sorted(set(labels.tolist()))
    if reference_group is None:
        return ~np.isin(labels, list(acting_values))
    reference = str(reference_group)
    if reference not in groups or reference in acting_values:
        raise ConfigError(MSG_REFERENCE.format(value=reference_group, groups=_listing(groups)))
    return labels == reference


@dataclass(frozen=True)
class CoalitionRanking:
    """One :class:`fairflip.collective.CollectiveRanking` per member group, in the coalition's order."""

    rankings: dict

    def flipped_by_group(self, budget) -> dict:
        """Each group's flips: ``budget`` is a count or a fraction of that group's candidates."""
        return {value: r.flipped(resolve_budget(budget, r.n_candidates))
                for value, r in self.rankings.items()}

    def flipped(self, budget) -> np.ndarray:
        """Every member group's flips together (sorted row positions)."""
        parts = list(self.flipped_by_group(budget).values())
        return np.sort(np.concatenate(parts)) if parts else np.empty(0, dtype=np.intp)


def rank_coalition(X, y, labels, coalition, *, method="rb-prob", knowledge="all", k=DEFAULT_K,
                   reference_group=None, estimator=None, random_state=0,
                   scorer_cache=None) -> CoalitionRanking:
    """Draw and rank the collective of every group of ``coalition`` (pairs value, alpha).

    Parameters
    ----------
    X : ndarray of shape (n, d)
        Features without the group columns.
    y : ndarray of {0, 1}
    labels : ndarray of str
        Every row's group label.
    coalition : sequence of (str, float) or of "GROUP=ALPHA" strings
    method, knowledge, k, estimator, random_state, scorer_cache
        As for :func:`fairflip.collective.rank_collective`.
    reference_group : str, optional
        The group whose rows the collectives learn from; default every row outside the
        coalition's groups.

    Returns
    -------
    CoalitionRanking
    """
    pairs = parse_coalition(coalition)
    # One base seed for every member group: each draws what it would draw acting alone.
    seed = resolve_seed(random_state)
    labels = np.asarray(labels, dtype=object)
    groups = sorted(set(labels.tolist()))
    for value, _ in pairs:
        if value not in groups:
            raise ConfigError(MSG_UNKNOWN.format(value=value, groups=_listing(groups)))
    pool = knowledge_pool_for(labels, [v for v, _ in pairs], reference_group)
    rankings = {}
    for value, alpha in pairs:
        rankings[value] = rank_collective(
            X, y, (labels == value).astype(np.int8), method=method, alpha=alpha,
            knowledge=knowledge, k=k, estimator=estimator, random_state=seed,
            scorer_cache=scorer_cache,
            knowledge_pool=pool,
        )
    return CoalitionRanking(rankings)

