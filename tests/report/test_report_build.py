"""`fairflip report` without a browser: bad input, atomic writes, contents, offline page."""

import html
import json
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from fairflip._version import __version__
from fairflip.cli import main
from fairflip.experiments import ResultStore
from fairflip.experiments._store import ADDED_COLUMNS
from fairflip.report import _build as build_module
from fairflip.report import write_report
from fairflip.report._charts import GREYS, PALETTE

# XML namespace names: identifiers that SVG requires, never requested.
NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink",
              "http://www.w3.org/2000/xmlns/"}
# Plain strings in the inline Vega bundle (the schema id, the editor action's link, a
# comment): never requested either, and the page's CSP would forbid it.
BUNDLE_URLS = NAMESPACES | {"https://vega.github.io/schema/vega/v6.json",
                            "https://vega.github.io/editor/",
                            "https://github.com/vega/vega-lite/issues/2415"}
URL = r"https?://[A-Za-z0-9./_-]+"


@pytest.fixture(scope="module")
def built(tiny_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("built") / "report.html"
    stats = write_report(tiny_db, out, title="Tiny <sweep> & co")
    return stats, out.read_text(encoding="utf-8")


def _scripts(text):
    return re.findall(r"<script([^>]*)>(.*?)</script>", text, flags=re.S)


def _cli_error(capsys, argv) -> str:
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: "), err
    return err[0]


def _no_output(folder: Path, name="report.html"):
    assert not (folder / name).exists()
    assert not [p for p in folder.iterdir() if p.name.startswith(f".{name}")]  # no temp left


def test_bad_input_is_one_line_exit_2_and_no_file(tiny_db, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert "does not exist" in _cli_error(capsys, ["report", "--db", str(tmp_path / "no.duckdb"),
                                                   "--out", str(out)])
    text_file = tmp_path / "notes.duckdb"
    text_file.write_text("not a database\n")
    assert "not a fairflip results database" in _cli_error(
        capsys, ["report", "--db", str(text_file), "--out", str(out)])
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE things (x INTEGER)")
    assert "no 'results' table" in _cli_error(capsys, ["report", "--db", str(other), "--out", str(out)])
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE results (x INTEGER)")
    assert "lacks" in _cli_error(capsys, ["report", "--db", str(other), "--out", str(out)])
    empty = tmp_path / "empty.duckdb"
    ResultStore(empty).close()
    assert "no result rows" in _cli_error(capsys, ["report", "--db", str(empty), "--out", str(out)])
    assert "does not exist" in _cli_error(
        capsys, ["report", "--db", str(tiny_db), "--out", str(tmp_path / "missing" / "r.html")])
    assert "must name a file" in _cli_error(capsys, ["report", "--db", str(tiny_db), "--out", str(tmp_path)])
    _no_output(tmp_path)
    assert not (tmp_path / "missing").exists()


def test_reading_never_modifies_a_foreign_database(tmp_path, capsys):
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE things (x INTEGER)")
    _cli_error(capsys, ["report", "--db", str(other), "--out", str(tmp_path / "r.html")])
    with duckdb.connect(str(other), read_only=True) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert tables == {"things"}


def test_a_newer_schema_is_refused_and_an_older_one_is_read_unchanged(tiny_copy, tmp_path, capsys):
    out = tmp_path / "r.html"
    with duckdb.connect(str(tiny_copy)) as con:
        con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    assert "schema version 99" in _cli_error(capsys, ["report", "--db", str(tiny_copy), "--out", str(out)])
    _no_output(tmp_path, "r.html")
    # fairflip 0.1.0's layout: no meta table, no columns added since
    with duckdb.connect(str(tiny_copy)) as con:
        con.execute("DROP TABLE meta")
        for _, name, _ in ADDED_COLUMNS:
            con.execute(f'ALTER TABLE results DROP COLUMN "{name}"')
    write_report(tiny_copy, out)
    assert "<dt>results schema</dt><dd>1</dd>" in out.read_text(encoding="utf-8")
    with duckdb.connect(str(tiny_copy), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM information_schema.tables "
                           "WHERE table_name = 'meta'").fetchone()[0] == 0


def test_a_failed_build_leaves_the_old_report_and_no_temp_file(tiny_db, tmp_path, monkeypatch):
    out = tmp_path / "report.html"
    out.write_text("previous report")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full, say")

    monkeypatch.setattr(build_module, "page", broken)
    with pytest.raises(RuntimeError):
        write_report(tiny_db, out)
    assert out.read_text() == "previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_cli_writes_the_report_and_says_how_big(tiny_db, tmp_path, capsys):
    out = tmp_path / "r.html"
    capsys.readouterr()
    assert main(["report", "--db", str(tiny_db), "--out", str(out), "--title", "T"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"wrote {out} (") and "MB" in line and "charts" in line
    assert "<title>T</title>" in out.read_text(encoding="utf-8")


def test_nothing_outside_the_file_is_referenced(built):
    _, text = built
    scripts = _scripts(text)
    assert all("src=" not in attrs for attrs, _ in scripts)
    bundle = max((body for _, body in scripts), key=len)
    assert "vegaEmbed" in bundle
    rest = text.replace(bundle, "")
    assert set(re.findall(URL, rest)) <= NAMESPACES
    assert set(re.findall(URL, bundle)) <= BUNDLE_URLS
    assert "<link" not in rest and "@import" not in rest
    # every image is inline
    assert all(src.startswith("data:") for src in re.findall(r"<img[^>]* src=\"([^\"]*)\"", rest))
    assert "default-src 'none'" in text  # the page itself forbids any request


def test_header_has_version_config_and_provenance(built, tiny_db):
    _, text = built
    with duckdb.connect(str(tiny_db), read_only=True) as con:
        hashes = {r[0] for r in con.execute("SELECT DISTINCT config_hash FROM results").fetchall()}
        n_rows = con.execute("SELECT count(*) FROM results").fetchone()[0]
    assert "<title>Tiny &lt;sweep&gt; &amp; co</title>" in text  # the title is escaped
    assert f"<dd>{__version__}</dd>" in text
    assert all(h in text for h in hashes)
    assert f"{n_rows:,}" in text
    assert 'id="datasets"' in text and "synthetic" in text and "seeded causal model" in text


def _claim_rows(text):
    return re.findall(r'<tr data-dataset="([^"]*)" data-claim="([^"]*)" data-verdict="([^"]*)"'
                      r'[^>]*>(.*?)</tr>', text, flags=re.S)


def test_claims_table_rows_link_to_figures_that_exist(built, tiny_db):
    _, text = built
    rows = _claim_rows(text)
    assert rows, "the tiny sweep supports at least the collective-size and flips claims"
    ids = set(re.findall(r' id="([^"]+)"', text))
    for _, _, _, cells in rows:
        links = re.findall(r'<a href="#([^"]+)">figure</a>', cells)
        assert links and links[0] in ids
    assert any(anchor.startswith("fig-") for *_, cells in rows
               for anchor in re.findall(r'href="#([^"]+)"', cells))


def test_every_chart_has_a_static_fallback_and_a_spec(built):
    stats, text = built
    charts = re.findall(r'<div class="chart" data-chart="([^"]+)"><noscript><img class="static-chart" '
                        r'alt="[^"]+" src="data:image/svg\+xml,', text)
    assert len(charts) == stats.n_charts >= 4  # size, flips, knowledge, pareto
    spec_json = re.search(r'<script type="application/json" id="chart-specs">(.*?)</script>',
                          text, flags=re.S).group(1)
    assert sorted(json.loads(spec_json.replace("<\\/", "</"))) == sorted(charts)


def test_series_colours_come_from_the_named_palette(built):
    _, text = built
    allowed = {c.lower() for c in [*PALETTE.values(), *GREYS.values()]}
    spec_json = re.search(r'id="chart-specs">(.*?)</script>', text, flags=re.S).group(1)
    ranges = re.findall(r'"range":\[([^\]]*)\]', spec_json)
    used = {c.strip('"').lower() for r in ranges for c in r.split(",")}
    assert used and used <= allowed


def test_single_data_set_with_a_failed_claim_renders(tiny_copy, tmp_path):
    claims = pd.DataFrame([
        ["collective size: made up to fail", "synthetic", "rb-prob", "0.1", 0.2, 0.01, "no", "d1"],
        ["knowledge: made up", "synthetic", "rb-prob", "small", 0.05, 0.0, "inconclusive", "d2"],
        ["budget choice: measured", "synthetic", "random", "x", 0.1, None, "not claimed", ""]],
        # fairflip 0.1.0's claims layout (a 'holds' column saying yes/no)
        columns=["claim", "dataset", "method", "paper_value", "measured", "spread", "holds",
                 "detail"])
    claims.to_csv(tiny_copy.with_name("claims.csv"), index=False)
    out = tmp_path / "r.html"
    write_report(tiny_copy, out)
    text = out.read_text(encoding="utf-8")
    rows = _claim_rows(text)
    assert [r[2] for r in rows] == ["fails", "inconclusive", "not claimed"]
    assert "fails</td>" in text and "0 of 2</strong>" in text
    assert "read from claims.csv" in text


def test_efficiency_and_hindsight_sections(built):
    _, text = built
    assert 'id="efficiency"' in text and "massaging label changes" in text
    section = text.split('id="hindsight"', 1)[1]
    assert "hindsight EqOd (test-picked)" in section
    assert html.escape("What the paper picks in hindsight") in text


def test_static_pictures_keep_every_label_of_the_full_svg(built):
    """The no-JavaScript pictures are vl-convert's SVG made smaller: same texts, same marks."""
    import urllib.parse

    import vl_convert

    from fairflip.report._build import _vl_version

    _, text = built
    spec_json = re.search(r'id="chart-specs">(.*?)</script>', text, flags=re.S).group(1)
    specs = json.loads(spec_json.replace("<\\/", "</"))
    for anchor, spec in specs.items():
        img = re.search(rf'data-chart="{anchor}"><noscript><img [^>]*src="data:image/svg\+xml,([^"]*)"',
                        text).group(1)
        small = urllib.parse.unquote(html.unescape(img))
        full = vl_convert.vegalite_to_svg(spec, vl_version=_vl_version())

        def texts(svg):
            return re.findall(r"<text[^>]*>([^<]*)</text>", svg)

        assert texts(small) == texts(full) and texts(full)
        assert small.count("<path") == full.count("<path")
        assert len(small) < 0.7 * len(full)


def test_claims_in_the_interval_layout_render_with_their_intervals(tiny_copy, tmp_path):
    """Claims tables with a verdict column and confidence limits (not 0.1.0's yes/no)."""
    claims = pd.DataFrame({
        "claim": ["flips: fewer than random", "advisor regret"], "kind": ["claim", "measurement"],
        "scope": ["paper", "beyond the paper"], "dataset": ["synthetic", "synthetic"],
        "method": ["rb-prob", "rb-prob"], "selection": ["firm-validation", "hindsight"],
        "paper_wording": ["RB needs fewer flips", ""], "paper_value": ["below random", ""],
        "criterion": ["difference < 0", ""], "interval": ["paired t 95% over seeds", ""],
        "measured": [-0.0123, 0.01], "ci_low": [-0.02, None], "ci_high": [-0.004, None],
        "n_seeds": [2, 2], "verdict": ["holds", "not claimed"], "detail": ["", ""]})
    claims.to_csv(tiny_copy.with_name("claims.csv"), index=False)
    out = tmp_path / "r.html"
    write_report(tiny_copy, out)
    text = out.read_text(encoding="utf-8")
    assert [r[2] for r in _claim_rows(text)] == ["holds", "not claimed"]
    assert "[-0.0200, -0.0040]" in text and "difference &lt; 0" in text
    assert "(beyond the paper)" in text and "1 of 1</strong>" in text
