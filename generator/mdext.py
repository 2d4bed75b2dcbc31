"""Markdown extension: glossary abbreviations become ``<abbr>`` tooltips in the page's language.

Python-Markdown's ``abbr`` extension matches only at word boundaries, so it misses
abbreviations glued to Chinese characters (``使用TACE治疗``), and it has one definition
per build, not one per language. This tree processor runs after the inline patterns, so
code, links' URLs and raw HTML (citations) are never touched.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension, util
from markdown.treeprocessors import Treeprocessor

SKIP = {"code", "pre", "abbr", "a", "script", "style", "kbd", "samp", "svg", "math"}


class GlossaryTreeprocessor(Treeprocessor):
    def __init__(self, md, ext: "GlossaryExtension"):
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        if self.ext.pattern is None:
            return
        self.seen: set[str] = set()
        self.in_link = 0  # depth of raw-HTML <a> elements (inline HTML is a placeholder in the tree)
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

    def _links(self, text: str) -> int:
        """How the raw-HTML placeholders in ``text`` change the <a> depth."""
        change = 0
        for m in util.HTML_PLACEHOLDER_RE.finditer(text):
            raw = self.md.htmlStash.rawHtmlBlocks[int(m.group(1))]
            if isinstance(raw, str):
                if _OPEN_A.match(raw):
                    change += 1
                elif _CLOSE_A.match(raw):
                    change -= 1
        return change

    def _text(self, parent: etree.Element, child: etree.Element | None, where: str, lang: str) -> None:
        text = parent.text if where == "text" else child.tail  # type: ignore[union-attr]
        pattern = self.ext.pattern
        if not text:
            return
        if not pattern.search(text):
            self.in_link = max(0, self.in_link + self._links(text))
            return
        lead, pos = None, 0
        new: list[etree.Element] = []
        for m in pattern.finditer(text):
            before = text[pos:m.start()]
            self.in_link = max(0, self.in_link + self._links(before))
            if new:
                new[-1].tail = before
            else:
                lead = before
            abbr, plural = m.group(1), m.group(2) or ""
            el = etree.Element("abbr")
            el.set("title", self.ext.definition(abbr, lang))
            # one keyboard stop per term per page; none inside a link (the link is the stop)
            if abbr not in self.seen and not self.in_link:
                el.set("tabindex", "0")
                self.seen.add(abbr)
            el.text = abbr + plural
            new.append(el)
            pos = m.end()
        rest = text[pos:]
        self.in_link = max(0, self.in_link + self._links(rest))
        new[-1].tail = rest
        if where == "text":
            parent.text = lead
            for k, el in enumerate(new):
                parent.insert(k, el)
        else:
            child.tail = lead  # type: ignore[union-attr]
            index = list(parent).index(child) + 1  # type: ignore[arg-type]
            for k, el in enumerate(new):
                parent.insert(index + k, el)


_OPEN_A = re.compile(r"<a[\s>]", re.I)
_CLOSE_A = re.compile(r"</a\s*>", re.I)


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
        for el in list(root.iter()):
            if el.tag in SKIP or el.get("lang"):
                continue
            for child in [None, *list(el)]:
                where = "text" if child is None else "tail"
                text = el.text if child is None else child.tail
                if not text or not CJK_RUN.search(text):
                    continue
                pieces = CJK_RUN.split(text)
                runs = CJK_RUN.findall(text)
                new = []
                for run, after in zip(runs, pieces[1:]):
                    span = etree.Element("span", {"lang": "zh-CN"})
                    span.text, span.tail = run, after
                    new.append(span)
                if where == "text":
                    el.text = pieces[0]
                    for k, span in enumerate(new):
                        el.insert(k, span)
                else:
                    child.tail = pieces[0]  # type: ignore[union-attr]
                    at = list(el).index(child) + 1  # type: ignore[arg-type]
                    for k, span in enumerate(new):
                        el.insert(at + k, span)


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
        md.treeprocessors.register(GlossaryTreeprocessor(md, self), "glossary_abbr", 4)
        md.treeprocessors.register(ChineseQuoteTreeprocessor(md, self), "chinese_quote_lang", 3)
