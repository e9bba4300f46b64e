"""A seeded, synthetic stand-in for image embeddings (NOT Waterbirds, NOT real embeddings).

The paper runs Waterbirds on image embeddings, which are not reachable here. This generator
makes data of the same *shape*: wide (512 by default), float32, unit-norm rows that live near
a low-dimensional subspace, a minority group whose rows sit in their own region (a
"background" direction, as a spurious attribute would) and receive the favourable label less
often. It exists to exercise the k-NN scorers and the neighbour search at that width; its
numbers say nothing about Waterbirds.

The model, with ``r`` latent dimensions (``latent_dim``) and ``d`` output dimensions::

    A = 1 for round(minority_share * n_rows) random rows (the acting group)
    Z ~ N(0, I_r)                                         latent content
    Y ~ Bernoulli(sigmoid(w . Z + b - label_bias * A))    ||w|| = 2
    E = (Z + isolation * A * s) P + noise * N(0, I_d)     P: r x d, orthonormal rows
    X = E / ||E||                                         float32, unit rows
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.utils import check_random_state

from .._seeding import resolve_seed
from ..exceptions import ConfigError
from ._common import build_problem
from ._problem import Problem

__all__ = ["make_embedding_toy", "EMBEDDING_DESCRIPTION"]

EMBEDDING_DESCRIPTION = "synthetic 512-d stand-in for image embeddings (not Waterbirds)"


def _check(value, name, *, integer, low, high=None):
    kind = numbers.Integral if integer else numbers.Real
    bad = (not isinstance(value, kind) or isinstance(value, bool) or not np.isfinite(value)
           or value < low or (high is not None and value > high))
    if bad:
        rule = f"{'an integer' if integer else 'a number'} >= {low}" + (
            "" if high is None else f" and <= {high}")
        raise ConfigError(f"The '{name}' parameter must be {rule}. Got {value!r} instead.")
    return int(value) if integer else float(value)


def make_embedding_toy(
    n_rows: int = 20_000,
    *,
    dim: int = 512,
    latent_dim: int = 16,
    minority_share: float = 0.2,
    label_bias: float = 1.0,
    isolation: float = 1.5,
    noise: float = 0.3,
    random_state=0,
) -> Problem:
    """Synthetic wide float32 embeddings with a minority group (a labelled stand-in).

    Parameters
    ----------
    n_rows : int, default=20000
    dim : int, default=512
        Embedding width.
    latent_dim : int, default=16
        Dimension of the subspace the rows live near (at most ``dim``).
    minority_share : float, default=0.2
        Share of rows in the acting group, in (0, 1).
    label_bias : float, default=1.0
        How much less often (on the logit scale) the minority gets the favourable label.
    isolation : float, default=1.5
        How far the minority sits from the majority along a fixed latent direction.
    noise : float, default=0.3
        Isotropic noise in the full ``dim`` dimensions.
    random_state : int, RandomState instance or None, default=0

    Returns
    -------
    Problem
        ``features`` is ``dim`` float32 columns ``e0``, ``e1``, ...; ``standardize=False``
        (the embedding's geometry is kept: the split stays float32 and unscaled; pass
        ``standardize=True`` to :func:`~fairflip.data.load_dataset` to scale it anyway).

    Examples
    --------
    >>> p = make_embedding_toy(n_rows=100, dim=32, random_state=0)
    >>> p.features.shape, str(p.features.dtypes.iloc[0]), p.standardize
    ((100, 32), 'float32', False)
    """
    n_rows = _check(n_rows, "n_rows", integer=True, low=20)
    dim = _check(dim, "dim", integer=True, low=2)
    latent_dim = _check(latent_dim, "latent_dim", integer=True, low=1, high=dim)
    share = _check(minority_share, "minority_share", integer=False, low=0.0, high=1.0)
    if not 0.0 < share < 1.0:
        raise ConfigError("The 'minority_share' parameter must be strictly between 0 and 1. "
                          f"Got {minority_share!r} instead.")
    label_bias = _check(label_bias, "label_bias", integer=False, low=0.0)
    isolation = _check(isolation, "isolation", integer=False, low=0.0)
    noise = _check(noise, "noise", integer=False, low=0.0)
    rng = check_random_state(resolve_seed(random_state))
    # The model (weights, subspace, direction) first, so a seed fixes it whatever n_rows is.
    w = rng.standard_normal(latent_dim)
    w *= 2.0 / np.linalg.norm(w)
    b = float(rng.uniform(-0.5, 0.5))
    P = np.linalg.qr(rng.standard_normal((dim, latent_dim)))[0].T  # r x d, orthonormal rows
    s = rng.standard_normal(latent_dim)
    s /= np.linalg.norm(s)
    n_min = int(np.clip(round(share * n_rows), 1, n_rows - 1))
    a = np.zeros(n_rows, dtype=np.int8)
    a[rng.choice(n_rows, n_min, replace=False)] = 1
    Z = rng.standard_normal((n_rows, latent_dim))
    y = (rng.random(n_rows) < expit(Z @ w + b - label_bias * a)).astype(np.int8)
    E = (Z + isolation * a[:, None] * s) @ P + noise * rng.standard_normal((n_rows, dim))
    E /= np.linalg.norm(E, axis=1, keepdims=True)
    features = pd.DataFrame(E.astype(np.float32), columns=[f"e{j}" for j in range(dim)],
                            copy=False)
    info = {"description": EMBEDDING_DESCRIPTION, "synthetic": True,
            "note": "synthetic data of embedding shape; not Waterbirds, not real embeddings"}
    return build_problem("embedding-synthetic", features, y, a, sensitive="group",
                         acting_label="minority", other_label="majority", info=info,
                         standardize=False)
