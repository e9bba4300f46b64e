"""What every evaluation record names (data set, method, seed, the untouched firm) and its JSON form."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ._version import __version__

__all__ = ["RunRecord"]


@dataclass(kw_only=True)
class RunRecord:
    """Base of :class:`~fairflip.simulation.Evaluation` and
    :class:`~fairflip.simulation.CoalitionEvaluation`: one run of the firm's simulation.

    Keyword-only, so subclasses list their own fields (with or without defaults) freely.
    """

    dataset: str
    method: str
    seed: int
    #: The untouched firm's test metrics.
    before: dict = field(default_factory=dict)
    version: str = __version__

    def to_dict(self) -> dict:
        return asdict(self)
