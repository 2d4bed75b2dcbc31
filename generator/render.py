"""Models -> the markdown of each generated page, through Jinja2 templates.

Contributor markdown is passed to the templates as data (``Markup`` so that it reaches
the markdown processor unchanged); it is never evaluated as a template. Everything the
generator itself inserts (titles, names, formatted references) is escaped by autoescape.
"""

from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import yaml
from jinja2 import BytecodeCache, Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from .bilingual import LANGS, Block, Pair
from .citations import Citation, collapse, replace, scan
from .content import Project, Review, Section
from .i18n import HTML_LANG, OTHER, STRINGS
from .citethis import cite_this
from .fragments import Fragments
from .numbering import CitationIndex, cite_id
from .regions import Regions

if TYPE_CHECKING:  # pragma: no cover
    from .bibliography import Bibliography

EDITOR_START = re.compile(r"^(\s*)!!!\s+editor\b(?P<title>[^\n]*)")

EXTRA_STRINGS = {
    "references": {"zh": "参考文献", "en": "References"},
    "cite_label": {"zh": "参考文献", "en": "Reference"},
    "cited_times": {"zh": "本综述引用 {n} 次", "en": "cited {n} time{s} in this review"},
    "backlink": {"zh": "回到引用处 {k}", "en": "Back to citation {k}"},
    "downloads_bib": {"zh": "参考文献 BibTeX", "en": "References (BibTeX)"},
    "downloads_ris": {"zh": "参考文献 RIS", "en": "References (RIS)"},
    "cite_this": {"zh": "引用本综述", "en": "Cite this review"},
    "drugs_heading": {"zh": "药物与治疗方式", "en": "Drugs and procedures"},
    "drug_inn": {"zh": "国际非专利名（INN）", "en": "INN / name"},
    "drug_zh": {"zh": "中文名", "en": "Chinese name"},
    "drug_class": {"zh": "类别 / 靶点", "en": "Class / target"},
    "drug_aliases": {"zh": "原文中的其他写法", "en": "Other spellings in the sources"},
    "updated_unknown": {"zh": "未知（不是从 git 仓库构建）", "en": "unknown (not built from a git checkout)"},
    "status_title": {"zh": "翻译状态", "en": "Translation status"},
    "status_intro": {"zh": "每节的段落翻译状态：已完成、翻译中，或中文在英文之后修改过（译文可能需要更新）。",
                     "en": "The translation of every passage, by section: complete, pending, or possibly stale "
                           "(the Chinese changed after the English)."},
    "status_section": {"zh": "章节", "en": "Section"},
    "status_complete": {"zh": "已完成", "en": "Complete"},
    "status_pending": {"zh": "翻译中", "en": "Pending"},
    "status_stale": {"zh": "可能过时", "en": "Possibly stale"},
    "status_blocks": {"zh": "段落", "en": "Passages"},
    "status_attention": {"zh": "需要处理的段落", "en": "Passages needing attention"},
    "status_none": {"zh": "全部段落均已翻译且为最新。", "en": "Every passage is translated and up to date."},
    "status_nogit": {"zh": "本次构建不在 git 仓库中，无法判断译文是否过时。",
                     "en": "This build is not from a git checkout, so stale translations cannot be detected."},
    "changelog": {"zh": "更新记录", "en": "Changelog"},
    "changelog_intro": {"zh": "综述内容与参考文献的修改记录（来自 git 历史）。",
                        "en": "Changes to the reviews and the bibliography, from the git history."},
    "changelog_nogit": {"zh": "本次构建不在 git 仓库中，没有修改记录。",
                        "en": "This build is not from a git checkout: no history is available."},
    "all_references": {"zh": "全部参考文献", "en": "All references"},
    "references_intro": {"zh": "本综述引用的全部文献，按首次引用顺序编号（与正文及 PDF 中的编号一致）。",
                         "en": "Every reference of this review, numbered in order of first citation (the same "
                               "numbers as in the text and in the PDF)."},
    "bibliography": {"zh": "文献总目", "en": "Bibliography"},
    "bibliography_intro": {"zh": "本站引用的全部参考文献，并列出每条文献在各综述中的编号与全部引用位置。",
                           "en": "Every reference cited on this site, with its number in each review and links "
                                 "back to every place that cites it."},
    "cited_in": {"zh": "引用于", "en": "Cited in"},
    "not_cited": {"zh": "综述正文未引用（见试验记录）", "en": "not cited in the reviews' text (see the trial records)"},
}


