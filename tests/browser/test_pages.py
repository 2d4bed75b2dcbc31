"""Every page of the site, in Chromium: no request to any host but the test server, no console error,
no uncaught exception, no failed local request."""

from __future__ import annotations

import browserkit as bk

# the search index is fetched after the page has loaded: wait for it, so that its failure would show
INDEX_LOADED = """() => performance.getEntriesByType('resource')
  .some(e => e.name.includes('/search/search_index.json') && e.responseEnd > 0)"""


def test_search_index_loads_cleanly(search_page, server, watch):
    """The real index of each language (the other tests' pages get an empty one, see conftest.py)."""
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


def test_every_page_loads_cleanly(page, server, site, watch):
    problems: dict[str, list[str]] = {}
    paths = bk.html_pages(site)
    assert len(paths) > 20
    for path in paths:
        watch.clear()
        response = page.goto(server.url + path, wait_until="load")
        status = response.status if response else 0
        if path.endswith("404.html"):
            assert status == 200
        elif status != 200:
            problems[path] = [f"HTTP {status}"]
            continue
        if page.locator("input.md-search__input").count():
            page.wait_for_function(INDEX_LOADED, timeout=15000)
        found = [f"request to another host: {u}" for u in watch.external] + list(watch.errors)
        if found:
            problems[path] = found
    report = "\n".join(f"{p}:\n  " + "\n  ".join(v) for p, v in problems.items())
    (bk.ARTIFACTS / "page-loads.txt").parent.mkdir(exist_ok=True)
    (bk.ARTIFACTS / "page-loads.txt").write_text(f"{len(paths)} pages loaded\n{report}\n", encoding="utf-8")
    assert not problems, f"{len(problems)} of {len(paths)} pages:\n{report[:6000]}"
