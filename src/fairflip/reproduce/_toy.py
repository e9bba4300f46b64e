"""The paper's toy example (Figure 1): a firm trained on 300 rows, judged on its population.

300 test rows would give an EqOd that moves by 0.1 with one prediction, so the firm trained on
``make_toy2d(random_state=seed)`` is evaluated on a fresh draw of 20,000 rows from the same
causal model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._names import SCORER_NAMES
from .._seeding import sub_seed
from ..collective import rank_collective
from ..data import Split, TabularEncoder, make_toy2d
from ..firm import train_firm
from ..learning import flip_labels
from ..metrics import fairness_report

__all__ = ["TOY_FIGURE", "TOY_METHODS", "TOY_SEEDS", "toy_experiment", "toy_figure_inputs",
           "toy_split"]

TOY_METHODS = SCORER_NAMES
# Fixed before any toy run, in both modes: 20 seeds (each a fresh 300-row toy and a fresh
# 20,000-row population); Figure 1 shows seed 0 with rb-prob at the paper's 6 flips.
TOY_SEEDS = tuple(range(20))
TOY_FIGURE = {"seed": 0, "method": "rb-prob"}
_POPULATION = 20_000


def toy_split(seed: int) -> Split:
    """Train: the 300-row toy for ``seed``; test: a fresh 20,000-row draw."""
    train = make_toy2d(random_state=seed)
    test = make_toy2d(n_rows=_POPULATION, random_state=sub_seed(seed, "toy-population"))
    encoder = TabularEncoder().fit(train.features)

    def encode(problem):
        return np.column_stack([encoder.transform(problem.features), problem.group])

    X_test_cf = np.column_stack([encoder.transform(test.counterfactual.features),
                                 np.zeros(test.n_rows)])
    return Split(X_train=encode(train), y_train=train.y, g_train=train.group,
                 X_test=encode(test), y_test=test.y, g_test=test.group,
                 train_ids=np.arange(train.n_rows), test_ids=np.arange(test.n_rows),
                 feature_names=(*encoder.feature_names_, "group"), group_column=2,
                 X_test_cf=X_test_cf, p_train_cf=train.counterfactual.proba,
                 y_train_cf=train.counterfactual.label)


def _fit(split: Split, labels, seed):
    return train_firm(split.X_train, labels, random_state=sub_seed(seed, "model"))


def toy_experiment(seeds, *, max_flips=10, methods=TOY_METHODS, alpha=1.0) -> pd.DataFrame:
    """Rows (dataset, family, method, seed, n_flips, error, eqod, base_error, base_eqod)."""
    rows = []
    for seed in seeds:
        split = toy_split(seed)
        base = fairness_report(split.y_test, _fit(split, split.y_train, seed).predict(split.X_test),
                               split.g_test)
        for method in methods:
            ranking = rank_collective(split.scoring_view(split.X_train), split.y_train,
                                      split.g_train, method=method, alpha=alpha, k=3,
                                      counterfactual_proba=split.p_train_cf, random_state=seed)
            for n in range(min(max_flips, ranking.n_candidates) + 1):
                labels = flip_labels(split.y_train, ranking.ranked[:n])
                rep = fairness_report(split.y_test, _fit(split, labels, seed).predict(split.X_test),
                                      split.g_test)
                rows.append({"dataset": "toy2d", "family": "collective", "method": method,
                             "seed": seed, "n_flips": n, "error": rep["error"], "eqod": rep["eqod"],
                             "base_error": base["error"], "base_eqod": base["eqod"]})
    return pd.DataFrame(rows)


def toy_figure_inputs(flips: int = 6, seed: int = 0, method: str = "rb-prob") -> dict:
    """Arguments of :func:`fairflip.plotting.plot_toy` for the seed-0 toy."""
    split = toy_split(seed)
    ranking = rank_collective(split.scoring_view(split.X_train), split.y_train, split.g_train,
                              method=method, alpha=1.0, k=3, random_state=seed)
    flipped = ranking.flipped(min(flips, ranking.n_candidates))
    labels = flip_labels(split.y_train, flipped)
    fits = {}
    for key, y in (("before", split.y_train), ("after", labels)):
        model = _fit(split, y, seed)
        rep = fairness_report(split.y_test, model.predict(split.X_test), split.g_test)
        fits[key] = {"coef": model.coef_.ravel(), "intercept": float(model.intercept_[0]),
                     "error": rep["error"], "eqod": rep["eqod"]}
    return {"X": split.X_train[:, :2], "y": split.y_train, "group": split.g_train,
            "flipped_idx": flipped, **fits,
            "title": f"toy2d seed {seed}: {flipped.size} {method} flips (tested on 20,000 rows)"}
