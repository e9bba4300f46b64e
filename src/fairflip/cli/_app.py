"""The typer application every command module registers on."""

from __future__ import annotations

import typer


def _click_errors() -> tuple:
    """Usage-error classes of whichever click typer runs on.

    Recent typer ships its own copy (``typer._click``) and does not install click; older
    typer uses click itself. Either or both may be importable.
    """
    found = []
    for module in ("typer._click.exceptions", "click.exceptions"):
        try:
            found.append(__import__(module, fromlist=["ClickException"]).ClickException)
        except ImportError:
            continue
    return tuple(found)


_CLICK_ERRORS = _click_errors()

app = typer.Typer(
    name="fairflip",
    help="Minority collective action for fairness: plan who relabels, simulate the firm.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
