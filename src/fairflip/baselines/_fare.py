"""FARE: a fair representation with a certificate (Jovanovic et al., ICML 2023).

The encoder is a tree (:mod:`._fare_tree`) with at most ``k`` leaves ("cells"), grown with a
split criterion that trades label purity against mixing the groups within each label class
(the equalized-odds variant). Every row is encoded as its cell, represented by the per-feature
medians of the training rows in that cell (the mode for a categorical column); the firm's
classifier is trained on the encoded training rows and predicts on encoded rows. Since any
downstream classifier sees only the cell, the cell counts of fresh rows bound the
equalized-odds gap of *every* classifier on the representation (:func:`eqod_certificate`).
"""

from __future__ import annotations

import numbers

import numpy as np
from scipy import stats
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from ..exceptions import ConfigError, DataError
from ..learning import make_model
from ._fare_tree import grow_fair_tree

__all__ = ["FARE", "clopper_pearson", "eqod_certificate"]


def clopper_pearson(count, n, *, alpha):
    """Exact two-sided binomial intervals: P(p outside [lower, upper]) <= ``alpha``.

    Vectorised over ``count`` (successes out of ``n`` trials); the Beta-quantile form of
    Clopper & Pearson (1934), ``scipy.stats.binomtest(...).proportion_ci(method="exact")``.

    Examples
    --------
    >>> lo, hi = clopper_pearson([0, 5], 10, alpha=0.05)
    >>> [round(float(v), 4) for v in (lo[0], hi[0], lo[1], hi[1])]
    [0.0, 0.3085, 0.1871, 0.8129]
    """
    count = np.asarray(count, dtype=np.float64)
    lower = np.where(count > 0, stats.beta.ppf(alpha / 2, count, n - count + 1), 0.0)
    upper = np.where(count < n, stats.beta.ppf(1 - alpha / 2, count + 1, n - count), 1.0)
    return lower, upper


def eqod_certificate(cells, y, groups, *, n_cells, confidence=0.95) -> float:
    """Upper bound on the EqOd of every classifier of the cell, from fresh labelled rows.

    Derivation. Write ``P_{a,c}(z) = P(cell = z | group = a, y = c)``. A classifier of the
    cell, even a randomised one, is a map ``h: cells -> [0, 1]`` (its probability of
    predicting 1), so for each label ``c``

        |P(h = 1 | a = 1, c) - P(h = 1 | a = 0, c)| = |sum_z h(z) (P_{1,c}(z) - P_{0,c}(z))|
                                                   <= TV_c = sum_z (P_{1,c}(z) - P_{0,c}(z))^+,

    the total-variation distance (also ``sum_z (P_{0,c}(z) - P_{1,c}(z))^+``), and
    EqOd(h) = mean over c of those gaps <= (TV_0 + TV_1) / 2. Given how many fresh rows have
    group ``a`` and label ``c``, each cell count is binomial with probability
    ``P_{a,c}(z)``; a two-sided Clopper-Pearson interval ``[L, U]`` at level
    ``delta / (4 n_cells)`` per (a, c, z), with ``delta = 1 - confidence``, holds for all
    4 n_cells at once with probability >= ``confidence`` (Bonferroni). On that event

        TV_c <= B_c = min(1, sum_z (U_{1,c}(z) - L_{0,c}(z))^+, sum_z (U_{0,c}(z) - L_{1,c}(z))^+,
                      1 - sum_z min(L_{0,c}(z), L_{1,c}(z)))

    (the last because TV_c = max_S P_{1,c}(S) - P_{0,c}(S) and P_{1,c}(S) <= 1 - P_{1,c}(not S)),
    and the certificate is ``(B_0 + B_1) / 2`` (B_c = 1 when a group has no row of label c;
    0 for a single cell, where every classifier is constant).
    The rows must not have been used to choose the cells: FARE holds them out of the tree.
    It bounds the population EqOd; a measured EqOd adds sampling noise of its own. The
    per-cell union bound makes it loose for many cells and few rows (it reaches 1 there).

    Parameters
    ----------
    cells : array-like of int in ``[0, n_cells)``
        Each fresh row's cell.
    y, groups : array-like of 0/1
        Their labels and groups (1 = acting).
    n_cells : int
        Number of cells of the representation.
    confidence : float in (0, 1), default=0.95

    Returns
    -------
    float in [0, 1]

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> cells = rng.integers(0, 2, 4000)          # cells independent of the group
    >>> y, g = rng.integers(0, 2, 4000), rng.integers(0, 2, 4000)
    >>> bool(eqod_certificate(cells, y, g, n_cells=2) < 0.1)
    True
    >>> eqod_certificate(g, y, g, n_cells=2) >= 1.0  # the cell reveals the group
    True
    """
    cells = np.asarray(cells, dtype=np.intp)
    y, groups = np.asarray(y), np.asarray(groups)
    _check_confidence(confidence)
    if n_cells == 1:
        return 0.0
    alpha = (1.0 - confidence) / (4 * n_cells)
    bounds = []
    for c in (0, 1):
        lo, hi = {}, {}
        for a in (0, 1):
            counts = np.bincount(cells[(y == c) & (groups == a)], minlength=n_cells)
            if counts.sum() == 0:
                break
            lo[a], hi[a] = clopper_pearson(counts, counts.sum(), alpha=alpha)
        else:
            bounds.append(min(1.0, np.clip(hi[1] - lo[0], 0, None).sum(),
                              np.clip(hi[0] - lo[1], 0, None).sum(),
                              1.0 - np.minimum(lo[0], lo[1]).sum()))
            continue
        bounds.append(1.0)
    return float(np.mean(bounds))


