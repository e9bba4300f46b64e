"""Data sets by name: what ``fairflip datasets`` lists and what experiment configs refer to."""

from __future__ import annotations

import dataclasses
import inspect
from typing import NamedTuple

from ..exceptions import ConfigError
from ._acs import ACS_SENSITIVE, _folktables, acs_file_path, download_acs_income, load_acs_income
from ._classic import SENSITIVE_CHOICES, load_adult, load_compas, load_german
from ._common import check_choice
from ._embedding import EMBEDDING_DESCRIPTION, make_embedding_toy
from ._figure1 import make_figure1_toy
from ._hsls import HSLS_SENSITIVE, download_hsls, hsls_feature_count, hsls_missing, load_hsls
from ._problem import Problem
from ._synthetic import make_synthetic, make_toy2d

__all__ = ["DATASETS", "DOWNLOADABLE", "download_dataset", "load_dataset", "dataset_summary",
           "summarize_problem"]


class _Entry(NamedTuple):
    loader: object
    sensitive: tuple[str, ...]  # the first is the default
    description: str


_ENTRIES = {
    "adult": _Entry(load_adult, SENSITIVE_CHOICES["adult"],
                    "UCI Adult census income (1994), income >50K; bundled"),
    "compas": _Entry(load_compas, SENSITIVE_CHOICES["compas"],
                     "ProPublica COMPAS, no recidivism within two years; bundled"),
    "german": _Entry(load_german, SENSITIVE_CHOICES["german"],
                     "UCI Statlog German credit, good credit; bundled"),
    "synthetic": _Entry(make_synthetic, ("group",),
                        "structural causal model with known counterfactuals; generated"),
    "toy2d": _Entry(make_toy2d, ("group",),
                    "small 2-D two-group Gaussian toy of our own (not the paper's); generated"),
    "figure1": _Entry(make_figure1_toy, ("group",),
                      "the paper's Figure-1 toy (geometry read off the figure); generated"),
    "embedding-synthetic": _Entry(make_embedding_toy, ("group",), EMBEDDING_DESCRIPTION
                                  + "; generated"),
    "acs-income": _Entry(load_acs_income, ACS_SENSITIVE,
                         "folktables ACS-Income (US census), income >50K; downloaded"),
    "hsls": _Entry(load_hsls, HSLS_SENSITIVE,
                   "HSLS:09 students (NCES), 9th-grade math score above the median; downloaded"),
}

DATASETS = tuple(_ENTRIES)

# The data sets that are fetched rather than bundled or generated, with their downloaders
# (each takes the loader's options that say where the files go).
_DOWNLOADERS = {"acs-income": download_acs_income, "hsls": download_hsls}
DOWNLOADABLE = tuple(sorted(_DOWNLOADERS))

SUMMARY_KEYS = (
    "name", "rows", "features", "sensitive", "groups", "acting_share", "acting_is_smaller",
    "favourable_rate_acting", "favourable_rate_other", "needs_download", "description",
)


def _entry(name: str) -> tuple[str, _Entry]:
    key = name.lower().replace("_", "-") if isinstance(name, str) else name
    check_choice(key, DATASETS, param="name", where="load_dataset")
    return key, _ENTRIES[key]


def _loader_kwargs(key: str, entry: _Entry, sensitive, options: dict) -> dict:
    sensitive = entry.sensitive[0] if sensitive is None else sensitive
    check_choice(sensitive, entry.sensitive, param="sensitive", where=f"the {key!r} data set")
    allowed = [p for p in inspect.signature(entry.loader).parameters if p != "sensitive"]
    for option in options:
        if option not in allowed:
            valid = ", ".join(repr(a) for a in allowed) or "none"
            raise ConfigError(
                f"The {key!r} data set takes the options {valid}. Got {option!r} instead."
            )
    kwargs = dict(options)
    if "sensitive" in inspect.signature(entry.loader).parameters:
        kwargs["sensitive"] = sensitive
    return kwargs


def load_dataset(name: str, *, sensitive: str | None = None, **options) -> Problem:
    """Load a data set by name.

    Parameters
    ----------
    name : str
        One of :data:`DATASETS`: ``"adult"``, ``"compas"``, ``"german"``, ``"synthetic"``,
        ``"toy2d"``, ``"figure1"``, ``"acs-income"``, ``"hsls"``.
    sensitive : str, optional
        The sensitive attribute; default the data set's first choice (sex for adult,
        compas and acs-income, age for german, group for the generated ones).
    **options
        Passed to the loader (``random_state`` for ``synthetic``, ``state``/``year``/``root``/
        ``download`` for ``acs-income``, ``root``/``download``/``acting_group`` for ``hsls``,
        ...); unknown options raise ConfigError. ``standardize`` (True or False) is taken by
        every data set: whether :func:`split_problem` scales numeric features (default True,
        except ``embedding-synthetic``, whose geometry is kept).

    Returns
    -------
    Problem
    """
    key, entry = _entry(name)
    standardize = _standardize_option(options)
    problem = entry.loader(**_loader_kwargs(key, entry, sensitive, options))
    if standardize is None or standardize == problem.standardize:
        return problem
    return dataclasses.replace(problem, standardize=standardize)


