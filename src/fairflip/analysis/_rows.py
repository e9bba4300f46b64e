"""Select, group and average results rows for figures, the report and the claims.

Pure pandas: the same rows give the same series wherever they are drawn.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

from ..exceptions import ConfigError, DataError

__all__ = [
    "GRID_KEYS", "METHOD_ORDER", "FigureNotSupported", "aggregate", "alpha_for", "at_alpha",
    "base_value", "collective_rows", "figure_cells", "method_label", "pareto_alphas",
    "require_columns", "select", "series", "sort_key",
]

# The columns that define one cell of the sweep, seed excluded: rows that agree on them are
# repetitions of the same experiment and are averaged.
GRID_KEYS = (
    "dataset", "sensitive", "model", "family", "method",
    "alpha", "knowledge", "k", "budget", "knob", "knob2",
)
# Methods in the order figures and tables list them; other names follow alphabetically.
METHOD_ORDER = ("rb-prob", "rb-label", "rb-dist", "random", "oracle", "expgrad", "threshold",
                "calibrated_eo", "fare", "massaging", "reweighing", "correlation_remover")
_ORDER = {name: i for i, name in enumerate(METHOD_ORDER)}


def require_columns(df: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(
            f"The 'df' parameter lacks the result column(s) {missing}. "
            f"Got columns {list(df.columns)} instead."
        )


class FigureNotSupported(ConfigError):
    """The rows hold no data for this figure (no collective rows, no rows at the alpha, one
    knowledge level): :func:`plot_all` skips the figure and says so; every other error
    propagates."""


def _only(rows: pd.DataFrame, column: str, value, dataset: str) -> pd.DataFrame:
    """Keep ``column == value``; with ``value=None`` the rows must hold a single value."""
    if column not in rows.columns:
        return rows
    present = sorted(rows[column].dropna().astype(str).unique())
    if value is None or not present:  # an all-NULL column cannot be filtered on
        if len(present) > 1:
            raise ConfigError(
                f"The '{column}' parameter is needed: dataset {dataset!r} has rows for "
                f"several values {present}. Got None instead."
            )
        return rows
    kept = rows[rows[column].astype(str) == str(value)]
    if kept.empty:
        raise ConfigError(
            f"The '{column}' parameter names no rows of dataset {dataset!r} "
            f"(present: {present}). Got {value!r} instead."
        )
    return kept


def select(df: pd.DataFrame, *, dataset: str, model=None, sensitive=None) -> pd.DataFrame:
    """The rows of one dataset, one firm model and one sensitive attribute."""
    require_columns(df, ["dataset", "family", "method", "seed"])
    rows = df[df["dataset"] == dataset]
    if rows.empty:
        present = sorted(df["dataset"].dropna().astype(str).unique())
        raise ConfigError(
            f"The 'dataset' parameter names no rows of the results (present: {present}). "
            f"Got {dataset!r} instead."
        )
    rows = _only(rows, "model", model, dataset)
    return _only(rows, "sensitive", sensitive, dataset)


def collective_rows(rows: pd.DataFrame, *, dataset: str, knowledge="all") -> pd.DataFrame:
    """The collective-action rows, restricted to one knowledge level unless it is None."""
    out = rows[rows["family"] == "collective"]
    if out.empty:
        raise FigureNotSupported(
            f"The 'dataset' parameter names a dataset without collective-action rows. "
            f"Got {dataset!r} instead."
        )
    if knowledge is not None:
        if "knowledge" in out.columns and out["knowledge"].notna().any() \
                and not (out["knowledge"].astype(str) == str(knowledge)).any():
            raise FigureNotSupported(f"The 'knowledge' parameter names no collective rows of "
                                     f"dataset {dataset!r}. Got {knowledge!r} instead.")
        out = _only(out, "knowledge", knowledge, dataset)
    return out


def at_alpha(rows: pd.DataFrame, alpha: float, *, dataset: str) -> pd.DataFrame:
    require_columns(rows, ["alpha"])
    kept = rows[np.isclose(rows["alpha"].astype(float), float(alpha))]
    if kept.empty:
        present = sorted(rows["alpha"].dropna().unique().tolist())
        raise FigureNotSupported(
            f"The 'alpha' parameter names no collective rows of dataset {dataset!r} "
            f"(present: {present}). Got {alpha!r} instead."
        )
    return kept


def aggregate(df: pd.DataFrame, values: Sequence[str], *, by: Sequence[str] | None = None
              ) -> pd.DataFrame:
    """Mean and standard deviation of ``values`` over seeds, one row per cell.

    ``by`` defaults to the grid keys present in ``df`` (seed excluded). Missing keys (the knob
    of collective rows, the alpha of firm-side rows) form their own groups instead of being
    dropped. The std is the sample std (ddof=1); a cell with a single seed gets 0 (ddof=0)
    rather than NaN. Columns: the keys, ``<v>_mean``, ``<v>_std`` and ``n_seeds``.
    """
    by = [c for c in GRID_KEYS if c in df.columns] if by is None else list(by)
    grouped = df.groupby(by, dropna=False, sort=True)[list(values)]
    mean = grouped.mean()
    std = grouped.std(ddof=1).mask(grouped.count() == 1, 0.0)
    out = pd.concat([mean.add_suffix("_mean"), std.add_suffix("_std")], axis=1)
    out["n_seeds"] = grouped.size()
    return out.reset_index()


def base_value(rows: pd.DataFrame, metric: str) -> float:
    """The untouched model's mean test ``metric``, one value per seed (rows repeat it)."""
    column = f"base_{metric}"
    if column not in rows.columns:
        return float("nan")
    per_seed = rows.groupby("seed")[column].first().dropna()
    return float(per_seed.mean()) if len(per_seed) else float("nan")


