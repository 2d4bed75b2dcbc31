"""What Zotero, Google Scholar and link previews read of the built review pages, read back the way they read
it: JSON-LD and Open Graph with extruct (a maintained metadata extractor), the Highwire Press ``citation_*``
tags from the head; the reference downloads read back with an RIS reader (rispy) and a CSL processor
(citeproc-py). Nothing the sources do not give may appear, and no placeholder of an unidentified reference."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import extruct
import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from generator import i18n
from generator.bib.bibliography import Bibliography
from generator.diagnostics import Report
from generator.sources.content import load_project
from sitekit import DEPLOYED, ROOT

SITE_URL = DEPLOYED["HCC_SITE_URL"]


class Head(HTMLParser):
    """The head's <meta name=…> tags (all values of each name, in order) and <title>."""

    def __init__(self, text: str):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.title = ""
        self._in_title = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and a.get("name"):
            self.meta.setdefault(a["name"], []).append(a.get("content") or "")
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT, Report(root=ROOT))


@pytest.fixture(scope="module")
def bib():
    return Bibliography.load(ROOT / "refs.bib", Report(root=ROOT))


def page(site: Path, url: str) -> tuple[str, Head, dict]:
    text = (site / url / "index.html").read_text(encoding="utf-8")
    data = extruct.extract(text, base_url=SITE_URL + url, syntaxes=["json-ld", "opengraph"], uniform=True)
    return text, Head(text), data


def article(data: dict) -> dict:
    found = [d for d in data["json-ld"] if d.get("@type") == "ScholarlyArticle"]
    assert len(found) == 1, data["json-ld"]
    return found[0]


def og(data: dict) -> dict:
    assert len(data["opengraph"]) == 1
    return data["opengraph"][0]


PLACEHOLDER_TITLE = re.compile(r"Reference \[\d+\] of the source review|原综述参考文献")


