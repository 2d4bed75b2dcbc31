"""Issue 21, items 4-7, read in Chromium at 390 and 1280 px: tables (one scrolling box each, reached and
scrolled by keyboard, named; every value readable on a phone; every column in print; no word broken inside),
charts (text of 11 CSS px at least, no label cut at the drawing's edge), citations (24 x 24 px targets, the
card's links reachable with Tab, backlinks on a section's own list) and accessibility (the skip link, the
abbreviations, tooltips, Chinese typography). Screenshots go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest

import browserkit as bk
from browserkit import kind_path

WIDTHS = {"phone": bk.PHONE, "desktop": bk.DESKTOP}
SECTION = "section"  # /{lang}/ici-hcc/combination-therapy/: a records table, charts, citations


def shot(page, name: str) -> None:
    bk.ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(bk.ARTIFACTS / f"reader-{name}.png"), full_page=False)


def open_at(page, server, path: str, size: dict) -> None:
    page.set_viewport_size(size)
    bk.visit(page, server.url + path)
    page.wait_for_load_state("networkidle")


def chart_pages(site: Path) -> list[str]:
    """Every page that draws a chart, both languages."""
    out = []
    for lang in ("zh", "en"):
        for f in sorted((site / lang).rglob("index.html")):
            if 'class="chart ' in f.read_text(encoding="utf-8"):
                out.append("/" + f.parent.relative_to(site).as_posix() + "/")
    return out


# ---- 4. Tables --------------------------------------------------------------------------------------------

SCROLL_BOXES = """() => [...document.querySelectorAll('.md-content table')].map(t => {
  const boxes = [];
  for (let el = t; el && !el.classList.contains('md-content'); el = el.parentElement) {
    const o = getComputedStyle(el).overflowX;
    if (o === 'auto' || o === 'scroll') boxes.push(el);
  }
  const b = boxes[0];
  return {n: boxes.length, tabindex: b ? b.getAttribute('tabindex') : null, role: b ? b.getAttribute('role') : null,
          label: b ? (b.getAttribute('aria-label') || '').trim() : ''};
})"""


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", ["section", "glossary", "trial-index", "trial", "editor-notes"])
def test_each_table_scrolls_in_one_named_keyboard_box(page, server, require_kind, kind, lang):
    require_kind(kind, lang)
    open_at(page, server, kind_path(kind, lang), bk.DESKTOP)
    tables = page.evaluate(SCROLL_BOXES)
    assert tables, "the page has tables"
    for i, t in enumerate(tables):
        assert t["n"] == 1, f"table {i}: {t['n']} scrolling boxes around it (one expected)"
        assert t["tabindex"] == "0" and t["role"] == "region" and t["label"], f"table {i}: {t}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_keyboard_scrolls_a_wide_table_to_its_last_column_with_the_first_in_view(page, server, require_kind, lang):
    require_kind(SECTION, lang)
    open_at(page, server, kind_path(SECTION, lang), {"width": 800, "height": 800})
    box = page.locator(".md-content .records-table").first
    wide = box.evaluate("b => b.scrollWidth > b.clientWidth + 1")
    if not wide:
        pytest.skip("the table fits at 800 px")
    box.focus()
    for _ in range(80):
        page.keyboard.press("ArrowRight")
    state = box.evaluate("""b => { const first = b.querySelector('tbody tr > :first-child').getBoundingClientRect();
        const last = b.querySelector('tbody tr > :last-child').getBoundingClientRect();
        const r = b.getBoundingClientRect();
        return {left: b.scrollLeft, max: b.scrollWidth - b.clientWidth, firstLeft: first.left, boxLeft: r.left,
                lastRight: last.right, boxRight: r.right}; }""")
    shot(page, f"table-scrolled-{lang}")
    assert state["left"] >= state["max"] - 1, state
    assert abs(state["firstLeft"] - state["boxLeft"]) <= 2, f"first column not sticky: {state}"
    assert state["lastRight"] <= state["boxRight"] + 1, state


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_value_of_a_records_table_is_readable_on_a_phone(page, server, require_kind, lang, scheme):
    require_kind(SECTION, lang)
    page.emulate_media(color_scheme=scheme)
    open_at(page, server, kind_path(SECTION, lang), bk.PHONE)
    cells = page.evaluate("""() => [...document.querySelectorAll('.md-content .records-table tbody :is(td, th)')]
      .map(c => { const r = c.getBoundingClientRect();
        return {left: r.left, right: r.right, w: r.width, label: getComputedStyle(c, '::before').content,
                td: c.tagName === 'TD', scroll: c.scrollWidth - c.clientWidth}; })""")
    assert cells
    width = page.evaluate("() => document.documentElement.clientWidth")
    for c in cells:
        assert c["w"] > 0 and c["left"] >= -1 and c["right"] <= width + 1, c
        assert c["scroll"] <= 1, c
        if c["td"]:
            assert c["label"] not in ("none", "normal", '""'), c
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    page.locator(".md-content .records-table").first.scroll_into_view_if_needed()
    shot(page, f"table-phone-{lang}-{scheme}")


TABLES_WIDER_THAN_THEIR_BOX = """() => [...document.querySelectorAll('.md-content table')].map(t => {
  const box = t.closest('.table-wrap') || t.parentElement;
  return {width: t.getBoundingClientRect().width, box: box.clientWidth, scroll: box.scrollWidth - box.clientWidth,
          cells: [...t.querySelectorAll('tbody :is(td, th)')].filter(c => c.scrollWidth > c.clientWidth + 1).length,
          caption: (box.getAttribute('aria-label') || '').slice(0, 40)};
}).filter(t => t.width > t.box + 1 || t.scroll > 1 || t.cells)"""


def first_page_with_results(site: Path, lang: str, kind: str) -> str | None:
    """The first trial (or regimen) page of the build with a results table."""
    for f in sorted((site / lang / kind).glob("*/index.html")):
        if 'class="table-wrap table-cards"' in f.read_text(encoding="utf-8"):
            return "/" + f.parent.relative_to(site).as_posix() + "/"
    return None


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", ["trial-index", "regimen-index", "drugs", "trial", "regimen", "trials-results",
                                  "regimens-results"])
def test_the_record_pages_tables_are_cards_on_a_phone(page, server, site, require_kind, kind, lang):
    """Issue 21: the indexes and a record page's results only scrolled sideways at 390 px."""
    if kind.endswith("-results"):
        path = first_page_with_results(site, lang, kind.removesuffix("-results"))
        if path is None:
            pytest.skip(f"no {kind} page in this build")
    else:
        require_kind(kind, lang)
        path = kind_path(kind, lang)
    open_at(page, server, path, bk.PHONE)
    if kind.endswith("-results"):
        page.locator(".md-content .table-cards").first.scroll_into_view_if_needed()
    assert page.evaluate("() => document.querySelectorAll('.md-content table').length")
    wide = page.evaluate(TABLES_WIDER_THAN_THEIR_BOX)
    labels = page.evaluate("""() => [...document.querySelectorAll('.md-content .table-cards tbody td')]
      .filter(c => ['none', 'normal', '""'].includes(getComputedStyle(c, '::before').content)).length""")
    width = page.evaluate("() => document.documentElement.clientWidth")
    shot(page, f"cards-{kind}-{lang}")
    assert wide == [], f"{path} at 390 px: tables wider than their box: {wide}"
    assert labels == 0, f"{labels} cells without their column's name"
    narrow = page.evaluate("""() => [...document.querySelectorAll('.md-content .table-cards tbody tr')]
      .filter(tr => tr.getBoundingClientRect().width < tr.closest('.table-wrap').clientWidth * 0.9).length""")
    assert narrow == 0, f"{narrow} cards narrower than their column (a table shrunk to fit)"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_filters_show_all_looks_like_a_button(page, server, require_kind, lang):
    """Issue 21: "显示全部"/"Show all" read as plain text: it has a border, a 24 px height, and fills on focus."""
    require_kind("trial-index", lang)
    open_at(page, server, kind_path("trial-index", lang), bk.DESKTOP)
    reset = page.locator(".records-filter button[type=reset]")
    style = reset.evaluate("""b => { const s = getComputedStyle(b), r = b.getBoundingClientRect();
        return {border: s.borderTopStyle, width: parseFloat(s.borderTopWidth), h: r.height, bg: s.backgroundColor}; }""")
    assert style["border"] == "solid" and style["width"] >= 1 and style["h"] >= 24, style
    reset.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    focused = reset.evaluate("b => getComputedStyle(b).backgroundColor")
    shot(page, f"filter-reset-{lang}")
    assert focused != style["bg"], "focus does not show on the button"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_print_shows_every_column(page, server, require_kind, lang):
    require_kind(SECTION, lang)
    open_at(page, server, kind_path(SECTION, lang), {"width": 720, "height": 1000})  # A4 less margins, at 96 dpi
    page.emulate_media(media="print")
    try:
        out = page.evaluate("""() => { const w = document.documentElement.clientWidth;
          return [...document.querySelectorAll('.md-content table')].flatMap(t => [...t.querySelectorAll('th, td')])
            .filter(c => c.getBoundingClientRect().right > w + 1).map(c => c.textContent.slice(0, 30)); }""")
    finally:
        page.emulate_media(media="screen")
    assert out == [], f"cut off in print: {out[:5]}"


