"""The batched logistic regression against scikit-learn's tightly converged solver."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from fairflip.exceptions import ConfigError, DataError
from fairflip.learning import FlipPath, fit_flip_path, fit_logreg_columns, predict_columns

RTOL = 1e-5  # the accuracy the batched solver promises (max relative coefficient error)


def reference(X, y, *, C=1.0, sample_weight=None):
    est = LogisticRegression(solver="newton-cholesky", tol=1e-12, max_iter=1000, C=C)
    est.fit(X, y, sample_weight=sample_weight)
    return np.r_[est.coef_[0], est.intercept_]


def assert_close(coef, intercept, ref):
    got = np.r_[coef, intercept]
    assert np.abs(got - ref).max() <= RTOL * np.abs(ref).max()


def one_hot_problem(n=400, seed=0):
    """Numeric columns plus a full set of dummies: collinear with the intercept."""
    rng = np.random.default_rng(seed)
    num = rng.normal(size=(n, 3))
    cat = rng.integers(0, 5, size=n)
    dummies = np.eye(5)[cat]
    X = np.hstack([num, dummies])
    logit = num @ np.array([1.0, -0.5, 0.3]) + 0.4 * cat - 1.0
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int8)
    return X, y


@pytest.fixture(scope="module")
def problem():
    return one_hot_problem()


@pytest.mark.parametrize("C", [1.0, 0.05, 20.0])
def test_columns_match_sklearn(problem, C):
    X, y = problem
    rng = np.random.default_rng(1)
    Y = np.column_stack([y, 1 - y, rng.integers(0, 2, size=y.size)])
    coef, intercept, n_iter = fit_logreg_columns(X, Y, C=C)
    assert coef.shape == (X.shape[1], 3) and intercept.shape == (3,) and n_iter >= 1
    for j in range(3):
        assert_close(coef[:, j], intercept[j], reference(X, Y[:, j], C=C))


def test_sample_weight_matches_sklearn(problem):
    X, y = problem
    sw = np.random.default_rng(2).uniform(0.1, 3.0, size=y.size)
    coef, intercept, _ = fit_logreg_columns(X, y, sample_weight=sw, C=0.5)
    assert_close(coef[:, 0], intercept[0], reference(X, y, C=0.5, sample_weight=sw))


def test_warm_start_reaches_same_optimum(problem):
    X, y = problem
    coef, intercept, _ = fit_logreg_columns(X, y, coef_init=np.full((X.shape[1], 1), 5.0),
                                            intercept_init=[-3.0])
    assert_close(coef[:, 0], intercept[0], reference(X, y))


def test_constant_column(problem):
    X, y = problem
    X = np.hstack([X, np.full((y.size, 1), 2.0), np.zeros((y.size, 1))])
    coef, intercept, _ = fit_logreg_columns(X, y)
    assert_close(coef[:, 0], intercept[0], reference(X, y))
    assert coef[-1, 0] == 0.0  # a zero column gets a zero coefficient (L2)


def test_single_positive(problem):
    X, _ = problem
    y = np.zeros(X.shape[0], dtype=np.int8)
    y[7] = 1
    coef, intercept, _ = fit_logreg_columns(X, y)
    assert_close(coef[:, 0], intercept[0], reference(X, y))


def test_one_class_column_raises(problem):
    X, y = problem
    with pytest.raises(DataError, match="both classes"):
        fit_logreg_columns(X, np.column_stack([y, np.ones_like(y)]))


@pytest.mark.parametrize("seed", [0, 3])
def test_flip_path_matches_sklearn(seed):
    X, y = one_hot_problem(n=500, seed=seed)
    rng = np.random.default_rng(seed)
    zeros = np.flatnonzero(y == 0)
    ranked = rng.permutation(zeros)[:120]
    # unsorted, repeated, 0 and "every candidate flipped"; more than one anchor block
    budgets = np.r_[120, 0, 5, 5, np.arange(1, 120, 3)]
    coef, intercept = fit_flip_path(X, y, ranked, budgets, C=2.0)
    assert coef.shape == (X.shape[1], budgets.size)
    for j, b in enumerate(budgets):
        yb = y.copy()
        yb[ranked[:b]] = 1
        assert_close(coef[:, j], intercept[j], reference(X, yb, C=2.0))


def test_flip_path_with_weights_and_group_single_positive():
    X, y = one_hot_problem(n=300, seed=5)
    group = np.zeros(y.size, dtype=bool)
    group[:40] = True
    y[:40] = 0
    y[3] = 1  # the group has a single positive before any flip
    X = np.hstack([X, group[:, None].astype(float)])
    ranked = np.flatnonzero(group & (y == 0))[::-1]
    sw = np.random.default_rng(5).uniform(0.5, 2.0, size=y.size)
    budgets = [0, 1, 20, ranked.size]
    coef, intercept = fit_flip_path(X, y, ranked, budgets, sample_weight=sw)
    for j, b in enumerate(budgets):
        yb = y.copy()
        yb[ranked[:b]] = 1
        assert_close(coef[:, j], intercept[j], reference(X, yb, sample_weight=sw))


def test_flip_path_refuses_flipping_every_zero(problem):
    X, y = problem
    zeros = np.flatnonzero(y == 0)
    with pytest.raises(DataError, match="every 0"):
        fit_flip_path(X, y, zeros, [0, zeros.size])


@pytest.mark.parametrize(
    ("ranked", "budgets", "error"),
    [([1, 1], [1], DataError), ([10**6], [0], DataError), ([0], [2], ConfigError),
     ([0], [-1], ConfigError), ([0], [0.5], ConfigError)],
)
def test_flip_path_validates(ranked, budgets, error):
    X = np.arange(6.0)[:, None]
    y = np.array([0, 0, 0, 1, 1, 1])
    with pytest.raises(error):
        fit_flip_path(X, y, ranked, budgets)


def test_flip_path_rejects_a_positive_candidate():
    X = np.arange(6.0)[:, None]
    y = np.array([0, 0, 0, 1, 1, 1])
    with pytest.raises(DataError, match="labelled 0"):
        fit_flip_path(X, y, [0, 4], [1])


@pytest.mark.parametrize("kw", [{"C": 0}, {"tol": -1.0}, {"max_iter": 0}, {"C": "1"}])
def test_bad_parameters(problem, kw):
    X, y = problem
    with pytest.raises(ConfigError):
        fit_logreg_columns(X, y, **kw)


def test_bad_labels(problem):
    X, y = problem
    with pytest.raises(DataError):
        fit_logreg_columns(X, y * 2)
    with pytest.raises(DataError):
        fit_logreg_columns(X, y[:-1])
    with pytest.raises(DataError):
        fit_logreg_columns(np.where(X > 0, np.nan, X), y)


def test_predict_columns_matches_sklearn(problem):
    X, y = problem
    Y = np.column_stack([y, 1 - y])
    coef, intercept, _ = fit_logreg_columns(X, Y)
    pred = predict_columns(X, coef, intercept)
    assert pred.dtype == bool and pred.shape == Y.shape
    for j in range(2):
        est = LogisticRegression(solver="newton-cholesky", tol=1e-12, max_iter=1000)
        est.fit(X, Y[:, j])
        np.testing.assert_array_equal(pred[:, j], est.predict(X) == 1)


@pytest.mark.parametrize("start", ["base", "far"])
def test_flip_path_from_a_start_matches_sklearn(start):
    """A warm start (the unflipped model, or a poor guess) reaches the same optima; the
    budgets need not include 0 (a refinement path starts mid-way)."""
    X, y = one_hot_problem(n=500, seed=4)
    ranked = np.random.default_rng(4).permutation(np.flatnonzero(y == 0))[:150]
    base = reference(X, y, C=2.0)
    w0 = base if start == "base" else np.full(base.size, 3.0)
    budgets = np.r_[40, 41, np.arange(60, 150, 4)]
    coef, intercept = fit_flip_path(X, y, ranked, budgets, C=2.0, coef_init=w0[:-1],
                                    intercept_init=w0[-1])
    for j, b in enumerate(budgets):
        yb = y.copy()
        yb[ranked[:b]] = 1
        assert_close(coef[:, j], intercept[j], reference(X, yb, C=2.0))


@pytest.mark.parametrize("coef_init, intercept_init", [
    (np.zeros(3), 0.0), (np.zeros(8), None), (np.full(8, np.nan), 0.0)])
def test_flip_path_rejects_a_bad_start(problem, coef_init, intercept_init):
    X, y = problem
    with pytest.raises(ConfigError, match="coef_init"):
        fit_flip_path(X, y, np.flatnonzero(y == 0)[:5], [0, 5], coef_init=coef_init,
                      intercept_init=intercept_init)


def test_flip_path_same_bits_with_one_or_two_threads():
    """BLAS runs one thread inside the path and the budgets between anchors are split into
    fixed pieces, so threads or none, the models are the same bits."""
    from threadpoolctl import threadpool_limits

    X, y = one_hot_problem(n=800, seed=6)
    ranked = np.random.default_rng(6).permutation(np.flatnonzero(y == 0))[:300]
    budgets = np.arange(0, 300, 5)  # 60 budgets: four anchors and two pieces of the rest
    runs = []
    for threads in (1, 2):
        with threadpool_limits(threads, user_api="blas"):
            runs.append(np.vstack(fit_flip_path(X, y, ranked, budgets)))
    np.testing.assert_array_equal(runs[0], runs[1])


def test_one_flip_path_object_serves_many_paths():
    """A prepared FlipPath gives each path the models a fresh fit_flip_path gives, and both
    reach scikit-learn's optima."""
    X, y = one_hot_problem(n=600, seed=7)
    base = reference(X, y)
    rng = np.random.default_rng(7)
    path = FlipPath(X, y, coef_init=base[:-1], intercept_init=base[-1])
    for _ in range(3):
        ranked = rng.permutation(np.flatnonzero(y == 0))[:120]
        budgets = np.r_[0, np.arange(10, 120, 7)]
        coef, intercept = path.fit(ranked, budgets)
        fresh = fit_flip_path(X, y, ranked, budgets, coef_init=base[:-1],
                              intercept_init=base[-1])
        np.testing.assert_array_equal(np.vstack([coef, intercept]), np.vstack(fresh))
        for j in (0, 5, budgets.size - 1):
            yb = y.copy()
            yb[ranked[:budgets[j]]] = 1
            assert_close(coef[:, j], intercept[j], reference(X, yb))


def test_a_converged_start_is_budget_zero_and_a_rough_one_is_not():
    X, y = one_hot_problem(n=600, seed=8)
    ranked = np.flatnonzero(y == 0)[:50]
    base = reference(X, y)
    coef, intercept = fit_flip_path(X, y, ranked, [0, 20], coef_init=base[:-1],
                                    intercept_init=base[-1])
    np.testing.assert_array_equal(np.r_[coef[:, 0], intercept[0]], base)
    # Negative control: a start off the optimum is solved, not returned as budget 0.
    rough = base + 0.05
    coef, intercept = fit_flip_path(X, y, ranked, [0, 20], coef_init=rough[:-1],
                                    intercept_init=rough[-1])
    assert_close(coef[:, 0], intercept[0], base)
    assert np.abs(np.r_[coef[:, 0], intercept[0]] - rough).max() > 0.01
