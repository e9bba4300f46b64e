"""Time one ``fairflip reproduce`` run of a given grid and mode, phase by phase.

Runs the command in a subprocess into a fresh output folder, then prints its ``timing.csv``
(each phase's seconds, share of the total and the seconds the progress line expected), the
wall time of the whole command, the children's CPU seconds and peak RSS
(``resource.getrusage(RUSAGE_CHILDREN)``: the largest process, the workers included once
they are reaped) and the load average before and after, because the shared machine's wall
times swing with other jobs. Not a test: CI times nothing.

Usage::

    python benchmarks/bench_reproduce.py [--grid benchmarks/configs/grid-round3.toml]
        [--quick] [--jobs 2] [--out DIR] [--format text|json]

Compare two grids (or two commits) side by side: run one after the other on the same
machine and report both loads.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

_CLI = "import sys; from fairflip.cli import main; sys.exit(main(sys.argv[1:]))"


def run(grid, quick: bool, jobs: int, out: Path) -> dict:
    """Run the reproduction into ``out`` (which must not hold a run); its measurements."""
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"error: {out} is not empty (a resumed run would skip its sweeps)")
    cmd = [sys.executable, "-c", _CLI, "reproduce", "--out", str(out), "--jobs", str(jobs)]
    cmd += ["--quick"] if quick else []
    cmd += ["--grid", str(grid)] if grid else []
    load_before = os.getloadavg()
    start = time.monotonic()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.monotonic() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    timing = pd.read_csv(out / "timing.csv")
    return {"grid": str(grid) if grid else "default", "mode": "quick" if quick else "full",
            "jobs": jobs, "wall_s": round(wall, 1),
            "phases_s": round(float(timing.seconds.sum()), 1),
            "expected_s": round(float(timing.expected_seconds.sum()), 1),
            "children_cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
            "peak_rss_gb": round(usage.ru_maxrss / 2**20, 2),  # ru_maxrss is in KiB on Linux
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "phases": [{"phase": r.phase, "seconds": round(r.seconds, 1),
                        "share": round(r.share, 3), "expected_s": round(r.expected_seconds, 1),
                        "load_1min": round(r.load_1min, 2)} for r in timing.itertuples()]}


# Issue 24's goals and the runs before it (wall seconds on 2 idle cores), by grid name and
# mode: round3 is benchmarks/configs/grid-round3.toml, current today's default.
GOALS = {("round3", "full"): (360, 943), ("round3", "quick"): (90, 215),
         ("current", "full"): (600, 800), ("current", "quick"): (120, 193)}


def grid_name(grid) -> str:
    if not grid:
        return "current"
    import tomllib

    with open(grid, "rb") as f:
        return str(tomllib.load(f).get("name", Path(grid).stem))


def goal(result: dict) -> dict | None:
    """The run against issue 24's goal and its baseline, when the grid has one."""
    key = (result["grid_name"], result["mode"])
    if key not in GOALS:
        return None
    limit, before = GOALS[key]
    return {"goal_s": limit, "met": result["wall_s"] <= limit, "before_s": before,
            "speed_up": round(before / result["wall_s"], 2)}


def text(result: dict) -> str:
    lines = [f"fairflip reproduce, grid {result['grid']}, {result['mode']}, "
             f"--jobs {result['jobs']}", "",
             f"{'phase':<42} {'seconds':>8} {'share':>6} {'expected':>9} {'load':>5}"]
    lines += [f"{p['phase']:<42} {p['seconds']:>8.1f} {p['share']:>6.1%} "
              f"{p['expected_s']:>9.1f} {p['load_1min']:>5.1f}" for p in result["phases"]]
    lines += ["", f"phases {result['phases_s']} s (expected {result['expected_s']} s); "
              f"wall {result['wall_s']} s; children CPU {result['children_cpu_s']} s; "
              f"peak RSS {result['peak_rss_gb']} GB",
              f"load average before {result['load_average_before']}, "
              f"after {result['load_average_after']}"]
    if result.get("goal"):
        g = result["goal"]
        lines.append(f"issue 24's goal: wall <= {g['goal_s']} s: {'met' if g['met'] else 'NOT met'}"
                     f"; before it {g['before_s']} s, {g['speed_up']}x faster now")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", type=Path, help="grid TOML (default: today's grid)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", type=Path, help="output folder (default: a temporary one)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-reproduce-") as tmp:
        result = run(args.grid, args.quick, args.jobs, args.out or Path(tmp) / "out")
    result["grid_name"] = grid_name(args.grid)
    result["goal"] = goal(result)
    print(json.dumps(result, indent=1) if args.format == "json" else text(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
