"""HTML pieces of the report: escaping, tables, the page shell (styles and scripts inline).

The page works from disk with no network: a Content-Security-Policy forbids every fetch,
the Vega bundle and the chart specs are inline, and without JavaScript each chart's static
SVG (rendered by vl-convert at build time) is shown instead.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import quote

import numpy as np
import pandas as pd

__all__ = ["esc", "fmt", "page", "static_svg_img", "table"]

# No request may leave the page: scripts and styles are inline, images are data: URIs.
# Vega compiles its expressions with Function(), hence 'unsafe-eval'.
CSP = ("default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; "
       "style-src 'unsafe-inline'; img-src data:; font-src data:")


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def fmt(value, spec: str = ".4f") -> str:
    """A number for a table cell; missing values are an empty cell."""
    if value is None or (isinstance(value, float | np.floating) and not np.isfinite(value)):
        return ""
    if isinstance(value, str):
        return value
    try:
        return format(value, spec)
    except (TypeError, ValueError):
        return str(value)


def table(frame: pd.DataFrame, *, columns: dict, caption: str = "", formats: dict | None = None,
          cls: str = "") -> str:
    """A plain HTML table of ``frame``'s ``columns`` (name -> header), numbers formatted."""
    formats = formats or {}
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in columns.values())
    body = []
    for _, row in frame.iterrows():
        cells = []
        for name in columns:
            value = row.get(name)
            text = fmt(value, formats[name]) if name in formats else (
                "" if value is None or (isinstance(value, float) and np.isnan(value)) else value)
            num = ' class="num"' if isinstance(value, int | float | np.number) else ""
            cells.append(f"<td{num}>{esc(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (f'<div class="scroll"><table class="{esc(cls)}">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>")


def _compact_svg(svg: str) -> str:
    """Drop what only interactive use needs (ARIA on every mark, classes) and round
    coordinates to a tenth of a pixel: about a third of the size, same picture."""
    svg = re.sub(r' (?:aria-[a-z]+|role|class|pointer-events)="[^"]*"', "", svg)
    # Inside attribute values only: tick labels and other text keep every digit.
    return re.sub(r'="[^"]*"', lambda m: re.sub(r"(\d+\.\d)\d+", r"\1", m.group(0)), svg)


def static_svg_img(svg: str, alt: str) -> str:
    """An <img> holding ``svg`` as a data: URI (its ids cannot clash with the page's)."""
    # '&' is encoded too: the HTML parser would otherwise turn the SVG's "&amp;" into a bare
    # '&', which is not XML.
    uri = "data:image/svg+xml," + quote(_compact_svg(svg), safe=" =:/;,.'()-_!*@?+~[]{}|")
    return f'<img class="static-chart" alt="{esc(alt)}" src="{uri}">'


def json_script(element_id: str, value) -> str:
    """``value`` as JSON inside a non-executed script element (safe against '</script>')."""
    text = json.dumps(value, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
    return f'<script type="application/json" id="{esc(element_id)}">{text}</script>'


STYLE = """
:root { --fg:#1b1b1b; --muted:#555; --line:#d0d0d0; --bg:#fff; --soft:#f5f6f8;
        --ok:#009E73; --bad:#D55E00; --neutral:#56B4E9; --focus:#0072B2; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: var(--fg); background: var(--bg); margin: 0; }
header, main, footer { max-width: 1680px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 18px; border-bottom: 1px solid var(--line); }
h1 { font-size: 1.6em; margin: 0.2em 0; } h2 { margin-top: 1.6em; border-bottom: 2px solid var(--line); }
h3 { margin-top: 1.3em; } .muted { color: var(--muted); }
nav ul { display: flex; flex-wrap: wrap; gap: 4px 16px; padding: 0; list-style: none; }
a { color: #005a8c; } a:focus, select:focus, button:focus, summary:focus {
  outline: 3px solid var(--focus); outline-offset: 2px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; width: 100%; }
table.matrix td.verdict { text-align: center; } table.matrix th.group { background: #e8eaee; }
table.matrix a { text-decoration: none; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border: 1px solid var(--line); padding: 3px 7px; vertical-align: top; text-align: left; }
th { background: var(--soft); } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.verdict { font-weight: 600; white-space: nowrap; }
.v-yes { color: #00694d; } .v-no { color: #a13d00; } .v-other { color: #35556e; }
.filters { display: flex; flex-wrap: wrap; gap: 10px 22px; align-items: end; margin: 0.6em 0;
           padding: 10px 12px; background: var(--soft); border: 1px solid var(--line); }
.filters label { display: flex; flex-direction: column; font-size: 0.9em; font-weight: 600; }
.filters select { font: inherit; padding: 3px; max-width: 34em; }
.filters button { font: inherit; padding: 4px 12px; }
figure { margin: 1em 0 1.6em; } figcaption { color: var(--muted); font-size: 0.92em; max-width: 60em; }
figure h4 { margin: 0 0 0.3em; }
.chart { min-height: 60px; overflow-x: auto; }
.static-chart { max-width: 100%; height: auto; }
.kv { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; }
.kv dt { font-weight: 600; } .kv dd { margin: 0; }
code { font-size: 0.9em; word-break: break-all; }
.note { background: var(--soft); border-left: 4px solid var(--neutral); padding: 6px 12px; }
"""

SCRIPT = """
(function () {
  "use strict";
  // Claims filters: by scope, data set, claim and verdict; the count is announced to screen readers.
  var form = document.getElementById("claim-filters");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#claims tbody tr"));
  var count = document.getElementById("claims-count");
  function apply() {
    var want = {};
    ["scope", "dataset", "claim", "verdict"].forEach(function (k) {
      want[k] = document.getElementById("filter-" + k).value;
    });
    var shown = 0;
    rows.forEach(function (row) {
      var ok = ["scope", "dataset", "claim", "verdict"].every(function (k) {
        return !want[k] || row.getAttribute("data-" + k) === want[k];
      });
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " rows shown";
  }
  if (form) {
    form.hidden = false;
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    apply();
  }
  // Charts: the inline Vega bundle draws every spec as SVG; the static fallback is dropped.
  var specs = JSON.parse(document.getElementById("chart-specs").textContent);
  var options = { actions: false, renderer: "svg" };
  var jobs = Object.keys(specs).map(function (id) {
    var el = document.querySelector('[data-chart="' + id + '"]');
    return vegaEmbed(el, specs[id], options).then(function () {
      el.setAttribute("data-rendered", "true");
    }).catch(function (err) {
      el.setAttribute("data-rendered", "failed");
      el.textContent = "This chart could not be drawn: " + err;
      console.error("chart " + id + ": " + err);
    });
  });
  Promise.all(jobs).then(function () {
    document.body.setAttribute("data-charts", "ready");
  });
})();
"""


def page(*, title: str, body: str, specs: dict, bundle: str) -> str:
    """The whole document: one file, nothing fetched."""
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        f"<style>{STYLE}</style>",
        "<noscript><style>.js-only { display: none; }</style></noscript>",
        "</head>",
        "<body>",
        body,
        json_script("chart-specs", specs),
        f"<script>{bundle.replace('</script', '<' + chr(92) + '/script')}</script>",
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
    ])
