"""Raw feature table -> dense float64 (or float32) matrix, learned on the firm's training rows only."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.utils.validation import check_is_fitted

from ..exceptions import ConfigError, DataError

__all__ = ["TabularEncoder", "MISSING_CATEGORY"]

MISSING_CATEGORY = "missing"


def _is_numeric(series: pd.Series) -> bool:
    # pandas counts bool as numeric; a yes/no column reads better one-hot encoded.
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _as_categories(frame: pd.DataFrame) -> pd.DataFrame:
    # One common type (str) for OneHotEncoder, whatever the source dtype (object, pandas'
    # str, category, bool); NaN becomes its own category.
    out = {}
    for column in frame.columns:
        values = frame[column].astype(object)
        out[column] = np.where(values.isna(), MISSING_CATEGORY, values.astype(str))
    return pd.DataFrame(out, index=frame.index, dtype=object)


def _combine_name(feature, category) -> str:
    return f"{feature}={category}"


class TabularEncoder(TransformerMixin, BaseEstimator):
    """Encode a raw feature table as a dense float64 matrix.

    Numeric columns are imputed with their training median and standardised; every other
    column (object, string, category, bool) is one-hot encoded.

    Parameters
    ----------
    standardize : bool, default=True
        False passes numeric columns through as they are (still imputed), so distances
        between rows stay those of the data (an embedding's geometry). When every column is
        then float32, the output is float32 too: the values as given, no rounding.

    Missing values: a NaN in a numeric column becomes the column's median over the training
    rows (0 after scaling; a column with no observed training value becomes 0); a NaN in a
    categorical column becomes its own category ``"missing"``. A category not seen in
    training encodes as all zeros.

    Attributes
    ----------
    numeric_columns_ : list of str
    categorical_columns_ : list of str
    feature_names_ : tuple of str
        Output column names: numeric columns by name, one-hot columns as ``column=value``.

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"age": [20.0, None, 40.0], "job": ["a", None, "b"]})
    >>> TabularEncoder().fit(X).feature_names_
    ('age', 'job=a', 'job=b', 'job=missing')
    """

    def __init__(self, *, standardize: bool = True):
        self.standardize = standardize

    def fit(self, X: pd.DataFrame, y=None):
        """Learn medians, scales and categories from ``X`` (the training rows only)."""
        if not isinstance(X, pd.DataFrame) or X.shape[1] == 0:
            raise DataError("The 'X' parameter must be a DataFrame with at least one column. "
                            f"Got {type(X).__name__} of shape {getattr(X, 'shape', None)} "
                            "instead.")
        self.columns_ = [str(c) for c in X.columns]
        self.numeric_columns_ = [str(c) for c in X.columns if _is_numeric(X[c])]
        self.categorical_columns_ = [c for c in self.columns_ if c not in self.numeric_columns_]
        if not isinstance(self.standardize, bool):
            raise ConfigError("The 'standardize' parameter must be True or False. "
                              f"Got {self.standardize!r} instead.")
        # float32 only where it is exact: values passed through, every column float32.
        self.dtype_ = np.dtype(np.float32 if (
            not self.standardize and not self.categorical_columns_
            and all(X[c].dtype == np.float32 for c in X.columns)) else np.float64)
        parts = []
        if self.numeric_columns_:
            steps = [SimpleImputer(strategy="median", keep_empty_features=True)]
            if self.standardize:
                steps.append(StandardScaler())
            parts.append(("num", make_pipeline(*steps), self.numeric_columns_))
        if self.categorical_columns_:
            parts.append(("cat", OneHotEncoder(
                handle_unknown="ignore", sparse_output=False, dtype=np.float64,
                feature_name_combiner=_combine_name,
            ), self.categorical_columns_))
        self.transformer_ = ColumnTransformer(parts, sparse_threshold=0.0,
                                              verbose_feature_names_out=False)
        self.transformer_.fit(self._prepare(X))
        self.feature_names_ = tuple(str(n) for n in self.transformer_.get_feature_names_out())
        return self

    def _prepare(self, X: pd.DataFrame) -> pd.DataFrame:
        X = X.set_axis([str(c) for c in X.columns], axis=1)
        missing = [c for c in self.columns_ if c not in X.columns]
        if missing:
            raise DataError(f"The table to encode lacks the column {missing[0]!r} seen in fit.")
        numeric = X[self.numeric_columns_].astype(self.dtype_)
        categorical = _as_categories(X[self.categorical_columns_])
        return pd.concat([numeric, categorical], axis=1)

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        """Encode ``X`` with what fit learned; returns float64 (float32, see ``standardize``)
        of shape (n, len(names))."""
        check_is_fitted(self, "transformer_")
        return np.asarray(self.transformer_.transform(self._prepare(X)), dtype=self.dtype_)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "transformer_")
        return np.asarray(self.feature_names_, dtype=object)
