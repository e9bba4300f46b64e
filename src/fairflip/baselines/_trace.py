"""Trace each firm-side fairness method along the knob that sets its error-fairness trade-off.

Every method trains on the unmodified split and is scored on the same test rows as the
collective, with :func:`fairflip.metrics.fairness_report`. One end of every default knob grid
is the unconstrained model, the other the fully constrained method (see ``DEFAULT_KNOBS``).
"""

from __future__ import annotations

import warnings
import weakref

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.utils import check_random_state
from sklearn.utils.validation import has_fit_parameter

from .._names import CALIBRATED_EO_METHODS, FIRM_METHODS
from ..data import split_validation
from ..exceptions import ConfigError
from ..learning import make_model, predict_columns
from ..metrics import METRIC_COLUMNS, fairness_report
from ._calibrated_eo import COST_CONSTRAINTS, CalibratedEqualizedOdds, _cost_weights
from ._fare import FARE
from ._preprocess import massage_labels, massaging_pairs, reweighing_weights
from ._warm import (
    SharedStart,
    WarmStartLogisticRegression,
    fit_from,
    fit_label_columns,
    is_default_logreg,
)

__all__ = ["ALGORITHM_VERSIONS", "CALIBRATED_EO_METHODS", "CALIBRATION_SHARE", "DEFAULT_KNOBS",
           "FIRM_METHODS", "TRACE_COLUMNS", "fit_base", "trace_method", "trace_predictions"]


# Unconstrained end first. expgrad: EqualizedOdds difference bound (1.0 never binds);
# threshold / calibrated_eo (each cost constraint): probability of using the post-processed
# prediction instead of the base model's; massaging: fraction of Kamiran & Calders' pair
# count M; reweighing:
# strength t of the weights 1 + t (W - 1); correlation_remover: fairlearn's alpha.
# fare: (fairness weight, k) pairs, as the authors sweep both (their equalized-odds grids:
# weights 0.1 .. 0.999, k 2 .. 200). The group term's gains are small beside the label
# term's, so the trade-off bites only for weights near 1 (COMPAS stops splitting above
# ~0.93); k = 2 is the coarsest (most fair, tightest certificate) and 200 the finest.
_FARE_WEIGHTS = (0.0, 0.5, 0.8, 0.9, 0.95, 0.99)
_FARE_KS = (2, 10, 50, 200)
_RAMP = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
DEFAULT_KNOBS = {
    "expgrad": (1.0, 0.2, 0.1, 0.05, 0.02, 0.01, 0.0),
    "threshold": _RAMP,
    "calibrated_eo": _RAMP,
    "massaging": _RAMP,
    "reweighing": _RAMP,
    "correlation_remover": _RAMP,
    "fare": tuple((w, k) for w in _FARE_WEIGHTS for k in _FARE_KS),
}
DEFAULT_KNOBS.update({name: _RAMP for name in CALIBRATED_EO_METHODS})

#: Algorithm version of each firm-side method: bump it when a change moves the method's
#: numbers (a sweep's unit ids carry it, so a resumed file recomputes exactly its units), and
#: write the CHANGELOG line. calibrated_eo 2: labels drawn from the post-processed scores,
#: post-processor fitted on held-out training rows, one trace per cost constraint.
#: expgrad 2 and massaging 2: the default logistic regression is solved by the batched
#: solver (expgrad's best responses warm-started from the previous one, massaging's
#: labellings as the columns of one fit), to its accuracy rather than scikit-learn's.
ALGORITHM_VERSIONS = {name: 1 for name in DEFAULT_KNOBS}
ALGORITHM_VERSIONS.update({name: 2 for name in ("calibrated_eo", *CALIBRATED_EO_METHODS,
                                                "expgrad", "massaging")})

#: Share of the firm's training rows held out to fit calibrated EO's post-processor.
CALIBRATION_SHARE = 0.3

#: ``knob2`` is a method's second knob (FARE's k) and ``certificate`` FARE's bound on the
#: EqOd of any classifier on its representation; both NaN for the other methods.
TRACE_COLUMNS = ("family", "method", "knob", "knob2", "n_label_changes", *METRIC_COLUMNS,
                 "certificate")


