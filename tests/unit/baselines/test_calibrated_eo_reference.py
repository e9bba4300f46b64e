"""Calibrated equalized odds against aif360's ``CalibratedEqOddsPostprocessing``.

Same scores and rows for both: COMPAS (race) and Adult (sex), one split, a logistic
regression fitted on the firm's training rows less the 30 % that ``trace_method`` holds out
(drawn as it documents), the post-processor fitted on those held-out rows, every score
taken on the test rows. aif360 is a test-only dependency (the ``test`` extra): absent, these
tests skip, except under ``CI=true``, where its absence fails them. It logs warnings at
import and seeds NumPy's global generator in ``predict``; both are contained here.

Tolerances. The mixing rates are the same arithmetic: 1e-9. Predictions are random in both
(the withholding; our default also draws each label). aif360's labels are drawn from its
post-processed scores with the uniforms ours use, so the two differ only by which rows each
withholds: nothing where a mixing rate is 0 or 1, and at most 0.005 in EqOd or error in the
six (data set, cost) cases here (withholding rates 0.15 and 0.23). We allow 0.02 for
realised EqOd and error and 0.01 for expected ones (score means).
"""

import contextlib
import logging
import os
import warnings

import numpy as np
import pandas as pd
import pytest

from fairflip.baselines import (
    CALIBRATION_SHARE,
    COST_CONSTRAINTS,
    DEFAULT_KNOBS,
    CalibratedEqualizedOdds,
    trace_method,
)
from fairflip.data import load_dataset, split_problem, split_validation
from fairflip.learning import make_model
from fairflip.metrics import fairness_report

SEED = 0
TOL_RATE = 1e-9
TOL_REALISED = 0.02
TOL_EXPECTED = 0.01
DATASETS = (("compas", "race"), ("adult", "sex"))


@contextlib.contextmanager
def _contained():
    """No warnings or log records out of aif360, and NumPy's global generator as it was."""
    state = np.random.get_state()
    disabled = logging.root.manager.disable
    logging.disable(logging.WARNING)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logging.disable(disabled)
        np.random.set_state(state)


@pytest.fixture(scope="module")
def aif360():
    try:
        with _contained():
            from aif360.algorithms.postprocessing import CalibratedEqOddsPostprocessing
            from aif360.datasets import BinaryLabelDataset
    except ImportError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"aif360 (the test extra) must be installed under CI=true: {exc}")
        pytest.skip(f"aif360 is not installed: {exc}")
    return CalibratedEqOddsPostprocessing, BinaryLabelDataset


class _Case:
    """One data set: the trace's held-out rows and model, and their scores."""

    def __init__(self, dataset, sensitive):
        self.split = split_problem(load_dataset(dataset, sensitive=sensitive), random_state=SEED)
        # As trace_method draws them: the first int of random_state seeds the hold-out.
        seed = int(np.random.RandomState(SEED).randint(np.iinfo(np.int32).max))
        self.cal = split_validation(self.split, val_size=CALIBRATION_SHARE, random_state=seed)
        self.model = make_model("logreg").fit(self.cal.X_train, self.cal.y_train)
        self.s_cal = self.model.predict_proba(self.cal.X_test)[:, 1]
        self.s_test = self.model.predict_proba(self.split.X_test)[:, 1]
        self.base = self.model.predict(self.split.X_test)


@pytest.fixture(scope="module", params=DATASETS, ids=[d for d, _ in DATASETS])
def case(request):
    return _Case(*request.param)


def _dataset(BinaryLabelDataset, y, g, scores):
    df = pd.DataFrame({"group": np.asarray(g, float), "label": np.asarray(y, float)})
    data = BinaryLabelDataset(df=df, label_names=["label"], protected_attribute_names=["group"],
                              favorable_label=1.0, unfavorable_label=0.0)
    data.scores = np.asarray(scores, float).reshape(-1, 1)
    return data


