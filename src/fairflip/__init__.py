"""fairflip: minority collective action for fairness.

The names a user reaches for are here; each is imported on first use, so ``import fairflip``
stays light (no scikit-learn, pandas or matplotlib until something needs them).

Examples
--------
>>> import fairflip
>>> fairflip.CollectiveRelabeler(method="rb-label", budget=5)
CollectiveRelabeler(budget=5, method='rb-label')
"""

from __future__ import annotations

import importlib

from ._version import __version__
from .exceptions import ConfigError, DataError, DownloadRequiredError, FairflipError

# public name -> module that defines it (imported lazily by __getattr__)
_LAZY = {
    "CollectiveRelabeler": "organiser",
    "CollectiveRanking": "collective",
    "rank_collective": "collective",
    "evaluate": "simulation",
    "Evaluation": "simulation",
    "train_firm": "firm",
    "load_dataset": "data",
    "load_table": "data",
    "read_table": "data",
    "split_problem": "data",
    "DATASETS": "data",
    "Problem": "data",
    "Split": "data",
    "plan_from_tables": "organiser",
    "make_plan": "collective",
    "flip_labels": "learning",
    "resolve_budget": "collective",
    "make_scorer": "scorers",
    "register_scorer": "scorers",
    "check_scorer": "scorers",
    "fairness_report": "metrics",
    "equalized_odds_gap": "metrics",
    "statistical_parity_gap": "metrics",
    "make_model": "learning",
    "trace_method": "baselines",
    "load_config": "experiments",
    "run_sweep": "experiments",
    "ResultStore": "experiments",
    "SCORER_NAMES": "_names",
    "FIRM_METHODS": "_names",
    "DEFAULT_K": "_names",
    "advise": "advisor",
    "Advice": "advisor",
    "CollectiveView": "collective",
    "view_from_split": "collective",
    "view_from_tables": "collective",
}

__all__ = [
    "Advice",
    "CollectiveRanking",
    "CollectiveRelabeler",
    "CollectiveView",
    "ConfigError",
    "DATASETS",
    "DEFAULT_K",
    "DataError",
    "DownloadRequiredError",
    "Evaluation",
    "FIRM_METHODS",
    "FairflipError",
    "Problem",
    "ResultStore",
    "SCORER_NAMES",
    "Split",
    "__version__",
    "advise",
    "equalized_odds_gap",
    "evaluate",
    "fairness_report",
    "flip_labels",
    "load_config",
    "load_dataset",
    "load_table",
    "make_model",
    "make_plan",
    "make_scorer",
    "check_scorer",
    "register_scorer",
    "plan_from_tables",
    "rank_collective",
    "read_table",
    "resolve_budget",
    "run_sweep",
    "split_problem",
    "statistical_parity_gap",
    "trace_method",
    "train_firm",
    "view_from_split",
    "view_from_tables",
]


assert set(__all__) == {*_LAZY, "__version__", "FairflipError", "DataError",
                       "ConfigError", "DownloadRequiredError"}


# Deprecated names still reachable here until 0.3 (they warn when called).
_DEPRECATED = {"make_split": "simulation"}


def __getattr__(name: str):
    if name in _DEPRECATED:
        return getattr(importlib.import_module(f".{_DEPRECATED[name]}", __name__), name)
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'fairflip' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
