"""Multi-valued and intersectional groups in the data layer, the split and the collective."""

import numpy as np
import pandas as pd
import pytest

from fairflip.collective._coalition import parse_coalition, rank_coalition
from fairflip.collective._plan import resolve_budget
from fairflip.collective._ranking import rank_collective
from fairflip.data import _groups as G
from fairflip.data import load_dataset, load_table, split_problem
from fairflip.exceptions import ConfigError, DataError


def people(n=300, seed=0):
    rng = np.random.default_rng(seed)
    race = rng.choice(["A", "B", "C"], size=n, p=[0.6, 0.25, 0.15])
    sex = rng.choice(["F", "M"], size=n)
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-(x - 0.5 * (race == "B"))))).astype(int)
    return pd.DataFrame({"x": x, "job": rng.choice(["a", "b"], size=n), "race": race,
                         "sex": sex, "y": y})


@pytest.fixture
def csv(tmp_path):
    path = tmp_path / "people.csv"
    people().to_csv(path, index=False)
    return path


def test_adult_race_keeps_every_value():
    p = load_dataset("adult", sensitive="race", acting_group="Black")
    assert p.is_multigroup and p.acting_label == "Black" and p.sensitive == "race"
    assert sorted(set(p.group_values)) == ["Amer-Indian-Eskimo", "Asian-Pac-Islander", "Black",
                                           "Other", "White"]
    np.testing.assert_array_equal(p.group, p.group_values == "Black")
    assert "race" not in p.features.columns
    table = p.group_table()
    assert table.rows.sum() == p.n_rows and table.acting.sum() == 1
    assert table.set_index("group").at["Black", "favourable_rate"] == p.y[p.group == 1].mean()


def test_adult_intersection_and_its_default():
    p = load_dataset("adult", sensitive="race,sex", acting_group="Black, Female")
    assert p.acting_label == "Black,Female" and len(set(p.group_values)) == 10
    assert not {"race", "sex"} & set(p.features.columns)
    # Default: the lowest favourable rate among groups with >= 2 % of rows.
    q = load_dataset("adult", sensitive="race,sex")
    table = q.group_table()
    big = table[table.share >= G.DEFAULT_ACTING_MIN_SHARE]
    assert q.acting_label == big.loc[big.favourable_rate.idxmin(), "group"] == "Black,Female"


def test_compas_without_the_race_filter():
    filtered = load_dataset("compas", sensitive="race", acting_group="African-American")
    assert not filtered.is_multigroup and filtered.n_rows == 5278  # two values: binary
    full = load_dataset("compas", sensitive="race", race_filter=False)
    assert full.is_multigroup and full.n_rows == 6172 and len(set(full.group_values)) == 6
    assert full.acting_label == "African-American"


def test_german_age_band_by_sex_against_the_raw_codes():
    from fairflip.data._bundled import bundled_file

    p = load_dataset("german", sensitive="age,sex")
    assert p.is_multigroup and p.sensitive == "age,sex" and p.acting_label == "young,female"
    assert not {"age", "sex"} & set(p.features.columns)
    # The raw file: column 9 codes personal status and sex (A92/A95 female), 13 is the age.
    raw = pd.read_csv(bundled_file("german.data.xz"), sep=" ", header=None)
    want = (np.where(raw[12] <= 25, "young", "older").astype(object) + ","
            + np.where(raw[8].isin(["A92", "A95"]), "female", "male").astype(object))
    np.testing.assert_array_equal(p.group_values, want)
    table = p.group_table().set_index("group")
    assert table.rows.to_dict() == {"older,female": 205, "older,male": 605,
                                    "young,female": 105, "young,male": 85}
    assert table.favourable_rate.idxmin() == "young,female"
    # One column with an acting value and two values stays binary, with the band's labels.
    young = load_dataset("german", sensitive="age", acting_group="young")
    assert not young.is_multigroup and young.other_label == "older"
    np.testing.assert_array_equal(young.group, load_dataset("german").group)
    with pytest.raises(DataError, match="'middle', which is not a value of the column 'age'"):
        load_dataset("german", sensitive="age,sex", acting_group="middle,female")


def test_binary_defaults_are_unchanged():
    for name, sensitive in [("adult", "sex"), ("adult", "race"), ("compas", "race"),
                            ("compas", "sex"), ("german", "age")]:
        p = load_dataset(name, sensitive=sensitive)
        assert not p.is_multigroup and p.group_values is None


def test_split_one_hot_groups_and_scoring_view():
    p = load_dataset("compas", sensitive="race", race_filter=False)
    s = split_problem(p, random_state=0)
    levels = sorted(set(p.group_values))
    assert s.group_column is None and len(s.group_columns) == len(levels)
    assert [s.feature_names[c] for c in s.group_columns] == [f"race={v}" for v in levels]
    onehot = s.X_train[:, list(s.group_columns)]
    np.testing.assert_array_equal(onehot.argmax(1), np.searchsorted(levels, s.gv_train.astype(str)))
    assert (onehot.sum(1) == 1).all()
    np.testing.assert_array_equal(s.g_train, s.gv_train == p.acting_label)
    assert s.scoring_view(s.X_train).shape[1] == s.X_train.shape[1] - len(levels)


