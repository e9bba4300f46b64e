"""The firm's model factory: a converged logistic regression, other models, bad names."""

import warnings

import numpy as np
import pytest
from scipy.optimize import minimize
from scipy.special import expit, log_expit
from sklearn.base import is_classifier
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.tree import DecisionTreeClassifier

from fairflip.data import load_adult, split_problem
from fairflip.exceptions import ConfigError
from fairflip.learning import LOGREG_C, make_model


@pytest.fixture(scope="module")
def adult_5000():
    """About 5000 one-hot-heavy Adult training rows (96 encoded columns, most one-hot)."""
    problem = load_adult()
    split = split_problem(problem, test_size=1 - 5000 / problem.n_rows, random_state=0)
    return split.X_train, split.y_train


def coefs(est):
    return np.r_[est.coef_.ravel(), est.intercept_]


def rel_diff(a, b):
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


def scipy_optimum(X, y, C):
    """argmin 0.5 ||w||^2 + C sum_i logloss(y_i, x_i.w + b), intercept b unpenalised."""
    Xa = np.column_stack([X, np.ones(len(X))])
    s = 2.0 * y - 1.0
    n_w = X.shape[1]

    def f(theta):
        w = theta[:n_w]
        return 0.5 * w @ w - C * log_expit(s * (Xa @ theta)).sum()

    def grad(theta):
        g = Xa.T @ (-C * s * expit(-s * (Xa @ theta)))
        g[:n_w] += theta[:n_w]
        return g

    def hess(theta):
        p = expit(Xa @ theta)
        H = (Xa * (C * p * (1 - p))[:, None]).T @ Xa
        H[np.arange(n_w), np.arange(n_w)] += 1.0
        return H

    res = minimize(f, np.zeros(n_w + 1), jac=grad, hess=hess, method="trust-exact",
                   options={"gtol": 1e-9})
    assert np.abs(grad(res.x)).max() < 1e-5  # at the optimum whatever the status flag says
    return res.x


def test_logreg_matches_converged_references_and_beats_default_lbfgs(adult_5000):
    X, y = adult_5000
    assert X.shape[0] == 5000 and X.shape[1] > 50
    ours = coefs(make_model("logreg").fit(X, y))
    sk_ref = coefs(LogisticRegression(C=LOGREG_C, solver="newton-cholesky", tol=1e-12,
                                      max_iter=1000).fit(X, y))
    sp_ref = scipy_optimum(X.astype(np.float64), y.astype(np.float64), LOGREG_C)
    assert rel_diff(sk_ref, sp_ref) <= 1e-5  # the two references agree
    assert rel_diff(ours, sk_ref) <= 1e-5
    assert rel_diff(ours, sp_ref) <= 1e-5
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        lbfgs = coefs(LogisticRegression(C=LOGREG_C).fit(X, y))
    # The point: the default solver stops measurably short of the optimum.
    assert rel_diff(lbfgs, sk_ref) > 100 * max(rel_diff(ours, sk_ref), 1e-9)


def test_logreg_defaults():
    est = make_model("logreg")
    assert isinstance(est, LogisticRegression)
    assert est.solver == "newton-cholesky" and est.C == LOGREG_C and est.tol <= 1e-8


def test_logreg_params_override():
    est = make_model("logreg", model_params={"C": 0.1, "max_iter": 50})
    assert est.C == 0.1 and est.max_iter == 50 and est.solver == "newton-cholesky"


@pytest.mark.parametrize(("name", "cls"), [("hgb", HistGradientBoostingClassifier),
                                           ("mlp", MLPClassifier)])
def test_named_models(name, cls):
    est = make_model(name, random_state=7)
    assert isinstance(est, cls)
    assert est.random_state == 7


def test_dotted_path_model(synthetic_split):
    est = make_model("sklearn.tree.DecisionTreeClassifier", random_state=3,
                     model_params={"max_depth": 2})
    assert isinstance(est, DecisionTreeClassifier)
    assert est.random_state == 3 and est.max_depth == 2
    est.fit(synthetic_split.X_train, synthetic_split.y_train)
    assert set(np.unique(est.predict(synthetic_split.X_test))) <= {0, 1}


def test_estimator_instance_is_cloned():
    proto = DecisionTreeClassifier(max_depth=3)
    est = make_model(proto, model_params={"max_depth": 4})
    assert est is not proto and proto.max_depth == 3 and est.max_depth == 4


@pytest.mark.parametrize("model", [
    "svm",                                   # unknown short name
    "LogReg",                                # names are exact
    "sklearn.tree.NoSuchTree",               # missing attribute
    "no_such_module_xyz.Model",              # missing module
    "sklearn.linear_model.LinearRegression",  # a regressor, not a classifier
    "sklearn.preprocessing.StandardScaler",  # not an estimator that predicts
])
def test_bad_model_names_are_config_errors(model):
    with pytest.raises(ConfigError) as info:
        make_model(model)
    assert "\n" not in str(info.value)


def test_bad_params_are_config_errors():
    with pytest.raises(ConfigError):
        make_model("sklearn.tree.DecisionTreeClassifier", model_params={"no_such_param": 1})
    with pytest.raises(ConfigError):
        make_model("logreg", model_params={"no_such_param": 1})


@pytest.mark.parametrize("model", [
    object(),            # not an estimator at all
    LogisticRegression,  # the class, not an instance
])
def test_non_classifier_model_objects_are_config_errors(model):
    with pytest.raises(ConfigError) as info:
        make_model(model)
    assert "\n" not in str(info.value)


def test_made_models_are_classifiers():
    for name in ("logreg", "hgb", "mlp", "sklearn.svm.SVC"):
        assert is_classifier(make_model(name))


def test_a_model_string_is_checked_before_anything_is_called(tmp_path, monkeypatch):
    """`os.system` would run its argument if called: the class check comes first."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match="classifier class") as info:
        make_model("os.system", model_params={"command": "touch pwned"})
    assert "\n" not in str(info.value)
    assert not (tmp_path / "pwned").exists()


def test_params_is_the_deprecated_name_of_model_params():
    with pytest.warns(FutureWarning, match="'params'.*'model_params'"):
        est = make_model("logreg", params={"C": 0.5})
    assert est.C == 0.5
