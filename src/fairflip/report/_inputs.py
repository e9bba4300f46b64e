"""What a report is built from: a results database, read-only, and the files ``reproduce``
writes next to it (claims, toy example) when they are there."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .._version import __version__
from ..analysis import advice_table, efficiency_table
from ..analysis.claims import all_claims
from ..exceptions import ConfigError, DataError
from ..experiments import RESULT_COLUMNS, SCHEMA_VERSION

__all__ = ["ReportInputs", "load_inputs", "read_results"]

# The columns without which rows are not a fairflip results table.
REQUIRED_COLUMNS = ("cell_id", "dataset", "family", "method", "seed", "error", "eqod")


@dataclass
class ReportInputs:
    """Everything a report shows; the frames are never modified by the page builders."""

    source: Path
    results: pd.DataFrame
    units: pd.DataFrame = field(default_factory=pd.DataFrame)
    claims: pd.DataFrame = field(default_factory=pd.DataFrame)
    claims_source: str = ""
    efficiency: pd.DataFrame = field(default_factory=pd.DataFrame)
    toy: pd.DataFrame | None = None
    # reproduce's multi-group study: data set -> (per-group rows, spillover per group)
    group_studies: dict = field(default_factory=dict)
    # rows of the label-audit study (reproduce's audits.duckdb, or audited rows of the results)
    audits: pd.DataFrame = field(default_factory=pd.DataFrame)
    # budget choices without hindsight (reproduce's advice.csv, or the advisor's columns)
    advice: pd.DataFrame = field(default_factory=pd.DataFrame)


def _schema_version(con, path: Path, tables: set) -> int:
    """The file's results schema (1 = fairflip 0.1.0, no ``meta`` table); a newer schema than
    this fairflip knows is refused, as :class:`~fairflip.experiments.ResultStore` does."""
    if "meta" not in tables:
        return 1
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    try:
        found = int(meta["schema_version"])
    except (KeyError, ValueError):
        raise ConfigError(f"The results database {str(path)!r} has a malformed 'meta' table "
                          "(no integer schema_version).") from None
    if found > SCHEMA_VERSION:
        raise ConfigError(
            f"The results database {str(path)!r} has schema version {found} (written by fairflip "
            f"{meta.get('fairflip_version', 'unknown')}); fairflip {__version__} reads schema "
            f"versions up to {SCHEMA_VERSION}. Upgrade fairflip to report on it.")
    return found


def read_results(db) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``results`` rows and the ``units`` log of a fairflip results database.

    The file is opened read-only, so a database from elsewhere is never modified.

    Raises
    ------
    ConfigError
        The file is missing, not a DuckDB database, not a fairflip results file, or holds no
        result rows.
    """
    import duckdb

    path = Path(db)
    if not path.is_file():
        raise ConfigError(f"The results database {str(path)!r} does not exist.")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0]
        if "lock" in first.lower():
            raise ConfigError(f"The results database {str(path)!r} is in use by another process "
                              f"(is a sweep still writing it?): {first}") from None
        raise ConfigError(f"The file {str(path)!r} is not a fairflip results database (DuckDB "
                          f"cannot open it: {first})") from None
    try:
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema()").fetchall()}
        if "results" not in tables:
            raise ConfigError(f"The file {str(path)!r} is not a fairflip results database "
                              "(it has no 'results' table).")
        columns = {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'results' "
            "AND table_schema = current_schema()"
        ).fetchall()}
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise ConfigError(f"The file {str(path)!r} is not a fairflip results database "
                              f"(its 'results' table lacks {missing}).")
        schema = _schema_version(con, path, tables)
        results = con.execute("SELECT * FROM results ORDER BY cell_id").df()
        units = (con.execute("SELECT * FROM units").df() if "units" in tables
                 else pd.DataFrame())
    except duckdb.Error as exc:
        raise ConfigError(f"The results database {str(path)!r} cannot be read: "
                          f"{str(exc).splitlines()[0]}") from None
    finally:
        con.close()
    # An older file is read as its migration would leave it: later columns are NULL.
    results = results.reindex(columns=[*RESULT_COLUMNS, *(c for c in results if c not in RESULT_COLUMNS)])
    results.attrs["schema_version"] = schema
    if results.empty:
        raise DataError(f"The results database {str(path)!r} has no result rows; run a sweep "
                        "into it first.")
    return results, units


def _read_csv(path: Path) -> pd.DataFrame | None:
    if not path.is_file():
        return None
    try:
        return pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError(f"The file {str(path)!r} next to the database cannot be read: "
                        f"{str(exc).splitlines()[0]}") from None


def load_inputs(db, *, claims: pd.DataFrame | None = None,
                toy: pd.DataFrame | None = None) -> ReportInputs:
    """Read the database and the reproduction's side files.

    Claims come from ``claims`` when given (``reproduce`` passes the table it just wrote),
    else from ``claims.csv`` next to the database, else they are computed from the rows with
    :func:`fairflip.analysis.claims.all_claims`. The toy example's rows come from ``toy``
    or ``toy.csv`` next to the database; without them its figure and claim are left out. The
    multi-group study's ``groups_<data>.csv`` (and ``_spillover.csv``) and the label-audit
    study's ``audits.duckdb`` are read when present.
    """

    path = Path(db)
    results, units = read_results(path)
    if toy is None:
        toy = _read_csv(path.with_name("toy.csv"))
    if claims is not None:
        claims_source = "decided by this reproduction"
    elif (found := _read_csv(path.with_name("claims.csv"))) is not None:
        claims, claims_source = found, f"read from {path.with_name('claims.csv').name} next to the database"
    else:
        rows = results if toy is None else pd.concat([results, toy], ignore_index=True)
        claims, claims_source = all_claims(rows), "computed from the database's rows"
    studies = {}
    for found in sorted(path.parent.glob("groups_*.csv")):
        if found.stem.endswith("_spillover"):
            continue
        spill = _read_csv(found.with_name(f"{found.stem}_spillover.csv"))
        studies[found.stem.removeprefix("groups_")] = (_read_csv(found), spill)
    audits = results
    side = path.with_name("audits.duckdb")
    if side.is_file() and side.resolve() != path.resolve():
        audits, _ = read_results(side)
    return ReportInputs(source=path, results=results, units=units, claims=claims,
                        claims_source=claims_source, efficiency=efficiency_table(results),
                        toy=toy, group_studies=studies, audits=audits,
                        advice=_advice(path, results))


def _advice(path: Path, results: pd.DataFrame) -> pd.DataFrame:
    """``advice.csv`` next to the database, else the table computed from the advisor's
    columns (``advised_eqod``, ...) when the sweep recorded them."""
    found = _read_csv(path.with_name("advice.csv"))
    if found is not None:
        return found
    if "advised_eqod" not in results or results["advised_eqod"].isna().all():
        return pd.DataFrame()

    return advice_table(results)
