"""Many groups in the firm's simulation: per-group tables, spillover and coalitions.

For a multi-group problem, :func:`fairflip.simulation.evaluate` adds the metrics of
:func:`fairflip.metrics.multigroup_report` and :func:`group_table` (every group's rates
before and after, and the change of its own gap: the spillover of the acting group's flips on
the groups that did not act). :func:`evaluate_coalition` compares collectives in several
groups acting together with each group acting alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._deprecate import renamed_params
from .._names import DEFAULT_K
from .._record import RunRecord
from .._seeding import resolve_seed, sub_seed
from ..collective import parse_coalition, rank_coalition
from ..data import Problem, Split, split_problem
from ..exceptions import ConfigError
from ..firm import train_firm
from ..learning import flip_labels
from ..metrics import (
    MULTIGROUP_COLUMNS,
    fairness_report,
    group_gaps,
    multigroup_report,
    rates_by_groups,
)

__all__ = ["CoalitionEvaluation", "evaluate_coalition", "group_metrics", "group_table"]

MSG_NOT_MULTI = ("The {what} needs a problem with its full group column (a multi-group "
                 "problem: --sensitive race --acting-group VALUE, or --group COL1,COL2). "
                 "Got {name!r} with the binary groups {acting!r} vs {other!r} instead.")


def group_metrics(y_true, y_pred, labels) -> dict:
    """The numeric keys of :func:`multigroup_report` (:data:`MULTIGROUP_COLUMNS`)."""
    report = multigroup_report(y_true, y_pred, labels)
    return {key: report[key] for key in MULTIGROUP_COLUMNS}


def group_table(y_true, pred_before, pred_after, labels, acting_values) -> pd.DataFrame:
    """Every group's rates before and after, and the change of its own gap.

    Columns: ``group``, ``acting``, ``rows``, ``small``, then ``tpr``, ``fpr``,
    ``selection_rate``, ``error`` and ``gap`` (the group's EqOd against all other rows) with
    suffixes ``_before`` and ``_after``, and ``gap_change`` = after - before. For a group
    that did not act, a positive ``gap_change`` means the acting group's flips widened its
    gap: that is the spillover.
    """
    before = rates_by_groups(y_true, pred_before, labels)
    after = rates_by_groups(y_true, pred_after, labels)
    table = pd.DataFrame({"group": before.index, "acting": before.index.isin(list(acting_values)),
                          "rows": before["count"].astype(int).to_numpy(),
                          "small": before["small"].to_numpy()})
    for rate in ("tpr", "fpr", "selection_rate", "error"):
        table[f"{rate}_before"] = before[rate].to_numpy()
        table[f"{rate}_after"] = after[rate].to_numpy()
    table["gap_before"] = group_gaps(y_true, pred_before, labels).to_numpy()
    table["gap_after"] = group_gaps(y_true, pred_after, labels).to_numpy()
    table["gap_change"] = table["gap_after"] - table["gap_before"]
    return table


def require_multigroup(problem: Problem, what: str) -> None:
    """A one-line ConfigError unless ``problem`` keeps its full group column."""
    if not problem.is_multigroup:
        raise ConfigError(MSG_NOT_MULTI.format(what=what, name=problem.name,
                                               acting=problem.acting_label,
                                               other=problem.other_label))


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
            for row in frame.to_dict("records")]


@dataclass
class CoalitionEvaluation(RunRecord):
    """Test metrics of the untouched firm, the coalition acting together, and each group alone.

    ``before``, ``together`` and every ``alone[group]`` hold :func:`fairness_report` (the
    acting side is the union of the coalition's groups) plus :data:`MULTIGROUP_COLUMNS`;
    ``groups`` is :func:`group_table` of before vs together, as records.
    """

    sensitive: str
    coalition: dict
    n_flips: dict
    together: dict = field(default_factory=dict)
    alone: dict = field(default_factory=dict)
    groups: list = field(default_factory=list)


@renamed_params(include_group="group_feature")
def evaluate_coalition(problem: Problem, *, coalition, method="rb-prob", budget=0, random_state=0,
                       model="logreg", model_params=None, k=DEFAULT_K, knowledge="all",
                       reference_group=None, test_size=0.3,
                       group_feature=True) -> CoalitionEvaluation:
    """Train the firm untouched, with the whole coalition's flips, and with each group's alone.

    ``budget`` applies to each member group: a count, or a fraction of that group's
    candidates. Each group's collective is the one it would draw acting alone (same seeds),
    so "alone" is exactly the single-group collective with the shared knowledge pool.
    """

    require_multigroup(problem, "coalition")
    pairs = parse_coalition(coalition)
    seed = resolve_seed(random_state)
    split = split_problem(problem, random_state=seed, test_size=test_size,
                       group_feature=group_feature)
    ranking = rank_coalition(split.scoring_view(split.X_train), split.y_train, split.gv_train,
                             pairs, method=method, knowledge=knowledge, k=k,
                             reference_group=reference_group, random_state=seed)
    by_group = ranking.flipped_by_group(budget)
    members = [value for value, _ in pairs]
    acting_test = np.isin(split.gv_test, members).astype(np.int8)
    model_seed = sub_seed(seed, "model")

    def fit_predict(flipped):
        y_new = flip_labels(split.y_train, flipped)
        fitted = train_firm(split.X_train, y_new, model=model, model_params=model_params,
                            random_state=model_seed)
        return fitted.predict(split.X_test)

    def metrics(pred):
        return (fairness_report(split.y_test, pred, acting_test)
                | group_metrics(split.y_test, pred, split.gv_test))

    base = fit_predict(np.empty(0, dtype=np.intp))
    together = fit_predict(ranking.flipped(budget))
    alone = {value: metrics(fit_predict(flipped)) for value, flipped in by_group.items()}
    return CoalitionEvaluation(
        dataset=problem.name, sensitive=problem.sensitive, coalition=dict(pairs), method=method,
        seed=int(seed), n_flips={v: int(f.size) for v, f in by_group.items()},
        before=metrics(base), together=metrics(together), alone=alone,
        groups=_records(group_table(split.y_test, base, together, split.gv_test, members)),
    )


def evaluation_groups(split: Split, pred_before, pred_after, acting_values) -> list[dict]:
    """:func:`group_table` of a multi-group split as records (empty for a binary split)."""
    if split.gv_test is None:
        return []
    return _records(group_table(split.y_test, pred_before, pred_after, split.gv_test, acting_values))
