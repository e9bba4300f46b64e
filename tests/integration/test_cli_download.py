"""``fairflip datasets --download hsls|acs-income`` on sources the tests make (no network).

HSLS is served from a ``file://`` folder with the expected checksums patched to the test
files'; ACS-Income goes through folktables' own downloader with its ``requests`` faked.
"""

import hashlib
import importlib
import io
import json
import zipfile

import pandas as pd
import pytest

from fairflip.cli import main
from fairflip.data import _hsls as hsls_module
from fairflip.data._hsls import HSLS_COLUMNS, HSLS_FILES


def run(capsys, *args):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(code, out, err):
    assert code == 2
    assert "Traceback" not in out + err
    lines = err.strip("\n").splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err


def tiny_extract(n, first_id):
    """``n`` students with every column of the extract (values only need to parse)."""
    frame = pd.DataFrame({c: [0.5] * n for c in HSLS_COLUMNS})
    frame["STU_ID"] = range(first_id, first_id + n)
    frame["X1RACE"] = (["White, non-Hispanic", "Black/African-American, non-Hispanic"] * n)[:n]
    frame["X1SEX"] = ([0, 1] * n)[:n]
    frame["X1TXMTSCOR"] = [40.0 + i for i in range(n)]
    return frame.to_csv(index=False).encode()


@pytest.fixture
def hsls_source(tmp_path, monkeypatch):
    """A file:// folder with the two files; the URL template and checksums point at it."""
    folder = tmp_path / "source"
    folder.mkdir()
    specs, served = [], {}
    for spec, data in zip(HSLS_FILES, (tiny_extract(12, 1), tiny_extract(4, 100)), strict=True):
        (folder / spec.source).write_bytes(data)
        served[spec.name] = data
        specs.append(spec._replace(sha256=hashlib.sha256(data).hexdigest()))
    monkeypatch.setattr(hsls_module, "HSLS_FILES", tuple(specs))
    monkeypatch.setattr(hsls_module, "HSLS_URL", folder.as_uri() + "/{source}")
    target = tmp_path / "data"
    monkeypatch.setenv("FAIRFLIP_DATA", str(target))
    return folder, target / "hsls", served


def test_download_hsls(capsys, hsls_source):
    _, dest, served = hsls_source
    code, out, err = run(capsys, "datasets", "--download", "hsls")
    assert code == 0, err
    assert out.splitlines() == [f"downloaded: {dest / name}" for name in served]
    for name, data in served.items():
        assert (dest / name).read_bytes() == data
    code, out, _ = run(capsys, "datasets", "--format", "json")
    rows = {row["name"]: row for row in json.loads(out)}
    assert rows["hsls"]["needs_download"] is False and rows["hsls"]["rows"] == 16
    code, out, _ = run(capsys, "datasets", "--download", "hsls")
    assert code == 0 and out.splitlines()[0].startswith("present: ")


def test_download_hsls_to_a_chosen_root(capsys, hsls_source, tmp_path):
    code, out, err = run(capsys, "datasets", "--download", "hsls", "--dataset-option",
                         f"root={tmp_path / 'elsewhere'}")
    assert code == 0, err
    assert (tmp_path / "elsewhere" / HSLS_FILES[0].name).is_file()


def test_hsls_checksum_mismatch(capsys, hsls_source, monkeypatch):
    _, dest, _ = hsls_source
    specs = list(hsls_module.HSLS_FILES)
    specs[0] = specs[0]._replace(sha256="f" * 64)
    monkeypatch.setattr(hsls_module, "HSLS_FILES", tuple(specs))
    code, out, err = run(capsys, "datasets", "--download", "hsls")
    assert_one_line_error(code, out, err)
    assert "has SHA-256" in err and "nothing was written" in err
    assert not dest.exists()


def test_hsls_source_unreachable(capsys, hsls_source, monkeypatch, tmp_path):
    _, dest, _ = hsls_source
    monkeypatch.setattr(hsls_module, "HSLS_URL", (tmp_path / "gone").as_uri() + "/{source}")
    code, out, err = run(capsys, "datasets", "--download", "hsls")
    assert_one_line_error(code, out, err)
    assert "could not be downloaded" in err
    assert not dest.exists()


@pytest.mark.parametrize(("args", "message"), [
    (("--download", "adult"), "'--download' option must be one of 'acs-income', 'hsls'"),
    (("hsls", "--download", "hsls"), "Give the data set to --download only"),
    (("--download", "hsls", "--dataset-option", "state=TX"), "takes the options 'root'"),
])
def test_download_refusals(capsys, tmp_path, monkeypatch, args, message):
    monkeypatch.setenv("FAIRFLIP_DATA", str(tmp_path))
    code, out, err = run(capsys, "datasets", *args)
    assert_one_line_error(code, out, err)
    assert message in err
    assert list(tmp_path.iterdir()) == []


class FakeCensus:
    def __init__(self, content=None, error=None):
        self.content, self.error = content, error

    def get(self, url, *args, **kwargs):
        if self.error is not None:
            raise self.error
        return type("Response", (), {"content": self.content})()


def census_zip(name):
    frame = pd.DataFrame({
        "RT": "P", "SERIALNO": [f"2018GQ{i:07d}" for i in range(6)], "SPORDER": 1,
        "PWGTP": 5, "AGEP": [20, 30, 40, 50, 60, 70], "COW": 1, "SCHL": 16, "MAR": 1,
        "OCCP": 2200, "POBP": 6, "RELP": 0, "WKHP": 40, "SEX": [1, 2] * 3,
        "RAC1P": [1, 2, 1, 2, 1, 6], "PINCP": [20000, 60000] * 3,
    })
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, frame.to_csv(index=False))
    return buffer.getvalue()


@pytest.fixture
def census(monkeypatch, tmp_path):
    pytest.importorskip("folktables")
    module = importlib.import_module("folktables.load_acs")
    monkeypatch.setenv("FAIRFLIP_DATA", str(tmp_path))

    def install(**kwargs):
        monkeypatch.setattr(module, "requests", FakeCensus(**kwargs))

    return install


def test_download_acs_income(capsys, census, tmp_path):
    census(content=census_zip("psam_p41.csv"))
    code, out, err = run(capsys, "datasets", "--download", "acs-income",
                         "--dataset-option", "state=OR", "--dataset-option", "year=2018")
    path = tmp_path / "acs" / "2018" / "1-Year" / "psam_p41.csv"
    assert code == 0, err
    assert out.splitlines() == [f"downloaded: {path}"]
    code, out, err = run(capsys, "datasets", "acs-income", "--dataset-option", "state=OR",
                         "--format", "json")
    assert code == 0, err
    assert sum(g["rows"] for g in json.loads(out)["groups"]) == 6


@pytest.mark.parametrize("kwargs", [{"content": b"Service Unavailable"},
                                    {"error": OSError("network is unreachable")}])
def test_acs_download_failures(capsys, census, tmp_path, kwargs):
    census(**kwargs)
    code, out, err = run(capsys, "datasets", "--download", "acs-income")
    assert_one_line_error(code, out, err)
    assert "could not be downloaded" in err
    assert not (tmp_path / "acs").exists()
