"""The firm's side: train the classifier on the pool, after an optional label audit.

Layer: the firm's side, beside ``baselines`` and independent of the collective's side. It may
import the shared ``learning`` layer, ``data``, ``metrics`` and private leaves.

Model construction, the batched logistic path and the label audits moved to
:mod:`fairflip.learning` (both sides use them); their old names here keep working until 0.3
with a FutureWarning.
"""

from .._deprecate import moved_names
from ._train import audit_and_retrain, train_firm

__all__ = ["audit_and_retrain", "train_firm"]

__getattr__ = moved_names(__name__, dict.fromkeys((
    "AUDIT_ACTIONS", "AUDIT_FOLDS", "AUDIT_NAMES", "DEFAULT_AUDIT_Q", "AuditResult", "audit_labels",
    "check_audit", "flag_labels", "out_of_fold_proba", "respond", "LOGREG_C", "LOGREG_TOL",
    "MODEL_NAMES", "fit_flip_path", "fit_logreg_columns", "make_model", "predict_columns",
), "fairflip.learning"))
