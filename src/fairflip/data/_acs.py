"""ACS-Income (folktables): US census person records, income above $50,000 as the label.

The data are not bundled (one state-year is tens of megabytes); folktables reads the Census
PUMS file from ``root`` and downloads it only when asked to.
"""

from __future__ import annotations

import contextlib
import io
import numbers
import random
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from ..exceptions import ConfigError, DataError, DownloadRequiredError
from ._common import build_problem, check_choice
from ._download import data_root, install_file
from ._problem import Problem

__all__ = ["load_acs_income", "acs_file_path", "default_acs_root", "download_acs_income",
           "ACS_SENSITIVE"]

ACS_SENSITIVE = ("race", "sex")
_HORIZON = "1-Year"
_CATEGORICAL = ("COW", "SCHL", "MAR", "OCCP", "POBP", "RELP", "SEX", "RAC1P")
_SENSITIVE_COLUMN = {"race": "RAC1P", "sex": "SEX"}


def default_acs_root() -> Path:
    """``$FAIRFLIP_DATA/acs`` when that variable is set, else ``~/.cache/fairflip/acs``."""
    return data_root("acs")


def _folktables():
    try:
        import folktables
    except ImportError:
        raise ConfigError(
            "The 'acs-income' data set needs folktables; install it with "
            "pip install folktables (a fairflip dependency that is missing here)."
        ) from None
    return folktables


def _check_state_year(state, year):
    from folktables.load_acs import state_list

    check_choice(state, tuple(state_list), param="state", where="load_acs_income")
    if not isinstance(year, numbers.Integral) or isinstance(year, bool) or year < 2014:
        raise ConfigError(
            f"The 'year' parameter must be an integer year >= 2014. Got {year!r} instead."
        )


def acs_file_path(*, state: str = "CA", year: int = 2018, root=None) -> Path:
    """Where folktables keeps the person file for ``state`` and ``year`` under ``root``."""
    _folktables()
    _check_state_year(state, year)
    from folktables.load_acs import _STATE_CODES

    root = default_acs_root() if root is None else Path(root)
    # Mirrors folktables.load_acs.initialize_and_download (0.0.12).
    if year >= 2017:
        name = f"psam_p{_STATE_CODES[state]}.csv"
    else:
        name = f"ss{str(year)[-2:]}p{state.lower()}.csv"
    return root / str(year) / _HORIZON / name


def _coarse_codes(df):
    # Hundreds of occupation and birthplace codes would make the dense encoding of one state
    # over a gigabyte; their leading digits keep the broad groups (OCCP: the hundreds block of
    # the Census occupation code; POBP: 0 US, 1 Europe, 2 Asia, 3 Americas, 4 Africa,
    # 5 Oceania and at sea).
    df["OCCP"] = np.floor(df["OCCP"] / 100)
    df["POBP"] = np.floor(df["POBP"] / 100)
    return df


def download_acs_income(*, state: str = "CA", year: int = 2018,
                        root=None) -> list[tuple[Path, str]]:
    """Fetch the ACS person file for ``state`` and ``year`` with folktables' downloader.

    folktables downloads the Census Bureau's zip file and extracts the CSV into a temporary
    folder; the CSV must then parse as a PUMS person file, and only then is it moved to
    :func:`acs_file_path` (a rename, or a copy and a rename across file systems). A failed
    download leaves nothing behind. A file already there is kept.

    Returns
    -------
    list of (Path, str)
        The file and ``"present"`` or ``"downloaded"``.

    Raises
    ------
    DownloadRequiredError
        The Census Bureau could not be reached or sent something that is not the zip file.
    DataError
        The downloaded file does not parse as a PUMS person file.
    """
    folktables = _folktables()
    path = acs_file_path(state=state, year=year, root=root)
    if path.is_file():
        return [(path, "present")]
    failed = (f"ACS {year} {state} data could not be downloaded to {path} ({{}}); check the "
              "network or place the file there by hand.")
    saved = random.getstate()
    with tempfile.TemporaryDirectory(prefix="fairflip-acs-") as tmp:
        source = folktables.ACSDataSource(survey_year=str(year), horizon=_HORIZON,
                                          survey="person", root_dir=tmp)
        try:
            # folktables prints progress (and a failed download, which it swallows) and
            # seeds Python's global random module: keep both local.
            with contextlib.redirect_stdout(io.StringIO()):
                raw = source.get_data(states=[state], download=True)
            task = folktables.ACSIncome
            absent = [c for c in (*task.features, task.target) if c not in raw.columns]
            if absent:
                raise KeyError(f"no column {absent[0]}")
        except (OSError, zipfile.BadZipFile) as exc:
            # requests' errors are OSErrors; a swallowed failure shows as a missing file.
            raise DownloadRequiredError(failed.format(type(exc).__name__)) from None
        except (ValueError, KeyError, TypeError, StopIteration) as exc:
            raise DataError(f"The ACS {year} {state} file downloaded from the Census Bureau "
                            f"does not parse ({type(exc).__name__}); nothing was written.") from None
        finally:
            random.setstate(saved)
        fetched = Path(tmp) / str(year) / _HORIZON / path.name
        if not fetched.is_file():  # pragma: no cover - folktables reads it above
            raise DownloadRequiredError(failed.format("no file"))
        install_file(fetched, path)
    return [(path, "downloaded")]


