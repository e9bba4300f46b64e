"""Commands of the core library: datasets, evaluate, plan."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ._app import app
from ._common import (
    ActingOpt,
    AuditActionOpt,
    AuditOpt,
    AuditQOpt,
    AvoidAuditOpt,
    DataOpt,
    DatasetOpt,
    ExpectedAuditOpt,
    FavOpt,
    Fmt,
    GroupOpt,
    LabelOpt,
    NeighborsOpt,
    OldSeedOpt,
    RandomStateOpt,
    SensOpt,
    StandardizeOpt,
    expected_audit,
    load_problem,
    parse_count_or_fraction,
    parse_model_params,
    print_table,
    renamed_option,
    strict_json,
)


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
            typer.echo(json.dumps(strict_json({
                "name": problem.name, "sensitive": problem.sensitive,
                "multigroup": problem.is_multigroup,
                "groups": json.loads(table.to_json(orient="records"))}), allow_nan=False))
        else:
            print_dataset_groups(problem)
        return
    rows = [dataset_summary(name) for name in DATASETS]
    if fmt is Fmt.json:
        typer.echo(json.dumps(strict_json(rows), indent=1, default=str))
        return

    def num(value, spec):
        return "-" if value is None else format(value, spec)

    print_table([{
        "name": r["name"], "rows": num(r["rows"], ","), "features": num(r["features"], "d"),
        "acting vs other": r["groups"], "acting share": num(r["acting_share"], ".3f"),
        "smaller?": "-" if r["acting_is_smaller"] is None else "yes" if r["acting_is_smaller"] else "NO",
        "fav. acting": num(r["favourable_rate_acting"], ".3f"),
        "fav. other": num(r["favourable_rate_other"], ".3f"),
        "download": "needed" if r["needs_download"] else "no",
    } for r in rows], "fairflip data sets (favourable-outcome rate per group)")
    typer.echo("Every group of one attribute, with sizes and favourable rates: "
               "fairflip datasets NAME --sensitive race (or race,sex)")


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
    method: str = typer.Option("rb-prob", help="rb-prob, rb-label, rb-dist, random, oracle, "
                               "influence, or an installed scorer (see fairflip methods)."),
    budget: str | None = typer.Option(
        None, "--budget", help="Flips: a count (300), a fraction of the candidates (0.5) or auto "
        "(the advisor's budget from the collective's view); default 0."),
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
    standardize: bool | None = StandardizeOpt,
    fmt: Fmt = typer.Option(Fmt.table, "--format", help="table or json"),
):
    """Train the firm without and with the collective's flips; print before/after metrics."""
    from ..simulation import evaluate as run_evaluate

    budget = renamed_option(budget, flips, "--budget", "--flips", "0")
    random_state = renamed_option(random_state, seed, "--random-state", "--seed", 0)
    problem = load_problem(dataset, data, label, group, acting_group, favourable, sensitive,
                           options=parse_model_params(dataset_option, "--dataset-option"),
                           standardize=standardize)
    auto = budget.strip().lower() == "auto"
    common = dict(method=method, budget="auto" if auto else parse_count_or_fraction(budget, "budget"),
                  random_state=random_state, model=model,
                  model_params=parse_model_params(model_param), k=k, knowledge=knowledge,
                  test_size=test_size, group_feature=group_feature,
                  reference_group=reference_group)
    audit_args = dict(audit=audit, audit_action=audit_action, audit_q=audit_q,
                      avoid_audit=avoid_audit)
    if coalition:
        from ..simulation import evaluate_coalition
        from ._groups import print_coalition

        out = evaluate_coalition(problem, coalition=coalition, **common).to_dict()
        if fmt is Fmt.json:
            typer.echo(json.dumps(strict_json(out), allow_nan=False, default=str))
        else:
            print_coalition(out)
        return
    result = run_evaluate(problem, alpha=alpha, **common, **audit_args).to_dict()
    if fmt is Fmt.json:
        typer.echo(json.dumps(strict_json(result), allow_nan=False))
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
    print_table([{"metric": key, "before": result["before"][key], "after": result["after"][key]}
                  for key in keys], "firm's test metrics")
    if result["groups"]:
        from ._groups import print_eqod_line, print_group_rates

        print_eqod_line(result["before"], result["after"])
        print_group_rates(result["groups"])
    if result["audit"]:
        from ._audit_table import print_audit

        print_audit(result["audit"])


@app.command()
def plan(
    members: Path = typer.Option(..., "--members", help="The collective's own rows (CSV/Parquet/.npz)."),
    label: str = typer.Option(..., "--label", help="Label column."),
    out: Path = typer.Option(..., "--out", help="Plan table to write (.csv or .parquet)."),
    majority: Path | None = typer.Option(None, "--majority", help="Majority rows the collective knows."),
    favourable: str | None = FavOpt,
    id_column: str | None = typer.Option(None, "--id-column", help="Member id column."),
    drop: list[str] = typer.Option([], "--drop", help="Columns that are not features (repeatable)."),
    method: str = typer.Option("rb-prob", help="rb-prob (default, as advise), rb-label, rb-dist, "
                               "random, or an installed scorer (see fairflip methods)."),
    budget: str = typer.Option("0.5", help="Flips: a count, a fraction of the candidates, or "
                               "auto (the advisor's choice, see fairflip advise)."),
    k: int = typer.Option(10, help="Neighbours for rb-label and rb-dist."),
    random_state: int | None = RandomStateOpt,
    seed: int | None = OldSeedOpt,
    alpha: float | None = typer.Option(None, "--alpha", help="With --budget auto: the "
                                       "collective's share of its group, in (0, 1]."),
    group_share: float | None = typer.Option(None, "--group-share", help="With --budget auto: "
                                             "the acting group's share of the firm's data."),
    majority_rate: float | None = typer.Option(
        None, "--majority-rate", help="With --budget auto: the majority's favourable rate, a "
        "public fact in (0, 1); needs --group-share."),
    model: str = typer.Option("logreg", help="With --budget auto: the firm's model class."),
    avoid_audit: bool = AvoidAuditOpt,
    audit: str = ExpectedAuditOpt,
    audit_q: float = AuditQOpt,
    neighbors: str = NeighborsOpt,
    standardize: bool | None = StandardizeOpt,
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
            majority_rate=majority_rate, standardize=standardize is not False,
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
        standardize=standardize is not False,
        **({} if majority_rate is None else dict(alpha=alpha, group_share=group_share,
                                                 majority_rate=majority_rate)),
    )
    write_table(table, out)
    typer.echo(f"wrote {out}: {int(table['flip'].sum())} of {len(table)} candidates flip")
    if "neighbor_recall" in table.attrs:
        typer.echo(table.attrs["neighbor_recall"].describe())