def _check_confidence(confidence):
    if not (isinstance(confidence, numbers.Real) and 0 < confidence < 1):
        raise ConfigError(f"The 'confidence' parameter must be in (0, 1). Got {confidence!r} "
                          "instead.")


def _seed(rng):
    return int(rng.randint(np.iinfo(np.int32).max))


class FARE(ClassifierMixin, BaseEstimator):
    """FARE's restricted encoder and the firm's classifier on top of it.

    Parameters
    ----------
    k : int >= 2, default=20
        Maximum number of cells (tree leaves).
    min_samples_leaf : int >= 1, default=50
        Minimum training rows (of those growing the tree) per cell.
    fairness_weight : float in [0, 1], default=0.5
        Trade-off weight of the group term in the split criterion (the paper's gamma);
        0 is scikit-learn's best-first Gini tree, 1 never splits (one cell).
    categorical_features : sequence of int or None, default=None
        Columns holding integer category codes, split by the paper's category orderings.
        One-hot columns need nothing (binary: a threshold is a category split), so
        fairflip's encoded splits leave this None.
    certify_size : float in [0, 1), default=0.3
        Share of the training rows held out of the tree (stratified by group and label) to
        compute :attr:`certificate_`, as the authors do; 0 grows the tree on every row and
        leaves ``certificate_`` NaN. Medians and the classifier use every training row.
    confidence : float in (0, 1), default=0.95
        Confidence of the certificate.
    model : str or estimator, default="logreg"
        The firm's classifier, as :func:`fairflip.firm.make_model` takes it.
    random_state : int, RandomState or None
        Seeds the held-out draw and the classifier.

    Attributes
    ----------
    tree_ : FairTree
        The grown tree (possibly with fewer than ``k`` leaves).
    n_cells_ : int
        Cells of the representation.
    medians_ : ndarray of shape (n_cells_, n_features)
        Each cell's representation.
    estimator_ : classifier
        The firm's classifier fitted on the encoded training rows.
    classes_ : ndarray
    certificate_ : float
        :func:`eqod_certificate` on the held-out rows (NaN when ``certify_size=0``).
    certify_rows_ : ndarray of int
        Positions of those held-out rows in the training data.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(2000, 3)); g = (rng.random(2000) < 0.3).astype(int)
    >>> y = (X[:, 0] + g + rng.normal(size=2000) > 0.5).astype(int)
    >>> fare = FARE(k=8, fairness_weight=0.0, random_state=0).fit(X, y, g)
    >>> fare.n_cells_, fare.transform(X[:2]).shape
    (8, (2, 3))
    >>> bool(0 <= fare.certificate_ <= 1)
    True
    """

    def __init__(self, *, k=20, min_samples_leaf=50, fairness_weight=0.5,
                 categorical_features=None, certify_size=0.3, confidence=0.95, model="logreg",
                 random_state=None):
        self.k = k
        self.min_samples_leaf = min_samples_leaf
        self.fairness_weight = fairness_weight
        self.categorical_features = categorical_features
        self.certify_size = certify_size
        self.confidence = confidence
        self.model = model
        self.random_state = random_state

    def _check_params(self, n_features):
        def integer(name, low):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < low:
                raise ConfigError(f"The '{name}' parameter must be an integer >= {low}. Got "
                                  f"{v!r} instead.")

        integer("k", 2)
        integer("min_samples_leaf", 1)
        w = self.fairness_weight
        if isinstance(w, bool) or not isinstance(w, numbers.Real) or not 0 <= w <= 1:
            raise ConfigError(f"The 'fairness_weight' parameter must be in [0, 1]. Got {w!r} "
                              "instead.")
        s = self.certify_size
        if isinstance(s, bool) or not isinstance(s, numbers.Real) or not 0 <= s < 1:
            raise ConfigError(f"The 'certify_size' parameter must be in [0, 1). Got {s!r} "
                              "instead.")
        _check_confidence(self.confidence)
        cats = tuple(self.categorical_features or ())
        if any(isinstance(j, bool) or not isinstance(j, numbers.Integral)
               or not 0 <= j < n_features for j in cats):
            raise ConfigError(f"The 'categorical_features' parameter must hold column indices "
                              f"in [0, {n_features}). Got {self.categorical_features!r} instead.")
        return frozenset(int(j) for j in cats)

    def fit(self, X, y, groups):
        """Grow the tree, encode the training rows, fit the classifier, certify.

        Parameters
        ----------
        X : array-like of shape (n, d)
        y, groups : array-like of 0/1 of length n

        Returns
        -------
        self
        """
        X, y, groups = _check_data(X, y, groups)
        cats = self._check_params(X.shape[1])
        rng = check_random_state(self.random_state)
        grow = np.arange(X.shape[0])
        held = np.empty(0, dtype=np.intp)
        if self.certify_size > 0:
            grow, held = train_test_split(grow, test_size=float(self.certify_size),
                                          random_state=_seed(rng), stratify=2 * y + groups)
        if grow.size < 2 * self.min_samples_leaf:
            raise DataError(f"FARE needs at least 2 * min_samples_leaf = "
                            f"{2 * self.min_samples_leaf} rows to grow its tree. Got "
                            f"{grow.size} instead.")
        self.tree_ = grow_fair_tree(X[grow], y[grow], groups[grow], max_leaves=int(self.k),
                                    min_samples_leaf=int(self.min_samples_leaf),
                                    fairness_weight=float(self.fairness_weight),
                                    categorical_features=cats)
        return self._finish(X, y, groups, held, cats, _seed(rng))

    def _finish(self, X, y, groups, held, cats, model_seed):
        self.n_cells_ = min(int(self.k), self.tree_.n_leaves)
        self.certify_rows_ = held
        self._model_seed_ = model_seed
        cells = self.tree_.apply(X, self.n_cells_)
        self.medians_ = np.empty((self.n_cells_, X.shape[1]))
        # The rows grouped by cell once: each cell is a slice, not a mask over every row.
        by_cell = X[np.argsort(cells, kind="stable")]
        ends = np.cumsum(np.bincount(cells, minlength=self.n_cells_))
        for z in range(self.n_cells_):
            rows = by_cell[ends[z - 1] if z else 0:ends[z]]
            self.medians_[z] = np.median(rows, axis=0)
            for j in cats:
                values, counts = np.unique(rows[:, j], return_counts=True)
                self.medians_[z, j] = values[np.argmax(counts)]
        seed = (self.random_state if self.random_state is None
                or isinstance(self.random_state, numbers.Integral) else model_seed)
        est = make_model(self.model, random_state=seed)
        if isinstance(est, LogisticRegression):
            # Its loss is a sum over rows, so the (cell, label) pairs weighted by their counts
            # give the same objective (scikit-learn scales the penalty by the weight sum) at
            # 2 k rows instead of n.
            pairs, counts = np.unique(2 * cells + y, return_counts=True)
            est.fit(self.medians_[pairs // 2], pairs % 2, sample_weight=counts.astype(float))
        else:
            est.fit(self.medians_[cells], y)
        self.estimator_ = est
        self.classes_ = self.estimator_.classes_
        self.certificate_ = (np.nan if held.size == 0 else eqod_certificate(
            cells[held], y[held], groups[held], n_cells=self.n_cells_,
            confidence=self.confidence))
        return self

    def _with_k(self, k, X, y, groups):
        """The fit with ``k`` cells (``k <= self.k``), reusing this fit's tree: best-first
        growth makes the smaller tree a prefix of this one, and the held-out rows do not
        depend on ``k``, so the result equals ``clone(self).set_params(k=k).fit(...)``."""
        check_is_fitted(self, "tree_")
        X, y, groups = _check_data(X, y, groups)
        out = self.__class__(**{**self.get_params(), "k": int(k)})
        cats = out._check_params(X.shape[1])
        out.tree_ = self.tree_
        return out._finish(X, y, groups, self.certify_rows_, cats, self._model_seed_)

    def apply(self, X) -> np.ndarray:
        """Each row's cell, ``0 .. n_cells_ - 1``."""
        check_is_fitted(self, "tree_")
        return self.tree_.apply(_check_X(X, self.medians_.shape[1]), self.n_cells_)

    def transform(self, X) -> np.ndarray:
        """The representation: each row replaced by its cell's training medians."""
        return self.medians_[self.apply(X)]

    def predict(self, X) -> np.ndarray:
        return self.estimator_.predict(self.transform(X))

    def predict_proba(self, X) -> np.ndarray:
        return self.estimator_.predict_proba(self.transform(X))

    def certify(self, X, y, groups, *, confidence=None) -> float:
        """:func:`eqod_certificate` of this representation on fresh rows (not the fit's)."""
        X, y, groups = _check_data(X, y, groups)
        return eqod_certificate(self.apply(X), y, groups, n_cells=self.n_cells_,
                                confidence=self.confidence if confidence is None else confidence)


def _check_X(X, n_features=None):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or not np.isfinite(X).all():
        raise DataError(f"The 'X' parameter must be a finite 2-D array. Got shape {X.shape} "
                        "instead.")
    if n_features is not None and X.shape[1] != n_features:
        raise DataError(f"The 'X' parameter must have {n_features} columns, as in fit. Got "
                        f"{X.shape[1]} instead.")
    return X


def _check_data(X, y, groups):
    X = _check_X(X)
    y, groups = np.asarray(y), np.asarray(groups)
    if not (y.shape == groups.shape == (X.shape[0],)):
        raise DataError(f"The 'y' and 'groups' parameters must be 1-D with one entry per row "
                        f"of X ({X.shape[0]}). Got shapes {y.shape} and {groups.shape} instead.")
    for name, v in (("y", y), ("groups", groups)):
        if not np.isin(v, (0, 1)).all():
            raise DataError(f"The '{name}' parameter must hold 0/1 values. Got "
                            f"{np.unique(v)[:5].tolist()} instead.")
    return X, y.astype(np.intp), groups.astype(np.intp)