WORDS_BROKEN = """sel => { const broken = [];
  for (const root of document.querySelectorAll(sel)) {
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (!n.parentElement.getClientRects().length) continue;
      for (const m of n.data.matchAll(/[A-Za-z]{4,}/g)) {
        const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
        const tops = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken; }"""


@pytest.mark.parametrize("width", ["phone", "desktop"])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", ["section", "parallel", "glossary"])
def test_no_word_is_broken_inside(page, server, require_kind, kind, lang, width):
    require_kind(kind, lang)
    open_at(page, server, kind_path(kind, lang), WIDTHS[width])
    # a card table's header row is read by screen readers only (a 1 px box): its words are not laid out to be read
    broken = page.evaluate(WORDS_BROKEN, ".md-content .table-wrap:not(.table-cards) table, .md-content .table-cards "
                                         "tbody, .md-content .pair-cell")
    shot(page, f"words-{kind}-{lang}-{width}")
    assert broken == [], f"{kind_path(kind, lang)} at {width}: words broken across lines: {broken[:10]}"


# ---- 5. Charts --------------------------------------------------------------------------------------------
# Each chart is drawn twice, wide (labels left of the plot) and narrow (labels above it); the stylesheet shows
# the one that fits its column (generator/site/charts.py, site.css "5. Charts").

