"""Old parameter names kept for one release (see the Names table in docs/architecture.md)."""

from __future__ import annotations

import functools
import warnings

__all__ = ["renamed_params", "warn_renamed"]

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