def _model_state(random_state):
    """The model's seed: an int or None as given (so the base matches the runner's firm), a
    fresh int drawn from a RandomState instance."""
    if random_state is None or isinstance(random_state, (int, np.integer)):
        return random_state
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


def _draw_seed(rng):
    return int(rng.randint(np.iinfo(np.int32).max))


def fit_base(split, *, model="logreg", random_state=None):
    """The unconstrained firm model: ``make_model(model)`` fitted on the training split."""
    est = make_model(model, random_state=_model_state(random_state))
    return est.fit(split.X_train, split.y_train)


# The last unconstrained fit, for the tracers of one split: threshold, the massaging ranker,
# expgrad's first best responses and the unconstrained ends of massaging and reweighing all
# fit this same model on the same rows (a sweep job traces them one after another, each on
# its own Split of the job's training arrays). (refs to X_train and y_train, key, model)
_LAST_BASE: list = [None, None, None]


def _same_rows(refs, split) -> bool:
    return refs is not None and refs[0]() is split.X_train and refs[1]() is split.y_train


def _shared_base(split, model, random_state):
    """:func:`fit_base`, fitted once per training arrays, model and seed (treat the result as
    read-only): splits that share ``X_train`` and ``y_train`` (the same objects) share it.

    The default logistic regression (Newton-Cholesky) ignores its seed, so every method's
    base is one fit there; other models keep one fit per seed.
    """
    key = (repr(model), None if model == "logreg" else _model_state(random_state))
    refs, last_key, est = _LAST_BASE
    if _same_rows(refs, split) and last_key == key:
        return est
    est = fit_base(split, model=model, random_state=random_state)
    _LAST_BASE[:] = [(weakref.ref(split.X_train), weakref.ref(split.y_train)), key, est]
    return est


def _check_knobs(name, knobs):
    knobs = DEFAULT_KNOBS[name] if knobs is None else knobs
    if name == "fare":
        return _check_fare_knobs(knobs)
    arr = np.atleast_1d(np.asarray(knobs, dtype=np.float64))
    if arr.ndim != 1 or arr.size == 0 or not np.isfinite(arr).all():
        raise ConfigError(f"The 'knobs' parameter must be finite numbers. Got {knobs!r} instead.")
    if name == "expgrad":
        if (arr < 0).any():
            raise ConfigError(
                f"The 'knobs' parameter of expgrad (difference bounds) must be >= 0. Got "
                f"{knobs!r} instead."
            )
    elif ((arr < 0) | (arr > 1)).any():
        raise ConfigError(
            f"The 'knobs' parameter of {name} must lie in [0, 1]. Got {knobs!r} instead.")
    return arr


def _check_fare_knobs(knobs):
    try:
        arr = np.asarray(knobs, dtype=np.float64)
    except (TypeError, ValueError):
        arr = None
    if (arr is None or arr.ndim != 2 or arr.shape[1] != 2 or arr.shape[0] == 0 or not np.isfinite(arr).all()
            or ((arr[:, 0] < 0) | (arr[:, 0] > 1)).any()
            or (arr[:, 1] < 2).any() or (arr[:, 1] != np.round(arr[:, 1])).any()):
        raise ConfigError(
            "The 'knobs' parameter of fare must be (fairness weight in [0, 1], integer k >= 2) "
            f"pairs. Got {knobs!r} instead.")
    return arr


def _require_weights(est, name):
    if not has_fit_parameter(est, "sample_weight"):
        raise ConfigError(
            f"The 'model' parameter must accept sample_weight for {name}. Got "
            f"{type(est).__name__} instead."
        )


def _scores(est, X):
    if hasattr(est, "predict_proba"):
        return est.predict_proba(X)[:, 1]
    raise ConfigError(
        f"The 'model' parameter must have predict_proba for calibrated_eo. Got "
        f"{type(est).__name__} instead."
    )


def _mix(base_pred, post_pred, knobs, rng):
    # Common random numbers: one uniform per test row shared by all knob values, so the rows
    # switched to the post-processed prediction grow with p and the trace is not knob noise.
    u = rng.random_sample(base_pred.shape[0])
    return [np.where(u < p, post_pred, base_pred).astype(np.int8) for p in knobs]


# Whether expgrad's best responses of the default logistic regression start from the
# previous one (a module constant so tests and benchmarks can run today's cold fits).
_EXPGRAD_WARM_START = True