CHART_TEXT = """() => [...document.querySelectorAll('figure.chart svg')].filter(svg => svg.getClientRects().length)
  .flatMap(svg => {
  const vb = svg.viewBox.baseVal, scale = svg.getBoundingClientRect().width / vb.width;
  return [...svg.querySelectorAll('text')].map(t => { const b = t.getBBox();
    return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale,
            x0: b.x, x1: b.x + b.width, y0: b.y, y1: b.y + b.height, w: vb.width, h: vb.height}; });
})"""

# every figure: which of its drawings are shown, and whether the shown one fits its column without scrolling
CHART_FIT = """() => [...document.querySelectorAll('figure.chart')].map(f => {
  const shown = [...f.querySelectorAll(':scope > .chart-wide, :scope > .chart-narrow')].filter(d => d.getClientRects().length);
  const d = shown[0], svg = d && d.querySelector('svg');
  const hint = f.querySelector(':scope > .chart-hint');
  return {kind: f.className, shown: shown.map(x => x.classList.contains('chart-wide') ? 'wide' : 'narrow'),
          svg: svg ? svg.getBoundingClientRect().width : 0, column: f.clientWidth,
          scrolls: d ? d.scrollWidth > d.clientWidth + 1 : false,
          hint: !!(hint && hint.getClientRects().length),
          ids: [...f.querySelectorAll('[id]')].map(e => e.id)};
})"""

