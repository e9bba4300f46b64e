"""Table output of the firm's label audit in ``fairflip evaluate``."""

from __future__ import annotations

import typer

from ._common import (
    print_table,
)


def print_audit(audit: dict) -> None:
    """Detection measures, then the metrics after the firm's response."""
    by_group = audit["flagged_other_by_group"]
    typer.echo(
        f"audit {audit['name']} (response: {audit['action']}): {audit['n_flagged']} rows flagged; "
        f"{audit['flagged_flips']} flips flagged (recall {audit['recall']:.3f}, precision "
        f"{audit['precision']:.3f}); untouched rows flagged: acting {by_group['acting']:.3f}, "
        f"other {by_group['other']:.3f}")
    after, base = audit["after_response"], audit["base_after_response"]
    print_table([{"metric": key, "no flips, audited": base[key], "flips, audited": after[key]}
                 for key in after], "after audit + response")
