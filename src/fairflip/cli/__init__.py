"""The ``fairflip`` command line: argument parsing only; the library does the work."""

from ._app import app
from ._main import main

__all__ = ["app", "main"]
