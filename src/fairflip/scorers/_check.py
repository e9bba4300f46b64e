"""``check_scorer``: the scorer contract as a public check (as scikit-learn's
``check_estimator``), with no dependency on pytest.

Each rule runs on a small fixed problem; the first broken rule raises an
:class:`AssertionError` whose message starts with ``check_scorer: rule '<rule>'`` and says
what was seen. A scorer that is not a :class:`BaseScorer` instance raises
:class:`~fairflip.exceptions.ConfigError`.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import clone

from ..exceptions import ConfigError
from ._base import BaseScorer

__all__ = ["SCORER_RULES", "check_scorer"]

#: The rules :func:`check_scorer` checks, in order.
SCORER_RULES = (
    "clone round-trips",
    "finite scores of the right shape",
    "inputs not mutated",
    "same scores for the same random_state",
    "row-order invariance (deterministic scorers)",
)


def check_data(random_state=0, n_known=80, n_candidates=30, n_features=4):
    """The check's problem: known rows of both labels, candidates, their row positions.

    ``index`` is ``arange(n_candidates)``: a scorer reading a per-row array (the oracle's
    counterfactual probabilities) needs one of at least ``n_candidates`` rows.
    """
    rng = np.random.default_rng(random_state)
    X_known = rng.normal(size=(n_known, n_features))
    y_known = (X_known[:, 0] + 0.5 * rng.normal(size=n_known) > 0).astype(np.int64)
    y_known[:2] = (0, 1)  # both labels, whatever the draw
    X = rng.normal(size=(n_candidates, n_features)) - 0.3
    index = np.arange(n_candidates)
    return X_known, y_known, X, index


def _fail(rule, scorer, what):
    raise AssertionError(f"check_scorer: rule '{rule}' broken by {type(scorer).__name__}: {what}")


def _seeded(scorer, seed=0):
    est = clone(scorer)
    if "random_state" in est.get_params(deep=False) and est.get_params(deep=False)[
            "random_state"] is None:
        est.set_params(random_state=seed)
    return est


def _run(scorer, X_known, y_known, X, index):
    # Fresh copies: a scorer that mutates its inputs must not change the other rules' data.
    X_known, y_known, X, index = (a.copy() for a in (X_known, y_known, X, index))
    return np.asarray(scorer.fit(X_known, y_known).score(X, index=index))


def _same_params(a, b) -> bool:
    import joblib

    pa, pb = a.get_params(deep=False), b.get_params(deep=False)
    return pa.keys() == pb.keys() and all(
        joblib.hash(pa[key]) == joblib.hash(pb[key]) for key in pa)


def check_scorer(scorer, *, random_state=0) -> None:
    """Check that ``scorer`` keeps the scorer contract; raise on the first broken rule.

    The rules (:data:`SCORER_RULES`):

    - *clone round-trips*: ``sklearn.base.clone`` gives a scorer with the same parameters
      (``__init__`` stores its arguments unchanged), and a clone of a fitted scorer is an
      unfitted copy with the same parameters;
    - *finite scores of the right shape*: :meth:`~BaseScorer.score` returns one finite
      float per candidate row;
    - *inputs not mutated*: fitting and scoring leave ``X_known``, ``y_known``, ``X`` and
      ``index`` as they were;
    - *same scores for the same random_state*: two fits of clones with the same parameters
      (a ``random_state`` left at None set to 0 in both) give the same scores;
    - *row-order invariance*: for a scorer that declares ``deterministic = True``, permuting
      the candidates (rows of ``X`` and ``index`` together) permutes the scores the same way.

    Parameters
    ----------
    scorer : BaseScorer
        An unfitted scorer instance (it is cloned; the instance is left untouched).
    random_state : int, default=0
        Seed of the check's small problem.

    Raises
    ------
    AssertionError
        Naming the broken rule and what was seen.
    ConfigError
        ``scorer`` is not a BaseScorer instance.

    Examples
    --------
    >>> from fairflip.scorers import RBLabelScorer
    >>> check_scorer(RBLabelScorer(k=3))
    """
    if not isinstance(scorer, BaseScorer):
        raise ConfigError(f"The 'scorer' parameter must be a BaseScorer instance. Got "
                          f"{type(scorer).__name__} instead.")
    X_known, y_known, X, index = check_data(random_state)
    n = X.shape[0]

    rule = SCORER_RULES[0]
    try:
        copy = clone(scorer)
    except Exception as exc:  # noqa: BLE001 - any failure to clone breaks the rule
        _fail(rule, scorer, f"sklearn.base.clone raised {type(exc).__name__}: {exc}")
    if not _same_params(copy, scorer):
        _fail(rule, scorer, "the clone's parameters differ from the original's")

    rule = SCORER_RULES[2]
    args = (X_known.copy(), y_known.copy(), X.copy(), index.copy())
    _seeded(scorer).fit(args[0], args[1]).score(args[2], index=args[3])
    for name, before, after in zip(("X_known", "y_known", "X", "index"),
                                   (X_known, y_known, X, index), args, strict=True):
        if not np.array_equal(before, after):
            _fail(rule, scorer, f"'{name}' changed during fit/score")

    rule = SCORER_RULES[1]
    first = _seeded(scorer)
    scores = _run(first, X_known, y_known, X, index)
    if scores.shape != (n,):
        _fail(rule, scorer, f"expected shape ({n},), got {scores.shape}")
    if not np.issubdtype(scores.dtype, np.number) or not np.isfinite(scores).all():
        _fail(rule, scorer, f"{int((~np.isfinite(scores)).sum())} of {n} scores are not finite")

    rule = SCORER_RULES[0]
    refit = clone(first)
    if not _same_params(refit, first) or hasattr(refit, "is_fitted_"):
        _fail(rule, scorer, "a clone of the fitted scorer is not an unfitted copy")

    rule = SCORER_RULES[3]
    again = _run(_seeded(scorer), X_known, y_known, X, index)
    if not np.array_equal(again, scores):
        _fail(rule, scorer, f"{int((again != scores).sum())} of {n} scores differ between two "
                            "fits with the same random_state")

    rule = SCORER_RULES[4]
    if getattr(scorer, "deterministic", False):
        perm = np.random.default_rng(random_state + 1).permutation(n)
        permuted = _run(_seeded(scorer), X_known, y_known, X[perm], index[perm])
        if not np.allclose(permuted, scores[perm], rtol=1e-9, atol=1e-12):
            _fail(rule, scorer, "permuting the candidates changed their scores (the class "
                                "declares deterministic = True)")
