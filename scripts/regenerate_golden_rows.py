"""Regenerate ``tests/data/binary_rows_v0_1_0.json``: the sweep rows the same-numbers test pins.

The rule: the file changes only when a change moves numbers on purpose. Run this script,
commit the file in the same commit as the change, and say in the commit message which
numbers moved and why (the method's algorithm version is bumped in that commit too, with a
CHANGELOG line). The configs stored in the file are kept; only ``rows`` and ``made_by``
change.

    python scripts/regenerate_golden_rows.py            # rewrite the file
    python scripts/regenerate_golden_rows.py --check    # exit 1 if the rows would change
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

from fairflip import __version__
from fairflip.experiments import config_from_dict, expand_jobs, run_job

REFERENCE = Path(__file__).resolve().parents[1] / "tests" / "data" / "binary_rows_v0_1_0.json"


def _rows(configs: list[dict], columns: list[str]) -> list[dict]:
    frames = [rows for cfg in configs for job in expand_jobs(config_from_dict(cfg))
              for _, rows, _ in run_job(job)]
    frame = pd.concat(frames, ignore_index=True)
    # The stored layout: 0.1.0's column names (the test maps val_* to firm_val_*).
    frame = frame.rename(columns={"firm_val_error": "val_error", "firm_val_eqod": "val_eqod"})
    frame = frame[columns].astype(object)
    frame = frame.where(frame.notna(), None)
    # Python floats (json writes their shortest exact repr), not numpy scalars.
    return [{key: (value.item() if hasattr(value, "item") else value) for key, value in row.items()}
            for row in frame.to_dict("records")]


def _equal(column: str, row: dict, want) -> bool:
    got = row[column]
    if want is None or want != want:  # None or NaN
        # 0.1.0 left firm-side knobs unscored on the firm-validation rows (schema 4 scores them).
        return (got is None or got != got) or (column.startswith("val_")
                                               and row["family"] not in ("collective", "base"))
    return got == want


def _same(new: list[dict], old: list[dict]) -> bool:
    """Equal rows, as the same-numbers test compares them: ids aside (unit ids carry algorithm
    tags that change without the numbers), exact values otherwise."""
    def key(row):
        return tuple(str(row[k]) for k in ("dataset", "sensitive", "family", "method", "seed",
                                           "budget", "knob"))
    old_by = {key(r): r for r in old}
    return len(new) == len(old) and all(
        key(r) in old_by and all(_equal(c, r, old_by[key(r)][c]) for c in r
                                 if c not in ("unit_id", "cell_id"))
        for r in new)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only; write nothing")
    args = parser.parse_args(argv)
    stored = json.loads(REFERENCE.read_text())
    columns = list(stored["rows"][0])
    rows = _rows(stored["configs"], columns)
    if args.check:
        same = _same(rows, stored["rows"])
        print("golden rows unchanged" if same else "golden rows would change", file=sys.stderr)
        return 0 if same else 1
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=REFERENCE.parent).stdout.strip() or "unknown"
    stored.update(made_by=f"fairflip {__version__} at {commit} (scripts/regenerate_golden_rows.py)",
                  rows=rows)
    REFERENCE.write_text(json.dumps(stored, indent=1) + "\n")
    print(f"wrote {len(rows)} rows to {REFERENCE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
