"""The table reader on random malformed files: a Problem or a FairflipError, nothing else.

Random column names (unicode, empty, duplicated), random cell types (ints, floats, NaN,
text, booleans), empty tables, a byte-order mark, semicolons, ragged rows and bytes that are
not UTF-8; CSV and Parquet. Derandomized, so CI runs the same examples every time.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fairflip.data import load_table, read_table
from fairflip.data._problem import Problem
from fairflip.exceptions import FairflipError

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

names = st.one_of(st.sampled_from(["y", "g", "x", "label", "group", "", " ", "ä", "名前",
                                   "a;b", "y", "g"]),
                  st.text(min_size=0, max_size=6))
cells = st.one_of(st.integers(-3, 3), st.floats(allow_nan=True, allow_infinity=True),
                  st.sampled_from(["a", "b", "", "NaN", "yes", "no", "0", "1", "é", ";"]),
                  st.booleans(), st.none())


@st.composite
def frames(draw):
    n_cols = draw(st.integers(0, 5))
    n_rows = draw(st.integers(0, 12))
    columns = [draw(names) for _ in range(n_cols)]
    data = [[draw(cells) for _ in range(n_cols)] for _ in range(n_rows)]
    return columns, data


@st.composite
def csv_bytes(draw):
    columns, data = draw(frames())
    sep = draw(st.sampled_from([",", ";", "\t"]))
    lines = [sep.join(map(str, columns))] + [sep.join("" if v is None else str(v) for v in row)
                                             for row in data]
    if draw(st.booleans()) and len(lines) > 1:  # a ragged row
        lines[-1] += sep + "extra"
    text = "\n".join(lines) + ("\n" if draw(st.booleans()) else "")
    raw = text.encode("utf-8")
    if draw(st.booleans()):
        raw = b"\xef\xbb\xbf" + raw  # BOM
    if draw(st.integers(0, 9)) == 0:
        raw += b"\xff\xfe\x00junk"  # not UTF-8
    return raw, columns


def _check(path, columns, label, group, favourable, acting):
    try:
        out = load_table(path, label=label, group=group, favourable=favourable,
                         acting_group=acting)
    except FairflipError as exc:
        assert "\n" not in str(exc), str(exc)
        return
    assert isinstance(out, Problem)
    assert out.y.shape == out.group.shape == (out.features.shape[0],)
    assert set(np.unique(out.y)) <= {0, 1} and set(np.unique(out.group)) <= {0, 1}


column_choice = st.one_of(st.sampled_from(["y", "g", "x", "missing"]), names)


@SETTINGS
@given(csv_bytes(), column_choice, column_choice,
       st.one_of(st.none(), st.sampled_from(["1", "yes", "a", "True"])),
       st.one_of(st.none(), st.sampled_from(["1", "a", "b"])))
def test_csv_reader_raises_only_fairflip_errors(tmp_path_factory, data, label, group, fav, acting):
    raw, columns = data
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    path.write_bytes(raw)
    try:
        read_table(path)
    except FairflipError:
        pass
    _check(path, columns, label, group, fav, acting)


@SETTINGS
@given(frames(), column_choice, column_choice,
       st.one_of(st.none(), st.sampled_from(["1", "a", "True"])))
def test_parquet_reader_raises_only_fairflip_errors(tmp_path_factory, frame, label, group, fav):
    columns, data = frame
    path = tmp_path_factory.mktemp("pq") / "t.parquet"
    df = pd.DataFrame(data, columns=pd.Index(columns, dtype=object)) if columns else pd.DataFrame()
    try:
        # pyarrow refuses some frames itself (duplicate names, mixed types): write them as
        # opaque bytes then, which is another malformed file to read.
        df.astype({c: object for c in df.columns} if df.columns.is_unique else {}).to_parquet(path)
    except (ValueError, TypeError, NotImplementedError, Exception):  # noqa: B014
        buf = io.BytesIO(b"PAR1" + repr(data).encode() + b"PAR1")
        path.write_bytes(buf.getvalue())
    _check(path, columns, label, group, fav, None)


@pytest.mark.parametrize("raw", [b"", b"\n\n", b"\xef\xbb\xbf", b"y,g\n", b"\x00\x01\x02",
                                 b"y;g;x\n1;a;2\n0;b;3\n"])
def test_reader_edge_files(tmp_path, raw):
    path = tmp_path / "t.csv"
    path.write_bytes(raw)
    _check(path, [], "y", "g", None, None)


def test_semicolons_and_a_byte_order_mark_read_as_columns(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"\xef\xbb\xbfy;g;x\n1;a;2,5\n0;b;3\n1;b;1\n0;a;0\n")
    problem = load_table(path, label="y", group="g")
    assert list(problem.features.columns) == ["x"] and problem.y.tolist() == [1, 0, 1, 0]
