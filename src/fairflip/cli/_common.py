"""What every command shares: options, parsing, printing. A leaf: it imports no command module."""

from __future__ import annotations

import json
import math
from enum import Enum

import typer

from ..exceptions import ConfigError


class Fmt(str, Enum):
    table = "table"
    json = "json"


def renamed_option(new_value, old_value, new: str, old: str, default):
    """The value of ``--new``, or of its deprecated spelling ``--old`` (with a warning)."""
    if old_value is None:
        return default if new_value is None else new_value
    if new_value is not None:
        raise ConfigError(f"Give {new} only; {old} is its deprecated spelling.")
    typer.echo(f"warning: {old} is deprecated and will be removed in fairflip 0.3; use {new}.",
               err=True)
    return old_value


RandomStateOpt = typer.Option(None, "--random-state",
                              help="Base seed: every draw (split, collective, ties) derives from it.")
OldSeedOpt = typer.Option(None, "--seed", hidden=True, help="Deprecated: use --random-state.")


def parse_count_or_fraction(text: str, name: str):
    """'300' -> 300 (a count), '0.5' -> 0.5 (a fraction)."""
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            raise ConfigError(
                f"The '{name}' parameter must be a count or a fraction. Got {text!r} instead."
            ) from None


def parse_model_params(items: list[str], option: str = "--model-param") -> dict:
    """``["max_depth=3", "kernel=rbf"]`` -> ``{"max_depth": 3, "kernel": "rbf"}`` (JSON values)."""
    params = {}
    for item in items:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"The '{option}' option must be KEY=VALUE. Got {item!r} instead.")
        try:
            params[key.strip()] = json.loads(text)
        except json.JSONDecodeError:
            params[key.strip()] = text
    return params


def strict_json(value):
    """NaN and infinities become null: JSON has no NaN, and jq and friends reject it."""
    if isinstance(value, dict):
        return {k: strict_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [strict_json(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def load_problem(dataset, data, label, group, acting_group, favourable, sensitive, id_column=None,
                 options=None, standardize=None):
    """A Problem from ``--dataset`` or from the bring-your-own options."""
    from ..data import load_dataset, load_table  # lazy: commands load the library only when they run

    if (dataset is None) == (data is None):
        raise ConfigError("Give exactly one of --dataset NAME or --data FILE.")
    if data is not None:
        if label is None or group is None:
            raise ConfigError("--data needs --label COL and --group COL.")
        return load_table(data, label=label, group=group, acting_group=acting_group,
                          favourable=favourable, id_column=id_column,
                          standardize=True if standardize is None else standardize)
    if group is not None and sensitive is not None and group != sensitive:
        raise ConfigError(f"--group and --sensitive name the same thing for --dataset. "
                          f"Got {group!r} and {sensitive!r} instead.")
    options = dict(options or {})
    if acting_group is not None:
        options["acting_group"] = acting_group
    if standardize is not None:
        options["standardize"] = standardize
    return load_dataset(dataset, sensitive=sensitive or group, **options)


def print_table(rows: list[dict], title: str):
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    # The first column names the row (a metric, a group such as "Amer-Indian-Eskimo,Female"):
    # it keeps its full width; the numeric columns wrap their headers instead.
    first = max(len(str(next(iter(row.values())))) for row in rows)
    for j, key in enumerate(rows[0]):
        table.add_column(key, min_width=first if j == 0 else None)
    for row in rows:
        table.add_row(*(f"{v:.4f}" if isinstance(v, float) else str(v) for v in row.values()))
    # A pipe gets rich's 80-column default; tables read better a little wider.
    console = Console()
    Console(width=max(console.width, 120)).print(table)


DatasetOpt = typer.Option(None, "--dataset", help="A bundled or generated data set.")
DataOpt = typer.Option(None, "--data", help="Your CSV, Parquet or .npz file (instead of "
                       "--dataset; .npz: arrays X, the label, the group).")
StandardizeOpt = typer.Option(
    None, "--standardize/--no-standardize",
    help="Scale numeric features (default, except embedding-synthetic) or pass them through "
    "as they are (embeddings keep their geometry; float32 stays float32).")
LabelOpt = typer.Option(None, "--label", help="Label column of --data.")
GroupOpt = typer.Option(None, "--group", help="Sensitive-group column of --data.")
ActingOpt = typer.Option(None, "--acting-group",
                         help="Group value that acts (default: lowest favourable rate).")
FavOpt = typer.Option(None, "--favourable", help="Label value that is favourable.")
SensOpt = typer.Option(None, "--sensitive", help="Sensitive attribute of a bundled data set.")
AuditOpt = typer.Option("none", "--audit", help="The firm's label audit: none, cleanlab or loss.")
AuditActionOpt = typer.Option("drop", "--audit-action",
                              help="The firm's response to flagged rows: drop or relabel.")
AuditQOpt = typer.Option(0.1, "--audit-q", help="Share of rows the loss audit flags, in (0, 1).")
AvoidAuditOpt = typer.Option(False, "--avoid-audit",
                             help="Move candidates the collective's own audit flags to the end.")
ExpectedAuditOpt = typer.Option("cleanlab", "--audit",
                                help="With --avoid-audit: the audit to expect, cleanlab or loss.")
NeighborsOpt = typer.Option("exact", "--neighbors",
                            help="rb-label / rb-dist neighbour search: exact (default) or approx "
                            "(hnswlib, pip install fairflip[approx]; prints its measured recall).")


def expected_audit(avoid_audit: bool, audit: str, audit_q: float) -> str | None:
    """The audit a stealth plan expects (plan and advise), or None without --avoid-audit."""
    from ..learning import check_audit  # lazy: commands load the library only when they run

    if not avoid_audit:
        return None
    if audit not in ("cleanlab", "loss"):
        raise ConfigError("The '--audit' option with --avoid-audit must be cleanlab or loss. "
                          f"Got {audit!r} instead.")
    check_audit(audit, "drop", audit_q)
    return audit
