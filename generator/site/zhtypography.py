"""Chinese typography of the source text, at render time: ASCII ``, ; : ( )`` written against Chinese
characters are displayed full-width (，；：（）).

The Chinese text of a review reproduces its source, and the interventional review's source reached us
through a text extraction that turned the author's full-width punctuation into ASCII (``由于早期症状不典型,
很多患者``). The files in ``content/`` keep the text as extracted; the pages show the punctuation a Chinese
reader expects. The editor's notes pages say so (``editor_notes_typography`` in the catalogs). Only
punctuation directly after a Chinese character changes (a bracket pair when its opening bracket is), so
numbers ("1,000", "3:1"), English runs ("Smith, Jones"), code, URLs and the generator's markup are left
alone; the spaces the extraction put after a comma go too, as a full-width mark carries its own space.

The tree processor runs on the Markdown tree of a page (before the glossary's ``<abbr>``), in the Chinese
text only: every block of a Chinese page but the editor's notes (written by the editors, in their own
typography), and the Chinese column of a parallel view on an English page.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import util
from markdown.treeprocessors import Treeprocessor

from .fragments import INLINE_CLOSE, INLINE_OPEN

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
FULL = {",": "，", ";": "；", ":": "："}
# a citation, as the renderer leaves it in the text until the end (generator/site/fragments.py)
_CITE = rf"{INLINE_OPEN}\d+{INLINE_CLOSE}"
# a mark right after a Chinese character (and the citations after it: "数量最多[20-28], 早期"), with the
# spaces after it
# (or after a full-width closing bracket: "山东省肿瘤防治研究院（山东省肿瘤医院）, 山东第一医科大学")
_MARK = re.compile(rf"([{HAN}）](?:{_CITE})*)([,;:])[ \t]*(?!//)")
# a bracket pair opened right after a Chinese character, with no bracket or line end inside
_PAIR = re.compile(rf"(?<=[{HAN}])\(([^()\n]{{1,120}})\)")
SKIP_TAGS = {"code", "pre", "kbd", "samp", "script", "style", "svg", "math", "a"}
SKIP_CLASSES = {"editor", "editor-note", "pending-note"}


def full_width(text: str) -> str:
    """The text with its ASCII marks after Chinese characters full-width (HTML placeholders kept)."""
    if not re.search(rf"[{HAN}{INLINE_CLOSE}）][,;:(]", text):
        return text
    text = _PAIR.sub(lambda m: f"（{m.group(1)}）", text)
    return _MARK.sub(lambda m: m.group(1) + FULL[m.group(2)], text)


def _skipped(el: etree.Element) -> bool:
    if el.tag in SKIP_TAGS:
        return True
    return bool(SKIP_CLASSES & set((el.get("class") or "").split()))


def _is_zh(el: etree.Element) -> bool:
    return (el.get("lang") or "").lower().startswith("zh")


class ChineseTypographyTreeprocessor(Treeprocessor):
    def __init__(self, md, ext) -> None:
        super().__init__(md)
        self.ext = ext  # the page's language is ext.lang

    def run(self, root: etree.Element) -> None:
        self._walk(root, self.ext.lang == "zh")

    def _walk(self, el: etree.Element, zh: bool) -> None:
        if _skipped(el):
            return
        lang = el.get("lang")
        if lang:
            zh = _is_zh(el)
        if zh:
            if el.text:
                el.text = _outside_placeholders(el.text)
            for child in el:
                if child.tail:
                    child.tail = _outside_placeholders(child.tail)
        for child in el:
            self._walk(child, zh)


def _outside_placeholders(text: str) -> str:
    """Placeholders of raw HTML (citations, the generator's markup) are never changed, and a bracket pair
    around one stays as written."""
    out, pos, after_han = [], 0, False
    for ph in util.HTML_PLACEHOLDER_RE.finditer(text):
        piece = _after_citation(text[pos:ph.start()], after_han)
        out += [full_width(piece), ph.group(0)]
        after_han = bool(piece) and re.match(f"[{HAN}]", piece[-1]) is not None or (not piece and after_han)
        pos = ph.end()
    out.append(full_width(_after_citation(text[pos:], after_han)))
    return "".join(out)


def _after_citation(piece: str, after_han: bool) -> str:
    """A mark right after a citation that follows a Chinese character (``数量最多[20-28], 早期``) is the
    sentence's, as if the citation were not there."""
    if after_han and piece[:1] in FULL:
        return FULL[piece[0]] + piece[1:].lstrip(" \t")
    return piece