def _expgrad(split, knobs, model, random_state, rng, params):
    from fairlearn.reductions import EqualizedOdds, ExponentiatedGradient

    est = make_model(model, random_state=_model_state(random_state))
    _require_weights(est, "expgrad")
    warm = _EXPGRAD_WARM_START and is_default_logreg(model)
    if warm:
        base = _shared_base(split, model, random_state)
    # The reduction returns a randomised classifier. One seed serves every knob, so a bound's
    # numbers do not depend on which other bounds are in the grid.
    seed = _draw_seed(rng)
    out = []
    for bound in knobs:
        if warm:
            # fairlearn clones the estimator for every best response; the clones share one
            # SharedStart, so each starts from the last. Every bound starts from the base
            # model, so its numbers do not depend on the other bounds either.
            est = WarmStartLogisticRegression(start=SharedStart(base.coef_, base.intercept_))
        eg = ExponentiatedGradient(
            clone(est), constraints=EqualizedOdds(difference_bound=float(bound)), **params)
        eg.fit(split.X_train, split.y_train, sensitive_features=split.g_train)
        out.append(np.asarray(eg.predict(split.X_test, random_state=seed), dtype=np.int8))
    return out, [0] * len(knobs)


def _threshold(split, knobs, model, random_state, rng, params):
    from fairlearn.postprocessing import ThresholdOptimizer

    base = _shared_base(split, model, random_state)
    method = "predict_proba" if hasattr(base, "predict_proba") else "decision_function"
    kw = {"constraints": "equalized_odds", "predict_method": method}
    kw.update(params)
    to = ThresholdOptimizer(estimator=base, prefit=True, **kw)
    to.fit(split.X_train, split.y_train, sensitive_features=split.g_train)
    seed = _draw_seed(rng)
    post = np.asarray(to.predict(split.X_test, sensitive_features=split.g_test,
                                 random_state=seed), dtype=np.int8)
    return _mix(base.predict(split.X_test), post, knobs, rng), [0] * len(knobs)


def _calibration_fit(split, model, random_state, rng, share):
    """(calibration split, model fitted on its other rows): ``split_validation`` holds out
    ``share`` of the training rows, stratified by group and label, with the first int drawn
    from ``rng``. Kept for the next call on the same split, model, seed and share (a trace
    of the three cost constraints fits once)."""
    seed = _draw_seed(rng)
    key = (repr(model), _model_state(random_state), seed, share)
    ref, last_key, out = _LAST_CALIBRATION
    if ref is not None and ref() is split and last_key == key:
        return out
    cal = split_validation(split, val_size=share, random_state=seed)
    est = make_model(model, random_state=_model_state(random_state)).fit(cal.X_train, cal.y_train)
    _LAST_CALIBRATION[:] = [weakref.ref(split), key, (cal, est)]
    return cal, est


_LAST_CALIBRATION: list = [None, None, None]


def _calibrated_eo_tracer(cost):
    def tracer(split, knobs, model, random_state, rng, params):
        params = dict(params)
        share = params.pop("calibration_share", CALIBRATION_SHARE)
        if cost is not None and params.setdefault("cost_constraint", cost) != cost:
            raise ConfigError(
                f"The 'params' parameter of calibrated_eo_{cost} must not set another "
                f"cost_constraint. Got {params['cost_constraint']!r} instead.")
        # Pleiss et al. and aif360 fit the mixing rates on held-out rows: the model that
        # scores them is fitted on the rest of the training pool, and it is also the
        # unconstrained end of the trace.
        cal, est = _calibration_fit(split, model, random_state, rng, share)
        ceo = CalibratedEqualizedOdds(**params).fit(_scores(est, cal.X_test), cal.y_test,
                                                    cal.g_test)
        post = ceo.predict(_scores(est, split.X_test), split.g_test, random_state=_draw_seed(rng))
        return _mix(est.predict(split.X_test), post, knobs, rng), [0] * len(knobs)
    return tracer


