"""Many groups: the by-group engine over G >= 2 labels, and the gaps composed from it.

One more thin layer over :func:`base_rates`. The paper's gaps compare the acting group with
everyone else (:func:`fairness_report`); these compare every group with every other.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._gaps import equalized_odds_gap
from ._rates import RATE_NAMES, base_rates

__all__ = [
    "MIN_RATE_ROWS",
    "MULTIGROUP_COLUMNS",
    "group_gaps",
    "group_labels_of",
    "multigroup_report",
    "rates_by_groups",
]

# A group's TPR (FPR) rests on its positive (negative) rows. With fewer than this many of
# either, one prediction moves the rate by more than 0.05: such groups are flagged ``small``,
# and ``eqod_multi_large`` leaves them out so they cannot silently set the max - min range.
MIN_RATE_ROWS = 20

# Flat keys of :func:`multigroup_report`, in order.
MULTIGROUP_COLUMNS = (
    "eqod_multi", "tpr_range", "fpr_range", "eqod_multi_large", "worst_gap",
    "n_groups", "min_group_size", "n_small_groups",
)


def group_labels_of(groups) -> np.ndarray:
    """One label per row: a 1-D array as strings, or the columns of a 2-D one joined by ','."""
    if isinstance(groups, pd.DataFrame):
        columns = [groups[c].astype(str).to_numpy(dtype=object) for c in groups.columns]
    else:
        arr = np.asarray(groups, dtype=object)
        if arr.ndim == 1:
            return arr.astype(str).astype(object)
        columns = [arr[:, j].astype(str) for j in range(arr.shape[1])]
    out = columns[0].astype(object)
    for column in columns[1:]:
        out = out + "," + column.astype(object)
    return out


def rates_by_groups(y_true, y_pred, groups) -> pd.DataFrame:
    """Base rates of every group: one row per label (sorted).

    Parameters
    ----------
    y_true, y_pred : array-like of {0, 1}
    groups : array-like of labels, or a 2-D array / DataFrame of several sensitive columns
        (their intersection: labels joined by ``","``).

    Returns
    -------
    DataFrame
        Index ``group``; columns ``tpr``, ``fpr``, ``selection_rate``, ``error``, ``count``
        (as :func:`base_rates`), ``positives``, ``negatives`` and ``small`` (fewer than
        :data:`MIN_RATE_ROWS` positive or negative rows).
    """
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    labels = group_labels_of(groups)
    rows = {}
    for label in sorted(set(labels.tolist())):
        mask = labels == label
        rates = base_rates(y_true[mask], y_pred[mask])
        positives = int((y_true[mask] == 1).sum())
        rates.update(positives=positives, negatives=int(mask.sum()) - positives)
        rows[label] = rates
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "group"
    table["small"] = (table["positives"] < MIN_RATE_ROWS) | (table["negatives"] < MIN_RATE_ROWS)
    return table[[*RATE_NAMES, "positives", "negatives", "small"]]


def _range(values: pd.Series) -> float:
    values = values.dropna()
    return float(values.max() - values.min()) if len(values) else float("nan")


def _pair_eqod(table: pd.DataFrame, a, b) -> float:
    return 0.5 * (abs(table.at[a, "tpr"] - table.at[b, "tpr"])
                  + abs(table.at[a, "fpr"] - table.at[b, "fpr"]))


def multigroup_report(y_true, y_pred, groups) -> dict:
    """Gaps over all groups as one flat dict (keys :data:`MULTIGROUP_COLUMNS`, plus names).

    ``eqod_multi`` is the mean of the TPR range (max - min over groups) and the FPR range:
    fairlearn's ``equalized_odds_difference(..., agg="mean")`` on the full group column.
    ``eqod_multi_large`` is the same over the groups not flagged ``small``. ``worst_gap`` is
    the equalized-odds gap between the worst-off group (lowest TPR: its qualified members
    least often get the favourable outcome) and the best-off (highest TPR), both among the
    groups not flagged small when at least two are not; ``worst_group`` and ``best_group``
    name them. ``min_group_size`` counts rows.
    """
    table = rates_by_groups(y_true, y_pred, groups)
    large = table[~table["small"]]
    pool = large if len(large) >= 2 else table
    tprs = pool["tpr"].dropna()
    if len(tprs) >= 2:
        worst, best = tprs.idxmin(), tprs.idxmax()
        worst_gap = float(_pair_eqod(table, worst, best))
    else:
        worst = best = None
        worst_gap = float("nan")
    tpr_range, fpr_range = _range(table["tpr"]), _range(table["fpr"])
    large_eqod = (0.5 * (_range(large["tpr"]) + _range(large["fpr"])) if len(large) >= 2
                  else float("nan"))
    return {
        "eqod_multi": 0.5 * (tpr_range + fpr_range),
        "tpr_range": tpr_range,
        "fpr_range": fpr_range,
        "eqod_multi_large": large_eqod,
        "worst_gap": worst_gap,
        "n_groups": float(len(table)),
        "min_group_size": float(table["count"].min()),
        "n_small_groups": float(table["small"].sum()),
        "worst_group": worst,
        "best_group": best,
    }


def group_gaps(y_true, y_pred, groups) -> pd.Series:
    """Each group's own equalized-odds gap: the group against every other row (one vs rest).

    This is the paper's EqOd with that group as the acting one; spillover is its change.
    """
    labels = group_labels_of(groups)
    return pd.Series({label: equalized_odds_gap(y_true, y_pred, labels == label)
                      for label in sorted(set(labels.tolist()))}, name="gap", dtype=float)
