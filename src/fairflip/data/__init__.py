"""Data sources and problem definitions.

Every source (bundled Adult, COMPAS and German credit; folktables' ACS-Income; a user's
CSV or Parquet table; the synthetic causal model, its 2-D toy and the paper's Figure-1 toy)
produces a :class:`Problem`; :func:`split_problem` turns it into the encoded :class:`Split`
the firm trains on.
"""

from ._acs import load_acs_income
from ._classic import load_adult, load_compas, load_german
from ._encode import TabularEncoder
from ._figure1 import FIGURE1_PARAMS, make_figure1_toy
from ._problem import Counterfactual, Problem, Split
from ._registry import DATASETS, dataset_summary, load_dataset, summarize_problem
from ._split import split_problem, split_validation
from ._synthetic import make_synthetic, make_toy2d
from ._table import _read as read_table
from ._table import load_table

__all__ = [
    "DATASETS",
    "FIGURE1_PARAMS",
    "Counterfactual",
    "Problem",
    "Split",
    "TabularEncoder",
    "dataset_summary",
    "load_acs_income",
    "load_adult",
    "load_compas",
    "load_dataset",
    "load_german",
    "load_table",
    "make_figure1_toy",
    "make_synthetic",
    "make_toy2d",
    "read_table",
    "split_problem",
    "split_validation",
    "summarize_problem",
]
