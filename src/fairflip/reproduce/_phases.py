"""Where a reproduction's time goes: wall time per phase, with the machine's load."""

from __future__ import annotations

import os
import time
from contextlib import contextmanager

import pandas as pd

__all__ = ["PhaseClock"]


class PhaseClock:
    """Wall time of named phases, in the order they ran.

    Workers of a parallel sweep are other processes, so this process's CPU time would miss
    their work; the one-minute load average at each phase's end is kept instead, because on
    a shared machine it says how far wall times are from an idle run. A ``progress``
    (:class:`~fairflip.reproduce._progress.OverallProgress`) is told where each phase
    begins and ends and gives the phase's expected seconds.
    """

    def __init__(self, progress=None):
        self._rows: list[dict] = []
        self.progress = progress

    @contextmanager
    def phase(self, name: str):
        start = time.monotonic()
        if self.progress is not None:
            self.progress.begin(name)
        try:
            yield
        finally:
            expected = self.progress.end(name) if self.progress is not None else float("nan")
            self._rows.append({"phase": name, "seconds": time.monotonic() - start,
                               "load_1min": _load(), "expected_seconds": expected})

    def table(self) -> pd.DataFrame:
        """One row per phase: ``phase``, ``seconds``, ``share`` of the total, ``load_1min``
        and ``expected_seconds`` (the progress line's weight: seconds on 2 idle cores)."""
        df = pd.DataFrame(self._rows, columns=["phase", "seconds", "load_1min",
                                               "expected_seconds"])
        total = df.seconds.sum()
        df.insert(2, "share", df.seconds / total if total > 0 else 0.0)
        return df

    def markdown(self) -> str:
        df = self.table()
        if df.empty:
            return ""
        lines = ["", "## Where the time goes", "",
                 f"Wall time per phase (total {df.seconds.sum():.0f} s on {os.cpu_count()} "
                 "cores); the load average shows how busy the machine was.", "",
                 "| phase | seconds | share | load (1 min) |", "|---|---|---|---|"]
        lines += [f"| {r.phase} | {r.seconds:.1f} | {r.share:.0%} | {r.load_1min:.1f} |"
                  for r in df.itertuples()]
        return "\n".join(lines) + "\n"


def _load() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:  # not available on every platform
        return float("nan")
