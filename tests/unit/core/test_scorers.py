"""Scorers against scikit-learn references, the oracle against known counterfactuals, and the
RB scorers against random on data where their advantage is the true behaviour."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import NearestNeighbors

from fairflip.collective._ranking import rank_collective
from fairflip.data import make_synthetic, split_problem
from fairflip.exceptions import ConfigError, DataError
from fairflip.metrics import flip_precision
from fairflip.organiser._relabeler import CollectiveRelabeler
from fairflip.scorers import (
    OracleScorer,
    RandomScorer,
    RBDistScorer,
    RBLabelScorer,
    RBProbScorer,
    make_scorer,
)


@pytest.fixture(scope="module")
def known_and_candidates():
    rng = np.random.default_rng(42)
    X_known = rng.standard_normal((300, 4))
    y_known = (X_known @ np.array([1.0, -0.5, 0.3, 0.0]) + 0.3 * rng.standard_normal(300) > 0)
    X_cand = rng.standard_normal((80, 4)) + 0.4
    return X_known, y_known.astype(np.int8), X_cand


@pytest.mark.parametrize("k", [1, 3, 10])
def test_rb_label_counts_positives_among_k_nearest(known_and_candidates, k):
    X_known, y_known, X_cand = known_and_candidates
    scores = RBLabelScorer(k=k).fit(X_known, y_known).score(X_cand)
    _, idx = NearestNeighbors(n_neighbors=k, algorithm="brute").fit(X_known).kneighbors(X_cand)
    np.testing.assert_array_equal(scores, y_known[idx].sum(axis=1))
    assert scores.dtype == np.float64


@pytest.mark.parametrize("k", [1, 5, 10])
def test_rb_dist_is_minus_mean_distance_to_k_nearest_positives(known_and_candidates, k):
    X_known, y_known, X_cand = known_and_candidates
    scores = RBDistScorer(k=k).fit(X_known, y_known).score(X_cand)
    nn = NearestNeighbors(n_neighbors=k, algorithm="brute").fit(X_known[y_known == 1])
    dist, _ = nn.kneighbors(X_cand)
    np.testing.assert_allclose(scores, -dist.mean(axis=1), rtol=1e-10, atol=1e-12)


def test_rb_dist_with_fewer_positives_than_k_uses_them_all(known_and_candidates):
    X_known, _, X_cand = known_and_candidates
    y = np.zeros(len(X_known), dtype=np.int8)
    y[[3, 50, 77]] = 1
    scores = RBDistScorer(k=10).fit(X_known, y).score(X_cand)
    dist = np.linalg.norm(X_cand[:, None, :] - X_known[[3, 50, 77]][None], axis=2)
    np.testing.assert_allclose(scores, -dist.mean(axis=1), rtol=1e-10)


def test_rb_prob_equals_logistic_regression_on_the_majority(known_and_candidates):
    X_known, y_known, X_cand = known_and_candidates
    scores = RBProbScorer().fit(X_known, y_known).score(X_cand)
    ref = LogisticRegression(solver="newton-cholesky", tol=1e-12, max_iter=1000)
    ref.fit(X_known, y_known)
    np.testing.assert_allclose(scores, ref.predict_proba(X_cand)[:, 1], atol=1e-7)


def test_rb_prob_takes_any_estimator(known_and_candidates):
    X_known, y_known, X_cand = known_and_candidates
    est = LogisticRegression(C=0.01, solver="newton-cholesky", tol=1e-12)
    scores = RBProbScorer(estimator=est).fit(X_known, y_known).score(X_cand)
    ref = LogisticRegression(C=0.01, solver="newton-cholesky", tol=1e-12).fit(X_known, y_known)
    np.testing.assert_allclose(scores, ref.predict_proba(X_cand)[:, 1], atol=1e-9)
    assert not hasattr(est, "coef_")  # cloned, never fitted in place


def test_scorer_errors(known_and_candidates):
    X_known, y_known, X_cand = known_and_candidates
    with pytest.raises(ConfigError):
        RBLabelScorer(k=0).fit(X_known, y_known)
    with pytest.raises(ConfigError):
        RBLabelScorer(k=len(X_known) + 1).fit(X_known, y_known)
    with pytest.raises(DataError):
        RBDistScorer(k=3).fit(X_known, np.zeros(len(X_known), dtype=np.int8))
    with pytest.raises(DataError):
        RBProbScorer().fit(X_known, np.ones(len(X_known), dtype=np.int8))
    with pytest.raises(DataError):
        RBLabelScorer(k=3).fit(X_known, y_known).score(X_cand[:, :2])
    with pytest.raises(ConfigError):
        OracleScorer().fit(X_known, y_known)
    with pytest.raises(ConfigError):
        make_scorer("rb-magic")


def test_random_scorer_is_seeded(known_and_candidates):
    X_known, y_known, X_cand = known_and_candidates
    a = RandomScorer(random_state=1).fit(X_known, y_known).score(X_cand)
    b = RandomScorer(random_state=1).fit(X_known, y_known).score(X_cand)
    c = RandomScorer(random_state=2).fit(X_known, y_known).score(X_cand)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_oracle_recovers_counterfactual_labels_exactly():
    problem = make_synthetic(n_rows=2000, label_bias=1.5, isolation=1.0, random_state=5)
    split = split_problem(problem, random_state=5)
    X, y, g = split.scoring_view(split.X_train), split.y_train, split.g_train
    probe = CollectiveRelabeler(method="oracle", alpha=0.5, budget=0, random_state=0,
                                counterfactual_proba=split.p_train_cf)
    probe.fit_relabel(X, y, groups=g)
    candidates = probe.ranking_.ranked
    truly_positive = np.sort(candidates[split.y_train_cf[candidates] == 1])
    assert 0 < truly_positive.size < candidates.size
    rel = CollectiveRelabeler(method="oracle", alpha=0.5, budget=int(truly_positive.size),
                              random_state=0, counterfactual_proba=split.p_train_cf)
    rel.fit_relabel(X, y, groups=g)
    np.testing.assert_array_equal(np.sort(rel.flipped_), truly_positive)
    assert flip_precision(rel.flipped_, split.y_train_cf) == 1.0


def test_rb_scorers_beat_random_on_flip_precision():
    methods = ("rb-prob", "rb-label", "rb-dist", "random")
    precision = {m: [] for m in methods}
    for seed in range(5):
        problem = make_synthetic(n_rows=3000, n_features=3, minority_share=0.25,
                                 label_bias=1.5, isolation=0.5, random_state=seed)
        split = split_problem(problem, random_state=seed)
        X = split.scoring_view(split.X_train)
        for method in methods:
            ranking = rank_collective(X, split.y_train, split.g_train, method=method,
                                      alpha=0.5, k=10, random_state=seed)
            flipped = ranking.flipped(ranking.n_candidates // 4)
            precision[method].append(flip_precision(flipped, split.y_train_cf))
    mean = {m: float(np.mean(v)) for m, v in precision.items()}
    for method in ("rb-prob", "rb-label", "rb-dist"):
        assert mean[method] > mean["random"] + 0.1, mean
