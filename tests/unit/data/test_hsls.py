"""HSLS:09 on small files the tests write, and on the real extract when it is beside the clone.

The task (label, groups, features) is checked against an independent pandas computation on
the raw columns. The real files live in ``../shared/data/hsls/`` next to the repository
(never in it); without them those tests skip, except under ``CI=true``, where they fail.
"""

import hashlib
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fairflip.data import _hsls as hsls_module
from fairflip.data import dataset_summary, load_dataset, load_hsls, split_problem
from fairflip.data._hsls import HSLS_COLUMNS, HSLS_FILES, RACE_NAMES
from fairflip.exceptions import ConfigError, DataError, DownloadRequiredError

NCES_RACES = list(RACE_NAMES)  # the source's labels, with their commas
DROPPED = {"X1TXMTSCOR", "STU_ID", "na_prop", "X4EVERDROP"}


@pytest.fixture
def hsls_dir(tmp_path, hsls_students):
    """``(folder, train, test)``: the two files of an extract of 161 + 40 students."""
    folder = tmp_path / "hsls"
    folder.mkdir()
    train, test = hsls_students(161, 0), hsls_students(40, 1, first_id=50001)
    train.to_csv(folder / HSLS_FILES[0].name, index=False)
    test.to_csv(folder / HSLS_FILES[1].name, index=False)
    return folder, train, test


def test_task_matches_an_independent_computation(hsls_dir):
    folder, train, test = hsls_dir
    raw = pd.concat([pd.read_csv(folder / f.name) for f in HSLS_FILES], ignore_index=True)
    p = load_hsls(root=folder)
    assert p.n_rows == len(train) + len(test) == 201
    median = raw["X1TXMTSCOR"].median()  # an odd count: the median is a row's score
    assert (raw["X1TXMTSCOR"] == median).any()
    np.testing.assert_array_equal(p.y, (raw["X1TXMTSCOR"] > median).to_numpy())
    advantaged = raw["X1RACE"].isin(["White, non-Hispanic", "Asian, non-Hispanic"])
    np.testing.assert_array_equal(p.group, (~advantaged).to_numpy())
    assert (p.acting_label, p.other_label, p.sensitive) == (
        "not White or Asian", "White or Asian", "race")
    assert not p.is_multigroup
    kept = set(raw.columns) - DROPPED - {"X1RACE", "X1SEX"}
    assert set(p.features.columns) == kept | {"sex"}
    np.testing.assert_array_equal(p.features["sex"], raw["X1SEX"].map({1: "male", 0: "female"}))
    np.testing.assert_allclose(p.features["X1SES"], raw["X1SES"])
    assert p.info["label"].startswith("X1TXMTSCOR > ")
    assert p.info["checksum"].startswith("differs")  # not the published files


def test_the_firm_sees_race_only_as_the_group_indicator(hsls_dir):
    folder, _, _ = hsls_dir
    p = load_hsls(root=folder)
    aware = split_problem(p, random_state=0)
    unaware = split_problem(p, random_state=0, group_feature=False)
    assert aware.feature_names[-1] == "race=not White or Asian"
    assert aware.feature_names[:-1] == unaware.feature_names
    for name in unaware.feature_names:
        assert not any(name.startswith(c) for c in DROPPED | {"X1RACE", "race"}), name
    assert any(name.startswith("sex") for name in unaware.feature_names)
    # Pooled and re-split per seed: each seed's test rows come from both source files.
    for seed in (0, 1):
        ids = split_problem(p, random_state=seed).test_ids
        assert (ids < 161).any() and (ids >= 161).any()
    assert not np.array_equal(split_problem(p, random_state=0).test_ids,
                              split_problem(p, random_state=1).test_ids)


def test_sex_keeps_race_as_a_feature(hsls_dir):
    folder, train, test = hsls_dir
    raw = pd.concat([train, test], ignore_index=True)
    p = load_hsls(root=folder, sensitive="sex")
    y = raw["X1TXMTSCOR"] > raw["X1TXMTSCOR"].median()
    rates = y.groupby(raw["X1SEX"]).mean()
    lower = int(rates.idxmin())
    np.testing.assert_array_equal(p.group, (raw["X1SEX"] == lower).to_numpy())
    assert p.acting_label == {1: "male", 0: "female"}[lower]
    assert "sex" not in p.features.columns and "race" in p.features.columns
    assert set(p.features["race"]) <= set(RACE_NAMES.values())
    assert not any("," in name for name in RACE_NAMES.values())


def test_every_race_and_the_intersection(hsls_dir):
    folder, train, test = hsls_dir
    raw = pd.concat([train, test], ignore_index=True)
    race = raw["X1RACE"].map(RACE_NAMES)
    p = load_hsls(root=folder, acting_group="Black")
    assert p.is_multigroup and p.acting_label == "Black"
    np.testing.assert_array_equal(p.group_values, race.to_numpy())
    np.testing.assert_array_equal(p.group, (raw["X1RACE"] == NCES_RACES[2]).to_numpy())
    assert "race" not in p.features.columns and "sex" in p.features.columns
    q = load_dataset("hsls", sensitive="race,sex", root=folder)
    sex = raw["X1SEX"].map({1: "male", 0: "female"})
    np.testing.assert_array_equal(q.group_values, (race + "," + sex).to_numpy())
    assert not {"race", "sex"} & set(q.features.columns)
    r = load_hsls(root=folder, sensitive="race,sex", acting_group="Asian,female")
    assert r.acting_label == "Asian,female"
    with pytest.raises(DataError, match="'acting_group' parameter names 'Martian'"):
        load_hsls(root=folder, acting_group="Martian")


