"""The data files shipped inside the package, each checked against SHA256SUMS before use.

The bundle directory can be swapped for another one (a copy in a temporary folder) with
:func:`_use_bundle_dir`; the tests corrupt such a copy to prove that loading refuses it.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from pathlib import Path

from ..exceptions import DataError, FairflipError

__all__ = ["bundled_file", "BUNDLE_DIR"]

BUNDLE_DIR = Path(__file__).resolve().parent / "bundled"
CHECKSUMS_NAME = "SHA256SUMS"

# Private override so tests can point every loader at a copied (or corrupted) bundle.
_override: list[Path] = []


@contextlib.contextmanager
def _use_bundle_dir(path: str | Path) -> Iterator[Path]:
    """Within the block, read bundled files from ``path`` instead of the package's folder."""
    _override.append(Path(path))
    try:
        yield Path(path)
    finally:
        _override.pop()


def _bundle_dir() -> Path:
    return _override[-1] if _override else BUNDLE_DIR


def bundled_checksums(stem: str) -> list[tuple[str, str]]:
    """(file, SHA-256) of the bundled files whose names start with ``stem``; [] if unreadable."""
    try:
        sums = _read_checksums(BUNDLE_DIR)
    except FairflipError:
        return []
    return sorted((f, d) for f, d in sums.items() if f.startswith(stem))


def _read_checksums(directory: Path) -> dict[str, str]:
    sums_path = directory / CHECKSUMS_NAME
    if not sums_path.is_file():
        raise DataError(f"The bundled checksum file '{sums_path}' is missing; reinstall fairflip.")
    sums = {}
    for line in sums_path.read_text(encoding="ascii").splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            # sha256sum marks binary mode with a leading '*'.
            sums[name.strip().lstrip("*")] = digest.lower()
    return sums


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def bundled_file(name: str) -> Path:
    """Path of the bundled file ``name`` after its SHA-256 matched SHA256SUMS.

    Raises
    ------
    DataError
        The file is missing, not listed, or its checksum differs (a corrupted install).
    """
    directory = _bundle_dir()
    path = directory / name
    expected = _read_checksums(directory).get(name)
    if expected is None:
        raise DataError(f"The bundled file '{name}' is not listed in {directory / CHECKSUMS_NAME}.")
    if not path.is_file():
        raise DataError(f"The bundled file '{path}' is missing; reinstall fairflip.")
    actual = _sha256(path)
    if actual != expected:
        raise DataError(
            f"The bundled file '{path}' is corrupted (SHA-256 {actual[:12]}... does not match "
            f"{expected[:12]}... in {CHECKSUMS_NAME}); reinstall fairflip."
        )
    return path
