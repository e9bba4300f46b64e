"""The firm's classifier: a name or a dotted import path -> an unfitted scikit-learn estimator."""

from __future__ import annotations

import importlib

from sklearn.base import BaseEstimator, ClassifierMixin, clone, is_classifier

from .._deprecate import renamed_params
from ..exceptions import ConfigError

__all__ = ["MODEL_NAMES", "LOGREG_C", "LOGREG_TOL", "make_model"]

# scikit-learn's default lbfgs stops early on one-hot Adult (coefficients off by up to 30 %);
# Newton-Cholesky with a tight tolerance reaches the optimum in a handful of steps.
LOGREG_C = 1.0
LOGREG_TOL = 1e-8


def _logreg(random_state, **params):
    from sklearn.linear_model import LogisticRegression

    kw = {"C": LOGREG_C, "solver": "newton-cholesky", "tol": LOGREG_TOL, "max_iter": 200}
    kw.update(params)
    return LogisticRegression(**kw)


def _hgb(random_state, **params):
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(random_state=random_state, **params)


def _mlp(random_state, **params):
    from sklearn.neural_network import MLPClassifier

    kw = {"hidden_layer_sizes": (32,), "max_iter": 300, "early_stopping": True}
    kw.update(params)
    return MLPClassifier(random_state=random_state, **kw)


def _is_classifier(est) -> bool:
    try:
        return is_classifier(est)
    except (AttributeError, TypeError):
        return False


_FACTORIES = {"logreg": _logreg, "hgb": _hgb, "mlp": _mlp}
MODEL_NAMES = tuple(_FACTORIES)


@renamed_params(params="model_params")
def make_model(model="logreg", *, random_state=0, model_params=None):
    """Build the firm's unfitted classifier.

    Parameters
    ----------
    model : str or estimator
        ``"logreg"`` (default; converged Newton-Cholesky), ``"hgb"``, ``"mlp"``, a dotted
        import path such as ``"sklearn.svm.SVC"``, or an unfitted scikit-learn classifier
        (cloned). A dotted path must name a class that subclasses scikit-learn's
        ``BaseEstimator`` and ``ClassifierMixin``; that is checked before the class is called,
        so importing the named module is the only code a model string runs.
    random_state : int or None, default=0
        Passed to estimators that take one.
    model_params : dict or None
        Extra constructor parameters (``params`` is its deprecated name).

    Examples
    --------
    >>> make_model("logreg").solver
    'newton-cholesky'
    """
    params = dict(model_params or {})
    if not isinstance(model, str):
        if isinstance(model, type) or not hasattr(model, "get_params") or not _is_classifier(model):
            raise ConfigError(f"The 'model' parameter must be an unfitted classifier instance. "
                              f"Got {model!r} instead.")
        try:
            return clone(model).set_params(**params)
        except ValueError as exc:
            raise ConfigError(f"The 'model' parameter rejects its parameters: {exc}") from None
    if model in _FACTORIES:
        try:
            return _FACTORIES[model](random_state, **params)
        except TypeError as exc:
            raise ConfigError(f"The 'model' parameter {model!r} rejects its parameters: {exc}") from None
    if "." not in model:
        raise ConfigError(
            f"The 'model' parameter must be one of {', '.join(MODEL_NAMES)} or a dotted import "
            f"path. Got {model!r} instead."
        )
    module_name, _, attr = model.rpartition(".")
    # Importing the named module is the only code a model string runs: the attribute must be a
    # scikit-learn classifier class (checked with issubclass) before anything is called.
    try:
        cls = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError):
        raise ConfigError(f"The 'model' parameter {model!r} cannot be imported.") from None
    if not (isinstance(cls, type) and issubclass(cls, BaseEstimator)
            and issubclass(cls, ClassifierMixin)):
        raise ConfigError(
            f"The 'model' parameter {model!r} must name a scikit-learn classifier class "
            f"(a subclass of BaseEstimator and ClassifierMixin). Got {type(cls).__name__} instead."
        )
    try:
        est = cls(**params)
    except TypeError as exc:
        raise ConfigError(f"The 'model' parameter {model!r} rejects its parameters: {exc}") from None
    if "random_state" in est.get_params():
        est.set_params(random_state=random_state)
    return est
