"""The typer application and its error boundary."""

from __future__ import annotations

import sys

import typer

from ..exceptions import FairflipError

app = typer.Typer(
    name="fairflip",
    help="Minority collective action for fairness: plan who relabels, simulate the firm.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def fail(message: str, code: int = 2):
    """Print one line to stderr and exit non-zero (no traceback)."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def main(argv=None) -> int:
    """Entry point: input errors become one line on stderr and exit status 2."""
    from . import _core, _experiments  # noqa: F401  (registers the commands)

    try:
        app(args=argv, standalone_mode=False)
    except FairflipError as exc:
        typer.echo(f"error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}", err=True)
        return 2
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        typer.echo("error: aborted", err=True)
        return 130
    except KeyboardInterrupt:
        typer.echo("error: interrupted", err=True)
        return 130
    except Exception as exc:  # click's usage errors and the like
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            return exc.exit_code
        raise
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