def _fit_aif360(aif360, case, cost):
    """aif360 fitted on the held-out rows; its post-processed test scores and labels."""
    Postprocessing, BinaryLabelDataset = aif360
    with _contained():
        # The acting group (1) is aif360's "unprivileged" one; the choice does not matter to
        # the algorithm (the cheaper group mixes), only to the names of its attributes.
        ref = Postprocessing(unprivileged_groups=[{"group": 1}], privileged_groups=[{"group": 0}],
                             cost_constraint=cost, seed=SEED)
        cal, s = case.cal, case.split
        ref.fit(_dataset(BinaryLabelDataset, cal.y_test, cal.g_test, np.zeros(cal.y_test.size)),
                _dataset(BinaryLabelDataset, cal.y_test, cal.g_test, case.s_cal))
        out = ref.predict(_dataset(BinaryLabelDataset, s.y_test, s.g_test, case.s_test))
    rates = np.array([ref.priv_mix_rate, ref.unpriv_mix_rate], dtype=float)
    return ref, rates, out.scores.ravel(), out.labels.ravel().astype(np.int8)


def _ours(case, cost, **kw):
    cal = case.cal
    return CalibratedEqualizedOdds(cost_constraint=cost, **kw).fit(case.s_cal, cal.y_test,
                                                                   cal.g_test)


def _report(case, y_pred):
    return fairness_report(case.split.y_test, y_pred, case.split.g_test)


def _expected_eqod(case, scores):
    """EqOd of the randomised classifier with these P(label 1): its rates are score means."""
    y, g = case.split.y_test, case.split.g_test
    rate = {(v, lab): scores[(g == v) & (y == lab)].mean() for v in (0, 1) for lab in (0, 1)}
    return 0.5 * (abs(rate[1, 1] - rate[0, 1]) + abs(rate[1, 0] - rate[0, 0]))


def test_global_generator_is_restored(aif360, case):
    # aif360's predict calls np.random.seed(SEED); start from another state so a leak shows.
    outer = np.random.get_state()
    try:
        np.random.seed(SEED + 12345)
        before = np.random.get_state()
        _fit_aif360(aif360, case, "weighted")
        after = np.random.get_state()
        np.testing.assert_array_equal(after[1], before[1])
        assert after[2:] == before[2:]
    finally:
        np.random.set_state(outer)


@pytest.mark.parametrize("cost", COST_CONSTRAINTS)
def test_mixing_rates_match_aif360(aif360, case, cost):
    ref, rates, _, _ = _fit_aif360(aif360, case, cost)
    ours = _ours(case, cost)
    np.testing.assert_allclose(ours.base_rate_, [ref.base_rate_priv, ref.base_rate_unpriv],
                               atol=TOL_RATE)
    # aif360 leaves an infeasible rate above 1 (withholding every score still leaves the
    # cheaper group cheaper); ours clips it and says so.
    np.testing.assert_allclose(ours.mix_rate_, np.minimum(rates, 1.0), atol=TOL_RATE)
    assert ours.equalized_ == bool((rates <= 1.0).all())


@pytest.mark.parametrize("cost", COST_CONSTRAINTS)
def test_thresholded_predictions_match_aif360(aif360, case, cost):
    _, _, _, labels = _fit_aif360(aif360, case, cost)
    ours = _ours(case, cost, threshold=0.5).predict(case.s_test, case.split.g_test,
                                                    random_state=SEED)
    mine, ref = _report(case, ours), _report(case, labels)
    assert mine["eqod"] == pytest.approx(ref["eqod"], abs=TOL_REALISED)
    assert mine["error"] == pytest.approx(ref["error"], abs=TOL_REALISED)


def _label_uniforms(seed, n):
    """The uniforms :meth:`CalibratedEqualizedOdds.predict` draws for the labels (after n for
    the withholding), so aif360's labels can be drawn with the same numbers."""
    return np.random.RandomState(seed).random_sample(2 * n)[n:]


@pytest.mark.parametrize("cost", COST_CONSTRAINTS)
def test_randomised_predictions_match_aif360_scores(aif360, case, cost):
    # The fix: labels drawn from the post-processed scores. aif360's predict returns those
    # scores; drawing its labels with the same uniforms is the reference (only the two
    # withholding draws differ).
    _, _, scores, _ = _fit_aif360(aif360, case, cost)
    ours = _ours(case, cost)
    assert _expected_eqod(case, ours.expected_scores(case.s_test, case.split.g_test)) == (
        pytest.approx(_expected_eqod(case, scores), abs=TOL_EXPECTED))
    ref_labels = (_label_uniforms(SEED, scores.size) < scores).astype(np.int8)
    mine = _report(case, ours.predict(case.s_test, case.split.g_test, random_state=SEED))
    ref = _report(case, ref_labels)
    assert mine["eqod"] == pytest.approx(ref["eqod"], abs=TOL_REALISED)
    assert mine["error"] == pytest.approx(ref["error"], abs=TOL_REALISED)


