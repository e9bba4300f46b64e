"""Commands of the core library: datasets, evaluate, plan."""

from __future__ import annotations

import json
import math
from enum import Enum
from pathlib import Path

import typer

from ..exceptions import ConfigError
from ._app import app


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


def _strict_json(value):
    """NaN and infinities become null: JSON has no NaN, and jq and friends reject it."""
    if isinstance(value, dict):
        return {k: _strict_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_strict_json(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def load_problem(dataset, data, label, group, acting_group, favourable, sensitive, id_column=None,
                 options=None):
    """A Problem from ``--dataset`` or from the bring-your-own options."""
    from ..data import load_dataset, load_table

    if (dataset is None) == (data is None):
        raise ConfigError("Give exactly one of --dataset NAME or --data FILE.")
    if data is not None:
        if label is None or group is None:
            raise ConfigError("--data needs --label COL and --group COL.")
        return load_table(data, label=label, group=group, acting_group=acting_group,
                          favourable=favourable, id_column=id_column)
    if group is not None and sensitive is not None and group != sensitive:
        raise ConfigError(f"--group and --sensitive name the same thing for --dataset. "
                          f"Got {group!r} and {sensitive!r} instead.")
    options = dict(options or {})
    if acting_group is not None:
        options["acting_group"] = acting_group
    return load_dataset(dataset, sensitive=sensitive or group, **options)


def _print_table(rows: list[dict], title: str):
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


@app.command()
def datasets(
    name: str | None = typer.Argument(None, help="One data set: list its groups."),
    sensitive: str | None = typer.Option(None, "--sensitive",
                                         help="With NAME: sensitive attribute (race, race,sex)."),
    acting_group: str | None = typer.Option(None, "--acting-group", help="With NAME: acting group."),
    dataset_option: list[str] = typer.Option([], "--dataset-option",
                                             help="With NAME: loader option KEY=VALUE."),
    fmt: Fmt = typer.Option(Fmt.table, "--format", help="table or json"),
    download: str | None = typer.Option(
        None, "--download", help="Fetch a data set that is not bundled (hsls, acs-income) "
        "into $FAIRFLIP_DATA/<name> or ~/.cache/fairflip/<name>."),
):
    """List the data sets with rows, features, groups and favourable rates per group.

    With NAME: every group of the sensitive attribute with its size and favourable rate.
    With --download NAME: fetch that data set (checked before it is written).
    """
    from ..data import DATASETS, dataset_summary

    if download is not None:
        from ._datasets import download_command

        download_command(download, listed=name,
                         options=parse_model_params(dataset_option, "--dataset-option"))
        return
    if name is not None:
        from ._groups import print_dataset_groups

        problem = load_problem(name, None, None, None, acting_group, None, sensitive,
                               options=parse_model_params(dataset_option, "--dataset-option"))
        if fmt is Fmt.json:
            table = problem.group_table()
            typer.echo(json.dumps(_strict_json({
                "name": problem.name, "sensitive": problem.sensitive,
                "multigroup": problem.is_multigroup,
                "groups": json.loads(table.to_json(orient="records"))}), allow_nan=False))
        else:
            print_dataset_groups(problem)
        return
    rows = [dataset_summary(name) for name in DATASETS]
    if fmt is Fmt.json:
        typer.echo(json.dumps(_strict_json(rows), indent=1, default=str))
        return

    def num(value, spec):
        return "-" if value is None else format(value, spec)

    _print_table([{
        "name": r["name"], "rows": num(r["rows"], ","), "features": num(r["features"], "d"),
        "acting vs other": r["groups"], "acting share": num(r["acting_share"], ".3f"),
        "smaller?": "-" if r["acting_is_smaller"] is None else "yes" if r["acting_is_smaller"] else "NO",
        "fav. acting": num(r["favourable_rate_acting"], ".3f"),
        "fav. other": num(r["favourable_rate_other"], ".3f"),
        "download": "needed" if r["needs_download"] else "no",
    } for r in rows], "fairflip data sets (favourable-outcome rate per group)")
    typer.echo("Every group of one attribute, with sizes and favourable rates: "
               "fairflip datasets NAME --sensitive race (or race,sex)")


DatasetOpt = typer.Option(None, "--dataset", help="A bundled or generated data set.")
DataOpt = typer.Option(None, "--data", help="Your CSV or Parquet file (instead of --dataset).")
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
    from ..firm import check_audit

    if not avoid_audit:
        return None
    if audit not in ("cleanlab", "loss"):
        raise ConfigError("The '--audit' option with --avoid-audit must be cleanlab or loss. "
                          f"Got {audit!r} instead.")
    check_audit(audit, "drop", audit_q)
    return audit


@app.command()
def evaluate(
    dataset: str | None = DatasetOpt,
    data: Path | None = DataOpt,
    label: str | None = LabelOpt,
    group: str | None = GroupOpt,
    acting_group: str | None = ActingOpt,
    favourable: str | None = FavOpt,
    sensitive: str | None = SensOpt,
    alpha: float = typer.Option(0.3, help="Fraction of the acting group in the collective, in (0, 1]."),
    method: str = typer.Option("rb-prob", help="rb-prob, rb-label, rb-dist, random or oracle."),
    budget: str | None = typer.Option(
        None, "--budget", help="Flips: a count (300) or a fraction of the candidates (0.5); default 0."),
    flips: str | None = typer.Option(None, "--flips", hidden=True, help="Deprecated: use --budget."),
    random_state: int | None = RandomStateOpt,
    seed: int | None = OldSeedOpt,
    model: str = typer.Option("logreg", help="logreg, hgb, mlp or a dotted import path."),
    model_param: list[str] = typer.Option([], "--model-param",
                                          help="Model parameter KEY=VALUE (repeatable)."),
    k: int = typer.Option(10, help="Neighbours for rb-label and rb-dist."),
    knowledge: str = typer.Option("all", help="Majority rows known: all, a count, or a fraction."),
    test_size: float = typer.Option(0.3, help="Share of rows in the firm's test split."),
    group_feature: bool = typer.Option(True, help="Whether the firm's features include the group."),
    reference_group: str | None = typer.Option(
        None, "--reference-group", help="Multi-group: the group whose rows the collective knows."),
    coalition: list[str] = typer.Option(
        [], "--coalition", help="Multi-group: GROUP=ALPHA, repeatable; groups act together."),
    dataset_option: list[str] = typer.Option([], "--dataset-option",
                                             help="Loader option KEY=VALUE (race_filter=false)."),
    audit: str = AuditOpt,
    audit_action: str = AuditActionOpt,
    audit_q: float = AuditQOpt,
    avoid_audit: bool = AvoidAuditOpt,
    fmt: Fmt = typer.Option(Fmt.table, "--format", help="table or json"),
):
    """Train the firm without and with the collective's flips; print before/after metrics."""
    from ..simulate import evaluate as run_evaluate

    budget = renamed_option(budget, flips, "--budget", "--flips", "0")
    random_state = renamed_option(random_state, seed, "--random-state", "--seed", 0)
    problem = load_problem(dataset, data, label, group, acting_group, favourable, sensitive,
                           options=parse_model_params(dataset_option, "--dataset-option"))
    common = dict(method=method, budget=parse_count_or_fraction(budget, "budget"),
                  random_state=random_state, model=model,
                  model_params=parse_model_params(model_param), k=k, knowledge=knowledge,
                  test_size=test_size, include_group=group_feature,
                  reference_group=reference_group)
    audit_args = dict(audit=audit, audit_action=audit_action, audit_q=audit_q,
                      avoid_audit=avoid_audit)
    if coalition:
        from ..simulate_groups import evaluate_coalition
        from ._groups import print_coalition

        out = evaluate_coalition(problem, coalition=coalition, **common).to_dict()
        if fmt is Fmt.json:
            typer.echo(json.dumps(_strict_json(out), allow_nan=False, default=str))
        else:
            print_coalition(out)
        return
    result = run_evaluate(problem, alpha=alpha, **common, **audit_args).to_dict()
    if fmt is Fmt.json:
        typer.echo(json.dumps(_strict_json(result), allow_nan=False))
        return
    smaller = "also" if result["acting_is_smaller"] else "NOT"
    typer.echo(
        f"{result['dataset']}: acting group {result['acting_group']!r} ({smaller} the smaller group); "
        f"collective {result['collective_size']} rows, {result['n_candidates']} candidates, "
        f"{result['n_flips']} flips by {result['method']}"
    )
    if result["stealth"]:
        st = result["stealth"]
        typer.echo(f"stealth plan: the collective's own {st['audit']} audit flags {st['n_risky']} "
                   f"candidates; {st['n_risky_flipped']} of them still flip")
    keys = [key for key in result["before"] if key in result["after"]]
    _print_table([{"metric": key, "before": result["before"][key], "after": result["after"][key]}
                  for key in keys], "firm's test metrics")
    if result["groups"]:
        from ._groups import print_eqod_line, print_group_rates

        print_eqod_line(result["before"], result["after"])
        print_group_rates(result["groups"])
    if result["audit"]:
        from ._audit_table import print_audit

        print_audit(result["audit"], _print_table)


@app.command()
def plan(
    members: Path = typer.Option(..., "--members", help="The collective's own rows (CSV/Parquet)."),
    label: str = typer.Option(..., "--label", help="Label column."),
    out: Path = typer.Option(..., "--out", help="Plan table to write (.csv or .parquet)."),
    majority: Path | None = typer.Option(None, "--majority", help="Majority rows the collective knows."),
    favourable: str | None = FavOpt,
    id_column: str | None = typer.Option(None, "--id-column", help="Member id column."),
    drop: list[str] = typer.Option([], "--drop", help="Columns that are not features (repeatable)."),
    method: str = typer.Option("rb-label", help="rb-prob, rb-label, rb-dist or random."),
    budget: str = typer.Option("0.5", help="Flips: a count, a fraction of the candidates, or "
                               "auto (the advisor's choice, see fairflip advise)."),
    k: int = typer.Option(10, help="Neighbours for rb-label and rb-dist."),
    random_state: int | None = RandomStateOpt,
    seed: int | None = OldSeedOpt,
    alpha: float | None = typer.Option(None, "--alpha", help="With --budget auto: the "
                                       "collective's share of its group, in (0, 1]."),
    group_share: float | None = typer.Option(None, "--group-share", help="With --budget auto: "
                                             "the acting group's share of the firm's data."),
    model: str = typer.Option("logreg", help="With --budget auto: the firm's model class."),
    avoid_audit: bool = AvoidAuditOpt,
    audit: str = ExpectedAuditOpt,
    audit_q: float = AuditQOpt,
    neighbors: str = NeighborsOpt,
):
    """The organiser's command: rank the collective's negative members and choose who flips."""
    from .._io import write_table
    from ..data import read_table
    from ..organiser import plan_from_tables
    from ..scorers import check_neighbors

    check_neighbors(neighbors)
    random_state = renamed_option(random_state, seed, "--random-state", "--seed", 0)
    stealth = expected_audit(avoid_audit, audit, audit_q)
    if budget.strip().lower() == "auto":
        from ._advise import advise_from_files

        _, advice = advise_from_files(
            members, label=label, majority=majority, favourable=favourable, id_column=id_column,
            drop=drop, method=method, model=model, group_share=group_share, alpha=alpha, k=k,
            random_state=random_state, avoid_audit=stealth, audit_q=audit_q, neighbors=neighbors,
            progress=lambda message: typer.echo(f"plan: {message}", err=True))
        count = advice.recommended_budget
        ranked = " for the stealth-aware ranking" if stealth else ""
        typer.echo(f"budget auto: the advisor recommends {count} of {advice.n_candidates} "
                   f"candidates ({100 * advice.recommended_share:.1f} %){ranked}; "
                   "see fairflip advise", err=True)
        for note in advice.notes:
            typer.echo(f"note: {note}", err=True)
    else:
        count = parse_count_or_fraction(budget, "budget")
    table = plan_from_tables(
        read_table(members), label=label,
        majority=None if majority is None else read_table(majority),
        favourable=favourable, id_column=id_column, drop=drop, method=method,
        budget=count, k=k, random_state=random_state, model=model,
        avoid_audit=stealth, audit_q=audit_q, neighbors=neighbors,
    )
    write_table(table, out)
    typer.echo(f"wrote {out}: {int(table['flip'].sum())} of {len(table)} candidates flip")
    if "neighbor_recall" in table.attrs:
        typer.echo(table.attrs["neighbor_recall"].describe())