def _massaging(split, knobs, model, random_state, rng, params):
    ranker = _shared_base(split, "logreg", None)
    plan = massaging_pairs(split.y_train, split.g_train, ranker.predict_proba(split.X_train)[:, 1])
    pairs = [int(np.rint(frac * plan.n_pairs_max)) for frac in knobs]
    massaged = sorted({n for n in pairs if n > 0})
    labels = {n: massage_labels(split.y_train, plan, n_pairs=n) for n in massaged}
    if is_default_logreg(model) and massaged:
        # Every massaged labelling is one column of one batched fit, started from the base
        # (labels move both ways, so the one-way flip path does not apply).
        coef, intercept = fit_label_columns(split.X_train, [labels[n] for n in massaged], ranker)
        cols = predict_columns(split.X_test, coef, intercept).astype(np.int8).T
        pred = dict(zip(massaged, cols, strict=True))
    else:
        pred = {n: make_model(model, random_state=_model_state(random_state)).fit(
            split.X_train, labels[n]).predict(split.X_test) for n in massaged}
    # No pair: the labels as they are, the base model.
    out = [pred[n] if n else _shared_base(split, model, random_state).predict(split.X_test)
           for n in pairs]
    return out, [2 * n for n in pairs]


def _reweighing(split, knobs, model, random_state, rng, params):
    out = []
    prev = None
    for t in knobs:
        est = make_model(model, random_state=_model_state(random_state))
        _require_weights(est, "reweighing")
        w = reweighing_weights(split.y_train, split.g_train, strength=t)
        # Unit weights: the base model bit for bit (one fit shared with the other methods).
        if np.all(w == 1.0):
            prev = _shared_base(split, model, random_state)
        else:
            # Nearby strengths have nearby optima: start from the last knob's (or the base's).
            if prev is None and is_default_logreg(model):
                prev = _shared_base(split, model, random_state)
            prev = fit_from(model, est, prev, split.X_train, split.y_train, sample_weight=w)
        out.append(prev.predict(split.X_test))
    return out, [0] * len(knobs)


def _correlation_remover(split, knobs, model, random_state, rng, params):
    from fairlearn.preprocessing import CorrelationRemover

    # CorrelationRemover drops the sensitive columns it decorrelates from. Keeping the group
    # column beside the filtered features would undo it for a linear model (the filtered
    # features are a linear map of the original ones and the group), so every knob value
    # trains group-blind: alpha = 0 is the base model without the group column.
    def with_group(X, g):
        if split.group_column is not None:
            return X, split.group_column
        return np.column_stack([X, g]), X.shape[1]

    X_tr, col = with_group(split.X_train, split.g_train)
    X_te, _ = with_group(split.X_test, split.g_test)
    out = []
    prev = None
    # Its fit (a least-squares projection) does not depend on alpha, which only blends the
    # filtered and the original features in transform: one fit serves every alpha.
    cr = CorrelationRemover(sensitive_feature_ids=[col]).fit(X_tr)
    for alpha in knobs:
        cr.set_params(alpha=float(alpha))
        est = make_model(model, random_state=_model_state(random_state))
        # The features move continuously with alpha: start from the last alpha's optimum.
        prev = fit_from(model, est, prev, cr.transform(X_tr), split.y_train)
        out.append(prev.predict(cr.transform(X_te)))
    return out, [0] * len(knobs)


def _fare(split, knobs, model, random_state, rng, params):
    # FARE's encoder does not see the group (the paper's encoder maps x, not (x, a)), and
    # the classifier sees only the encoding, so the certificate covers it.
    X_train, X_test = split.scoring_view(split.X_train), split.scoring_view(split.X_test)
    y, g = split.y_train, split.g_train
    out, extras = [], []
    fitted = {}
    # One tree per weight, grown to the largest k: a smaller k is a prefix of it.
    for w in dict.fromkeys(knobs[:, 0]):
        k_max = int(knobs[knobs[:, 0] == w, 1].max())
        fitted[w] = FARE(k=k_max, fairness_weight=float(w), model=model,
                         random_state=random_state, **params).fit(X_train, y, g)
    for w, k in knobs:
        fare = fitted[w]._with_k(int(k), X_train, y, g)
        out.append(np.asarray(fare.predict(X_test), dtype=np.int8))
        extras.append({"knob2": float(k), "certificate": float(fare.certificate_)})
    return out, [0] * len(knobs), extras


