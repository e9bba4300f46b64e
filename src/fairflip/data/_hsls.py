"""HSLS:09 (High School Longitudinal Study of 2009): 9th-grade math score above the median.

The data are not bundled. The loader reads a processed public-use extract of the NCES
student file, published with Pan and Zhang (EDM 2024) in the GitHub repository
``cgpan/HSLSdropout`` (MIT licence), from :func:`hsls_root` (``$FAIRFLIP_DATA/hsls`` or
``~/.cache/fairflip/hsls``); :func:`download_hsls` (``fairflip datasets --download hsls``)
fetches the two files at a fixed commit and checks their SHA-256 before writing them.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from .._io import atomic_write_bytes
from ..exceptions import DataError, DownloadRequiredError
from ._common import build_problem, check_choice, lower_rate_value
from ._download import check_sha256, data_root, fetch_bytes, sha256_file
from ._groups import group_problem
from ._problem import Problem

__all__ = [
    "HSLS_COMMIT",
    "HSLS_FILES",
    "HSLS_SENSITIVE",
    "download_hsls",
    "hsls_feature_count",
    "hsls_missing",
    "hsls_root",
    "load_hsls",
]


class HslsFile(NamedTuple):
    """One file of the extract: local name, name in the source repository, SHA-256, rows."""

    name: str
    source: str
    sha256: str
    rows: int


HSLS_COMMIT = "296e3e1ccba109f7ea778d5f72d5ca8197a2e96b"
HSLS_URL = ("https://raw.githubusercontent.com/cgpan/HSLSdropout/{commit}/"
            "01_data/02_processed_data/{source}")
HSLS_FILES = (
    HslsFile("hsls09_train.csv", "25_train_0101_imputed_pmm_nr_dropped.csv",
             "6b06d710583d104a729fcaa0a78570f3cade2ad810faa21ea0e482c1b9b0e308", 13865),
    HslsFile("hsls09_test.csv", "25_test_0101_imputed_pmm_nr_dropped.csv",
             "968cb97077d3ca6f49ad7269d2d8870cc8c1f405f37200e46390e195b240e4b2", 3467),
)
HSLS_SENSITIVE = ("race", "sex", "race,sex")

_LABEL = "X1TXMTSCOR"  # the math T-score of the base-year assessment: the label's source
# Not a student's attribute: the id, the source's share of imputed cells, and the source
# study's own outcome (dropping out by the second follow-up, years after the math test).
_DROPPED = ("STU_ID", "na_prop", "X4EVERDROP")
_RACE, _SEX = "X1RACE", "X1SEX"
_FEATURES = (
    "X1STAGE", "X1CONTROL", "X1SES", "X1SES_U", "X1SCHOOLENG", "X1SCHOOLBEL", "X1SCHOOLCLI",
    "X1LOCALE", "X1REGION", "S1M8GRADE", "X1MTHID", "X1MTHUTI", "X1MTHEFF", "X1MTHINT",
    "X1SCIID", "X1SCIUTI", "X1SCIEFF", "X1SCIINT", "X2SCHOOLCLI", "X2PROBLEM",
    "X1PAREDEXPCT", "X1STUEDEXPCT", "X1PROBLEM", "S1MSCORE",
)
HSLS_COLUMNS = (*_DROPPED, _LABEL, _RACE, _SEX, *_FEATURES)
# The NCES labels carry commas, which would clash with the ',' of intersections
# ("Black,female"); the short names keep the meaning.
RACE_NAMES = {
    "White, non-Hispanic": "White",
    "Asian, non-Hispanic": "Asian",
    "Black/African-American, non-Hispanic": "Black",
    "Hispanic, race specified": "Hispanic (race specified)",
    "Hispanic, no race specified": "Hispanic (no race specified)",
    "More than one race, non-Hispanic": "More than one race",
    "Amer. Indian/Alaska Native, non-Hispanic": "American Indian/Alaska Native",
    "Native Hawaiian/Pacific Islander, non-Hispanic": "Native Hawaiian/Pacific Islander",
}
_ADVANTAGED = ("White", "Asian")
# The source codes X1SEX as 1 = male, 0 = female (its 01_Data_cleaning.R).
_SEX_NAMES = {1: "male", 0: "female"}


def hsls_root(root=None) -> Path:
    """``root``, or ``$FAIRFLIP_DATA/hsls``, or ``~/.cache/fairflip/hsls``."""
    return data_root("hsls") if root is None else Path(root)


def hsls_missing(root=None) -> list[Path]:
    """The files of the extract that are not in ``root`` (empty when it is complete)."""
    folder = hsls_root(root)
    return [folder / f.name for f in HSLS_FILES if not (folder / f.name).is_file()]


def hsls_feature_count(sensitive: str = "race") -> int:
    """Raw feature columns of :func:`load_hsls` for ``sensitive`` (without reading data)."""
    kept = {"race": (_SEX,), "sex": (_RACE,), "race,sex": ()}[sensitive]
    return len(_FEATURES) + len(kept)


def download_hsls(*, root=None, base_url: str | None = None) -> list[tuple[Path, str]]:
    """Fetch the two files of the extract into ``root`` and check their SHA-256.

    A file already there with the expected checksum is kept; every other file is downloaded
    (from ``cgpan/HSLSdropout`` at commit :data:`HSLS_COMMIT`), every download is checked,
    and only when all passed are they written (each through a temporary file and a rename).

    Parameters
    ----------
    root : str or Path, optional
        Target folder; default :func:`hsls_root`.
    base_url : str, optional
        A folder URL holding the files under their source names (a mirror, or ``file://``
        in tests); default the repository's raw-file URL at the fixed commit.

    Returns
    -------
    list of (Path, str)
        Each file and what happened: ``"present"``, ``"downloaded"`` or ``"replaced"`` (a
        file with another checksum was there).

    Raises
    ------
    DownloadRequiredError
        The source could not be reached.
    DataError
        A download's SHA-256 differs from the expected one (nothing is written).
    """
    folder = hsls_root(root)
    status, fetched = {}, {}
    for spec in HSLS_FILES:
        dest = folder / spec.name
        if dest.is_file() and sha256_file(dest) == spec.sha256:
            status[spec.name] = "present"
            continue
        status[spec.name] = "replaced" if dest.exists() else "downloaded"
        url = (HSLS_URL.format(commit=HSLS_COMMIT, source=spec.source) if base_url is None
               else f"{base_url.rstrip('/')}/{spec.source}")
        data = fetch_bytes(url, what=f"HSLS file {spec.source}", dest=dest)
        check_sha256(data, spec.sha256, name=spec.source, url=url)
        fetched[spec.name] = data
    for name, data in fetched.items():
        atomic_write_bytes(folder / name, data)
    return [(folder / spec.name, status[spec.name]) for spec in HSLS_FILES]


def _read(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataError(f"The HSLS file {str(path)!r} is unreadable ({type(exc).__name__}); "
                        "delete it and run fairflip datasets --download hsls.") from None
    missing = [c for c in HSLS_COLUMNS if c not in frame.columns]
    if missing:
        raise DataError(f"The HSLS file {str(path)!r} has no column {missing[0]!r}; it is not "
                        "the cgpan/HSLSdropout extract (see fairflip datasets --download hsls).")
    return frame[list(HSLS_COLUMNS)]


def _pooled(folder: Path) -> pd.DataFrame:
    frames = [_read(folder / spec.name) for spec in HSLS_FILES]
    df = pd.concat(frames, ignore_index=True)
    for column in (_LABEL, _RACE, _SEX):
        if df[column].isna().any():
            raise DataError(f"The HSLS files in {str(folder)!r} have {int(df[column].isna().sum())} "
                            f"missing values in {column}; the extract is complete (imputed).")
    unknown = sorted(set(df[_RACE].astype(str)) - set(RACE_NAMES))
    if unknown:
        raise DataError(f"The HSLS column {_RACE} holds the unknown value {unknown[0]!r}.")
    sex = pd.to_numeric(df[_SEX], errors="coerce")
    if not sex.isin(list(_SEX_NAMES)).all():
        raise DataError(f"The HSLS column {_SEX} must hold 0 (female) and 1 (male) only.")
    if not pd.api.types.is_numeric_dtype(df[_LABEL]):
        raise DataError(f"The HSLS column {_LABEL} (the math T-score) must be numeric.")
    df["race"] = df[_RACE].astype(str).map(RACE_NAMES).astype(object)
    df["sex"] = sex.astype(int).map(_SEX_NAMES).astype(object)
    return df


def load_hsls(
    *,
    sensitive: str = "race",
    acting_group: str | None = None,
    root=None,
    download: bool = False,
) -> Problem:
    """HSLS:09 students: is the 9th-grade math T-score above the median? (17,332 rows)

    The two files of the extract (the source's 80/20 split) are pooled; the split the firm
    trains on is drawn afresh per seed like every other data set's. Label: ``X1TXMTSCOR``
    (the base-year math T-score) strictly above its median over the pooled rows (51.15 in
    the published extract). The label's source, the student id, the source's share of
    imputed cells (``na_prop``) and its dropout outcome (``X4EVERDROP``) leave the features;
    so do the sensitive column(s): the encoder appends the group indicator instead when the
    firm is group-aware (:func:`fairflip.data.split_problem`), nothing when it is not.

    Missing values: none. The source dropped students who did not answer the second
    follow-up and imputed every other missing cell by predictive mean matching (``mice``,
    separately in each file), the math score and race included; 77 % of students have at
    least one imputed cell (13 % of cells on average), so dropping them is no option. The
    loader keeps the imputed values and refuses a file with a missing label, race or sex;
    a missing feature cell (a file edited by hand) follows the encoder's rule.

    Parameters
    ----------
    sensitive : {"race", "sex", "race,sex"}, default="race"
        ``"race"``: the acting group is every student who is neither White nor Asian
        (``"not White or Asian"``, 37 %, as in the paper); ``"sex"``: the sex with the lower
        favourable rate (female); ``"race,sex"``: the intersection (16 groups such as
        ``"Black,female"``). Race uses short names of the NCES categories: White, Asian,
        Black, Hispanic (race specified), Hispanic (no race specified), More than one race,
        American Indian/Alaska Native, Native Hawaiian/Pacific Islander.
    acting_group : str, optional
        One race (``"Black"``), or one race and sex for ``"race,sex"``: every value is then a
        group of its own (a multi-group problem; the default acting group of ``"race,sex"``
        is the lowest favourable rate among groups with at least 2 % of the rows).
    root : str or Path, optional
        Folder holding ``hsls09_train.csv`` and ``hsls09_test.csv``; default
        ``$FAIRFLIP_DATA/hsls`` or ``~/.cache/fairflip/hsls``.
    download : bool, default=False
        Fetch missing files first (:func:`download_hsls`).

    Returns
    -------
    Problem

    Raises
    ------
    DownloadRequiredError
        A file is missing and ``download`` is False, or the download failed.
    DataError
        A file is unreadable or not the extract.
    """
    check_choice(sensitive, HSLS_SENSITIVE, param="sensitive", where="load_hsls")
    folder = hsls_root(root)
    missing = hsls_missing(folder)
    if missing and download:
        download_hsls(root=folder)
    elif missing:
        raise DownloadRequiredError(
            f"HSLS data not found at {missing[0]}; run fairflip datasets --download hsls "
            "(or pass download=True)."
        )
    df = _pooled(folder)
    score = df[_LABEL].to_numpy(dtype=float)
    median = float(np.median(score))
    y = score > median
    verified = all(sha256_file(folder / f.name) == f.sha256 for f in HSLS_FILES)
    info = {
        "source": f"HSLS:09 public-use student file (NCES), extract of cgpan/HSLSdropout "
                  f"@{HSLS_COMMIT[:7]} (train + test pooled)",
        "license": "MIT (cgpan/HSLSdropout); U.S. federal statistical public-use data",
        "filters": "none here (the source dropped second-follow-up nonresponse)",
        "label": f"X1TXMTSCOR > {median:.4g} (the pooled median)",
        "missing": "none: imputed by the source (predictive mean matching); na_prop dropped",
        "checksum": "matches the published extract" if verified else
                    "differs from the published extract (results are not comparable)",
    }
    if acting_group is not None or sensitive == "race,sex":
        features = df[[c for c in ("sex", "race") if c not in sensitive.split(",")]
                      + list(_FEATURES)]
        return group_problem("hsls", df, y, features, sensitive=sensitive,
                             acting_group=acting_group, info=info, where="'hsls' data set")
    if sensitive == "race":
        acting = ~df["race"].isin(_ADVANTAGED).to_numpy()
        labels = ("not White or Asian", "White or Asian")
        features = df[["sex", *_FEATURES]]
    else:
        acting_value = lower_rate_value(df["sex"], y)
        acting = (df["sex"] == acting_value).to_numpy()
        labels = (acting_value, "male" if acting_value == "female" else "female")
        features = df[["race", *_FEATURES]]
    return build_problem("hsls", features, y, acting, sensitive=sensitive,
                         acting_label=labels[0], other_label=labels[1], info=info)
