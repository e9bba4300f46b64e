"""Claim and measurement rows: a criterion fixed in code, a paired interval over seeds, a verdict.

A *claim* row restates one of the paper's claims, the criterion that decides it (comparison,
threshold, interval) and the measured value with its interval; its verdict is ``holds``,
``fails`` or ``inconclusive``. A *measurement* row reports a number the paper makes no claim
about (its verdict is ``not claimed``). Any module can add rows to ``claims.csv``: build them
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
    "CLAIM_COLUMNS", "NOT_CLAIMED", "VERDICTS", "Criterion", "claim_row", "measurement_row",
    "paired_interval", "register_rows", "registered_rows",
]

CLAIM_COLUMNS = (
    "claim", "kind", "scope", "dataset", "method", "selection", "paper_wording", "paper_value",
    "criterion", "interval", "measured", "ci_low", "ci_high", "n_seeds", "verdict", "detail",
)
VERDICTS = ("holds", "fails", "inconclusive")
NOT_CLAIMED = "not claimed"
PAPER, BEYOND = "paper", "beyond the paper"
_OPS = ("<", "<=", ">", ">=", "within")


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
        ok = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal}[self.op]
        # The comparisons are monotone: the interval satisfies it as a whole iff both ends do.
        ends = [bool(ok(low, t)), bool(ok(high, t))]
        return "holds" if all(ends) else "fails" if not any(ends) else "inconclusive"


def _base(claim, kind, scope, dataset, method, selection, paper_wording, paper_value):
    return {"claim": claim, "kind": kind, "scope": scope, "dataset": dataset,
            "method": method, "selection": selection, "paper_wording": paper_wording,
            "paper_value": paper_value}


def claim_row(claim: str, *, dataset: str, method: str, paper_wording: str,
              criterion: Criterion, per_seed, paper_value: str = "", selection: str = "",
              detail: str = "", scope: str = PAPER) -> dict | None:
    """One claim row decided by ``criterion`` on ``per_seed`` values (NaN dropped).

    Returns None when no seed has a finite value: such a claim is not tested, never given a
    verdict.
    """
    mean, low, high, n = paired_interval(per_seed, interval=criterion.interval,
                                         level=criterion.level)
    if n == 0:
        return None
    row = _base(claim, "claim", scope, dataset, method, selection, paper_wording, paper_value)
    row.update(criterion=criterion.text(), interval=interval_label(criterion.interval, criterion.level),
               measured=mean, ci_low=low, ci_high=high, n_seeds=n,
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
    row = _base(name, "measurement", scope, dataset, method, selection, "", paper_value)
    row.update(criterion="", interval=label, measured=mean, ci_low=low, ci_high=high,
               n_seeds=n, verdict=NOT_CLAIMED, detail=detail)
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
