"""The paper's Figure 1 on its own toy: each scorer's top 6 flips, before and after.

Protocol, fixed before any flip was evaluated:

- data: :func:`fairflip.data.make_figure1_toy` with its calibrated defaults, one draw of the
  160 plotted points per seed;
- collective: the whole minority (alpha = 1, as in the figure, where the ringed flips are
  picked among all the minority's negatives); its candidates are the minority's negatives;
- knowledge: every majority row (the scorers' reference rows); rb-label and rb-dist use
  ``k = 3``, the paper's illustration; the oracle ranks by the known counterfactual
  probability ``P0(Y = 1 | g(x))``;
- flips: each scorer's top 6 (ties by row order), labels 0 -> 1;
- firm: logistic regression (:func:`fairflip.firm.make_model`) on the two coordinates, as the
  figure's drawn boundary shows (one straight line per panel); ``group_aware=True`` adds the
  group indicator as a third feature;
- scored (a) on the plotted points, as the figure is: the firm trains and is judged on the
  same 160 points, against their original labels (``error`` and ``eqod``; ``error_seen`` is
  the error against the labels the firm trained on, flips included); (b) on a population of
  20,000 rows from the same distribution (a fresh draw per seed);
- seeds 0-19; the figure drawn by :func:`figure1_fits` is seed 0 with rb-prob.

The paper's bars: error 0.15 -> 0.15, EqOd ("unfairness") 0.13 -> 0.03.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._names import SCORER_NAMES
from .._seeding import sub_seed
from ..data import make_figure1_toy
from ..exceptions import ConfigError
from ..learning import make_model
from ..metrics import fairness_report
from ..scorers import make_scorer

__all__ = ["FIGURE1_FIGURE", "FIGURE1_FLIPS", "FIGURE1_K", "FIGURE1_SEEDS",
           "FIGURE1_STUDY_COLUMNS", "figure1_fits", "figure1_runs", "figure1_study"]

FIGURE1_SEEDS = tuple(range(20))
FIGURE1_FLIPS = 6
FIGURE1_K = 3
#: Drawn as the figure: seed and scorer fixed before any flip was evaluated.
FIGURE1_FIGURE = {"seed": 0, "scorer": "rb-prob"}
_POPULATION = 20_000

_METRICS = ("base_error", "base_eqod", "error", "eqod", "error_seen", "pop_base_error",
            "pop_base_eqod", "pop_error", "pop_eqod", "cf_positive_share")
_RUN_COLUMNS = ("seed", "scorer", "n_flips", "group_aware", *_METRICS)
#: Columns of :func:`figure1_study`: per metric its mean and standard deviation over seeds.
FIGURE1_STUDY_COLUMNS = ("scorer", "n_seeds", "n_flips", "group_aware",
                         *(f"{m}_{s}" for m in _METRICS for s in ("mean", "sd")))


def _design(problem, group_aware: bool) -> np.ndarray:
    X = problem.features.to_numpy(dtype=np.float64)
    return np.column_stack([X, problem.group]) if group_aware else X


def _top_flips(problem, scorer: str, *, flips: int, k: int, seed: int) -> np.ndarray:
    """Row positions of the scorer's top ``flips`` among the minority's negatives."""
    X = problem.features.to_numpy(dtype=np.float64)
    known = problem.group == 0
    candidates = np.flatnonzero((problem.group == 1) & (problem.y == 0))
    model = make_scorer(scorer, k=k, counterfactual_proba=problem.counterfactual.proba,
                        random_state=sub_seed(seed, "figure1-random-scorer"))
    model.fit(X[known], problem.y[known])
    scores = model.score(X[candidates], index=candidates)
    order = np.argsort(-scores, kind="stable")
    return candidates[order[:min(flips, candidates.size)]]


def _check(seeds, scorers, flips, k):
    seeds = tuple(seeds)
    if not seeds or not all(isinstance(s, (int, np.integer)) and not isinstance(s, bool)
                            for s in seeds):
        raise ConfigError(f"The 'seeds' parameter must be a non-empty list of ints. "
                          f"Got {seeds!r} instead.")
    scorers = (scorers,) if isinstance(scorers, str) else tuple(scorers)
    bad = [s for s in scorers if s not in SCORER_NAMES]
    if not scorers or bad:
        raise ConfigError(f"The 'scorers' parameter must list names from "
                          f"{', '.join(SCORER_NAMES)}. Got {list(scorers)!r} instead.")
    for name, value in (("flips", flips), ("k", k)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
            raise ConfigError(f"The '{name}' parameter must be an integer >= 1. "
                              f"Got {value!r} instead.")
    return seeds, scorers


def figure1_runs(seeds=FIGURE1_SEEDS, *, scorers=SCORER_NAMES, flips=FIGURE1_FLIPS,
                 k=FIGURE1_K, group_aware=False, population=_POPULATION,
                 params=None) -> pd.DataFrame:
    """One row per (seed, scorer): the firm before and after the scorer's top flips.

    Parameters
    ----------
    seeds : iterable of int, default=0..19
        One toy (the plotted points) and one population per seed.
    scorers : iterable of str, default=all five
        Names for :func:`fairflip.scorers.make_scorer`.
    flips : int, default=6
        Flips per scorer (fewer when the minority has fewer negatives).
    k : int, default=3
        Neighbours of rb-label and rb-dist.
    group_aware : bool, default=False
        Give the firm the group indicator as a third feature.
    population : int, default=20000
        Rows of each seed's population.
    params : dict, optional
        Generator parameters overriding :data:`fairflip.data.FIGURE1_PARAMS` (a sensitivity
        check; the study's numbers use the calibrated defaults).

    Returns
    -------
    DataFrame
        Columns ``seed, scorer, n_flips, group_aware``; on the plotted points ``base_error,
        base_eqod, error, eqod`` (original labels) and ``error_seen`` (labels with the
        flips); on the population ``pop_base_error, pop_base_eqod, pop_error, pop_eqod``;
        ``cf_positive_share``: share of the flipped rows whose counterfactual label is 1.
    """
    seeds, scorers = _check(seeds, scorers, flips, k)
    params = dict(params or {})
    if "n_points" in params:
        raise ConfigError("The 'params' parameter must not set 'n_points': the plotted points "
                          "are the figure's 160 and 'population' sizes the population.")
    rows = []
    for seed in seeds:
        toy = make_figure1_toy(random_state=seed, **params)
        pop = make_figure1_toy(n_points=population,
                               random_state=sub_seed(seed, "figure1-population"), **params)
        X, X_pop = _design(toy, group_aware), _design(pop, group_aware)
        base = make_model("logreg").fit(X, toy.y)
        base_rep = fairness_report(toy.y, base.predict(X), toy.group)
        base_pop = fairness_report(pop.y, base.predict(X_pop), pop.group)
        for scorer in scorers:
            flipped = _top_flips(toy, scorer, flips=flips, k=k, seed=seed)
            labels = toy.y.copy()
            labels[flipped] = 1
            model = make_model("logreg").fit(X, labels)
            pred = model.predict(X)
            rep = fairness_report(toy.y, pred, toy.group)
            rep_pop = fairness_report(pop.y, model.predict(X_pop), pop.group)
            rows.append({
                "seed": int(seed), "scorer": scorer, "n_flips": int(flipped.size),
                "group_aware": bool(group_aware),
                "base_error": base_rep["error"], "base_eqod": base_rep["eqod"],
                "error": rep["error"], "eqod": rep["eqod"],
                "error_seen": float(np.mean(pred != labels)),
                "pop_base_error": base_pop["error"], "pop_base_eqod": base_pop["eqod"],
                "pop_error": rep_pop["error"], "pop_eqod": rep_pop["eqod"],
                "cf_positive_share": (float(toy.counterfactual.label[flipped].mean())
                                      if flipped.size else float("nan")),
            })
    return pd.DataFrame(rows, columns=list(_RUN_COLUMNS))


def figure1_study(seeds=FIGURE1_SEEDS, **options) -> pd.DataFrame:
    """One row per scorer: means and standard deviations over seeds of :func:`figure1_runs`.

    Parameters
    ----------
    seeds : iterable of int, default=0..19
    **options
        ``scorers``, ``flips``, ``k``, ``group_aware``, ``population``, ``params`` as for
        :func:`figure1_runs`.

    Returns
    -------
    DataFrame
        Columns :data:`FIGURE1_STUDY_COLUMNS` (``n_flips`` is the smallest over seeds; the
        standard deviation is the sample one, ``ddof=1``, NaN for one seed), scorers in the
        order given.

    Examples
    --------
    >>> table = figure1_study([0], scorers=["oracle"], population=500)
    >>> table[["scorer", "n_seeds", "n_flips"]].to_dict("records")
    [{'scorer': 'oracle', 'n_seeds': 1, 'n_flips': 6}]
    """
    runs = figure1_runs(seeds, **options)
    grouped = runs.groupby("scorer", sort=False)
    table = grouped[list(_METRICS)].agg(["mean", "std"])
    table.columns = [f"{m}_{'sd' if s == 'std' else s}" for m, s in table.columns]
    table.insert(0, "group_aware", grouped["group_aware"].first())
    table.insert(0, "n_flips", grouped["n_flips"].min())
    table.insert(0, "n_seeds", grouped["seed"].nunique())
    return table.reset_index()[list(FIGURE1_STUDY_COLUMNS)]


def figure1_fits(seed: int = FIGURE1_FIGURE["seed"], scorer: str = FIGURE1_FIGURE["scorer"],
                 *, flips=FIGURE1_FLIPS, k=FIGURE1_K, group_aware=False) -> dict:
    """What :func:`fairflip.plotting.plot_figure1` draws: one toy, its flips, both firms.

    Returns
    -------
    dict
        ``X`` (n, 2), ``y`` (original labels), ``group``, ``flipped`` (row positions), and
        ``before`` / ``after``: the firm's ``coef`` (2 or 3 values), ``intercept``, and its
        ``error`` and ``eqod`` on the plotted points against the original labels; ``title``.
    """
    _check([seed], [scorer], flips, k)
    toy = make_figure1_toy(random_state=seed)
    X = _design(toy, group_aware)
    flipped = _top_flips(toy, scorer, flips=flips, k=k, seed=seed)
    labels = toy.y.copy()
    labels[flipped] = 1
    fits = {}
    for key, y in (("before", toy.y), ("after", labels)):
        model = make_model("logreg").fit(X, y)
        rep = fairness_report(toy.y, model.predict(X), toy.group)
        fits[key] = {"coef": model.coef_.ravel().copy(), "intercept": float(model.intercept_[0]),
                     "error": rep["error"], "eqod": rep["eqod"]}
    return {"X": toy.features.to_numpy(dtype=np.float64), "y": toy.y, "group": toy.group,
            "flipped": flipped, **fits,
            "title": f"Figure-1 toy, seed {seed}: {scorer}'s top {flipped.size} flips "
                     f"(scored on the plotted points)"}
