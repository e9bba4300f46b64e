"""How well a label audit finds the collective's flips, and what it flags besides."""

from __future__ import annotations

import numpy as np

from .._deprecate import renamed_params

__all__ = ["DETECTION_KEYS", "detection_report"]

DETECTION_KEYS = ("n_flagged", "flagged_flips", "recall", "precision", "flagged_other_by_group")


def _share(hits, of) -> float:
    return float(hits) / float(of) if of else float("nan")


@renamed_params(group="groups")
def detection_report(flagged, flipped, groups) -> dict:
    """The audit's detection measures on one pool.

    Parameters
    ----------
    flagged : array of bool
        The audit's flags over the pool's rows.
    flipped : array of int
        Positions of the rows the collective relabelled.
    groups : array of {0, 1}
        1 for the acting group.

    Returns
    -------
    dict with ``n_flagged``; ``flagged_flips`` (flips flagged, a count); ``recall`` (share of
    the flips flagged, NaN without flips); ``precision`` (share of flagged rows that are
    flips, NaN when nothing is flagged); ``flagged_other_by_group`` ({"acting", "other"}:
    flag rate among the rows the collective did not touch, per group).

    Examples
    --------
    >>> import numpy as np
    >>> r = detection_report(np.array([1, 1, 0, 0, 1], bool), [0, 3], np.array([1, 1, 1, 0, 0]))
    >>> r["flagged_flips"], r["recall"], r["precision"], r["flagged_other_by_group"]
    (1, 0.5, 0.3333333333333333, {'acting': 0.5, 'other': 1.0})
    """
    flagged = np.asarray(flagged, dtype=bool)
    group = np.asarray(groups)
    touched = np.zeros(flagged.size, dtype=bool)
    touched[np.asarray(flipped, dtype=np.intp)] = True
    hits = int((flagged & touched).sum())
    other = {}
    for name, value in (("acting", 1), ("other", 0)):
        untouched = ~touched & (group == value)
        other[name] = _share((flagged & untouched).sum(), untouched.sum())
    return {"n_flagged": int(flagged.sum()), "flagged_flips": hits,
            "recall": _share(hits, touched.sum()), "precision": _share(hits, flagged.sum()),
            "flagged_other_by_group": other}