def test_thresholding_withheld_scores_is_what_raised_eqod(aif360, case):
    # The suspect, shown with the reference: wherever a group is withheld entirely (an
    # infeasible equalisation), aif360's thresholded labels give that group one label, so
    # its TPR and FPR are equal (both 0 below a base rate of 0.5), and EqOd rises well above
    # the model's. Labels drawn from the same scores give that group the calibrated trivial
    # classifier instead: TPR and FPR near its base rate.
    base = _report(case, case.base)
    seen = 0
    for cost in COST_CONSTRAINTS:
        ref, rates, scores, labels = _fit_aif360(aif360, case, cost)
        if not (rates > 1).any():
            continue
        seen += 1
        withheld = int(np.argmax(rates))
        who = "acting" if withheld == 1 else "other"
        mu = ref.base_rate_unpriv if withheld == 1 else ref.base_rate_priv
        thr = _report(case, labels)
        assert thr[f"tpr_{who}"] == thr[f"fpr_{who}"] == float(mu >= 0.5)
        assert thr["eqod"] > base["eqod"] + 0.1
        drawn = _report(case, (_label_uniforms(SEED, scores.size) < scores).astype(np.int8))
        for rate, label in (("tpr", 1), ("fpr", 0)):
            n_cell = ((case.split.g_test == withheld) & (case.split.y_test == label)).sum()
            # Four binomial standard errors of a Bernoulli(mu) rate over the cell.
            assert drawn[f"{rate}_{who}"] == pytest.approx(
                mu, abs=4 * np.sqrt(mu * (1 - mu) / n_cell))
    assert seen >= 1  # both data sets have an infeasible constraint (see docs/calibrated-eo.md)


@pytest.mark.parametrize("rule", ["drawn", "thresholded"])
@pytest.mark.parametrize("cost", COST_CONSTRAINTS)
def test_front_lowest_eqod_matches_aif360(aif360, case, cost, rule):
    # The trace mixes the model's labels with the post-processed ones (knob = probability of
    # the post-processed label). Build aif360's front the same way on the same rows, with
    # the trace's random numbers (its draws from random_state, in order: the hold-out seed,
    # the post-processor's seed, then one uniform per test row for the mixing), from labels
    # drawn from aif360's post-processed scores (our default) or from its thresholded labels
    # (aif360's rule, ours with threshold=0.5): the lowest EqOd and its error agree.
    knobs = DEFAULT_KNOBS["calibrated_eo"]
    params = {} if rule == "drawn" else {"threshold": 0.5}
    ours = trace_method(f"calibrated_eo_{cost}", case.split, knobs=knobs, random_state=SEED,
                        params=params)
    _, _, scores, labels = _fit_aif360(aif360, case, cost)
    rng = np.random.RandomState(SEED)
    rng.randint(np.iinfo(np.int32).max)
    post_seed = int(rng.randint(np.iinfo(np.int32).max))
    if rule == "drawn":
        labels = (_label_uniforms(post_seed, scores.size) < scores).astype(np.int8)
    u = rng.random_sample(scores.size)
    ref = pd.DataFrame([_report(case, np.where(u < k, labels, case.base)) for k in knobs])
    np.testing.assert_equal(ours["eqod"].iloc[0], ref["eqod"].iloc[0])  # the same model
    assert ours["eqod"].min() == pytest.approx(ref["eqod"].min(), abs=TOL_REALISED)
    assert ours["error"][ours["eqod"].idxmin()] == pytest.approx(
        ref["error"][ref["eqod"].idxmin()], abs=TOL_REALISED)


@pytest.mark.parametrize("cost", COST_CONSTRAINTS)
def test_drawn_labels_stay_far_from_zero_eqod(aif360, case, cost):
    # Shown with the reference: along the front of labels drawn from aif360's post-processed
    # scores, EqOd never comes near the ~0 of the paper's poster. Pleiss et al. equalise one
    # generalised cost, not both error rates (docs/calibrated-eo.md has the numbers).
    _, _, scores, _ = _fit_aif360(aif360, case, cost)
    drawn = (_label_uniforms(SEED, scores.size) < scores).astype(np.int8)
    u = np.random.RandomState(SEED + 1).random_sample(scores.size)
    knobs = DEFAULT_KNOBS["calibrated_eo"]
    assert min(_report(case, np.where(u < k, drawn, case.base))["eqod"] for k in knobs) > 0.05
