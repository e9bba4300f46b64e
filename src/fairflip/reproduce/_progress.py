"""One overall progress line across a run's phases: phase i of N, its name, elapsed, ETA.

Each phase has expected seconds (its *cost*, in parts: a sweep's first pass and its
refinement, the label-audit study's sweeps and figures). The ETA is the cost still ahead
times the speed measured so far: the seconds spent on the finished cost, plus ``prior``
seconds at the expected speed, over that cost plus ``prior`` (so the first seconds of a run
do not swing it). Within a phase, progress comes from its sweeps (``start`` and ``advance``,
the observer protocol of :func:`fairflip.experiments.run_sweep`, weighted by each unit's
expected cost); without reports a phase is assumed to run at the measured speed, and an
overrun adds to the ETA only what is left of the phases after it.

On a terminal the line is redrawn in place (``\\r``) every second; elsewhere (CI, log files)
a plain line is written when a phase starts and every ``interval`` seconds within one (a
heartbeat too, so a long phase does not look hung). ``enabled=False`` writes nothing but
still keeps the arithmetic.
"""

from __future__ import annotations

import shutil
import sys
import threading
import time

__all__ = ["OverallProgress", "format_seconds"]

_CLEAR = "\x1b[K"  # erase to the end of the line: a shorter line leaves no tail behind


