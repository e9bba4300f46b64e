"""Adult, COMPAS and German credit against counts computed here from the bundled raw files."""

import json
import lzma

import numpy as np
import pandas as pd
import pytest

from fairflip.data import load_adult, load_compas, load_german
from fairflip.data._bundled import BUNDLE_DIR
from fairflip.exceptions import ConfigError


def _rates(y, mask):
    return y[mask].mean(), y[~mask].mean()


@pytest.fixture(scope="module")
def raw_adult():
    frames = []
    for name, skip in (("adult.data.xz", 0), ("adult.test.xz", 1)):
        df = pd.read_csv(BUNDLE_DIR / name, header=None, skiprows=skip, dtype=str)
        frames.append(df.apply(lambda s: s.str.strip()))
    df = pd.concat(frames, ignore_index=True)
    return df[~(df == "?").any(axis=1)]


def test_adult_rows_and_rates(raw_adult):
    y_ref = raw_adult[14].isin([">50K", ">50K."]).to_numpy()
    for sensitive, column, acting in (("race", 8, lambda s: s != "White"),
                                      ("sex", 9, lambda s: s == "Female")):
        problem = load_adult(sensitive=sensitive)
        assert problem.n_rows == len(raw_adult) == 45222
        mask = acting(raw_adult[column]).to_numpy()
        np.testing.assert_array_equal(problem.y, y_ref)
        np.testing.assert_array_equal(problem.group, mask)
        assert (problem.favourable_rate(True), problem.favourable_rate(False)) == pytest.approx(
            _rates(y_ref, mask))
        assert problem.favourable_rate(True) < problem.favourable_rate(False)
        assert sensitive not in problem.features.columns
        assert "fnlwgt" not in problem.features.columns
        assert problem.features.notna().all().all()
        assert problem.y.dtype == problem.group.dtype == np.int8
    assert load_adult(sensitive="race").acting_label == "non-White"


@pytest.fixture(scope="module")
def raw_compas():
    df = pd.read_csv(BUNDLE_DIR / "compas-scores-two-years.csv.xz")
    d = df["days_b_screening_arrest"]
    return df[(d <= 30) & (d >= -30) & (df["is_recid"] != -1) & (df["c_charge_degree"] != "O")
              & (df["score_text"] != "N/A")]


def test_compas_rows_and_rates(raw_compas):
    assert len(raw_compas) == 6172
    race = load_compas(sensitive="race")
    sub = raw_compas[raw_compas["race"].isin(["African-American", "Caucasian"])]
    assert race.n_rows == len(sub) == 5278
    y = (sub["two_year_recid"] == 0).to_numpy()
    mask = (sub["race"] == "African-American").to_numpy()
    assert race.acting_label == "African-American"
    assert (race.favourable_rate(True), race.favourable_rate(False)) == pytest.approx(
        _rates(y, mask))
    assert race.favourable_rate(True) < race.favourable_rate(False)

    sex = load_compas(sensitive="sex")
    assert sex.n_rows == 6172
    y = (raw_compas["two_year_recid"] == 0).to_numpy()
    male = (raw_compas["sex"] == "Male").to_numpy()
    assert y[male].mean() < y[~male].mean()  # so Male must be the acting group
    assert sex.acting_label == "Male"
    np.testing.assert_array_equal(sex.group, male)
    assert (sex.favourable_rate(True), sex.favourable_rate(False)) == pytest.approx(
        _rates(y, male))
    assert not sex.acting_is_smaller


def test_compas_features_exclude_scores_and_sensitive():
    race = load_compas(sensitive="race")
    assert list(race.features.columns) == [
        "sex", "age", "age_cat", "c_charge_degree", "priors_count", "juv_fel_count",
        "juv_misd_count", "juv_other_count"]
    assert "race" in load_compas(sensitive="sex").features.columns
    assert not any("score" in c for c in race.features.columns)


def test_german_rows_and_rates():
    raw = pd.read_csv(BUNDLE_DIR / "german.data.xz", sep=" ", header=None)
    assert raw.shape == (1000, 21)
    y = (raw[20] == 1).to_numpy()
    young = (raw[12] <= 25).to_numpy()
    age = load_german(sensitive="age")
    assert age.n_rows == 1000
    np.testing.assert_array_equal(age.group, young)
    assert (age.favourable_rate(True), age.favourable_rate(False)) == pytest.approx(
        _rates(y, young))
    assert age.favourable_rate(True) < age.favourable_rate(False)
    assert "age" not in age.features.columns

    female = raw[8].isin(["A92", "A95"]).to_numpy()
    sex = load_german(sensitive="sex")
    assert y[female].mean() < y[~female].mean()
    assert sex.acting_label == "female"
    np.testing.assert_array_equal(sex.group, female)
    assert "sex" not in sex.features.columns and "age" in sex.features.columns


def test_german_codes_are_mapped():
    with lzma.open(BUNDLE_DIR / "german-values-maps.json.xz", "rt") as fh:
        purposes = {v.strip() for v in json.load(fh)["purpose"].values()}
    features = load_german().features
    assert set(features["purpose"]) <= purposes
    assert features["telephone"].dtype == bool
    assert not features.isna().any().any()


@pytest.mark.parametrize("loader", [load_adult, load_compas, load_german])
def test_unknown_sensitive(loader):
    with pytest.raises(ConfigError, match="The 'sensitive' parameter .* Got 'religion' instead"):
        loader(sensitive="religion")
