"""Layout in Chromium: screenshots of each kind of page (desktop and phone, both languages, and dark)
to test-artifacts/screenshots/; at 390 x 844 the page does not scroll sideways (test_pages.py checks
this on every page); dark mode renders."""

from __future__ import annotations

import pytest

import browserkit as bk
from browserkit import kind_path

SHOTS = bk.ARTIFACTS / "screenshots"
KINDS = ["home", "landing", "section", "parallel", "references", "editor-notes", "glossary", "bibliography",
         "trial-index", "trial", "regimen-index", "regimen", "drugs", "search"]

# Elements that stick out of the viewport and are not inside a box that scrolls sideways.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = el => { for (let e = el.parentElement; e; e = e.parentElement) {
      const s = getComputedStyle(e).overflowX; if (s === 'auto' || s === 'scroll' || s === 'hidden') return true; }
    return false; };
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (!r.width || r.right <= width + 1 || scrolls(el)) continue;
    if (getComputedStyle(el).position === 'fixed') continue;
    out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
             (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '') +
             ' right=' + Math.round(r.right));
    if (out.length > 8) break;
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, out};
}"""

WIDE_TABLES = """() => [...document.querySelectorAll('article table')].filter(t => t.scrollWidth > t.parentElement.clientWidth + 1)
  .map(t => { let e = t; while (e && !['auto', 'scroll'].includes(getComputedStyle(e).overflowX)) e = e.parentElement;
              return {table: t.id || t.className || 'table', box: e ? (e.className || e.tagName) : null}; })"""


def open_kind(page, server, kind: str, lang: str) -> None:
    bk.visit(page, server.url + kind_path(kind, lang))
    if kind == "search":
        page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length > 0",
                               timeout=20000)
        page.wait_for_timeout(300)
    page.wait_for_load_state("networkidle")


def resize(page, size, server=None, kind: str = "", lang: str = "") -> None:
    """Resize the page in place; give its scripts (which follow resizes with a delay) time to settle.
    An open search dialog is loaded again at the new size: mkdocs-material's search overlay (a circle
    scaled up to cover the screen) keeps the size it had before a resize and would widen the page,
    which no reader on a phone sees."""
    page.set_viewport_size(size)
    if kind == "search":
        open_kind(page, server, kind, lang)
    try:
        page.wait_for_function("() => document.documentElement.scrollWidth <= "
                               "document.documentElement.clientWidth + 1", timeout=3000)
    except Exception:  # noqa: BLE001 - the assertion after this reports it
        pass
    page.wait_for_timeout(100)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_phone_width_and_screenshots(request, server, require_kind, kind, lang):
    require_kind(kind, lang)
    page = request.getfixturevalue("search_page" if kind == "search" else "page")
    if kind == "search":
        server = request.getfixturevalue("search_server")
    page.set_viewport_size(bk.DESKTOP)
    open_kind(page, server, kind, lang)
    shot(page, f"{kind}-{lang}-desktop")
    resize(page, bk.PHONE, server, kind, lang)  # the same page, resized (the layout is CSS)
    result = page.evaluate(OVERFLOW)
    shot(page, f"{kind}-{lang}-phone")
    assert result["scrollWidth"] <= result["width"] + 1, f"{kind_path(kind, lang)} scrolls sideways: {result}"
    for table in page.evaluate(WIDE_TABLES):
        assert table["box"], f"a wide table outside a scrolling box: {table}"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", ["section", "parallel", "trial-index", "trial", "search"])
def test_dark_mode(dark_page, request, server, require_kind, kind, lang):
    require_kind(kind, lang)
    page = dark_page
    if kind == "search":
        server = request.getfixturevalue("search_server")
    page.set_viewport_size(bk.DESKTOP)
    open_kind(page, server, kind, lang)
    assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == "slate"
    colours = page.evaluate("""() => {
      const lum = c => { const [r, g, b] = c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255; };
      const bg = getComputedStyle(document.body).backgroundColor;
      const fg = getComputedStyle(document.querySelector('article') || document.body).color;
      return {bg: lum(bg), fg: lum(fg)};
    }""")
    assert colours["bg"] < 0.25 and colours["fg"] > 0.6, colours
    shot(page, f"{kind}-{lang}-dark")
    resize(page, bk.PHONE, server, kind, lang)
    shot(page, f"{kind}-{lang}-dark-phone")
    result = page.evaluate(OVERFLOW)
    assert result["scrollWidth"] <= result["width"] + 1, result


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_open_drawer_is_closed_again_on_returning_to_a_page(page, server, lang):
    """The generator removes mkdocs-material's autocomplete="off" from its drawer and search toggles (not
    valid on a checkbox); site.js keeps what it was for: a browser restores the state of form controls when
    the reader goes back to a page, which must not bring the page back with the navigation drawer open."""
    page.set_viewport_size(bk.PHONE)
    bk.visit(page, server.url + kind_path("section", lang))
    assert page.get_attribute("#__drawer", "autocomplete") is None
    page.click("label.md-header__button[for='__drawer']")
    page.wait_for_function("() => document.getElementById('__drawer').checked")
    bk.visit(page, server.url + kind_path("glossary", lang))
    page.go_back()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => document.getElementById('__drawer').checked") is False
    drawer = page.evaluate("() => document.querySelector('.md-sidebar--primary').getBoundingClientRect().right")
    assert drawer <= 1, "the navigation drawer is open after going back"
