"""Building the report: inputs -> charts and sections -> one HTML file, written atomically."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .. import analysis as an
from .._version import __version__
from ..exceptions import ConfigError
from . import _charts as ch
from . import _sections as sec
from . import _studies
from ._inputs import ReportInputs, load_inputs
from ._page import esc, page, static_svg_img
from ._provenance import dataset_provenance

__all__ = ["ReportStats", "build_report", "write_report"]

FLIPS_ALPHA = 0.3


@dataclass(frozen=True)
class ReportStats:
    """What :func:`write_report` wrote: the file, its size, the chart count, the build time."""

    path: Path
    n_bytes: int
    n_charts: int
    seconds: float

    def __str__(self) -> str:
        return (f"wrote {self.path} ({self.n_bytes / 1e6:.2f} MB, {self.n_charts} charts) "
                f"in {self.seconds:.1f} s")


@lru_cache(maxsize=1)
def _vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script (vl-convert bundles it offline)."""
    import vl_convert as vlc

    return vlc.javascript_bundle(vl_version=_vl_version())


def _vl_version() -> str:
    """vl-convert's name ("v6_4") for the Vega-Lite version of Altair's schema ("v6.4.1")."""
    import altair as alt

    return "_".join(alt.SCHEMA_VERSION.split(".")[:2])


def _static_svg(spec: dict) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(spec, vl_version=_vl_version())


def _figure(chart: ch.Chart) -> str:
    return (f'<figure id="{esc(chart.anchor)}"><h4>{esc(chart.title)}</h4>'
            f'<div class="chart" data-chart="{esc(chart.anchor)}">'
            f"<noscript>{static_svg_img(_static_svg(chart.spec), chart.title)}</noscript></div>"
            f"<figcaption>{esc(chart.caption)} <span class=\"js-only\">Hover a mark for its exact "
            "values; click a legend entry to show only that series (shift-click adds more, "
            "double-click resets).</span></figcaption></figure>")


def _cells(results: pd.DataFrame):
    """(anchor slug, heading, dataset, rows) per data set, firm model and sensitive attribute."""
    for (dataset, model, sensitive), rows in an.figure_cells(results):
        parts = [dataset] + [p for p in (model, sensitive) if p is not None]
        yield sec.slug("-".join(map(str, parts))), " / ".join(map(str, parts)), dataset, rows


def _groups_section(inputs: ReportInputs, charts: dict) -> str:
    """Beyond the paper: every group when one acts (reproduce's multi-group study), and
    acting groups compared when a sweep ran several; empty without such results."""
    parts = []
    for dataset, (per_group, spill) in sorted(inputs.group_studies.items()):
        made = _studies.group_study_charts(per_group, dataset=dataset)
        charts.update((m.anchor, m) for m in made)
        parts += [_figure(m) for m in made]
        if spill is not None and not spill.empty:
            parts.append(sec.spillover_table(spill, dataset=dataset))
    for dataset in sorted(set(inputs.results["dataset"].astype(str))):
        made = _studies.group_comparison(inputs.results, dataset=dataset)
        if made is not None:
            charts[made.anchor] = made
            parts.append(_figure(made))
    if not parts:
        return ""
    return ('<section id="groups"><h2>Groups beyond the paper\'s two</h2><p>One group of a '
            "many-valued attribute acts; every group is measured (the paper's EqOd compares the "
            "acting group with everyone else).</p>" + "".join(parts) + "</section>")


def _audits_section(audits: pd.DataFrame, charts: dict) -> str:
    """Beyond the paper: a firm that audits its labels (reproduce's ``audits.duckdb``, or the
    audited rows of a sweep); empty without audited rows."""
    if audits.empty or "audited" not in set(audits["family"]):
        return ""
    parts = []
    for dataset in sorted(set(audits.loc[audits["family"] == "audited", "dataset"].astype(str))):
        made = _studies.audit_charts(audits[audits["dataset"] == dataset], dataset=dataset,
                                     slug=sec.slug(dataset))
        charts.update((m.anchor, m) for m in made)
        parts += [_figure(m) for m in made]
    if not parts:
        return ""
    return ('<section id="audits"><h2>Label audits: will the firm notice?</h2><p>The firm '
            "audits its training labels (confident learning with cleanlab, or a loss filter), "
            "then drops or relabels what it flags and retrains. The paper's firm does not audit.</p>"
            + "".join(parts) + "</section>")


