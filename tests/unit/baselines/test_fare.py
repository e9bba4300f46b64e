"""FARE (Jovanovic et al. 2023) against independent references: scikit-learn's best-first tree,
brute-force split searches, scipy's exact binomial intervals, and measured gaps."""

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier

from fairflip import load_dataset
from fairflip.baselines import (
    DEFAULT_KNOBS,
    FARE,
    TRACE_COLUMNS,
    clopper_pearson,
    eqod_certificate,
    grow_fair_tree,
    trace_method,
)
from fairflip.data import split_problem
from fairflip.exceptions import ConfigError, DataError
from fairflip.learning import make_model
from fairflip.metrics import fairness_report


def _continuous(seed, n=3000, d=6):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    g = (rng.random(n) < 0.3).astype(np.int8)
    y = (X[:, 0] + 0.5 * X[:, 1] ** 2 + g + rng.normal(size=n) > 0.8).astype(np.int8)
    return X, y, g, rng.normal(size=(1000, d))


def _gini_gains(X, y, min_leaf):
    """Every (feature, cut) of a node with its Gini decrease, by brute force over sorted rows."""
    out = []
    n = len(y)
    for j in range(X.shape[1]):
        order = np.argsort(X[:, j])
        xs, ys = X[order, j], y[order]
        for p in range(min_leaf, n - min_leaf + 1):
            if xs[p] <= xs[p - 1] + 1e-7:
                continue
            left, right = ys[:p], ys[p:]
            gini = lambda v: 1 - v.mean() ** 2 - (1 - v.mean()) ** 2  # noqa: E731
            out.append((gini(ys) - p / n * gini(left) - (n - p) / n * gini(right), j, p))
    return out


def _assert_no_tied_best_split(sk, X, y, min_leaf):
    """The comparison's precondition: at every split node of scikit-learn's tree the best
    Gini cut is unique (scikit-learn breaks ties by a random feature order)."""
    t = sk.tree_
    leaf_rows = sk.decision_path(X).toarray().astype(bool)
    for node in np.flatnonzero(t.children_left != -1):
        rows = leaf_rows[:, node]
        gains = sorted(_gini_gains(X[rows], y[rows], min_leaf), reverse=True)
        assert len(gains) == 1 or gains[0][0] - gains[1][0] > 1e-12, f"tie at node {node}"


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize(("k", "min_leaf"), [(2, 1), (10, 1), (25, 20)])
def test_weight_zero_is_scikit_learns_best_first_tree(seed, k, min_leaf):
    X, y, g, X_new = _continuous(seed)
    sk = DecisionTreeClassifier(max_leaf_nodes=k, min_samples_leaf=min_leaf,
                                random_state=seed).fit(X, y)
    if k <= 10:
        _assert_no_tied_best_split(sk, X, y, min_leaf)
    tree = grow_fair_tree(X, y, g, max_leaves=k, min_samples_leaf=min_leaf, fairness_weight=0.0)
    fare = FARE(k=k, min_samples_leaf=min_leaf, fairness_weight=0.0, certify_size=0).fit(X, y, g)
    assert tree.n_leaves == fare.n_cells_ == sk.get_n_leaves() == k
    for rows in (X, X_new):
        ours, theirs = pd.Series(fare.apply(rows)), pd.Series(sk.apply(rows))
        np.testing.assert_array_equal(tree.apply(rows), ours)
        # Same partition: each of our cells is exactly one of scikit-learn's leaves.
        assert ours.groupby(theirs).nunique().eq(1).all()
        assert theirs.groupby(ours).nunique().eq(1).all()


def test_a_smaller_k_is_a_prefix_of_the_grown_tree():
    X, y, g, X_new = _continuous(3)
    big = FARE(k=30, min_samples_leaf=20, fairness_weight=0.5, random_state=1).fit(X, y, g)
    for k in (2, 7, 30):
        fresh = FARE(k=k, min_samples_leaf=20, fairness_weight=0.5, random_state=1).fit(X, y, g)
        reused = big._with_k(k, X, y, g)
        np.testing.assert_array_equal(reused.apply(X_new), fresh.apply(X_new))
        np.testing.assert_array_equal(reused.predict_proba(X_new), fresh.predict_proba(X_new))
        assert reused.certificate_ == fresh.certificate_