def is_placeholder_text(text: str) -> bool:
    return bool(PLACEHOLDER_TITLE.search(text))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_landing_page_of_a_review_with_a_journal_gives_reference_managers_its_citation(built_site, project, lang):
    review = project.review("interventional-hcc")
    url = f"{lang}/interventional-hcc/"
    _, head, data = page(built_site, url)
    m = head.meta
    assert m["citation_title"] == [review.title[lang]]
    assert m["citation_author"] == ([a.zh for a in review.authors] if lang == "zh" else [a.en for a in review.authors])
    assert m["citation_publication_date"] == ["2026/05/19"]
    assert m["citation_language"] == [lang]
    assert m["citation_journal_title"] == [review.journal[lang]]
    assert (m["citation_volume"], m["citation_issue"]) == (["16"], ["5"])
    assert (m["citation_firstpage"], m["citation_lastpage"]) == (["1488"], ["1496"])
    assert m["citation_pdf_url"] == [f"{SITE_URL}pdf/interventional-hcc-{lang}.pdf"]
    assert (built_site / f"pdf/interventional-hcc-{lang}.pdf").is_file()
    # the DOI is the Chinese original's: on the Chinese page only, the English page names it as the original's
    assert m.get("citation_doi") == ([review.doi] if lang == "zh" else None)
    refs = m["citation_reference"]
    assert len(refs) > 20 and all(r.startswith("citation_title=") or "citation_author=" in r for r in refs)
    assert not any(is_placeholder_text(r) for r in refs)

    ld = article(data)
    assert ld["@context"] in ("https://schema.org", "http://schema.org")
    assert ld["name"] == review.title[lang]
    assert ld["inLanguage"] == ("zh-CN" if lang == "zh" else "en")
    assert ld["url"] == SITE_URL + url
    assert ld["datePublished"] == "2026-05-19"
    assert [a["name"] for a in ld["author"]] == m["citation_author"]
    other = "en" if lang == "zh" else "zh"
    link = ld["workTranslation"] if lang == "zh" else ld["translationOfWork"]
    assert link["url"] == f"{SITE_URL}{other}/interventional-hcc/"
    assert link["inLanguage"] == ("zh-CN" if other == "zh" else "en")
    assert ("translationOfWork" in ld) == (lang == "en") and ("workTranslation" in ld) == (lang == "zh")
    assert len(ld["citation"]) == len(refs)
    assert all(c.get("name") or c.get("author") for c in ld["citation"])

    o = og(data)
    assert o["og:title"] == review.title[lang] and o["og:url"] == SITE_URL + url
    assert o["og:locale"] == ("zh_CN" if lang == "zh" else "en_US")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_review_whose_source_names_no_authors_gets_none_invented(built_site, lang):
    _, head, data = page(built_site, f"{lang}/ici-hcc/")
    for name in ("citation_author", "citation_journal_title", "citation_publication_date", "citation_doi",
                 "citation_volume", "citation_firstpage"):
        assert name not in head.meta, name
    ld = article(data)
    assert "author" not in ld and "datePublished" not in ld and "isPartOf" not in ld
    # the source's unidentified references are listed on its pages, never as publications in the metadata
    refs = head.meta["citation_reference"]
    assert refs and not any(is_placeholder_text(r) for r in refs)
    assert not any(is_placeholder_text(json.dumps(c, ensure_ascii=False)) for c in ld["citation"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_section_pages_carry_the_review_citation_and_their_own_references(built_site, project, lang):
    review = project.review("ici-hcc")
    section = next(s for s in review.sections if s.id == "combination-therapy")
    _, head, data = page(built_site, section.url(lang))
    assert head.meta["citation_title"] == [review.title[lang]]
    assert head.meta["citation_pdf_url"] == [f"{SITE_URL}pdf/ici-hcc-{lang}.pdf"]
    ld = article(data)
    assert ld["name"] == section.full_title(lang)
    assert ld["isPartOf"]["url"] == f"{SITE_URL}{lang}/ici-hcc/"
    assert len(ld["citation"]) == len(head.meta["citation_reference"]) > 5


def test_meta_descriptions_are_in_the_page_language_and_differ_from_page_to_page(built_site, project):
    seen: dict[str, str] = {}
    for review in project.reviews:
        for section in review.pages_in_order:
            for lang in ("zh", "en"):
                url = section.url(lang)
                _, head, data = page(built_site, url)
                (description,) = head.meta["description"]
                assert description and description == og(data)["og:description"]
                has_cjk = bool(re.search(r"[\u4e00-\u9fff]", description))
                assert has_cjk == (lang == "zh"), (url, description)
                assert description not in seen, (url, seen.get(description))
                seen[description] = url
    for lang in ("zh", "en"):  # pages without text of their own: still in their language
        (description,) = Head((built_site / lang / "trials/index.html").read_text(encoding="utf-8")).meta["description"]
        assert bool(re.search(r"[\u4e00-\u9fff]", description)) == (lang == "zh")
        # an index says what it lists (its opening sentence), not the site's generic sentence (reader try)
        assert description == i18n.t("trials_intro", lang)


def test_the_root_page_title_names_the_site_once(built_site):
    head = Head((built_site / "index.html").read_text(encoding="utf-8"))
    assert head.title.strip() == "肝细胞癌治疗文献综述 · Reviews of HCC Treatment"


def test_reference_downloads_read_back_without_placeholders(built_site, project, bib):
    for review in project.reviews:
        stem = built_site / "downloads" / f"{review.id}-references"
        ris = rispy.loads(stem.with_suffix(".ris").read_text(encoding="utf-8"))
        items = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
        bibtex = stem.with_suffix(".bib").read_text(encoding="utf-8")
        placeholders = {k for k in bib if "unidentified" in bib.fields(k)}
        assert [r["id"] for r in ris] == [i["id"] for i in items]
        assert len(items) > 10 and not placeholders & {i["id"] for i in items}
        for text in (stem.with_suffix(".ris").read_text(encoding="utf-8"), json.dumps(items), bibtex):
            assert not PLACEHOLDER_TITLE.search(text) and "unidentified" not in text
        # a CSL processor formats every item
        style = CitationStylesStyle("harvard-cite-them-right", validate=False)
        formatted = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
        for item in items:
            formatted.register(Citation([CitationItem(item["id"])]))
        assert len(formatted.bibliography()) == len(items)
    assert any(k for k in placeholders)  # the real refs.bib has placeholders: the check above means something


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_references_page_offers_csl_json_beside_bibtex_and_ris(built_site, lang):
    text = (built_site / lang / "ici-hcc/references/index.html").read_text(encoding="utf-8")
    for suffix in ("bib", "ris", "json"):
        assert f'href="../../../downloads/ici-hcc-references.{suffix}"' in text, suffix
