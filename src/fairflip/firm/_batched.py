"""Many L2 logistic regressions over shared features, solved together.

A flip sweep trains the firm's logistic regression once per budget on the same features with
labels that differ in a few hundred rows. Solving the budgets as the columns of one problem
turns every Hessian-vector product into two matrix products over all columns at once.

The objective of column ``j`` is scikit-learn's ``LogisticRegression`` objective (L2 penalty,
unpenalised intercept)::

    0.5 * ||w_j||^2 + C * sum_i sw_i * logloss(Y[i, j], x_i . w_j + b_j)

It is minimised by an inexact Newton method: each step solves the Newton system of every
active column by conjugate gradients preconditioned with one shared Hessian (its Cholesky
factor), followed by a per-column backtracking line search that needs no further matrix
products; a column leaves the active set once converged (see :func:`fit_logreg_columns`).
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import cho_factor, cho_solve
from scipy.linalg.blas import ssyrk
from scipy.special import expit

from ..exceptions import ConfigError, DataError

__all__ = ["fit_flip_path", "fit_logreg_columns", "predict_columns"]

# Converged: max |gradient of sklearn's normalised objective| <= tol. scikit-learn stops at
# 1e-4 (lbfgs) or at the firm's 1e-8; on standardised one-hot data the dummies of a
# categorical feature are collinear with the intercept, only the tiny L2 term holds those
# directions, and a gradient of 1e-8 still leaves errors of ~1e-4 there.
DEFAULT_TOL = 1e-10
_CG_MAX_ITER = 60
# float32 Hessian-vector products cannot resolve residuals much below 1e-6.
_RTOL_MIN = 1e-4
STATS = {}
_ARMIJO = 1e-4
_MAX_HALVINGS = 30


def _check_design(X, name="X"):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] == 0:
        raise DataError(f"The '{name}' parameter must be a non-empty 2-D array. "
                        f"Got shape {X.shape} instead.")
    if not np.isfinite(X).all():
        raise DataError(f"The '{name}' parameter must be finite. Got NaN or inf instead.")
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
    if not (np.isscalar(value) and np.isfinite(value) and value > 0):
        raise ConfigError(f"The '{name}' parameter must be a positive number. "
                          f"Got {value!r} instead.")
    return float(value)


def _with_intercept(X):
    n, p = X.shape
    X1 = np.empty((n, p + 1))
    X1[:, :p] = X
    X1[:, p] = 1.0
    return X1


class _Problem:
    """Shared data of one batch: design with intercept column, weights, penalty."""

    def __init__(self, X, sw, C):
        self.X1 = _with_intercept(X)
        self.sw = sw
        self.unit_weights = bool((sw == 1.0).all())
        self.C = C
        self.scale = C * sw.sum()  # objective / scale = scikit-learn's normalised objective
        self.p1 = self.X1.shape[1]
        # Hessian-vector products only steer the search direction: float32 halves their
        # cost, while gradients, losses and logits stay float64 and set the accuracy.
        self.X32 = self.X1.astype(np.float32)
        self.X32w = self.X32 * (C * sw).astype(np.float32)[:, None]

    def loss(self, Z, Y, W):
        # log(1 + e^z) - y z = log1p(e^-|z|) + max(z, 0) - y z
        L = np.abs(Z)
        np.negative(L, out=L)
        np.exp(L, out=L)
        np.log1p(L, out=L)
        L += np.maximum(Z, 0.0)
        L -= Y * Z
        out = self.C * (self.sw @ L)
        out += 0.5 * np.einsum("ij,ij->j", W[:-1], W[:-1])
        return out

    def grad(self, Z, Y, W):
        """Gradient and per-row curvature ``p (1 - p)`` (float32, without C sw)."""
        R = expit(Z)
        D = R.astype(np.float32)
        D -= D * D
        R -= Y
        if not self.unit_weights:
            R *= self.sw[:, None]
        G = self.X1.T @ R
        G *= self.C
        G[:-1] += W[:-1]
        return G, D

    def hessian(self, d):
        """Hessian for per-row curvature ``d`` (a float32 rank-k update, float64 result)."""
        Xs = self.X32 * np.sqrt(d * self.C * self.sw).astype(np.float32)[:, None]
        H = ssyrk(1.0, Xs, trans=1, lower=0).astype(np.float64)
        H = np.triu(H) + np.triu(H, 1).T
        H[np.arange(self.p1 - 1), np.arange(self.p1 - 1)] += 1.0
        return H

    def hvp(self, V, D):
        XV = self.X32 @ V.astype(np.float32)
        XV *= D
        HV = (self.X32w.T @ XV).astype(np.float64)
        HV[:-1] += V[:-1]
        return HV


def _pcg(prob, G, D, chol, rtol):
    """Solve ``H_j d_j = -g_j`` for every column by preconditioned conjugate gradients."""
    m = G.shape[1]
    d = np.zeros_like(G)
    r = -G
    gnorm = np.sqrt(np.einsum("ij,ij->j", G, G))
    z = cho_solve(chol, r)
    pdir = z.copy()
    rz = np.einsum("ij,ij->j", r, z)
    act = np.arange(m)
    for _ in range(_CG_MAX_ITER):
        STATS['cg'] = STATS.get('cg', 0) + 1; STATS['cgcols'] = STATS.get('cgcols', 0) + act.size
        Hp = prob.hvp(pdir, D[:, act])
        curv = np.einsum("ij,ij->j", pdir, Hp)
        alpha = rz / np.where(curv > 0, curv, np.inf)
        d[:, act] += alpha * pdir
        r_act = r[:, act] - alpha * Hp
        r[:, act] = r_act
        rnorm = np.sqrt(np.einsum("ij,ij->j", r_act, r_act))
        keep = (rnorm > rtol[act] * gnorm[act]) & (curv > 0)
        if not keep.any():
            break
        act, r_act, pdir, rz = act[keep], r_act[:, keep], pdir[:, keep], rz[keep]
        z = cho_solve(chol, r_act)
        rz_new = np.einsum("ij,ij->j", r_act, z)
        pdir = z + (rz_new / rz) * pdir
        rz = rz_new
    return d


def _backtrack(prob, Z, XD, Y, W, dW, slope):
    """Armijo backtracking from ``(W, Z)`` along ``(dW, XD)``; no matrix products."""
    f0 = prob.loss(Z, Y, W)
    # Near the optimum the decrease drowns in rounding: accept within a few ulps of f0.
    slack = 64 * np.finfo(float).eps * np.abs(f0)
    t = 1.0
    todo = np.arange(W.shape[1])
    Znew, Wnew = Z + XD, W + dW
    for _ in range(_MAX_HALVINGS):
        f = prob.loss(Znew[:, todo], Y[:, todo], Wnew[:, todo])
        todo = todo[f > f0[todo] + _ARMIJO * t * slope[todo] + slack[todo]]
        if todo.size == 0:
            break
        t *= 0.5
        Znew[:, todo] = Z[:, todo] + t * XD[:, todo]
        Wnew[:, todo] = W[:, todo] + t * dW[:, todo]
    return Znew, Wnew


def _newton(prob, Y, W, Z, *, tol, max_iter, chol=None, step=None):
    """Inexact Newton on all columns; returns W and the iteration count of the slowest.

    ``step = (dW, XD, slope)`` marks ``(W, Z)`` as a tentative step from ``(W - dW, Z - XD)``
    that is checked like every later step. A step is kept without evaluating the loss when
    the directional derivative at its end is still <= 0 (convexity: the loss fell along the
    whole step); otherwise Armijo backtracking decides.
    """
    m = Y.shape[1]
    W_out = np.empty_like(W)
    act = np.arange(m)
    dW, XD, slope = step if step is not None else (None, None, None)
    n_iter = 0
    while True:
        G, D = prob.grad(Z, Y, W)
        if dW is not None:
            bad = np.flatnonzero(np.einsum("ij,ij->j", G, dW) > 0)
            if bad.size:
                Wb, Zb = W[:, bad] - dW[:, bad], Z[:, bad] - XD[:, bad]
                Zb, Wb = _backtrack(prob, Zb, XD[:, bad], Y[:, bad], Wb, dW[:, bad],
                                    slope[bad])
                Z[:, bad], W[:, bad] = Zb, Wb
                G[:, bad], D[:, bad] = prob.grad(Zb, Y[:, bad], Wb)
        gmax = np.abs(G).max(axis=0) / prob.scale
        done = gmax <= tol
        if n_iter >= max_iter:
            done[:] = True
        if done.any():
            W_out[:, act[done]] = W[:, done]
            keep = ~done
            act, W, Z, Y = act[keep], W[:, keep], Z[:, keep], Y[:, keep]
            G, D, gmax = G[:, keep], D[:, keep], gmax[keep]
        if act.size == 0:
            break
        n_iter += 1
        STATS.setdefault('newton', []).append(act.size)
        if chol is None:
            # A shared preconditioner from the mean curvature of the active columns.
            chol_it = cho_factor(prob.hessian(D.mean(axis=1, dtype=np.float64)),
                                 check_finite=False)
        else:
            chol_it = chol
        # Forcing term: loose far from the optimum, tight near it (superlinear steps).
        rtol = np.clip(np.sqrt(gmax), _RTOL_MIN, 0.1)
        dW = _pcg(prob, G, D, chol_it, rtol)
        XD = prob.X1 @ dW
        slope = np.einsum("ij,ij->j", G, dW)
        W = W + dW
        Z = Z + XD
    return W_out, n_iter


def _check_labels(Y, n):
    Y = np.asarray(Y)
    if Y.ndim == 1:
        Y = Y[:, None]
    if Y.ndim != 2 or Y.shape[0] != n:
        raise DataError(f"The 'Y' parameter must have one row per row of X ({n}). "
                        f"Got shape {Y.shape} instead.")
    if not np.isin(Y, (0, 1)).all():
        raise DataError("The 'Y' parameter must hold 0/1 labels. Got other values instead.")
    Yf = Y.astype(np.float64)
    single = np.flatnonzero((Yf.min(axis=0) == Yf.max(axis=0)))
    if single.size:
        raise DataError("The 'Y' parameter needs both classes in every column (the intercept "
                        f"has no finite optimum otherwise). Got one class in column "
                        f"{int(single[0])} instead.")
    return Yf


def fit_logreg_columns(X, Y, *, C=1.0, tol=DEFAULT_TOL, max_iter=100, coef_init=None,
                       intercept_init=None, sample_weight=None):
    """Fit one L2 logistic regression per column of ``Y`` on shared features ``X``.

    Column ``j`` minimises scikit-learn's ``LogisticRegression(C=C)`` objective
    ``0.5 ||w||^2 + C sum_i sw_i logloss(Y[i, j], x_i . w + b)`` with an unpenalised
    intercept ``b``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Shared features.
    Y : array-like of shape (n_samples, n_columns) or (n_samples,)
        0/1 labels; each column must hold both classes.
    C : float, default=1.0
        Inverse regularisation strength, as in scikit-learn.
    tol : float, default=1e-10
        A column is converged when ``max |g| <= tol``, ``g`` the gradient of scikit-learn's
        normalised objective (the objective above divided by ``C * sum(sw)``): the first test
        of scikit-learn's Newton solvers, 100 times tighter than the firm's ``tol=1e-8``.
    max_iter : int, default=100
        Newton iterations at most.
    coef_init, intercept_init : ndarray of shape (n_features, n_columns) / (n_columns,)
        Warm start (zeros by default).
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights shared by all columns.

    Returns
    -------
    coef : ndarray of shape (n_features, n_columns)
    intercept : ndarray of shape (n_columns,)
    n_iter : int
        Newton iterations of the slowest column.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> Y = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    >>> coef, intercept, _ = fit_logreg_columns(X, Y)
    >>> coef.shape, intercept.shape
    ((1, 2), (2,))
    """
    X = _check_design(X)
    n, p = X.shape
    Y = _check_labels(Y, n)
    C = _check_positive(C, "C")
    tol = _check_positive(tol, "tol")
    sw = _check_sample_weight(sample_weight, n)
    m = Y.shape[1]
    W = np.zeros((p + 1, m))
    if coef_init is not None:
        W[:p] = np.asarray(coef_init, dtype=np.float64).reshape(p, m)
    if intercept_init is not None:
        W[p] = np.asarray(intercept_init, dtype=np.float64).reshape(m)
    prob = _Problem(X, sw, C)
    W, n_iter = _newton(prob, Y, W, prob.X1 @ W, tol=tol, max_iter=int(max_iter))
    return W[:p].copy(), W[p].copy(), n_iter


def predict_columns(X, coef, intercept):
    """Predictions of every column's model in one matrix product.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    coef : ndarray of shape (n_features, n_columns)
    intercept : ndarray of shape (n_columns,)

    Returns
    -------
    ndarray of bool, shape (n_samples, n_columns)
        ``X @ coef + intercept > 0``, scikit-learn's ``predict`` of each column's model.
    """
    Z = np.asarray(X, dtype=np.float64) @ np.asarray(coef, dtype=np.float64)
    Z += np.asarray(intercept, dtype=np.float64)
    return Z > 0


def fit_flip_path(X, y, ranked_idx, budgets, *, C=1.0, tol=DEFAULT_TOL, max_iter=100,
                  sample_weight=None, group_size=16, precond="anchor"):
    X = _check_design(X)
    n, p = X.shape
    y = np.asarray(y).astype(np.float64)
    ranked_idx = np.asarray(ranked_idx, dtype=np.intp)
    budgets = np.asarray(budgets, dtype=np.intp)
    sw = _check_sample_weight(sample_weight, n)
    prob = _Problem(X, sw, C)
    W0, _ = _newton(prob, y[:, None], np.zeros((p + 1, 1)), np.zeros((n, 1)), tol=tol,
                    max_iter=max_iter)
    S = np.zeros((ranked_idx.size + 1, p + 1))
    np.cumsum(prob.X1[ranked_idx] * (C * sw[ranked_idx, None]), axis=0, out=S[1:])
    order = np.argsort(budgets, kind="stable")
    coef = np.empty((p + 1, budgets.size))
    wa, ba = W0, 0
    ya = y.copy()
    for start in range(0, budgets.size, group_size):
        cols = order[start:start + group_size]
        bs = budgets[cols]
        za = prob.X1 @ wa
        Ga, Da = prob.grad(za, ya[:, None], wa)
        chol = cho_factor(prob.hessian(Da[:, 0]), check_finite=False)
        G = Ga - (S[bs] - S[ba]).T
        dW = -cho_solve(chol, G)
        XD = prob.X1 @ dW
        Y = np.repeat(y[:, None], bs.size, axis=1)
        for j, b in enumerate(bs):
            Y[ranked_idx[:b], j] = 1.0
        W, _ = _newton(prob, Y, wa + dW, za + XD, tol=tol, max_iter=max_iter,
                       chol=chol if precond == "anchor" else None,
                       step=(dW, XD, np.einsum("ij,ij->j", G, dW)))
        coef[:, cols] = W
        wa, ba, ya = W[:, -1:], bs[-1], Y[:, -1]
    return coef[:p].copy(), coef[p].copy()
