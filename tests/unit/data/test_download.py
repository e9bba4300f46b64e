"""Downloads on files the tests make, served from ``file://`` URLs or a patched opener.

No test reaches the network: the HSLS source is a folder the test fills (its checksums
patched in), ACS-Income's Census Bureau is a fake ``requests`` inside folktables.
"""

import hashlib
import importlib
import io
import urllib.error
import urllib.request
import zipfile

import numpy as np
import pandas as pd
import pytest

from fairflip.data import _hsls as hsls_module
from fairflip.data import data_root, download_dataset, load_hsls
from fairflip.data._download import install_file
from fairflip.data._hsls import HSLS_COMMIT, HSLS_FILES
from fairflip.exceptions import ConfigError, DataError, DownloadRequiredError


def test_data_root_is_one_rule(tmp_path, monkeypatch):
    from fairflip.data._acs import default_acs_root
    from fairflip.data._hsls import hsls_root

    monkeypatch.setenv("FAIRFLIP_DATA", str(tmp_path))
    assert (data_root("hsls"), hsls_root(), default_acs_root()) == (
        tmp_path / "hsls", tmp_path / "hsls", tmp_path / "acs")
    monkeypatch.setenv("FAIRFLIP_DATA", "")
    assert hsls_root().parts[-3:] == (".cache", "fairflip", "hsls")


def test_the_source_is_the_provenance_commit():
    # PROVENANCE.md of the shared copy: cgpan/HSLSdropout at this commit, these files.
    assert HSLS_COMMIT == "296e3e1ccba109f7ea778d5f72d5ca8197a2e96b"
    url = hsls_module.HSLS_URL.format(commit=HSLS_COMMIT, source=HSLS_FILES[0].source)
    assert url == ("https://raw.githubusercontent.com/cgpan/HSLSdropout/296e3e1ccba109f7ea778d5f"
                   "72d5ca8197a2e96b/01_data/02_processed_data/"
                   "25_train_0101_imputed_pmm_nr_dropped.csv")
    assert [f.sha256[:8] for f in HSLS_FILES] == ["6b06d710", "968cb970"]


