"""load_table: a user's CSV/Parquet, and every one-line error it can raise."""

import re

import numpy as np
import pandas as pd
import pytest

from fairflip.data import _table as T
from fairflip.data import load_table, split_problem
from fairflip.exceptions import DataError


def _msg(template, **fields):
    """The template's fixed text, as a regex (fields filled by the caller or wildcards)."""
    parts = re.split(r"\{(\w+)(?:![rs])?\}", template)
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(re.escape(part))
        else:
            out.append(re.escape(fields[part]) if part in fields else ".*")
    return "^" + "".join(out) + "$"


@pytest.fixture
def table():
    return pd.DataFrame({
        "member": [f"m{i}" for i in range(8)],
        "age": [20, 30, 40, 50, 25, 35, 45, 55],
        "job": ["a", "b", "a", "b", "a", None, "a", "b"],
        "race": ["x", "x", "y", "y", "z", "z", "x", "y"],
        "y": [1, 0, 0, 0, 1, 1, 1, 0],
    })


def _write(df, tmp_path, name="data.csv"):
    path = tmp_path / name
    if name.endswith((".parquet", ".pq")):
        df.to_parquet(path)
    else:
        df.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("name", ["data.csv", "data.parquet"])
def test_reads_csv_and_parquet(table, tmp_path, name):
    p = load_table(_write(table, tmp_path, name), label="y", group="race", id_column="member")
    assert p.name == "data"
    assert list(p.features.columns) == ["age", "job"]
    np.testing.assert_array_equal(p.y, table["y"])
    # default acting group: the lowest favourable rate ('y': 0/3)
    assert p.acting_label == "y" and p.other_label == "not y"
    np.testing.assert_array_equal(p.group, table["race"] == "y")
    np.testing.assert_array_equal(p.info["ids"], table["member"])
    s = split_problem(p, test_size=0.5, random_state=0)
    assert set(s.train_ids) | set(s.test_ids) == set(table["member"])


def test_acting_group_and_favourable_as_strings(tmp_path):
    df = pd.DataFrame({"f": range(6), "g": [1, 1, 2, 2, 2, 1],
                       "outcome": ["no", "yes", "maybe", "no", "yes", "yes"]})
    p = load_table(_write(df, tmp_path), label="outcome", group="g", acting_group="2",
                   favourable="yes")
    np.testing.assert_array_equal(p.y, df["outcome"] == "yes")
    np.testing.assert_array_equal(p.group, df["g"] == 2)
    assert (p.acting_label, p.other_label) == ("2", "1")
    ints = pd.DataFrame({"f": range(4), "g": [0, 1, 0, 1], "y": [3, 7, 7, 3]})
    q = load_table(_write(ints, tmp_path, "i.csv"), label="y", group="g", favourable="7")
    np.testing.assert_array_equal(q.y, ints["y"] == 7)


def test_bool_label(tmp_path):
    df = pd.DataFrame({"f": range(4), "g": ["a", "b", "a", "b"], "y": [True, False, True, True]})
    p = load_table(_write(df, tmp_path), label="y", group="g")
    np.testing.assert_array_equal(p.y, df["y"])


def test_file_errors(table, tmp_path):
    with pytest.raises(DataError, match=_msg(T.MSG_SUFFIX)):
        load_table(tmp_path / "data.xlsx", label="y", group="race")
    missing = tmp_path / "nope.csv"
    with pytest.raises(DataError, match=_msg(T.MSG_MISSING_FILE, path=repr(str(missing)))):
        load_table(missing, label="y", group="race")
    empty = _write(table.head(0), tmp_path, "empty.csv")
    with pytest.raises(DataError, match=_msg(T.MSG_EMPTY)):
        load_table(empty, label="y", group="race")
    (tmp_path / "blank.csv").write_text("")
    with pytest.raises(DataError, match=_msg(T.MSG_EMPTY)):
        load_table(tmp_path / "blank.csv", label="y", group="race")


@pytest.mark.parametrize(
    ("kwargs", "template", "fields"),
    [
        ({"label": "income"}, T.MSG_NO_COLUMN, {"param": "label", "value": "'income'"}),
        ({"group": "sex"}, T.MSG_NO_COLUMN, {"param": "group", "value": "'sex'"}),
        ({"id_column": "uid"}, T.MSG_NO_COLUMN, {"param": "id_column", "value": "'uid'"}),
        ({"group": "y"}, T.MSG_SAME_COLUMN, {}),
        ({"acting_group": "w"}, T.MSG_UNKNOWN_ACTING, {"column": "'race'", "value": "'w'"}),
        ({"favourable": 5}, T.MSG_FAVOURABLE_ABSENT, {"column": "'y'", "value": "5"}),
        ({"group": "job"}, T.MSG_NAN, {"role": "group", "column": "'job'", "count": "1"}),
    ],
)
def test_column_errors(table, tmp_path, kwargs, template, fields):
    args = {"label": "y", "group": "race", **kwargs}
    with pytest.raises(DataError, match=_msg(template, **fields)):
        load_table(_write(table, tmp_path), **args)


def test_label_errors(table, tmp_path):
    nan = table.assign(y=[1, 0, None, 0, 1, 1, 1, 0])
    with pytest.raises(DataError, match=_msg(T.MSG_NAN, role="label", column="'y'", count="1")):
        load_table(_write(nan, tmp_path), label="y", group="race")
    three = table.assign(y=[1, 0, 2, 0, 1, 1, 1, 0])
    with pytest.raises(DataError, match=_msg(T.MSG_NOT_BINARY, count="3")):
        load_table(_write(three, tmp_path), label="y", group="race")
    words = table.assign(y=["hi", "lo"] * 4)
    with pytest.raises(DataError, match=_msg(T.MSG_AMBIGUOUS, values="'hi', 'lo'")):
        load_table(_write(words, tmp_path), label="y", group="race")


def test_group_and_id_errors(table, tmp_path):
    one = table.assign(race="x")
    with pytest.raises(DataError, match=_msg(T.MSG_ONE_GROUP, value="'x'")):
        load_table(_write(one, tmp_path), label="y", group="race")
    dup = table.assign(member=["m0"] * 8)
    with pytest.raises(DataError, match=_msg(T.MSG_BAD_IDS, problem="'m0' repeats")):
        load_table(_write(dup, tmp_path), label="y", group="race", id_column="member")
    bare = table[["race", "y"]]
    with pytest.raises(DataError, match=_msg(T.MSG_NO_FEATURES)):
        load_table(_write(bare, tmp_path), label="y", group="race")
