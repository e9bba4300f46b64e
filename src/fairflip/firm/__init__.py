"""The firm simulator: any scikit-learn classifier trained on the (relabelled) pool.

The default logistic regression has a batched fast path that trains every budget of a flip
sweep at once (:func:`fit_flip_path`), to scikit-learn's optimum.
"""

from ._batched import fit_flip_path, fit_logreg_columns, predict_columns
from ._models import LOGREG_C, LOGREG_TOL, MODEL_NAMES, make_model

__all__ = [
    "LOGREG_C",
    "LOGREG_TOL",
    "MODEL_NAMES",
    "fit_flip_path",
    "fit_logreg_columns",
    "make_model",
    "predict_columns",
]
