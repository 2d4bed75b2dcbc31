"""Every page of the site, in Chromium: no request to any host but the test server, no console error,
no uncaught exception, no failed local request."""

from __future__ import annotations

import browserkit as bk

# the search index is fetched after the page has loaded: wait for it, so that its failure would show
INDEX_LOADED = """() => performance.getEntriesByType('resource')
  .some(e => e.name.includes('/search/search_index.json') && e.responseEnd > 0)"""


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
