"""A small synthetic split with label bias against the acting group (base EqOd well above 0)."""

import numpy as np
import pytest

from fairflip.data._problem import Split


def make_biased_split(*, n=1500, seed=0, with_group_column=True, bias=0.5):
    """Four features, one shifted by group; a share ``bias`` of the acting group's positive
    labels is recorded as negative, in train and test alike."""
    rng = np.random.default_rng(seed)
    g = (rng.random(n) < 0.35).astype(np.int8)
    X = rng.normal(size=(n, 4))
    X[:, 0] -= 0.5 * g
    logit = X @ np.array([1.5, -1.0, 0.8, 0.5]) + 0.3
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int8)
    y[(g == 1) & (y == 1) & (rng.random(n) < bias)] = 0
    if with_group_column:
        X = np.column_stack([X, g]).astype(np.float64)
    n_tr = 2 * n // 3
    tr, te = np.arange(n_tr), np.arange(n_tr, n)
    names = ("x0", "x1", "x2", "x3", "group") if with_group_column else ("x0", "x1", "x2", "x3")
    return Split(
        X_train=X[tr], y_train=y[tr], g_train=g[tr],
        X_test=X[te], y_test=y[te], g_test=g[te],
        train_ids=tr, test_ids=te, feature_names=names,
        group_column=4 if with_group_column else None,
    )


@pytest.fixture(scope="session")
def biased_split():
    return make_biased_split()


@pytest.fixture(scope="session")
def blind_split():
    """The same data without the group column in X."""
    return make_biased_split(with_group_column=False)
