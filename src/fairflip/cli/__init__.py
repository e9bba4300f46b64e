"""The ``fairflip`` command line: argument parsing only; the library does the work.

Layer: the top; it may import everything. Its commands import the library inside the
command functions (each import says so), so ``fairflip --help`` starts fast.
"""

from ._app import app
from ._main import main

__all__ = ["app", "main"]