def STRINGS_X(key: str, lang: str) -> str:
    return {**STRINGS, **EXTRA_STRINGS}[key][lang]


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
    env = DataEnvironment(loader=PackageLoader("generator", "templates"), autoescape=True, bytecode_cache=_BYTECODE,
                      undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=False,
                      # markdown attribute lists are written "{#id}": Jinja comments use {## ##} instead
                      comment_start_string="{##", comment_end_string="##}")
    return env


class Strings(dict):
    """``t.key`` in templates gives the string in the page's language."""

    def __init__(self, lang: str):
        super().__init__({k: v[lang] for k, v in {**STRINGS, **EXTRA_STRINGS}.items()})

    def __getattr__(self, name: str) -> str:
        return self[name]


def rel(from_url: str, to_url: str) -> str:
    """Relative link between two site URLs ('zh/a/b/' -> 'en/a/b/#x' gives '../../../en/a/b/#x')."""
    path, _, frag = to_url.partition("#")
    return _rel_path(from_url, path) + (f"#{frag}" if frag else "")


@functools.lru_cache(maxsize=65536)  # backlinks and citations ask for the same few pages thousands of times
def _rel_path(from_url: str, path: str) -> str:
    if not path:
        return ""
    base = posixpath.dirname(from_url.rstrip("/") + "/x") if from_url.endswith("/") else posixpath.dirname(from_url)
    out = posixpath.relpath(path, base or ".")
    if path.endswith("/") and out != "." and not out.endswith("/"):
        out += "/"
    return "./" if out == "." else out


