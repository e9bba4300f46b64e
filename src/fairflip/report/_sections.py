"""The report's sections as HTML: header, claims, data sets, efficiency, hindsight notes."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .._names import FIRM_FAMILIES, RB_SCORERS
from ..analysis import select_points
from ._page import esc, fmt, table

__all__ = ["appendix_section", "claims_matrix", "claims_section", "header_section",
           "provenance_section"]

# Verdict -> (word, symbol, css class): the word and symbol carry it, colour only helps.
VERDICTS = {"holds": ("holds", "\u2713", "v-yes"), "fails": ("fails", "\u2717", "v-no"),
            "inconclusive": ("inconclusive", "?", "v-other"),
            "undecidable": ("undecidable (a control passes too)", "\u2298", "v-other"),
            "not claimed": ("measured, no claim", "\u2022", "v-other")}
CHECKED = ("holds", "fails", "inconclusive", "undecidable")
# Scopes in the order the page lists them: the paper's own claims first.
SCOPES = ("paper", "other data", "beyond the paper")
# Claims tables of fairflip 0.1.0 say yes/no in a 'holds' column.
_OLD_VERDICTS = {"yes": "holds", "no": "fails"}
# Which figure a claim is decided on, by the claim's leading words.
CLAIM_FIGURES = {"toy": "toy", "collective size": "size", "flips": "flips",
                 "knowledge": "knowledge", "error cost": "flips", "pareto": "pareto",
                 "budget choice": "hindsight", "groups": "groups", "audit": "audit-caught"}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "x"


def claim_kind(claim: str) -> str:
    """The claim's leading words (before its colon), which name the figure it is read off."""
    head = str(claim).split(":", 1)[0].strip().lower()
    return next((k for k in CLAIM_FIGURES if head.startswith(k)), head)


def header_section(*, title: str, meta: dict, results: pd.DataFrame, units: pd.DataFrame) -> str:
    """Title and the facts of this build; the sweep configurations are in the appendix."""
    items = [("fairflip (this report)", meta["version"]),
             ("fairflip (results)", ", ".join(sorted(set(map(str, results["version"].dropna()))))
              if "version" in results else "not recorded"),
             ("results schema", str(results.attrs.get("schema_version", "unknown"))),
             ("built", meta["built"]), ("results file", f"{meta['source']} ({meta['db_bytes']:,} bytes)"),
             ("result rows", f"{len(results):,}"), ("claims", meta["claims_source"]),
             ("colours", f"{meta['palette']} palette (safe for colour-vision deficiencies); verdicts "
                         "also carry a symbol and a word")]
    kv = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in items)
    return (f'<header id="top"><h1>{esc(title)}</h1><dl class="kv">{kv}</dl>'
            '<p class="muted">Sweep configurations (hashes, times): see the '
            '<a href="#appendix">appendix</a>.</p></header>')


def appendix_section(*, results: pd.DataFrame, units: pd.DataFrame) -> str:
    """The sweep configurations in the results file: hashes, rows, data sets, times."""
    configs = results.groupby("config_hash", dropna=False).agg(
        rows=("cell_id", "size"), datasets=("dataset", lambda s: ", ".join(sorted(set(map(str, s))))))
    if not units.empty and "config_hash" in units and "finished_at" in units:
        times = units.groupby("config_hash").finished_at.agg(["min", "max"])
        configs = configs.join(times)
    configs = configs.reset_index()
    cols = {"config_hash": "config hash", "rows": "result rows", "datasets": "data sets"}
    if "min" in configs:
        configs["min"] = configs["min"].astype(str).str[:19]
        configs["max"] = configs["max"].astype(str).str[:19]
        cols.update({"min": "first unit finished (UTC)", "max": "last unit finished (UTC)"})
    return ('<section id="appendix"><h2>Appendix: sweep configurations</h2>'
            + table(configs, columns=cols, caption="Sweep configurations in the results file")
            + "</section>")


