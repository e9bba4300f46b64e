"""``fairflip report``: one self-contained HTML page from a results database."""

from __future__ import annotations

from pathlib import Path

import typer

from ._app import app


@app.command()
def report(
    db: Path = typer.Option(..., "--db", help="DuckDB results file (from sweep or reproduce)."),
    out: Path = typer.Option(Path("report.html"), "--out", help="HTML file to write."),
    title: str | None = typer.Option(None, "--title", help="Page title (default: from the file name)."),
):
    """Write one HTML report (claims, interactive charts, provenance); opens offline."""
    from ..report import write_report  # lazy: commands load the library only when they run

    typer.echo(str(write_report(db, out, title=title)))
