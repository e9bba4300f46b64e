"""The results store: one DuckDB file, table ``results``, written one unit per transaction.

A unit's rows and its entry in ``units`` are committed together, so a sweep killed at any
moment (even ``kill -9``) leaves whole units or nothing; re-running skips stored units.

Schema versions and migrations
------------------------------
The file carries a ``meta`` table (``key``, ``value``) with ``schema_version`` and the
``fairflip_version`` that created or last migrated it. Schema 1 is fairflip 0.1.0's layout
(no ``meta`` table). Opening an older file migrates it in place, in one transaction: every
column a later schema added is created (``ALTER TABLE results ADD COLUMN``, NULL in the old
rows; the rows are kept). A file with a newer schema than this fairflip knows is refused
with a one-line :class:`~fairflip.exceptions.ConfigError` naming both versions.

**To rename a result column**: bump :data:`SCHEMA_VERSION` and append
``(new_version, "old_name", "new_name")`` to :data:`RENAMED_COLUMNS`; the migration runs
``ALTER TABLE results RENAME COLUMN`` and :data:`RESULT_COLUMNS` uses the new name.

Schema 4 renamed ``val_error``/``val_eqod``/``val_sp`` to ``firm_val_*`` (the rows held out
from the *firm's* test split, which no collective has) and added the ``infeasible`` table.

**To add a result column** (the only way to change the layout):

1. bump :data:`SCHEMA_VERSION` by one;
2. append ``(new_version, "column_name", "SQL TYPE")`` to :data:`ADDED_COLUMNS`;
3. fill the column in ``_cells.run_job`` (a row that lacks it stores NULL);
4. test that a file of the previous version migrates (see ``tests/unit/experiments/
   test_store_schema.py``, which builds a 0.1.0 file by hand).

:data:`RESULT_COLUMNS` is derived from these lists, so nothing else needs editing.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .._version import __version__
from ..exceptions import ConfigError
from ..metrics import METRIC_COLUMNS

__all__ = ["ADDED_COLUMNS", "RENAMED_COLUMNS", "RESULT_COLUMNS", "SCHEMA_VERSION", "ResultStore"]

#: The layout this fairflip writes. Bump it together with :data:`ADDED_COLUMNS`.
SCHEMA_VERSION = 8

# Schema 1 (fairflip 0.1.0): the columns and their SQL types.
_V1_KEYS = ("cell_id", "unit_id", "config_hash", "version", "dataset", "sensitive", "model",
            "family", "method", "alpha", "knowledge", "k", "budget", "knob", "seed",
            "n_flips", "n_candidates", "collective_size")
_V1_EXTRA = ("val_error", "val_eqod", "val_sp", "success", "flip_precision",
             "base_error", "base_eqod", "base_sp")
_V1_TEXT = {"cell_id", "unit_id", "config_hash", "version", "dataset", "sensitive", "model",
            "family", "method", "knowledge"}
_V1_INT = {"k", "budget", "seed", "n_flips", "n_candidates", "collective_size"}
_V1_COLUMNS = tuple((name, "TEXT" if name in _V1_TEXT else "BIGINT" if name in _V1_INT
                     else "DOUBLE") for name in (*_V1_KEYS, *METRIC_COLUMNS, *_V1_EXTRA))

#: Columns added after schema 1, in order: (schema version that added it, name, SQL type).
ADDED_COLUMNS: tuple[tuple[int, str, str], ...] = (
    # Whether the firm's model reached its solver's tolerance (NULL: not recorded, 0.1.0).
    (2, "converged", "BOOLEAN"),
    # Family "audited": the firm's label audit, its response and the collective's stealth plan;
    # the detection measures (metrics columns then hold the firm after its response).
    (3, "audit", "TEXT"),
    (3, "audit_action", "TEXT"),
    (3, "audit_q", "DOUBLE"),
    (3, "avoid_audit", "BOOLEAN"),
    (3, "n_flagged", "BIGINT"),
    (3, "flagged_flips", "BIGINT"),
    (3, "flag_recall", "DOUBLE"),
    (3, "flag_precision", "DOUBLE"),
    (3, "flag_rate_acting", "DOUBLE"),
    (3, "flag_rate_other", "DOUBLE"),
    # The advisor's budget (fairflip.advise on the collective's view) and the test metrics
    # there, on every row of a collective unit (NULL where the view could not be advised).
    (5, "advised_flips", "BIGINT"),
    (5, "advised_error", "DOUBLE"),
    (5, "advised_eqod", "DOUBLE"),
    (5, "advised_sp", "DOUBLE"),
    # Multi-group problems (e.g. adult by race, Black acting): the gaps over all groups of
    # fairflip.metrics.multigroup_report; NULL for binary problems.
    (6, "eqod_multi", "DOUBLE"),
    (6, "eqod_multi_large", "DOUBLE"),
    (6, "worst_gap", "DOUBLE"),
    (6, "min_group_size", "DOUBLE"),
    # Firm-side methods with two knobs (FARE: knob = fairness weight, knob2 = k) and FARE's
    # certified bound on the EqOd of any classifier of its representation; NULL otherwise.
    (7, "knob2", "DOUBLE"),
    (7, "certificate", "DOUBLE"),
    # The unit's algorithm tag (fairflip.experiments.algorithm_tag: "" when every version is
    # 1; NULL in older files, which means the same).
    (8, "algorithm", "TEXT"),
)

#: Columns renamed after schema 1, in order: (schema version that renamed it, old, new).
RENAMED_COLUMNS: tuple[tuple[int, str, str], ...] = (
    # Scored on rows held out from the firm's test split: "firm-validation", not the
    # collective's (see docs/architecture.md, Names).
    (4, "val_error", "firm_val_error"),
    (4, "val_eqod", "firm_val_eqod"),
    (4, "val_sp", "firm_val_sp"),
)


def _current_name(name: str) -> str:
    for _, old, new in RENAMED_COLUMNS:
        if name == old:
            name = new
    return name


def _column_defs() -> list[tuple[str, str]]:
    return [*((_current_name(name), kind) for name, kind in _V1_COLUMNS),
            *((name, kind) for _, name, kind in ADDED_COLUMNS)]


#: Every column of ``results``, in table order.
RESULT_COLUMNS = tuple(name for name, _ in _column_defs())

# A check at import: a step numbered past SCHEMA_VERSION would never run.
assert all(1 < v <= SCHEMA_VERSION for v, *_ in (*ADDED_COLUMNS, *RENAMED_COLUMNS)), \
    "bump SCHEMA_VERSION"


class ResultStore:
    """A DuckDB results file (created on first use, migrated when older).

    Parameters
    ----------
    path : str or Path
        The DuckDB file.
    """

    def __init__(self, path):
        import duckdb

        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(self.path))
        except duckdb.Error as exc:
            raise ConfigError(f"The results database {str(self.path)!r} cannot be opened: "
                              f"{str(exc).splitlines()[0]}") from None
        try:
            self._open_schema()
        except Exception:
            self.con.close()
            raise

    # -- schema ---------------------------------------------------------------------------
    def _tables(self) -> set[str]:
        rows = self.con.execute("SELECT table_name FROM information_schema.tables "
                                "WHERE table_schema = current_schema()").fetchall()
        return {r[0] for r in rows}

    def _meta(self) -> dict[str, str]:
        return dict(self.con.execute("SELECT key, value FROM meta").fetchall())

    def _set_meta(self, schema_version: int) -> None:
        self.con.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        for key, value in (("schema_version", str(schema_version)),
                           ("fairflip_version", __version__)):
            self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    def _open_schema(self) -> None:
        tables = self._tables()
        if "results" not in tables:
            self.con.execute("BEGIN TRANSACTION")
            cols = ", ".join(f'"{name}" {kind}' + (" PRIMARY KEY" if name == "cell_id" else "")
                             for name, kind in _column_defs())
            self.con.execute(f"CREATE TABLE results ({cols})")
            self._create_units()
            self._set_meta(SCHEMA_VERSION)
            self.con.execute("COMMIT")
            return
        found, written_by = 1, "0.1.0"
        if "meta" in tables:
            meta = self._meta()
            written_by = meta.get("fairflip_version", "unknown")
            try:
                found = int(meta["schema_version"])
            except (KeyError, ValueError):
                raise ConfigError(f"The results database {str(self.path)!r} has a malformed "
                                  "'meta' table (no integer schema_version).") from None
        if found > SCHEMA_VERSION:
            raise ConfigError(
                f"The results database {str(self.path)!r} has schema version {found} (written "
                f"by fairflip {written_by}); fairflip {__version__} reads schema versions up to "
                f"{SCHEMA_VERSION}. Upgrade fairflip or use another --db.")
        if found < SCHEMA_VERSION:
            self._migrate(found)

    def _create_units(self) -> None:
        self.con.execute("CREATE TABLE IF NOT EXISTS units (unit_id TEXT PRIMARY KEY, "
                         "n_rows BIGINT, config_hash TEXT, finished_at TIMESTAMP)")
        # Units the collective cannot act in, with the reason; they count as done.
        self.con.execute("CREATE TABLE IF NOT EXISTS infeasible (unit_id TEXT PRIMARY KEY, "
                         "dataset TEXT, seed BIGINT, method TEXT, alpha DOUBLE, "
                         "knowledge TEXT, k BIGINT, reason TEXT, algorithm TEXT)")

    def _migrate(self, found: int) -> None:
        """Bring a schema-``found`` file up to :data:`SCHEMA_VERSION` (one transaction)."""
        have = {r[0] for r in self.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'results' "
            "AND table_schema = current_schema()").fetchall()}
        self.con.execute("BEGIN TRANSACTION")
        try:
            self._create_units()
            for version, old, new in RENAMED_COLUMNS:
                if version > found and old in have and new not in have:
                    self.con.execute(f'ALTER TABLE results RENAME COLUMN "{old}" TO "{new}"')
            for version, name, kind in ADDED_COLUMNS:
                if version > found and name not in have:
                    self.con.execute(f'ALTER TABLE results ADD COLUMN "{name}" {kind}')
            if found < 8:
                self.con.execute("ALTER TABLE infeasible ADD COLUMN IF NOT EXISTS algorithm TEXT")
            self._set_meta(SCHEMA_VERSION)
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    @property
    def schema_version(self) -> int:
        return int(self._meta()["schema_version"])

    def stored_versions(self) -> set[str]:
        """The fairflip versions that wrote the stored rows."""
        rows = self.con.execute("SELECT DISTINCT version FROM results").fetchall()
        return {str(r[0]) for r in rows}

    def check_version(self, *, allow_mixed: bool = False) -> None:
        """Refuse to add rows of this fairflip to a file holding another version's rows."""
        other = sorted(self.stored_versions() - {__version__})
        if other and not allow_mixed:
            raise ConfigError(
                f"The results database {str(self.path)!r} holds results of fairflip "
                f"{', '.join(other)}; this is fairflip {__version__}. Use a new --db, or pass "
                "--allow-mixed-versions to resume into it anyway.")

    # -- rows -----------------------------------------------------------------------------
    def done_units(self) -> frozenset:
        return frozenset(r[0] for r in self.con.execute("SELECT unit_id FROM units").fetchall())

    def write_unit(self, unit_id: str, rows: pd.DataFrame, config_hash: str,
                   infeasible: dict | None = None) -> None:
        """Insert a unit's rows and mark it done, atomically; a stored unit is left alone.

        ``infeasible`` (dataset, seed, method, alpha, knowledge, k, reason) records a unit
        that has no rows because the collective cannot act there.
        """
        con = self.con
        rows = rows.reindex(columns=list(RESULT_COLUMNS))
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
                con.execute("INSERT INTO infeasible VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [unit_id, *(infeasible[key] for key in keys),
                             infeasible.get("algorithm", "")])
            con.execute("INSERT INTO units VALUES (?, ?, ?, now())",
                        [unit_id, len(rows), config_hash])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise

    def drop_stale_units(self, current_tag) -> dict[str, int]:
        """Remove the units whose stored algorithm tag is not ``current_tag(family, method)``.

        Their ids are no longer in any grid (the tag is part of the id), so a resumed sweep
        recomputes them; their old rows go first, in one transaction, so a file never holds two
        versions of one method's numbers. Returns ``{"family/method": units removed}``.
        """
        con = self.con
        stored = con.execute(
            "SELECT DISTINCT unit_id, family, method, coalesce(algorithm, '') FROM results "
            "UNION SELECT DISTINCT unit_id, 'collective', method, coalesce(algorithm, '') "
            "FROM infeasible").fetchall()
        # Rows that do not name their family and method (hand-made files) are never stale; a
        # None tag: the method is unknown here (a user's scorer not registered): kept too.
        stale = [(uid, f"{fam}/{meth}") for uid, fam, meth, tag in stored
                 if fam is not None and meth is not None
                 and (now := current_tag(fam, meth)) is not None and tag != now]
        if not stale:
            return {}
        ids = pd.DataFrame({"unit_id": sorted({uid for uid, _ in stale})})
        con.execute("BEGIN TRANSACTION")
        try:
            con.register("_stale", ids)
            for table in ("results", "infeasible", "units"):
                con.execute(f"DELETE FROM {table} WHERE unit_id IN (SELECT unit_id FROM _stale)")
            con.unregister("_stale")
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        counts: dict[str, int] = {}
        for _, what in dict(stale).items():
            counts[what] = counts.get(what, 0) + 1
        return counts

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
