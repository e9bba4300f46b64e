"""The organiser's plan from the collective's own tables."""

import numpy as np
import pandas as pd
import pytest
from sklearn.neighbors import NearestNeighbors

from fairflip.collective._plan import PLAN_COLUMNS
from fairflip.exceptions import ConfigError, DataError
from fairflip.organiser._tables import plan_from_tables


def tables(seed=0, n_members=30, n_major=60):
    rng = np.random.default_rng(seed)
    members = pd.DataFrame({
        "id": [f"m{i:02d}" for i in range(n_members)],
        "x1": rng.normal(size=n_members),
        "x2": rng.normal(size=n_members),
        "job": rng.choice(["a", "b", "c"], size=n_members),
        "y": rng.integers(0, 2, size=n_members),
    })
    majority = pd.DataFrame({
        "x1": rng.normal(size=n_major),
        "x2": rng.normal(size=n_major),
        "job": rng.choice(["a", "b", "c"], size=n_major),
        "y": rng.integers(0, 2, size=n_major),
    })
    return members, majority


@pytest.mark.parametrize("method", ["rb-label", "rb-dist", "rb-prob", "random"])
@pytest.mark.parametrize("budget", [0, 3, 0.5, 1.0])
def test_plan_lists_only_negative_members_and_flips_the_budget(method, budget):
    members, majority = tables()
    plan = plan_from_tables(members, label="y", majority=majority, id_column="id",
                            method=method, budget=budget, k=5, random_state=0)
    negatives = members.loc[members["y"] == 0, "id"]
    assert tuple(plan.columns) == PLAN_COLUMNS
    assert sorted(plan["member_id"]) == sorted(negatives)
    expected = budget if isinstance(budget, int) else int(np.floor(budget * len(negatives) + 0.5))
    assert int(plan["flip"].sum()) == expected
    assert plan["flip"].tolist() == sorted(plan["flip"].tolist(), reverse=True)
    assert plan["rank"].tolist() == list(range(1, len(plan) + 1))


def test_plan_without_id_column_uses_row_numbers():
    members, majority = tables()
    plan = plan_from_tables(members.drop(columns="id"), label="y", majority=majority,
                            budget=2, k=3)
    assert sorted(plan["member_id"]) == np.flatnonzero(members["y"] == 0).tolist()


def test_rb_label_scores_count_positive_neighbours_on_numeric_features():
    # Numeric only: the encoder standardises with statistics of both tables together.
    members, majority = tables(seed=1)
    members, majority = members.drop(columns="job"), majority.drop(columns="job")
    plan = plan_from_tables(members, label="y", majority=majority, id_column="id",
                            method="rb-label", budget=0, k=4)
    both = pd.concat([members[["x1", "x2"]], majority[["x1", "x2"]]])
    mu, sd = both.mean(), both.std(ddof=0)
    Z_major = ((majority[["x1", "x2"]] - mu) / sd).to_numpy()
    neg = members[members["y"] == 0]
    Z_neg = ((neg[["x1", "x2"]] - mu) / sd).to_numpy()
    _, idx = NearestNeighbors(n_neighbors=4, algorithm="brute").fit(Z_major).kneighbors(Z_neg)
    expected = dict(zip(neg["id"], majority["y"].to_numpy()[idx].sum(axis=1), strict=True))
    got = dict(zip(plan["member_id"], plan["score"], strict=True))
    assert got == pytest.approx(expected)


def test_plan_is_reproducible():
    members, majority = tables()
    a = plan_from_tables(members, label="y", majority=majority, method="random", budget=4, random_state=3)
    b = plan_from_tables(members, label="y", majority=majority, method="random", budget=4, random_state=3)
    pd.testing.assert_frame_equal(a, b)


def test_members_file_with_only_negative_labels():
    # A collective that gathers only its negatively labelled members is the common case;
    # its label column then holds a single value.
    members, majority = tables()
    negatives = members[members["y"] == 0].reset_index(drop=True)
    plan = plan_from_tables(negatives, label="y", majority=majority, id_column="id",
                            budget=2, k=3)
    assert sorted(plan["member_id"]) == sorted(negatives["id"])
    assert int(plan["flip"].sum()) == 2


def test_members_with_only_positive_labels_has_nothing_to_flip():
    members, majority = tables()
    positives = members[members["y"] == 1].reset_index(drop=True)
    with pytest.raises(DataError, match="no negatively labelled members"):
        plan_from_tables(positives, label="y", majority=majority, budget=0, k=3)


def one_line(exc_info):
    text = str(exc_info.value)
    assert text and "\n" not in text
    return text


def test_missing_label_column():
    members, majority = tables()
    with pytest.raises(DataError, match="'label_x'") as info:
        plan_from_tables(members, label="label_x", majority=majority)
    one_line(info)
    with pytest.raises(DataError, match="majority") as info:
        plan_from_tables(members, label="y", majority=majority.rename(columns={"y": "z"}))
    one_line(info)


def test_empty_members():
    members, majority = tables()
    with pytest.raises(DataError, match="empty") as info:
        plan_from_tables(members.iloc[:0], label="y", majority=majority)
    one_line(info)


@pytest.mark.parametrize("method", ["rb-label", "rb-dist", "rb-prob"])
def test_knowledge_methods_need_majority(method):
    members, majority = tables()
    for missing in (None, majority.iloc[:0]):
        with pytest.raises(ConfigError, match="majority") as info:
            plan_from_tables(members, label="y", majority=missing, method=method)
        one_line(info)


def test_random_needs_no_majority():
    members, _ = tables()
    plan = plan_from_tables(members, label="y", method="random", budget=1)
    assert int(plan["flip"].sum()) == 1


def test_mismatched_columns():
    members, majority = tables()
    with pytest.raises(DataError, match="same feature columns") as info:
        plan_from_tables(members, label="y", majority=majority.drop(columns="x2"),
                         id_column="id")
    one_line(info)
    with pytest.raises(DataError, match="same feature columns"):
        plan_from_tables(members, label="y", majority=majority.assign(extra=1.0),
                         id_column="id")


def test_other_errors_are_one_line():
    members, majority = tables()
    cases = [
        ({"method": "oracle"}, ConfigError),
        ({"method": "nope"}, ConfigError),
        ({"budget": 10_000}, ConfigError),
        ({"id_column": "no_such"}, DataError),
    ]
    for kw, err in cases:
        with pytest.raises(err) as info:
            plan_from_tables(members, label="y", majority=majority,
                             **{"k": 3, "id_column": "id", **kw})
        one_line(info)
    bad = members.assign(y=members["y"].astype(float))
    bad.loc[0, "y"] = np.nan
    with pytest.raises(DataError, match="missing") as info:
        plan_from_tables(bad, label="y", majority=majority, id_column="id")
    one_line(info)
    with pytest.raises(DataError) as info:
        plan_from_tables(members.assign(y=np.arange(len(members)) % 3), label="y",
                         majority=majority, id_column="id")
    one_line(info)


def test_favourable_label_value():
    members, majority = tables()
    members = members.assign(y=np.where(members["y"] == 1, "yes", "no"))
    majority = majority.assign(y=np.where(majority["y"] == 1, "yes", "no"))
    plan = plan_from_tables(members, label="y", majority=majority, favourable="yes",
                            id_column="id", budget=2, k=3)
    assert sorted(plan["member_id"]) == sorted(members.loc[members["y"] == "no", "id"])
