"""The results store: one DuckDB file, table ``results``, written one unit per transaction.

A unit's rows and its entry in ``units`` are committed together, so a sweep killed at any
moment (even ``kill -9``) leaves whole units or nothing; re-running skips stored units.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..exceptions import ConfigError
from ._cells import RESULT_COLUMNS

__all__ = ["ResultStore"]

_TEXT = {"cell_id", "unit_id", "config_hash", "version", "dataset", "sensitive", "model",
         "family", "method", "knowledge"}
_INT = {"k", "budget", "seed", "n_flips", "n_candidates", "collective_size"}


def _column_sql(name: str) -> str:
    kind = "TEXT" if name in _TEXT else "BIGINT" if name in _INT else "DOUBLE"
    return f'"{name}" {kind}' + (" PRIMARY KEY" if name == "cell_id" else "")


class ResultStore:
    """A DuckDB results file (created on first use)."""

    def __init__(self, path):
        import duckdb

        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(self.path))
        except duckdb.Error as exc:
            raise ConfigError(f"The results database {str(self.path)!r} cannot be opened: "
                              f"{str(exc).splitlines()[0]}") from None
        cols = ", ".join(_column_sql(c) for c in RESULT_COLUMNS)
        self.con.execute(f"CREATE TABLE IF NOT EXISTS results ({cols})")
        self.con.execute("CREATE TABLE IF NOT EXISTS units (unit_id TEXT PRIMARY KEY, "
                         "n_rows BIGINT, config_hash TEXT, finished_at TIMESTAMP)")
        # Units the collective cannot act in, with the reason; they count as done.
        self.con.execute("CREATE TABLE IF NOT EXISTS infeasible (unit_id TEXT PRIMARY KEY, "
                         "dataset TEXT, seed BIGINT, method TEXT, alpha DOUBLE, "
                         "knowledge TEXT, k BIGINT, reason TEXT)")

    def done_units(self) -> frozenset:
        return frozenset(r[0] for r in self.con.execute("SELECT unit_id FROM units").fetchall())

    def write_unit(self, unit_id: str, rows: pd.DataFrame, config_hash: str,
                   infeasible: dict | None = None) -> None:
        """Insert a unit's rows and mark it done, atomically; a stored unit is left alone.

        ``infeasible`` (dataset, seed, method, alpha, knowledge, k, reason) records a unit
        that has no rows because the collective cannot act there.
        """
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            if con.execute("SELECT 1 FROM units WHERE unit_id = ?", [unit_id]).fetchone():
                con.execute("ROLLBACK")
                return
            if len(rows):
                con.register("_incoming", rows)
                cols = ", ".join(f'"{c}"' for c in RESULT_COLUMNS)
                con.execute(f"INSERT INTO results ({cols}) SELECT {cols} FROM _incoming")
                con.unregister("_incoming")
            if infeasible is not None:
                keys = ("dataset", "seed", "method", "alpha", "knowledge", "k", "reason")
                con.execute("INSERT INTO infeasible VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            [unit_id, *(infeasible[key] for key in keys)])
            con.execute("INSERT INTO units VALUES (?, ?, ?, now())",
                        [unit_id, len(rows), config_hash])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise

    def frame(self, where: str = "") -> pd.DataFrame:
        query = "SELECT * FROM results" + (f" WHERE {where}" if where else "")
        return self.con.execute(query + " ORDER BY cell_id").df()

    def infeasible(self) -> pd.DataFrame:
        """The recorded infeasible units (no rows; skipped by the claims)."""
        return self.con.execute("SELECT * FROM infeasible ORDER BY unit_id").df()

    def close(self) -> None:
        self.con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