def normalize_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """One layout for claims tables old and new: claim, dataset, method, selection, paper,
    criterion, measured, interval, verdict, scope, detail (all text but ``measured``)."""
    def col(name, default=""):
        return claims[name] if name in claims else pd.Series(default, index=claims.index)

    def text(series):
        return series.where(series.notna(), "").astype(str)

    if "verdict" in claims:
        verdict = text(claims["verdict"])
    else:
        verdict = text(col("holds")).map(lambda v: _OLD_VERDICTS.get(v, v))
    if "ci_low" in claims and "ci_high" in claims:
        interval = [f"[{fmt(lo)}, {fmt(hi)}]" if pd.notna(lo) and pd.notna(hi) else ""
                    for lo, hi in zip(claims["ci_low"], claims["ci_high"], strict=True)]
    else:
        interval = [f"\u00b1 {fmt(sd)}" if pd.notna(sd) else "" for sd in col("spread", np.nan)]
    paper = [" \u2014 ".join(p for p in (str(w), str(v)) if p and p != "nan")
             for w, v in zip(text(col("paper_wording")), text(col("paper_value")), strict=True)]
    return pd.DataFrame({
        "claim": text(col("claim")), "dataset": text(col("dataset")),
        "method": text(col("method")), "selection": text(col("selection")), "paper": paper,
        "criterion": text(col("criterion")), "measured": pd.to_numeric(col("measured", np.nan),
                                                                      errors="coerce"),
        "interval": interval, "verdict": verdict, "scope": text(col("scope")),
        "source": text(col("source")), "detail": text(col("detail"))}, index=claims.index)


def _verdict_cell(verdict: str) -> str:
    word, mark, cls = VERDICTS.get(str(verdict), (str(verdict), "", "v-other"))
    return f'<td class="verdict {cls}"><span aria-hidden="true">{mark}</span> {esc(word)}</td>'


def _options(values, label_all: str, labels=None) -> str:
    labels = labels or {}
    opts = [f'<option value="">{esc(label_all)}</option>']
    opts += [f'<option value="{esc(v)}">{esc(labels.get(v, v))}</option>' for v in values]
    return "".join(opts)


def _row_id(i: int) -> str:
    return f"claim-row-{i}"


def _cell(rows: pd.DataFrame) -> str:
    """A matrix cell: each verdict's symbol with its count, linking to the first row."""
    counts = rows.verdict.value_counts()
    parts = []
    for v in CHECKED:
        if v in counts:
            word, mark, cls = VERDICTS[v]
            parts.append(f'<span class="{cls}" title="{esc(word)}">{mark}{counts[v]}</span>')
    label = ", ".join(f"{counts[v]} {v}" for v in CHECKED if v in counts)
    return (f'<td class="verdict"><a href="#{_row_id(rows.index[0])}" aria-label="{esc(label)}">'
            + " ".join(parts) + "</a></td>")


