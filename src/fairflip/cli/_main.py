"""The entry point: registers the commands, runs the app, turns input errors into one line."""

from __future__ import annotations

import sys

import typer

from ..exceptions import FairflipError
from ._app import _CLICK_ERRORS, app


def main(argv=None) -> int:
    """Entry point: input errors become one line on stderr and exit status 2.

    Usage errors (bad option values, unknown commands) get the same one-line treatment.
    """
    # Inside main: the command modules import the library lazily, and `fairflip.cli` stays
    # importable without registering them (the commands' modules import this one).
    from . import _advise, _core, _experiments, _methods, _report  # noqa: F401  (registers the commands)

    try:
        result = app(args=argv, prog_name="fairflip", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except _CLICK_ERRORS as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            typer.echo(exc.ctx.get_help() if exc.ctx else str(exc))
            return 0
        typer.echo(f"error: {' '.join(exc.format_message().split())}", err=True)
        return exc.exit_code
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except FairflipError as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        typer.echo(f"error: {message}", err=True)
        return 2
    except KeyboardInterrupt:
        typer.echo("error: interrupted", err=True)
        return 130
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
