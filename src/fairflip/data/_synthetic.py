"""Synthetic data from a structural causal model whose counterfactuals are known.

The model (A the group, U the other causes, X the features, Y the label)::

    A = 1 for a random round(minority_share * n_rows) rows (the minority, the acting group)
    U ~ N(0, I_d)
    X = U + isolation * A * s              s = (1, ..., 1) / sqrt(d), a fixed unit direction
    Y ~ Bernoulli(sigmoid(w . U + b - label_bias * A))

so ``isolation`` is how far the minority sits from the majority in feature space and
``label_bias`` how much less often it receives the favourable label. The counterfactual
``g(x) = x_{A <- 0}`` is ``U``; the majority's label probability there is
``sigmoid(w . U + b)`` and the counterfactual label is that probability ``>= 0.5``.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.utils import check_random_state

from ..exceptions import ConfigError
from ._common import build_problem
from ._problem import Counterfactual, Problem

__all__ = ["make_synthetic", "make_toy2d"]

# Norm of the label weights: a Bayes error near 0.2, like the tabular benchmarks.
_WEIGHT_NORM = 2.0


def _check_int(value, *, name: str, low: int) -> int:
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < low:
        raise ConfigError(
            f"The '{name}' parameter must be an integer >= {low}. Got {value!r} instead."
        )
    return int(value)


def _check_real(value, *, name: str, rule: str, ok) -> float:
    if (not isinstance(value, numbers.Real) or isinstance(value, bool)
            or not np.isfinite(value) or not ok(value)):
        raise ConfigError(f"The '{name}' parameter must be {rule}. Got {value!r} instead.")
    return float(value)


def _scm(n_rows, n_features, minority_share, label_bias, isolation, rng, weights, intercept,
         name):
    if weights is None:
        # Drawn before the rows so a seed fixes the model whatever n_rows is.
        weights = rng.standard_normal(n_features)
        weights *= _WEIGHT_NORM / np.linalg.norm(weights)
        intercept = float(rng.uniform(-0.5, 0.5))
    weights = np.asarray(weights, dtype=float)
    # An exact count (not Bernoulli draws) so tiny samples still hold both groups.
    n_minority = int(np.clip(round(minority_share * n_rows), 1, n_rows - 1))
    a = np.zeros(n_rows, dtype=np.int8)
    a[rng.permutation(n_rows)[:n_minority]] = 1
    u = rng.standard_normal((n_rows, n_features))
    shift = np.full(n_features, 1.0 / np.sqrt(n_features))
    x = u + isolation * a[:, None] * shift
    logit_cf = u @ weights + intercept
    y = rng.random(n_rows) < expit(logit_cf - label_bias * a)
    columns = [f"x{j}" for j in range(n_features)]
    proba_cf = expit(logit_cf)
    counterfactual = Counterfactual(
        features=pd.DataFrame(u, columns=columns),
        proba=proba_cf,
        label=(proba_cf >= 0.5).astype(np.int8),
    )
    return build_problem(
        name, pd.DataFrame(x, columns=columns), y, a, sensitive="group",
        acting_label="minority (A=1)", other_label="majority (A=0)",
        counterfactual=counterfactual,
        info={
            "source": "synthetic structural causal model (fairflip.data.make_synthetic)",
            "params": {"n_rows": n_rows, "n_features": n_features,
                       "minority_share": minority_share, "label_bias": label_bias,
                       "isolation": isolation},
            "weights": weights.tolist(),
            "intercept": float(intercept),
            "shift": shift.tolist(),
        },
    )


def make_synthetic(
    *,
    n_rows: int = 5000,
    n_features: int = 5,
    minority_share: float = 0.2,
    label_bias: float = 1.5,
    isolation: float = 1.0,
    random_state=0,
) -> Problem:
    """Draw a data set from the module's structural causal model, with its counterfactuals.

    Parameters
    ----------
    n_rows : int, default=5000
        Number of rows (at least 10).
    n_features : int, default=5
        Dimension ``d`` of ``U`` and ``X`` (at least 1).
    minority_share : float, default=0.2
        Share of rows in the minority (the acting group), strictly between 0 and 1; the
        minority has exactly ``round(minority_share * n_rows)`` rows (at least one, and at
        least one majority row).
    label_bias : float, default=1.5
        How much the minority's log-odds of the favourable label are lowered; 0 means no
        bias, a negative value favours the minority.
    isolation : float, default=1.0
        Distance (>= 0) the minority's features are shifted along a fixed unit direction.
    random_state : int, RandomState instance or None, default=0
        Fixes the label weights ``w``, ``b`` (drawn first) and then the rows. The default is
        a fixed seed, so ``load_dataset("synthetic")`` is the same data in every process
        (sweeps vary the split and the collective, not the population).

    Returns
    -------
    Problem
        Features ``x0 .. x{d-1}``, ``sensitive="group"``, and a :class:`Counterfactual`:
        features ``U`` (equal to the factual features for majority rows), ``proba =
        sigmoid(w . U + b)`` and ``label = proba >= 0.5``. ``info`` records ``w``, ``b``
        and the shift direction.
    """
    n_rows = _check_int(n_rows, name="n_rows", low=10)
    n_features = _check_int(n_features, name="n_features", low=1)
    minority_share = _check_real(minority_share, name="minority_share",
                                 rule="strictly between 0 and 1", ok=lambda v: 0 < v < 1)
    label_bias = _check_real(label_bias, name="label_bias", rule="a finite number",
                             ok=lambda v: True)
    isolation = _check_real(isolation, name="isolation", rule="a finite number >= 0",
                            ok=lambda v: v >= 0)
    rng = check_random_state(random_state)
    return _scm(n_rows, n_features, minority_share, label_bias, isolation, rng, None, None,
                "synthetic")


# Fixed so the picture (and the counterfactual boundary) is the same for every seed.
_TOY_WEIGHTS = (2.0, 1.0)
_TOY_INTERCEPT = 0.0


def make_toy2d(*, n_rows=300, random_state=0) -> Problem:
    """A small two-dimensional, two-group Gaussian toy of our own (not the paper's Figure 1).

    The paper's Figure-1 toy, with the geometry read off the figure, is
    :func:`fairflip.data.make_figure1_toy`.

    300 rows (20 % minority) from the same causal model as :func:`make_synthetic` with
    ``w = (2, 1)``, ``b = 0``, ``label_bias = 2`` and ``isolation = 1``; logistic regression
    on it shows a clear equalized-odds gap that a handful of minority flips shrinks.

    Parameters
    ----------
    n_rows : int, default=300
        Rows to draw; a large draw with another seed is a fresh test population.
    random_state : int, RandomState instance or None, default=0
        Draws the rows (the model itself is fixed).

    Returns
    -------
    Problem
        With a :class:`Counterfactual`, as for :func:`make_synthetic`.
    """
    rng = check_random_state(random_state)
    n_rows = _check_int(n_rows, name="n_rows", low=10)
    return _scm(n_rows, 2, 0.2, 2.0, 1.0, rng, _TOY_WEIGHTS, _TOY_INTERCEPT, "toy2d")
