"""The checks catch what they are for: a fixture site with a page that loads an external font, links
to an anchor that does not exist and shows an image without alt text goes through the same checks as
the real site (browserkit), and each check reports its problem; the fixture's sound page passes."""

from __future__ import annotations

import textwrap

import pytest

import browserkit as bk

FONT = "https://fonts.googleapis.com/css2?family=Roboto"
BROKEN = textwrap.dedent(f"""\
    ---
    id: broken
    order: 2
    number: "2"
    title:
      zh: 有问题的一节
      en: A broken section
    ---

    ::: zh
    <link rel="stylesheet" href="{FONT}">

    这一节用了外部字体，链接到[不存在的锚点](#no-such-anchor)，图片没有替代文字：

    <img src="../../assets/images/favicon.png">

    ::: en
    <link rel="stylesheet" href="{FONT}">

    This section uses an external font, links to [an anchor that does not exist](#no-such-anchor) and
    shows an image without alt text:

    <img src="../../assets/images/favicon.png">
    """)


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory):
    conf = bk.project_tools()
    project = conf.make_project(tmp_path_factory.mktemp("broken"), {"content/demo/02-broken.md": BROKEN})
    out = project / "site"
    result = conf.run_build(project, out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (out / "en" / "demo" / "broken" / "index.html").exists()
    with bk.SiteServer(out) as srv:
        yield srv


@pytest.fixture(scope="module")
def fixture_page(browser, broken_site):
    watch = bk.Watch(broken_site.url)
    context = browser.new_context(viewport=bk.DESKTOP)
    watch.attach_context(context)
    page = bk.open_page(context, watch)
    yield page, watch
    context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_external_font_is_caught(fixture_page, broken_site, lang):
    page, watch = fixture_page
    problems = bk.clean_load(page, watch, f"{broken_site.url}/{lang}/demo/broken/")
    assert any(FONT in p for p in problems), problems
    assert bk.clean_load(page, watch, f"{broken_site.url}/{lang}/demo/first/") == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_missing_alt_text_is_caught(fixture_page, broken_site, lang):
    page, watch = fixture_page
    bk.visit(page, f"{broken_site.url}/{lang}/demo/broken/")
    ids = {v["id"] for v in bk.axe_violations(page)}
    assert "image-alt" in ids, ids
    bk.visit(page, f"{broken_site.url}/{lang}/demo/first/")
    assert "image-alt" not in {v["id"] for v in bk.axe_violations(page)}


def test_missing_alt_text_is_invalid_html(broken_site):
    page = broken_site.directory / "en" / "demo" / "broken" / "index.html"
    errors, _ = bk.vnu([page])
    assert any("alt" in m.get("message", "") for m in errors), [m.get("message") for m in errors]


def test_broken_anchor_is_caught(broken_site):
    problems = bk.linkcheck(broken_site.url, bk.ARTIFACTS / "linkcheck-fixture")
    broken = [p for p in problems if "no-such-anchor" in (p["url"] or "")]
    assert {p["url"].split("/", 3)[3] for p in broken} >= {"zh/demo/broken/#no-such-anchor",
                                                          "en/demo/broken/#no-such-anchor"}, problems
    assert all("no-such-anchor" in (p["url"] or "") for p in problems), problems
