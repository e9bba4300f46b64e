"""The advisor in the reproduction: its figures and the summary's section on budget choices.

The measurement rows and tables (regret, harm rate, error rise of each way of choosing a
budget) are pure pandas in :mod:`fairflip.analysis` (``advice_rows``, ``advice_table``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._seeding import sub_seed
from ..advisor import advise
from ..analysis import CHOICES
from ..collective import view_from_split
from ..data import split_problem
from ..experiments import problem_for
from ..learning import LOGREG_C, fit_flip_path, predict_columns
from ..metrics import equalized_odds_gap
from ..plotting import advice_figure, save_figure
from ..simulation import rank_split

__all__ = ["advice_section", "plot_advisor_figures"]

def plot_advisor_figures(datasets, out_dir, *, alpha=0.3, method="rb-prob", seed=0,
                         test_size=0.3) -> list:
    """``advisor_<data>``: the predicted curve and band over the firm's test curve, one seed."""

    paths = []
    for spec in datasets:
        problem = problem_for(spec)
        split = split_problem(problem, random_state=seed, test_size=test_size)
        r = rank_split(split, method=method, alpha=alpha, random_state=seed)
        view = view_from_split(split, members=r.members, known=r.known, alpha=alpha,
                               group_share=float(split.g_train.mean()))
        result = advise(view, order=np.searchsorted(r.members, r.ranked),
                        random_state=sub_seed(seed, "advise", alpha, method, "all"))
        coef, intercept = fit_flip_path(split.X_train, split.y_train, r.ranked, result.budgets,
                                        C=LOGREG_C)
        pred = predict_columns(split.X_test, coef, intercept)
        true = [equalized_odds_gap(split.y_test, p, split.g_test) for p in pred.T]
        fig = advice_figure(result, true_eqod=true, true_budgets=result.budgets,
                            title=f"{spec.name}: advisor's predicted EqOd (band 90 %) vs the "
                                  f"firm's test EqOd ({method}, alpha {alpha}, seed {seed})")
        paths += save_figure(fig, out_dir, f"advisor_{spec.name}")
    return paths


def advice_section(table: pd.DataFrame) -> str:
    """The summary's markdown section for :func:`advice_table` (knowledge ``all`` first)."""
    if table.empty:
        return ""
    lines = ["", "## Choosing the budget without hindsight (beyond the paper)", "",
             "Regret = test EqOd at the chosen budget minus the hindsight minimum (mean +- std "
             "over seeds); harm rate = share of seeds whose test EqOd at the chosen budget is "
             "above the base model's; error rise against the base model. The advisor sees only "
             "the collective's view; firm-validation uses the firm's own validation rows.", "",
             "| dataset | scorer | knowledge | choice | regret | harm rate | error rise | flips |",
             "|---|---|---|---|---|---|---|---|"]
    order = {c: i for i, c in enumerate(CHOICES)}
    table = table.assign(_k=table.knowledge != "all", _c=table.choice.map(order))
    for r in table.sort_values(["_k", "dataset", "method", "knowledge", "_c"]).itertuples():
        lines.append(f"| {r.dataset} | {r.method} | {r.knowledge} | {r.choice} | "
                     f"{r.regret:.4f} +- {r.regret_std:.4f} | {r.harm_rate:.2f} | "
                     f"{r.error_rise:+.4f} | {r.flips:.0f} |")
    return "\n".join(lines) + "\n"