def test_categorical_split_is_the_best_partition_of_categories():
    # For two classes the positive-rate ordering contains the best Gini partition (Breiman);
    # checked against all 2^(c-1) partitions.
    rng = np.random.default_rng(5)
    n, c = 4000, 6
    cat = rng.integers(0, c, n)
    rate = np.array([0.2, 0.7, 0.35, 0.8, 0.5, 0.1])
    y = (rng.random(n) < rate[cat]).astype(np.int8)
    g = (rng.random(n) < 0.4).astype(np.int8)
    X = np.column_stack([cat, rng.normal(size=n) * 0.01]).astype(float)
    tree = grow_fair_tree(X, y, g, max_leaves=2, categorical_features=[0])

    def gain(mask):
        gini = lambda v: 1 - v.mean() ** 2 - (1 - v.mean()) ** 2  # noqa: E731
        return gini(y) - mask.mean() * gini(y[mask]) - (~mask).mean() * gini(y[~mask])

    best = max((gain(np.isin(cat, s)), set(s)) for r in range(1, c)
               for s in itertools.combinations(range(c), r) if 0 in s)
    assert tree.feature[0] == 0
    left = set(tree.left_categories[0])
    assert left in (best[1], set(range(c)) - best[1])
    assert tree.gain[0] == pytest.approx(best[0], rel=1e-12)
    # Categories go where their set says; an unseen category goes right.
    cells = tree.apply(np.array([[min(left), 0.0], [99, 0.0]]))
    assert cells[0] != cells[1]


def test_cells_are_represented_by_their_training_medians():
    X, y, g, _ = _continuous(4, n=1500)
    fare = FARE(k=6, min_samples_leaf=30, fairness_weight=0.3, random_state=0).fit(X, y, g)
    expected = pd.DataFrame(X).groupby(fare.apply(X)).median().to_numpy()
    np.testing.assert_allclose(fare.medians_, expected)
    np.testing.assert_array_equal(fare.transform(X[:5]), expected[fare.apply(X[:5])])


def test_logistic_regression_on_cells_equals_the_fit_on_every_encoded_row():
    X, y, g, X_new = _continuous(6, n=2000)
    fare = FARE(k=12, min_samples_leaf=20, fairness_weight=0.5, random_state=0).fit(X, y, g)
    full = make_model("logreg").fit(fare.transform(X), y)  # the firm's model, every row
    np.testing.assert_allclose(fare.predict_proba(X_new),
                               full.predict_proba(fare.transform(X_new)), atol=1e-6)


@pytest.fixture(scope="module")
def synthetic():
    return load_dataset("synthetic")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_eqod_falls_as_the_fairness_weight_grows(synthetic, seed):
    split = split_problem(synthetic, random_state=seed)
    df = trace_method("fare", split, knobs=[(0.0, 20), (0.8, 20), (0.95, 20)], random_state=seed)
    eqod = df["eqod"].to_numpy()
    assert eqod[0] > eqod[1] + 0.05 > eqod[2] + 0.05
    assert eqod[2] <= 0.02
    # ... and the certificate with it.
    assert (np.diff(df["certificate"].to_numpy()) < 0).all()


def _max_eqod_over_cell_classifiers(cells, y, g, n_cells):
    """The largest EqOd of any deterministic classifier of the cell, by enumeration."""
    labelings = np.array(list(itertools.product((0, 1), repeat=n_cells)))
    pred = labelings[:, cells]  # (2^n_cells, n_rows)
    gaps = []
    for c in (0, 1):
        rate = [pred[:, (y == c) & (g == a)].mean(axis=1) for a in (0, 1)]
        gaps.append(np.abs(rate[1] - rate[0]))
    return float(np.max((gaps[0] + gaps[1]) / 2))


@pytest.mark.parametrize("seed", range(5))
def test_the_certificate_bounds_the_measured_eqod(synthetic, seed):
    split = split_problem(synthetic, random_state=seed)
    X, X_test = split.scoring_view(split.X_train), split.scoring_view(split.X_test)
    for w, k in [(0.0, 2), (0.0, 8), (0.8, 8)]:
        fare = FARE(k=k, fairness_weight=w, random_state=seed).fit(X, split.y_train,
                                                                   split.g_train)
        cert = fare.certificate_
        assert cert < 1.0  # a bound that can be beaten
        Z, Z_test = fare.transform(X), fare.transform(X_test)
        for clf in (LogisticRegression(), DecisionTreeClassifier(max_depth=3),
                    KNeighborsClassifier(15), GaussianNB()):
            pred = clf.fit(Z, split.y_train).predict(Z_test)
            assert fairness_report(split.y_test, pred, split.g_test)["eqod"] <= cert
        if fare.n_cells_ <= 10:  # every classifier of the cell
            cells = fare.apply(X_test)
            assert _max_eqod_over_cell_classifiers(cells, split.y_test, split.g_test,
                                                   fare.n_cells_) <= cert
        # Fresh rows certify too, at any confidence.
        assert fare.certify(X_test, split.y_test, split.g_test, confidence=0.5) <= \
            fare.certify(X_test, split.y_test, split.g_test, confidence=0.99)


