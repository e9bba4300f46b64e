"""The firm simulator: any scikit-learn classifier trained on the (relabelled) pool."""

from ._models import LOGREG_C, LOGREG_TOL, MODEL_NAMES, make_model

__all__ = ["LOGREG_C", "LOGREG_TOL", "MODEL_NAMES", "make_model"]
