"""End to end: build the real site and read the HTML it produced."""

from __future__ import annotations

import filecmp
import html as html_lib
import logging
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sitekit import ROOT, make_project, run_build
from generator.plugin import _PageLinks
from generator.site.reviewpages import run_in
from generator.sources.content import load_project
from generator.diagnostics import Report


class Page(HTMLParser):
    def __init__(self, path: Path):
        super().__init__()
        self.html_lang = None
        self.links: list[dict] = []
        self.ids: set[str] = set()
        self.rows = 0
        self.nav_titles: list[str] = []
        self._in_nav_link = False
        self.switch = None
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "link" and a.get("rel") == "alternate" and a.get("hreflang"):
            self.links.append(a)
        if tag == "a" and "data-lang-switch" in a:
            self.switch = a["href"]
        if tag == "div" and "pair-row" in (a.get("class") or "") and "pair-head" not in a.get("class", ""):
            self.rows += 1


def pages_of_sources():
    report = Report(root=ROOT)
    project = load_project(ROOT, report)
    for review in project.reviews:
        for section in review.pages_in_order:
            yield review, section


def html_path(site: Path, url: str) -> Path:
    return site / url / "index.html"


@pytest.mark.parametrize("lang,code", [("zh", "zh-CN"), ("en", "en")])
def test_every_section_has_a_page_with_the_right_lang(built_site, lang, code):
    for review, section in pages_of_sources():
        page = Page(html_path(built_site, section.url(lang)))
        assert page.html_lang == code, section.url(lang)


def test_hreflang_alternates_point_at_both_languages_and_x_default(built_site):
    for review, section in pages_of_sources():
        for lang in ("zh", "en"):
            links = {l["hreflang"]: l["href"] for l in Page(html_path(built_site, section.url(lang))).links}
            assert set(links) == {"zh-CN", "en", "x-default"}
            assert links["zh-CN"].endswith(section.url("zh")) and links["en"].endswith(section.url("en"))


def test_language_switcher_leads_to_the_counterpart_page(built_site):
    for review, section in pages_of_sources():
        for lang, other in (("zh", "en"), ("en", "zh")):
            src = html_path(built_site, section.url(lang))
            href = Page(src).switch
            assert href, src
            target = (src.parent / href).resolve() / "index.html"
            assert target == html_path(built_site, section.url(other)).resolve()


def test_headings_have_the_same_ids_in_both_languages(built_site):
    for review, section in pages_of_sources():
        zh = Page(html_path(built_site, section.url("zh"))).ids
        en = Page(html_path(built_site, section.url("en"))).ids
        anchors = {p.anchor for p in section.body.pairs}
        assert anchors <= zh and anchors <= en


def test_parallel_view_has_one_row_per_pair(built_site):
    for review, section in pages_of_sources():
        for lang in ("zh", "en"):
            page = Page(built_site / section.parallel_url(lang) / "index.html")
            # a run-in heading and its paragraph share one row (issue 18: "4.4.1 经动脉栓塞治疗（TACE）是中期 HCC…")
            pairs = section.body.pairs
            shared = sum(1 for i in range(1, len(pairs)) if run_in(pairs[i - 1], pairs[i]))
            assert page.rows == len(pairs) - shared, section.parallel_url(lang)
            text = (built_site / section.parallel_url(lang) / "index.html").read_text(encoding="utf-8")
            assert all(f'id="{p.anchor}"' in text for p in pairs), section.parallel_url(lang)


def nav_titles(path: Path) -> list[str]:
    html = path.read_text(encoding="utf-8")
    start = html.index('md-nav--primary')
    nav = html[start:html.index('md-sidebar--secondary', start)]
    return [html_lib.unescape(re.sub(r"<[^>]+>|\s+", " ", t)).strip() for t in re.findall(r'class="md-ellipsis">(.*?)</span>', nav, re.S)]


def test_navigation_is_in_the_page_language_and_in_front_matter_order(built_site):
    report = Report(root=ROOT)
    project = load_project(ROOT, report)
    review = project.reviews[0]
    for lang in ("zh", "en"):
        titles = nav_titles(html_path(built_site, review.sections[0].url(lang)))
        expected = [s.full_title(lang) for s in review.sections]
        positions = [titles.index(t) for t in expected]
        assert positions == sorted(positions)
        other = "en" if lang == "zh" else "zh"
        assert review.sections[1].full_title(other) not in titles


