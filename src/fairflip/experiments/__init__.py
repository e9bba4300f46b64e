"""Experiment sweeps: configs, the grid, unit families, the runner and the DuckDB results store.

Layer: above ``analysis`` and ``simulation`` (and so both sides), below ``plotting``,
``report`` and ``reproduce``. Readers above it use :class:`ResultStore` (``frame``) and the
public names here only.
"""

from ._cells import RESULT_COLUMNS, budget_counts, carve_validation, fit_budgets, problem_for, run_job
from ._config import DatasetSpec, SweepConfig, config_from_dict, load_config
from ._grid import Job, Unit, expand_jobs, expected_cells
from ._runner import BACKENDS, run_sweep
from ._store import SCHEMA_VERSION, ResultStore
from ._versions import FAMILY_VERSIONS, algorithm_tag

__all__ = [
    "carve_validation",
    "FAMILY_VERSIONS",
    "algorithm_tag",
    "SCHEMA_VERSION",
    "fit_budgets",
    "problem_for",
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
    "expected_cells",
    "load_config",
    "run_job",
    "run_sweep",
]
