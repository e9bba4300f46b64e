"""The overall progress line of `fairflip reproduce`: phase counts, ETA arithmetic with a fake
clock, terminal versus log output, silence, and the timing table's expected seconds."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest

from fairflip.reproduce._phases import PhaseClock
from fairflip.reproduce._progress import OverallProgress, format_seconds


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def _progress(plan=None, *, tty=False, enabled=True, prior=0.0, pass_cost=None, interval=None):
    clock, stream = FakeClock(), io.StringIO()
    line = OverallProgress(enabled=enabled, stream=stream, tty=tty, clock=clock, prior=prior,
                           pass_cost=pass_cost, interval=interval, tick=False)
    if plan is not None:
        line.plan(plan)
    return line, clock, stream


def _unit(uid):
    return SimpleNamespace(unit_id=uid)


def test_format_seconds():
    assert format_seconds(0) == "0:00"
    assert format_seconds(59.6) == "1:00"
    assert format_seconds(754) == "12:34"
    assert format_seconds(3725) == "1:02:05"


def test_eta_is_the_expected_seconds_ahead_at_the_measured_speed():
    line, clock, _ = _progress([("a", [10.0]), ("b", [30.0])])
    line.begin("a")
    assert line.estimate() == (0.0, 40.0)
    clock.now += 4  # no report inside "a": assumed on schedule
    assert line.estimate() == (4.0, 36.0)
    clock.now += 16  # "a" overran: what is left of it counts as nothing, not negative
    assert line.estimate() == (20.0, 30.0)
    line.end("a")  # 20 s for 10 expected: everything ahead takes twice as long
    line.begin("b")
    assert line.estimate() == (20.0, 60.0)
    assert line.line() == "reproduce: phase 2/2, 25% done, 0:20 elapsed, ETA 1:00 | b"


def test_prior_damps_the_first_seconds():
    line, clock, _ = _progress([("a", [10.0]), ("b", [30.0])], prior=10.0)
    line.begin("a")
    clock.now += 20
    line.end("a")
    line.begin("b")
    # speed (20 + 10) / (10 + 10) = 1.5 rather than 2
    assert line.estimate()[1] == pytest.approx(45.0)


def test_a_sweep_reports_progress_weighted_by_each_units_expected_cost():
    costs = {"big": 9.0, "small": 1.0}

    def pass_cost(todo):
        return sum(costs[u.unit_id] for _, u in todo), {u.unit_id: costs[u.unit_id]
                                                        for _, u in todo}

    line, clock, _ = _progress([("sweep s", [5.0, 3.0]), ("after", [10.0])], pass_cost=pass_cost)
    line.begin("sweep s")
    line.start([(None, _unit("big")), (None, _unit("small"))])  # the first pass costs 10, not 5
    assert line.estimate()[1] == pytest.approx(10 + 3 + 10)
    clock.now += 2
    line.advance([_unit("small")])  # 1 of 10 done in 2 s: five times slower than expected
    assert line.estimate()[1] == pytest.approx((9 + 3 + 10) * 2.0)
    clock.now += 9
    line.advance([_unit("big")])  # 10 done in 11 s
    speed = 11 / 10
    assert line.estimate()[1] == pytest.approx((3 + 10) * speed)
    line.start([(None, _unit("small"))], refining=True)  # the refinement replaces its estimate
    assert line.line().endswith("| sweep s (refining)")
    assert line.estimate()[1] == pytest.approx((1 + 10) * speed)


def test_phase_counts_and_a_phase_the_plan_did_not_list():
    line, _, _ = _progress()
    line.begin("load data sets")
    assert line.line() == "reproduce: phase 1/?, 0:00 elapsed | load data sets"
    line.plan([("load data sets", [1.0]), ("sweep x", [5.0]), ("report", [2.0])])
    assert line.line() == "reproduce: phase 1/3, 0% done, 0:00 elapsed, ETA 0:08 | load data sets"
    line.end("load data sets")
    line.begin("sweep x")
    line.end("sweep x")
    line.begin("extra")  # not planned: counted, costs nothing expected
    assert line.line().startswith("reproduce: phase 3/4,") and line.line().endswith("| extra")
    assert line.end("extra") == 0.0
    line.begin("report")
    assert line.line().startswith("reproduce: phase 4/4,") and line.line().endswith("| report")


def test_a_terminal_gets_one_line_redrawn_in_place():
    line, clock, stream = _progress([("a", [10.0]), ("b", [10.0])], tty=True)
    line.begin("a")
    clock.now += 1
    line.refresh()
    line.end("a")
    line.begin("b")
    line.close()
    out = stream.getvalue()
    assert out.count("\r") == 4 and out.count("\n") == 1 and out.endswith("\n")
    assert "2 phases done in 0:01" in out.splitlines()[-1]


def test_logs_get_plain_lines_at_a_modest_rate():
    def pass_cost(todo):
        return 10.0, {u.unit_id: 1.0 for _, u in todo}

    line, clock, stream = _progress([("a", [10.0]), ("b", [10.0])], pass_cost=pass_cost,
                                    interval=30.0)
    line.begin("a")  # a phase's start always writes a line
    line.start([(None, _unit(str(i))) for i in range(10)])
    for i in range(9):
        clock.now += 2
        line.advance([_unit(str(i))])  # 18 s of reports: within the interval, no line
    clock.now += 20
    line.advance([_unit("9")])  # 38 s after the last line: one more
    line.refresh()  # the ticker's heartbeat: nothing yet, the last line is new
    clock.now += 31
    line.refresh()  # a phase without reports still gets a line every interval
    line.end("a")
    line.begin("b")
    line.close()
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue()
    assert [text.split(",")[0] + text.partition("|")[2] for text in lines] == [
        "reproduce: phase 1/2 a", "reproduce: phase 1/2 a", "reproduce: phase 1/2 a",
        "reproduce: phase 2/2 b", "reproduce: 2 phases done in 1:09"]


def test_silenced_writes_nothing_but_keeps_the_arithmetic():
    line, clock, stream = _progress([("a", [10.0]), ("b", [20.0])], enabled=False)
    clock_table = PhaseClock(line)
    with clock_table.phase("a"):
        clock.now += 5
    line.close()
    assert stream.getvalue() == ""
    assert line.estimate()[1] == pytest.approx(10.0)  # 20 expected at half the expected time
    assert clock_table.table().expected_seconds.tolist() == [10.0]


def test_nothing_is_written_before_the_plan_so_a_loading_error_stays_one_line():
    for tty in (True, False):
        line, _, stream = _progress(tty=tty)
        line.begin("load data sets")
        line.refresh()
        line.close(finished=False)
        assert stream.getvalue() == ""
        line, _, stream = _progress(tty=tty)
        line.begin("load data sets")
        line.plan([("load data sets", [1.0])])  # the first line, once the plan is known
        assert stream.getvalue().strip("\r\n").startswith("reproduce: phase 1/1, 0% done")


def test_an_error_ends_the_terminal_line_without_a_summary():
    line, _, stream = _progress([("a", [1.0])], tty=True)
    line.begin("a")
    line.close(finished=False)
    assert stream.getvalue().endswith("\n") and "done in" not in stream.getvalue()


def test_phase_clock_without_progress_keeps_its_table():
    clock = PhaseClock()
    with clock.phase("a"):
        pass
    table = clock.table()
    assert table.phase.tolist() == ["a"] and table.expected_seconds.isna().all()
    assert list(table.columns) == ["phase", "seconds", "share", "load_1min", "expected_seconds"]
