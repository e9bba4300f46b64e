"""The report in a real headless Chromium, opened from disk: it draws, filters, stays offline."""

import pytest

from fairflip.report import write_report


@pytest.fixture(scope="module")
def report_file(tiny_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("browser") / "report.html"
    write_report(tiny_db, out)
    return out


class Visit:
    """One page load with every console message, page error and request recorded."""

    def __init__(self, browser, path, *, javascript=True):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900},
                                           java_script_enabled=javascript)
        self.page = self.context.new_page()
        self.console, self.requests = [], []
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.console.append(("pageerror", str(e))))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)
        if javascript:
            self.page.wait_for_selector("body[data-charts=ready]", timeout=60_000)

    def errors(self):
        return [m for m in self.console if m[0] in ("error", "pageerror")]

    def foreign_requests(self):
        return [u for u in self.requests if u != self.url]

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, report_file):
    v = Visit(browser, report_file)
    yield v
    v.close()


def _chart_marks(page):
    """Per chart container: its state, and the drawn marks' paths with a non-empty box."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('[data-chart]')).map(el => {
        const svg = el.querySelector('svg.marks');
        const marks = svg ? Array.from(svg.querySelectorAll('.role-mark path, .role-mark line'))
            .filter(m => { const b = m.getBBox(); return b.width > 0 || b.height > 0; }) : [];
        return [el.dataset.chart, el.dataset.rendered || '', marks.length];
    })""")


def test_opens_offline_without_errors_and_draws_every_chart(visit, tmp_path):
    charts = _chart_marks(visit.page)
    assert len(charts) >= 4
    assert all(state == "true" and n > 0 for _, state, n in charts), charts
    assert visit.errors() == []
    assert visit.foreign_requests() == []
    shot = tmp_path / "report.png"
    visit.page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def _visible_rows(page) -> int:
    return page.locator("#claims tbody tr:visible").count()


def test_filters_change_the_visible_rows_and_work_from_the_keyboard(visit):
    page = visit.page
    total = page.locator("#claims tbody tr").count()
    assert _visible_rows(page) == total > 1
    claims = page.locator("#filter-claim option").all_inner_texts()[1:]
    assert len(claims) > 1
    page.select_option("#filter-claim", label=claims[0])
    shown = _visible_rows(page)
    assert 0 < shown < total
    assert page.locator("#claims-count").inner_text() == f"{shown} of {total} rows shown"
    assert set(page.locator("#claims tbody tr:visible").evaluate_all(
        "rows => rows.map(r => r.dataset.claim)")) == {claims[0]}
    page.click("button[type=reset]")
    page.wait_for_function(f"document.querySelectorAll('#claims tbody tr:not([hidden])').length == {total}")
    # Keyboard only: Tab reaches the data-set filter, arrow keys change it.
    page.focus("#filter-claim")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "filter-dataset"
    page.keyboard.press("ArrowDown")
    page.wait_for_function("document.getElementById('filter-dataset').value !== ''")
    chosen = page.eval_on_selector("#filter-dataset", "e => e.value")
    rows = page.locator("#claims tbody tr:visible").evaluate_all("rows => rows.map(r => r.dataset.dataset)")
    assert rows and set(rows) == {chosen}


def test_hover_shows_exact_values_and_the_legend_toggles_series(visit):
    page = visit.page
    figure = page.locator("[data-chart^='fig-flips']").first
    figure.scroll_into_view_if_needed()
    point = figure.locator(".role-mark path").nth(3)
    point.hover(force=True)
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible", timeout=5_000)
    text = tooltip.inner_text()
    assert "EqOd" in text or "error" in text
    assert any(ch.isdigit() for ch in text)
    entries = figure.locator(".role-legend-symbol path")

    def opacities():
        return figure.locator(".mark-line path").evaluate_all(
            "ps => ps.map(p => Number(p.getAttribute('opacity') ?? 1))")

    before = opacities()
    entries.first.click(force=True)
    page.wait_for_function("""el => Array.from(el.querySelectorAll('.mark-line path'))
        .some(p => Number(p.getAttribute('opacity') ?? 1) < 0.5)""", arg=figure.element_handle())
    after = opacities()
    assert min(before) == 1 and min(after) < 0.5 and max(after) == 1


def test_readable_without_javascript(browser, report_file):
    v = Visit(browser, report_file, javascript=False)
    try:
        page = v.page
        images = page.locator("img.static-chart")
        assert images.count() == page.locator("[data-chart]").count() >= 4
        widths = images.evaluate_all("imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)")
        assert all(w > 100 for w in widths), widths
        assert page.locator("#claims tbody tr:visible").count() == page.locator("#claims tbody tr").count()
        assert not page.locator("#claim-filters").is_visible()  # useless without scripts
        assert v.foreign_requests() == [] and v.errors() == []
    finally:
        v.close()


@pytest.mark.slow
def test_reproduce_quick_writes_a_report_that_renders(browser, quick_reproduction, tmp_path):
    # quick_reproduction: the session's one run (tests/conftest.py)
    report = quick_reproduction / "report.html"
    assert report.is_file()
    v = Visit(browser, report)
    try:
        charts = _chart_marks(v.page)
        # four data sets with size, flips, knowledge and Pareto charts, the toy example
        assert len(charts) >= 12 and all(s == "true" and n > 0 for _, s, n in charts), charts
        assert v.errors() == [] and v.foreign_requests() == []
        assert v.page.locator("#claims tbody tr").count() > 20
        # studies beyond the paper get their charts when reproduce wrote their results
        anchors = {a for a, _, _ in charts}
        if (quick_reproduction / "audits.duckdb").exists():
            assert any(a.startswith("fig-audit-caught-") for a in anchors)
        if list(quick_reproduction.glob("groups_*.csv")):
            assert any(a.startswith("fig-groups-") for a in anchors)
        v.page.screenshot(path=str(tmp_path / "reproduce-report.png"))
    finally:
        v.close()