def series(agg: pd.DataFrame, keys: Sequence[str]) -> Iterator[tuple[tuple, pd.DataFrame]]:
    """Split ``agg`` into one frame per combination of ``keys``, in a stable order."""
    keys = [k for k in keys if k in agg.columns]
    if not keys:
        yield (), agg
        return
    yield from agg.groupby(keys, dropna=False, sort=False)


def method_label(part: pd.DataFrame, agg: pd.DataFrame) -> str:
    """The scorer's name, with k appended only when the method was run at several k."""
    method = str(part["method"].iloc[0])
    if "k" in agg.columns:
        ks = agg.loc[agg["method"] == part["method"].iloc[0], "k"].dropna().unique()
        if len(ks) > 1:
            return f"{method} (k={part['k'].iloc[0]:g})"
    return method


def sort_key(name: str) -> tuple[int, str]:
    return (_ORDER.get(name, len(_ORDER)), name)


def figure_cells(df: pd.DataFrame):
    """(dataset, model, sensitive) triples; model/sensitive are None unless they vary."""
    for dataset, rows in df.groupby("dataset", sort=True):
        models = _values(rows, "model")
        sensitives = _values(rows, "sensitive")
        for model in models if len(models) > 1 else [None]:
            part = rows if model is None else rows[rows["model"].astype(str) == model]
            for sensitive in sensitives if len(sensitives) > 1 else [None]:
                sub = part if sensitive is None else part[
                    part["sensitive"].astype(str) == sensitive]
                if not sub.empty:
                    yield (dataset, model, sensitive), sub


def _values(rows: pd.DataFrame, column: str) -> list[str]:
    if column not in rows.columns:
        return []
    return sorted(rows[column].dropna().astype(str).unique())


def pareto_alphas(rows: pd.DataFrame, preferred=(0.3, 1.0)):
    """The paper's Pareto alphas (0.3 and 1) when present, else every alpha."""
    alphas = rows.loc[rows["family"] == "collective", "alpha"].dropna().astype(float).unique()
    chosen = [a for a in preferred if np.isclose(alphas, a).any()]
    return tuple(chosen) or None


def alpha_for(rows: pd.DataFrame, preferred: float) -> float:
    alphas = rows.loc[rows["family"] == "collective", "alpha"].dropna().astype(float)
    if alphas.empty or np.isclose(alphas, preferred).any():
        return preferred
    return float(alphas.max())
