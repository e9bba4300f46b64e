"""Many L2 logistic regressions over shared features, solved together.

A flip sweep trains the firm's logistic regression once per budget on the same features with
labels that differ in a few hundred rows. Solving the budgets as the columns of one problem
turns the work into a few large matrix products instead of many small fits (the numerical
core is in ``_batched_core``).

Every column minimises scikit-learn's ``LogisticRegression(C=C)`` objective::

    0.5 * ||w||^2 + C * sum_i sw_i * logloss(y_i, x_i . w + b)       (b unpenalised)
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import cho_solve

from .._threads import blas_threads, map_threads, single_blas
from ..exceptions import ConfigError, DataError
from . import _batched_core as core

__all__ = ["DEFAULT_STEP_TOL", "DEFAULT_TOL", "FlipPath", "fit_flip_path", "fit_logreg_columns",
           "predict_columns"]

# See fit_logreg_columns: a column is converged when max |g| <= DEFAULT_TOL (scikit-learn's
# gradient test, 100 times tighter than its default) and its Newton step is below
# DEFAULT_STEP_TOL relative to its coefficients; that step is then applied. Measured on
# Adult's 122-budget sweep (0.2.0, scikit-learn 1.9): coefficients within 1.0e-7 (relative)
# of a tol=1e-12 reference and identical test metrics at every budget, for 8 % more time
# than tol=1e-5, which left 4.3e-6 (the first budgets after an anchor, whose Newton steps
# pass the step test while the gradient test still had slack).
DEFAULT_TOL = 1e-6
DEFAULT_STEP_TOL = 1e-3
# Path anchors every this many budgets (measured on Adult: 16-32 fastest, 8 and "none" slower).
_ANCHOR_EVERY = 16
# The budgets between anchors are solved in this many pieces, in parallel threads when BLAS
# may use more than one (measured on Adult's 122 budgets with 2 cores: 1.7 s -> see
# benchmarks/README.md).
_REST_PIECES = 2


def _check_design(X):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] == 0:
        raise DataError(f"The 'X' parameter must be a non-empty 2-D array. "
                        f"Got shape {X.shape} instead.")
    if not np.isfinite(X).all():
        raise DataError("The 'X' parameter must be finite. Got NaN or inf instead.")
    return X


def _check_sample_weight(sample_weight, n):
    if sample_weight is None:
        return np.ones(n)
    sw = np.asarray(sample_weight, dtype=np.float64)
    if sw.shape != (n,) or not np.isfinite(sw).all() or (sw < 0).any() or sw.sum() <= 0:
        raise DataError("The 'sample_weight' parameter must hold one finite non-negative "
                        f"weight per row with a positive sum. Got shape {sw.shape} instead.")
    return sw


def _check_positive(value, name):
    if isinstance(value, bool) or not isinstance(value, int | float | np.number) \
            or not np.isfinite(value) or value <= 0:
        raise ConfigError(f"The '{name}' parameter must be a positive number. "
                          f"Got {value!r} instead.")
    return float(value)


def _check_max_iter(max_iter):
    if isinstance(max_iter, bool) or not isinstance(max_iter, int | np.integer) or max_iter < 1:
        raise ConfigError(f"The 'max_iter' parameter must be a positive integer. "
                          f"Got {max_iter!r} instead.")
    return int(max_iter)


def _check_labels(Y, n, name="Y"):
    Y = np.asarray(Y)
    if Y.ndim == 1:
        Y = Y[:, None]
    if Y.ndim != 2 or Y.shape[0] != n or Y.shape[1] == 0:
        raise DataError(f"The '{name}' parameter must have one row per row of X ({n}). "
                        f"Got shape {Y.shape} instead.")
    if not np.isin(Y, (0, 1)).all():
        raise DataError(f"The '{name}' parameter must hold 0/1 labels. "
                        "Got other values instead.")
    Y = Y.astype(np.float64)
    one_class = np.flatnonzero(Y.min(axis=0) == Y.max(axis=0))
    if one_class.size:
        raise DataError(f"The '{name}' parameter needs both classes in every column (the "
                        "intercept has no finite optimum otherwise). Got one class in column "
                        f"{int(one_class[0])} instead.")
    return Y


def fit_logreg_columns(X, Y, *, C=1.0, tol=DEFAULT_TOL, step_tol=DEFAULT_STEP_TOL,
                       max_iter=100, coef_init=None, intercept_init=None, sample_weight=None):
    """Fit one L2 logistic regression per column of ``Y`` on shared features ``X``.

    Column ``j`` minimises scikit-learn's ``LogisticRegression(C=C)`` objective
    ``0.5 ||w||^2 + C sum_i sw_i logloss(Y[i, j], x_i . w + b)`` with an unpenalised
    intercept ``b``, by Newton steps whose systems are solved for all columns together.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Shared features.
    Y : array-like of shape (n_samples, n_columns) or (n_samples,)
        0/1 labels; every column must hold both classes (else no finite optimum exists and
        :class:`~fairflip.exceptions.DataError` is raised, as scikit-learn refuses too).
    C : float, default=1.0
        Inverse regularisation strength, as in scikit-learn.
    tol : float, default=1e-6
        Gradient test: ``max |g| <= tol`` with ``g`` the gradient of scikit-learn's
        normalised objective (the objective above divided by ``C * sum(sw)``), scikit-learn's
        own first convergence test (its default tolerance is 1e-4).
    step_tol : float, default=1e-3
        Step test: the column's Newton step ``d``, solved by PCG to a relative residual of at
        most ``max(1e-4, min(0.1, sqrt(max |g|)))``, satisfies
        ``max |d| <= step_tol * max(1, max |w|)``. A column is converged when both tests
        hold; that last step is then applied, which leaves a relative coefficient error of
        order ``1e-3 * step_tol`` (measured: about 1e-6 on Adult against scikit-learn at
        tol=1e-12). The step test matters on one-hot data, whose dummies are collinear with
        the intercept: along such directions only the small L2 term holds the coefficients,
        and a gradient of 1e-8 can still leave relative errors near 1e-5.
    max_iter : int, default=100
        Newton steps at most; columns not converged by then are returned as they are.
    coef_init, intercept_init : array-like of shape (n_features, n_columns) / (n_columns,)
        Warm start (zeros by default).
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights shared by all columns.

    Returns
    -------
    coef : ndarray of shape (n_features, n_columns)
    intercept : ndarray of shape (n_columns,)
    n_iter : int
        Newton steps of the slowest column.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> Y = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    >>> coef, intercept, n_iter = fit_logreg_columns(X, Y)
    >>> coef.shape, intercept.shape
    ((1, 2), (2,))
    """
    X = _check_design(X)
    n, p = X.shape
    Y = _check_labels(Y, n)
    C = _check_positive(C, "C")
    tol = _check_positive(tol, "tol")
    step_tol = _check_positive(step_tol, "step_tol")
    max_iter = _check_max_iter(max_iter)
    sw = _check_sample_weight(sample_weight, n)
    m = Y.shape[1]
    W = _start(coef_init, intercept_init, p, m, f"({p}, {m}) and ({m},)")
    prob = core.Problem(X, sw, C)
    W, n_iter, _, _ = core.newton(prob, Y, W, prob.X1 @ W, tol=tol, step_tol=step_tol,
                                  max_iter=max_iter)
    return W[:p].copy(), W[p].copy(), n_iter


def _check_path(y, ranked_idx, budgets, n):
    """(ranked_idx, budgets) checked against the labels ``y`` (already checked, 1-D)."""
    ranked_idx = np.asarray(ranked_idx)
    if ranked_idx.ndim != 1 or (ranked_idx.size and not np.issubdtype(ranked_idx.dtype,
                                                                         np.integer)):
        raise DataError("The 'ranked_idx' parameter must be a 1-D array of row indices. "
                        f"Got dtype {ranked_idx.dtype}, shape {ranked_idx.shape} instead.")
    ranked_idx = ranked_idx.astype(np.intp)
    if ranked_idx.size and (ranked_idx.min() < 0 or ranked_idx.max() >= n):
        raise DataError(f"The 'ranked_idx' parameter must index rows 0..{n - 1}. "
                        "Got an index out of range instead.")
    if np.unique(ranked_idx).size != ranked_idx.size or (y[ranked_idx] != 0).any():
        raise DataError("The 'ranked_idx' parameter must list distinct rows labelled 0. "
                        "Got a repeated row or a row labelled 1 instead.")
    budgets = np.atleast_1d(np.asarray(budgets))
    if budgets.ndim != 1 or budgets.size == 0 or not np.issubdtype(budgets.dtype, np.integer) \
            or budgets.min() < 0 or budgets.max() > ranked_idx.size:
        raise ConfigError(f"The 'budgets' parameter must be integers in 0..{ranked_idx.size}. "
                          f"Got {budgets!r} instead.")
    if budgets.max() == (y == 0).sum():
        raise DataError("The 'budgets' parameter must leave a row labelled 0 (one class has "
                        "no finite optimum). Got a budget that flips every 0 instead.")
    return ranked_idx, budgets.astype(np.intp)


def _start(coef_init, intercept_init, p, m, shapes):
    """Coefficients with the intercept as last row, (p + 1, m): zeros where not given."""
    W = np.zeros((p + 1, m))
    try:
        if coef_init is not None:
            W[:p] = np.asarray(coef_init, dtype=np.float64).reshape(p, m)
        if intercept_init is not None:
            W[p] = np.asarray(intercept_init, dtype=np.float64).reshape(m)
    except (ValueError, TypeError):
        raise ConfigError(f"The 'coef_init' and 'intercept_init' parameters must have shapes "
                          f"{shapes}. Got other shapes instead.") from None
    return W


def _check_start(coef_init, intercept_init, p):
    """The path's start (p + 1, 1): both parts given, finite."""
    shapes = f"({p},) and ()"
    if intercept_init is None or np.size(intercept_init) != 1:
        raise ConfigError(f"The 'coef_init' and 'intercept_init' parameters must have shapes "
                          f"{shapes}. Got other shapes instead.")
    w = _start(coef_init, intercept_init, p, 1, shapes)
    if not np.isfinite(w).all():
        raise ConfigError("The 'coef_init' and 'intercept_init' parameters must be finite. "
                          "Got NaN or inf instead.")
    return w


