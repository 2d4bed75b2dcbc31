"""The header and the site's icon in Chromium: the header is as high on the root page as on Chinese and
English pages, at phone and desktop width, light and dark; the favicon the pages link and /favicon.ico
load; the logo is our own and drawn in the header's colour; the colour-scheme toggle speaks the page's
language. Screenshots to test-artifacts/screenshots/reader-*.png."""

from __future__ import annotations

import pytest

import browserkit as bk

SHOTS = bk.ARTIFACTS / "screenshots"
PAGES = {"root": "", "zh-home": "zh/", "en-home": "en/", "zh-landing": "zh/ici-hcc/",
         "en-section": "en/interventional-hcc/background/", "zh-trial": "zh/trials/imbrave150/"}

HEADER = """() => {
  const h = document.querySelector('.md-header');
  const logo = document.querySelector('.md-header .md-logo svg');
  const toggle = [...document.querySelectorAll('[data-md-component=palette] label')].map(l => l.title);
  return {height: Math.round(h.getBoundingClientRect().height),
          logo: logo ? {cls: logo.getAttribute('class'), fill: getComputedStyle(logo.querySelector('path')).fill,
                        colour: getComputedStyle(h).color} : null,
          toggle};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_header_is_as_high_on_every_page_and_width(request, server, scheme):
    page = request.getfixturevalue("dark_page" if scheme == "dark" else "page")
    SHOTS.mkdir(parents=True, exist_ok=True)
    heights = {}
    for size_name, size in (("phone", bk.PHONE), ("desktop", bk.DESKTOP)):
        page.set_viewport_size(size)
        for name, path in PAGES.items():
            bk.visit(page, server.url + "/" + path)
            got = page.evaluate(HEADER)
            heights[(size_name, name)] = got["height"]
            page.screenshot(path=str(SHOTS / f"reader-{name}-{size_name}-{scheme}.png"))
            assert got["logo"] and got["logo"]["cls"] == "hcc-logo", (name, got)
            assert got["logo"]["fill"] == got["logo"]["colour"], (name, got)  # currentColor: follows the scheme
            lang = name.split("-")[0]
            if lang == "zh":
                assert got["toggle"] == ["切换到深色模式", "切换到浅色模式"], got["toggle"]
            elif lang == "en":
                assert got["toggle"] == ["Switch to dark mode", "Switch to light mode"], got["toggle"]
    for size_name in ("phone", "desktop"):
        row = {name: h for (s, name), h in heights.items() if s == size_name}
        assert len(set(row.values())) == 1, (size_name, row)


def test_the_favicon_loads(page, server):
    bk.visit(page, server.url + "/zh/ici-hcc/")
    href = page.evaluate("() => document.querySelector('link[rel=icon]').href")
    for url in (href, server.url + "/favicon.ico"):
        response = page.request.get(url)
        assert response.ok, url
        assert response.headers["content-type"].startswith(("image/svg+xml", "image/x-icon", "image/vnd.microsoft.icon")), (url, response.headers)
