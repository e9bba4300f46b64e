"""Printing many groups: the per-group tables of ``evaluate`` and ``datasets NAME``."""

from __future__ import annotations

import typer

from ._common import (
    print_table,
)

_RATES = ("tpr", "fpr")  # selection rate and error are in --format json


def print_group_rates(groups: list[dict], *, after: str = "after") -> None:
    """Every group's rates before and ``after``, its gap change, and the small-group flag."""
    rows = []
    for g in groups:
        row = {"group": g["group"] + (" *" if g["acting"] else ""), "rows": g["rows"]}
        # Two-line headers leave the width to the group names (intersections are long).
        for rate in _RATES:
            row[f"{rate.upper()}\nbefore"] = g[f"{rate}_before"]
            row[f"{rate.upper()}\n{after}"] = g[f"{rate}_after"]
        row["own gap\nbefore"] = g["gap_before"]
        row[f"own gap\n{after}"] = g["gap_after"]
        row["few\nrows"] = "FLAG" if g["small"] else ""
        rows.append(row)
    print_table(rows, "per-group test rates (* acting; own gap: EqOd of the group vs every other "
                       "row; FLAG: fewer than 20 positive or negative test rows)")


def print_eqod_line(before: dict, after: dict, *, after_name: str = "after") -> None:
    typer.echo(
        f"EqOd acting vs rest: {before['eqod']:.4f} -> {after['eqod']:.4f} ({after_name}); "
        f"multi-group EqOd (all groups): {before['eqod_multi']:.4f} -> {after['eqod_multi']:.4f}; "
        f"smallest group {int(before['min_group_size'])} test rows"
    )


def print_coalition(result: dict) -> None:
    names = list(result["alone"])
    typer.echo(
        f"{result['dataset']}: coalition of {', '.join(repr(n) for n in names)} by "
        f"{result['method']}; flips "
        + ", ".join(f"{n}: {result['n_flips'][n]}" for n in names)
    )
    keys = [k for k in result["before"] if isinstance(result["before"][k], float)]
    print_table([{"metric": k, "before": result["before"][k], "together": result["together"][k],
                   **{f"{n} alone": result["alone"][n][k] for n in names}} for k in keys],
                 "firm's test metrics (acting side: the coalition's groups together)")
    print_eqod_line(result["before"], result["together"], after_name="together")
    print_group_rates(result["groups"], after="together")


def print_dataset_groups(problem) -> None:
    table = problem.group_table()
    print_table([{"group": r.group + (" (acting)" if r.acting else ""), "rows": f"{r.rows:,}",
                   "share": r.share, "favourable rate": r.favourable_rate}
                  for r in table.itertuples()],
                 f"{problem.name}: groups of {problem.sensitive!r} "
                 f"({'multi-group' if problem.is_multigroup else 'binary'})")
