"""ACS-Income through folktables on a tiny PUMS-format file; no network, ever."""

import importlib
import random

import numpy as np
import pandas as pd
import pytest

from fairflip.data import load_acs_income
from fairflip.data._acs import acs_file_path, default_acs_root
from fairflip.exceptions import ConfigError, DataError, DownloadRequiredError

pytest.importorskip("folktables")


def _pums(n=60, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "RT": "P",
        "SERIALNO": [f"2018GQ{i:07d}" for i in range(n)],
        "SPORDER": 1,
        "PWGTP": rng.integers(0, 40, n),
        "AGEP": rng.integers(10, 80, n),
        "COW": rng.integers(1, 9, n).astype(float),
        "SCHL": rng.integers(1, 25, n).astype(float),
        "MAR": rng.integers(1, 6, n),
        "OCCP": rng.choice([10.0, 2200.0, 4720.0, 9130.0], n),
        "POBP": rng.choice([6, 36, 210, 303], n),
        "RELP": rng.integers(0, 18, n),
        "WKHP": rng.choice([0.0, 20.0, 40.0, 60.0], n),
        "SEX": rng.integers(1, 3, n),
        "RAC1P": rng.choice([1, 1, 2, 6, 8], n),
        "PINCP": rng.choice([0.0, 50.0, 20000.0, 50000.0, 50001.0, 120000.0], n),
    })


@pytest.fixture
def acs_root(tmp_path):
    raw = _pums()
    path = tmp_path / "2018" / "1-Year" / "psam_p06.csv"
    path.parent.mkdir(parents=True)
    raw.to_csv(path, index=False)
    kept = raw[(raw.AGEP > 16) & (raw.PINCP > 100) & (raw.WKHP > 0) & (raw.PWGTP >= 1)]
    return tmp_path, kept.reset_index(drop=True)


def test_reads_the_folktables_layout(acs_root):
    root, kept = acs_root
    assert acs_file_path(state="CA", year=2018, root=root) == (
        root / "2018" / "1-Year" / "psam_p06.csv")
    state = random.getstate()
    p = load_acs_income(root=root)
    assert random.getstate() == state  # folktables' global seeding does not leak
    assert 10 < p.n_rows == len(kept)
    np.testing.assert_array_equal(p.y, kept.PINCP > 50000)
    np.testing.assert_array_equal(p.group, kept.RAC1P != 1)
    assert (p.acting_label, p.other_label) == ("non-White", "White")
    assert list(p.features.columns) == ["AGEP", "COW", "SCHL", "MAR", "OCCP", "POBP", "RELP",
                                        "WKHP", "SEX"]
    assert set(p.features["OCCP"]) <= {"0", "22", "47", "91"}
    assert set(p.features["POBP"]) <= {"0", "2", "3"}
    assert p.features["AGEP"].dtype.kind in "if"


def test_sex(acs_root):
    root, kept = acs_root
    p = load_acs_income(root=root, sensitive="sex")
    female = (kept.SEX == 2).to_numpy()
    y = (kept.PINCP > 50000).to_numpy()
    acting = female if y[female].mean() <= y[~female].mean() else ~female
    np.testing.assert_array_equal(p.group, acting)
    assert "SEX" not in p.features.columns and "RAC1P" in p.features.columns


def test_missing_file_needs_download(tmp_path):
    with pytest.raises(DownloadRequiredError, match=r"^ACS 2018 TX data not found at .*"
                       r"psam_p48\.csv; run fairflip datasets --download acs-income "
                       r"--dataset-option state=TX --dataset-option year=2018 \(or pass "
                       r"download=True\)"):
        load_acs_income(state="TX", root=tmp_path)
    assert not (tmp_path / "2018").exists()  # nothing created on a refusal


def test_failed_download_is_one_line(tmp_path, monkeypatch):
    # folktables' package attribute 'load_acs' is a function; the module is in sys.modules.
    module = importlib.import_module("folktables.load_acs")

    def offline(*args, **kwargs):
        raise ConnectionError("no network")

    monkeypatch.setattr(module, "download_and_extract", offline)
    with pytest.raises(DownloadRequiredError, match="could not be downloaded") as info:
        load_acs_income(root=tmp_path, download=True)
    assert "\n" not in str(info.value)


def test_default_root_follows_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("FAIRFLIP_DATA", str(tmp_path))
    assert default_acs_root() == tmp_path / "acs"
    monkeypatch.delenv("FAIRFLIP_DATA")
    assert default_acs_root().parts[-3:] == (".cache", "fairflip", "acs")


@pytest.mark.parametrize(("kwargs", "param"), [({"state": "XX"}, "state"),
                                               ({"year": 2010}, "year"),
                                               ({"sensitive": "age"}, "sensitive")])
def test_bad_parameters(tmp_path, kwargs, param):
    with pytest.raises(ConfigError, match=f"The '{param}' parameter"):
        load_acs_income(root=tmp_path, **kwargs)


@pytest.mark.parametrize("content", ["", "hello\nworld\n", "RT,SERIALNO\nP,1\n",
                                     "\x00\x01binary\xff"])
def test_a_corrupt_file_is_named_not_called_a_failed_download(tmp_path, content):
    """A damaged file on disk is a DataError naming it, never 'could not be downloaded'."""
    path = tmp_path / "2018" / "1-Year" / "psam_p06.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes(content.encode("latin-1"))
    with pytest.raises(DataError, match=r"psam_p06\.csv' is unreadable or corrupt") as info:
        load_acs_income(root=tmp_path)
    assert "\n" not in str(info.value)


def test_a_corrupt_file_through_the_cli_is_one_line(tmp_path, monkeypatch, capsys):
    from fairflip.cli import main

    monkeypatch.setenv("FAIRFLIP_DATA", str(tmp_path))
    path = tmp_path / "acs" / "2018" / "1-Year" / "psam_p06.csv"
    path.parent.mkdir(parents=True)
    path.write_text("RT,SERIALNO\nP,1\n")
    assert main(["evaluate", "--dataset", "acs-income", "--budget", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error:") and "corrupt" in err[0]
