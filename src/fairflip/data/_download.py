"""Where downloaded data sets live, and how a download reaches the disk.

One folder per data set, ``$FAIRFLIP_DATA/<name>`` when that variable is set, else
``~/.cache/fairflip/<name>`` (:func:`data_root`). A download is read whole, checked (SHA-256
where the source publishes fixed files) and only then written, through a temporary file and
a rename: a failed or corrupted download leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from ..exceptions import DataError, DownloadRequiredError

__all__ = ["DATA_ENV", "data_root", "fetch_bytes", "check_sha256", "sha256_file", "install_file"]

DATA_ENV = "FAIRFLIP_DATA"
# The largest file fetch_bytes reads (the HSLS files are 0.7 and 2.9 MB).
MAX_BYTES = 64 * 2**20


def data_root(name: str) -> Path:
    """The folder of the downloaded data set ``name``.

    ``$FAIRFLIP_DATA/<name>`` when the variable is set (and not empty), else
    ``~/.cache/fairflip/<name>``. Nothing is created.

    Examples
    --------
    >>> from fairflip.data._download import data_root
    >>> data_root("hsls").name
    'hsls'
    """
    home = os.environ.get(DATA_ENV)
    base = Path(home) if home else Path.home() / ".cache" / "fairflip"
    return base / name


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None) or exc
    text = f"{type(exc).__name__}: {reason}" if str(reason) else type(exc).__name__
    return " ".join(text.split())[:160]


def fetch_bytes(url: str, *, what: str, dest, timeout: float = 60.0) -> bytes:
    """The body at ``url`` (http, https or file), read whole; ``dest`` is where it will go.

    Raises
    ------
    DownloadRequiredError
        The source cannot be reached, answers with an HTTP error, or sends more than
        :data:`MAX_BYTES`; the one-line message names ``what`` and the URL.
    """
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            data = response.read(MAX_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        # URLError (HTTPError included) and socket timeouts are OSErrors; a malformed URL is
        # a ValueError.
        raise DownloadRequiredError(
            f"{what} could not be downloaded from {url} ({_reason(exc)}); check the network "
            f"or place it at {dest} by hand."
        ) from None
    if len(data) > MAX_BYTES:
        raise DownloadRequiredError(
            f"{what} from {url} is larger than {MAX_BYTES // 2**20} MB; not the expected file."
        )
    return data


def check_sha256(data: bytes, expected: str, *, name: str, url: str) -> None:
    """Raise a one-line DataError when ``data``'s SHA-256 is not ``expected``."""
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected.lower():
        raise DataError(
            f"The download of {name} from {url} has SHA-256 {actual[:16]}..., expected "
            f"{expected[:16]}...; nothing was written."
        )


def sha256_file(path) -> str:
    """The SHA-256 of the file at ``path`` (hex)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def install_file(source: Path, dest: Path) -> Path:
    """Move the finished file ``source`` to ``dest`` atomically (a copy across file systems).

    ``dest``'s folder is created; a reader never sees a partly written ``dest``.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(source, dest)
        return dest
    except OSError:
        pass  # another file system: copy next to dest, then rename
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return dest
