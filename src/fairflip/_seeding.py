"""Seeds derived from a base seed and a name, so every random draw is reproducible on its own.

A cell of a sweep draws its split, collective, knowledge and random scorer from seeds that
depend only on the cell's own keys, never on which other cells run or in what order.
"""

from __future__ import annotations

import hashlib

from .exceptions import ConfigError

__all__ = ["resolve_seed", "sub_seed"]


def resolve_seed(random_state) -> int:
    """A base seed from a scikit-learn ``random_state``: an int is kept; None or a
    ``RandomState`` draws one (so None gives a fresh run, as in scikit-learn).

    Examples
    --------
    >>> resolve_seed(7)
    7
    """
    # numpy and scikit-learn load here, not with the module: `import fairflip` stays light.
    import numpy as np
    from sklearn.utils import check_random_state

    if isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool):
        return int(random_state)
    try:
        rng = check_random_state(random_state)
    except ValueError:
        raise ConfigError(f"The 'random_state' parameter must be an int, a RandomState or None. "
                          f"Got {random_state!r} instead.") from None
    return int(rng.randint(np.iinfo(np.int32).max))


def sub_seed(seed: int, *keys) -> int:
    """A 31-bit seed determined by ``seed`` and ``keys`` (stable across processes).

    Examples
    --------
    >>> sub_seed(0, "split") == sub_seed(0, "split")
    True
    >>> sub_seed(0, "split") != sub_seed(1, "split")
    True
    """
    text = "|".join([str(int(seed)), *map(str, keys)])
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little") >> 1
