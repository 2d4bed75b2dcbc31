"""Search in Chromium: typed into mkdocs-material's search box, read from its result list (the examples of
issue 20 on both language sites and the root page); and the whole query set through the browser's own
worker, compared with the Node run of tests/test_search_quality.py (the two must agree: same code, same
index)."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import browserkit as bk

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import searcheval as quality  # noqa: E402

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


def search(page, server, lang: str, query: str, *, typed: bool = True) -> list[list[str]]:
    """Type ``query`` into the search box of a page of ``lang`` ('root': the root page); the result items,
    each the list of its links (path#anchor, without the highlight parameter). ``typed``: key by key, else
    pasted at once."""
    box = page.locator("input.md-search__input")
    home = server.url + ("/" if lang == "root" else f"/{lang}/")
    if (page.url != home) if lang == "root" else not page.url.startswith(home):
        bk.visit(page, home)
    box.click()
    box.press("Control+a")
    box.press("Backspace")  # material reads the query on keyup: an empty query empties the list
    page.wait_for_function("() => !document.querySelector('.md-search-result__item')")
    if typed:
        box.press_sequentially(query, delay=20)
    else:
        box.fill(query)
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
  const w = new Worker(worker);  // the site's worker: it loads mkdocs-material's, and the root page's indexes
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
    worker = server.url + "/assets/javascripts/workers/hcc-search.js"
    for lang in quality.SITES:
        mine = [q.q for q in queries if q.site == lang]
        index = quality.index_path(site, lang).relative_to(site).as_posix()
        in_browser = page.evaluate(BROWSER_WORKER, {"worker": worker, "index": f"{server.url}/{index}", "queries": mine})
        in_node = [quality.locations(r) for r in quality.run_worker(site, lang, mine)]
        for q, b, n in zip(mine, in_browser, in_node):
            top_b = [g[0] for g in b[:quality.TOP]]
            top_n = [g[0] for g in n[:quality.TOP]]
            assert top_b == top_n, f"{lang} {q!r}: browser {top_b} != node {top_n}"


# ---------------------------------------------------------------------------------------------------------------
# Issue 20: what a clinician types, in the real search dialog of both language sites and of the root page
# ---------------------------------------------------------------------------------------------------------------

TACE = ("ici-hcc/combination-therapy/#4-4-1-transarterial-chemoembolization-tace",
        "interventional-hcc/clinical-progress/#4-1-advances-in-transarterial-chemoembolization-tace-combined-with-"
        "targeted-therapy-and-immunotherapy", "regimens/tace/")
PVTT = ("interventional-hcc/clinical-progress/#4-3-advances-in-hepatic-arterial-infusion-chemotherapy-haic-combined-"
        "with-targeted-therapy-and-immunotherapy", "interventional-hcc/background/", "interventional-hcc/introduction/",
        "interventional-hcc/conversion/", "interventional-hcc/patient-selection/")
ISSUE_EXAMPLES = {
    # query: the locations (relative to a language root) one of which the first result item must show
    "阿替利珠单抗联合贝伐珠单抗": ("regimens/atezolizumab-bevacizumab/",),
    "仑伐替尼联合帕博利珠单抗": ("regimens/lenvatinib-pembrolizumab/",),
    "肝动脉灌注化疗联合仑伐替尼": (PVTT[0], "interventional-hcc/clinical-progress/#haic-table",
                                   "regimens/haic-lenvatinib-pd1/"),
    "经导管动脉化疗栓塞": TACE,
    "索拉非尼耐药": ("regimens/sorafenib/", "ici-hcc/ici-monotherapy/#2-1-pd-1-pd-l1-axis-inhibitors",
                     "ici-hcc/combination-therapy/#4-1-combinations-of-icis"),
    "EMERALD-1": ("trials/emerald-1/",),
    "checkmate459": ("trials/checkmate-459/",),
    "CHANCE2416": ("trials/chance-2416/",),
    "PVTT": PVTT,
    "STRIDE": ("regimens/tremelimumab-durvalumab/",),
    "A+T": ("regimens/atezolizumab-bevacizumab/",),
    "atezo bev": ("regimens/atezolizumab-bevacizumab/",),
    "阿替利珠单抗": ("regimens/atezolizumab/",),
    "门静脉癌栓": PVTT,
}
ISSUE_CASES = [(where, q) for where in ("zh", "en", "root") for q in ISSUE_EXAMPLES]


def relevant_first(items: list[list[str]], site: str, wanted: tuple[str, ...]) -> bool:
    """Whether the first result item shows one of ``wanted`` (on the root page: in either language)."""
    langs = ("zh", "en") if site == "root" else (site,)
    return bool(items) and any(f"/{lang}/{want}" in items[0] for lang in langs for want in wanted)


@pytest.mark.parametrize("where, query", ISSUE_CASES, ids=[f"{w}-{i}" for i, (w, _) in enumerate(ISSUE_CASES)])
def test_issue_20_examples_give_a_relevant_first_result(search_page, search_server, where, query):
    items = search(search_page, search_server, where, query, typed=False)
    assert relevant_first(items, where, ISSUE_EXAMPLES[query]), (
        f"{query!r} on {where}: first item {items[0] if items else None}, wanted one of {ISSUE_EXAMPLES[query]}")
    if where != "root":
        assert all(link.startswith(f"/{where}/") for links in items for link in links)


def test_the_root_page_searches_both_languages_and_labels_them(search_page, search_server):
    items = search(search_page, search_server, "root", "EMERALD-1", typed=False)
    langs = {links[0].split("/")[1] for links in items}
    assert langs == {"zh", "en"}, items
    labels = search_page.evaluate("""() => [...document.querySelectorAll('.md-search-result__item')].map(li =>
        [...li.querySelectorAll('.md-tag [lang]')].map(t => [t.getAttribute('lang'), t.textContent]))""")
    for links, label in zip(items, labels):
        lang = links[0].split("/")[1]
        assert label == [["zh-CN", "中文"] if lang == "zh" else ["en", "English"]], (links, label)
    # a Chinese query: the Chinese pages first; the name's pages in both languages found
    items = search(search_page, search_server, "root", "阿替利珠单抗", typed=False)
    assert items[0][0] == "/zh/regimens/atezolizumab/", items[:3]
    assert any(links[0] == "/en/regimens/atezolizumab/" for links in items[:10])


def test_tables_and_charts_are_results_of_their_own(search_page, search_server):
    """000 §4's efficacy table and charts stand after 4.4.3 Ablation: a drug they name is found in the table,
    not in the ablation subsection, which does not name it."""
    for lang, query in (("zh", "阿替利珠单抗"), ("en", "atezolizumab")):
        items = search(search_page, search_server, lang, query, typed=False)
        section = next(links for links in items if links[0].startswith(f"/{lang}/ici-hcc/combination-therapy/"))
        assert f"/{lang}/ici-hcc/combination-therapy/#efficacy-table" in section, section
        assert not any("#4-4-3-ablation" in link for link in section), section


def test_the_changelog_and_translation_status_are_not_results(search_page, search_server):
    for lang, query in (("zh", "仑伐替尼"), ("en", "lenvatinib")):
        items = search(search_page, search_server, lang, query, typed=False)
        assert not any(("/changelog/" in link or "/translation-status/" in link) for links in items for link in links)




PROMPT = {"en": "Type to start searching", "zh": "键入以开始搜索"}  # mkdocs-material's words for an empty query


def result_meta(page) -> str:
    """What the result list says above its items ('3 matching documents', 'No matching documents', the prompt)."""
    return page.evaluate("() => document.querySelector('.md-search-result__meta').textContent.trim()")


def insert(page, server, lang: str, query: str) -> list[list[str]]:
    """Put ``query`` into the empty search box of a page of ``lang`` as an input method or a paste does, no key
    pressed in the box (mkdocs-material reads the box on keyup); the result items' links (path#anchor) once the
    list has answered."""
    search(page, server, lang, "lenvatinib", typed=False)
    box = page.locator("input.md-search__input")
    box.press("Control+a")
    box.press("Backspace")
    page.wait_for_function(f"() => document.querySelector('.md-search-result__meta').textContent.trim() === '{PROMPT[lang]}'")
    page.keyboard.insert_text(query)
    page.wait_for_function(f"() => document.querySelector('.md-search-result__meta').textContent.trim() !== '{PROMPT[lang]}'",
                           timeout=20000)
    stable = None
    for _ in range(40):
        now = page.evaluate("() => document.querySelector('.md-search-result').innerHTML")
        if now == stable:
            break
        stable = now
        page.wait_for_timeout(250)
    prefix = urlsplit(server.url).path
    items = page.evaluate("""() => [...document.querySelectorAll('.md-search-result__item')].map(li =>
        [...li.querySelectorAll('a.md-search-result__link')].map(a => a.href))""")
    return [[urlsplit(h).path[len(prefix):] + (f"#{urlsplit(h).fragment}" if urlsplit(h).fragment else "")
             for h in links] for links in items]


def test_english_site_finds_the_english_pages_of_a_chinese_drug_name(search_page, search_server):
    """A reader of the English site who types a drug's Chinese name (with an input method: no key pressed in
    the box) gets its English pages (issue 21): the index knows the records' Chinese names as search terms;
    the results and their snippets stay English."""
    page = search_page
    for items in (insert(page, search_server, "en", "仑伐替尼"), search(page, search_server, "en", "仑伐替尼")):
        assert any("/en/regimens/lenvatinib/" in links for links in items[:5]), items[:5]
        assert all(link.startswith("/en/") for links in items for link in links)
        assert result_meta(page) != PROMPT["en"]
        texts = page.evaluate("() => [...document.querySelectorAll('.md-search-result__item')]"
                              ".map(li => li.innerText).join(' ')")
        assert "仑伐替尼" not in texts and "lenvatinib" in texts.lower(), texts[:500]


@pytest.mark.parametrize("lang, none", [("en", "No matching documents"), ("zh", "没有找到符合条件的结果")])
def test_chinese_that_names_nothing_says_no_results(search_page, search_server, lang, none):
    """Chinese that nothing has, put in without keys: the list says it found nothing, never the prompt to type
    (issue 21)."""
    items = insert(search_page, search_server, lang, "乱七八糟")
    assert items == [] and result_meta(search_page) == none, (items[:3], result_meta(search_page))
