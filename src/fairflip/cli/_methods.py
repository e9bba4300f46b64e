"""``fairflip methods``: the scorers available here and where each comes from."""

from __future__ import annotations

import json

import typer

from ._app import app


@app.command()
def methods(
    fmt: str = typer.Option("table", "--format", help="table or json"),
):
    """List the ranking methods (--method) available: built-in, installed (entry points of the
    'fairflip.scorers' group, with package and version) or registered in this session."""
    from ..exceptions import ConfigError
    from ..scorers import available_scorers

    if fmt not in ("table", "json"):
        raise ConfigError(f"The '--format' option must be table or json. Got {fmt!r} instead.")
    infos = available_scorers()
    if fmt == "json":
        typer.echo(json.dumps([info.__dict__ for info in infos]))
        return
    typer.echo(f"{'method':<16} {'source':<12} {'version':<8} {'package':<28} class")
    for info in infos:
        package = f"{info.package} {info.package_version}".strip() or "-"
        typer.echo(f"{info.name:<16} {info.source:<12} {info.algorithm_version:<8} "
                   f"{package:<28} {info.target}{'  (' + info.note + ')' if info.note else ''}")
