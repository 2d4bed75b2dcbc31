"""Search in Chromium: typed into mkdocs-material's search box, read from its result list; and the
whole query set through the browser's own worker, compared with the Node run of
tests/test_search_quality.py (the two must agree: same code, same index)."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import browserkit as bk

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import test_search_quality as quality  # noqa: E402

CP = "/interventional-hcc/clinical-progress/"
CASES = [
    # (site language, query, a location the result list must show, within the first N result items)
    ("zh", "仑伐替尼", "/ici-hcc/combination-therapy/#4-2-2-icis-combined-with-tkis-acting-mainly-against-vegfr", 10),
    ("zh", "仑伐替尼", "/regimens/lenvatinib/", 10),
    ("zh", "经动脉化疗栓塞", "/ici-hcc/combination-therapy/#4-4-1-transarterial-chemoembolization-tace", 10),
    ("zh", "lenvatinib", "/regimens/lenvatinib/", 3),
    ("en", "lenvatinib", "/regimens/lenvatinib/", 3),
    ("en", "lenvatinib", "/ici-hcc/combination-therapy/#4-2-2-icis-combined-with-tkis-acting-mainly-against-vegfr", 10),
    ("zh", "HAIC", CP + "#4-3-advances-in-hepatic-arterial-infusion-chemotherapy-haic-combined-with-targeted-therapy-"
     "and-immunotherapy", 5),
    ("en", "HAIC", CP + "#4-3-advances-in-hepatic-arterial-infusion-chemotherapy-haic-combined-with-targeted-therapy-"
     "and-immunotherapy", 5),
    ("zh", "LEAP-012", "/trials/leap-012/", 3),
    ("en", "LEAP-012", "/trials/leap-012/", 3),
    ("zh", "LEAP-012", CP + "#4-2-sequencing-and-treatment-windows-in-interventional-therapy-combined-with-targeted-"
     "therapy-and-immunotherapy", 10),
    ("en", "LEAP-012", CP + "#4-2-sequencing-and-treatment-windows-in-interventional-therapy-combined-with-targeted-"
     "therapy-and-immunotherapy", 10),
]
CASES.sort(key=lambda c: c[0] != "zh")  # one language after the other: the page keeps its index


def search(page, server, lang: str, query: str) -> list[list[str]]:
    """Type ``query`` into the search box of a page of ``lang``; the result items, each the list of its
    links (path#anchor, without the highlight parameter)."""
    box = page.locator("input.md-search__input")
    if not page.url.startswith(server.url + f"/{lang}/"):
        bk.visit(page, server.url + f"/{lang}/")
    box.click()
    box.press("Control+a")
    box.press("Backspace")  # material reads the query on keyup: an empty query empties the list
    page.wait_for_function("() => !document.querySelector('.md-search-result__item')")
    box.press_sequentially(query, delay=20)
    box.press("End")  # Chinese is inserted without key events (as by an input method); its commit key is one
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length > 0", timeout=20000)
    stable = None
    for _ in range(40):  # until the list no longer changes (the answer to the last keystroke)
        now = page.evaluate("() => document.querySelector('.md-search-result__list').innerHTML")
        if now == stable:
            break
        stable = now
        page.wait_for_timeout(250)
    items = page.evaluate("""() => [...document.querySelectorAll('.md-search-result__item')].map(li =>
        [...li.querySelectorAll('a.md-search-result__link')].map(a => a.href))""")
    prefix = urlsplit(server.url).path
    out = []
    for links in items:
        row = []
        for href in links:
            u = urlsplit(href)
            assert f"{u.scheme}://{u.netloc}" == server.origin and u.path.startswith(prefix + "/"), href
            row.append(u.path[len(prefix):] + (f"#{u.fragment}" if u.fragment else ""))
        out.append(row)
    return out


@pytest.mark.parametrize("lang, query, want, within", CASES, ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_search_box_finds_the_right_section(search_page, search_server, lang, query, want, within):
    server = search_server
    page = search_page
    items = search(page, server, lang, query)
    assert items, f"no results for {query!r}"
    for links in items:  # the right language only
        assert all(link.startswith(f"/{lang}/") for link in links), links
    found = [i for i, links in enumerate(items) if f"/{lang}{want}" in links]
    assert found and found[0] < within, (f"{query!r} on /{lang}/: {want} not among the first {within} results; "
                                          f"first: {[links[0] for links in items[:within]]}")
    # the result opens the section
    link = page.locator(f".md-search-result__item a.md-search-result__link[href*='{want.split('#')[0]}']").first
    assert link.count() == 1


def test_search_result_opens_the_section(search_page, search_server):
    server = search_server
    page = search_page
    items = search(page, server, "zh", "化疗栓塞")
    assert items
    first = page.locator(".md-search-result__item a.md-search-result__link").first
    href = first.get_attribute("href")
    with page.expect_navigation():
        first.click()
    assert page.url.startswith(server.url + "/zh/") and page.locator("article h1").count() == 1, href


BROWSER_WORKER = """async ({worker, index, queries}) => {
  const data = await (await fetch(index)).json();
  const w = new Worker(worker);
  const ask = message => new Promise(resolve => { w.onmessage = ev => resolve(ev.data); w.postMessage(message); });
  const ready = await ask({type: 0, data: {config: data.config, docs: data.docs, options: {suggest: false}}});
  if (ready.type !== 1) throw new Error('worker not ready');
  const out = [];
  for (const q of queries) {
    const r = await ask({type: 2, data: q});
    out.push(r.data.items.map(group => group.map(doc => doc.location)));
  }
  w.terminate();
  return out;
}"""


def test_browser_worker_agrees_with_the_node_run(search_page, search_server, site):
    server = search_server
    page = search_page
    """The recall figures of test_search_quality.py come from Node; Chromium must rank the same."""
    queries = quality.load_queries()
    bk.visit(page, server.url + "/en/")
    worker = server.url + "/" + quality.worker_script(site).relative_to(site).as_posix()
    for lang in ("zh", "en"):
        mine = [q.q for q in queries if q.site == lang]
        in_browser = page.evaluate(BROWSER_WORKER, {"worker": worker, "index": f"{server.url}/{lang}/search/search_index.json",
                                                    "queries": mine})
        in_node = quality.run_worker(site, lang, mine)
        for q, b, n in zip(mine, in_browser, in_node):
            top_b = [g[0] for g in b[:quality.TOP]]
            top_n = [g[0] for g in n[:quality.TOP]]
            assert top_b == top_n, f"{lang} {q!r}: browser {top_b} != node {top_n}"
