"""Every page of the site, in Chromium at phone size (390 x 844): no request to any host but the test
server, no console error, no uncaught exception, no failed local request, and nothing that makes the
page scroll sideways (wide tables scroll inside their own box). Report: test-artifacts/page-loads.txt."""

from __future__ import annotations

import browserkit as bk

# the search index is fetched after the page has loaded: wait for it, so that its failure would show
INDEX_LOADED = """() => !document.querySelector('input.md-search__input') || performance.getEntriesByType('resource')
  .some(e => e.name.includes('/search/search_index.json') && e.responseEnd > 0)"""

# Sideways scrolling, and wide tables outside a box that scrolls.
LAYOUT = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
  const tables = [...document.querySelectorAll('article table')].filter(t => {
    if (t.scrollWidth <= t.parentElement.clientWidth + 1) return false;
    for (let e = t; e; e = e.parentElement) if (scrolls(e)) return false;
    return true;
  }).map(t => t.id || t.className || 'table');
  return {scrollWidth: document.documentElement.scrollWidth, width, tables};
}"""


def test_search_index_loads_cleanly(search_page, search_server, search_watch):
    """The real index of each language (the other tests' server has empty ones, see conftest.py)."""
    server, watch = search_server, search_watch
    for lang in ("zh", "en"):
        watch.clear()
        bk.visit(search_page, server.url + f"/{lang}/")
        search_page.wait_for_function(INDEX_LOADED, timeout=15000)
        box = search_page.locator("input.md-search__input")
        box.click()
        box.press_sequentially("HCC", delay=20)
        search_page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length > 0",
                                      timeout=20000)
        found = [f"request to another host: {u}" for u in watch.external] + list(watch.errors)
        assert not found, found


def check(page, watch: bk.Watch) -> list[str]:
    page.wait_for_function(INDEX_LOADED, timeout=15000)
    found = [f"request to another host: {u}" for u in watch.external] + list(watch.errors)
    layout = page.evaluate(LAYOUT)
    if layout["scrollWidth"] > layout["width"] + 1:
        found.append(f"scrolls sideways at {layout['width']} px: {layout['scrollWidth']} px wide")
    found += [f"wide table outside a scrolling box: {t}" for t in layout["tables"]]
    return found


def test_every_page_loads_cleanly_at_phone_size(browser, server, site):
    """One tab: on two cores, pages loaded side by side in several tabs took longer."""
    paths = bk.html_pages(site)
    assert len(paths) > 20
    watch = bk.Watch(server.origin)
    context = browser.new_context(viewport=bk.PHONE, locale="en-US")
    watch.attach_context(context)
    page = bk.open_page(context, watch)
    problems: dict[str, list[str]] = {}
    try:
        for path in paths:
            watch.clear()
            response = page.goto(server.url + path, wait_until="load")
            if response is None or response.status != 200:
                problems[path] = [f"HTTP {response.status if response else '?'}"]
                continue
            found = check(page, watch)
            if found:
                problems[path] = found
    finally:
        context.close()
    report = "\n".join(f"{p}:\n  " + "\n  ".join(v) for p, v in problems.items())
    bk.ARTIFACTS.mkdir(exist_ok=True)
    (bk.ARTIFACTS / "page-loads.txt").write_text(f"{len(paths)} pages loaded at 390 x 844\n{report}\n",
                                                 encoding="utf-8")
    assert not problems, f"{len(problems)} of {len(paths)} pages:\n{report[:6000]}"
