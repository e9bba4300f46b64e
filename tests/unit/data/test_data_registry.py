"""The registry: names, option checks and the summary rows `fairflip datasets` prints."""

import pandas as pd
import pytest

from fairflip.data import (
    DATASETS,
    dataset_summary,
    load_dataset,
    load_german,
    load_table,
    summarize_problem,
)
from fairflip.data._registry import SUMMARY_KEYS
from fairflip.exceptions import ConfigError


def test_names():
    assert DATASETS == ("adult", "compas", "german", "synthetic", "toy2d", "figure1",
                        "embedding-synthetic", "acs-income", "hsls")


def test_load_by_name_matches_loader():
    a, b = load_dataset("german", sensitive="sex"), load_german(sensitive="sex")
    pd.testing.assert_frame_equal(a.features, b.features)
    assert load_dataset("synthetic", n_rows=50, random_state=0).n_rows == 50


def test_unknown_name_sensitive_and_option():
    with pytest.raises(ConfigError, match="The 'name' parameter .*'adult'.*Got 'mnist' instead"):
        load_dataset("mnist")
    with pytest.raises(ConfigError, match="must be one of 'age', 'sex', 'age,sex'. Got 'race' instead"):
        load_dataset("german", sensitive="race")
    with pytest.raises(ConfigError, match="'n_rows'.*Got 'n_row' instead"):
        load_dataset("synthetic", n_row=10)


def test_summary_of_bundled_and_generated():
    s = dataset_summary("compas", sensitive="sex")
    assert tuple(s) == SUMMARY_KEYS
    assert s["rows"] == 6172 and s["features"] == 8 and s["groups"] == "Male vs Female"
    assert s["favourable_rate_acting"] < s["favourable_rate_other"]
    assert s["acting_is_smaller"] is False and s["needs_download"] is False
    t = dataset_summary("toy2d")
    assert (t["rows"], t["features"], t["sensitive"]) == (300, 2, "group")


def test_summary_acs_needs_download(tmp_path, monkeypatch):
    pytest.importorskip("folktables")
    monkeypatch.setenv("FAIRFLIP_DATA", str(tmp_path))
    s = dataset_summary("acs-income")
    assert tuple(s) == SUMMARY_KEYS
    assert s["needs_download"] is True and s["rows"] is None and s["features"] == 9
    assert s["groups"] == "non-White vs White"


def test_summarize_user_table(tmp_path):
    path = tmp_path / "loans.csv"
    pd.DataFrame({"x": range(6), "g": list("aabbbb"), "y": [1, 1, 0, 1, 0, 0]}).to_csv(
        path, index=False)
    s = summarize_problem(load_table(path, label="y", group="g"))
    assert tuple(s) == SUMMARY_KEYS
    assert (s["name"], s["rows"], s["features"], s["groups"]) == ("loans", 6, 1, "b vs a")
    assert s["favourable_rate_acting"] == pytest.approx(0.25)
    assert s["acting_is_smaller"] is False