_FARE_PARAMS = {"min_samples_leaf", "certify_size", "confidence", "categorical_features"}

_TRACERS = {
    "expgrad": _expgrad,
    "threshold": _threshold,
    "calibrated_eo": _calibrated_eo_tracer(None),
    **{f"calibrated_eo_{cost}": _calibrated_eo_tracer(cost) for cost in COST_CONSTRAINTS},
    "massaging": _massaging,
    "reweighing": _reweighing,
    "correlation_remover": _correlation_remover,
    "fare": _fare,
}


def trace_method(name, split, *, knobs=None, model="logreg", random_state=None, params=None):
    """Train one firm-side method at every knob value and report its test metrics.

    Parameters
    ----------
    name : str
        One of :data:`FIRM_METHODS` or :data:`CALIBRATED_EO_METHODS`:

        - ``"expgrad"``: fairlearn ``ExponentiatedGradient`` with
          ``EqualizedOdds(difference_bound=knob)``; default bounds 1.0 (never binds: close
          to, not equal to, the base model) down to 0.0. With the default logistic
          regression each best response starts from the previous one (each bound's first
          from the base model), solved by the batched solver.
        - ``"threshold"``: fairlearn ``ThresholdOptimizer(constraints="equalized_odds")`` on
          the prefit base model; ``knob`` = probability p that a test row gets the
          post-processed prediction instead of the base's (0 = base exactly).
        - ``"calibrated_eo"``: :class:`CalibratedEqualizedOdds` (Pleiss et al. 2017), one
          trace per cost constraint (rows with ``method`` ``calibrated_eo_fnr``,
          ``calibrated_eo_fpr``, ``calibrated_eo_weighted`` and ``family``
          ``calibrated_eo``; one of them with ``params={"cost_constraint": ...}`` or by its
          own name). The post-processor is fitted on held-out rows: ``CALIBRATION_SHARE``
          (0.3; ``params["calibration_share"]``) of the training rows, drawn by
          :func:`fairflip.data.split_validation` (stratified by group and label) with the
          first int drawn from ``random_state``; the firm's model is fitted on the other
          rows and is the unconstrained end (not the model fitted on every training row).
          ``knob`` = probability that a test row gets the post-processed label (drawn as
          Bernoulli of its post-processed score) instead of the model's; 1 = the costs
          equalised on the held-out rows. The three constraints share the held-out rows,
          the model and the random numbers.
        - ``"massaging"``: Kamiran & Calders' massaging; ``knob`` = fraction of their pair
          count M (the number that equalises the groups' positive rates); the firm model is
          retrained on the massaged labels (the default logistic regression on all of them
          in one batched fit). ``n_label_changes`` = 2 x pairs.
        - ``"reweighing"``: Kamiran & Calders' weights shrunk by strength ``knob``.
        - ``"correlation_remover"``: fairlearn ``CorrelationRemover(alpha=knob)``; the model
          is trained without the group column at every alpha.
        - ``"fare"``: :class:`FARE` (Jovanovic et al. 2023); each knob is a pair
          (``fairness_weight``, ``k``), reported as ``knob`` and ``knob2``, with the
          representation's ``certificate``. The encoder and the classifier do not see the
          group column(s); 30 % of the training rows are held out of the tree to certify.
    split : Split
        Train and test arrays; the group is passed to fairlearn as ``sensitive_features``.
    knobs : sequence of float (of pairs for fare) or None
        Knob values, in the order of the rows returned; ``None`` uses ``DEFAULT_KNOBS[name]``.
    model : str or estimator, default="logreg"
        The firm's classifier, as :func:`fairflip.learning.make_model` takes it.
    random_state : int, RandomState or None
        An int (or None) is passed to ``make_model`` as is, so the unconstrained end is the
        firm's base model; the same value also seeds the randomised predictions. Same int,
        same numbers.
    params : dict or None
        Extra options of the wrapped method (``ExponentiatedGradient`` keyword arguments,
        ``ThresholdOptimizer`` ones, or ``cost_constraint``/``threshold`` of
        :class:`CalibratedEqualizedOdds` and ``calibration_share``, or :class:`FARE`'s
        ``min_samples_leaf``, ``certify_size``, ``confidence``, ``categorical_features``).

    Returns
    -------
    DataFrame
        One row per knob (per knob and cost constraint for ``"calibrated_eo"``), columns
        :data:`TRACE_COLUMNS`: ``family`` and ``method`` (both ``name``, except calibrated
        EO's, see above), ``knob``, ``knob2`` (NaN but for fare), ``n_label_changes``
        (training labels changed: 2 x pairs for massaging, 0 for the others), every column of
        ``METRIC_COLUMNS`` and ``certificate`` (NaN but for fare).
    """
    if name in CALIBRATED_EO_METHODS:
        return _trace_rows(name, "calibrated_eo", split, knobs, model, random_state, params)
    if name == "calibrated_eo":
        params = dict(params or {})
        costs = ([_check_cost(params.pop("cost_constraint"))] if "cost_constraint" in params
                 else COST_CONSTRAINTS)
        return pd.concat([
            _trace_rows(f"calibrated_eo_{c}", "calibrated_eo", split, knobs, model, random_state,
                        params) for c in costs], ignore_index=True)
    return _trace_rows(name, name, split, knobs, model, random_state, params)


