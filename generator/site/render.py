"""Models -> the markdown of each generated page, through Jinja2 templates: the renderer and what every
page is made of (blocks, citations, reference lists, front-matter). The page kinds are functions of the
renderer in generator/site/reviewpages.py, sitepages.py and recordpages.py.

Contributor markdown is passed to the templates as data (``Markup`` so that it reaches
the markdown processor unchanged); it is never evaluated as a template. Everything the
generator itself inserts (titles, names, formatted references) is escaped by autoescape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml
from jinja2 import BytecodeCache, Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from .. import i18n
from ..bib.bibliography import Bibliography
from ..bib.numbering import CitationIndex, cite_id
from ..i18n import HTML_LANG, OTHER
from ..sources.bilingual import Block, Pair
from ..sources.citations import Citation, collapse, replace, scan
from ..sources.content import Project, Review, Section
from ..sources.regions import Regions
from ..urls import rel
from .downloads import pdf_downloads, reference_downloads, section_downloads
from .fragments import Fragments
from . import scholarly

EDITOR_START = re.compile(r"^(\s*)!!!\s+editor\b(?P<title>[^\n]*)")

_BYTECODE: BytecodeCache | None = None


def use_bytecode_cache(folder: Path | None) -> BytecodeCache | None:
    """Keep compiled templates in ``folder`` across builds (Jinja2 checks each against its source);
    compiling the templates costs a few tenths of a second per build otherwise."""
    global _BYTECODE
    _BYTECODE = FileSystemBytecodeCache(str(folder)) if folder is not None else None
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    return _BYTECODE


_DICT_ATTRIBUTES = frozenset(dir(dict))


class DataEnvironment(Environment):
    """Jinja2's environment for templates fed plain dicts. ``{{ e.key }}`` means Jinja's ``getattr``: the
    attribute first, the item if there is none. On a dict the attribute lookup fails with an exception
    before the item is found, which cost more than the rest of the rendering of the citation-heavy pages
    (reference lists, citations, the bibliography): here a dict's items are found without that detour,
    with the same result (a dict's own methods still come first)."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def md_text(value: str) -> str:
    """Text put into markdown: escaped for HTML, and '[' and ']' as entities, so that it never starts or ends a
    link's text ('Demo](javascript:...) [x' in the link of the home page)."""
    return str(escape(value)).replace("[", "&#91;").replace("]", "&#93;")


def jinja_env() -> Environment:
    env = DataEnvironment(loader=PackageLoader("generator.site", "templates"), autoescape=True, bytecode_cache=_BYTECODE,
                      undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=False,
                      # markdown attribute lists are written "{#id}": Jinja comments use {## ##} instead
                      comment_start_string="{##", comment_end_string="##}")
    return env


def front_matter(meta: dict[str, Any]) -> Markup:
    return Markup("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=True) + "---\n")


@dataclass
class Page:
    """A generated page: its path in the virtual docs tree and its markdown."""
    uri: str  # e.g. 'zh/ici-hcc/ici-monotherapy.md'
    markdown: str
    source: str | None  # the content/ file it comes from (for 'edit this page')
    lang: str


class Renderer:
    def __init__(self, project: Project, bib: Bibliography, cindex: CitationIndex, site_url: str = ""):
        self.site_url = site_url
        self.project = project
        self.bib = bib
        self.cindex = cindex
        self.env = jinja_env()
        # The pages' templates put text of the front-matter into markdown (a heading, a link's text, a paragraph of
        # markdown): escaped for HTML by autoescape, and brackets as entities so that it never makes a link.
        # (Jinja compiles the use of finalize into the template: these templates have their own bytecode files.)
        self.env.finalize = lambda v: v if isinstance(v, Markup) else Markup(md_text(v))
        if isinstance(_BYTECODE, FileSystemBytecodeCache):
            self.env.bytecode_cache = FileSystemBytecodeCache(_BYTECODE.directory, "__jinja2_md_%s.cache")
        self.fragments = Fragments()  # finished HTML, put into the pages by placeholder (generator/site/fragments.py)
        self.regions = Regions()  # contributor text in the pages, sanitized after markdown (generator/sources/regions.py)
        self._cite = self.env.get_template("cite.html").module.cite
        self._reflist = self.env.get_template("reflist.html").module
        self._ref_entries: dict[tuple[str, str, str], Markup] = {}  # (review, lang, key) -> <li> without backlinks
        self._reflists: dict[tuple, Markup] = {}  # a page's own list: the same on its parallel views
        self._cites: dict[tuple, str] = {}
        self._sections: dict[str, dict[str, Section]] = {}
        # Directive expanders (e.g. record tables): fn(text, lang, review, section) -> text.
        # They run before citations are rendered, so tables may cite like prose does.
        self.directives: list[Callable[..., str]] = []
        # Download links of a review page: fn(review, lang, page_url) -> [{"href", "label"}].
        self.links = None  # generator.sources.links.Links: rewrites links to sources into page links
        self.history = None  # generator.sources.history.History: last-updated dates, changelog
        self.status = None  # translation status per review (generator.sources.status)
        self.records = None  # generator.sources.records.Records: drug names for the glossary
        # PDF links first: they are what most readers download
        self.download_providers: list[Callable[[Review, str, str], list[dict[str, str]]]] = [
            pdf_downloads, reference_downloads]
        self.section_downloads = section_downloads  # a section page's: the review's PDF

    # ---- blocks -------------------------------------------------------------------------
    def cite_html(self, review: Review, lang: str, pair: Pair, k: int, c: Citation, ref_href: str = "",
                  id_prefix: str = "") -> str:
        # the two parallel views (zh, en) show the same cells: each citation is rendered once
        memo = (review.id, lang, pair.anchor, pair.kind, k, ref_href, id_prefix,
                tuple((i.key, i.locator) for i in c.items))
        done = self._cites.get(memo)
        if done is None:
            done = self._cites[memo] = self._cite_html(review, lang, pair, k, c, ref_href, id_prefix)
        return done

    def _cite_html(self, review: Review, lang: str, pair: Pair, k: int, c: Citation, ref_href: str,
                   id_prefix: str) -> str:
        numbering = self.cindex.numbering[review.id]
        plain = [numbering.numbers[i.key] for i in c.items if not i.locator and i.key in numbering.numbers]
        parts: list[dict[str, Any]] = []
        for a, b in collapse(plain):
            if b == a + 1:
                parts += [{"n": a, "end": None, "loc": "", "sep": ", "}, {"n": b, "end": None, "loc": "", "sep": ", "}]
            else:
                parts.append({"n": a, "end": b if b != a else None, "loc": "", "sep": ", "})
        for item in c.items:
            if item.locator and item.key in numbering.numbers:
                parts.append({"n": numbering.numbers[item.key], "end": None, "loc": item.locator, "sep": ", "})
        numbers = sorted({numbering.numbers[i.key] for i in c.items if i.key in numbering.numbers})
        html = str(self._cite(id_prefix + cite_id(pair.anchor, k), numbers, parts, ref_href,
                              i18n.t("cite_label", lang)))
        # filled in at the end, also in headings (their title in the table of contents drops it): the markup of
        # a citation is the generator's, kept out of the contributor text the sanitizer reads
        return self.fragments.inline(html)

    def block_text(self, review: Review, section: Section, pair: Pair, lang: str, ref_href: str = "",
                   id_prefix: str = "", page_url: str | None = None) -> str:
        block = pair.block(lang)
        if block is None:
            return ""
        text = block.text
        if self.links is not None:
            text = self.links.rewrite(text, section.path, page_url or section.url(lang), lang)
        for expand in self.directives:
            text = expand(text, lang, review, section, page_url=page_url or section.url(lang))
        found = self.cindex.scan_of(block) if text == block.text else scan(text)
        if found.citations:
            index = {id(c): k for k, c in enumerate(found.citations)}
            text = replace(text, found.citations,
                           lambda c: self.cite_html(review, lang, pair, index[id(c)], c, ref_href, id_prefix))
        if pair.kind == "editor":
            title = i18n.t("editor_note", lang)
            text = EDITOR_START.sub(lambda m: f'{m.group(1)}!!! editor "{title}"'
                                    if not m.group("title").strip() else m.group(0), text, count=1)
        return text

    def block_md(self, review: Review, section: Section, pair: Pair, lang: str) -> str:
        if not pair.translated(lang):
            other = OTHER[lang]
            body = self.block_text(review, section, pair, other)
            body = self.contributor(body, section.path, pair.block(other))
            return (f'<div class="blk pending" id="{pair.anchor}" markdown>\n\n'
                    f'<p class="pending-note" lang="{HTML_LANG[lang]}">{escape(i18n.t("pending", lang))}</p>\n\n'
                    f'<div lang="{HTML_LANG[other]}" markdown>\n\n{body}\n\n</div>\n\n</div>')
        text = self.block_text(review, section, pair, lang)
        if pair.kind == "heading":
            return self.contributor(f"{text.strip()} {{#{pair.anchor}}}", section.path, pair.block(lang))
        kind = " editor-note" if pair.kind == "editor" else ""
        text = self.contributor(text, section.path, pair.block(lang))
        return f'<div class="blk{kind}" id="{pair.anchor}" markdown>\n\n{text}\n\n</div>'

    def contributor(self, text: str, path: Path, block: Block | None) -> str:
        """Contributor markdown, marked as such: its HTML goes through the sanitizer (generator/sources/regions.py)."""
        return self.regions.wrap(text, path, block.first_line if block is not None else 1)

    # ---- references -----------------------------------------------------------------------
    def defer(self, html: str, *, late: bool = False) -> Markup:
        """A placeholder for a block of ready-made HTML (generator/site/fragments.py): filled in after the
        markdown conversion, or with ``late`` at the very end (not in the search index)."""
        return Markup(self.fragments.block(html, late=late))

    def reflist(self, review: Review, lang: str, keys: list[str], *, page_url: str = "",
                backlinks: bool = False, here: str = "", prefix: str = "") -> str:
        """The numbered references ``keys``; with ``backlinks`` the review's complete list, without them a
        page's own list. A page's own list (``here``: its section's id) links each entry back to the places of
        this page that cite it (``prefix``: the ids' prefix on that page, as in the parallel view).
        Not searched: put in at the end of the build."""
        whole = (review.id, lang, tuple(sorted(set(keys))), here, prefix)
        if not backlinks and whole in self._reflists:
            return self._reflists[whole]
        numbering = self.cindex.numbering[review.id]
        entries = []
        for key in sorted(set(keys), key=lambda k: numbering.numbers[k]):
            memo = (review.id, lang, key)
            if not backlinks and not here and memo in self._ref_entries:
                entries.append(self._ref_entries[memo])
                continue
            f = self.bib.format(key, lang)
            n = numbering.count(key)
            count_text = i18n.t("cited_times", lang, n=n, s="" if n == 1 else "s")
            back = []
            if backlinks:
                for k, place in enumerate(numbering.places.get(key, []), 1):
                    target = self.section_by_id(review, place.page).url(lang) + f"#{place.cite_id}"
                    back.append({"href": rel(page_url, target), "text": str(k),
                                 "label": i18n.t("backlink", lang, k=k)})
            elif here:
                places = [p for p in numbering.places.get(key, []) if p.page == here]
                back = [{"href": f"#{prefix}{place.cite_id}", "text": str(k), "label": i18n.t("backlink", lang, k=k)}
                        for k, place in enumerate(places, 1)]
            entry = self._reflist.entry({"n": numbering.numbers[key], "html": Markup(f.html), "links": f.links,
                                         "count": n, "count_text": count_text, "backlinks": back})
            if not backlinks and not here:
                self._ref_entries[memo] = entry
            entries.append(entry)
        out = self.defer(str(self._reflist.list(entries)).strip(), late=True)
        if not backlinks:
            self._reflists[whole] = out
        return out

    def section_by_id(self, review: Review, section_id: str) -> Section:
        by_id = self._sections.get(review.id)
        if by_id is None:
            by_id = self._sections[review.id] = {s.id: s for s in reversed(review.pages_in_order)}
        return by_id[section_id]

    def keys_cited(self, section: Section) -> list[str]:
        return [k for pair in section.body.pairs for k in self.keys_of(pair)]

    # ---- what every page has --------------------------------------------------------------
    def meta(self, **kw: Any) -> Markup:
        # The theme writes page titles into <title>, <h1> and the navigation unescaped.
        lang = kw.get("lang", "en")
        if kw.get("description") is None:  # every page says what it is in its own language (scholarly.py)
            kw["description"] = (scholarly.default_description("", "zh") + " " + scholarly.default_description("", "en")
                                 if kw.get("kind") == "root" else scholarly.default_description(kw.get("title", ""), lang))
        kw["description"] = str(escape(kw["description"]))
        if "title" in kw:
            kw["title"] = str(escape(kw["title"]))
        source = kw.pop("source", None)
        if source is not None and self.history is not None:
            date = self.history.last_updated(source)
            kw["revision_date"] = date or i18n.t("updated_unknown", lang)
        return front_matter({k: v for k, v in kw.items() if v is not None})

    def alternates(self, url: str, lang: str) -> dict[str, str]:
        other = OTHER[lang]
        counterpart = url.replace(f"{lang}/", f"{other}/", 1)
        return {"alternate": rel(url, counterpart), "alternate_lang": other,
                "self_url": url, "alternate_url": counterpart}

    def keys_of(self, pair: Pair) -> list[str]:
        block = pair.zh if pair.translated("zh") else pair.en
        if block is None:
            return []
        return [i.key for c in self.cindex.scan_of(block).citations for i in c.items if i.key in self.bib]

    def source_of(self, section: Section) -> str:
        return self.source_of_path(section.path)

    def source_of_path(self, path) -> str:
        return path.resolve().relative_to(self.project.root.resolve()).as_posix()