def test_the_certificate_is_at_least_the_empirical_distance():
    # The intervals contain the empirical proportions, so the bound is at least the
    # empirical total-variation distance of the rows it is computed from.
    rng = np.random.default_rng(7)
    for n_cells in (2, 5, 40):
        cells = rng.integers(0, n_cells, 3000)
        g = (rng.random(3000) < 0.2 + 0.5 * (cells % 2)).astype(int)
        y = rng.integers(0, 2, 3000)
        tv = []
        for c in (0, 1):
            p = [np.bincount(cells[(y == c) & (g == a)], minlength=n_cells)
                 / ((y == c) & (g == a)).sum() for a in (0, 1)]
            tv.append(0.5 * np.abs(p[1] - p[0]).sum())
        assert eqod_certificate(cells, y, g, n_cells=n_cells) >= np.mean(tv)
    assert eqod_certificate(np.zeros(10, int), y[:10], g[:10], n_cells=1) == 0.0
    # A group with no row of a label certifies nothing for that label.
    assert eqod_certificate([0, 1, 0], [1, 1, 0], [0, 1, 0], n_cells=2) >= 0.5


def test_clopper_pearson_matches_scipys_exact_interval():
    counts = np.array([0, 1, 7, 19, 20])
    lo, hi = clopper_pearson(counts, 20, alpha=0.01)
    for x, a, b in zip(counts, lo, hi, strict=True):
        ci = stats.binomtest(int(x), 20).proportion_ci(confidence_level=0.99, method="exact")
        assert (a, b) == pytest.approx((ci.low, ci.high), abs=1e-12)


@pytest.mark.parametrize(("params", "name"), [
    ({"k": 1}, "k"), ({"k": 2.5}, "k"), ({"min_samples_leaf": 0}, "min_samples_leaf"),
    ({"fairness_weight": -0.1}, "fairness_weight"), ({"fairness_weight": 1.5}, "fairness_weight"),
    ({"certify_size": 1.0}, "certify_size"), ({"confidence": 1.0}, "confidence"),
    ({"categorical_features": [9]}, "categorical_features"),
])
def test_bad_parameters_raise_one_line_errors(params, name):
    X, y, g, _ = _continuous(0, n=300)
    with pytest.raises(ConfigError, match=f"^The '{name}' parameter [^\n]*$"):
        FARE(**params).fit(X, y, g)


def test_bad_data_raises_data_error():
    X, y, g, _ = _continuous(0, n=300)
    with pytest.raises(DataError, match="'y'"):
        FARE().fit(X, y + 1, g)
    with pytest.raises(DataError, match="'y' and 'groups'"):
        FARE().fit(X, y[:-1], g)
    with pytest.raises(DataError, match="min_samples_leaf"):
        FARE(min_samples_leaf=500).fit(X, y, g)
    fare = FARE(k=3).fit(X, y, g)
    with pytest.raises(DataError, match="'X'"):
        fare.predict(X[:, :2])


def test_trace_reports_both_knobs_and_the_certificate(biased_split):
    knobs = [(0.0, 2), (0.9, 10), (0.9, 4)]
    df = trace_method("fare", biased_split, knobs=knobs, random_state=0)
    assert list(df.columns) == list(TRACE_COLUMNS)
    assert df["knob"].tolist() == [0.0, 0.9, 0.9] and df["knob2"].tolist() == [2.0, 10.0, 4.0]
    assert df["certificate"].between(0, 1).all() and (df["family"] == "fare").all()
    pd.testing.assert_frame_equal(df, trace_method("fare", biased_split, knobs=knobs,
                                                   random_state=0))
    other = trace_method("reweighing", biased_split, knobs=[0.0], random_state=0)
    assert other[["knob2", "certificate"]].isna().all().all()
    assert len(DEFAULT_KNOBS["fare"]) == len(set(DEFAULT_KNOBS["fare"]))


@pytest.mark.parametrize("knobs", [[0.5], [(1.5, 10)], [(0.5, 1)], [(0.5, 2.5)], []])
def test_trace_refuses_bad_fare_knobs(biased_split, knobs):
    with pytest.raises(ConfigError, match="'knobs' parameter of fare"):
        trace_method("fare", biased_split, knobs=knobs)


def test_trace_refuses_unknown_fare_params(biased_split):
    with pytest.raises(ConfigError, match="'params' parameter of fare"):
        trace_method("fare", biased_split, knobs=[(0.5, 2)], params={"max_depth": 3})