def build_report(inputs: ReportInputs, *, title: str | None = None) -> tuple[str, int]:
    """The report's HTML and its number of charts."""
    results = inputs.results
    title = title or f"fairflip report: {inputs.source.name}"
    charts: dict[str, ch.Chart] = {}
    first_section: dict[str, str] = {}
    sections = []
    for slug, heading, dataset, rows in _cells(results):
        first_section.setdefault(dataset, f"data-{slug}")
        alpha = an.alpha_for(rows, FLIPS_ALPHA)
        made = [ch.collective_size(rows, dataset=heading, anchor=f"fig-size-{slug}"),
                ch.flips(rows, dataset=heading, alpha=alpha, anchor=f"fig-flips-{slug}"),
                ch.knowledge(rows, dataset=heading, alpha=alpha, anchor=f"fig-knowledge-{slug}"),
                ch.pareto(rows, dataset=heading, alphas=an.pareto_alphas(rows),
                          anchor=f"fig-pareto-{slug}")]
        made = [m for m in made if m is not None]
        charts.update((m.anchor, m) for m in made)
        figures = "".join(_figure(m) for m in made) or "<p>No chart fits these rows.</p>"
        sections.append(f'<section id="data-{slug}"><h2>Data set: {esc(heading)}</h2>'
                        f"{sec.dataset_summary(rows)}{figures}</section>")
    toy = ch.toy(inputs.toy, anchor="fig-toy")
    if toy is not None:
        charts[toy.anchor] = toy
        sections.insert(0, f'<section id="data-toy2d"><h2>Toy example (2-D)</h2>{_figure(toy)}</section>')
        first_section.setdefault("toy2d", "data-toy2d")

    advice = [_studies.advice_chart(inputs.advice, dataset=d)
              for d in sorted(set(inputs.advice.get("dataset", pd.Series(dtype=str)).astype(str)))]
    charts.update((m.anchor, m) for m in advice if m is not None)
    advice_figures = "".join(_figure(m) for m in advice if m is not None)
    groups_html = _groups_section(inputs, charts)
    audits_html = _audits_section(inputs.audits, charts)
    sections += [h for h in (groups_html, audits_html) if h]

    def figure_for(kind: str, dataset: str) -> str | None:
        target = sec.CLAIM_FIGURES.get(kind)
        if target == "hindsight":
            return "hindsight"
        if target == "toy":  # the chart is our Gaussian toy's; the Figure-1 toy has none here
            return "fig-toy" if "fig-toy" in charts and dataset == "toy2d" else None
        if target == "audit-caught":
            anchor = f"fig-audit-caught-{sec.slug(dataset)}"
            return anchor if anchor in charts else ("audits" if audits_html else None)
        if target == "groups":
            return next((a for a in (f"fig-groups-{dataset}", f"fig-acting-{dataset}")
                         if a in charts), "groups" if groups_html else None)
        section = first_section.get(dataset)
        if section is None:
            return None
        anchor = f"fig-{target}-{section.removeprefix('data-')}"
        return anchor if anchor in charts else section

    nav = [("claims-section", "Claims"), ("datasets", "Data sets")]
    nav += [(s, s.removeprefix("data-")) for s in dict.fromkeys(first_section.values())]
    nav += [("groups", "Groups")] if groups_html else []
    nav += [("audits", "Label audits")] if audits_html else []
    nav += [("efficiency", "Label-flip efficiency"), ("hindsight", "Hindsight notes"),
            ("appendix", "Appendix: configurations")]
    nav_html = ('<nav aria-label="Sections"><ul>'
                + "".join(f'<li><a href="#{esc(a)}">{esc(t)}</a></li>' for a, t in nav) + "</ul></nav>")
    meta = {"version": __version__, "source": inputs.source.name,
            "db_bytes": inputs.source.stat().st_size if inputs.source.is_file() else 0,
            "built": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "claims_source": inputs.claims_source, "palette": ch.PALETTE_NAME}
    body = "\n".join([
        sec.header_section(title=title, meta=meta, results=results, units=inputs.units),
        "<main>", nav_html,
        sec.claims_section(inputs.claims, figure_for=figure_for),
        sec.provenance_section(dataset_provenance(results)),
        *sections,
        sec.efficiency_section(inputs.efficiency),
        sec.hindsight_section(results, figures=advice_figures),
        sec.appendix_section(results=results, units=inputs.units),
        "</main>",
        f'<footer><p class="muted">Made by fairflip {esc(__version__)} from {esc(inputs.source.name)}. '
        "Charts: Vega-Lite (via Altair), drawn in the page; without JavaScript each shows a static "
        'picture. <a href="#top">Back to top</a></p></footer>'])
    specs = {anchor: chart.spec for anchor, chart in charts.items()}
    return page(title=title, body=body, specs=specs, bundle=_vega_bundle()), len(charts)


def write_report(db, out, *, title: str | None = None, claims: pd.DataFrame | None = None,
                 toy: pd.DataFrame | None = None) -> ReportStats:
    """Build the report of the results database ``db`` into the HTML file ``out``.

    The file is written to a temporary name in the same folder and renamed, so a failed
    build leaves no half-written report. ``claims`` and ``toy`` are the tables ``reproduce``
    has in hand; without them the files next to ``db`` are used (see :func:`load_inputs`).

    Raises
    ------
    ConfigError
        ``out``'s folder does not exist, or ``db`` is not a readable fairflip results file.
    DataError
        The results table is empty.
    """
    start = time.monotonic()
    out = Path(out)
    if not out.parent.is_dir():
        raise ConfigError(f"The output folder {str(out.parent)!r} does not exist. Got --out {str(out)!r}.")
    if out.is_dir():
        raise ConfigError(f"The 'out' parameter must name a file. Got the folder {str(out)!r} instead.")
    inputs = load_inputs(db, claims=claims, toy=toy)
    text, n_charts = build_report(inputs, title=title)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return ReportStats(out, out.stat().st_size, n_charts, time.monotonic() - start)