@pytest.fixture
def mirror(tmp_path, monkeypatch, hsls_students):
    """A folder serving two small extract files under their source names, the expected
    checksums patched to theirs; returns (folder, {local name: bytes})."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    served, specs = {}, []
    for spec, frame in zip(HSLS_FILES, (hsls_students(31, 0), hsls_students(9, 1, first_id=90001)),
                           strict=True):
        data = frame.to_csv(index=False).encode()
        (folder / spec.source).write_bytes(data)
        served[spec.name] = data
        specs.append(spec._replace(sha256=hashlib.sha256(data).hexdigest(), rows=len(frame)))
    monkeypatch.setattr(hsls_module, "HSLS_FILES", tuple(specs))
    return folder, served


def test_download_writes_checked_files(mirror, tmp_path):
    folder, served = mirror
    dest = tmp_path / "data" / "hsls"
    got = hsls_module.download_hsls(root=dest, base_url=folder.as_uri())
    assert [(p.name, s) for p, s in got] == [(f.name, "downloaded") for f in HSLS_FILES]
    for name, data in served.items():
        assert (dest / name).read_bytes() == data
    assert sorted(p.name for p in dest.iterdir()) == sorted(served)  # no temporary left
    assert load_hsls(root=dest).n_rows == 40
    # Present files are kept; a file that differs is fetched again and replaced.
    (dest / HSLS_FILES[1].name).write_bytes(b"edited")
    again = hsls_module.download_hsls(root=dest, base_url=folder.as_uri())
    assert [s for _, s in again] == ["present", "replaced"]
    assert (dest / HSLS_FILES[1].name).read_bytes() == served[HSLS_FILES[1].name]


def test_load_with_download(mirror, tmp_path, monkeypatch):
    folder, _ = mirror
    template = folder.as_uri() + "/{source}"
    monkeypatch.setattr(hsls_module, "HSLS_URL", template)
    monkeypatch.setenv("FAIRFLIP_DATA", str(tmp_path / "env"))
    p = download_and_load = load_hsls(download=True)
    assert download_and_load.n_rows == 40 and p.info["checksum"].startswith("matches")
    assert (tmp_path / "env" / "hsls" / HSLS_FILES[0].name).is_file()


def test_a_checksum_mismatch_writes_nothing(mirror, tmp_path, monkeypatch):
    folder, _ = mirror
    specs = list(hsls_module.HSLS_FILES)
    specs[1] = specs[1]._replace(sha256="0" * 64)  # the second file is wrong
    monkeypatch.setattr(hsls_module, "HSLS_FILES", tuple(specs))
    dest = tmp_path / "data" / "hsls"
    with pytest.raises(DataError, match=r"^The download of 25_test_0101_imputed_pmm_nr_dropped"
                       r"\.csv from file://.* has SHA-256 [0-9a-f]{16}\.\.\., expected "
                       r"0{16}\.\.\.; nothing was written\.$") as info:
        hsls_module.download_hsls(root=dest, base_url=folder.as_uri())
    assert "\n" not in str(info.value)
    assert not dest.exists()  # not even the first, good file


def test_an_unreachable_source_is_one_line(tmp_path):
    dest = tmp_path / "hsls"
    with pytest.raises(DownloadRequiredError, match=r"^HSLS file 25_train.* could not be "
                       r"downloaded from file://.*URLError.*place it at .*hsls09_train\.csv"):
        hsls_module.download_hsls(root=dest, base_url=(tmp_path / "nowhere").as_uri())
    assert not dest.exists()


def test_the_default_source_through_the_opener(tmp_path, monkeypatch):
    asked = []

    def offline(url, timeout=None):
        asked.append(url)
        raise urllib.error.URLError(TimeoutError("timed out"))

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    with pytest.raises(DownloadRequiredError, match="URLError: timed out") as info:
        download_dataset("hsls", root=tmp_path / "hsls")
    assert "\n" not in str(info.value)
    assert asked == [hsls_module.HSLS_URL.format(commit=HSLS_COMMIT,
                                                 source=HSLS_FILES[0].source)]
    assert not (tmp_path / "hsls").exists()


def test_download_dataset_checks_name_and_options(tmp_path):
    with pytest.raises(ConfigError, match="The 'name' parameter of download_dataset must be one "
                       "of 'acs-income', 'hsls'. Got 'adult' instead"):
        download_dataset("adult")
    with pytest.raises(ConfigError, match="Downloading 'hsls' takes the options 'root'. Got "
                       "'state' instead"):
        download_dataset("hsls", state="TX")


def test_install_file_across_file_systems(tmp_path, monkeypatch):
    import os

    source = tmp_path / "a.csv"
    source.write_bytes(b"x,y\n1,2\n")
    real_replace = os.replace
    calls = []

    def cross_device(src, dst):
        calls.append((src, dst))
        if len(calls) == 1:
            raise OSError(18, "Invalid cross-device link")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", cross_device)
    dest = install_file(source, tmp_path / "sub" / "b.csv")
    assert dest.read_bytes() == b"x,y\n1,2\n"
    assert sorted(p.name for p in dest.parent.iterdir()) == ["b.csv"]


# --- ACS-Income: folktables' own downloader, the Census Bureau faked --------------------

def _pums_csv(n=40, seed=0) -> bytes:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "RT": "P", "SERIALNO": [f"2018GQ{i:07d}" for i in range(n)], "SPORDER": 1,
        "PWGTP": rng.integers(1, 40, n), "AGEP": rng.integers(18, 80, n),
        "COW": rng.integers(1, 9, n), "SCHL": rng.integers(1, 25, n),
        "MAR": rng.integers(1, 6, n), "OCCP": rng.choice([10, 2200, 4720], n),
        "POBP": rng.choice([6, 36, 210], n), "RELP": rng.integers(0, 18, n),
        "WKHP": rng.choice([20, 40, 60], n), "SEX": rng.integers(1, 3, n),
        "RAC1P": rng.choice([1, 2, 6], n), "PINCP": rng.choice([20000, 50001, 120000], n),
    })
    return frame.to_csv(index=False).encode()


class FakeCensus:
    """Stands in for the ``requests`` module folktables calls; records the URLs."""

    def __init__(self, content=None, error=None):
        self.content, self.error, self.urls = content, error, []

    def get(self, url, *args, **kwargs):
        self.urls.append(url)
        if self.error is not None:
            raise self.error
        return type("Response", (), {"content": self.content, "status_code": 200})()


def zipped(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def census(monkeypatch):
    pytest.importorskip("folktables")
    module = importlib.import_module("folktables.load_acs")

    def install(**kwargs):
        fake = FakeCensus(**kwargs)
        monkeypatch.setattr(module, "requests", fake)
        return fake

    return install


def test_acs_download_through_folktables(census, tmp_path):
    from fairflip.data import load_acs_income
    from fairflip.data._acs import acs_file_path

    data = _pums_csv()
    fake = census(content=zipped("psam_p48.csv", data))
    got = download_dataset("acs-income", state="TX", year=2018, root=tmp_path / "acs")
    path = acs_file_path(state="TX", year=2018, root=tmp_path / "acs")
    assert got == [(path, "downloaded")]
    assert fake.urls == ["https://www2.census.gov/programs-surveys/acs/data/pums/2018/1-Year/"
                         "csv_ptx.zip"]
    assert path.read_bytes() == data
    assert sorted(p.name for p in path.parent.iterdir()) == ["psam_p48.csv"]  # zip removed
    assert load_acs_income(state="TX", root=tmp_path / "acs").n_rows == 40
    assert download_dataset("acs-income", state="TX", root=tmp_path / "acs") == [
        (path, "present")]


@pytest.mark.parametrize("kwargs", [{"content": b"<html>404 Not Found</html>"},
                                    {"error": ConnectionError("no route to host")}])
def test_a_failed_acs_download_writes_nothing(census, tmp_path, kwargs):
    census(**kwargs)
    with pytest.raises(DownloadRequiredError, match=r"^ACS 2018 TX data could not be "
                       r"downloaded to .*psam_p48\.csv") as info:
        download_dataset("acs-income", state="TX", root=tmp_path / "acs")
    assert "\n" not in str(info.value)
    assert not (tmp_path / "acs").exists()


def test_a_foreign_acs_download_writes_nothing(census, tmp_path):
    census(content=zipped("psam_p48.csv", b"\x00\x01 not a csv \xff\n"))
    with pytest.raises((DataError, DownloadRequiredError)) as info:
        download_dataset("acs-income", state="TX", root=tmp_path / "acs")
    assert "\n" not in str(info.value)
    assert not (tmp_path / "acs").exists()
