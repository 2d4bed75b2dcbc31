"""The Markdown extension of contributor regions (generator/sources/regions.py): the footnotes, which
Python-Markdown puts at the end of the page, outside the blocks they belong to, are marked as contributor
HTML too; table column alignment is written as a class (Python-Markdown writes ``style="text-align: ..."``,
which the site's Content-Security-Policy refuses and the sanitizer removes).

Its own module so that the checker with a warm cache, which converts no Markdown, does not import
Python-Markdown (30-40 ms of its CPU, measured).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

from .regions import _CLOSE, _OPEN, FOOTNOTES


_ALIGN = re.compile(r"\s*text-align:\s*(left|center|right);?\s*")


class _Footnotes(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for i, child in reversed(list(enumerate(parent))):
                if child.tag == "div" and "footnote" in (child.get("class") or "").split():
                    parent.insert(i + 1, self._marker(f"<!--{_CLOSE}-->"))
                    parent.insert(i, self._marker(f"<!--{_OPEN}-{FOOTNOTES}-->"))

    def _marker(self, comment: str) -> etree.Element:
        # a paragraph holding only stashed raw HTML is replaced by that HTML when the page is serialized (an
        # etree comment would trip the tree processors that run after this one)
        p = etree.Element("p")
        p.text = self.md.htmlStash.store(comment)
        return p


class _TableAlign(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            if el.tag in ("th", "td") and "style" in el.attrib:
                m = _ALIGN.fullmatch(el.attrib["style"])
                if m:
                    del el.attrib["style"]
                    el.set("class", " ".join(filter(None, [el.get("class"), f"align-{m.group(1)}"])))


class RegionExtension(Extension):
    def extendMarkdown(self, md) -> None:
        md.treeprocessors.register(_Footnotes(md), "hcc_footnote_region", 12)  # after footnotes (50), inline (20)
        md.treeprocessors.register(_TableAlign(md), "hcc_table_align", 11)
