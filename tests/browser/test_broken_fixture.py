"""The checks catch what they are for: a fixture site with a page that loads an external font, links
to an anchor that does not exist and shows an image without alt text goes through the same checks as
the real site (browserkit), and each check reports its problem; the fixture's sound page passes."""

from __future__ import annotations

import textwrap

import pytest

import browserkit as bk

FONT = "https://fonts.googleapis.com/css"
# The sources are checked when the site is built (raw <link>, broken anchors in Markdown are build
# errors): these defects come in where that check does not look, as they would in practice.
# 1. an external font: the theme's Google Fonts switched back on in mkdocs.yml;
# 2. a broken anchor: a template override that links to an anchor no page has;
# 3. a missing alt text: an image in the content without one.
BROKEN = textwrap.dedent("""\
    ---
    id: broken
    order: 2
    number: "2"
    title:
      zh: 有问题的一节
      en: A broken section
    ---

    ::: zh
    这一节的图片没有替代文字：

    <img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==" width="16" height="16">

    ::: en
    The image of this section has no alt text:

    <img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==" width="16" height="16">
    """)
# Added at the end of the site's own content block (a template may define a block once).
TEMPLATE = """
  {% if page and page.url.endswith("demo/broken/") %}<p><a href="#no-such-anchor">See below</a></p>{% endif %}
"""


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory):
    conf = bk.project_tools()
    project = conf.make_project(tmp_path_factory.mktemp("broken"), {"content/demo/02-broken.md": BROKEN})
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "font: false" in text
    config.write_text(text.replace("font: false", "font:\n    text: Roboto"), encoding="utf-8")
    main = project / "site_overrides" / "main.html"
    theme = main.read_text(encoding="utf-8")
    end_of_content = theme.index("{% endblock %}", theme.index("{% block content %}"))
    main.write_text(theme[:end_of_content] + TEMPLATE + theme[end_of_content:], encoding="utf-8")
    out = project / "site"
    result = conf.run_build(project, out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (out / "en" / "demo" / "broken" / "index.html").exists()
    with bk.SiteServer(out, prefix=bk.site_prefix()) as srv:
        yield srv


@pytest.fixture(scope="module")
def fixture_page(browser, broken_site):
    watch = bk.Watch(broken_site.origin)
    context = browser.new_context(viewport=bk.DESKTOP)
    watch.attach_context(context)
    page = bk.open_page(context, watch)
    yield page, watch
    context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_external_font_is_caught(fixture_page, broken_site, lang):
    page, watch = fixture_page
    problems = bk.clean_load(page, watch, f"{broken_site.url}/{lang}/demo/broken/")
    assert any(p.startswith(f"request to another host: {FONT}") for p in problems), problems


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
    assert {p["url"][len(broken_site.url):] for p in broken} >= {"/zh/demo/broken/#no-such-anchor",
                                                                "/en/demo/broken/#no-such-anchor"}, problems
    # the fixture build leaves out the PDFs (tests/conftest.py): their links are the only other problems
    assert all("no-such-anchor" in p["url"] or p["url"].endswith(".pdf") for p in problems), problems
