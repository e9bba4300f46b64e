"""The numerical core of the batched logistic regression: an inexact Newton method.

Every column ``j`` of a label matrix ``Y`` is its own problem over shared features::

    f_j(w) = 0.5 * ||w[:-1]||^2 + C * sum_i sw_i * logloss(Y[i, j], x1_i . w)

where ``x1_i`` is row ``i`` with a trailing 1 (the intercept, unpenalised). Each Newton step
solves all active columns' systems ``H_j d_j = -g_j`` by preconditioned conjugate gradients
(PCG); the Hessian-vector products of all columns are two matrix products. Accuracy lives
in float64 (logits, gradients, losses); the Hessian-vector products and preconditioners
only steer the search direction and run in float32, which halves their cost.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import cho_factor, cho_solve
from scipy.linalg.blas import ssyrk
from scipy.special import expit

_CG_MAX_ITER = 50
# float32 Hessian-vector products cannot resolve relative residuals much below 1e-6.
_RTOL_MIN = 1e-4
_RTOL_MAX = 0.1
# A shared preconditioner is rebuilt (one pass of n p^2) only when it has gone stale,
# i.e. when the last PCG solve needed more iterations than this.
_REBUILD_AFTER = 3
_ARMIJO = 1e-4
_SLOPE_RATIO = 0.1
_MAX_HALVINGS = 40


class Problem:
    """Shared data of one batch: design with intercept column, row weights, penalty."""

    def __init__(self, X, sw, C):
        n, p = X.shape
        self.X1 = np.empty((n, p + 1))
        self.X1[:, :p] = X
        self.X1[:, p] = 1.0
        self.sw = sw
        self.unit_weights = bool((sw == 1.0).all())
        self.C = C
        # f_j / scale is scikit-learn's normalised objective (mean loss + penalty).
        self.scale = C * float(sw.sum())
        self.p1 = p + 1
        self.X32 = self.X1.astype(np.float32)
        self.X32w = self.X32 * (C * sw).astype(np.float32)[:, None]

    def loss(self, Z, Y, W):
        """``f_j`` for every column, from logits ``Z = X1 @ W``."""
        # log(1 + e^z) - y z = log1p(e^-|z|) + max(z, 0) - y z, without overflow
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
        """Gradients (p1, m) and per-row curvatures ``p (1 - p)`` (float32, no C sw)."""
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

    def hessian_chol(self, d):
        """Cholesky factor of the Hessian with per-row curvature ``d`` (float32 products)."""
        Xs = self.X32 * np.sqrt(d * (self.C * self.sw)).astype(np.float32)[:, None]
        H = ssyrk(1.0, Xs, trans=1, lower=0).astype(np.float64)
        H[np.arange(self.p1 - 1), np.arange(self.p1 - 1)] += 1.0
        # ssyrk filled the upper triangle only, which is what cho_factor(lower=False) reads.
        return cho_factor(H, lower=False, overwrite_a=True, check_finite=False)

    def hvp(self, V, D):
        """Hessian-vector products of all columns: two float32 matrix products."""
        XV = self.X32 @ V.astype(np.float32)
        XV *= D
        HV = (self.X32w.T @ XV).astype(np.float64)
        HV[:-1] += V[:-1]
        return HV


class Blocks:
    """Block-diagonal preconditioner: column ``j`` uses Cholesky factor ``chols[owner[j]]``."""

    def __init__(self, chols, owner):
        self.chols = list(chols)
        self.owner = np.asarray(owner, dtype=np.intp)

    def subset(self, keep):
        return Blocks(self.chols, self.owner[keep])

    def __call__(self, R, cols):
        own = self.owner[cols]
        if own.size and (own == own[0]).all():
            return cho_solve(self.chols[own[0]], R, check_finite=False)
        out = np.empty_like(R)
        for k in np.unique(own):
            sel = own == k
            out[:, sel] = cho_solve(self.chols[k], R[:, sel], check_finite=False)
        return out


def pcg(prob, G, D, precond, rtol):
    """Solve ``H_j d_j = -g_j`` for every column; column j stops at ``rtol[j]`` residual.

    Returns the steps and the number of PCG iterations the slowest column needed.
    """
    d = np.zeros_like(G)
    r = -G
    gnorm = np.sqrt(np.einsum("ij,ij->j", G, G))
    act = np.arange(G.shape[1])
    z = precond(r, act)
    pdir = z
    rz = np.einsum("ij,ij->j", r, z)
    n_it = 0
    for _ in range(_CG_MAX_ITER):
        n_it += 1
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
        z = precond(r_act, act)
        rz_new = np.einsum("ij,ij->j", r_act, z)
        pdir = z + (rz_new / rz) * pdir
        rz = rz_new
    return d, n_it


def backtrack(prob, Z, XD, Y, W, dW, slope):
    """Armijo backtracking per column from ``(W, Z)`` along ``(dW, XD)``; no matrix products."""
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


def newton(prob, Y, W, Z, *, tol, step_tol, max_iter, precond=None, step=None, chol=None):
    """Inexact Newton on all columns of ``Y`` from ``W`` (logits ``Z = X1 @ W``).

    Column ``j`` is converged when ``max |g_j| / scale <= tol`` (scikit-learn's first test on
    its normalised objective) and its Newton step ``d_j`` satisfies
    ``max |d_j| <= step_tol * max(1, max |w_j|)``; that step is then applied. The step test
    is what bounds the coefficients' error: along directions held only by the L2 penalty a
    small gradient can still leave a large error, a small Newton step cannot.

    ``precond`` is a :class:`Blocks` over the columns, or None for a shared Hessian of the
    active columns' mean curvature (``chol`` to start from), rebuilt whenever a PCG solve
    needed more than ``_REBUILD_AFTER`` iterations. ``step = (dW, XD, slope)`` marks
    ``(W, Z)`` as a tentative step from ``(W - dW, Z - XD)``, checked like every later step:
    a step is kept without evaluating the loss when the directional derivative at its end
    is at most ``_SLOPE_RATIO`` times the magnitude of the one at its start; otherwise Armijo
    backtracking decides.

    Returns
    -------
    W : ndarray (p1, m)
    n_iter : int
        Newton steps of the slowest column.
    chol : Cholesky factor or None
        The last shared preconditioner built (``precond=None`` only).
    converged : ndarray of bool (m,)
        Whether each column passed both tests within ``max_iter`` steps.
    """
    m = Y.shape[1]
    W_out = np.empty_like(W)
    converged = np.zeros(m, dtype=bool)
    act = np.arange(m)
    dW, XD, slope = step if step is not None else (None, None, None)
    n_iter, chol, cg_iters = 0, chol, 0
    while True:
        G, D = prob.grad(Z, Y, W)
        if dW is not None:
            # A step whose end slope is still <= 0 lowered the loss (convexity); one whose
            # end slope is small against its start slope did too for any near-quadratic
            # loss. Only the rest pay for loss evaluations and Armijo backtracking.
            bad = np.flatnonzero(np.einsum("ij,ij->j", G, dW) > _SLOPE_RATIO * -slope)
            if bad.size:
                Zb, Wb = backtrack(prob, Z[:, bad] - XD[:, bad], XD[:, bad], Y[:, bad],
                                   W[:, bad] - dW[:, bad], dW[:, bad], slope[bad])
                Z[:, bad], W[:, bad] = Zb, Wb
                G[:, bad], D[:, bad] = prob.grad(Zb, Y[:, bad], Wb)
        gmax = np.abs(G).max(axis=0) / prob.scale
        if n_iter >= max_iter:
            W_out[:, act] = W
            break
        n_iter += 1
        pc = precond
        if pc is None:
            if chol is None or cg_iters > _REBUILD_AFTER:
                chol = prob.hessian_chol(D.mean(axis=1, dtype=np.float64))
            pc = Blocks([chol], np.zeros(act.size, dtype=np.intp))
        rtol = np.clip(np.sqrt(gmax), _RTOL_MIN, _RTOL_MAX)
        dW, cg_iters = pcg(prob, G, D, pc, rtol)
        W = W + dW
        wmax = np.maximum(1.0, np.abs(W).max(axis=0))
        done = (gmax <= tol) & (np.abs(dW).max(axis=0) <= step_tol * wmax)
        if done.any():
            W_out[:, act[done]] = W[:, done]
            converged[act[done]] = True
            keep = ~done
            act, W, Z, Y = act[keep], W[:, keep], Z[:, keep], Y[:, keep]
            G, dW = G[:, keep], dW[:, keep]
            if precond is not None:
                precond = precond.subset(keep)
            if act.size == 0:
                break
        XD = prob.X1 @ dW
        slope = np.einsum("ij,ij->j", G, dW)
        Z = Z + XD
    return W_out, n_iter, chol, converged
