"""Experiment sweeps: configs, the grid, the runner and the DuckDB results store."""

from ._cells import RESULT_COLUMNS, budget_counts, run_job
from ._config import DatasetSpec, SweepConfig, config_from_dict, load_config
from ._grid import Job, Unit, expand_jobs
from ._runner import BACKENDS, run_sweep
from ._store import ResultStore

__all__ = [
    "BACKENDS",
    "RESULT_COLUMNS",
    "DatasetSpec",
    "Job",
    "ResultStore",
    "SweepConfig",
    "Unit",
    "budget_counts",
    "config_from_dict",
    "expand_jobs",
    "load_config",
    "run_job",
    "run_sweep",
]
