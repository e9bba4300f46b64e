"""Data sources and problem definitions.

Every source (bundled Adult, COMPAS and German credit; folktables' ACS-Income and the
HSLS:09 extract, both downloaded; a user's CSV, Parquet or .npz table; the synthetic causal
model, its 2-D toy, the paper's Figure-1 toy and a synthetic 512-d embedding stand-in)
produces a :class:`Problem`; :func:`split_problem`
turns it into the encoded :class:`Split` the firm trains on.

Layer: the bottom, beside ``metrics``; it imports only private leaves (``exceptions``,
``_io``, ``_seeding``, ``_deprecate``).
"""

from ._acs import load_acs_income
from ._bundled import bundled_checksums
from ._classic import load_adult, load_compas, load_german
from ._common import listing
from ._download import data_root
from ._embedding import make_embedding_toy
from ._encode import TabularEncoder
from ._figure1 import FIGURE1_PARAMS, make_figure1_toy
from ._hsls import load_hsls
from ._problem import Counterfactual, Problem, Split
from ._registry import (
    DATASETS,
    DOWNLOADABLE,
    dataset_summary,
    download_dataset,
    load_dataset,
    summarize_problem,
)
from ._split import split_problem, split_validation
from ._synthetic import make_synthetic, make_toy2d
from ._table import MSG_FAVOURABLE_ABSENT, load_table
from ._table import _binary_label as binary_label
from ._table import _read as read_table

__all__ = [
    "MSG_FAVOURABLE_ABSENT",
    "binary_label",
    "bundled_checksums",
    "listing",
    "DATASETS",
    "DOWNLOADABLE",
    "FIGURE1_PARAMS",
    "Counterfactual",
    "Problem",
    "Split",
    "TabularEncoder",
    "data_root",
    "dataset_summary",
    "download_dataset",
    "load_acs_income",
    "load_adult",
    "load_compas",
    "load_dataset",
    "load_german",
    "load_hsls",
    "load_table",
    "make_embedding_toy",
    "make_figure1_toy",
    "make_synthetic",
    "make_toy2d",
    "read_table",
    "split_problem",
    "split_validation",
    "summarize_problem",
]
