"""Charts of the studies beyond the paper, drawn only when the database holds their rows:
label audits (family ``audited``) and acting groups of a multi-group attribute."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import analysis as an
from . import _charts as ch

__all__ = ["advice_chart", "audit_charts", "group_comparison", "group_study_charts"]


def _audit_variant(rows: pd.DataFrame, *, response: bool) -> pd.Series:
    """The audit (and the firm's response) and whether the collective avoided it."""
    stealth = rows["avoid_audit"].fillna(False).astype(bool) if "avoid_audit" in rows else False
    text = rows["audit"].astype(str)
    if response:
        text = text + ", " + rows["audit_action"].astype(str)
    return text + np.where(stealth, ", avoids audit", "")


def audit_charts(rows: pd.DataFrame, *, dataset: str, slug: str) -> list[ch.Chart]:
    """What a firm's label audit catches, and the EqOd left after its response, per budget.

    Colour is the scorer, the dash pattern the audit (with the firm's response, and whether
    the collective's plan avoided the audit); both legends toggle. The unaudited collective
    at the same alpha is the reference in the EqOd chart.
    """
    needed = {"audit", "audit_action", "flag_recall", "budget", "eqod", "alpha"}
    audited = rows[rows["family"] == "audited"] if "family" in rows else rows.iloc[:0]
    if audited.empty or not needed <= set(audited.columns):
        return []
    alpha = float(audited["alpha"].dropna().mode().iloc[0])
    audited = audited[np.isclose(audited["alpha"].astype(float), alpha)]
    audited = audited.assign(series=audited["method"].astype(str))
    # The flags do not depend on the firm's response: one response shows what is caught.
    first = audited[audited["audit_action"] == sorted(set(audited["audit_action"]))[0]]
    caught = an.aggregate(first.assign(variant=_audit_variant(first, response=False)),
                         ["flag_recall"], by=["series", "variant", "budget"])
    x_title = "flips M (requested budget)"
    recall = ch._curve(caught, x="budget", x_title=x_title, y="flag_recall",
                       y_title="share of the flips the audit flags",
                       selection=ch._toggle("series", "scorer"), base=None, base_label="",
                       variant=("variant", "audit (click)", ch._toggle("variant", "audit")))
    after = audited.assign(variant=_audit_variant(audited, response=True))
    plain = rows[(rows["family"] == "collective") & np.isclose(rows["alpha"].astype(float), alpha)
                 & (rows["knowledge"].astype(str) == "all")
                 & rows["method"].isin(set(audited["method"]))]
    if not plain.empty:
        after = pd.concat([after, plain.assign(series=plain["method"].astype(str),
                                               variant="no audit")], ignore_index=True)
    eqod_agg = an.aggregate(after, ["eqod"], by=["series", "variant", "budget"])
    eqod = ch._curve(eqod_agg, x="budget", x_title=x_title, y="eqod",
                     y_title="EqOd after the firm's response",
                     selection=ch._toggle("series", "scorer"),
                     base=an.base_value(audited, "eqod"), base_label="base model EqOd",
                     variant=("variant", "audit, response (click)", ch._toggle("variant", "audit")))
    return [
        ch.Chart(f"fig-audit-caught-{slug}", f"{dataset}: what the firm's label audit catches "
                 f"(alpha = {alpha:g})",
                 "Share of the collective's flips the firm's audit flags, per flip budget; mean ± "
                 "std over seeds. Colour: scorer; dashes: the audit (and whether the collective's "
                 "plan avoided it).",
                 ch._spec(recall, f"Line chart for {dataset}: share of flipped labels flagged by the "
                          "firm's label audit against the number of flips.")),
        ch.Chart(f"fig-audit-eqod-{slug}", f"{dataset}: EqOd after the firm audits and responds "
                 f"(alpha = {alpha:g})",
                 "Test EqOd of the firm retrained after its audit's response, against the flip "
                 "budget, with the unaudited collective (no audit) for reference; dashed black: "
                 "the base model. Pick one audit in the dash legend to compare scorers under it.",
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
    best = an.select_points(rows, selection="hindsight", by=keys)
    agg = an.aggregate(best, ["eqod"], by=keys).assign(series=lambda f: f["sensitive"].astype(str))
    if agg["alpha"].nunique() < 2:
        return None
    chart = ch._curve(agg, x="alpha", x_title="collective size alpha (fraction of the acting group)",
                      y="eqod", y_title="best EqOd over flip budgets",
                      selection=ch._toggle("series", "group"), base=None, base_label="")
    return ch.Chart(f"fig-acting-{dataset}", f"{dataset}: which group acts ({scorers[0]})",
                    "Best EqOd over flip budgets (hindsight: lowest seed-mean test EqOd) against "
                    "collective size, one line per acting group of the multi-valued attribute; "
                    "mean ± std over seeds.",
                    ch._spec(chart, f"Line chart for {dataset}: best equalized-odds gap against "
                             "collective size, one line per acting group."))


def group_study_charts(per_group: pd.DataFrame, *, dataset: str) -> list[ch.Chart]:
    """Every group's own EqOd gap (the group against every other row) against the acting
    group's flips, from ``reproduce``'s ``groups_<data>.csv``: the spillover made visible."""
    needed = {"group", "acting", "budget", "gap", "seed"}
    if per_group is None or per_group.empty or not needed <= set(per_group.columns):
        return []
    acting = per_group.groupby("group")["acting"].any()
    rows = per_group.assign(series=[f"{g} (acts)" if acting[g] else str(g) for g in per_group["group"]])
    agg = an.aggregate(rows, ["gap"], by=["series", "budget"])
    chart = ch._curve(agg, x="budget", x_title="flips M by the acting group", y="gap",
                      y_title="the group's own EqOd gap", selection=ch._toggle("series", "group"),
                      base=None, base_label="")
    sensitive = str(per_group["sensitive"].iloc[0]) if "sensitive" in per_group else ""
    return [ch.Chart(
        f"fig-groups-{dataset}", f"{dataset}: every group's gap as one group acts ({sensitive})",
        "Each group's own EqOd (its TPR and FPR against every other row) against the acting "
        "group's flip budget, mean ± std over seeds: a rising line is spillover onto a group "
        "that did not act. Small groups (fewer than 20 positive or negative test rows) are noisy.",
        ch._spec(chart, f"Line chart for {dataset}: each group's own equalized-odds gap against "
                 "the number of flips by the acting group."))]


def advice_chart(table: pd.DataFrame, *, dataset: str) -> ch.Chart | None:
    """Regret of each way of choosing the budget (advisor, firm-validation, fixed shares)
    against the paper's hindsight choice, per scorer; from ``advice.csv`` / the advisor's
    columns. Knowledge "all" only."""
    alt = ch._alt()
    needed = {"dataset", "method", "choice", "regret", "regret_std"}
    if table is None or table.empty or not needed <= set(table.columns):
        return None
    rows = table[table["dataset"].astype(str) == dataset]
    if "knowledge" in rows:
        rows = rows[rows["knowledge"].astype(str) == "all"]
    if rows.empty:
        return None
    data = ch._slim(rows.assign(series=rows["method"].astype(str),
                                lo=rows["regret"] - rows["regret_std"],
                                hi=rows["regret"] + rows["regret_std"]),
                    ["series", "choice", "regret", "regret_std", "lo", "hi", "harm_rate",
                     "error_rise", "flips", "seeds"])
    selection = ch._toggle("series", "scorer")
    tips = [alt.Tooltip("series:N", title="scorer"), alt.Tooltip("choice:N", title="budget choice"),
            ch._num("regret", "regret (mean)"), ch._num("regret_std", "std over seeds")]
    tips += [ch._num(c, t, f) for c, t, f in (("harm_rate", "harm rate", ".2f"),
                                              ("error_rise", "error rise", "+.4f"),
                                              ("flips", "flips (mean)", ".0f")) if c in data]
    order = [c for c in ("advisor", "firm-validation", "fixed 25 %", "fixed 50 %")
             if c in set(data["choice"])] + sorted(set(data["choice"]) - {
                 "advisor", "firm-validation", "fixed 25 %", "fixed 50 %"})
    root = alt.Chart(data).encode(
        x=alt.X("choice:N", title="how the budget is chosen", sort=order,
                axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("series:N"), opacity=ch._dim(selection), tooltip=tips)
    bars = root.mark_bar().encode(
        y=alt.Y("regret:Q", title="regret: test EqOd above hindsight"),
        color=ch._color("series", data["series"], "scorer (click to toggle)"))
    # Error bars as 2-pixel bars: a bar of fixed size is centred in its band, a rule is not.
    rules = root.mark_bar(size=2, color="black").encode(y="lo:Q", y2="hi:Q")
    chart = alt.layer(bars, rules).add_params(selection).properties(width=ch.WIDTH, height=ch.HEIGHT)
    return ch.Chart(f"fig-advice-{dataset}", f"{dataset}: choosing the budget without hindsight",
                    "Regret (test EqOd at the chosen budget minus the hindsight minimum), mean ± "
                    "std over seeds, at alpha 0.3 with knowledge of every majority row. The "
                    "advisor sees only the collective's view; firm-validation uses the firm's "
                    "validation rows, which a collective does not have.",
                    ch._spec(chart, f"Bar chart for {dataset}: regret of each budget choice "
                             "against the hindsight choice, per scorer."))
