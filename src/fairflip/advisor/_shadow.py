"""The shadow firm: the firm's training as the collective can imitate it from its view.

Members stand for the whole acting group: each training-fold member appears once with its
(possibly flipped) label and once more, unflipped, weighted ``(1 - alpha) / alpha`` for the
acting group's non-members. The known rows of the other group are weighted so the groups
have the stated shares. Rows are cross-fitted: the rows that score a budget (the held-out
fold, original labels) are never rows the fold's model was trained or flipped on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._seeding import sub_seed
from ..exceptions import ConfigError, FairflipError
from ..learning import LOGREG_C, fit_flip_path, make_model, predict_columns

__all__ = ["ShadowWeights", "fold_labels", "out_of_fold_predictions", "shadow_weights"]


@dataclass(frozen=True)
class ShadowWeights:
    """Row weights of the shadow firm and the facts they rest on."""

    alpha: float
    group_share: float
    copy_weight: float
    known_weight: float
    alpha_stated: bool
    group_share_stated: bool


def shadow_weights(view) -> ShadowWeights:
    """Weights that give the shadow pool the firm's group shares and the collective's share.

    Without a stated ``alpha`` the members are taken to be the whole acting group (alpha 1):
    that understates each flip's weight in the firm's pool, so the advice errs towards
    fewer flips. Without a stated group share, the share is what the view implies (the
    acting group is ``n_members / alpha`` rows, the other group the known rows).
    """
    alpha = 1.0 if view.alpha is None else view.alpha
    acting = view.n_members / alpha
    share = view.group_share
    if share is None:
        share = acting / (acting + view.n_known)
    other = acting * (1.0 - share) / share
    return ShadowWeights(alpha=alpha, group_share=share, copy_weight=(1.0 - alpha) / alpha,
                         known_weight=other / max(view.n_known, 1),
                         alpha_stated=view.alpha is not None,
                         group_share_stated=view.group_share is not None)


def fold_labels(y, n_folds: int, rng) -> np.ndarray:
    """A fold number per row, stratified by label (each label's rows dealt round-robin
    after a shuffle, so even a class of 3 rows is spread over folds without warnings)."""
    folds = np.empty(y.size, dtype=np.intp)
    for value in (0, 1):
        rows = np.flatnonzero(y == value)
        folds[rng.permutation(rows)] = np.arange(rows.size) % n_folds
    return folds


def _design(X, group_value, group_feature):
    if not group_feature:
        return X
    return np.column_stack([X, np.full(X.shape[0], float(group_value))])


def _fit_predict(X_tr, y_tr, sw, ranked, counts, X_ev, model, model_params, seed, start=None):
    """Predictions on ``X_ev`` of the shadow model for every flip count in ``counts``, and
    for the logistic path its unflipped model (coefficients, intercept) or None.

    ``start`` (another fold's unflipped model) starts the logistic path; the folds share
    most rows, so their optima are close and the solver needs fewer steps.
    """
    if model == "logreg" and not model_params:
        init = {} if start is None else {"coef_init": start[0], "intercept_init": start[1]}
        coef, intercept = fit_flip_path(X_tr, y_tr, ranked, counts, C=LOGREG_C,
                                        sample_weight=sw, **init)
        zero = np.flatnonzero(np.asarray(counts) == 0)
        unflipped = (coef[:, zero[0]].copy(), intercept[zero[0]]) if zero.size else None
        return predict_columns(X_ev, coef, intercept), unflipped
    from sklearn.utils.validation import has_fit_parameter

    est = make_model(model, random_state=seed, model_params=model_params)
    if not has_fit_parameter(est, "sample_weight"):
        raise ConfigError(f"The 'model' parameter {model!r} cannot be trained on the view: its fit "
                          "takes no sample_weight (the shadow firm weights rows to the group shares).")
    preds = np.empty((X_ev.shape[0], len(counts)), dtype=bool)
    cache = {}
    for j, n in enumerate(counts):
        if n not in cache:
            y_new = y_tr.copy()
            y_new[ranked[:n]] = 1
            est = make_model(model, random_state=seed, model_params=model_params)
            cache[n] = np.asarray(est.fit(X_tr, y_new, sample_weight=sw).predict(X_ev)) == 1
        preds[:, j] = cache[n]
    return preds, None


def out_of_fold_predictions(view, order, budgets, *, weights: ShadowWeights, model="logreg",
                            model_params=None, group_feature=True, n_folds=5, random_state=0):
    """Cross-fitted predictions of the shadow firm for every budget.

    Parameters
    ----------
    view : CollectiveView
    order : ndarray of int
        Candidate positions among the members, in flip order.
    budgets : ndarray of int
        Flip counts of the whole collective (the top ``b`` of ``order``).

    Returns
    -------
    pred : ndarray of bool, shape (n_members + n_known, len(budgets))
        Row ``i`` is predicted by the model of the fold that held row ``i`` out (members
        first, then the known rows).
    """
    rng = np.random.default_rng(sub_seed(random_state, "advise-folds"))
    fm = fold_labels(view.y_members, n_folds, rng)
    fk = fold_labels(view.y_known, n_folds, rng)
    Xm = _design(view.X_members, 1, group_feature)
    Xk = _design(view.X_known, 0, group_feature)
    n_m = view.n_members
    pred = np.zeros((n_m + view.n_known, len(budgets)), dtype=bool)
    start = None
    for f in range(n_folds):
        m_tr, k_tr = np.flatnonzero(fm != f), np.flatnonzero(fk != f)
        m_ev, k_ev = np.flatnonzero(fm == f), np.flatnonzero(fk == f)
        if m_ev.size + k_ev.size == 0:
            continue
        in_train = fm[order] != f
        ranked_tr = np.searchsorted(m_tr, order[in_train])
        # Budget b flips the top b of the whole ranking; those in this fold's training part.
        cum = np.concatenate([[0], np.cumsum(in_train)])
        counts = cum[np.asarray(budgets)]
        blocks = [(Xm[m_tr], view.y_members[m_tr], np.ones(m_tr.size))]
        if weights.copy_weight > 0:
            blocks.append((Xm[m_tr], view.y_members[m_tr], np.full(m_tr.size, weights.copy_weight)))
        blocks.append((Xk[k_tr], view.y_known[k_tr], np.full(k_tr.size, weights.known_weight)))
        X_tr = np.vstack([b[0] for b in blocks])
        y_tr = np.concatenate([b[1] for b in blocks]).astype(np.int8)
        sw = np.concatenate([b[2] for b in blocks])
        X_ev = np.vstack([Xm[m_ev], Xk[k_ev]])
        try:
            p, unflipped = _fit_predict(X_tr, y_tr, sw, ranked_tr, counts, X_ev, model,
                                        model_params, sub_seed(random_state, "advise-model", f),
                                        start)
            start = unflipped or start
        except FairflipError as exc:
            if isinstance(exc, ConfigError) and "cannot be trained" in str(exc):
                raise
            raise ConfigError(f"The shadow firm cannot be trained on the view: {exc}") from None
        except (ValueError, TypeError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ConfigError(f"The 'model' parameter {model!r} cannot be trained on the view: "
                              f"{first}") from None
        pred[m_ev] = p[:m_ev.size]
        pred[n_m + k_ev] = p[m_ev.size:]
    return pred
