"""FARE's restricted encoder: a best-first tree with a fairness-aware split criterion.

Jovanovic, Balunovic, Dimitrov & Vechev, "FARE: Provably Fair Representation Learning with
Practical Certificates", ICML 2023. Written from the paper; no code of the authors' is used.

Criterion (equalized-odds variant). For a node with rows of labels ``y`` and groups ``s``,

    impurity = (1 - w) * Gini(y) + w * (0.5 - sum_c (n_c / n) * Gini(s | y = c))

where ``Gini(s | y = c)`` is the Gini index of the group among the node's rows of label
``c`` (0 for a class the node lacks) and ``w`` is the fairness weight. A split's gain is
scikit-learn's weighted impurity decrease,
``(n / N) * (impurity - n_L / n * impurity_L - n_R / n * impurity_R)``. The second term
*rewards* nodes whose rows of each label mix the groups, so a split that separates the
groups within a label class is penalised (the Gini index is concave, so the group term
never decreases the impurity in children: a split's fairness cost is >= 0). With ``w = 0``
this is scikit-learn's Gini criterion.

Best-first growth, as scikit-learn's ``max_leaf_nodes`` builder: every node gets its best
split when it is made; the open node with the largest gain is split next, until the tree
has ``max_leaves`` leaves or no open node has a split with gain >= 0. A node is a leaf when
its labels are pure, it has fewer than ``2 * min_samples_leaf`` rows, or no split leaves
``min_samples_leaf`` rows on both sides. The expansion order is recorded, so the tree with
fewer leaves (the first ``j - 1`` splits) is a prefix of this one: :meth:`FairTree.apply`
takes ``n_leaves``.

Continuous (and one-hot) features split at midpoints between consecutive distinct values
(``x <= t`` goes left), as scikit-learn does. Ties between equal gains go to the lower
feature index, then the lower threshold (scikit-learn breaks them by a random feature
order, so only data without tied gains match it split for split).

Categorical features (integer codes, given by index): a categorical split sends a set of
categories left. As the paper proposes, only prefixes of a few orderings of the node's
categories are tried: (1) by the node's positive rate (Breiman's order: for two classes the
best Gini partition is one of its prefixes), and (2, 3) the paper's interleaved orders:
categories sorted by their acting-group share, cut into 2 (then 4) consecutive blocks, each
block sorted by positive rate, and the blocks interleaved, so a prefix takes categories
from every group-share level. A category not seen at the node in training goes right.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

import numpy as np

__all__ = ["FairTree", "grow_fair_tree"]

_EPS = np.finfo(np.float64).eps
_FEATURE_THRESHOLD = 1e-7  # scikit-learn's: values closer than this are not split apart
_CHUNK = 2_000_000  # matrix entries per vectorised block (bounds memory to ~100 MB)


def _weighted_impurity(c, w):
    """``n * impurity`` of nodes with counts ``c[..., 2 * y + s]`` (last axis of length 4)."""
    c = np.asarray(c, dtype=np.float64)
    n_y0 = c[..., 0] + c[..., 1]
    n_y1 = c[..., 2] + c[..., 3]
    n = n_y0 + n_y1
    with np.errstate(invalid="ignore", divide="ignore"):
        gini_y = np.where(n > 0, n - (n_y0 ** 2 + n_y1 ** 2) / n, 0.0)
        # sum_c n_c * Gini(s | y = c)
        gs0 = np.where(n_y0 > 0, n_y0 - (c[..., 0] ** 2 + c[..., 1] ** 2) / n_y0, 0.0)
        gs1 = np.where(n_y1 > 0, n_y1 - (c[..., 2] ** 2 + c[..., 3] ** 2) / n_y1, 0.0)
    if w == 0.0:
        return gini_y
    return (1.0 - w) * gini_y + w * (0.5 * n - gs0 - gs1)


@dataclass
class _Split:
    gain: float
    feature: int
    threshold: float = np.nan
    left_categories: frozenset = frozenset()


@dataclass
class FairTree:
    """A grown tree (see the module docstring). Node 0 is the root.

    ``split_rank[i]`` is the order in which node ``i`` was split (-1: never split); the
    tree with ``j`` leaves keeps the splits of rank ``< j - 1``.
    """

    feature: list = field(default_factory=list)
    threshold: list = field(default_factory=list)
    left_categories: list = field(default_factory=list)
    left: list = field(default_factory=list)
    right: list = field(default_factory=list)
    split_rank: list = field(default_factory=list)
    gain: list = field(default_factory=list)
    categorical: frozenset = frozenset()

    @property
    def n_leaves(self) -> int:
        """Leaves of the fully grown tree."""
        return 1 + sum(r >= 0 for r in self.split_rank)

    def _new(self):
        for name in ("feature", "left", "right", "split_rank"):
            getattr(self, name).append(-1)
        self.threshold.append(np.nan)
        self.left_categories.append(frozenset())
        self.gain.append(np.nan)
        return len(self.feature) - 1

    def leaf_nodes(self, n_leaves=None) -> list:
        """Node ids of the leaves of the tree cut to ``n_leaves`` leaves, in a fixed order."""
        limit = self._limit(n_leaves)
        out, stack = [], [0]
        while stack:
            node = stack.pop()
            if 0 <= self.split_rank[node] < limit:
                stack.extend((self.right[node], self.left[node]))
            else:
                out.append(node)
        return out

    def _limit(self, n_leaves):
        return self.n_leaves - 1 if n_leaves is None else min(int(n_leaves), self.n_leaves) - 1

    def apply(self, X, n_leaves=None) -> np.ndarray:
        """Each row's leaf as an index into :meth:`leaf_nodes` (``0 .. n_leaves - 1``)."""
        X = np.asarray(X, dtype=np.float64)
        limit = self._limit(n_leaves)
        node = np.zeros(X.shape[0], dtype=np.intp)
        rows_at = {0: np.arange(X.shape[0])}
        leaf_of = {}
        stack = [0]
        while stack:
            i = stack.pop()
            rows = rows_at.pop(i)
            if not 0 <= self.split_rank[i] < limit:
                leaf_of[i] = rows
                continue
            x = X[rows, self.feature[i]]
            if self.feature[i] in self.categorical:
                go_left = np.isin(np.rint(x).astype(np.int64), list(self.left_categories[i]))
            else:
                go_left = x <= self.threshold[i]
            rows_at[self.left[i]], rows_at[self.right[i]] = rows[go_left], rows[~go_left]
            stack.extend((self.right[i], self.left[i]))
        for j, leaf in enumerate(self.leaf_nodes(n_leaves)):
            node[leaf_of[leaf]] = j
        return node