def test_each_language_has_its_own_search_index(built_site):
    import json
    zh = json.loads((built_site / "zh/search/search_index.json").read_text(encoding="utf-8"))
    en = json.loads((built_site / "en/search/search_index.json").read_text(encoding="utf-8"))
    # no merged index: the root page's holds no documents, it names the two language indexes (issue 20)
    root = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))
    assert root["docs"] == [] and set(root["config"]["hcc"]["merge"]) == {"zh", "en"}
    assert zh["docs"] and en["docs"]
    assert all(not d["location"].startswith(("zh/", "en/")) for d in zh["docs"] + en["docs"])
    assert r"\u3000" in zh["config"]["separator"] and "、" in zh["config"]["separator"]  # Chinese punctuation splits
    assert any("肝细胞癌" in d["text"].replace("\u200b", "") for d in zh["docs"])
    assert not any(re.search(r"[\u4e00-\u9fff]{4,}", d["title"]) for d in en["docs"])


def test_root_page_offers_both_languages_without_javascript(built_site):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="zh/"' in html and 'href="en/"' in html


EXTERNAL = re.compile(
    r"""(?:src|href)\s*=\s*["'](?:https?:)?//(?P<a>[^"']+)|@import\s+(?:url\()?["']?(?:https?:)?//(?P<b>[^"')\s]+)"""
    r"""|url\(\s*["']?(?:https?:)?//(?P<c>[^"')\s]+)""", re.I)
RESOURCE_TAGS = re.compile(r"<(script|link|img|iframe|source|video|audio|embed|object)\b[^>]*>", re.I)


