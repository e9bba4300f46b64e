"""``fairflip datasets --download NAME``: fetch a data set that is not bundled."""

from __future__ import annotations

import typer

from ..exceptions import ConfigError


def download_command(name: str, *, listed: str | None, options: dict) -> None:
    """Fetch ``name`` (acs-income or hsls) and print one line per file.

    ``options`` are the ``--dataset-option`` values (``root``; ``state`` and ``year`` for
    ACS-Income). Errors are one-line FairflipErrors (exit 2 at the CLI boundary).
    """
    from ..data import DOWNLOADABLE, download_dataset  # lazy: commands load the library only when they run

    if listed is not None:
        raise ConfigError(f"Give the data set to --download only. Got {listed!r} as well.")
    key = name.lower().replace("_", "-")
    if key not in DOWNLOADABLE:
        valid = ", ".join(repr(n) for n in DOWNLOADABLE)
        raise ConfigError(f"The '--download' option must be one of {valid}; the others are "
                          f"bundled or generated. Got {name!r} instead.")
    for path, status in download_dataset(key, **options):
        typer.echo(f"{status}: {path}")
