"""The navigation memo (generator/site/navigation.py, NavMemo): pages outside the navigation get the HTML
a rendering of their own would give, without rendering it again."""

from __future__ import annotations

import re
from types import SimpleNamespace

from generator.site.navigation import NavMemo, _site_path
from generator.urls import rel

NAV_URLS = ["zh/", "zh/ici-hcc/", "zh/ici-hcc/introduction/", "zh/trials/", "en/", "en/trials/"]


def page(url: str, lang: str, in_nav: bool = False):
    return SimpleNamespace(url=url, meta={"lang": lang}, parent=object() if in_nav else None)


def rendering_for(p):
    """What the theme renders for page ``p``: links relative to the page, as MkDocs' url filter makes them."""
    def render():
        links = "".join(f'<a href="{rel(p.url, u)}">{u}</a>' for u in NAV_URLS if u.startswith(p.meta["lang"]))
        return f'<nav><a href="{rel(p.url, p.meta["lang"] + "/")}" class="logo"></a>{links}</nav>'
    return render


def targets(html: str, page_url: str) -> list[str]:
    """Where the links of ``html`` on the page at ``page_url`` lead (site paths)."""
    return [_site_path(page_url, href) for href in re.findall(r'href="([^"]*)"', html)]


def test_pages_outside_the_nav_get_links_to_where_their_own_rendering_links():
    memo = NavMemo(SimpleNamespace(pages=[page(u, u[:2], True) for u in NAV_URLS]))
    calls = []
    for url in ("zh/trials/leap-012/", "zh/ici-hcc/introduction/parallel/", "zh/regimens/tace/", "zh/glossary/"):
        p = page(url, "zh")
        render = rendering_for(p)

        def counted(render=render):
            calls.append(url)
            return render()
        html = str(memo(p, counted))
        assert targets(html, url) == targets(render(), url), url
        assert re.sub(r'href="[^"]*"', "", html) == re.sub(r'href="[^"]*"', "", render())
    assert len(calls) == 1  # rendered once for the language


def test_pages_in_the_nav_and_pages_above_nav_entries_are_rendered_as_usual():
    memo = NavMemo(SimpleNamespace(pages=[page(u, u[:2], True) for u in NAV_URLS]))
    for p in (page("zh/ici-hcc/introduction/", "zh", in_nav=True), page("", "zh"), page("zh/ici-hcc/", "zh")):
        assert memo(p, lambda: "fresh") == "fresh"


def test_site_paths_of_relative_links():
    assert _site_path("zh/trials/x/", "../../") == "zh/"
    assert _site_path("zh/trials/x/", "../") == "zh/trials/"
    assert _site_path("zh/trials/x/", "../../ici-hcc/introduction/") == "zh/ici-hcc/introduction/"
    assert _site_path("zh/trials/x/", "../../../assets/logo.png") == "assets/logo.png"


def test_top_level_entries_a_page_is_not_in_are_rendered_once_and_link_where_a_rendering_would():
    memo = NavMemo(SimpleNamespace(pages=[page(u, u[:2], True) for u in NAV_URLS]))
    calls = []

    def entry(p):
        """The rendering of an entry (the trial index, say) for page ``p``: links relative to it."""
        def render(label):
            calls.append(p.url)
            return f'<li><a href="{rel(p.url, "zh/trials/")}">{label}</a></li>'
        return render

    for url in ("zh/", "zh/ici-hcc/", "zh/ici-hcc/introduction/"):
        p = page(url, "zh", in_nav=True)
        html = str(memo.entry(p, "zh__nav_3", entry(p), "Trials"))
        fresh = entry(p)("Trials")
        assert targets(html, url) == targets(fresh, url) == ["zh/trials/"], url
        assert re.sub(r'href="[^"]*"', "", html) == re.sub(r'href="[^"]*"', "", fresh)
    assert calls == ["zh/", "zh/", "zh/ici-hcc/", "zh/ici-hcc/introduction/"]  # the memo's one, then the fresh ones
    assert memo.entry(page("", "zh"), "zh__nav_3", lambda label: "fresh", "x") == "fresh"  # the root page