def _best_continuous(X, codes, features, min_leaf, w, parent, N):
    """Best midpoint split of the node's rows ``X`` (n, d), whose columns are the data's
    ``features``."""
    n = X.shape[0]
    best = _Split(-np.inf, -1)
    onehot = np.eye(4, dtype=np.int32)[codes]
    total = np.bincount(codes, minlength=4)
    step = max(1, _CHUNK // (4 * n))
    lo, hi = min_leaf, n - min_leaf  # left sizes allowed: lo .. hi
    for start in range(0, len(features), step):
        cols = features[start:start + step]
        Xc = X[:, start:start + step]
        order = np.argsort(Xc, axis=0, kind="stable")
        xs = np.take_along_axis(Xc, order, axis=0)
        left = np.cumsum(onehot[order], axis=0)[lo - 1:hi]  # left counts, sizes lo .. hi
        right = total - left
        gain = (parent - _weighted_impurity(left, w) - _weighted_impurity(right, w)) / N
        # A cut between positions p - 1 and p (left size p) needs distinct values there.
        valid = xs[lo:hi + 1] > xs[lo - 1:hi] + _FEATURE_THRESHOLD
        gain = np.where(valid, gain, -np.inf)
        # First maximum in (feature, threshold) order.
        flat = np.argmax(gain.T.ravel())
        j, p = divmod(int(flat), gain.shape[0])
        if gain[p, j] > best.gain:
            a, b = xs[lo - 1 + p, j], xs[lo + p, j]
            t = a / 2.0 + b / 2.0
            if t == b or not np.isfinite(t):
                t = a
            best = _Split(float(gain[p, j]), int(cols[j]), float(t))
    return best


def _best_binary(at_low, lo, hi, codes, features, min_leaf, w, parent, N):
    """Best split over two-valued ``features``: rows at the lower value ``lo`` go left
    (``at_low`` (n, d): whether each of the node's rows is at it)."""
    onehot = np.eye(4)[codes]
    left = at_low.T.astype(np.float64) @ onehot  # (n_features, 4)
    right = onehot.sum(axis=0) - left
    gain = (parent - _weighted_impurity(left, w) - _weighted_impurity(right, w)) / N
    n_left = left.sum(axis=1)
    gain = np.where((n_left >= min_leaf) & (at_low.shape[0] - n_left >= min_leaf), gain,
                    -np.inf)
    j = int(np.argmax(gain))
    if not np.isfinite(gain[j]):
        return _Split(-np.inf, -1)
    t = lo[j] / 2.0 + hi[j] / 2.0
    return _Split(float(gain[j]), int(features[j]), float(lo[j] if t == hi[j] else t))


def _category_orders(cats, pos_rate, grp_rate):
    """The paper's orderings of a node's categories (see the module docstring)."""
    orders = [cats[np.lexsort((cats, pos_rate))]]
    by_group = np.lexsort((cats, grp_rate))
    for q in (2, 4):
        if len(cats) < 2 * q:
            continue
        blocks = [b[np.lexsort((cats[b], pos_rate[b]))] for b in np.array_split(by_group, q)]
        inter = [blk[i] for i in range(max(map(len, blocks))) for blk in blocks if i < len(blk)]
        orders.append(cats[np.asarray(inter)])
    return orders


def _best_categorical(x, codes, feature, min_leaf, w, parent, N):
    """Best split of one categorical feature over prefixes of the category orderings."""
    best = _Split(-np.inf, -1)
    cats, inv = np.unique(np.rint(x).astype(np.int64), return_inverse=True)
    if len(cats) < 2:
        return best
    counts = np.zeros((len(cats), 4))
    np.add.at(counts, (inv, codes), 1.0)
    size = counts.sum(axis=1)
    pos_rate = (counts[:, 2] + counts[:, 3]) / size
    grp_rate = (counts[:, 1] + counts[:, 3]) / size
    index = {c: i for i, c in enumerate(cats)}
    total = counts.sum(axis=0)
    for order in _category_orders(cats, pos_rate, grp_rate):
        left = np.cumsum(counts[[index[c] for c in order]], axis=0)[:-1]
        n_left = left.sum(axis=1)
        gain = (parent - _weighted_impurity(left, w) - _weighted_impurity(total - left, w)) / N
        gain = np.where((n_left >= min_leaf) & (size.sum() - n_left >= min_leaf), gain, -np.inf)
        p = int(np.argmax(gain))
        if gain[p] > best.gain:
            best = _Split(float(gain[p]), feature, left_categories=frozenset(
                int(c) for c in order[:p + 1]))
    return best


def _best_split(X, codes, min_leaf, w, N, categorical):
    n = X.shape[0]
    c = np.bincount(codes, minlength=4)
    if n < 2 * min_leaf or _weighted_impurity(c, 0.0) <= _EPS * n:
        return None
    parent = _weighted_impurity(c, w)
    # fmin/fmax equal min/max on finite data (FARE checks it) and skip min's NaN handling,
    # which makes a column-wise min of a C-ordered array several times slower.
    low, high = np.fmin.reduce(X, axis=0), np.fmax.reduce(X, axis=0)
    live = np.flatnonzero(high - low > _FEATURE_THRESHOLD)
    cont = live[~np.isin(live, list(categorical))] if categorical else live
    # One copy of the node's splittable columns (none when every column is one).
    Xc = X if cont.size == X.shape[1] else X[:, cont]
    low, high = low[cont], high[cont]
    best = _Split(-np.inf, -1)
    # Two-valued columns (one-hot ones) have one cut: no sort needed.
    at_low = Xc == low
    two = (at_low | (Xc == high)).all(axis=0)
    if two.any():
        sel = slice(None) if two.all() else two  # a view, not a copy, when all are
        best = _best_binary(at_low[:, sel], low[sel], high[sel], codes, cont[sel], min_leaf, w,
                            parent, N)
    if (~two).any():
        cand = _best_continuous(Xc[:, ~two], codes, cont[~two], min_leaf, w, parent, N)
        if cand.gain > best.gain or (cand.gain == best.gain and cand.feature < best.feature):
            best = cand
    for j in sorted(categorical):
        if j in live:
            cand = _best_categorical(X[:, j], codes, j, min_leaf, w, parent, N)
            if cand.gain > best.gain or (cand.gain == best.gain and j < best.feature):
                best = cand
    # scikit-learn splits when gain + eps >= min_impurity_decrease (0).
    if best.feature < 0 or best.gain + _EPS < 0:
        return None
    return best


def grow_fair_tree(X, y, groups, *, max_leaves, min_samples_leaf=1, fairness_weight=0.0,
                   categorical_features=()) -> FairTree:
    """Grow FARE's tree best-first (arguments already validated by :class:`FARE`).

    Parameters
    ----------
    X : ndarray of shape (n, d), float
    y, groups : ndarray of 0/1
    max_leaves : int >= 2
    min_samples_leaf : int >= 1
    fairness_weight : float in [0, 1]
    categorical_features : iterable of int
        Columns holding integer category codes.

    Returns
    -------
    FairTree

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> tree = grow_fair_tree(X, np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), max_leaves=4)
    >>> tree.n_leaves, tree.threshold[0]
    (2, 1.5)
    """
    X = np.asarray(X, dtype=np.float64)
    codes = (2 * np.asarray(y) + np.asarray(groups)).astype(np.intp)
    N = X.shape[0]
    w = float(fairness_weight)
    categorical = frozenset(int(j) for j in categorical_features)
    tree = FairTree(categorical=categorical)
    heap, rows_of, counter = [], {}, 0

    def push(rows):
        nonlocal counter
        node = tree._new()
        split = _best_split(X[rows], codes[rows], min_samples_leaf, w, N, categorical)
        if split is not None:
            rows_of[node] = rows
            heapq.heappush(heap, (-split.gain, counter, node, split))
            counter += 1

    push(np.arange(N))
    rank = 0
    while heap and rank < max_leaves - 1:
        _, _, node, split = heapq.heappop(heap)
        rows = rows_of.pop(node)
        x = X[rows, split.feature]
        if split.feature in categorical:
            go_left = np.isin(np.rint(x).astype(np.int64), list(split.left_categories))
        else:
            go_left = x <= split.threshold
        tree.feature[node], tree.threshold[node] = split.feature, split.threshold
        tree.left_categories[node], tree.gain[node] = split.left_categories, split.gain
        tree.split_rank[node] = rank
        rank += 1
        tree.left[node] = len(tree.feature)
        push(rows[go_left])
        tree.right[node] = len(tree.feature)
        push(rows[~go_left])
    return tree
