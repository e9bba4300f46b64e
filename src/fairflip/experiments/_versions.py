"""Algorithm versions in unit ids: a change that moves a method's numbers recomputes its units.

A unit's id hashes what changes its numbers (data set, seed, split settings, family, method,
alpha, ...). Each scorer (``BaseScorer.algorithm_version``), firm-side method
(``fairflip.baselines.ALGORITHM_VERSIONS``) and unit family (:data:`FAMILY_VERSIONS`) also
carries an algorithm version; every version above 1 goes into the id as the unit's
*algorithm tag* (``"calibrated_eo=2"``), so ids of units whose code never changed stay as
they were, and a results file resumed after a bump recomputes exactly the affected units
(:meth:`ResultStore.drop_stale_units` removes their old rows first, so old and new numbers are
never mixed).
"""

from __future__ import annotations

from .._names import CALIBRATED_EO_METHODS, FIRM_METHODS
from ..baselines import ALGORITHM_VERSIONS as FIRM_VERSIONS
from ..scorers import algorithm_tag_part, is_scorer_name

__all__ = ["FAMILY_VERSIONS", "algorithm_tag", "known_algorithm_tag"]

#: Version of each unit family's own code (how rows are made, not the method inside); every
#: firm-side method's units share "firm-side". audited 2 and firm-side 2: their rows are
#: scored by the one row scorer, which adds the multi-group gaps (NULL before).
FAMILY_VERSIONS = {"base": 1, "collective": 1, "audited": 2, "firm-side": 2}


def _family_version(family: str) -> tuple[str, int]:
    if family in FAMILY_VERSIONS:
        return family, FAMILY_VERSIONS[family]
    if family in FIRM_VERSIONS:
        return "firm-side", FAMILY_VERSIONS["firm-side"]
    return str(family), 1


def _method_part(method: str) -> str | None:
    """The method's part of the tag; None for a name unknown here (a user's scorer that is
    not registered in this session)."""
    if method == "base":
        return ""
    if is_scorer_name(method):
        # Built-in: "name=version" above version 1. A user's scorer: always its name,
        # algorithm version and package version ("mine=1@pkg-0.3").
        return algorithm_tag_part(method)
    if method in FIRM_VERSIONS or method in FIRM_METHODS or method in CALIBRATED_EO_METHODS:
        version = int(FIRM_VERSIONS.get(method, 1))
        return f"{method}={version}" if version > 1 else ""
    return None


def known_algorithm_tag(family: str, method: str) -> str | None:
    """:func:`algorithm_tag`, or None when ``method`` is unknown here: a resumed results file
    keeps such units (a user's scorer registered in another session) instead of dropping
    them as stale."""
    part = _method_part(method)
    if part is None:
        return None
    parts = []
    name, version = _family_version(family)
    if version > 1:
        parts.append(f"{name}={version}")
    if part:
        parts.append(part)
    return ",".join(dict.fromkeys(parts))


def algorithm_tag(family: str, method: str) -> str:
    """``"name=version"`` for the family and method whose version is above 1, comma-joined;
    ``""`` when both are at version 1 (their unit ids are the ones before versions existed).
    A user's scorer always has its part, ``"name=version@package-version"``."""
    tag = known_algorithm_tag(family, method)
    if tag is None:  # unknown method: treated as version 1, as before versions existed
        return known_algorithm_tag(family, "base")
    return tag