MUST_HAVE_CHARTS = {"/en/trials/checkmate-459/": "chart-forest", "/zh/trials/checkmate-459/": "chart-forest",
                    "/en/ici-hcc/combination-therapy/": "chart-forest", "/zh/ici-hcc/combination-therapy/": "chart-forest",
                    # no regimen page draws a timeline: a review's section and a trial page do
                    "/en/interventional-hcc/clinical-progress/": "chart-timeline",
                    "/zh/interventional-hcc/clinical-progress/": "chart-timeline",
                    "/en/trials/leap-012/": "chart-timeline", "/zh/trials/leap-012/": "chart-timeline",
                    "/en/regimens/lenvatinib-pembrolizumab/": "chart-forest",
                    "/zh/regimens/lenvatinib-pembrolizumab/": "chart-forest"}


def test_the_chart_pages_include_a_trial_sections_with_forest_and_timeline_charts_and_a_regimen(site):
    pages = chart_pages(site)
    for path, kind in MUST_HAVE_CHARTS.items():
        assert path in pages, path
        assert f"chart {kind}" in (site / path.strip("/") / "index.html").read_text(encoding="utf-8"), path


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_each_chart_shows_one_drawing_that_fits_its_column(page, server, site, width):
    """One drawing of each chart is shown, the other is display: none (out of the accessibility tree); it fits its
    column without scrolling sideways (at 390 px the narrow one; at 1280 px the wide one); their ids differ. A
    parallel view's half column may be narrower than the narrow drawing: it scrolls and says so (the hint)."""
    pages = chart_pages(site)
    if not pages:
        pytest.skip("no chart in this build")
    problems = []
    for path in pages:
        open_at(page, server, path, WIDTHS[width])
        for i, c in enumerate(page.evaluate(CHART_FIT)):
            where = f"{path} chart {i} ({c['kind']})"
            if len(c["shown"]) != 1:
                problems.append(f"{where}: {len(c['shown'])} drawings shown")
                continue
            if len(c["ids"]) != len(set(c["ids"])):
                problems.append(f"{where}: duplicate ids {c['ids']}")
            parallel = path.endswith("/parallel/")
            if parallel and c["column"] < c["svg"]:
                if not c["hint"]:
                    problems.append(f"{where}: the column is {c['column']} px, the chart scrolls without a hint")
                continue
            if c["scrolls"] or c["svg"] > c["column"] + 0.5 or c["hint"]:
                problems.append(f"{where}: {c['shown'][0]} drawing {c['svg']:.0f} px in a {c['column']} px column")
            if width == "desktop" and not parallel and c["shown"] != ["wide"]:
                problems.append(f"{where}: the narrow drawing at 1280 px")
            if width == "phone" and c["shown"] != ["narrow"]:
                problems.append(f"{where}: the wide drawing at 390 px")
    assert not problems, f"{len(problems)} problems, e.g. {problems[:6]}"


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_chart_text_is_11_px_at_least_and_never_cut_off(page, server, site, width):
    pages = chart_pages(site)
    if not pages:
        pytest.skip("no chart in this build")
    small, cut = [], []
    for path in pages:
        open_at(page, server, path, WIDTHS[width])
        for t in page.evaluate(CHART_TEXT):
            if t["px"] < 11 - 0.01:
                small.append((path, t["text"], round(t["px"], 1)))
            if t["x0"] < -0.5 or t["x1"] > t["w"] + 0.5 or t["y0"] < -0.5 or t["y1"] > t["h"] + 0.5:
                cut.append((path, t["text"], round(t["x0"]), round(t["x1"]), t["w"]))
    page.locator("figure.chart").first.scroll_into_view_if_needed()
    shot(page, f"chart-{width}")
    assert not small, f"{len(small)} chart texts under 11 px, e.g. {small[:5]}"
    assert not cut, f"{len(cut)} chart texts past the drawing's edge, e.g. {cut[:5]}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_checkmate_459_forest_chart_on_a_phone_shows_its_values_on_the_first_screen(page, dark_page, server, lang):
    """The reader's case: on a 390 px phone the chart's OS values were off to the right of a sideways-scrolling
    box. Each value is now inside the screen; screenshots in light and dark, and at 1280 px."""
    bk.ARTIFACTS.mkdir(exist_ok=True)
    for p, scheme in ((page, "light"), (dark_page, "dark")):
        open_at(p, server, f"/{lang}/trials/checkmate-459/", bk.PHONE)
        forest = p.locator("figure.chart-forest")
        forest.scroll_into_view_if_needed()
        drawing = forest.locator(".chart-narrow svg")
        assert drawing.is_visible() and not forest.locator(".chart-wide svg").is_visible()
        box = drawing.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= bk.PHONE["width"], box
        values = [v for v in drawing.locator("text").all_text_contents() if "14.7" in v or "16.4" in v]
        assert len(values) == 2, values
        forest.screenshot(path=str(bk.ARTIFACTS / f"reader-chart-checkmate-459-{lang}-390-{scheme}.png"))
    open_at(page, server, f"/{lang}/trials/checkmate-459/", bk.DESKTOP)
    forest = page.locator("figure.chart-forest")
    assert forest.locator(".chart-wide svg").is_visible()
    forest.screenshot(path=str(bk.ARTIFACTS / f"reader-chart-checkmate-459-{lang}-1280.png"))