def external_resources(site: Path) -> list[str]:
    found = []
    for path in sorted(site.rglob("*")):
        if path.suffix not in (".html", ".css", ".js"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".html":
            for tag in RESOURCE_TAGS.finditer(text):
                t = tag.group(0)
                if re.search(r'rel="?(alternate|x-alternate|canonical)', t):
                    continue  # metadata for crawlers, not loaded by the browser
                for m in EXTERNAL.finditer(t):
                    found.append(f"{path.relative_to(site)}: {m.group(0)}")
            for m in re.finditer(r"<style[^>]*>(.*?)</style>", text, re.S):
                found += [f"{path.relative_to(site)}: {x.group(0)}" for x in EXTERNAL.finditer(m.group(1))
                          if "url(" in x.group(0) or "@import" in x.group(0)]
        elif path.suffix == ".css":
            found += [f"{path.relative_to(site)}: {m.group(0)}" for m in EXTERNAL.finditer(text)
                      if "url(" in m.group(0) or "@import" in m.group(0)]
    return found


def test_no_page_loads_anything_from_a_third_party(built_site):
    assert external_resources(built_site) == []


def test_the_external_resource_scan_catches_a_google_font(tmp_path):
    (tmp_path / "a.html").write_text('<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">')
    (tmp_path / "b.css").write_text("@import url('https://fonts.googleapis.com/css2');")
    assert len(external_resources(tmp_path)) == 2


def test_two_builds_are_byte_identical(mini_project, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert run_build(mini_project, a, pdf=True).returncode == 0
    assert run_build(mini_project, b, pdf=True).returncode == 0
    assert list((a / "pdf").glob("*.pdf"))  # the PDFs are compared too
    cmp = filecmp.dircmp(a, b)

    def diffs(c):
        out = list(c.diff_files) + list(c.left_only) + list(c.right_only)
        for sub in c.subdirs.values():
            out += diffs(sub)
        return out

    assert diffs(cmp) == []
    for path in a.rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (b / path.relative_to(a)).read_bytes(), path


BAD = {
    "unpaired": ("content/demo/01-first.md",
                 "---\nid: first\norder: 1\ntitle:\n  zh: 甲\n  en: A\n---\n\n::: zh\n中文。\n\n::: zh\n又一段。\n::: en\nAgain.\n",
                 "content/demo/01-first.md:9: this Chinese block has no English counterpart"),
    "missing title": ("content/demo/01-first.md",
                      "---\nid: first\norder: 1\n---\n::: zh\n中文\n::: en\nEnglish\n",
                      "content/demo/01-first.md:1: 'title' is missing"),
    "malformed yaml": ("content/demo/01-first.md",
                       "---\nid: first\norder: [1\ntitle: x\n---\n::: zh\n中文\n::: en\nEnglish\n",
                       "content/demo/01-first.md:4: the front-matter is not valid YAML"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_source_fails_with_path_line_and_keeps_the_old_site(tmp_path, case):
    path, text, expected = BAD[case]
    project = make_project(tmp_path)
    site = project / "site"
    assert run_build(project, site).returncode == 0
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (project / path).write_text(text, encoding="utf-8")
    result = run_build(project, site)
    assert result.returncode != 0
    out = re.sub(r"(\.md:\d+):\d+: ", r"\1: ", (result.stdout + result.stderr).replace("error: ", ""))
    assert expected in out, out  # (the build prints check's path:line:col; the line is what is tested)
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert not list(project.glob(".site.*"))


def test_pending_translation_builds_with_a_notice_and_strict_refuses_it(tmp_path):
    text = ("---\nid: first\norder: 1\nnumber: \"1\"\ntranslation: pending\ntitle:\n  zh: 甲\n  en: A\n---\n"
            "::: zh\n已经翻译。\n::: en\nTranslated.\n::: zh\n尚未翻译的段落。\n")
    project = make_project(tmp_path, {"content/demo/01-first.md": text})
    result = run_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    assert "translation pending" in result.stderr
    en = (project / "site/en/demo/first/index.html").read_text(encoding="utf-8")
    assert "Translation pending" in en and "尚未翻译的段落" in en
    strict = run_build(project, project / "site2", "--strict")
    assert strict.returncode != 0
    assert not (project / "site2").exists()


@pytest.mark.parametrize("url,source", [
    ("en/ici-hcc/ici-monotherapy/", "content/ici-hcc/03-ici-monotherapy.md"),
    ("zh/ici-hcc/ici-monotherapy/parallel/", "content/ici-hcc/03-ici-monotherapy.md"),
    ("en/trials/imbrave150/", "content/trials/imbrave150.md"),
    ("zh/regimens/atezolizumab-bevacizumab/", "content/regimens/atezolizumab-bevacizumab.md"),
])
def test_edit_links_point_at_the_source_file(built_site, url, source):
    html = (built_site / url / "index.html").read_text(encoding="utf-8")
    edit = re.search(r'<a href="([^"]+)" title="[^"]*" class="md-content__button md-icon" rel="edit">', html)
    assert edit and edit.group(1).endswith("/edit/main/" + source)
    assert (ROOT / source).exists()


def test_last_updated_comes_from_the_git_history_of_the_source(built_site):
    import subprocess
    stamp = subprocess.run(["git", "log", "-1", "--format=%cs", "--", "content/ici-hcc/03-ici-monotherapy.md"],
                           cwd=ROOT, capture_output=True, text=True).stdout.strip()
    html = (built_site / "en/ici-hcc/ici-monotherapy/index.html").read_text(encoding="utf-8")
    expected = stamp or "unknown (not built from a git checkout)"
    assert re.search(r'md-source-file__fact.*?' + re.escape(expected), html, re.S)


def test_last_updated_has_a_clear_fallback_outside_git(mini_project, tmp_path):
    assert run_build(mini_project, tmp_path / "s").returncode == 0
    html = (tmp_path / "s/en/demo/first/index.html").read_text(encoding="utf-8")
    assert "unknown (not built from a git checkout)" in html


def test_translation_status_and_changelog_pages_exist_in_both_languages(built_site):
    for lang, title in (("zh", "翻译状态"), ("en", "Translation status")):
        assert title in (built_site / lang / "translation-status/index.html").read_text(encoding="utf-8")
        assert (built_site / lang / "changelog/index.html").exists()


def primary_nav(html: str) -> str:
    """The site navigation (the drawer on a phone) of a built page."""
    start = html.index('<nav class="md-nav md-nav--primary"')
    return html[start:html.index("</nav>", start)]


@pytest.mark.parametrize(("lang", "home"), [("zh", "首页"), ("en", "Home")])
def test_the_navigation_names_the_site_once_and_its_home_page_home(built_site, lang, home):
    """Issue 21 (reader re-try): the zh drawer listed the site's name twice, as its title and as the first
    entry (the home page, whose title is the site's name). The entry reads "首页"/"Home"; the page's own
    title (<title>) stays the site's name."""
    site_name = re.search(r"<title>([^<]+)</title>", (built_site / lang / "index.html").read_text(encoding="utf-8"))[1]
    for page in (f"{lang}/index.html", f"{lang}/glossary/index.html"):
        text = re.sub(r"<[^>]+>", " ", primary_nav((built_site / page).read_text(encoding="utf-8")))
        assert text.count(site_name) == 1, f"{page}: the site's name {text.count(site_name)} times in the navigation"
        assert re.search(rf"^\s*{home}\s*$", text, re.M), page


def test_an_english_pages_title_names_the_site_in_english(built_site):
    """Reader re-try: every inner page's <title> (tabs, bookmarks, search results) carried the bilingual site
    name, so English pages showed Chinese. A page's title is followed by the site's name in its language."""
    for lang, name in (("en", "Reviews of HCC Treatment"), ("zh", "肝细胞癌治疗文献综述")):
        for page in ("trials/index.html", "glossary/index.html", "ici-hcc/combination-therapy/index.html",
                     "regimens/lenvatinib/index.html"):
            title = re.search(r"<title>([^<]+)</title>", (built_site / lang / page).read_text(encoding="utf-8"))[1]
            assert title.endswith(f" - {name}"), (lang, page, title)
            if lang == "en":
                assert not re.search(r"[\u4e00-\u9fff]", title), (page, title)


def test_a_drug_without_other_spellings_shows_a_dash(built_site):
    """Reader re-try: the glossary's drug cards showed "Other spellings in the sources" with nothing under it."""
    for lang in ("zh", "en"):
        html = (built_site / lang / "glossary/index.html").read_text(encoding="utf-8")
        cells = re.findall(r'<td data-label="[^"]*">((?:(?!<td).)*?)</td>\s*</tr>', html, re.S)  # a row's last cell
        assert cells and "" not in cells, lang


def test_the_404_navigation_leads_to_both_language_homes(built_site):
    """Issue 21 (reader re-try): the 404 page's navigation was the English site's alone."""
    nav = primary_nav((built_site / "404.html").read_text(encoding="utf-8"))
    assert re.search(r'href="[^"]*/zh/"[^>]*lang="zh-CN"[^>]*>.*?中文首页', nav, re.S)
    assert re.search(r'href="[^"]*/en/"[^>]*lang="en"[^>]*>.*?English home page', nav, re.S)
    assert "Clinical studies" not in nav and "临床研究" not in nav


def test_without_published_addresses_the_pages_carry_no_made_up_or_relative_ones(mini_project, tmp_path):
    """mkdocs.yml takes site_url and repo_url from HCC_SITE_URL and HCC_REPO_URL (set by the deploy workflow).
    A local build without them has no hreflang or canonical links, no "edit this page" link and no page
    address in "Cite this review", rather than a placeholder or a link relative to the wrong page."""
    site = tmp_path / "s"
    result = run_build(mini_project, site, deployed=False)
    assert result.returncode == 0, result.stderr
    for page in ("en/demo/index.html", "zh/demo/first/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert "hreflang" not in html and 'rel="canonical"' not in html
        assert 'rel="edit"' not in html and "edit/main/" not in html
        assert "example.org" not in html
    landing = (site / "en/demo/index.html").read_text(encoding="utf-8")
    cite = re.search(r'class="cite-this.*?</(?:div|section|details)>', landing, re.S)
    assert cite, "the review page has its Cite this review box"
    assert "howpublished" not in cite.group(0) and "http" not in cite.group(0)


def test_theme_toggles_carry_no_autocomplete_attribute(built_site):
    """mkdocs-material puts autocomplete="off" on its drawer and search checkboxes, an HTML error on every
    page; generator/site/thememarkup.py removes it (site.js resets the toggles instead)."""
    pages = sorted(built_site.rglob("*.html"))
    toggles = 0
    for path in pages:
        html = path.read_text(encoding="utf-8")
        for tag in re.findall(r'<input class="md-toggle"[^>]*>', html):
            toggles += 1
            assert "autocomplete" not in tag, f"{path.relative_to(built_site)}: {tag}"
    assert toggles == 2 * len(pages), "every page has the two toggles"


# The lines MkDocs prints for every build; anything else at INFO or WARNING is a note a contributor reads as a problem.
ROUTINE_BUILD_LINES = re.compile(r"INFO    -  (Cleaning site directory|Building documentation to directory: \S+|"
                                 r"PDF export: .*|PDF export skipped .*|Documentation built in [\d.]+ seconds)")


def test_the_build_log_of_the_real_site_has_no_notes_from_mkdocs(built_site):
    log = (built_site.parent / "build.log").read_text(encoding="utf-8").splitlines()
    notes = [line for line in log if line.startswith(("INFO", "WARNING", "ERROR"))
             and not ROUTINE_BUILD_LINES.fullmatch(line)]
    assert notes == []
    assert any(line.startswith("INFO    -  Documentation built in") for line in log)


def test_mkdocs_notes_on_links_are_dropped_only_for_links_to_pages_of_the_site():
    class F:
        def __init__(self, src, url):
            self.src_uri, self.url = src, url

        def is_documentation_page(self):
            return True

    links = _PageLinks()
    links.know([F("zh/interventional-hcc/introduction.md", "zh/interventional-hcc/introduction/"),
                F("zh/trials/reflect.md", "zh/trials/reflect/"), F("index.md", "")])

    def kept(src, link):
        message = f"Doc file '{src}' contains an unrecognized relative link '{link}', it was left as is."
        return links.filter(logging.LogRecord("mkdocs.structure.pages", logging.INFO, "", 0, message, None, None))

    assert not kept("zh/interventional-hcc/introduction.md", "../../trials/reflect/")
    assert not kept("zh/interventional-hcc/introduction.md", "../../trials/reflect/#os")
    assert kept("zh/interventional-hcc/introduction.md", "../trials/reflect/")  # no page there: still said
    assert kept("zh/interventional-hcc/introduction.md", "../../trials/gone/")
    assert not kept("index.md", "zh/trials/reflect/")
