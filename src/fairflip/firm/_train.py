"""The firm trains its classifier on its pool, after an optional label audit and its response."""

from __future__ import annotations

from .._seeding import resolve_seed, sub_seed
from ..data import Split
from ..learning import DEFAULT_AUDIT_Q, audit_labels, make_model, respond

__all__ = ["audit_and_retrain", "train_firm"]


def train_firm(X, y, *, model="logreg", model_params=None, random_state=0, sample_weight=None):
    """Fit the firm's classifier on (possibly relabelled) training rows."""
    est = make_model(model, random_state=random_state, model_params=model_params)
    if sample_weight is None:
        return est.fit(X, y)
    return est.fit(X, y, sample_weight=sample_weight)


def audit_and_retrain(split: Split, y_pool, *, audit, action="drop", q=DEFAULT_AUDIT_Q,
                      model="logreg", model_params=None, random_state=0, proba=None):
    """(the audit's result, the firm retrained after its response) on the training pool.

    ``proba`` reuses out-of-fold probabilities of this pool computed before (the cleanlab and
    loss audits share them).
    """
    seed = resolve_seed(random_state)
    result = audit_labels(split.X_train, y_pool, audit=audit, q=q, model=model,
                          model_params=model_params, random_state=sub_seed(seed, "audit"),
                          proba=proba)
    X_fit, y_fit, _ = respond(split.X_train, y_pool, result, action=action)
    firm = train_firm(X_fit, y_fit, model=model, model_params=model_params,
                      random_state=sub_seed(seed, "model"))
    return result, firm