def claims_matrix(claims: pd.DataFrame) -> str:
    """The answer first: claims x data sets, each cell the verdicts' symbols and counts
    (over scorers, firm-side methods and selections), linking to its first row; paper scope
    first."""
    checked = claims[claims.verdict.isin(CHECKED)]
    if checked.empty:
        return ""
    order = {s: i for i, s in enumerate(SCOPES)}
    scopes = sorted(set(checked.scope), key=lambda s: (order.get(s, len(order)), s))
    datasets = sorted(set(checked.dataset))
    head = "".join(f'<th scope="col">{esc(d)}</th>' for d in datasets)
    body = []
    for scope in scopes:
        part = checked[checked.scope == scope]
        body.append(f'<tr><th colspan="{len(datasets) + 1}" scope="rowgroup" class="group">'
                    f"{esc(scope or 'scope not recorded')}</th></tr>")
        for claim in dict.fromkeys(part.claim):
            rows = part[part.claim == claim]
            cells = "".join(_cell(rows[rows.dataset == d]) if (rows.dataset == d).any()
                            else "<td></td>" for d in datasets)
            body.append(f'<tr><th scope="row">{esc(claim)}</th>{cells}</tr>')
    legend = "; ".join(f"{m} {w}" for v, (w, m, _) in VERDICTS.items() if v in CHECKED)
    return ('<div class="scroll"><table id="claims-matrix" class="matrix"><caption>The answer: '
            f"verdicts per claim and data set, counts over methods and selections ({esc(legend)})"
            f'</caption><thead><tr><th scope="col">claim</th>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>")


def claims_section(claims: pd.DataFrame, *, figure_for) -> str:
    """The answer (a claims x data sets matrix), then the claims table with its filters;
    ``figure_for(kind, dataset)`` gives an anchor or None."""
    if claims.empty:
        return ('<section id="claims-section"><h2>Claims</h2><p>No claim could be checked on '
                "these results (the sweep lacks the rows the claims need).</p></section>")
    claims = normalize_claims(claims).reset_index(drop=True)
    checked = claims[claims.verdict.isin(CHECKED)]

    def counts(part):
        return ", ".join(f"{int((part.verdict == v).sum())} {v}" for v in CHECKED[1:]
                         if v != "undecidable" or (part.verdict == v).any())

    per_scope = "".join(
        f"<li><strong>{esc(sc)}</strong>: {int((part.verdict == 'holds').sum())} of {len(part)} "
        f"hold ({counts(part)})</li>"
        for sc in [*SCOPES, *sorted(set(checked.scope) - set(SCOPES))]
        if len(part := checked[checked.scope == sc]))
    lead = (f"<p><strong>{int((checked.verdict == 'holds').sum())} of {len(checked)}</strong> "
            f"checked claims hold here ({counts(checked)}); "
            f"{int((claims.verdict == 'not claimed').sum())} rows are measurements the paper makes "
            "no claim about. By scope (the paper's own claims on its data sets first):</p>"
            f"<ul>{per_scope}</ul>")
    lead += ("<p>Each criterion is written next to the paper's words and source; measured "
             "values are means over seeds. <em>undecidable</em>: a control run through the same "
             "test passes too, so the test cannot tell.</p>")
    verdicts = [v for v in VERDICTS if v in set(claims.verdict)] + sorted(set(claims.verdict) - set(VERDICTS))
    form = ('<form id="claim-filters" class="filters js-only" hidden aria-controls="claims">'
            f'<label for="filter-scope">Scope<select id="filter-scope">'
            f'{_options([s for s in SCOPES if s in set(claims.scope)], "all scopes")}</select></label>'
            f'<label for="filter-dataset">Data set<select id="filter-dataset">'
            f'{_options(sorted(set(claims.dataset)), "all data sets")}</select></label>'
            f'<label for="filter-claim">Claim<select id="filter-claim">'
            f'{_options(list(dict.fromkeys(claims.claim)), "all claims")}</select></label>'
            f'<label for="filter-verdict">Verdict<select id="filter-verdict">'
            f'{_options(verdicts, "all verdicts", {k: v[0] for k, v in VERDICTS.items()})}'
            '</select></label><button type="reset">Show all</button>'
            '<span id="claims-count" role="status" aria-live="polite"></span></form>')
    optional = [c for c in ("selection", "criterion", "source") if claims[c].str.len().any()]
    headers = ["claim", "scope", "data set", "method", *optional, "paper", "measured",
               "interval", "verdict", "detail", "figure"]
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    order = {s: i for i, s in enumerate(SCOPES)}
    ranked = claims.assign(_o=claims.scope.map(lambda s: order.get(s, len(order)))).sort_values(
        "_o", kind="stable")
    body = []
    for i, r in zip(ranked.index, ranked.itertuples(index=False), strict=True):
        anchor = figure_for(claim_kind(r.claim), r.dataset)
        link = f'<a href="#{esc(anchor)}">figure</a>' if anchor else ""
        extra = "".join(f"<td>{esc(getattr(r, c))}</td>" for c in optional)
        data = (f'data-dataset="{esc(r.dataset)}" data-claim="{esc(r.claim)}" '
                f'data-verdict="{esc(r.verdict)}" data-scope="{esc(r.scope)}" id="{_row_id(i)}"')
        body.append(
            f"<tr {data}>"
            f"<td>{esc(r.claim)}</td><td>{esc(r.scope)}</td><td>{esc(r.dataset)}</td>"
            f"<td>{esc(r.method)}</td>{extra}"
            f"<td>{esc(r.paper)}</td><td class=\"num\">{fmt(r.measured)}</td>"
            f"<td class=\"num\">{esc(r.interval)}</td>{_verdict_cell(r.verdict)}<td>{esc(r.detail)}</td>"
            f"<td>{link}</td></tr>")
    return ('<section id="claims-section"><h2>Claims: the answer</h2>' + lead
            + claims_matrix(claims) + "<h3>Every claim and measurement</h3>" + form
            + f'<div class="scroll"><table id="claims"><caption>The paper\'s claims, checked on these '
            f"results</caption><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
            "</section>")


def provenance_section(entries: list[dict]) -> str:
    rows = []
    for e in entries:
        sums = "<br>".join(f"{esc(f)}: <code>{esc(d)}</code>" for f, d in e["checksums"])
        fp = f"<code>{esc(e['fingerprint'])}</code>" if e["fingerprint"] else ""
        rows.append(
            f"<tr><td>{esc(e['dataset'])}</td><td>{esc(e['sensitive'] or '')}</td>"
            f"<td class=\"num\">{esc(fmt(e['rows'], ','))}</td><td>{esc(e['groups'])}</td>"
            f"<td>{esc(e['source'])}</td><td>{sums}</td><td>{fp}</td>"
            f"<td class=\"num\">{e['result_rows']:,}</td><td class=\"num\">{e['seeds']}</td>"
            f"<td>{esc(e['note'])}</td></tr>")
    head = "".join(f'<th scope="col">{h}</th>' for h in (
        "data set", "sensitive", "rows", "groups (acting first)", "source",
        "bundled files (SHA-256, checked at every load)", "content SHA-256 (features, label, group)",
        "result rows", "seeds", "note"))
    return ('<section id="datasets"><h2>Data sets and provenance</h2><div class="scroll"><table>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div></section>")


def dataset_summary(rows: pd.DataFrame) -> str:
    """Key facts of one data set's rows: the base model and what the sweep covered."""
    per_seed = rows.groupby("seed")[[c for c in ("base_error", "base_eqod", "base_sp")
                                     if c in rows]].first()
    coll = rows[rows.family == "collective"]
    firm = sorted(set(rows.family) & set(FIRM_FAMILIES))
    items = [("seeds", str(rows.seed.nunique())),
             ("firm model", ", ".join(sorted(set(map(str, rows["model"].dropna()))))
              if "model" in rows else ""),
             ("collective sizes alpha", ", ".join(f"{a:g}" for a in sorted(coll.alpha.dropna().unique()))
              if "alpha" in coll else ""),
             ("scorers", ", ".join(sorted(set(coll.method)))),
             ("knowledge levels", ", ".join(sorted(set(map(str, coll["knowledge"].dropna()))))
              if "knowledge" in coll else ""),
             ("firm-side methods", ", ".join(firm) or "none")]
    for col, name in (("base_error", "base model test error"), ("base_eqod", "base model EqOd"),
                      ("base_sp", "base model SP")):
        if col in per_seed and per_seed[col].notna().any():
            items.append((name, f"{per_seed[col].mean():.4f} ± {per_seed[col].std(ddof=0):.4f}"))
    return '<dl class="kv">' + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in items) + "</dl>"


def efficiency_section(efficiency: pd.DataFrame) -> str:
    if efficiency is None or efficiency.empty:
        return ('<section id="efficiency"><h2>Label-flip efficiency</h2><p>Not available: the '
                "results hold no massaging rows to compare with.</p></section>")
    cols = {"dataset": "data set", "method": "scorer", "share_of_base_eqod": "target (share of base EqOd)",
            "target": "target EqOd", "collective_flips": "collective flips",
            "massaging_changes": "massaging label changes"}
    return ('<section id="efficiency"><h2>Label-flip efficiency</h2><p>How many labels change to '
            "reach an EqOd target (a share of the base model's EqOd), on seed-mean curves at "
            "alpha 0.3: collective action flips acting-group labels only; massaging changes labels "
            "in both groups, two per pair. An empty cell means the target is not reached.</p>"
            + table(efficiency, columns={k: v for k, v in cols.items() if k in efficiency},
                    formats={"share_of_base_eqod": ".2f", "target": ".4f",
                             "collective_flips": ".0f", "massaging_changes": ".0f"})
            + "</section>")


def hindsight_table(results: pd.DataFrame, alpha: float = 0.3) -> pd.DataFrame:
    """Per data set and RB scorer: test EqOd of the hindsight budget (lowest seed-mean test
    EqOd) vs the budget picked per seed on the firm-validation rows, over seeds."""
    # The firm-validation EqOd column (``val_eqod``; ``firm_val_eqod`` where it was renamed).
    val_col = next((c for c in ("firm_val_eqod", "val_eqod") if c in results
                    and results[c].notna().any()), None)
    if val_col is None:
        return pd.DataFrame()
    coll = results[(results.family == "collective") & results.method.isin(RB_SCORERS)
                   & (results.knowledge.astype(str) == "all")
                   & np.isclose(results.alpha.astype(float), alpha) & results[val_col].notna()]
    out = []
    for (dataset, method), grp in coll.groupby(["dataset", "method"]):
        hind = select_points(grp, selection="hindsight", by=())
        val = select_points(grp.rename(columns={val_col: "firm_val_eqod"}),
                            selection="firm-validation", by=())
        out.append({"dataset": dataset, "method": method, "seeds": grp.seed.nunique(),
                    "base_eqod": grp.groupby("seed").base_eqod.first().mean(),
                    "hindsight_eqod": hind.eqod.mean(), "hindsight_flips": hind.n_flips.mean(),
                    "validation_eqod": val.eqod.mean(), "validation_std": val.eqod.std(ddof=0),
                    "validation_flips": val.n_flips.mean(),
                    "cost": val.eqod.mean() - hind.eqod.mean()})
    return pd.DataFrame(out)


def hindsight_section(results: pd.DataFrame, *, figures: str = "") -> str:
    """Notes on the paper's hindsight choices, the validation-picked budgets and (when the
    advisor's results exist) ``figures`` comparing ways to choose without hindsight."""
    picks = hindsight_table(results)
    notes = [
        "The paper's \u201cbest EqOd for each alpha\u201d chooses the flip budget M on the test set, "
        "after seeing the outcome. A real collective cannot: the table below puts the test EqOd of "
        "that hindsight choice next to the budget the collective picks on its own validation rows.",
        "The collective-size chart uses the hindsight choice, as the paper does; the flips chart "
        "shows every budget, so both choices can be read off it.",
        "The paper does not publish k for the neighbour scorers; these results use the sweep's k "
        "(see the configuration).",
        "The toy example is judged on a fresh 20,000-row draw from its causal model: its 300 test "
        "rows would move EqOd by about 0.1 per prediction.",
    ]
    body = "".join(f"<li>{esc(n)}</li>" for n in notes)
    cols = {"dataset": "data set", "method": "scorer", "seeds": "seeds", "base_eqod": "base EqOd",
            "hindsight_eqod": "hindsight EqOd (test-picked)", "hindsight_flips": "its flips",
            "validation_eqod": "validation-picked EqOd", "validation_std": "std",
            "validation_flips": "its flips", "cost": "cost of no hindsight"}
    tab = (table(picks, columns=cols, caption="Budget choice at alpha 0.3 (means over seeds)",
                 formats={k: ".4f" for k in ("base_eqod", "hindsight_eqod", "validation_eqod",
                                             "validation_std", "cost")}
                 | {"hindsight_flips": ".1f", "validation_flips": ".1f"})
           if not picks.empty else "<p>No validation metrics at alpha 0.3 in these results.</p>")
    more = ("<h3>Choosing the budget without hindsight (beyond the paper)</h3>" + figures
            if figures else "")
    return (f'<section id="hindsight"><h2>What the paper picks in hindsight</h2><ul>{body}</ul>'
            f"{tab}{more}</section>")


def spillover_table(spill: pd.DataFrame, *, dataset: str) -> str:
    """Per group: its own EqOd gap with no flips and at the acting group's best budget."""
    spill = spill.sort_values(["acting", "rows"], ascending=False)
    budget = int(spill["best_budget"].iloc[0]) if "best_budget" in spill else None
    frame = spill.assign(role=np.where(spill["acting"].astype(bool), "acts", ""),
                         flag=np.where(spill.get("small", False), "small", ""))
    cols = {"group": "group", "role": "", "rows": "test rows", "flag": "",
            "gap_before": "own gap, no flips", "gap_after": f"own gap at {budget} flips",
            "gap_change": "change", "gap_change_std": "std"}
    return table(frame, columns={k: v for k, v in cols.items() if k in frame},
                 caption=f"{dataset}: spillover at the acting group's best budget (means over seeds)",
                 formats={"rows": ",.0f", "gap_before": ".4f", "gap_after": ".4f",
                          "gap_change": "+.4f", "gap_change_std": ".4f"})
