"""The report opens with the answer: a claims x data sets matrix, paper scope first."""

import re

import pandas as pd

from fairflip.report._sections import claims_section


def claims():
    rows = [
        ("flips: fewer than random", "other data", "german", "rb-prob", "fails"),
        ("flips: fewer than random", "paper", "compas", "rb-prob", "holds"),
        ("flips: fewer than random", "paper", "compas", "rb-label", "inconclusive"),
        ("knowledge: small effect", "paper", "adult", "rb-label (k=3)", "undecidable"),
        ("collective size: random is worst (beyond the paper)", "beyond the paper", "compas",
         "rb-prob", "holds"),
        ("error cost: EqOd under an error cap", "beyond the paper", "compas", "rb-prob",
         "not claimed"),
    ]
    return pd.DataFrame(
        [{"claim": c, "scope": s, "dataset": d, "method": m, "verdict": v, "kind":
          "measurement" if v == "not claimed" else "claim", "source": "Figure 4", "measured": 0.1,
          "ci_low": 0.0, "ci_high": 0.2, "detail": ""} for c, s, d, m, v in rows])


def test_matrix_comes_first_paper_scope_first_and_cells_link_to_rows():
    html = claims_section(claims(), figure_for=lambda kind, dataset: None)
    assert html.index('id="claims-matrix"') < html.index('id="claims"')
    matrix = html.split('id="claims-matrix"', 1)[1].split("</table>", 1)[0]
    groups = re.findall(r'class="group">([^<]+)</th>', matrix)
    assert groups == ["paper", "other data", "beyond the paper"]
    ids = set(re.findall(r' id="(claim-row-\d+)"', html))
    links = re.findall(r'href="#(claim-row-\d+)"', matrix)
    assert links and set(links) <= ids
    # compas / flips: one holds, one inconclusive, in one cell
    assert "\u27131" in matrix and "?1" in matrix
    assert "\u22981" in matrix  # undecidable has its own symbol
    assert "measured, no claim" not in matrix  # measurements are not in the answer


def test_lead_counts_per_scope_and_the_table_lists_paper_scope_first():
    html = claims_section(claims(), figure_for=lambda kind, dataset: None)
    assert "<strong>paper</strong>: 1 of 3 hold" in html
    scopes = re.findall(r'data-scope="([^"]*)"', html)
    assert scopes[:3] == ["paper"] * 3 and scopes[-1] == "beyond the paper"
    assert 'id="filter-scope"' in html and "undecidable (a control passes too)" in html
