"""What reference managers and search engines read of a review's pages: Highwire Press ``citation_*`` tags
(Zotero, Google Scholar), a schema.org ``ScholarlyArticle`` as JSON-LD, Open Graph, and the page's meta
description in its own language.

Every value comes from the review's front-matter or refs.bib; what the source does not give is left out,
never filled in (review ici-hcc names no authors, journal or date: its pages carry none). The placeholders
of unidentified references are no publications and are not listed (bib.exports.is_placeholder).

The tags are rendered here with autoescape (templates/scholarly.html.j2) and handed to the theme in the
page's front-matter (``scholarly``, written out by site_overrides/main.html); the description goes in
``description``, which mkdocs-material writes unescaped, so it is escaped here.
"""

from __future__ import annotations

import re
from typing import Any

from .. import i18n
from ..i18n import HTML_LANG, OTHER
from ..sources.content import Review, Section
from ..urls import rel, review_pdf

OG_LOCALE = {"zh": "zh_CN", "en": "en_US"}
# A description is cut at a sentence end within this many characters (Chinese carries more per character).
DESCRIPTION_MAX = {"zh": 110, "en": 200}

_CITATION = re.compile(r"\[@[^\]]*\]|\[-?@[^\]]*\]")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")
_ATTRS = re.compile(r"\{[:#.][^}]*\}")
_MARKS = re.compile(r"[*_`]+")


def plain_text(markdown: str) -> str:
    """A markdown block as one line of reader's text: no citations, link targets, tags or emphasis marks."""
    text = _CITATION.sub("", markdown)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _ATTRS.sub("", text)
    text = _MARKS.sub("", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s+([，。；：、,.;:])", r"\1", text)


def shorten(text: str, lang: str) -> str:
    """``text`` cut at the last sentence end within the limit of its language, or at a word with "…"."""
    limit = DESCRIPTION_MAX[lang]
    if len(text) <= limit:
        return text
    head = text[:limit]
    ends = [m.end() for m in re.finditer(r"[。！？]|[.!?](?=\s)", head)]
    if ends and ends[-1] > limit // 3:
        return head[:ends[-1]].strip()
    if lang == "en" and " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:，；：、") + "…"


def section_description(section: Section, lang: str) -> str:
    """The first paragraph of the page's own text (not a heading, not an editor's note), shortened."""
    for pair in section.body.pairs:
        if pair.kind == "text" and pair.translated(lang):
            text = plain_text(pair.text(lang))
            if text and not text.startswith(("```", ":::", "!!!")):
                return shorten(text, lang)
    return ""


def default_description(title: str, lang: str) -> str:
    """A page without text of its own (an index, a record, a list): its title and what the site is."""
    intro = i18n.t("site_intro", lang)
    return f"{title}{'：' if lang == 'zh' else ': '}{intro}" if title else intro


def _absolute(site_url: str, url: str, page_url: str) -> str:
    """A site path as the absolute address of the published site, or (no address known) relative to the page."""
    return site_url + url if site_url else rel(page_url, url)


def _pages(review: Review) -> tuple[str, str] | None:
    if not review.pages:
        return None
    first, _, last = re.sub(r"\s*[\u2010-\u2015\u2212-]+\s*", "-", review.pages).partition("-")
    return first, last


def _date(review: Review, sep: str) -> str:
    published = review.dates.get("published")
    if published is not None:
        return published.strftime(f"%Y{sep}%m{sep}%d")
    return str(review.year) if review.year else ""


def _reference_string(item: dict) -> str:
    """A CSL item as Google Scholar's ``citation_reference`` value ("citation_title=…; citation_author=…")."""
    parts: list[tuple[str, str]] = []
    if item.get("title"):
        parts.append(("citation_title", item["title"]))
    for person in item.get("author", []):
        parts.append(("citation_author", person.get("literal") or f"{person['family']}, {person['given']}"))
    if item.get("container-title"):
        parts.append(("citation_journal_title", item["container-title"]))
    year = item.get("issued", {}).get("date-parts", [[None]])[0][0]
    if year:
        parts.append(("citation_publication_date", str(year)))
    for key, name in (("volume", "citation_volume"), ("issue", "citation_issue"), ("DOI", "citation_doi")):
        if item.get(key):
            parts.append((name, item[key]))
    if item.get("page"):
        first, _, last = item["page"].partition("-")
        parts.append(("citation_firstpage", first))
        if last:
            parts.append(("citation_lastpage", last))
    return "; ".join(f"{name}={value.replace(';', ',')}" for name, value in parts)


def _schema_citation(item: dict) -> dict:
    out: dict[str, Any] = {"@type": "ScholarlyArticle" if item.get("type") == "article-journal" else "CreativeWork"}
    if item.get("title"):
        out["name"] = item["title"]
    authors = [{"@type": "Person", "name": p.get("literal") or f"{p['given']} {p['family']}"}
               for p in item.get("author", [])]
    if authors:
        out["author"] = authors
    year = item.get("issued", {}).get("date-parts", [[None]])[0][0]
    if year:
        out["datePublished"] = str(year)
    if item.get("container-title"):
        out["isPartOf"] = {"@type": "Periodical", "name": item["container-title"]}
    if item.get("DOI"):
        out["sameAs"] = f"https://doi.org/{item['DOI']}"
    elif item.get("URL"):
        out["url"] = item["URL"]
    return out