def test_missing_files_need_a_download_and_nothing_is_fetched(tmp_path, monkeypatch):
    import urllib.request

    def no_network(*args, **kwargs):
        raise AssertionError("the loader downloaded without being asked to")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    monkeypatch.setenv("FAIRFLIP_DATA", str(tmp_path))
    with pytest.raises(DownloadRequiredError, match=r"^HSLS data not found at .*hsls09_train\.csv; "
                       r"run fairflip datasets --download hsls") as info:
        load_hsls()
    assert "\n" not in str(info.value)
    assert list(tmp_path.iterdir()) == []
    s = dataset_summary("hsls")
    assert s["needs_download"] is True and s["rows"] is None
    # The features without the data: every column less the dropped ones and race.
    assert s["features"] == len(HSLS_COLUMNS) - len(DROPPED) - 1 == 25


def test_summary_when_present_and_the_shared_root(hsls_dir, monkeypatch):
    folder, _, _ = hsls_dir
    monkeypatch.setenv("FAIRFLIP_DATA", str(folder.parent))
    s = dataset_summary("hsls")
    p = load_hsls(root=folder)
    assert s["needs_download"] is False and s["rows"] == 201
    assert s["features"] == p.features.shape[1] == hsls_module.hsls_feature_count("race")
    assert dataset_summary("hsls", sensitive="race,sex")["features"] == (
        hsls_module.hsls_feature_count("race,sex"))
    assert s["favourable_rate_acting"] == pytest.approx(p.y[p.group == 1].mean())
    with pytest.raises(ConfigError, match="'sensitive'.*Got 'age' instead"):
        load_dataset("hsls", sensitive="age")


@pytest.mark.parametrize(("edit", "message"), [
    (lambda df: df.drop(columns="S1MSCORE"), "has no column 'S1MSCORE'"),
    (lambda df: df.assign(X1TXMTSCOR=np.where(df.index == 3, np.nan, df.X1TXMTSCOR)),
     "1 missing values in X1TXMTSCOR"),
    (lambda df: df.assign(X1RACE=np.where(df.index == 3, "Martian", df.X1RACE)),
     "unknown value 'Martian'"),
    (lambda df: df.assign(X1SEX=np.where(df.index == 3, 2, df.X1SEX)), "0 \\(female\\) and 1"),
])
def test_a_foreign_file_is_one_line(hsls_dir, edit, message):
    folder, train, _ = hsls_dir
    edit(train).to_csv(folder / HSLS_FILES[0].name, index=False)
    with pytest.raises(DataError, match=message) as info:
        load_hsls(root=folder)
    assert "\n" not in str(info.value)


def test_a_missing_feature_cell_follows_the_encoder_rule(hsls_dir):
    folder, train, _ = hsls_dir
    train.assign(X1SES=np.where(train.index == 0, np.nan, train.X1SES)).to_csv(
        folder / HSLS_FILES[0].name, index=False)
    p = load_hsls(root=folder)
    assert p.features["X1SES"].isna().sum() == 1
    assert np.isfinite(split_problem(p, random_state=0).X_train).all()


# --- the real extract ------------------------------------------------------------------

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "hsls"


@pytest.fixture(scope="module")
def real_root(tmp_path_factory):
    """A FAIRFLIP_DATA folder whose ``hsls`` links to the shared copy."""
    if not all((SHARED / f.name).is_file() for f in HSLS_FILES):
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the HSLS extract is not at {SHARED.resolve()}")
        pytest.skip(f"the HSLS extract is not at {SHARED.resolve()}")
    base = tmp_path_factory.mktemp("fairflip-data")
    (base / "hsls").symlink_to(SHARED.resolve(), target_is_directory=True)
    return base


def test_real_checksums_are_the_published_ones(real_root):
    for spec in HSLS_FILES:
        digest = hashlib.sha256((real_root / "hsls" / spec.name).read_bytes()).hexdigest()
        assert digest == spec.sha256


def test_real_extract(real_root, monkeypatch):
    monkeypatch.setenv("FAIRFLIP_DATA", str(real_root))
    raw = pd.concat([pd.read_csv(real_root / "hsls" / f.name) for f in HSLS_FILES],
                    ignore_index=True)
    p = load_dataset("hsls")
    assert p.n_rows == len(raw) == sum(f.rows for f in HSLS_FILES) == 17332
    assert p.info["checksum"] == "matches the published extract"
    y = raw["X1TXMTSCOR"] > raw["X1TXMTSCOR"].median()
    advantaged = raw["X1RACE"].isin(["White, non-Hispanic", "Asian, non-Hispanic"])
    np.testing.assert_array_equal(p.y, y.to_numpy())
    assert p.y.mean() == pytest.approx(0.5, abs=1e-3)  # a median split
    # PROVENANCE.md: 10,849 White or Asian students (0.574 positive) and 6,483 others (0.376).
    assert int(p.group.sum()) == int((~advantaged).sum()) == 6483
    assert p.acting_share == pytest.approx(6483 / 17332)
    assert p.favourable_rate(True) == pytest.approx(y[~advantaged].mean()) == pytest.approx(
        0.376, abs=5e-4)
    assert p.favourable_rate(False) == pytest.approx(y[advantaged].mean()) == pytest.approx(
        0.574, abs=5e-4)
    table = load_hsls(acting_group="Black").group_table().set_index("group")
    assert table["rows"].to_dict() == {RACE_NAMES[k]: v
                                       for k, v in raw["X1RACE"].value_counts().items()}
