"""Markdown extension: glossary abbreviations become ``<abbr>`` tooltips in the page's language.

Python-Markdown's ``abbr`` extension matches only at word boundaries, so it misses
abbreviations glued to Chinese characters (``使用TACE治疗``), and it has one definition
per build, not one per language. This tree processor runs after the inline patterns, so
code, links' URLs and raw HTML tags (citations) are never touched; the text between the tags of raw
HTML inside a markdown block is in the tree, and is left alone where it is a drawing's (:class:`RawHtml`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension, util
from markdown.treeprocessors import Treeprocessor

from .zhtypography import ChineseTypographyTreeprocessor

SKIP = {"code", "pre", "abbr", "a", "script", "style", "kbd", "samp", "svg", "math"}

_OPEN_A = re.compile(r"<a[\s>]", re.I)
_CLOSE_A = re.compile(r"</a\s*>", re.I)
_OPEN_SVG = re.compile(r"<svg[\s>]", re.I)
_CLOSE_SVG = re.compile(r"</svg\s*>", re.I)


class RawHtml:
    """Where a text of the tree stands among raw HTML. Raw HTML inside a markdown block (md_in_html) comes as
    one placeholder per tag, with the text between the tags left in the tree: the text of a raw <svg> drawing
    must not get markup (an HTML element there is invalid, and a <span> even ends the drawing for the HTML
    parser), and a term inside a raw <a> gets no tab stop of its own."""

    def __init__(self, md) -> None:
        self.md = md
        self.in_link = 0
        self.in_svg = 0

    def segments(self, text: str):
        """The text cut at the placeholders: (piece, is_placeholder); the depths are updated after each
        placeholder, so they hold for the plain piece being looked at."""
        pos = 0
        for ph in util.HTML_PLACEHOLDER_RE.finditer(text):
            yield text[pos:ph.start()], False
            yield ph.group(0), True
            self._track(self.md.htmlStash.rawHtmlBlocks[int(ph.group(1))])
            pos = ph.end()
        yield text[pos:], False

    def _track(self, raw: object) -> None:
        if not isinstance(raw, str):
            return
        if _OPEN_A.match(raw):
            self.in_link += 1
        elif _CLOSE_A.match(raw):
            self.in_link = max(0, self.in_link - 1)
        elif _OPEN_SVG.match(raw) and not raw.rstrip().endswith("/>"):
            self.in_svg += 1
        elif _CLOSE_SVG.match(raw):
            self.in_svg = max(0, self.in_svg - 1)


def splice(parent: etree.Element, child: etree.Element | None, where: str,
           pieces: list[str | etree.Element]) -> None:
    """Put ``pieces`` (text and new elements, in order) in place of ``parent.text`` (``where == "text"``)
    or ``child.tail``."""
    lead, new = "", []
    for x in pieces:
        if isinstance(x, str):
            if new:
                new[-1].tail = (new[-1].tail or "") + x
            else:
                lead += x
        else:
            new.append(x)
    if where == "text":
        parent.text = lead
        at = 0
    else:
        child.tail = lead  # type: ignore[union-attr]
        at = list(parent).index(child) + 1  # type: ignore[arg-type]
    for k, el in enumerate(new):
        parent.insert(at + k, el)


class GlossaryTreeprocessor(Treeprocessor):
    def __init__(self, md, ext: "GlossaryExtension"):
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        if self.ext.pattern is None:
            return
        self.seen: set[str] = set()
        self.raw = RawHtml(self.md)
        self._walk(root, self.ext.lang)

    def _walk(self, el: etree.Element, lang: str) -> None:
        """``lang``: the language of ``el``'s text: the page's, or a block's own (the columns of a
        parallel view are ``<div lang="zh-CN">`` and ``<div lang="en">``)."""
        own = (el.get("lang") or "").lower()
        if own:
            lang = "zh" if own.startswith("zh") else "en"
        if el.text and el.tag not in SKIP:
            self._text(el, None, "text", lang)
        for child in list(el):
            if child.tag not in SKIP:
                self._walk(child, lang)
            if child.tail:
                self._text(el, child, "tail", lang)

    def _text(self, parent: etree.Element, child: etree.Element | None, where: str, lang: str) -> None:
        """Wrap the terms of one text or tail in <abbr> (not in a raw <svg>; no tab stop in a raw <a>)."""
        text = parent.text if where == "text" else child.tail  # type: ignore[union-attr]
        if not text:
            return
        pattern = self.ext.pattern
        pieces: list[str | etree.Element] = []
        for piece, placeholder in self.raw.segments(text):
            if placeholder or self.raw.in_svg or not pattern.search(piece):
                pieces.append(piece)
                continue
            at = 0
            for m in pattern.finditer(piece):
                pieces.append(piece[at:m.start()])
                abbr, plural = m.group(1), m.group(2) or ""
                el = etree.Element("abbr")
                el.set("title", self.ext.definition(abbr, lang))
                # no keyboard stop: the title is read by screen readers and shown on hover; a tap opens the
                # tooltip (site.js), and the glossary page lists every term
                el.text = abbr + plural
                pieces.append(el)
                at = m.end()
            pieces.append(piece[at:])
        if any(not isinstance(x, str) for x in pieces):
            splice(parent, child, where, pieces)


CJK_RUN = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+")


class ChineseQuoteTreeprocessor(Treeprocessor):
    """On English pages, Chinese quoted in the text (editor's notes quote the source)
    is marked ``lang="zh-CN"``, so that browsers, screen readers and the PDF pick
    Chinese fonts and pronunciation for it."""

    def __init__(self, md, ext: "GlossaryExtension"):
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        if self.ext.lang != "en":
            return
        raw = RawHtml(self.md)
        for el in list(root.iter()):
            if el.tag in SKIP or el.get("lang"):
                continue
            for child in [None, *list(el)]:
                where = "text" if child is None else "tail"
                text = el.text if child is None else child.tail
                if not text:
                    continue
                if not CJK_RUN.search(text):
                    for _ in raw.segments(text):  # keep count of the raw tags it holds
                        pass
                    continue
                pieces: list[str | etree.Element] = []
                for piece, placeholder in raw.segments(text):
                    if placeholder or raw.in_svg:
                        pieces.append(piece)
                        continue
                    parts = CJK_RUN.split(piece)
                    pieces.append(parts[0])
                    for run, after in zip(CJK_RUN.findall(piece), parts[1:]):
                        span = etree.Element("span", {"lang": "zh-CN"})
                        span.text = run
                        pieces += [span, after]
                if any(not isinstance(x, str) for x in pieces):
                    splice(el, child, where, pieces)


class GlossaryExtension(Extension):
    def __init__(self, glossary=None, **kwargs):
        super().__init__(**kwargs)
        self.lang = "en"
        self.terms = {t.abbr: t for t in (glossary.terms if glossary else [])}
        if self.terms:
            alts = "|".join(re.escape(a) for a in sorted(self.terms, key=len, reverse=True))
            # Boundaries are ASCII letters and digits only: Chinese characters around a term do not hide it.
            self.pattern: re.Pattern[str] | None = re.compile(rf"(?<![A-Za-z0-9\-])({alts})(s?)(?![A-Za-z0-9])")
        else:
            self.pattern = None

    def definition(self, abbr: str, lang: str) -> str:
        term = self.terms[abbr]
        return term.zh if lang == "zh" else term.en

    def extendMarkdown(self, md) -> None:
        # before the glossary's <abbr>: a bracket pair around an abbreviation is one text then
        md.treeprocessors.register(ChineseTypographyTreeprocessor(md, self), "zh_typography", 5)
        md.treeprocessors.register(GlossaryTreeprocessor(md, self), "glossary_abbr", 4)
        md.treeprocessors.register(ChineseQuoteTreeprocessor(md, self), "chinese_quote_lang", 3)
