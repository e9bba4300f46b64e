"""Commands of the experiment engine: sweep, results, reproduce."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

import typer

from ..exceptions import ConfigError
from ._app import app

MixedOpt = typer.Option(False, "--allow-mixed-versions",
                        help="Resume into a results file written by another fairflip version.")


class ExportFmt(str, Enum):
    csv = "csv"
    parquet = "parquet"
    json = "json"


@app.command()
def sweep(
    config: Path = typer.Argument(..., help="Sweep grid as a TOML file."),
    db: Path = typer.Option(Path("results.duckdb"), "--db", help="DuckDB results file."),
    jobs: int = typer.Option(1, "--jobs", help="Parallel workers."),
    backend: str = typer.Option("loky", "--backend", help="loky (local processes), dask or sequential."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address."),
    allow_mixed_versions: bool = MixedOpt,
):
    """Run a grid of collective-action (and firm-side) experiments; resumes where it stopped."""
    from ..experiments import load_config, run_sweep  # lazy: commands load the library only when they run

    cfg = load_config(config)
    if jobs < 1:
        raise ConfigError(f"The 'jobs' parameter must be at least 1. Got {jobs} instead.")
    summary = run_sweep(cfg, db, n_jobs=jobs, backend=backend, scheduler=scheduler,
                        allow_mixed_versions=allow_mixed_versions)
    typer.echo(json.dumps(summary))


@app.command()
def results(
    db: Path = typer.Option(..., "--db", help="DuckDB results file."),
    fmt: ExportFmt = typer.Option(ExportFmt.csv, "--format", help="csv, parquet or json"),
    out: Path | None = typer.Option(None, "--out", help="File to write (default: stdout for csv/json)."),
):
    """Export the results table."""
    from .._io import write_table  # lazy: commands load the library only when they run
    from ..experiments import ResultStore  # lazy: commands load the library only when they run

    if not db.is_file():
        raise ConfigError(f"The results database {str(db)!r} does not exist.")
    with ResultStore(db) as store:
        frame = store.frame()
    if out is not None:
        if out.suffix.lower() != f".{fmt.value}":
            raise ConfigError(f"The --out file must end in .{fmt.value} for --format {fmt.value}.")
        write_table(frame, out)
        typer.echo(f"wrote {len(frame)} rows to {out}")
    elif fmt is ExportFmt.parquet:
        raise ConfigError("--format parquet needs --out FILE.")
    elif fmt is ExportFmt.csv:
        typer.echo(frame.to_csv(index=False), nl=False)
    else:
        typer.echo(frame.to_json(orient="records"))


@app.command()
def reproduce(
    quick: bool = typer.Option(False, "--quick", help="Fewer seeds and coarser grids (minutes on 2 cores)."),
    out: Path = typer.Option(Path("reproduce-out"), "--out", help="Output folder."),
    jobs: int = typer.Option(2, "--jobs", help="Parallel workers."),
    backend: str = typer.Option("loky", "--backend", help="loky, dask or sequential."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address."),
    data: Path | None = typer.Option(None, "--data", help="Run the protocol on your CSV or Parquet "
                                     "table instead of the paper's data sets."),
    label: str | None = typer.Option(None, "--label", help="Label column of --data."),
    group: str | None = typer.Option(None, "--group", help="Sensitive-group column of --data."),
    acting_group: str | None = typer.Option(None, "--acting-group",
                                            help="Group value that acts (default: lowest favourable rate)."),
    favourable: str | None = typer.Option(None, "--favourable", help="Label value that is favourable."),
    method: list[str] = typer.Option([], "--method", help="A scorer of your own (installed "
                                     "through the fairflip.scorers entry points, see fairflip "
                                     "methods) to run beside the built-in ones; repeatable."),
    grid: Path | None = typer.Option(None, "--grid", help="A TOML file saying which sweeps, "
                                     "data sets, firm-side methods and studies run (default: "
                                     "all of today's; benchmarks/configs/grid-*.toml)."),
    allow_mixed_versions: bool = MixedOpt,
):
    """Run the paper's experiments; write results.duckdb, figures, claims.csv and summary.md."""
    from ..experiments import DatasetSpec  # lazy: commands load the library only when they run
    from ..reproduce import load_grid  # lazy: commands load the library only when they run
    from ..reproduce import reproduce as run_reproduce  # lazy: commands load the library only when they run

    pinned = load_grid(grid) if grid is not None else None
    if jobs < 1:
        raise ConfigError(f"The 'jobs' parameter must be at least 1. Got {jobs} instead.")
    datasets = None
    if data is not None:
        if label is None or group is None:
            raise ConfigError("--data needs --label COL and --group COL.")
        datasets = [DatasetSpec.from_table(data, label=label, group=group,
                                           acting_group=acting_group, favourable=favourable)]
    elif any(v is not None for v in (label, group, acting_group, favourable)):
        raise ConfigError("--label, --group, --acting-group and --favourable need --data FILE.")
    summary = run_reproduce(out, quick=quick, datasets=datasets, n_jobs=jobs, backend=backend,
                            scheduler=scheduler, allow_mixed_versions=allow_mixed_versions,
                            methods=tuple(method), grid=pinned)
    typer.echo(summary)
