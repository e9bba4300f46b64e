"""Seeds derived from a base seed and a name, so every random draw is reproducible on its own.

A cell of a sweep draws its split, collective, knowledge and random scorer from seeds that
depend only on the cell's own keys, never on which other cells run or in what order.
"""

from __future__ import annotations

import hashlib

__all__ = ["sub_seed"]


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