def front_matter(meta: dict[str, Any]) -> Markup:
    return Markup("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=True) + "---\n")


@dataclass
class Page:
    """A generated page: its path in the virtual docs tree and its markdown."""
    uri: str  # e.g. 'zh/ici-hcc/ici-monotherapy.md'
    markdown: str
    source: str | None  # the content/ file it comes from (for 'edit this page')
    lang: str


def page_uri(url: str, *, index: bool = False) -> str:
    """'zh/ici-hcc/x/' -> 'zh/ici-hcc/x.md'; with ``index`` 'zh/ici-hcc/' -> 'zh/ici-hcc/index.md'."""
    url = url.strip("/")
    if not url:
        return "index.md"
    return f"{url}/index.md" if index else f"{url}.md"


class Renderer:
    def __init__(self, project: Project, bib: "Bibliography", cindex: CitationIndex, site_url: str = ""):
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
        self.fragments = Fragments()  # finished HTML, put into the pages by placeholder (generator/fragments.py)
        self.regions = Regions()  # contributor text in the pages, sanitized after markdown (generator/regions.py)
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
        self.links = None  # generator.links.Links: rewrites links to sources into page links
        self.history = None  # generator.history.History: last-updated dates, changelog
        self.status = None  # translation status per review (generator.status)
        self.records = None  # generator.records.Records: drug names for the glossary
        from . import pdf  # PDF links first: they are what most readers download
        self.download_providers: list[Callable[[Review, str, str], list[dict[str, str]]]] = [
            pdf.downloads, self.reference_downloads]
        self.section_downloads = pdf.section_downloads  # a section page's: the review's PDF

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
                              EXTRA_STRINGS["cite_label"][lang]))
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
            title = STRINGS["editor_note"][lang]
            text = EDITOR_START.sub(lambda m: f'{m.group(1)}!!! editor "{title}"'
                                    if not m.group("title").strip() else m.group(0), text, count=1)
        return text

    def block_md(self, review: Review, section: Section, pair: Pair, lang: str) -> str:
        if not pair.translated(lang):
            other = OTHER[lang]
            body = self.block_text(review, section, pair, other)
            body = self.contributor(body, section.path, pair.block(other))
            return (f'<div class="blk pending" id="{pair.anchor}" markdown>\n\n'
                    f'<p class="pending-note" lang="{HTML_LANG[lang]}">{escape(STRINGS["pending"][lang])}</p>\n\n'
                    f'<div lang="{HTML_LANG[other]}" markdown>\n\n{body}\n\n</div>\n\n</div>')
        text = self.block_text(review, section, pair, lang)
        if pair.kind == "heading":
            return self.contributor(f"{text.strip()} {{#{pair.anchor}}}", section.path, pair.block(lang))
        kind = " editor-note" if pair.kind == "editor" else ""
        text = self.contributor(text, section.path, pair.block(lang))
        return f'<div class="blk{kind}" id="{pair.anchor}" markdown>\n\n{text}\n\n</div>'

    def contributor(self, text: str, path: Path, block: Block | None) -> str:
        """Contributor markdown, marked as such: its HTML goes through the sanitizer (generator/regions.py)."""
        return self.regions.wrap(text, path, block.first_line if block is not None else 1)

    # ---- references -----------------------------------------------------------------------
    def defer(self, html: str, *, late: bool = False) -> Markup:
        """A placeholder for a block of ready-made HTML (generator/fragments.py): filled in after the
        markdown conversion, or with ``late`` at the very end (not in the search index)."""
        return Markup(self.fragments.block(html, late=late))

    def reflist(self, review: Review, lang: str, keys: list[str], *, page_url: str = "",
                backlinks: bool = False) -> str:
        """The numbered references ``keys``; with ``backlinks`` the review's complete list, without them a
        page's own list. Not searched: put in at the end of the build."""
        whole = (review.id, lang, tuple(sorted(set(keys))))
        if not backlinks and whole in self._reflists:
            return self._reflists[whole]
        numbering = self.cindex.numbering[review.id]
        entries = []
        for key in sorted(set(keys), key=lambda k: numbering.numbers[k]):
            memo = (review.id, lang, key)
            if not backlinks and memo in self._ref_entries:
                entries.append(self._ref_entries[memo])
                continue
            f = self.bib.format(key, lang)
            n = numbering.count(key)
            count_text = EXTRA_STRINGS["cited_times"][lang].format(n=n, s="" if n == 1 else "s")
            back = []
            if backlinks:
                for k, place in enumerate(numbering.places.get(key, []), 1):
                    target = self.section_by_id(review, place.page).url(lang) + f"#{place.cite_id}"
                    back.append({"href": rel(page_url, target), "text": str(k),
                                 "label": EXTRA_STRINGS["backlink"][lang].format(k=k)})
            entry = self._reflist.entry({"n": numbering.numbers[key], "html": Markup(f.html), "links": f.links,
                                         "count": n, "count_text": count_text, "backlinks": back})
            if not backlinks:
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

    # ---- pages ----------------------------------------------------------------------------
    def meta(self, **kw: Any) -> Markup:
        # The theme writes page titles into <title>, <h1> and the navigation unescaped.
        if "title" in kw:
            kw["title"] = str(escape(kw["title"]))
        source = kw.pop("source", None)
        lang = kw.get("lang", "en")
        if source is not None and self.history is not None:
            date = self.history.last_updated(source)
            kw["revision_date"] = date or STRINGS_X("updated_unknown", lang)
        return front_matter({k: v for k, v in kw.items() if v is not None})

    def alternates(self, url: str, lang: str) -> dict[str, str]:
        other = OTHER[lang]
        counterpart = url.replace(f"{lang}/", f"{other}/", 1)
        return {"alternate": rel(url, counterpart), "alternate_lang": other,
                "self_url": url, "alternate_url": counterpart}

    def editor_notes(self, review: Review, lang: str) -> tuple[str, list[str]]:
        """Every editor's note of the review, by section, with a link to where it stands."""
        here = f"{lang}/{review.id}/editor-notes/"
        out = [f"## {STRINGS['editor_notes_all'][lang]} {{#all-notes}}"]
        keys: list[str] = []
        for section in review.pages_in_order:
            if section.kind == "editor-notes":
                continue
            notes = [p for p in section.body.pairs if p.kind == "editor" and p.translated(lang)]
            if not notes:
                continue
            title = review.title[lang] if section.kind == "landing" else section.full_title(lang)
            out.append(f"### {md_text(title)} {{#notes-{section.id}}}")
            for pair in notes:
                href = rel(here, section.url(lang) + f"#{pair.anchor}")
                text = self.block_text(review, section, pair, lang, id_prefix=f"n-{section.id}-", page_url=here)
                text = self.contributor(text, section.path, pair.block(lang))
                out.append(f'<div class="blk editor-note" markdown>\n\n<p class="note-where">'
                           f'<a href="{href}">{escape(STRINGS["in_section"][lang])}: {md_text(title)}</a></p>\n\n'
                           f'{text}\n\n</div>')
                keys += self.keys_of(pair)
        return "\n\n".join(out), keys

    def keys_of(self, pair: Pair) -> list[str]:
        block = pair.zh if pair.translated("zh") else pair.en
        if block is None:
            return []
        return [i.key for c in self.cindex.scan_of(block).citations for i in c.items if i.key in self.bib]

    def section_page(self, review: Review, section: Section, lang: str) -> Page:
        url = section.url(lang)
        t = Strings(lang)
        blocks = [self.block_md(review, section, p, lang) for p in section.body.pairs]
        pending = section.pending and any(not p.translated(lang) for p in section.body.pairs)
        keys = self.keys_cited(section)
        appendix = ""
        if section.kind == "editor-notes":
            appendix, more = self.editor_notes(review, lang)
            keys += more
        md = self.env.get_template("section.md.j2").render(
            meta=self.meta(title=section.full_title(lang), lang=lang, review=review.id, section=section.id,
                           source=self.source_of(section),
                           kind=section.kind, **self.alternates(url, lang)),
            t=t, blocks=[Markup(b) for b in blocks], parallel_href="parallel/",
            downloads=self.section_downloads(review, lang, url),
            pending_notice=t.pending_page if pending else "", appendix=Markup(appendix),
            references=Markup(self.reflist(review, lang, keys, page_url=url)) if keys else "",
        )
        return Page(page_uri(url), md, self.source_of(section), lang)

    def parallel_page(self, review: Review, section: Section, lang: str) -> Page:
        url = section.parallel_url(lang)
        t = Strings(lang)
        rows = []
        for pair in section.body.pairs:
            cells = {}
            for side in LANGS:
                if pair.translated(side):
                    text = self.block_text(review, section, pair, side, id_prefix=f"{side}-",
                                           page_url=section.parallel_url(lang))
                    if pair.kind == "heading":
                        text = f"{text.strip()} {{#{side}-{pair.anchor}}}"
                    cells[side] = Markup(self.contributor(text, section.path, pair.block(side)))
                else:
                    cells[side] = Markup(f'<p class="pending-note">{escape(STRINGS["pending"][side])}</p>')
            rows.append({"anchor": pair.anchor, **cells})
        keys = self.keys_cited(section)
        title = t.parallel_title + section.full_title(lang)
        md = self.env.get_template("parallel.md.j2").render(
            meta=self.meta(title=title, lang=lang, review=review.id, section=section.id, kind="parallel",
                           source=self.source_of(section),
                           hide=["toc"], search={"exclude": True}, **self.alternates(url, lang)),
            t=t, rows=rows, back_href="../", title=title,
            references=Markup(self.reflist(review, lang, keys, page_url=url)) if keys else "",
        )
        return Page(page_uri(url), md, self.source_of(section), lang)

    def landing_page(self, review: Review, lang: str) -> Page:
        section = review.landing
        url = section.url(lang)
        t = Strings(lang)
        journal = review.journal[lang] if review.journal else ""
        source = ""
        if journal:
            bits = [journal, str(review.year or "")]
            vol = f"{review.volume or ''}{f'({review.issue})' if review.issue else ''}"
            source = ", ".join(b for b in bits if b)
            if vol:
                source += f", {vol}"
            if review.pages:
                source += f": {review.pages}"
        dates = " · ".join(f"{STRINGS[k][lang]}: {v.isoformat()}" for k, v in review.dates.items())
        sections = [{"href": rel(url, s.url(lang)), "title": s.full_title(lang)} for s in review.sections]
        keys = self.keys_cited(section)
        md = self.env.get_template("landing.md.j2").render(
            meta=self.meta(title=review.title[lang], lang=lang, review=review.id, section="index", kind="landing",
                           source=self.source_of(section),
                           **self.alternates(url, lang)),
            t=t, review=review, lang=lang, source=source, dates=dates, license=review.license_name_url(),
            blocks=[Markup(self.block_md(review, section, p, lang)) for p in section.body.pairs],
            sections=sections, sep="；" if lang == "zh" else "; ", parallel_href="parallel/",
            downloads=[d for provider in self.download_providers for d in provider(review, lang, url)],
            cite=cite_this(review, lang, self.site_url + url if self.site_url else ""), references=Markup(self.reflist(review, lang, keys, page_url=url)) if keys else "",
        )
        return Page(page_uri(url, index=True), md, self.source_of(section), lang)

    def reference_downloads(self, review: Review, lang: str, page_url: str) -> list[dict[str, str]]:
        return [{"href": rel(page_url, f"downloads/{review.id}-references.bib"), "label": STRINGS_X("downloads_bib", lang)},
                {"href": rel(page_url, f"downloads/{review.id}-references.ris"), "label": STRINGS_X("downloads_ris", lang)}]

    def references_page(self, review: Review, lang: str) -> Page:
        url = f"{lang}/{review.id}/references/"
        keys = self.cindex.numbering[review.id].ordered_keys()
        t = Strings(lang)
        downloads = " · ".join(f'<a href="{escape(d["href"])}" download>{escape(d["label"])}</a>'
                               for d in self.reference_downloads(review, lang, url))
        body = (Markup(f'{escape(t.references_intro)}\n\n<p class="page-tools">{downloads}</p>\n\n')
                + self.reflist(review, lang, keys, page_url=url, backlinks=True))
        md = self.env.get_template("plain.md.j2").render(
            # not searched (nor is the bibliography): see bibliography_page
            meta=self.meta(title=t.all_references, lang=lang, review=review.id, kind="references", source="refs.bib",
                           search={"exclude": True}, **self.alternates(url, lang)), body=Markup(body))
        return Page(page_uri(url), md, "refs.bib", lang)

    def bibliography_page(self, lang: str) -> Page:
        url = f"{lang}/bibliography/"
        t = Strings(lang)
        entries = []
        # Every entry the site cites (the reviews' text, their tables, the records); an entry nobody cites
        # is the checker's warning, and formatting all of a large refs.bib would cost every build.
        cited = self.cindex.all_cited()
        for key in (k for k in self.bib if k in cited):
            uses = []
            for review in self.project.reviews:
                numbering = self.cindex.numbering[review.id]
                if key not in numbering.numbers:
                    continue
                places = []
                for k, place in enumerate(numbering.places.get(key, []), 1):
                    section = self.section_by_id(review, place.page)
                    target = section.url(lang) + f"#{place.cite_id}"
                    places.append({"href": rel(url, target), "text": str(k),
                                   "label": f"{section.full_title(lang) or review.title[lang]} ({k})"})
                uses.append({"review": review.title[lang], "n": numbering.numbers[key],
                             "href": rel(url, f"{lang}/{review.id}/references/#ref-{numbering.numbers[key]}"),
                             "places": places})
            f = self.bib.format(key, lang)
            order = min(((r.order, self.cindex.numbering[r.id].numbers[key]) for r in self.project.reviews
                         if key in self.cindex.numbering[r.id].numbers), default=(10**6, 0))
            entries.append({"key": key, "html": Markup(f.html), "links": f.links, "uses": uses, "order": order})
        entries.sort(key=lambda e: (e["order"], e["key"]))
        md = self.env.get_template("bibliography.md.j2").render(
            # not searched, like the references pages: search is for the reviews and the records; every
            # citation leads to its entry, and the browser's find-in-page searches this page
            meta=self.meta(title=t.bibliography, lang=lang, kind="bibliography", source="refs.bib",
                           search={"exclude": True}, **self.alternates(url, lang)),
            t=t, listing=self.defer(self.env.get_template("biblist.html").render(t=t, entries=entries), late=True))
        return Page(page_uri(url), md, "refs.bib", lang)

    def status_page(self, lang: str) -> Page:
        url = f"{lang}/translation-status/"
        reviews = []
        for review in self.project.reviews:
            rows = []
            for st in (self.status or {}).get(review.id, []):
                s = st.section
                title = review.title[lang] if s.kind == "landing" else s.full_title(lang)
                attention = [{"state": p.state, "href": rel(url, s.url(lang) + f"#{p.pair.anchor}"),
                              "line": (p.pair.en or p.pair.zh).line, "anchor": p.pair.anchor}
                             for p in st.pairs if p.state != "complete"]
                rows.append({"title": title, "href": rel(url, s.url(lang)), "source": self.source_of(s),
                             "total": len(st.pairs), "complete": st.count("complete"),
                             "pending": st.count("pending"), "stale": st.count("stale"), "attention": attention})
            reviews.append({"title": review.title[lang], "rows": rows})
        md = self.env.get_template("status.md.j2").render(
            meta=self.meta(title=STRINGS_X("status_title", lang), lang=lang, kind="status",
                           **self.alternates(url, lang)),
            t=Strings(lang), reviews=reviews, git=bool(self.history and self.history.available))
        return Page(page_uri(url), md, None, lang)

    def changelog_page(self, lang: str) -> Page:
        url = f"{lang}/changelog/"
        entries = []
        pages = {}
        if self.links is not None:
            for path, target in self.links.pages.items():
                try:
                    pages[path.relative_to(self.project.root.resolve()).as_posix()] = target
                except ValueError:
                    pass
        for change in (self.history.changes if self.history else []):
            files = []
            for f in change.files:
                target = pages.get(f)
                files.append({"name": f, "href": rel(url, target.url(lang)) if target else None})
            entries.append({"date": change.date, "subject": change.subject, "commit": change.commit[:7],
                            "files": files})
        md = self.env.get_template("changelog.md.j2").render(
            meta=self.meta(title=STRINGS_X("changelog", lang), lang=lang, kind="changelog",
                           **self.alternates(url, lang)),
            t=Strings(lang), entries=entries, git=bool(self.history and self.history.available))
        return Page(page_uri(url), md, None, lang)

    def home_page(self, lang: str) -> Page:
        url = f"{lang}/"
        t = Strings(lang)
        reviews = []
        for r in self.project.reviews:
            names = ", ".join(a.zh if lang == "zh" else a.en for a in r.authors)
            byline = names or STRINGS["no_authors"][lang]
            # a link to the page's source as MkDocs knows it, so MkDocs validates it
            reviews.append({"title": r.title[lang], "href": f"{r.id}/index.md", "id": r.id,
                            "byline": byline})
        md = self.env.get_template("home.md.j2").render(
            meta=self.meta(title=STRINGS["site_name"][lang], lang=lang, kind="home", **self.alternates(url, lang)),
            t=t, reviews=reviews)
        return Page(f"{lang}/index.md", md, None, lang)

    def root_page(self) -> Page:
        md = self.env.get_template("root.md.j2").render(
            meta=self.meta(title="肝细胞癌治疗文献综述 · Reviews of HCC Treatment", lang="en", kind="root", hide=["navigation", "toc", "footer"]),
            titles={lang: STRINGS["site_name"][lang] for lang in LANGS})
        return Page("index.md", md, None, "en")

    def glossary_page(self, lang: str) -> Page | None:
        g = self.project.glossary
        if g is None:
            return None
        url = f"{lang}/glossary/"
        from .bilingual import slugify
        blocks = []
        for pair in g.body.pairs:
            if pair.translated(lang):
                text = self.contributor(pair.text(lang), g.path, pair.block(lang))
                blocks.append(Markup(f'<div class="blk" id="{pair.anchor}" markdown>\n\n{text}\n\n</div>'))
        terms = [{"abbr": term.abbr, "zh": term.zh, "en": term.en, "slug": slugify(term.abbr)}
                 for term in sorted(g.terms, key=lambda x: x.abbr.lower())]
        drugs = []
        if self.records is not None:
            from .records import DRUG_CLASSES
            for d in sorted(self.records.drugs.values(), key=lambda d: (d.is_procedure, d.name.en.lower())):
                drugs.append({"inn": d.inn or d.name.en, "zh": d.name.zh, "cls": DRUG_CLASSES[d.cls][lang],
                              "href": rel(url, f"{lang}/drugs/#drug-{d.id}"), "aliases": d.aliases.zh + d.aliases.en})
        md = self.env.get_template("glossary.md.j2").render(
            meta=self.meta(title=g.title[lang], lang=lang, kind="glossary", source=self.source_of_path(g.path), **self.alternates(url, lang)),
            t=Strings(lang), blocks=blocks, terms=terms, drugs=drugs)
        return Page(f"{lang}/glossary.md", md, self.source_of_path(g.path), lang)

    def source_of(self, section: Section) -> str:
        return self.source_of_path(section.path)

    def source_of_path(self, path) -> str:
        return path.resolve().relative_to(self.project.root.resolve()).as_posix()
