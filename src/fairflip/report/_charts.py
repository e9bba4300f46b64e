"""The report's interactive charts: Vega-Lite specs built with Altair from results rows.

Every chart aggregates over seeds with the figures' own helpers (``plotting._common``), so
the report and the PNG/SVG figures show the same numbers. Each builder returns a
:class:`Chart` or None when the rows do not support it. Hovering a mark shows its exact
values; clicking a legend entry toggles that series (shift-click for several).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import analysis as an
from .._names import FIRM_FAMILIES
from ..analysis import pareto_front
from ..exceptions import FairflipError

__all__ = ["PALETTE", "PALETTE_NAME", "Chart", "series_colors"]

PALETTE_NAME = "Okabe-Ito"
# Okabe & Ito (2008), "Color Universal Design": distinguishable under the common colour
# vision deficiencies.
PALETTE = {"blue": "#0072B2", "orange": "#E69F00", "bluish green": "#009E73",
           "vermillion": "#D55E00", "reddish purple": "#CC79A7", "sky blue": "#56B4E9",
           "yellow": "#F0E442", "black": "#000000"}
_SERIES = {"rb-prob": "blue", "rb-label": "orange", "rb-dist": "bluish green", "oracle": "black",
           "expgrad": "vermillion", "threshold": "reddish purple", "calibrated_eo": "sky blue",
           "massaging": "black", "reweighing": "yellow"}
# Outside the palette, told apart by lightness: light grey for the random baseline, dark
# grey for the sixth firm-side method.
GREYS = {"random": "#999999", "correlation_remover": "#555555"}
WIDTH, HEIGHT = 520, 280


@dataclass
class Chart:
    """One figure of the report: its anchor, caption and Vega-Lite spec."""

    anchor: str
    title: str
    caption: str
    spec: dict


def series_colors(names) -> list[str]:
    """A colour per name: scorers and firm methods keep theirs in every chart; other names
    (groups, ...) take the palette's colours in order, skipping those already in use."""
    fixed = {n: GREYS.get(n) or PALETTE.get(_SERIES.get(n, "")) for n in names}
    spare = [v for v in [*PALETTE.values(), *GREYS.values()] if v not in set(fixed.values())]
    for i, name in enumerate(n for n in names if not fixed[n]):
        fixed[name] = spare[i % len(spare)]
    return [fixed[n] for n in names]


def _alt():
    import altair as alt

    return alt


def _color(field: str, names, title: str):
    alt = _alt()
    names = sorted(set(names), key=an.sort_key)
    return alt.Color(f"{field}:N", title=title,
                     scale=alt.Scale(domain=names, range=series_colors(names)),
                     legend=alt.Legend(symbolOpacity=1, labelLimit=220))


def _toggle(field: str, name: str):
    return _alt().selection_point(fields=[field], bind="legend", name=name)


def _dim(selection):
    return _alt().condition(selection, _alt().value(1.0), _alt().value(0.12))


def _num(field: str, title: str, fmt: str = ".4f"):
    return _alt().Tooltip(f"{field}:Q", title=title, format=fmt)


def _base_rule(value: float, label: str):
    """A dashed black line at the base model's value, with its exact value on hover."""
    alt = _alt()
    frame = pd.DataFrame({"base": [value], "what": [label]})
    return alt.Chart(frame).mark_rule(strokeDash=[6, 4], color="black").encode(
        y="base:Q", tooltip=[alt.Tooltip("what:N", title="line"), _num("base", "value")])


def _spec(chart, description: str) -> dict:
    # Schema validation takes longer than the rest of a build; the browser tests draw every
    # spec instead, which is the check that matters.
    spec = chart.properties(description=description).to_dict(validate=False)
    spec.pop("$schema", None)  # an identifier, never fetched; left out to keep the page offline-clean
    return spec