def test_table_intersection_and_bad_input(csv):
    p = load_table(csv, label="y", group="race,sex", acting_group="B,F")
    assert p.is_multigroup and p.sensitive == "race,sex" and p.acting_label == "B,F"
    assert list(p.features.columns) == ["x", "job"]
    with pytest.raises(DataError, match="'age', which is not a column"):
        load_table(csv, label="y", group="race,age")
    with pytest.raises(DataError, match="'Z', which is not a value of the column 'race'"):
        load_table(csv, label="y", group="race,sex", acting_group="Z,F")
    with pytest.raises(DataError, match="one value per group column"):
        load_table(csv, label="y", group="race,sex", acting_group="B")
    with pytest.raises(DataError, match="names the column 'race' twice"):
        load_table(csv, label="y", group="race,race")
    df = people()
    df = df[~((df.race == "C") & (df.sex == "F"))]
    path = csv.parent / "no_cf.csv"
    df.to_csv(path, index=False)
    with pytest.raises(DataError, match="'C,F' of race, sex, which has no rows"):
        load_table(path, label="y", group="race,sex", acting_group="C,F")
    with pytest.raises(DataError, match="must be a value of the group column"):
        load_table(csv, label="y", group="race", acting_group="Z")


def test_coalition_of_one_is_the_single_group_collective():
    p = load_dataset("compas", sensitive="race", race_filter=False)
    s = split_problem(p, random_state=3)
    X = s.scoring_view(s.X_train)
    for method in ("rb-prob", "rb-label", "random"):
        single = rank_collective(X, s.y_train, s.g_train, method=method, alpha=0.4, random_state=5)
        coal = rank_coalition(X, s.y_train, s.gv_train, [("African-American", 0.4)],
                              method=method, random_state=5).rankings["African-American"]
        for field in ("members", "known", "ranked", "scores"):
            np.testing.assert_array_equal(getattr(single, field), getattr(coal, field))


def test_coalition_knowledge_and_flips():
    p = load_dataset("compas", sensitive="race", race_filter=False)
    s = split_problem(p, random_state=0)
    X = s.scoring_view(s.X_train)
    coal = rank_coalition(X, s.y_train, s.gv_train, ["African-American=0.3", "Hispanic=1"],
                          method="rb-label", random_state=0)
    for value, ranking in coal.rankings.items():
        assert (s.gv_train[ranking.members] == value).all()
        assert not np.isin(s.gv_train[ranking.known], ["African-American", "Hispanic"]).any()
    hisp = coal.rankings["Hispanic"]
    assert hisp.members.size == (s.gv_train == "Hispanic").sum()  # alpha 1: the whole group
    flips = coal.flipped_by_group(0.5)
    assert {v: f.size for v, f in flips.items()} == {
        v: resolve_budget(0.5, r.n_candidates) for v, r in coal.rankings.items()}
    np.testing.assert_array_equal(coal.flipped(0.5), np.sort(np.concatenate(list(flips.values()))))
    ref = rank_coalition(X, s.y_train, s.gv_train, ["African-American=0.3"], method="rb-label",
                         random_state=0, reference_group="Caucasian").rankings["African-American"]
    assert (s.gv_train[ref.known] == "Caucasian").all()


@pytest.mark.parametrize("spec, message", [
    ([], "at least one group"),
    (["A=0.3", "A=0.5"], "names the group 'A' twice"),
    (["A"], "must be GROUP=ALPHA"),
    (["A=1.5"], "'alpha' parameter must be in"),
])
def test_bad_coalitions(spec, message):
    with pytest.raises(ConfigError, match=message):
        parse_coalition(spec)


def test_coalition_unknown_group_and_bad_reference():
    labels = np.array(["A", "B", "C"] * 10, dtype=object)
    X, y = np.zeros((30, 1)), np.tile([0, 1], 15)
    with pytest.raises(ConfigError, match="'Z', which is not a group"):
        rank_coalition(X, y, labels, ["Z=0.5"])
    with pytest.raises(ConfigError, match="'reference_group' parameter"):
        rank_coalition(X, y, labels, ["A=0.5"], reference_group="A")


def test_sweep_config_takes_acting_group_and_intersections():
    from fairflip.experiments import config_from_dict

    config = config_from_dict({"datasets": [
        {"name": "adult", "sensitive": "race", "acting_group": "Black"},
        {"name": "compas", "sensitive": "race,sex", "options": {"race_filter": False}}]})
    adult, compas = config.datasets
    assert dict(adult.options) == {"acting_group": "Black"} and adult.sensitive == "race"
    assert compas.sensitive == "race,sex" and dict(compas.options) == {"race_filter": False}
    problem = load_dataset(compas.name, sensitive=compas.sensitive, **dict(compas.options))
    assert problem.is_multigroup and problem.n_rows == 6172
