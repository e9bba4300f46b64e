"""The shadow firm: the firm's training as the collective can imitate it from its view.

Members stand for the whole acting group: each training-fold member appears once with its
(possibly flipped) label and once more, unflipped, weighted ``(1 - alpha) / alpha`` for the
acting group's non-members. The known rows of the other group are weighted so the groups
have the stated shares. With a stated majority rate the other group is the
:func:`shadow_majority`: the known rows with labels shrunk towards a rate-anchored prior
(fewer known rows, more prior), weighted to the stated rate. Rows are cross-fitted: the rows
that score a budget (the held-out fold, original labels) are never rows the fold's model was
trained or flipped on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._seeding import sub_seed
from ..exceptions import ConfigError, FairflipError
from ..learning import LOGREG_C, fit_flip_path, make_model, predict_columns

__all__ = ["PRIOR_ROWS", "ShadowMajority", "ShadowWeights", "anchored_scores", "fold_labels",
           "out_of_fold_predictions",
           "shadow_majority", "shadow_weights"]

#: Strength of the rate-anchored prior, in known rows: with ``n`` known rows each row's label
#: is shrunk towards the prior by ``PRIOR_ROWS / (PRIOR_ROWS + n)``. Fixed on development
#: seeds 100-104 (``docs/advise.md``).
PRIOR_ROWS = 30


@dataclass(frozen=True)
class ShadowWeights:
    """Row weights of the shadow firm and the facts they rest on."""

    alpha: float
    group_share: float
    copy_weight: float
    known_weight: float
    n_known: int
    alpha_stated: bool
    group_share_stated: bool

    def known_weight_per_source(self, n_sources: int) -> float:
        """Weight of each source row of the other group (the group's total over its rows)."""
        return self.known_weight * self.n_known / max(n_sources, 1)


def shadow_weights(view) -> ShadowWeights:
    """Weights that give the shadow pool the firm's group shares and the collective's share.

    Without a stated ``alpha`` the members are taken to be the whole acting group (alpha 1):
    that understates each flip's weight in the firm's pool, so the advice errs towards
    fewer flips. Without a stated group share, the share is what the view implies (the
    acting group is ``n_members / alpha`` rows, the other group the known rows). A stated
    majority rate always comes with a stated share (the view checks it), so a view with no
    known rows still has the other group's weight.
    """
    alpha = 1.0 if view.alpha is None else view.alpha
    acting = view.n_members / alpha
    share = view.group_share
    if share is None:
        share = acting / (acting + view.n_known)
    other = acting * (1.0 - share) / share
    return ShadowWeights(alpha=alpha, group_share=share, copy_weight=(1.0 - alpha) / alpha,
                         known_weight=other / max(view.n_known, 1), n_known=max(view.n_known, 1),
                         alpha_stated=view.alpha is not None,
                         group_share_stated=view.group_share is not None)


@dataclass(frozen=True)
class ShadowMajority:
    """The rows standing for the other group in the shadow firm.

    Each source row appears once per label it carries mass for: ``y`` is that label,
    ``mass`` its share (1 for a known row's own label without a prior; ``p`` and ``1 - p``
    for a row with soft label ``p``). ``source`` is the row's position among the sources
    (known rows, or the members when no row is known), ``stratum`` the label the source row
    is bootstrapped within (its own label, or 0 for every row when there is none).
    """

    X: np.ndarray
    y: np.ndarray
    mass: np.ndarray
    source: np.ndarray
    stratum: np.ndarray
    n_sources: int
    prior_weight: float
    kind: str


def _anchored_prior(view, X_major, rate, n_anchor=None):
    """The other group's P(y = 1 | x) on ``X_major``: a logistic model of the members and
    known rows (group indicator included), its intercept for the other group moved so that
    the mean over the first ``n_anchor`` rows of ``X_major`` (default all) is the stated
    rate."""
    from scipy.optimize import brentq
    from scipy.special import expit
    from sklearn.linear_model import LogisticRegression

    X = np.vstack([_design(view.X_members, 1, True), _design(view.X_known, 0, True)])
    y = np.concatenate([view.y_members, view.y_known])
    model = LogisticRegression(C=LOGREG_C, max_iter=1000).fit(X, y)
    z = _design(X_major, 0, True) @ model.coef_[0] + model.intercept_[0]
    anchor = z[:n_anchor] if n_anchor is not None else z
    shift = brentq(lambda d: float(expit(anchor + d).mean()) - rate, -60.0, 60.0)
    return expit(z + shift)


def anchored_scores(view, X) -> np.ndarray:
    """The rate-anchored prior's P(y = 1 | x) on rows ``X`` had they been in the other group
    (a ranking score when the known rows are too few to learn from)."""
    X_major = view.X_known if view.n_known else view.X_members
    p_major = _anchored_prior(view, np.vstack([X_major, X]), view.majority_rate,
                              n_anchor=X_major.shape[0])
    return p_major[X_major.shape[0]:]


def shadow_majority(view, *, prior_rows=None) -> ShadowMajority:
    """The other group of the shadow firm.

    Without a stated majority rate: the known rows with their labels (as before the rate
    existed). With a stated rate ``r``: each known row's label is shrunk towards a prior
    ``p(x)`` (:func:`_anchored_prior`, a model of the view whose other-group mean is ``r``)
    by ``lam = prior_rows / (prior_rows + n_known)``, so 10 known rows lean on the prior,
    thousands on their own labels; then the label masses are scaled so that the group's
    favourable share is ``r``. With no known rows the members' features stand for the other
    group's (an assumption reported as a note) and the labels are the prior's.
    """
    rate = view.majority_rate
    prior_rows = PRIOR_ROWS if prior_rows is None else prior_rows
    if rate is None:
        n = view.n_known
        return ShadowMajority(view.X_known, view.y_known.astype(np.int8), np.ones(n),
                              np.arange(n), view.y_known.astype(np.int8), n, 0.0, "rows")
    if view.n_known:
        X_src, y_src = view.X_known, view.y_known.astype(float)
        lam = prior_rows / (prior_rows + view.n_known)
        stratum = view.y_known.astype(np.int8)
        kind = "known rows, rate-anchored"
    else:
        X_src, y_src, lam = view.X_members, np.zeros(view.n_members), 1.0
        stratum = np.zeros(view.n_members, np.int8)
        kind = "members' features, rate-anchored"
    p = (1.0 - lam) * y_src
    if lam > 0:
        p = p + lam * _anchored_prior(view, X_src, rate)
    # Move every row's odds by one factor so that the group's favourable share is the
    # stated rate (each source row keeps its total weight 1).
    inner = (p > 0) & (p < 1)
    if inner.any():
        from scipy.optimize import brentq

        def shifted(d):
            q = p.copy()
            q[inner] = p[inner] * np.exp(d) / (p[inner] * np.exp(d) + 1.0 - p[inner])
            return q

        low, high = shifted(-60.0).mean() - rate, shifted(60.0).mean() - rate
        if low < 0 < high:
            p = shifted(brentq(lambda d: float(shifted(d).mean()) - rate, -60.0, 60.0))
    n = y_src.size
    src = np.concatenate([np.arange(n), np.arange(n)])
    y = np.concatenate([np.ones(n, np.int8), np.zeros(n, np.int8)])
    mass = np.concatenate([p, 1.0 - p])
    keep = mass > 0
    return ShadowMajority(np.vstack([X_src, X_src])[keep], y[keep], mass[keep], src[keep],
                          np.concatenate([stratum, stratum])[keep], n, float(lam), kind)


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
                            model_params=None, group_feature=True, n_folds=5, random_state=0,
                            majority: ShadowMajority | None = None):
    """Cross-fitted predictions of the shadow firm for every budget.

    Parameters
    ----------
    view : CollectiveView
    order : ndarray of int
        Candidate positions among the members, in flip order.
    budgets : ndarray of int
        Flip counts of the whole collective (the top ``b`` of ``order``).
    majority : ShadowMajority or None
        The other group's rows (default :func:`shadow_majority` of the view).

    Returns
    -------
    pred : ndarray of bool, shape (n_members + majority rows, len(budgets))
        Row ``i`` is predicted by the model of the fold that held row ``i`` out (members
        first, then the majority rows; a source row's copies share its fold).
    """
    if majority is None:
        majority = shadow_majority(view)
    rng = np.random.default_rng(sub_seed(random_state, "advise-folds"))
    fm = fold_labels(view.y_members, n_folds, rng)
    src_strata = np.zeros(majority.n_sources, np.int8)
    src_strata[majority.source] = majority.stratum
    fk = fold_labels(src_strata, n_folds, rng)[majority.source]
    Xm = _design(view.X_members, 1, group_feature)
    Xk = _design(majority.X, 0, group_feature)
    y_major = majority.y
    # Every source row carries the group's weight per row, split by its label masses.
    w_major = weights.known_weight_per_source(majority.n_sources) * majority.mass
    n_m = view.n_members
    pred = np.zeros((n_m + y_major.size, len(budgets)), dtype=bool)
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
        blocks.append((Xk[k_tr], y_major[k_tr], w_major[k_tr]))
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