# ---- 6. Citations -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("width", ["phone", "desktop"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_citation_targets_are_24_px_at_least(page, server, require_kind, lang, width):
    require_kind(SECTION, lang)
    open_at(page, server, kind_path(SECTION, lang), WIDTHS[width])
    sizes = page.evaluate("""() => [...document.querySelectorAll('.md-content .cite a, .md-content .ref-back a')]
      .map(a => { const r = a.getBoundingClientRect(); return [a.textContent, r.width, r.height]; })""")
    assert sizes
    small = [s for s in sizes if s[1] < 24 - 0.01 or s[2] < 24 - 0.01]
    assert not small, f"{len(small)} of {len(sizes)} targets under 24 x 24 px, e.g. {small[:5]}"


# The gap between the opening bracket and the first number of each citation, as drawn (the text's own boxes,
# not the 24 px targets): "[1]" reads tight, not "[ 1 ]".
BRACKET_GAPS = """() => [...document.querySelectorAll('.md-content .cite')].map(c => {
  const a = c.querySelector('a'); if (!a || !c.firstChild || c.firstChild.nodeType !== 3) return null;
  const digits = document.createRange(); digits.selectNodeContents(a);
  const bracket = document.createRange(); bracket.setStart(c.firstChild, 0); bracket.setEnd(c.firstChild, 1);
  const d = digits.getClientRects()[0], b = bracket.getClientRects()[0];
  return d && b && Math.abs(d.top - b.top) < 4 ? d.left - b.right : null;
}).filter(g => g !== null)"""


