"""Running a sweep: jobs in parallel (joblib: local processes or Dask), rows stored as they
arrive, stored units skipped, progress shown."""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

from ..exceptions import ConfigError
from ..scorers import check_parallel, restore_registrations, session_registrations
from ._cells import problem_for, run_job
from ._config import SweepConfig
from ._grid import expand_jobs, expected_cells, refinement_jobs
from ._store import ResultStore
from ._versions import algorithm_tag, known_algorithm_tag

__all__ = ["BACKENDS", "run_sweep"]

# Ray was written but never run in CI (a local Ray cluster takes longer to start than the
# test budget allows on 2 cores); it was removed rather than shipped untested.
BACKENDS = ("loky", "dask", "sequential")
_SYNTHETIC = ("synthetic", "toy2d")


@contextlib.contextmanager
def _backend(name: str, scheduler: str | None, n_jobs: int):
    import joblib

    if name in ("loky", "sequential"):
        single = name == "sequential" or n_jobs == 1
        with joblib.parallel_config(backend="sequential" if single else "loky", n_jobs=n_jobs):
            yield
        return
    if name == "dask":
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise ConfigError("The dask backend needs 'pip install fairflip[dask]'.") from None
        if scheduler:
            client = Client(scheduler, timeout="20s")
            cluster = None
        else:
            cluster = LocalCluster(n_workers=max(1, n_jobs), threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
        try:
            with joblib.parallel_config(backend="dask"):
                yield
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
        return
    raise ConfigError(f"The 'backend' parameter must be one of {', '.join(BACKENDS)}. Got {name!r} instead.")


class _Progress:
    """Cells done / expected with an ETA: a rich bar on a terminal (stderr), plain lines every
    ~10 % elsewhere (CI logs). The expected count is exact except where a small pool makes
    budget counts coincide."""

    def __init__(self, total_cells: int, total_units: int, enabled: bool):
        self.total, self.units_total = total_cells, total_units
        self.done = self.units = 0
        self.enabled = enabled
        self.start = time.monotonic()
        self.last_pct = -10
        self.bar = None
        if enabled and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(TextColumn("sweep"), BarColumn(), MofNCompleteColumn(),
                                TextColumn("cells · {task.fields[units]} units"),
                                TimeRemainingColumn(), console=Console(stderr=True))
            self.bar.start()
            self.task = self.bar.add_task("sweep", total=total_cells,
                                          units=f"0/{total_units}")

    def advance(self, units: int, cells: int):
        self.done += cells
        self.units += units
        if self.bar is not None:
            self.bar.update(self.task, completed=min(self.done, self.total),
                            units=f"{self.units}/{self.units_total}")
        elif self.enabled and self.total:
            pct = min(100, 100 * self.done // self.total)
            if pct >= self.last_pct + 10 or self.units == self.units_total:
                self.last_pct = pct
                elapsed = time.monotonic() - self.start
                left = max(self.total - self.done, 0)
                eta = elapsed / self.done * left if self.done else float("nan")
                print(f"sweep: {self.done}/{self.total} cells ({pct}%), {self.units}/"
                      f"{self.units_total} units, {elapsed:.0f}s elapsed, ETA {eta:.0f}s",
                      file=sys.stderr, flush=True)

    def close(self):
        if self.bar is not None:
            self.bar.stop()


def run_sweep(config: SweepConfig, db, *, n_jobs: int = 1, backend: str = "loky",
              scheduler: str | None = None, progress=True,
              allow_mixed_versions: bool = False) -> dict:
    """Run every unit of ``config`` not yet in ``db``; return counts and wall time.

    ``progress``: True shows the sweep's own progress on stderr, False nothing; an object
    with methods ``start(todo, refining)`` (``todo``: the pass's (Job, Unit) pairs) and
    ``advance(units)`` (the units just stored) is told instead, e.g. a caller's overall line.

    A ``db`` holding rows of another fairflip version is refused (ConfigError) unless
    ``allow_mixed_versions``; then its stored units are kept and skipped, and each row's
    ``version`` column says which fairflip wrote it. With ``refine_points``, a second pass
    adds budgets around each seed-mean curve's minimum.
    """
    if backend not in BACKENDS:
        raise ConfigError(f"The 'backend' parameter must be one of {', '.join(BACKENDS)}. "
                          f"Got {backend!r} instead.")
    if "oracle" in config.methods:
        real = [d.name for d in config.datasets if d.name not in _SYNTHETIC]
        if real:
            raise ConfigError(f"The oracle needs a known causal model; {real[0]!r} has none.")

    # A session's scorer class must be importable by the workers (not defined in __main__).
    check_parallel(config.methods, parallel=backend == "dask" or (
        backend == "loky" and n_jobs != 1))

    for spec in config.datasets:
        problem_for(spec)  # a bad table fails here, before any output file is written
    start = time.monotonic()
    created = not Path(db).exists()
    try:
        return _run(config, db, n_jobs, backend, scheduler, progress, allow_mixed_versions, start)
    except BaseException:
        # A sweep that failed before storing anything leaves no new file behind.
        if created:
            _remove_if_empty(Path(db))
        raise


def _remove_if_empty(db: Path) -> None:
    if not db.exists():
        return
    with ResultStore(db) as store:
        empty = not store.done_units()
    if empty:
        for path in (db, db.with_name(db.name + ".wal")):
            path.unlink(missing_ok=True)


def _run(config, db, n_jobs, backend, scheduler, progress, allow_mixed_versions, start):
    with ResultStore(db) as store:
        store.check_version(allow_mixed=allow_mixed_versions)
        stale = store.drop_stale_units(known_algorithm_tag)
        if stale and progress:
            print("sweep: recomputing units of a changed algorithm: " + ", ".join(
                f"{what} ({n})" for what, n in sorted(stale.items())), file=sys.stderr, flush=True)
        done = store.done_units()
        jobs = expand_jobs(config)
        n_units = sum(len(j.units) for j in jobs)
        pending, written = _run_jobs(jobs, done, store, config, n_jobs=n_jobs, backend=backend,
                                     scheduler=scheduler, progress=progress, refining=False)
        refine = refinement_jobs(config, store.frame("family = 'collective'"))
        n_units += sum(len(j.units) for j in refine)
        if any(u.unit_id not in store.done_units() for job in refine for u in job.units):
            if progress and _observer(progress) is None:
                print("sweep: refining budgets around each curve's minimum", file=sys.stderr,
                      flush=True)
            more, more_rows = _run_jobs(refine, store.done_units(), store, config, n_jobs=n_jobs,
                                        backend=backend, scheduler=scheduler, progress=progress,
                                        refining=True)
            pending, written = pending + more, written + more_rows
        total_rows = store.con.execute("SELECT count(*) FROM results").fetchone()[0]
    return {"units_run": pending, "units_skipped": n_units - pending,
            "rows_written": written, "rows_in_db": int(total_rows),
            "seconds": round(time.monotonic() - start, 2)}


def _observer(progress):
    """The caller's progress observer, or None when ``progress`` is a plain switch."""
    return progress if hasattr(progress, "advance") else None


def _run_keyed(job, done, registrations=()):
    if registrations:  # a worker process: the session's scorers, imported by their paths

        restore_registrations(registrations)
    return (job.dataset, job.seed), run_job(job, done)


def _run_jobs(jobs, done, store, config, *, n_jobs, backend, scheduler, progress, refining):
    """Run the units of ``jobs`` not in ``done``; store each as it arrives. (units, rows)."""
    import joblib


    registrations = tuple(r for r in session_registrations() if r[0] in config.methods)
    jobs = [job for job in jobs if any(u.unit_id not in done for u in job.units)]
    todo = [(job, u) for job in jobs for u in job.units if u.unit_id not in done]
    observer = _observer(progress)
    if observer is not None:
        observer.start(todo, refining)
    bar = _Progress(sum(expected_cells(u, config) for _, u in todo), len(todo),
                    bool(progress) and observer is None)
    written = 0
    try:
        with _backend(backend, scheduler, n_jobs):
            results = joblib.Parallel(return_as="generator_unordered")(
                joblib.delayed(_run_keyed)(job, done, registrations) for job in jobs)
            for (spec, seed), unit_rows in results:
                for unit, rows, reason in unit_rows:
                    why = None if reason is None else {
                        "dataset": spec.name, "seed": seed, "method": unit.method,
                        "alpha": unit.alpha, "knowledge": unit.knowledge, "k": unit.k,
                        "reason": reason, "algorithm": algorithm_tag(unit.family, unit.method)}
                    store.write_unit(unit.unit_id, rows, config.config_hash, infeasible=why)
                    written += len(rows)
                bar.advance(len(unit_rows), sum(len(r) for _, r, _ in unit_rows))
                if observer is not None:
                    observer.advance([unit for unit, _, _ in unit_rows])
    finally:
        bar.close()
    return len(todo), written