def format_seconds(seconds: float) -> str:
    """``m:ss`` or ``h:mm:ss``."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class _Phase:
    def __init__(self, name: str, parts):
        self.name = name
        self.parts = [float(p) for p in parts] or [0.0]
        self.part = -1  # the part a sweep pass reports into; -1: none reported yet
        self.part_done = 0.0  # expected seconds done in the current part
        self.shares: dict = {}
        self.refining = False

    @property
    def cost(self) -> float:
        return sum(self.parts)

    @property
    def done(self) -> float:
        return sum(self.parts[:max(self.part, 0)]) + self.part_done


class OverallProgress:
    """The overall line of a ``reproduce`` run (see the module docstring).

    ``pass_cost(todo)`` returns (expected seconds, {unit_id: its share of them}) of a sweep
    pass; ``clock`` is a monotonic clock (a fake one in tests); ``tick`` runs the thread
    that redraws the line every second (tests drive ``refresh`` themselves).
    """

    def __init__(self, *, pass_cost=None, enabled=True, stream=None, tty=None,
                 clock=time.monotonic, interval=None, prior=10.0, tick=True):
        self.stream = sys.stderr if stream is None else stream
        self.enabled = enabled
        self.tty = bool(tty if tty is not None else getattr(self.stream, "isatty", bool)())
        self.clock = clock
        self.interval = interval if interval is not None else (0.5 if self.tty else 30.0)
        self.prior = prior
        self.pass_cost = pass_cost
        self.start_time = clock()
        self.phases: list[_Phase] = []
        self.planned = False
        self.index = -1
        self.open = False  # inside phases[index], not between two phases
        self.finished_cost = self.finished_seconds = 0.0
        self.phase_start = self.last_report = self.start_time
        self.last_emit = None
        self.drawn = False
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._ticker = None
        if enabled and tick:
            self._ticker = threading.Thread(target=self._tick, daemon=True)
            self._ticker.start()

    # -- the plan and the phases (PhaseClock calls begin and end) --------------------------
    def plan(self, phases) -> None:
        """``phases``: (name, [expected seconds of each part]) in run order. A phase begun
        before the plan (loading, which builds it) keeps its place if the plan names it."""
        with self._lock:
            current = self.phases[self.index] if self.index >= 0 else None
            self.phases = [_Phase(name, parts) for name, parts in phases]
            self.planned = True
            if current is not None:
                names = [p.name for p in self.phases]
                self.index = names.index(current.name) if current.name in names else 0
                if current.name not in names:
                    self.phases.insert(0, current)
            if self.open:
                self._emit(force=True)

    def begin(self, name: str) -> None:
        with self._lock:
            names = [p.name for p in self.phases[self.index + 1:]]
            if name in names:
                self.index += 1 + names.index(name)
            else:  # a phase the plan did not list: it costs nothing expected
                self.phases.insert(self.index + 1, _Phase(name, [0.0]))
                self.index += 1
            self.phase_start = self.last_report = self.clock()
            self.open = True
            self._emit(force=True)

    def end(self, name: str) -> float:
        """Close the current phase; its expected seconds (for the timing table)."""
        with self._lock:
            phase = self.phases[self.index]
            now = self.clock()
            self.finished_cost += phase.cost
            self.finished_seconds += now - self.phase_start
            self.phase_start = self.last_report = now
            self.open = False
            return phase.cost

    # -- the sweep observer protocol ------------------------------------------------------
    def start(self, todo, refining: bool = False) -> None:
        """A sweep pass over ``todo`` ((Job, Unit) pairs) begins in the current phase."""
        with self._lock:
            if not self.open:  # a sweep outside any phase: nothing to weigh it against
                return
            phase = self.phases[self.index]
            phase.part += 1
            seconds, phase.shares = (self.pass_cost(todo) if self.pass_cost and todo
                                     else (0.0, {}))
            if phase.part < len(phase.parts):
                phase.parts[phase.part] = seconds
            else:  # more passes than planned
                phase.parts.append(seconds)
            phase.part_done, phase.refining = 0.0, refining
            self.last_report = self.clock()
            self._emit()

    def advance(self, units) -> None:
        """``units`` of the current pass are stored."""
        with self._lock:
            if not self.open:
                return
            phase = self.phases[self.index]
            phase.part_done += sum(phase.shares.get(u.unit_id, 0.0) for u in units)
            self.last_report = self.clock()
            self._emit()

    # -- the arithmetic -----------------------------------------------------------------
    def estimate(self) -> tuple[float, float | None]:
        """(elapsed seconds, ETA seconds of the whole run or None before the plan)."""
        with self._lock:
            now = self.clock()
            elapsed = now - self.start_time
            if not self.planned or self.index < 0:
                return elapsed, None
            phase = self.phases[self.index]
            inside = phase.done if self.open else 0.0
            left = phase.cost - phase.done if self.open else 0.0
            done = self.finished_cost + inside
            spent = self.finished_seconds + (self.last_report - self.phase_start)
            # Seconds per expected second; the expected speed until some cost is done.
            rate = (spent + self.prior) / (done + self.prior) if done + self.prior else 1.0
            ahead = sum(p.cost for p in self.phases[self.index + 1:])
            current = max(left * rate - (now - self.last_report), 0.0)
            return elapsed, ahead * rate + current

    def line(self) -> str:
        """``reproduce: phase i/N, p% done, elapsed, ETA | name``: the name last, where a
        narrow terminal cuts it."""
        with self._lock:
            elapsed, eta = self.estimate()
            if self.index < 0:
                return f"reproduce: starting, {format_seconds(elapsed)} elapsed"
            phase = self.phases[self.index]
            total = str(len(self.phases)) if self.planned else "?"
            name = phase.name + (" (refining)" if phase.refining else "")
            if eta is None:
                return (f"reproduce: phase {self.index + 1}/{total}, "
                        f"{format_seconds(elapsed)} elapsed | {name}")
            share = elapsed / (elapsed + eta) if elapsed + eta > 0 else 0.0
            return (f"reproduce: phase {self.index + 1}/{total}, {share:.0%} done, "
                    f"{format_seconds(elapsed)} elapsed, ETA {format_seconds(eta)} | {name}")

    # -- output -------------------------------------------------------------------------
    def _emit(self, force: bool = False) -> None:
        # Nothing before the plan: bad input fails while loading, and its error is then the
        # only line on stderr.
        if not self.enabled or not self.planned:
            return
        now = self.clock()
        if not force and self.last_emit is not None and now - self.last_emit < self.interval:
            return
        self.last_emit = now
        self.drawn = True
        text = self.line()
        if self.tty:  # cut to the terminal's width: a wrapped line cannot be redrawn
            width = shutil.get_terminal_size().columns - 1
            self.stream.write("\r" + text[:width] + _CLEAR)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def refresh(self) -> None:
        """Redraw the terminal line, or write a log line if ``interval`` has passed (the
        ticker calls this every second)."""
        with self._lock:
            self._emit(force=self.tty)

    def _tick(self) -> None:
        while not self._stop.wait(1.0):
            self.refresh()

    def close(self, finished: bool = True) -> None:
        """Stop the ticker; end the line with the run's wall time (``finished``) or, after
        an error, just end the terminal's line."""
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        with self._lock:
            if not self.enabled:
                return
            if finished:
                text = (f"reproduce: {len(self.phases)} phases done in "
                        f"{format_seconds(self.clock() - self.start_time)}")
                self.stream.write(("\r" + text + _CLEAR if self.tty else text) + "\n")
            elif self.tty and self.drawn:
                self.stream.write("\n")
            self.stream.flush()