def load_acs_income(
    *,
    state: str = "CA",
    year: int = 2018,
    root=None,
    download: bool = False,
    sensitive: str = "race",
) -> Problem:
    """folktables' ACS-Income task for one state and survey year (1-Year person file).

    The rows are filtered as folktables' ``adult_filter`` does (age > 16, personal income >
    $100, usual hours worked > 0, person weight >= 1); the label is income above $50,000; the
    features are ACSIncome's (age, class of worker, schooling, marital status, occupation,
    place of birth, relationship, hours per week, sex, race) minus the sensitive one. Coded
    columns are categorical; occupation and place of birth are coarsened to their broad
    groups (leading digits) to keep the one-hot encoding small.

    Parameters
    ----------
    state : str, default="CA"
        Two-letter state code.
    year : int, default=2018
        Survey year (>= 2014).
    root : str or Path, optional
        Folder holding folktables' ``<year>/1-Year/`` files; default ``$FAIRFLIP_DATA/acs``
        or ``~/.cache/fairflip/acs``.
    download : bool, default=False
        Download the file from the Census Bureau when it is missing
        (:func:`download_acs_income`; ``fairflip datasets --download acs-income``).
    sensitive : {"race", "sex"}, default="race"
        ``"race"``: acting group non-White (``RAC1P != 1``) vs White; ``"sex"``: acting group
        the sex with the lower favourable rate (female, ``SEX == 2``, in every state we know).

    Returns
    -------
    Problem

    Raises
    ------
    DownloadRequiredError
        The file is missing and ``download`` is False, or the download failed.
    """
    folktables = _folktables()
    check_choice(sensitive, ACS_SENSITIVE, param="sensitive", where="load_acs_income")
    path = acs_file_path(state=state, year=year, root=root)
    root = path.parents[2]
    if not path.is_file() and not download:
        raise DownloadRequiredError(
            f"ACS {year} {state} data not found at {path}; run fairflip datasets --download "
            f"acs-income --dataset-option state={state} --dataset-option year={year} (or pass "
            "download=True) to fetch it from the Census Bureau."
        )
    if not path.is_file():
        download_acs_income(state=state, year=year, root=root)
    source = folktables.ACSDataSource(survey_year=str(year), horizon=_HORIZON,
                                      survey="person", root_dir=str(root))
    # folktables seeds Python's global random module and prints progress; keep both local.
    saved = random.getstate()
    corrupt = (f"The ACS file {str(path)!r} is unreadable or corrupt ({{}}); delete it and "
               "run fairflip datasets --download acs-income again.")
    task = folktables.ACSIncome
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            raw = source.get_data(states=[state], download=False)
        df = folktables.adult_filter(raw).reset_index(drop=True)
        y = task.target_transform(df[task.target]).to_numpy(dtype=bool)
        missing = [c for c in (*task.features, _SENSITIVE_COLUMN[sensitive]) if c not in df]
        if missing:
            raise KeyError(missing[0])
    except (OSError, zipfile.BadZipFile) as exc:
        raise DataError(corrupt.format(type(exc).__name__)) from None
    except (ValueError, KeyError, TypeError, StopIteration) as exc:
        # A truncated, empty or foreign file: pandas' parser errors are ValueErrors, a
        # missing column is a KeyError, an empty file stops folktables' header read.
        raise DataError(corrupt.format(f"{type(exc).__name__}: {str(exc)[:80]}".strip(": ")
                                       .replace("\n", " "))) from None
    finally:
        random.setstate(saved)

    features = _coarse_codes(df[list(task.features)].copy())
    for column in _CATEGORICAL:
        # Codes as strings ('1', '2', ...) so the encoder one-hot encodes them.
        features[column] = features[column].astype("Int64").astype(str).astype(object)
        features.loc[features[column] == "<NA>", column] = np.nan
    column = _SENSITIVE_COLUMN[sensitive]
    codes = df[column].to_numpy()
    if sensitive == "race":
        acting, labels = codes != 1, ("non-White", "White")
    else:
        female = codes == 2
        both = female.any() and (~female).any()
        female_lower = not both or y[female].mean() <= y[~female].mean()
        acting = female if female_lower else ~female
        labels = ("female", "male") if female_lower else ("male", "female")
    return build_problem(
        "acs-income", features.drop(columns=[column]), y, acting, sensitive=sensitive,
        acting_label=labels[0], other_label=labels[1],
        info={
            "source": f"ACS PUMS {year} 1-Year person file, {state} (US Census Bureau), "
                      "via folktables ACSIncome",
            "license": "US Census Bureau public data (public domain)",
            "filters": "AGEP > 16, PINCP > 100, WKHP > 0, PWGTP >= 1",
            "label": "PINCP > 50000",
        },
    )
