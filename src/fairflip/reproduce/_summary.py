"""The text of ``summary.md``: verdict tables, the claims, efficiency and infeasible cells."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._version import __version__
from ..analysis.claims import SCOPES, VERDICTS, headline, holm_summary

__all__ = ["efficiency_section", "infeasible_section", "summary_text", "verdict_counts"]


def _fmt(value, spec=".4f") -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return format(value, spec)


def efficiency_section(table: pd.DataFrame) -> str:
    if table.empty:
        return ""
    lines = ["", "## Label-flip efficiency (alpha = 0.3): labels changed to reach an EqOd target", "",
             "Collective action flips acting-group labels only; massaging changes labels in both "
             "groups (two per pair). Targets are shares of the base EqOd; empty = not reached.", "",
             "| dataset | scorer | target (share of base) | target EqOd | collective flips | "
             "massaging changes |", "|---|---|---|---|---|---|"]
    for r in table.itertuples():
        lines.append(f"| {r.dataset} | {r.method} | {r.share_of_base_eqod:.2f} | {r.target:.4f} | "
                     f"{_fmt(r.collective_flips, '.0f')} | {_fmt(r.massaging_changes, '.0f')} |")
    return "\n".join(lines) + "\n"


def _ci(r) -> str:
    if not np.isfinite(r.ci_low):
        return ""
    return f"[{r.ci_low:.4f}, {r.ci_high:.4f}]"


def summary_text(claims, elapsed, quick, datasets, n_rows, figures, grid="current") -> str:

    counts = headline(claims)
    lines = [
        "# fairflip reproduce: summary", "",
        f"fairflip {__version__}; mode: {'quick' if quick else 'full'}; grid: {grid}; "
        f"wall time {elapsed:.0f} s; "
        f"{n_rows} result rows; {len(figures)} figure files.", "",
        "Data sets: " + ", ".join(d.label for d in datasets) + ".", "",
        "Each claim quotes where the paper makes it (column 'source') and says its scope: "
        "*paper* (the paper's claim on a data set the paper uses), *other data* (the paper's "
        "claim on data it does not use) or *beyond the paper* (not a claim of the paper). It is "
        "decided by a criterion fixed in code (column 'criterion') on per-seed values with a "
        "paired 95 % t interval over seeds: it *holds* when the whole interval satisfies the "
        "criterion, *fails* when the whole interval violates it, is *inconclusive* otherwise, "
        "and *undecidable* when a control run through the same test shows the test cannot "
        "tell. Operating points are read on fronts and budget paths interpolated between "
        "points, found on the firm-validation rows (held out from the firm's test split, data "
        "a collective does not have) or in hindsight on the test rows (the paper's reading; "
        "those intervals ignore the selection on the same rows). Measurement rows are not "
        "claims.", "",
        "## Verdicts per scope", "",
        "| scope | " + " | ".join(VERDICTS) + " |", "|---" * (len(VERDICTS) + 1) + "|",
    ]
    by_scope = counts.groupby(level="scope").sum() if not counts.empty else counts
    for scope in SCOPES:
        if scope in by_scope.index:
            r = by_scope.loc[scope]
            lines.append(f"| {scope} | " + " | ".join(str(int(r[v])) for v in VERDICTS) + " |")
    holm = holm_summary(claims)
    lines += ["", "Paper-scope claims that hold, and how many survive a Holm correction over "
              "that selection mode's paper-scope claims (adjusted one-sided or TOST p < 0.05):",
              "", "| selection | paper-scope claims | hold | hold after Holm |", "|---|---|---|---|"]
    lines += [f"| {r.selection} | {r.claims} | {r.holds} | {r.holds_after_holm} |"
              for r in holm.itertuples()]
    lines += ["", "## Verdicts per data set", "",
              "| scope | dataset | selection | " + " | ".join(VERDICTS) + " |",
              "|---" * (len(VERDICTS) + 3) + "|"]
    lines += [f"| {sc} | {ds} | {sel} | " + " | ".join(str(int(r[v])) for v in VERDICTS) + " |"
              for (sc, ds, sel), r in counts.iterrows()]
    lines += ["", "## Claims and measurements", "",
              "| claim | scope | dataset | method | selection | criterion | measured | 95 % CI | n | "
              "p | verdict | paper | source | detail |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in claims.itertuples():
        lines.append(f"| {r.claim} | {r.scope} | {r.dataset} | {r.method} | {r.selection} | "
                     f"{r.criterion} | {_fmt(r.measured)} | {_ci(r)} | {r.n_seeds} | "
                     f"{_fmt(r.p_value, '.3g')} | {r.verdict} | {r.paper_value} | {r.source} | "
                     f"{r.detail} |")
    failing = claims[claims.verdict == "fails"]
    lines += ["", "## Claims that fail here", ""]
    lines += [f"- {r.claim} ({r.scope}; {r.dataset}, {r.method}, {r.selection}): {r.detail}"
              for r in failing.itertuples()] or ["- none"]
    return "\n".join(lines) + "\n"


def verdict_counts(claims) -> str:

    only = claims[claims.kind == "claim"]
    parts = []
    for scope in SCOPES:
        part = only[only.scope == scope].verdict
        if len(part):
            parts.append(f"{scope}: " + ", ".join(f"{(part == v).sum()} {v}" for v in VERDICTS))
    return "; ".join(parts)


def infeasible_section(table: pd.DataFrame) -> str:
    if table.empty:
        return ""
    counts = table.groupby(["dataset", "method", "alpha", "knowledge", "reason"]).size()
    lines = ["", "## Infeasible cells (recorded, skipped by the claims)", "",
             "| dataset | method | alpha | knowledge | seeds | reason |", "|---|---|---|---|---|---|"]
    lines += [f"| {d} | {m} | {a:g} | {k} | {n} | {r} |" for (d, m, a, k, r), n in counts.items()]
    return "\n".join(lines) + "\n"