@pytest.mark.parametrize("width", ["phone", "desktop"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_citation_numbers_read_tight_within_their_brackets(page, server, require_kind, lang, width):
    require_kind(SECTION, lang)
    open_at(page, server, kind_path(SECTION, lang), WIDTHS[width])
    gaps = page.evaluate(BRACKET_GAPS)
    assert gaps
    wide = [g for g in gaps if g > 2]
    assert not wide, f"{len(wide)} of {len(gaps)} citations drawn '[ n ]', gaps {sorted(wide)[-5:]} px"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tab_reaches_the_links_of_a_citation_card(page, server, require_kind, lang):
    require_kind(SECTION, lang)
    open_at(page, server, kind_path(SECTION, lang), bk.DESKTOP)
    # a citation whose card has links (DOI, PubMed)
    index = page.evaluate("""() => [...document.querySelectorAll('.md-content .cite')].findIndex(c =>
        (c.getAttribute('data-refs') || '').split(' ').some(n => document.querySelector('#ref-' + n + ' .ref-links a')))""")
    if index < 0:
        pytest.skip("no citation with links on this page")
    cite = page.locator(".md-content .cite").nth(index)
    links = cite.locator("a")
    links.last.focus()
    page.wait_for_selector(".cite-card")
    in_card = page.evaluate("() => document.querySelectorAll('.cite-card a').length")
    assert in_card > 0
    for k in range(in_card):
        page.keyboard.press("Tab")
        where = page.evaluate("() => !!document.activeElement.closest('.cite-card')")
        assert where, f"Tab {k + 1} left the card"
    shot(page, f"cite-card-{lang}")
    page.keyboard.press("Tab")
    assert page.evaluate("() => !document.activeElement.closest('.cite-card')")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", ["section", "parallel", "landing", "trial", "regimen"])
def test_a_pages_own_reference_list_links_back_to_its_citations(page, server, require_kind, kind, lang):
    """Issue 21: the landing, trial and regimen pages' lists had no backlinks. A record page numbers the figures
    of its charts too: an entry cited by a chart alone has nothing to link back to."""
    require_kind(kind, lang)
    open_at(page, server, kind_path(kind, lang), bk.DESKTOP)
    entries = page.evaluate("""() => [...document.querySelectorAll('.md-content .reflist > li')].map(li =>
        [li.id, [...li.querySelectorAll('.ref-back a')].map(a => a.getAttribute('href')),
         !!document.querySelector('.md-content .cite[data-refs~="' + li.id.replace('ref-', '') + '"]')])""")
    assert entries
    for ref_id, hrefs, cited in entries:
        assert hrefs or not cited, f"#{ref_id} has no backlink"
        assert hrefs or kind in ("trial", "regimen"), f"#{ref_id} has no backlink"
        for h in hrefs:
            assert h.startswith("#") and page.evaluate("id => !!document.getElementById(id)", h[1:]), (ref_id, h)
            refs = page.evaluate("id => document.getElementById(id).closest('.cite').getAttribute('data-refs')", h[1:])
            assert ref_id.removeprefix("ref-") in refs.split(), (ref_id, h, refs)
    first = page.locator(".md-content .reflist .ref-back a").first
    href = first.get_attribute("href")
    first.click()
    page.wait_for_function("h => location.hash === h", arg=href)


# ---- 7. Accessibility -------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", sorted(set(bk.PAGE_KINDS) - {"search"}))
def test_skip_link_lands_at_the_start_of_the_main_content(page, server, require_kind, kind, lang):
    require_kind(kind, lang)
    open_at(page, server, kind_path(kind, lang), bk.DESKTOP)
    skip = page.locator("a.md-skip")
    assert skip.count() == 1
    target = skip.get_attribute("href")
    assert target.startswith("#")
    before = page.evaluate("""id => { const t = document.getElementById(id);
        const first = document.querySelector('.md-content article > :is(h1, p, form, .table-wrap, div)');
        return !!t && !!first && !!(t.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING)
          && !!t.closest('article'); }""", target[1:])
    assert before, f"{target} is not before the article's first content"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('md-skip')")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the next stop is inside the article, before its own first link or control
    inside = page.evaluate("() => !!document.activeElement.closest('article')")
    assert inside, page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_abbreviations_are_no_tab_stops_and_their_tooltip_fits_a_phone(page, server, require_kind, lang):
    require_kind(SECTION, lang)
    open_at(page, server, kind_path(SECTION, lang), bk.PHONE)
    stops = page.evaluate("() => [...document.querySelectorAll('abbr')].filter(a => a.tabIndex >= 0).length")
    assert stops == 0
    abbr = page.locator(".md-content p abbr[title]").first
    abbr.scroll_into_view_if_needed()
    abbr.click()
    tip = page.evaluate("""a => { const s = getComputedStyle(a, '::after');
        return {content: s.content, position: s.position, left: parseFloat(s.left), right: parseFloat(s.right),
                white: s.whiteSpace}; }""", abbr.element_handle())
    shot(page, f"abbr-tooltip-{lang}")
    assert tip["content"] not in ("none", "normal"), tip
    assert tip["position"] == "fixed" and tip["left"] >= 0 and tip["right"] >= 0 and tip["white"] == "normal", tip


@pytest.mark.parametrize("lang", ["zh"])
def test_chinese_is_not_justified_nor_slanted(page, server, require_kind, lang):
    """Justified Chinese letter-spaces a line that holds a long Latin name, on a phone and (reader re-try, the
    zh review landing's abstract) on a desktop: not justified at any width."""
    for kind, size in ((SECTION, bk.PHONE), ("landing", bk.DESKTOP)):
        require_kind(kind, lang)
        open_at(page, server, kind_path(kind, lang), size)
        justified = page.evaluate("""() => [...document.querySelectorAll('.md-content p:lang(zh-CN)')]
            .filter(p => getComputedStyle(p).textAlign === 'justify').length""")
        assert justified == 0, f"{kind}: {justified} justified paragraphs"
    for kind in ("section", "trial", "regimen"):
        open_at(page, server, kind_path(kind, lang), bk.DESKTOP)
        slanted = page.evaluate("""() => [...document.querySelectorAll('.md-content :lang(zh-CN)')]
            .filter(e => getComputedStyle(e).fontStyle !== 'normal' && /[\\u4e00-\\u9fff]/.test(
              [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join('')))
            .map(e => e.tagName + ': ' + e.textContent.slice(0, 20))""")
        assert slanted == [], f"{kind}: synthetic italic on Chinese: {slanted[:5]}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_glossary_fits_a_phone_screen(page, server, require_kind, lang):
    """Both lists of the glossary fit their boxes at 390 px, nothing scrolled out of sight: the abbreviations
    (three columns) as a table, the drugs (four columns) as cards."""
    require_kind("glossary", lang)
    open_at(page, server, kind_path("glossary", lang), bk.PHONE)
    sizes = page.evaluate("""() => [...document.querySelectorAll('.md-content table.glossary')].map(t =>
      ({table: t.getBoundingClientRect().width, box: t.closest('.table-wrap').clientWidth}))""")
    assert len(sizes) == 2 and all(s["table"] <= s["box"] + 0.5 for s in sizes), sizes


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_translation_status_table_fits_a_phone(page, server, lang):
    """Issue 21 (reader re-try): at 390 px the status table's last columns were cut off and its headers ran
    together; on a phone each section is a card with its four counts under their names."""
    open_at(page, server, f"/{lang}/translation-status/", bk.PHONE)
    assert page.evaluate("() => document.querySelectorAll('.md-content table.status-table').length")
    wide = page.evaluate(TABLES_WIDER_THAN_THEIR_BOX)
    unnamed = page.evaluate("""() => [...document.querySelectorAll('.md-content table.status-table tbody td')]
      .filter(c => ['none', 'normal', '""'].includes(getComputedStyle(c, '::before').content)).length""")
    broken = page.evaluate("""() => [...document.querySelectorAll('.md-content table.status-table tbody td')]
      .filter(c => c.scrollWidth > c.clientWidth + 1).length""")
    shot(page, f"status-{lang}")
    assert wide == [], f"status tables wider than their box at 390 px: {wide}"
    assert unnamed == 0, f"{unnamed} counts without their column's name"
    # a column's name is never broken inside a word ("Complet/e", reader re-try): it fits its cell whole
    assert broken == 0, f"{broken} counts whose column name does not fit its cell"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= bk.PHONE["width"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_sort_buttons_above_index_cards_are_a_labelled_row_of_buttons(page, server, require_kind, lang, scheme):
    """Issue 21 (reader re-try): above the cards the column names read as a loose grid of words. On a phone
    they follow the words "Sort by:" / "排序：" and each is a bordered button at least 24 px high."""
    require_kind("trial-index", lang)
    page.emulate_media(color_scheme=scheme)
    open_at(page, server, kind_path("trial-index", lang), bk.PHONE)
    heading = page.evaluate("""() => getComputedStyle(
      document.querySelector('.md-content table[data-records-index] thead tr'), '::before').content""")
    buttons = page.evaluate("""() => [...document.querySelectorAll('.md-content table[data-records-index] thead button')]
      .map(b => { const s = getComputedStyle(b), r = b.getBoundingClientRect();
                  return {text: b.textContent.trim(), border: s.borderTopStyle, h: r.height, right: r.right}; })""")
    shot(page, f"sort-row-{lang}-{scheme}")
    assert heading.strip('"') == ("排序：" if lang == "zh" else "Sort by:"), heading
    assert buttons and all(b["border"] == "solid" and b["h"] >= 24 for b in buttons), buttons
    assert max(b["right"] for b in buttons) <= bk.PHONE["width"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_table_wider_than_its_box_says_it_scrolls(page, server, require_kind, lang):
    """Reader re-try: at 1280 px the combination-therapy table hid its last columns with no sign that there were
    more (a desktop browser shows no scroll bar until the pointer is over the box). A hint from the catalog
    stands above a box that scrolls, until it is scrolled to its end; a table that fits has none."""
    require_kind(SECTION, lang)
    open_at(page, server, kind_path(SECTION, lang), bk.DESKTOP)
    boxes = page.evaluate("""() => [...document.querySelectorAll('.md-content .table-wrap')].map(b => ({
        wide: b.scrollWidth > b.clientWidth + 2,
        hint: b.previousElementSibling && b.previousElementSibling.matches('.scroll-hint') && !b.previousElementSibling.hidden
              ? b.previousElementSibling.textContent : null}))""")
    assert any(b["wide"] for b in boxes), "no table scrolls at 1280 px: this test needs one"
    words = "更多列：左右滑动查看 →" if lang == "zh" else "More columns: scroll sideways →"
    assert all((b["hint"] == words) if b["wide"] else b["hint"] is None for b in boxes), boxes
    box = page.locator(".md-content .table-wrap").nth(next(i for i, b in enumerate(boxes) if b["wide"]))
    shot(page, f"scroll-hint-{lang}")
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; b.dispatchEvent(new Event('scroll')); }")
    page.wait_for_timeout(100)
    assert box.evaluate("b => b.previousElementSibling.hidden"), "the hint stays after the table was scrolled to its end"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", ["trial-index", "regimen-index", "drugs"])
def test_an_index_table_keeps_the_themes_table_style_on_a_desktop(page, server, require_kind, kind, lang):
    """Reader re-try: once the sort script marked an index table with a class, it lost the theme's table style
    at 1280 px (mkdocs-material styles tables without a class): no row lines, 1 px padding, centred cells."""
    require_kind(kind, lang)
    open_at(page, server, kind_path(kind, lang), bk.DESKTOP)
    page.wait_for_selector(".md-content table[data-records-index] thead button")  # the script has run
    cell = page.evaluate("""() => { const td = document.querySelector('.md-content table[data-records-index] tbody td'),
        th = document.querySelector('.md-content table[data-records-index] tbody th'), s = getComputedStyle(td);
        return {pad: parseFloat(s.paddingLeft), line: parseFloat(s.borderTopWidth), align: getComputedStyle(th).textAlign,
                cls: document.querySelector('.md-content table[data-records-index]').className}; }""")
    assert cell["cls"] == "", cell
    assert cell["pad"] >= 8 and cell["line"] > 0 and cell["align"] in ("left", "start"), cell
