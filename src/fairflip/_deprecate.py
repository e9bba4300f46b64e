"""Old parameter names kept for one release (see the Names table in docs/architecture.md)."""

from __future__ import annotations

import functools
import importlib
import warnings
from collections.abc import Callable

__all__ = ["moved_names", "renamed_params", "warn_moved", "warn_renamed"]

#: The release that drops the old names.
REMOVED_IN = "0.3"


def warn_renamed(old: str, new: str, where: str, *, stacklevel: int = 3) -> None:
    warnings.warn(f"The '{old}' parameter of {where} is deprecated and will be removed in "
                  f"fairflip {REMOVED_IN}; use '{new}' instead.", FutureWarning,
                  stacklevel=stacklevel)


def renamed_params(**old_to_new):
    """Accept ``old=`` keywords as ``new=`` with a FutureWarning.

    Examples
    --------
    >>> @renamed_params(seed="random_state")
    ... def f(*, random_state=0):
    ...     return random_state
    >>> f(random_state=3)
    3
    """
    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for old, new in old_to_new.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(f"{func.__name__}() got both '{old}' and '{new}'; "
                                        f"'{old}' is the deprecated name of '{new}'.")
                    warn_renamed(old, new, f"{func.__name__}()")
                    kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)
        return wrapper
    return decorate


def warn_moved(old: str, new: str, *, stacklevel: int = 3) -> None:
    warnings.warn(f"{old} is deprecated and will be removed in fairflip {REMOVED_IN}; import it "
                  f"from {new} instead.", FutureWarning, stacklevel=stacklevel)


def moved_names(module: str, new_homes: dict[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` (PEP 562) for names that moved: ``{name: new module}``.

    The warning comes when a moved name is used, not when the old module is imported, so
    collecting doctests with warnings as errors imports every old path silently. The objects
    are the new module's own, so pickles that name the old path still load.

    Examples
    --------
    >>> import warnings
    >>> import fairflip.relabel
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     cls = fairflip.relabel.CollectiveRelabeler
    >>> cls is fairflip.CollectiveRelabeler, caught[0].category.__name__
    (True, 'FutureWarning')
    """
    homes = dict(new_homes)

    def __getattr__(name: str):
        if name not in homes:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        warn_moved(f"{module}.{name}", homes[name])
        # importlib, not an import statement: an old path is a shim, not a layer's dependency.
        return getattr(importlib.import_module(homes[name]), name)

    return __getattr__
