"""The offline copy (`make offline`, site-offline/) opened from disk, as a reviewer does with a downloaded PR
preview or a clinic without a web server: every link lands on a page, the language switcher works, search
answers in both languages, and nothing is requested from anywhere but the copy's own files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import browserkit as bk

from generator.site import offline


@pytest.fixture(scope="module")
def copy(site, tmp_path_factory) -> Path:
    return offline.make_offline(site, tmp_path_factory.mktemp("offline") / "site-offline")


@pytest.fixture
def disk_page(browser):
    ctx = browser.new_context(viewport=bk.DESKTOP, locale="en-US")
    page = ctx.new_page()
    page.requests, page.errors = [], []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    yield page
    ctx.close()


def follow(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(f"{selector} >> visible=true").first.click()
    assert page.url.startswith("file://") and page.url.split("?")[0].split("#")[0].endswith(".html"), page.url
    assert "Index of" not in page.title()
    assert page.locator("article").count() == 1, f"{page.url} is not a page of the site"


def search(page, query: str) -> list[str]:
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=20)
    box.press("End")  # Chinese arrives without key events (as from an input method): a key commits it
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length > 0", timeout=20000)
    return page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.getAttribute('href'))")


def test_every_link_of_the_offline_copy_names_a_file(copy):
    """No link to a folder is left (a browser reading files shows a folder listing for those), and no link from
    the root of a disk. (404.html is only ever shown by a web server.)"""
    for path in copy.rglob("*.html"):
        if path.name == "404.html":
            continue
        for url in re.findall(r'\b(?:href|src)="(/[^"]*)"', path.read_text(encoding="utf-8")):
            pytest.fail(f"{path.relative_to(copy)} links {url} from the root of the disk")
        for url in re.findall(r'\bhref="([^"#?:]+/)"', path.read_text(encoding="utf-8")):
            pytest.fail(f"{path.relative_to(copy)} links the folder {url}")


@pytest.mark.parametrize("lang, query, other", [("zh", "仑伐替尼", "en"), ("en", "nivolumab", "zh")])
def test_offline_copy_opened_from_disk_navigates_switches_language_and_searches(copy, disk_page, lang, query, other):
    page = disk_page
    page.goto((copy / "index.html").as_uri())
    follow(page, f"a[href='{lang}/index.html']")
    follow(page, "article a[href$='ici-hcc/index.html']")
    follow(page, "article a[href*='tumour-immune-microenvironment/index.html']")
    assert f"/{lang}/ici-hcc/tumour-immune-microenvironment/index.html" in page.url
    follow(page, "a.lang-switch")
    assert f"/{other}/ici-hcc/tumour-immune-microenvironment/index.html" in page.url
    page.goto((copy / lang / "index.html").as_uri())
    hits = search(page, query)
    assert hits, f"no result for {query}"
    with page.expect_navigation():
        page.locator(".md-search-result__item a").first.click()
    assert page.url.startswith((copy / lang).as_uri()) and ".html" in page.url
    assert page.locator("article").count() == 1
    bk.ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(bk.ARTIFACTS / f"offline-result-{lang}.png"))
    outside = [u for u in page.requests if not u.startswith(("file:", "data:", "about:", "blob:"))]
    assert not outside, outside
    assert not page.errors, page.errors


def test_offline_root_page_searches_both_languages(copy, disk_page):
    """The root page's index names the two language indexes: from disk the worker loads their scripts."""
    page = disk_page
    page.goto((copy / "index.html").as_uri())
    hits = search(page, "EMERALD-1")
    assert any("/en/trials/emerald-1/index.html" in h for h in hits[:4]), hits[:4]
    assert any("/zh/trials/emerald-1/index.html" in h for h in hits[:4]), hits[:4]
    outside = [u for u in page.requests if not u.startswith(("file:", "data:", "about:", "blob:"))]
    assert not outside, outside
    assert not page.errors, page.errors


CSP_WATCH = ("window.__csp = []; document.addEventListener('securitypolicyviolation', "
             "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")


def test_offline_copy_works_under_its_content_security_policy(copy, disk_page):
    """The copy keeps the site's Content-Security-Policy (no inline script): opened from disk, its pages, the
    theme's scripts from their files and the search worker's frame run without one violation."""
    page = disk_page
    page.add_init_script(CSP_WATCH)
    for rel in ("index.html", "en/index.html", "zh/ici-hcc/index.html", "en/trials/emerald-1/index.html"):
        assert 'http-equiv="Content-Security-Policy"' in (copy / rel).read_text(encoding="utf-8"), rel
        page.goto((copy / rel).as_uri())
        page.wait_for_load_state("load")
        assert page.evaluate("window.__csp") == [], rel
    page.goto((copy / "en" / "index.html").as_uri())
    assert search(page, "nivolumab")
    assert page.evaluate("window.__csp") == []
    assert page.evaluate("typeof __md_get") == "function"  # the theme's base script ran from its file
    assert not page.errors, page.errors


def test_offline_copy_blocks_a_planted_inline_script(copy, disk_page):
    """The control of the test above: from disk too, the policy is in force (an inline script that got into a page
    is refused and reported as a violation)."""
    page = disk_page
    page.add_init_script(CSP_WATCH)
    html = (copy / "en" / "index.html").read_text(encoding="utf-8")
    planted = copy / "en" / "planted-inline-script.html"
    planted.write_text(html.replace("</body>", "<script>window.__ran = 1</script></body>"), encoding="utf-8")
    try:
        page.goto(planted.as_uri())
        page.wait_for_load_state("load")
        assert page.evaluate("window.__ran") is None
        assert any(v.startswith("script-src") for v in page.evaluate("window.__csp")), page.evaluate("window.__csp")
    finally:
        planted.unlink()
