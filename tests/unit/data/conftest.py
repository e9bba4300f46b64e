"""Fixtures of the data tests: files shaped like a downloaded data set, made here."""

import numpy as np
import pandas as pd
import pytest

from fairflip.data._hsls import HSLS_COLUMNS, RACE_NAMES


def students(n, seed, first_id=10001):
    """A frame shaped like the extract: every column, plausible types, random values."""
    rng = np.random.default_rng(seed)
    frame = {}
    for column in HSLS_COLUMNS:
        frame[column] = np.round(rng.normal(0, 1, n), 2)
    frame["STU_ID"] = np.arange(first_id, first_id + n)
    frame["X4EVERDROP"] = rng.integers(0, 2, n)
    frame["na_prop"] = rng.choice([0.0, 1 / 28, 2 / 28], n)
    frame["X1SEX"] = rng.integers(0, 2, n)
    frame["X1RACE"] = rng.choice(list(RACE_NAMES), n, p=[.4, .1, .15, .1, .05, .1, .05, .05])
    frame["X1STAGE"] = rng.choice([14, 15, 16], n)
    frame["X1CONTROL"] = rng.choice(["Public", "Catholic or other private"], n)
    frame["X1LOCALE"] = rng.choice(["Rural", "Suburb", "Town", "City"], n)
    frame["X1REGION"] = rng.choice(["Midwest", "Northeast", "West", "South"], n)
    frame["S1M8GRADE"] = rng.choice(["A", "B", "C", "Class was not graded"], n)
    frame["X1PAREDEXPCT"] = rng.integers(1, 11, n)
    frame["X1STUEDEXPCT"] = rng.integers(1, 11, n)
    # Scores with repeats, so rows tie with the median.
    frame["X1TXMTSCOR"] = np.round(rng.normal(50, 10, n), 0)
    return pd.DataFrame(frame)[list(HSLS_COLUMNS)]


@pytest.fixture(scope="session")
def hsls_students():
    """``students(n, seed, first_id=10001)``: a frame shaped like the HSLS extract."""
    return students