def _standardize_option(options: dict):
    """Pop the ``standardize`` option every data set takes (None when not given)."""
    value = options.pop("standardize", None)
    if value is not None and not isinstance(value, bool):
        raise ConfigError("The 'standardize' option must be true or false. "
                          f"Got {value!r} instead.")
    return value


def summarize_problem(problem: Problem) -> dict:
    """The summary row of :func:`dataset_summary` for any Problem (a user's table, say)."""
    return {
        "name": problem.name,
        "rows": problem.n_rows,
        "features": problem.features.shape[1],
        "sensitive": problem.sensitive,
        "groups": f"{problem.acting_label} vs {problem.other_label}",
        "acting_share": problem.acting_share,
        "acting_is_smaller": problem.acting_is_smaller,
        "favourable_rate_acting": problem.favourable_rate(True),
        "favourable_rate_other": problem.favourable_rate(False),
        "needs_download": False,
        "description": problem.info.get("description") or problem.info.get("source", ""),
    }


def dataset_summary(name: str, **options) -> dict:
    """Size, groups and favourable rates of a named data set, as one flat dict.

    Keys: name, rows, features (raw feature columns), sensitive, groups ("acting vs
    other"), acting_share, acting_is_smaller, favourable_rate_acting, favourable_rate_other,
    needs_download, description. For ``acs-income`` and ``hsls`` whose files are not on
    disk ``needs_download`` is True and the numbers that need the data are None.

    Parameters
    ----------
    name : str
    **options
        As for :func:`load_dataset` (``sensitive`` included).
    """
    key, entry = _entry(name)
    sensitive = options.pop("sensitive", None)
    _standardize_option(options)
    kwargs = _loader_kwargs(key, entry, sensitive, options)
    offline = _OFFLINE.get(key)
    if offline is not None and not kwargs.get("download", False):
        groups, n_features = offline(kwargs)
        if groups is not None:
            return {
                "name": key, "rows": None, "features": n_features,
                "sensitive": kwargs["sensitive"], "groups": groups, "acting_share": None,
                "acting_is_smaller": None, "favourable_rate_acting": None,
                "favourable_rate_other": None, "needs_download": True,
                "description": entry.description,
            }
    summary = summarize_problem(entry.loader(**kwargs))
    summary.update(name=key, description=entry.description)
    return summary


def _acs_offline(kwargs):
    """(groups, feature count) when the ACS file is missing, else (None, None)."""
    place = {k: kwargs[k] for k in ("state", "year", "root") if k in kwargs}
    if acs_file_path(**place).is_file():
        return None, None
    groups = {"race": "non-White vs White", "sex": "female vs male"}
    # ACSIncome's features less the sensitive one.
    return groups[kwargs["sensitive"]], len(_folktables().ACSIncome.features) - 1


def _hsls_offline(kwargs):
    """(groups, feature count) when an HSLS file is missing, else (None, None)."""
    if not hsls_missing(kwargs.get("root")):
        return None, None
    sensitive = kwargs["sensitive"]
    groups = {"race": "not White or Asian vs White or Asian", "sex": "female vs male",
              "race,sex": "one race,sex vs the rest"}
    return groups[sensitive], hsls_feature_count(sensitive)


_OFFLINE = {"acs-income": _acs_offline, "hsls": _hsls_offline}


def download_dataset(name: str, **options) -> list[tuple]:
    """Fetch a data set that is not bundled (``fairflip datasets --download NAME``).

    Parameters
    ----------
    name : {"acs-income", "hsls"}
    **options
        Where the files go: ``root`` for both, ``state`` and ``year`` for ``acs-income``
        (default folders ``$FAIRFLIP_DATA/<name>`` or ``~/.cache/fairflip/<name>``, with
        ``acs`` for ACS-Income).

    Returns
    -------
    list of (Path, str)
        Every file and ``"present"``, ``"downloaded"`` or ``"replaced"``.

    Raises
    ------
    DownloadRequiredError
        The source could not be reached.
    DataError
        The download is not the expected file (checksum or format); nothing is written.
    """
    key = name.lower().replace("_", "-") if isinstance(name, str) else name
    check_choice(key, DOWNLOADABLE, param="name", where="download_dataset")
    downloader = _DOWNLOADERS[key]
    allowed = [p for p in inspect.signature(downloader).parameters if p != "base_url"]
    for option in options:
        if option not in allowed:
            valid = ", ".join(repr(a) for a in allowed)
            raise ConfigError(
                f"Downloading {key!r} takes the options {valid}. Got {option!r} instead."
            )
    return downloader(**options)