def _periodical(review: Review, lang: str) -> dict | None:
    """The source's journal, volume and issue as schema.org's nested PublicationIssue/Volume/Periodical."""
    if not review.journal or not review.journal.get(lang):
        return None
    node: dict[str, Any] = {"@type": "Periodical", "name": review.journal[lang]}
    if review.volume:
        node = {"@type": "PublicationVolume", "volumeNumber": review.volume, "isPartOf": node}
    if review.issue:
        node = {"@type": "PublicationIssue", "issueNumber": review.issue, "isPartOf": node}
    return node


def metadata(r: Any, review: Review, section: Section, lang: str, keys: list[str]) -> dict[str, str]:
    """Front-matter for a review's landing or section page: ``description`` and ``scholarly``
    (the head's tags as HTML). ``keys``: the references the page stands for (the landing page: the review's)."""
    landing = section.kind == "landing"
    page_url = section.url(lang)
    other = OTHER[lang]
    site_url = r.site_url
    title = review.title[lang]
    page_title = title if landing else section.full_title(lang)
    description = section_description(section, lang) or default_description(page_title, lang)
    items = r.bib.csl_items(keys)
    landing_url = review.landing.url(lang)

    # Highwire Press: the article is the review (a section page is a part of it, saved as the review)
    tags: list[tuple[str, str]] = [("citation_title", title)]
    tags += [("citation_author", a.zh if lang == "zh" else a.en) for a in review.authors if (a.zh if lang == "zh" else a.en)]
    date = _date(review, "/")
    if date:
        tags.append(("citation_publication_date", date))
    tags.append(("citation_language", lang))
    if review.journal and review.journal.get(lang):
        tags.append(("citation_journal_title", review.journal[lang]))
    if review.volume:
        tags.append(("citation_volume", review.volume))
    if review.issue:
        tags.append(("citation_issue", review.issue))
    pages = _pages(review)
    if pages:
        tags.append(("citation_firstpage", pages[0]))
        if pages[1]:
            tags.append(("citation_lastpage", pages[1]))
    if review.doi and lang == "zh":  # the DOI is the Chinese original's; the English page is our translation
        tags.append(("citation_doi", review.doi))
    tags += [("citation_keywords", k) for k in review.keywords.get(lang, [])]
    tags.append(("citation_abstract_html_url", _absolute(site_url, landing_url, page_url)))
    tags.append(("citation_pdf_url", _absolute(site_url, review_pdf(review.id, lang), page_url)))
    tags += [("citation_reference", _reference_string(item)) for item in items]

    # schema.org
    def work(target_lang: str, target: Section) -> dict[str, Any]:
        return {"@type": "ScholarlyArticle", "name": review.title[target_lang] if target.kind == "landing"
                else target.full_title(target_lang), "inLanguage": HTML_LANG[target_lang],
                "url": _absolute(site_url, target.url(target_lang), page_url)}

    ld: dict[str, Any] = {"@context": "https://schema.org", "@type": "ScholarlyArticle",
                          "name": page_title, "headline": page_title, "inLanguage": HTML_LANG[lang],
                          "url": _absolute(site_url, page_url, page_url), "description": description}
    authors = [{"@type": "Person", "name": a.zh if lang == "zh" else a.en} for a in review.authors]
    if authors:
        ld["author"] = authors
    iso = _date(review, "-")
    if iso:
        ld["datePublished"] = iso
    if landing:
        periodical = _periodical(review, lang)
        if periodical:
            ld["isPartOf"] = periodical
        if pages:
            ld["pagination"] = "-".join(p for p in pages if p)
        if review.keywords.get(lang):
            ld["keywords"] = review.keywords[lang]
        if review.license_name_url():
            ld["license"] = review.license_name_url()[1]
    else:
        ld["isPartOf"] = work(lang, review.landing)
    # The Chinese text is the source; the English text is its translation
    if lang == "zh":
        ld["workTranslation"] = work(other, section)
        if review.doi:
            ld["sameAs"] = f"https://doi.org/{review.doi}"
    else:
        ld["translationOfWork"] = work(other, section)
        if review.doi:
            ld["translationOfWork"]["sameAs"] = f"https://doi.org/{review.doi}"
    if items:
        ld["citation"] = [_schema_citation(item) for item in items]

    og = [("og:type", "article"), ("og:title", page_title), ("og:description", description),
          ("og:site_name", i18n.t("site_name", lang)), ("og:locale", OG_LOCALE[lang]),
          ("og:locale:alternate", OG_LOCALE[other])]
    if site_url:
        og.insert(2, ("og:url", site_url + page_url))
    head = r.env.get_template("scholarly.html.j2").render(tags=tags, og=og, ld=ld)
    return {"description": description, "scholarly": head.strip()}
