"""``fairflip advise``: the organiser asks how many of the collective should flip."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from ..exceptions import ConfigError
from ..learning import DEFAULT_AUDIT_Q
from ._app import app
from ._common import (
    AuditQOpt,
    AvoidAuditOpt,
    ExpectedAuditOpt,
    FavOpt,
    Fmt,
    NeighborsOpt,
    RandomStateOpt,
    expected_audit,
    parse_model_params,
    print_table,
    strict_json,
)

FIGURE_SUFFIXES = (".png", ".svg")
MajorityRateOpt = typer.Option(
    None, "--majority-rate",
    help="The majority's favourable rate, a public fact (e.g. a published hiring rate), in "
         "(0, 1); needs --group-share. Lets the advice stand on few known rows.")


def advise_from_files(members, *, label, majority=None, favourable=None, id_column=None, drop=(),
                      method="rb-prob", model="logreg", model_params=None, group_share=None,
                      alpha=None, k=10, random_state=0, avoid_audit=None, audit_q=DEFAULT_AUDIT_Q,
                      progress=None, neighbors="exact", majority_rate=None, standardize=True):
    """Read the organiser's files, build the view, advise (shared by advise and plan).

    ``avoid_audit`` ("cleanlab" or "loss", as in :func:`fairflip.organiser.plan_from_tables`)
    advises for the stealth-aware ranking (see :func:`fairflip.advise`).
    """
    from ..advisor import advise  # lazy: commands load the library only when they run
    from ..collective import view_from_tables  # lazy: commands load the library only when they run
    from ..data import read_table  # lazy: commands load the library only when they run

    view = view_from_tables(read_table(members), label=label,
                            majority=None if majority is None else read_table(majority),
                            favourable=favourable, id_column=id_column, drop=drop, alpha=alpha,
                            group_share=group_share, majority_rate=majority_rate,
                            standardize=standardize)
    return view, advise(view, method=method, k=k, model=model, model_params=model_params,
                        random_state=random_state, avoid_audit=avoid_audit, audit_q=audit_q,
                        progress=progress, neighbors=neighbors)


def _check_figure(figure: Path | None):
    if figure is not None and figure.suffix.lower() not in FIGURE_SUFFIXES:
        raise ConfigError("The '--figure' option must end in .png or .svg. "
                          f"Got {str(figure)!r} instead.")


def _print_advice(result: dict):
    n, share = result["recommended_budget"], result["recommended_share"]
    typer.echo(f"recommended budget: {n} of {result['n_candidates']} candidates flip "
               f"({100 * share:.1f} %), ranked by {result['method']}, firm model {result['model']}")
    st = result.get("stealth")
    if st:
        after = result["predicted"]["eqod"]["after"]
        typer.echo(f"stealth-aware ranking (--avoid-audit): the collective's own {st['audit']} "
                   f"audit of its view flags {st['flagged_stealth']} of these {n} flips, against "
                   f"{st['flagged_plain']} in the plain ranking's top {n} (expected flags "
                   f"avoided: {st['flags_avoided']}); predicted EqOd {after:.4f} "
                   f"vs {st['plain_eqod']:.4f} plain")
    rows = []
    for metric in ("eqod", "error"):
        p = result["predicted"][metric]
        rows.append({"predicted": metric,
                     "no flips": f"{p['before']:.4f} [{p['before_low']:.4f}, {p['before_high']:.4f}]",
                     f"{n} flips": f"{p['after']:.4f} [{p['low']:.4f}, {p['high']:.4f}]"})
    print_table(rows, "predicted firm test metrics (90 % band)")
    curve = result["curve"]
    step = max(1, len(curve) // 10)
    shown = [c for i, c in enumerate(curve) if i % step == 0 or c["budget"] == n or i == len(curve) - 1]
    plain = {"EqOd plain": "plain_eqod"} if st else {}
    print_table([{"flips": c["budget"], "EqOd": c["eqod"], "EqOd low": c["low"],
                   "EqOd high": c["high"], **{k: c[v] for k, v in plain.items()},
                   "error": c["error"], "": "<- recommended" if c["budget"] == n else ""}
                  for c in shown],
                 "predicted curve" + (" (stealth-aware ranking)" if st else ""))


def _progress(message):
    typer.echo(f"advise: {message}", err=True)


@app.command()
def advise(
    members: Path = typer.Option(..., "--members", help="The collective's own rows (CSV/Parquet)."),
    label: str = typer.Option(..., "--label", help="Label column."),
    majority: Path | None = typer.Option(None, "--majority",
                                         help="Rows of the other group the collective knows."),
    favourable: str | None = FavOpt,
    id_column: str | None = typer.Option(None, "--id-column", help="Member id column."),
    drop: list[str] = typer.Option([], "--drop", help="Columns that are not features (repeatable)."),
    method: str = typer.Option("rb-prob", help="rb-prob, rb-label, rb-dist or random."),
    model: str = typer.Option("logreg", help="The firm's model: logreg, hgb, mlp or a dotted path."),
    model_param: list[str] = typer.Option([], "--model-param",
                                          help="Model parameter KEY=VALUE (repeatable)."),
    group_share: float | None = typer.Option(None, "--group-share",
                                             help="Acting group's share of the firm's data, in (0, 1)."),
    alpha: float | None = typer.Option(None, "--alpha",
                                       help="The collective's share of its group, in (0, 1]."),
    majority_rate: float | None = MajorityRateOpt,
    k: int = typer.Option(10, help="Neighbours for rb-label and rb-dist."),
    random_state: int | None = RandomStateOpt,
    avoid_audit: bool = AvoidAuditOpt,
    audit: str = ExpectedAuditOpt,
    audit_q: float = AuditQOpt,
    neighbors: str = NeighborsOpt,
    fmt: Fmt = typer.Option(Fmt.table, "--format", help="table or json"),
    figure: Path | None = typer.Option(None, "--figure", help="Write the predicted curve (.png/.svg)."),
):
    """Recommend how many of the collective should flip, from its own files alone.

    With --avoid-audit the advice is for the stealth-aware ranking (as plan --avoid-audit).
    """
    from ..scorers import check_neighbors  # lazy: commands load the library only when they run

    check_neighbors(neighbors)
    _check_figure(figure)
    stealth = expected_audit(avoid_audit, audit, audit_q)
    _, result = advise_from_files(
        members, label=label, majority=majority, favourable=favourable, id_column=id_column,
        drop=drop, method=method, model=model, model_params=parse_model_params(model_param),
        group_share=group_share, alpha=alpha, k=k,
        random_state=0 if random_state is None else random_state, avoid_audit=stealth,
        audit_q=audit_q, progress=_progress, neighbors=neighbors, majority_rate=majority_rate)
    if figure is not None:
        from ..plotting import write_advice_figure  # lazy: commands load the library only when they run

        write_advice_figure(result, figure)
    data = result.to_dict()
    for note in data["notes"]:
        typer.echo(f"note: {note}", err=True)
    if fmt is Fmt.json:
        typer.echo(json.dumps(strict_json(data), allow_nan=False))
    else:
        _print_advice(data)
    if figure is not None:
        print(f"wrote {figure}", file=sys.stderr)