class FlipPath:
    """The firm's logistic regression on one design, ready to fit any flip path on it.

    Holds what every path on the same features, labels and start shares: the design with
    its intercept column and float32 copies, and the start's gradient and Hessian factor.
    A sweep fits dozens of paths (one per method, alpha and knowledge) on one split; this
    prepares them once. Parameters as in :func:`fit_flip_path`. Treat ``X`` and ``y`` as
    read-only while the object is in use.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0]])
    >>> path = FlipPath(X, np.array([0, 0, 1, 0, 1]))
    >>> coef, intercept = path.fit([3, 1], [0, 1, 2])
    >>> coef.shape
    (1, 3)
    """

    def __init__(self, X, y, *, C=1.0, tol=DEFAULT_TOL, step_tol=DEFAULT_STEP_TOL,
                 max_iter=100, sample_weight=None, coef_init=None, intercept_init=None):
        X = _check_design(X)
        self.n, self.p = X.shape
        self.y = _check_labels(y, self.n, "y")[:, 0]
        self.C = _check_positive(C, "C")
        self.kw = {"tol": _check_positive(tol, "tol"),
                   "step_tol": _check_positive(step_tol, "step_tol"),
                   "max_iter": _check_max_iter(max_iter)}
        self.sw = _check_sample_weight(sample_weight, self.n)
        self.prob = core.Problem(X, self.sw, self.C)
        self.start = None
        if coef_init is not None:
            self.start = _check_start(coef_init, intercept_init, self.p)
        self._start_state = None

    def _at_start(self):
        """(logits, gradient, Hessian factor, solved) at the given start, computed once;
        ``solved``: the start passes :func:`~._batched_core.newton`'s convergence tests for
        the unflipped labels (its Newton step, from the factor, costs no data pass)."""
        if self._start_state is None:
            with single_blas():
                w = self.start
                z = self.prob.X1 @ w
                G, D = self.prob.grad(z, self.y[:, None], w)
                chol = self.prob.hessian_chol(D[:, 0])
                step = np.abs(cho_solve(chol, G, check_finite=False)).max()
                solved = (np.abs(G).max() / self.prob.scale <= self.kw["tol"]
                          and step <= self.kw["step_tol"] * max(1.0, np.abs(w).max()))
                self._start_state = (z, G, chol, bool(solved))
        return self._start_state

    def fit(self, ranked_idx, budgets, *, return_converged=False):
        """Coefficients (n_features, len(budgets)) and intercepts of every budget's model;
        also whether each converged with ``return_converged`` (see :func:`fit_flip_path`)."""
        ranked_idx, budgets = _check_path(self.y, ranked_idx, budgets, self.n)
        ub, inv = np.unique(budgets, return_inverse=True)
        # Counted before single_blas: the budgets between anchors use this many threads.
        threads = blas_threads()
        with single_blas():
            coef, converged = self._solve(ranked_idx, ub, threads)
        coef = coef[:, inv]
        p = self.p
        if return_converged:
            return coef[:p].copy(), coef[p].copy(), converged[inv]
        return coef[:p].copy(), coef[p].copy()

    def _solve(self, ranked_idx, ub, threads):
        prob, y, kw, C, sw = self.prob, self.y, self.kw, self.C, self.sw
        n, p = self.n, self.p
        # S[b] = C * sum of sw_i x1_i over the first b ranked rows: flipping those rows moves
        # every gradient by -S[b], whatever the coefficients.
        S = np.zeros((ranked_idx.size + 1, p + 1))
        np.cumsum(prob.X1[ranked_idx] * (C * sw[ranked_idx, None]), axis=0, out=S[1:])

        def labels(bs):
            Y = np.repeat(y[:, None], len(bs), axis=1)
            top = int(max(bs))
            Y[ranked_idx[:top]] = np.arange(top)[:, None] < np.asarray(bs)[None, :]
            return Y

        coef = np.empty((p + 1, ub.size))
        converged = np.zeros(ub.size, dtype=bool)
        anchors = np.arange(0, ub.size, _ANCHOR_EVERY)
        chols, grads, logits = [], [], []
        w, z = np.zeros((p + 1, 1)), np.zeros((n, 1))
        # (budget, gradient, Hessian factor) at the last solved point, which starts the next
        # anchor with one Newton step; a given start is that point for the unflipped labels.
        last, solved = None, False
        if self.start is not None:
            z, G, chol, solved = self._at_start()
            w, last = self.start, (0, G, chol)
        for a in anchors:
            if a == 0 and ub[a] == 0 and solved:
                # A converged start is the unflipped labels' model: budget 0 as given.
                ok = np.array([True])
            else:
                ya = labels([ub[a]])
                step = None
                if last is not None:
                    b0, G, chol = last
                    G = G - (S[ub[a]] - S[b0])[:, None]
                    dW = -cho_solve(chol, G, check_finite=False)
                    XD = prob.X1 @ dW
                    step = (dW, XD, np.einsum("ij,ij->j", G, dW))
                    w, z = w + dW, z + XD
                w, _, _, ok = core.newton(prob, ya, w, z, step=step,
                                          chol=None if last is None else last[2], **kw)
                z = prob.X1 @ w
                G, D = prob.grad(z, ya, w)
                last = (ub[a], G, prob.hessian_chol(D[:, 0]))
            converged[a] = ok[0]
            chols.append(last[2])
            grads.append(last[1])
            logits.append(z)
            coef[:, a] = w[:, 0]
        grads = np.hstack(grads)
        logits = np.hstack(logits)

        def solve(cols):
            """The non-anchor budgets ``cols``, each started from its anchor."""
            owner = cols // _ANCHOR_EVERY
            start = coef[:, anchors[owner]]
            G = grads[:, owner] - (S[ub[cols]] - S[ub[anchors[owner]]]).T
            pc = core.Blocks(chols, owner)
            dW = -pc(G, np.arange(cols.size))
            XD = prob.X1 @ dW
            W, _, _, ok = core.newton(prob, labels(ub[cols]), start + dW, logits[:, owner] + XD,
                                      precond=pc, step=(dW, XD, np.einsum("ij,ij->j", G, dW)),
                                      **kw)
            return W, ok

        # Every column's Newton steps are its own, so the rest splits into a fixed number of
        # pieces solved in parallel threads (the same pieces, the same numbers, on any machine).
        rest = np.setdiff1d(np.arange(ub.size), anchors)
        pieces = [p for p in np.array_split(rest, _REST_PIECES) if p.size]
        for cols, (W, ok) in zip(pieces, map_threads(solve, pieces, threads=threads),
                                 strict=True):
            coef[:, cols], converged[cols] = W, ok
        return coef, converged


