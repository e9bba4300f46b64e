"""Charts of the studies beyond the paper, drawn only when the database holds their rows:
label audits (family ``audited``) and acting groups of a multi-group attribute."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..plotting import _common as c
from . import _charts as ch

__all__ = ["audit_charts", "group_comparison"]


def _audit_series(rows: pd.DataFrame) -> pd.Series:
    stealth = rows["avoid_audit"].fillna(False).astype(bool) if "avoid_audit" in rows else False
    return (rows["method"].astype(str) + " | " + rows["audit"].astype(str) + " audit, "
            + rows["audit_action"].astype(str) + np.where(stealth, " | avoids audit", ""))


def audit_charts(rows: pd.DataFrame, *, dataset: str, slug: str) -> list[ch.Chart]:
    """What a firm's label audit catches, and the EqOd left after its response, per budget.

    Series are scorer x audit x response (x the collective's stealth plan); the unaudited
    collective at the same alpha is the reference in the EqOd chart.
    """
    needed = {"audit", "audit_action", "flag_recall", "budget", "eqod", "alpha"}
    audited = rows[rows["family"] == "audited"] if "family" in rows else rows.iloc[:0]
    if audited.empty or not needed <= set(audited.columns):
        return []
    alpha = float(audited["alpha"].dropna().mode().iloc[0])
    audited = audited[np.isclose(audited["alpha"].astype(float), alpha)]
    audited = audited.assign(series=_audit_series(audited))
    by = ["series", "budget"]
    caught = c.aggregate(audited, ["flag_recall"], by=by)
    selection = ch._toggle("series", "series")
    recall = ch._curve(caught, x="budget", x_title="flips M (requested budget)", y="flag_recall",
                       y_title="share of the flips the audit flags", selection=selection,
                       base=None, base_label="")
    after = c.aggregate(audited, ["eqod"], by=by)
    plain = rows[(rows["family"] == "collective") & np.isclose(rows["alpha"].astype(float), alpha)
                 & (rows["knowledge"].astype(str) == "all")
                 & rows["method"].isin(set(audited["method"]))]
    if not plain.empty:
        ref = c.aggregate(plain.assign(series=plain["method"].astype(str) + " | no audit"),
                          ["eqod"], by=by)
        after = pd.concat([after, ref], ignore_index=True)
    eqod = ch._curve(after, x="budget", x_title="flips M (requested budget)", y="eqod",
                     y_title="EqOd after the firm's response", selection=ch._toggle("series", "s2"),
                     base=c.base_value(audited, "eqod"), base_label="base model EqOd")
    return [
        ch.Chart(f"fig-audit-caught-{slug}", f"{dataset}: what the firm's label audit catches "
                 f"(alpha = {alpha:g})",
                 "Share of the collective's flips the firm's audit flags, per flip budget; mean ± "
                 "std over seeds. Series: scorer | audit and the firm's response (| the collective's "
                 "stealth plan).",
                 ch._spec(recall, f"Line chart for {dataset}: share of flipped labels flagged by the "
                          "firm's label audit against the number of flips.")),
        ch.Chart(f"fig-audit-eqod-{slug}", f"{dataset}: EqOd after the firm audits and responds "
                 f"(alpha = {alpha:g})",
                 "Test EqOd of the firm retrained after its audit's response, against the flip "
                 "budget, with the unaudited collective (| no audit) for reference; dashed: the "
                 "base model.",
                 ch._spec(eqod, f"Line chart for {dataset}: equalized-odds gap after the firm's "
                          "audit and response against the number of flips.")),
    ]


def group_comparison(results: pd.DataFrame, *, dataset: str) -> ch.Chart | None:
    """Best EqOd against alpha when each group of a multi-valued attribute acts in turn.

    Multi-group rows name the acting group in ``sensitive`` (``"race=Black"``); drawn when a
    data set has at least two of them. The scorer is the first RB scorer present.
    """
    if "sensitive" not in results:
        return None
    rows = results[(results["dataset"] == dataset) & (results["family"] == "collective")
                   & results["sensitive"].astype(str).str.contains("=", regex=False)
                   & (results["knowledge"].astype(str) == "all")]
    if rows["sensitive"].nunique() < 2:
        return None
    scorers = [m for m in ("rb-prob", "rb-label", "rb-dist") if m in set(rows["method"])]
    if not scorers:
        return None
    rows = rows[rows["method"] == scorers[0]]
    keys = ["sensitive", "alpha"] + [k for k in ("model", "k") if k in rows]
    best = c.best_over_budgets(rows, "eqod")
    agg = c.aggregate(best, ["eqod"], by=keys).assign(series=lambda f: f["sensitive"].astype(str))
    if agg["alpha"].nunique() < 2:
        return None
    chart = ch._curve(agg, x="alpha", x_title="collective size alpha (fraction of the acting group)",
                      y="eqod", y_title="best EqOd over flip budgets",
                      selection=ch._toggle("series", "group"), base=None, base_label="")
    return ch.Chart(f"fig-groups-{dataset}", f"{dataset}: which group acts ({scorers[0]})",
                    "Best EqOd over flip budgets (hindsight, per seed) against collective size, "
                    "one line per acting group of the multi-valued attribute; mean ± std over seeds.",
                    ch._spec(chart, f"Line chart for {dataset}: best equalized-odds gap against "
                             "collective size, one line per acting group."))
