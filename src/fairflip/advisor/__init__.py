"""The advisor: how many of the collective should flip, chosen from its view alone.

A shadow firm trained on the :class:`~fairflip.collective.CollectiveView`, cross-fitted and
bootstrapped, predicts the firm's test EqOd and error per budget with a band; a rule that
prefers fewer flips within the noise picks the budget (0 when none is predicted to help).

Layer: the collective's side, above ``collective`` and ``scorers`` and below ``organiser``;
it may import those, ``learning``, ``data``, ``metrics`` and private leaves, never the
firm's side (it reads a :class:`~fairflip.collective.CollectiveView`, nothing else).
"""

from ._advice import (
    ADVISOR_VERSION,
    DEFAULT_RULE,
    RATE_RULE,
    Advice,
    advise,
    fit_rank_view,
    predicted_choices,
    rank_view,
)
from ._curve import RULES

__all__ = [
    "ADVISOR_VERSION", "RATE_RULE", "fit_rank_view", "DEFAULT_RULE", "RULES", "Advice", "advise",
    "predicted_choices", "rank_view"]