def fit_flip_path(X, y, ranked_idx, budgets, *, C=1.0, tol=DEFAULT_TOL,
                  step_tol=DEFAULT_STEP_TOL, max_iter=100, sample_weight=None,
                  coef_init=None, intercept_init=None, return_converged=False):
    """Fit the firm's logistic regression for every flip budget at once.

    The model for budget ``b`` is trained on ``y`` with ``y[ranked_idx[:b]]`` set to 1.

    The budgets are solved along the path: anchors (every 16th distinct budget) are solved
    one after another, each started from its predecessor by one Newton step that costs no
    pass over the data (the budgets' gradients at a solution differ by prefix sums of the
    ranked rows); then all other budgets start the same way from their anchor and are
    solved together, preconditioned by their anchor's Hessian. BLAS runs one thread (the
    same bits in any process); the budgets between anchors are solved in two pieces, in
    two threads where BLAS may use two. Many paths on one design: :class:`FlipPath`.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        0/1 labels before any flip.
    ranked_idx : array-like of int
        Distinct rows with ``y == 0`` in flip order.
    budgets : array-like of int
        Numbers of flips, each in ``0..len(ranked_idx)``, any order, repeats allowed.
    C, tol, step_tol, max_iter, sample_weight
        As in :func:`fit_logreg_columns`.
    coef_init, intercept_init : array-like of shape (n_features,) / scalar, or None
        A model of the unflipped labels to start the path from, such as the firm's base
        model already fitted (the first anchor then starts one Newton step away instead of
        from zeros). Any finite start converges to the same optimum; a start that already
        passes the convergence tests is budget 0's model as given.
    return_converged : bool, default=False
        Also return whether each budget's model passed the convergence tests within
        ``max_iter`` Newton steps (a budget that did not is returned as it stands).

    Returns
    -------
    coef : ndarray of shape (n_features, len(budgets))
    intercept : ndarray of shape (len(budgets),)
    converged : ndarray of bool, shape (len(budgets),)
        Only with ``return_converged=True``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0]])
    >>> y = np.array([0, 0, 1, 0, 1])
    >>> coef, intercept = fit_flip_path(X, y, [3, 1], [0, 1, 2])
    >>> coef.shape
    (1, 3)
    """
    path = FlipPath(X, y, C=C, tol=tol, step_tol=step_tol, max_iter=max_iter,
                    sample_weight=sample_weight, coef_init=coef_init,
                    intercept_init=intercept_init)
    return path.fit(ranked_idx, budgets, return_converged=return_converged)


def predict_columns(X, coef, intercept):
    """Predictions of every column's model in one matrix product.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    coef : array-like of shape (n_features, n_columns)
    intercept : array-like of shape (n_columns,)

    Returns
    -------
    ndarray of bool, shape (n_samples, n_columns)
        ``X @ coef + intercept > 0``: scikit-learn's ``predict`` for each column's model.

    Examples
    --------
    >>> import numpy as np
    >>> predict_columns(np.array([[1.0], [-1.0]]), np.array([[1.0, -1.0]]), np.zeros(2))
    array([[ True, False],
           [False,  True]])
    """
    Z = np.asarray(X, dtype=np.float64) @ np.asarray(coef, dtype=np.float64)
    Z += np.asarray(intercept, dtype=np.float64)
    return Z > 0