def _slim(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """Only the columns a chart uses, floats to 6 decimals: the page carries less data."""
    out = frame[[c for c in dict.fromkeys(columns) if c in frame]]
    return out.round({c: 6 for c in out.columns if pd.api.types.is_float_dtype(out[c])})


def _curve(agg: pd.DataFrame, *, x: str, x_title: str, y: str, y_title: str,
           selection, base: float | None, base_label: str, owns_selection: bool = True,
           variant: tuple | None = None):
    """Mean line with points, std error bars, one colour per ``series``.

    Of charts placed side by side that share ``selection``, only one declares it
    (``owns_selection``); the others use it. ``variant`` = (field, legend title, selection)
    adds a dash pattern per value of a second field, with its own toggling legend.
    """
    alt = _alt()
    extra = [variant[0]] if variant else []
    data = _slim(agg.assign(lo=agg[f"{y}_mean"] - agg[f"{y}_std"],
                            hi=agg[f"{y}_mean"] + agg[f"{y}_std"]),
                 ["series", *extra, x, f"{y}_mean", f"{y}_std", "lo", "hi", "n_seeds"])
    tips = [alt.Tooltip("series:N", title="series"),
            *(alt.Tooltip(f"{f}:N", title=variant[1]) for f in extra), _num(x, x_title, ".4g"),
            _num(f"{y}_mean", f"{y_title} (mean)"), _num(f"{y}_std", "std over seeds"),
            alt.Tooltip("n_seeds:Q", title="seeds")]
    shown = selection & variant[2] if variant else selection
    root = alt.Chart(data).encode(
        x=alt.X(f"{x}:Q", title=x_title),
        color=_color("series", data["series"], "series (click to toggle)"),
        opacity=_dim(shown))
    lines = root.mark_line(point=alt.OverlayMarkDef(size=40, filled=True)).encode(
        y=alt.Y(f"{y}_mean:Q", title=y_title, scale=alt.Scale(zero=True)), tooltip=tips)
    if variant:
        lines = lines.encode(strokeDash=alt.StrokeDash(
            f"{variant[0]}:N", title=variant[1], legend=alt.Legend(symbolType="stroke")))
    bars = root.mark_rule(strokeWidth=1.2).encode(
        y="lo:Q", y2="hi:Q", tooltip=tips, **({"detail": f"{variant[0]}:N"} if variant else {}))
    layers = [bars, lines]
    if base is not None and np.isfinite(base):
        layers.append(_base_rule(base, base_label))
    chart = alt.layer(*layers)
    if owns_selection:
        chart = chart.add_params(selection, *([variant[2]] if variant else []))
    return chart.properties(width=WIDTH, height=HEIGHT)


def _method_series(agg: pd.DataFrame) -> pd.DataFrame:
    """``series``: the scorer's name, with k appended only when it was run at several k
    (the figures' :func:`plotting._common.method_label`, for a whole frame at once)."""
    method = agg["method"].astype(str)
    if "k" not in agg:
        return agg.assign(series=method)
    several = agg.groupby("method")["k"].transform(lambda k: k.dropna().nunique() > 1)
    with_k = method + " (k=" + agg["k"].map(lambda k: f"{k:g}" if pd.notna(k) else "") + ")"
    return agg.assign(series=method.where(~several.astype(bool), with_k))


def collective_size(rows: pd.DataFrame, *, dataset: str, anchor: str) -> Chart | None:
    """Best EqOd over budgets (hindsight: lowest seed-mean test EqOd) against alpha, per scorer."""
    try:
        coll = an.collective_rows(rows, dataset=dataset, knowledge="all")
        an.require_columns(coll, ["alpha", "budget", "eqod"])
    except FairflipError:
        return None
    # The figure's series (collective_size_<data>.png, left panel) and the claims' rows.
    agg = _method_series(an.collective_size_series(coll, selection="hindsight"))
    if agg["alpha"].nunique() < 2:
        return None
    base = an.base_value(coll, "eqod")
    chart = _curve(agg, x="alpha", x_title="collective size alpha (fraction of the acting group)",
                   y="eqod", y_title="best EqOd over flip budgets", selection=_toggle("series", "scorer"),
                   base=base, base_label="base model EqOd")
    return Chart(anchor, f"{dataset}: best EqOd against collective size",
                 "Best EqOd over the flip budgets: the budget with the lowest seed-mean test "
                 "EqOd (the paper's hindsight choice, as in the figure and the claims), "
                 "mean ± std over seeds; dashed: the base model.",
                 _spec(chart, f"Line chart of the best equalized-odds gap against collective size "
                       f"for {dataset}, one line per scorer."))


def flips(rows: pd.DataFrame, *, dataset: str, alpha: float, anchor: str) -> Chart | None:
    """EqOd and test error against the number of flips at one alpha, per scorer."""
    alt = _alt()
    try:
        coll = an.at_alpha(an.collective_rows(rows, dataset=dataset, knowledge="all"), alpha,
                          dataset=dataset)
        an.require_columns(coll, ["budget", "error", "eqod"])
    except FairflipError:
        return None
    agg = _method_series(an.aggregate(coll, ["eqod", "error"], by=[
        k for k in ("method", "k", "budget") if k in coll.columns]))
    selection = _toggle("series", "scorer")
    x_title = "flips M (requested budget)"
    left = _curve(agg, x="budget", x_title=x_title, y="eqod", y_title="EqOd", selection=selection,
                  base=an.base_value(coll, "eqod"), base_label="base model EqOd")
    right = _curve(agg, x="budget", x_title=x_title, y="error", y_title="test error",
                   selection=selection, base=an.base_value(coll, "error"),
                   base_label="base model error", owns_selection=False)
    chart = alt.hconcat(left.properties(width=WIDTH * 0.62, title="EqOd vs flips"),
                        right.properties(width=WIDTH * 0.62, title="test error vs flips"))
    return Chart(anchor, f"{dataset}: the number of flips (alpha = {alpha:g})",
                 "EqOd (left) and test error (right) against the flip budget, mean ± std over "
                 "seeds, every scorer including random; dashed: the base model.",
                 _spec(chart, f"Two line charts for {dataset} at alpha {alpha:g}: equalized-odds gap "
                       "and test error against the number of label flips, one line per scorer."))


def _cloud(agg: pd.DataFrame, *, color_field: str, color_title: str, dash_field: str,
           dash_title: str, base_xy, selections):
    """Error vs EqOd: every mean point faint, each series' non-dominated front as a line."""
    alt = _alt()
    fronts = []
    for _, part in agg.groupby("series", sort=False):
        keep = pareto_front(part, x="error_mean", y="eqod_mean")
        fronts.append(part.assign(front=keep))
    data = _slim(pd.concat(fronts, ignore_index=True).sort_values(["series", "error_mean"]),
                 ["series", color_field, dash_field, "knob_text", "front", "error_mean", "error_std",
                  "eqod_mean", "eqod_std", "n_seeds"])
    sel_color, sel_dash = selections
    tips = [alt.Tooltip("series:N", title="series"), alt.Tooltip("knob_text:N", title="budget / knob"),
            _num("error_mean", "test error (mean)"), _num("error_std", "error std"),
            _num("eqod_mean", "EqOd (mean)"), _num("eqod_std", "EqOd std"),
            alt.Tooltip("n_seeds:Q", title="seeds")]
    root = alt.Chart(data).encode(
        x=alt.X("error_mean:Q", title="test error (mean over seeds)", scale=alt.Scale(zero=False)),
        y=alt.Y("eqod_mean:Q", title="EqOd (mean over seeds)", scale=alt.Scale(zero=True)),
        color=_color(color_field, data[color_field], color_title),
        tooltip=tips)
    both = sel_color & sel_dash
    points = root.mark_point(size=30, filled=True).encode(
        opacity=alt.condition(both, alt.value(0.45), alt.value(0.05)))
    lines = root.transform_filter("datum.front").mark_line().encode(
        strokeDash=alt.StrokeDash(f"{dash_field}:N", title=dash_title,
                                  legend=alt.Legend(symbolType="stroke")),
        order="error_mean:Q", opacity=_dim(both))
    layers = [points, lines]
    if base_xy is not None and all(np.isfinite(base_xy)):
        base = pd.DataFrame({"error": [base_xy[0]], "eqod": [base_xy[1]], "what": ["base model"]})
        marker = alt.Chart(base).encode(
            x="error:Q", y="eqod:Q",
            tooltip=[alt.Tooltip("what:N", title="point"), _num("error", "test error"),
                     _num("eqod", "EqOd")])
        layers += [marker.mark_point(shape="diamond", size=160, filled=True, color="black"),
                   marker.mark_text(align="left", dx=9, fontWeight="bold").encode(text="what:N")]
    return alt.layer(*layers).add_params(sel_color, sel_dash).properties(width=WIDTH, height=HEIGHT)


def _cloud_chart(data, coll, *, color, dash, anchor, title, caption, description) -> Chart:
    """An error-vs-EqOd chart whose two legends (``color``, ``dash``: field and title)
    each toggle their series; the base model is read off the collective rows ``coll``."""
    chart = _cloud(data, color_field=color[0], color_title=color[1], dash_field=dash[0],
                   dash_title=dash[1], base_xy=(an.base_value(coll, "error"), an.base_value(coll, "eqod")),
                   selections=(_toggle(color[0], color[0]), _toggle(dash[0], dash[0])))
    return Chart(anchor, title, caption, _spec(chart, description))


def _knob_text(agg: pd.DataFrame) -> pd.Series:
    """What moves along a series: a collective's flip budget, a firm-side method's knob."""
    missing = pd.Series(np.nan, index=agg.index)
    budget, knob = agg.get("budget", missing), agg.get("knob", missing)
    knob2 = agg.get("knob2", missing)
    collective = agg["family"] == "collective" if "family" in agg else knob.isna()
    return pd.Series([f"{b:g} flips" if coll and pd.notna(b) else
                      (f"knob {k:g}" + (f", k {k2:g}" if pd.notna(k2) else "") if pd.notna(k) else "")
                      for coll, b, k, k2 in zip(collective, budget, knob, knob2, strict=True)],
                     index=agg.index)


def knowledge(rows: pd.DataFrame, *, dataset: str, alpha: float, anchor: str) -> Chart | None:
    """Error vs EqOd over budgets: knowing all majority rows vs fewer."""
    try:
        coll = an.at_alpha(an.collective_rows(rows, dataset=dataset, knowledge=None), alpha,
                          dataset=dataset)
        an.require_columns(coll, ["knowledge", "budget", "error", "eqod"])
    except FairflipError:
        return None
    coll = coll.assign(knowledge=coll["knowledge"].astype(str))
    if "all" not in set(coll.knowledge) or coll.knowledge.nunique() < 2:
        return None
    agg = an.aggregate(coll, ["error", "eqod"], by=[k for k in ("knowledge", "method", "k", "budget")
                                                   if k in coll.columns])
    agg = _method_series(agg)
    agg = agg.assign(scorer=agg["series"], known=[f"knows {v}" for v in agg.knowledge],
                     series=agg["series"] + ", knows " + agg["knowledge"], knob_text=_knob_text(agg))
    return _cloud_chart(
        agg, coll, color=("scorer", "scorer (click to toggle)"),
        dash=("known", "majority rows known (click)"), anchor=anchor,
        title=f"{dataset}: what the collective knows (alpha = {alpha:g})",
        caption="Test error against EqOd over flip budgets for a collective that knows every "
                "majority row and one that knows only a few; points are means over seeds, lines "
                "join each series' non-dominated points; diamond: the base model.",
        description=f"Scatter chart of error against equalized-odds gap for {dataset}, "
                    "comparing knowledge levels per scorer.")


def pareto(rows: pd.DataFrame, *, dataset: str, alphas, anchor: str) -> Chart | None:
    """Error vs EqOd: collective action per scorer and alpha against the firm-side methods."""
    try:
        coll = an.collective_rows(rows, dataset=dataset, knowledge="all")
        if alphas:
            coll = pd.concat([an.at_alpha(coll, a, dataset=dataset) for a in alphas])
    except FairflipError:
        return None
    # Firm-side methods by name: other families (audited firms, ...) have their own charts.
    firm = rows[rows["family"].isin(FIRM_FAMILIES)]
    if firm.empty:
        return None
    parts = []
    agg = _method_series(an.aggregate(coll, ["error", "eqod"]))
    parts.append(agg.assign(who=agg["series"], side=[f"collective, alpha {a:g}" for a in agg.alpha]))
    fagg = an.aggregate(firm, ["error", "eqod"])
    parts.append(fagg.assign(who=fagg["family"].astype(str), side="firm-side method"))
    data = pd.concat(parts, ignore_index=True)
    data = data.assign(series=data["who"] + " (" + data["side"] + ")", knob_text=_knob_text(data))
    return _cloud_chart(
        data, coll, color=("who", "scorer or firm method (click)"),
        dash=("side", "who acts (click)"), anchor=anchor,
        title=f"{dataset}: collective action against firm-side methods",
        caption="Test error against EqOd: each collective series traces its flip budgets, each "
                "firm-side method its knob; points are means over seeds, lines the non-dominated "
                "fronts; diamond: the base model.",
        description=f"Pareto chart of error against equalized-odds gap for {dataset}: "
                    "collective action and firm-side fairness methods.")


def toy(toy_rows: pd.DataFrame, *, anchor: str) -> Chart | None:
    """The 2-D toy example: EqOd and error against flips (up to ten), per scorer."""
    alt = _alt()
    needed = {"method", "n_flips", "eqod", "error", "seed"}
    if toy_rows is None or toy_rows.empty or not needed <= set(toy_rows.columns):
        return None
    agg = an.aggregate(toy_rows, ["eqod", "error"], by=["method", "n_flips"]).assign(
        series=lambda f: f["method"])
    selection = _toggle("series", "scorer")
    left = _curve(agg, x="n_flips", x_title="flips", y="eqod", y_title="EqOd", selection=selection,
                  base=an.base_value(toy_rows, "eqod"), base_label="base model EqOd")
    right = _curve(agg, x="n_flips", x_title="flips", y="error", y_title="test error",
                   selection=selection, base=an.base_value(toy_rows, "error"),
                   base_label="base model error", owns_selection=False)
    chart = alt.hconcat(left.properties(width=WIDTH * 0.62, title="EqOd vs flips"),
                        right.properties(width=WIDTH * 0.62, title="test error vs flips"))
    return Chart(anchor, "toy2d: a few flips on the 2-D example",
                 "The paper's Figure 1 setting: EqOd and error on a fresh 20,000-row draw against "
                 "the number of flips, mean ± std over seeds.",
                 _spec(chart, "Two line charts for the 2-D toy example: equalized-odds gap and "
                       "test error against the number of flips."))
