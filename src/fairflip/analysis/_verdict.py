"""Claim and measurement rows: a criterion fixed in code, a paired interval over seeds, a verdict.

A *claim* row restates one of the paper's claims, where the paper makes it (``source``: a
figure and its caption, or a poster panel), the criterion that decides it (comparison,
threshold, interval) and the measured value with its interval and a p-value from the same
paired test; its verdict is ``holds``, ``fails``, ``inconclusive`` or ``undecidable`` (a
negative control passed the same test, so the test cannot tell). A *measurement* row reports
a number the paper makes no claim about (its verdict is ``not claimed``).

``scope`` says whose claim on whose data: ``paper`` (a claim of the paper on a data set the
paper uses: COMPAS, Adult, HSLS, ACS-Income, Waterbirds, the Figure-1 toy), ``other data``
(a claim of the paper tested on data the paper does not use: German credit, the synthetic
model, the Gaussian toy, a user's table) or ``beyond the paper`` (not a claim of the paper;
every measurement row). Any module can add rows to ``claims.csv``: build them
with :func:`measurement_row` (or :func:`claim_row`) and register the function that makes them
with :func:`register_rows`.

Example
-------
>>> import numpy as np
>>> crit = Criterion("rb-prob minus random, best EqOd", "<", 0.0)
>>> row = claim_row("demo", dataset="d", method="rb-prob", paper_wording="RB beats random",
...                 criterion=crit, per_seed=np.array([-0.02, -0.03, -0.025, -0.01]))
>>> row["verdict"], row["kind"]
('holds', 'claim')
>>> measurement_row("demo size", dataset="d", method="-", value=3.0)["verdict"]
'not claimed'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "BEYOND", "CLAIM_COLUMNS", "HOLM_LEVEL", "NOT_CLAIMED", "OTHER_DATA", "PAPER",
    "PAPER_DATASETS", "SCOPES", "UNDECIDABLE", "VERDICTS", "Criterion", "claim_row", "holm",
    "measurement_row", "one_sided_p", "paired_interval", "register_rows", "registered_rows",
    "scope_for",
]

CLAIM_COLUMNS = (
    "claim", "kind", "scope", "source", "dataset", "method", "selection", "paper_wording",
    "paper_value", "criterion", "interval", "measured", "ci_low", "ci_high", "n_seeds",
    "p_value", "p_holm", "verdict", "detail",
)
UNDECIDABLE = "undecidable"
VERDICTS = ("holds", "fails", "inconclusive", UNDECIDABLE)
NOT_CLAIMED = "not claimed"
PAPER, OTHER_DATA, BEYOND = "paper", "other data", "beyond the paper"
#: Scopes in the order tables list them: the paper's own claims first.
SCOPES = (PAPER, OTHER_DATA, BEYOND)
#: The data sets the paper uses (``figure1``: its Figure-1 toy); a paper claim tested on any
#: other data set is ``other data``.
PAPER_DATASETS = ("compas", "adult", "hsls", "acs-income", "waterbirds", "figure1")
#: Family-wise level of the Holm correction over the paper-scope claims of one selection mode.
HOLM_LEVEL = 0.05
_OPS = ("<", "<=", ">", ">=", "within")


def scope_for(dataset: str) -> str:
    """``paper`` for a data set the paper uses, else ``other data`` (for a claim of the paper).

    >>> scope_for("compas"), scope_for("german")
    ('paper', 'other data')
    """
    return PAPER if str(dataset) in PAPER_DATASETS else OTHER_DATA


def paired_interval(values, *, interval: str = "t", level: float = 0.95,
                    random_state: int = 0) -> tuple[float, float, float, int]:
    """(mean, low, high, n) of per-seed values (usually paired differences).

    ``"t"``: Student t interval of the mean; ``"bootstrap"``: percentile interval of 10,000
    resampled means. NaN values are dropped first; fewer than two values give an unbounded
    interval (nothing can be decided from one seed).
    """
    if interval not in ("t", "bootstrap"):
        raise ValueError(f"The 'interval' parameter must be 't' or 'bootstrap'. Got {interval!r} instead.")
    x = np.asarray(values, dtype=np.float64)
    x = x[np.isfinite(x)]
    n = int(x.size)
    if n == 0:
        return float("nan"), float("nan"), float("nan"), 0
    mean = float(x.mean())
    if n < 2:
        return mean, -np.inf, np.inf, n
    if interval == "t":
        from scipy import stats

        half = float(stats.t.ppf(0.5 + level / 2, n - 1) * x.std(ddof=1) / np.sqrt(n))
        return mean, mean - half, mean + half, n
    rng = np.random.default_rng(random_state)
    means = x[rng.integers(0, n, size=(10_000, n))].mean(axis=1)
    lo, hi = np.quantile(means, [0.5 - level / 2, 0.5 + level / 2])
    return mean, float(lo), float(hi), n


def interval_label(interval: str, level: float = 0.95) -> str:
    kind = "paired t" if interval == "t" else "paired bootstrap (percentile, 10,000 resamples)"
    return f"{kind} {level:.0%} over seeds"


@dataclass(frozen=True)
class Criterion:
    """How a claim is decided, written down before any result is seen.

    ``statistic`` names the per-seed quantity (usually a paired difference); the claim is
    that its mean satisfies ``op`` against ``threshold`` (a pair ``(low, high)`` for
    ``"within"``). Verdict from the interval: ``holds`` when the whole interval satisfies the
    comparison, ``fails`` when the whole interval violates it, ``inconclusive`` otherwise.
    """

    statistic: str
    op: str
    threshold: float | tuple[float, float]
    interval: str = "t"
    level: float = 0.95

    def __post_init__(self):
        if self.op not in _OPS:
            raise ValueError(f"The 'op' parameter must be one of {', '.join(_OPS)}. Got {self.op!r} instead.")
        if (self.op == "within") != isinstance(self.threshold, tuple):
            raise ValueError("The 'threshold' parameter must be a (low, high) pair exactly when "
                             "op is 'within'.")

    def text(self) -> str:
        if self.op == "within":
            lo, hi = self.threshold
            return f"{self.statistic} within [{lo:g}, {hi:g}]"
        return f"{self.statistic} {self.op} {self.threshold:g}"

    def decide(self, low: float, high: float) -> str:
        """``holds`` / ``fails`` / ``inconclusive`` from the interval [low, high]."""
        if not (np.isfinite(low) and np.isfinite(high)):
            return "inconclusive"
        t = self.threshold
        if self.op == "within":
            inside = [t[0] <= low <= t[1], t[0] <= high <= t[1]]
            if all(inside):
                return "holds"
            return "fails" if high < t[0] or low > t[1] else "inconclusive"
        if self.op in ("<", ">") and low == high == t:
            return "inconclusive"  # every seed exactly at the threshold: a tie, not a failure
        ok = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal}[self.op]
        # The comparisons are monotone: the interval satisfies it as a whole iff both ends do.
        ends = [bool(ok(low, t)), bool(ok(high, t))]
        return "holds" if all(ends) else "fails" if not any(ends) else "inconclusive"


    def p_value(self, values) -> float:
        """p-value of the claim's side from the paired one-sample t test on ``values``.

        One-sided for a direction (H0: the mean is on the other side of the threshold, or on
        it); for ``within``, two one-sided tests (TOST: the larger of the two p-values). NaN
        with fewer than two finite values; 0 or 1 when all values are equal.
        """
        x = np.asarray(values, dtype=np.float64)
        x = x[np.isfinite(x)]
        if x.size < 2:
            return float("nan")
        if self.op == "within":
            lo, hi = self.threshold
            return max(one_sided_p(x, lo, "greater"), one_sided_p(x, hi, "less"))
        side = "less" if self.op in ("<", "<=") else "greater"
        return one_sided_p(x, self.threshold, side)


def one_sided_p(x, threshold: float, side: str) -> float:
    """p-value of H1 "mean ``side`` than ``threshold``" (one-sample t test, one-sided).

    >>> round(one_sided_p([-0.02, -0.03, -0.025, -0.01], 0.0, "less"), 4)
    0.0078
    """
    from scipy import stats

    x = np.asarray(x, dtype=np.float64)
    diff = x.mean() - threshold
    sd = x.std(ddof=1)
    if sd == 0:  # no spread: the sign alone decides
        return 0.0 if (diff < 0 if side == "less" else diff > 0) else 1.0
    t = diff / (sd / np.sqrt(x.size))
    return float(stats.t.cdf(t, x.size - 1) if side == "less" else stats.t.sf(t, x.size - 1))


def _base(claim, kind, scope, dataset, method, selection, paper_wording, paper_value, source):
    return {"claim": claim, "kind": kind, "scope": scope, "source": source, "dataset": dataset,
            "method": method, "selection": selection, "paper_wording": paper_wording,
            "paper_value": paper_value}


def claim_row(claim: str, *, dataset: str, method: str, paper_wording: str,
              criterion: Criterion, per_seed, paper_value: str = "", selection: str = "",
              detail: str = "", scope: str | None = None, source: str = "") -> dict | None:
    """One claim row decided by ``criterion`` on ``per_seed`` values (NaN dropped).

    ``scope`` defaults to :func:`scope_for` the data set (a claim of the paper); a claim the
    paper does not make passes ``scope="beyond the paper"``. ``source`` quotes where the
    paper makes the claim. Returns None when no seed has a finite value: such a claim is not
    tested, never given a verdict.
    """
    mean, low, high, n = paired_interval(per_seed, interval=criterion.interval,
                                         level=criterion.level)
    if n == 0:
        return None
    scope = scope_for(dataset) if scope is None else scope
    if scope not in SCOPES:
        raise ValueError(f"The 'scope' parameter must be one of {', '.join(SCOPES)}. "
                         f"Got {scope!r} instead.")
    row = _base(claim, "claim", scope, dataset, method, selection, paper_wording, paper_value,
                source)
    row.update(criterion=criterion.text(), interval=interval_label(criterion.interval, criterion.level),
               measured=mean, ci_low=low, ci_high=high, n_seeds=n,
               p_value=criterion.p_value(per_seed), p_holm=float("nan"),
               verdict=criterion.decide(low, high), detail=detail)
    return row


def measurement_row(name: str, *, dataset: str, method: str, value: float | None = None,
                    per_seed=None, interval: str = "t", selection: str = "", detail: str = "",
                    paper_value: str = "", scope: str = BEYOND) -> dict | None:
    """One measurement row (verdict ``not claimed``): ``value``, or the mean of ``per_seed``
    with its paired interval. Returns None when there is no finite value to report."""
    if per_seed is not None:
        mean, low, high, n = paired_interval(per_seed, interval=interval)
        label = interval_label(interval)
    else:
        mean = float("nan") if value is None else float(value)
        low = high = float("nan")
        n, label = 0, ""
    if not np.isfinite(mean):
        return None
    row = _base(name, "measurement", scope, dataset, method, selection, "", paper_value, "")
    row.update(criterion="", interval=label, measured=mean, ci_low=low, ci_high=high,
               n_seeds=n, p_value=float("nan"), p_holm=float("nan"), verdict=NOT_CLAIMED,
               detail=detail)
    return row


_REGISTRY: list[Callable[[pd.DataFrame], Iterable[dict | None]]] = []


def register_rows(func: Callable[[pd.DataFrame], Iterable[dict | None]]):
    """Register ``func(results_frame) -> rows`` so :func:`all_claims` adds its rows.

    Use as a decorator in the module of a study; ``reproduce`` imports the study's module.
    None rows (nothing to report) are dropped.
    """
    if func not in _REGISTRY:
        _REGISTRY.append(func)
    return func


def registered_rows() -> tuple:
    return tuple(_REGISTRY)


def rows_frame(rows: Iterable[dict | None]) -> pd.DataFrame:
    """The claims table from rows (None dropped), columns :data:`CLAIM_COLUMNS`."""
    return pd.DataFrame([r for r in rows if r is not None], columns=list(CLAIM_COLUMNS))


def holm(claims: pd.DataFrame, *, scope: str = PAPER) -> pd.DataFrame:
    """``claims`` with ``p_holm``: Holm-adjusted p-values over the claim rows of ``scope``,
    separately within each selection mode (other rows get NaN).

    A verdict *survives* the correction when it is ``holds`` and its adjusted p-value is below
    :data:`HOLM_LEVEL`. Rows without a p-value (one seed) count in the family as p = 1.

    >>> t = pd.DataFrame({"kind": "claim", "scope": "paper", "selection": "hindsight",
    ...                   "p_value": [0.01, 0.04, 0.03]})
    >>> holm(t).p_holm.round(2).tolist()
    [0.03, 0.06, 0.06]
    """
    out = claims.copy()
    out["p_holm"] = np.nan
    mask = (out["kind"] == "claim") & (out["scope"] == scope)
    for _, idx in out[mask].groupby(out.loc[mask, "selection"].fillna(""), sort=False).groups.items():
        p = out.loc[idx, "p_value"].astype(float).fillna(1.0).to_numpy()
        order = np.argsort(p, kind="stable")
        m = p.size
        adjusted = np.maximum.accumulate((m - np.arange(m)) * p[order]).clip(max=1.0)
        result = np.empty(m)
        result[order] = adjusted
        out.loc[idx, "p_holm"] = result
    return out
