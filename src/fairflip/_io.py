"""Output files; they are written to a temporary file and renamed, never half."""

from __future__ import annotations

import os
import tempfile
import tomllib
from pathlib import Path

import pandas as pd

from .exceptions import ConfigError

__all__ = ["atomic_write_bytes", "atomic_write_text", "read_toml", "write_table"]


def _atomic(path: Path, write) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def write_table(df: pd.DataFrame, path) -> Path:
    """Write ``df`` as CSV, Parquet or JSON records (by suffix), atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _atomic(path, lambda tmp: df.to_csv(tmp, index=False))
    if suffix == ".parquet":
        return _atomic(path, lambda tmp: df.to_parquet(tmp, index=False))
    if suffix == ".json":
        return _atomic(path, lambda tmp: df.to_json(tmp, orient="records", indent=1))
    raise ConfigError(f"The output file must end in .csv, .parquet or .json. Got {str(path)!r} instead.")


def atomic_write_text(path, text: str) -> Path:
    def write(tmp):
        Path(tmp).write_text(text, encoding="utf-8")
    return _atomic(Path(path), write)


def atomic_write_bytes(path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename."""
    def write(tmp):
        Path(tmp).write_bytes(data)
    return _atomic(Path(path), write)


def read_toml(path, what: str = "config file") -> dict:
    """A TOML file as a dict; a missing or malformed file is a one-line ConfigError."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"The {what} {str(path)!r} does not exist.")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"The {what} {str(path)!r} is not valid TOML: {exc}") from None
