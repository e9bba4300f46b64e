"""The flip budgets of a collective unit: a grid over the pool expected at its alpha."""

from __future__ import annotations

import numpy as np

__all__ = ["budget_counts"]


def budget_counts(config, n_candidates: int, expected_pool: int | None = None):
    """(requested budgets, flips actually made) for a pool of ``n_candidates``.

    With ``budget_points`` the grid spans ``expected_pool`` (default: this pool). The sweep
    passes the pool size expected for the cell's alpha, which does not depend on the seed,
    so every seed gets the same requested budgets and they can be averaged; a requested
    count above a seed's actual pool flips the whole pool.
    """
    if config.budgets:
        requested = np.asarray(config.budgets, dtype=np.int64)
    else:
        pool = n_candidates if expected_pool is None else expected_pool
        top = int(np.floor(config.budget_max_fraction * pool + 0.5))
        requested = np.unique(np.linspace(0, top, config.budget_points).round().astype(np.int64))
    return requested, np.minimum(requested, n_candidates)