def _check_cost(cost):
    _cost_weights(cost)
    return cost


def _trace_rows(name, family, split, knobs, model, random_state, params):
    knobs, preds, changes, extras = trace_predictions(
        name, split, knobs=knobs, model=model, random_state=random_state, params=params)
    rows = []
    for knob, y_pred, n_changed, extra in zip(knobs, preds, changes, extras, strict=True):
        row = {"family": family, "method": name, "knob": float(knob), "knob2": np.nan,
               "n_label_changes": int(n_changed), "certificate": np.nan}
        row.update(fairness_report(split.y_test, y_pred, split.g_test))
        row.update(extra)
        rows.append(row)
    return pd.DataFrame(rows, columns=list(TRACE_COLUMNS))


def trace_predictions(name, split, *, knobs=None, model="logreg", random_state=None, params=None):
    """(knobs, test predictions per knob, training labels changed per knob, extra columns per
    knob) of :func:`trace_method`, whose parameters it takes; sweeps score the predictions on
    more than one set of rows. One trace: ``"calibrated_eo"`` is one cost constraint here,
    ``params["cost_constraint"]`` or else ``"weighted"``. For fare, ``knobs`` are the fairness
    weights and each knob's extra columns are ``knob2`` (its k) and ``certificate``; the other
    methods have none."""
    if name not in _TRACERS:
        raise ConfigError(
            f"The 'name' parameter must be one of "
            f"{', '.join(FIRM_METHODS + CALIBRATED_EO_METHODS)}. Got {name!r} instead."
        )
    knobs = _check_knobs(name, knobs)
    params = dict(params or {})
    if params and name in ("massaging", "reweighing", "correlation_remover"):
        raise ConfigError(f"The 'params' parameter is not used by {name}. Got {params!r} instead.")
    if name == "fare" and set(params) - _FARE_PARAMS:
        raise ConfigError(f"The 'params' parameter of fare takes {', '.join(sorted(_FARE_PARAMS))}."
                          f" Got {params!r} instead.")
    # A RandomState becomes one int here, so every model of the trace gets the same seed.
    random_state = _model_state(random_state)
    rng = check_random_state(random_state)
    with warnings.catch_warnings():
        _silence_known_warnings()
        traced = _TRACERS[name](split, knobs, model, random_state, rng, params)
    preds, changes = traced[:2]
    extras = traced[2] if len(traced) > 2 else [{} for _ in preds]
    if name == "fare":
        knobs = knobs[:, 0]
    return knobs, preds, changes, extras


def _silence_known_warnings():
    """Ignore specific, known third-party warnings that do not concern our results."""
    import pandas.errors

    # fairlearn 0.15's moments grow an empty float Series of flags with ``.at[i] = True``
    # (utility_parity.load_data); pandas 3 deprecates both the growing and the dtype change
    # for pandas 4 but still performs them, so the flags fairlearn reads back are right.
    category = getattr(pandas.errors, "Pandas4Warning", FutureWarning)
    for message in ("Setting a value on a Series via .at with a key that does not exist",
                    "Setting an item of incompatible dtype is deprecated"):
        warnings.filterwarnings("ignore", message=message, category=category,
                                module=r"fairlearn\.")
