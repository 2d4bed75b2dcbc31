"""The page as mkdocs-material's search plugin reads it: where its sections begin and what it skips.

mkdocs-material's search parser cuts a page into sections at its headings: all text up to the next
heading belongs to the one before. Three things on our pages are not text of the heading above them:

* an **editors' table or chart block** (a block that holds a table or a chart, with the records
  directive: 000 §4's efficacy table and charts stand after the last subsection, 4.4.3 Ablation, but
  belong to the whole section): a search result of its own, under the block's anchor, titled by its
  lead sentence ('编者整理：本综述提及研究的疗效数据');
* the **drawing of a chart** (its SVG: axis labels, one label per bar): not indexed; the chart's
  caption is, and the table beside it holds the figures;
* a **row of a records index whose record has no page** (the drugs: 'drugs/#drug-bevacizumab'): a
  search result of its own, titled by the record's name (a row that links its record's page is not:
  the page is the result).

And the parser joins the text of table cells and of lines broken by ``<br>`` ('ArmsTACE plus
durvalumabTACE' on a trial's page): a space is put after each.

:func:`search_view` returns the page's HTML with a heading put at the start of each such block and
row and the charts' SVG marked ``data-search-exclude``; the plugin gives mkdocs-material's search this
view and the reader the page as it was (generator/plugin.py). A heading inside a block ends with
the block: the parser returns to the section the block stands in (it does so for any heading nested
in an element), so the text after the block stays where it was.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# What mkdocs-material's search plugin removes from a page after reading it
MATERIAL_SEARCH_ATTRS = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")
_SPACE = re.compile(r"\s+")
_CELL_END = re.compile(r"<br\s*/?>|</(?:th|td|caption|dt|dd|figcaption)>")
_LEAD_END = re.compile(r"[\s。．.:：]+$")
MAX_TITLE = 80


@dataclass
class _Block:
    id: str
    at: int  # where its content begins (after the start tag)
    depth: int
    kind: str  # "block" | "row"
    table_or_chart: bool = False
    linked: bool = False  # a row whose heading cell links a page
    title: list[str] = field(default_factory=list)
    capture: int = 0  # > 0 while inside the element whose text is the title
    done: bool = False


class _Reader(HTMLParser):
    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.lines = [0]
        for line in source.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))
        self.depth = 0
        self.open: list[_Block] = []
        self.found: list[_Block] = []
        self.svgs: list[int] = []  # where to mark an <svg> start tag
        self.records_index = 0  # inside a <table data-records-index>

    def position(self) -> int:
        line, col = self.getpos()
        return self.lines[line - 1] + col

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        start = self.position()
        end = start + len(self.get_starttag_text() or "")
        if tag in _VOID:
            return
        self.depth += 1
        classes = (a.get("class") or "").split()
        for b in self.open:
            if b.kind == "block" and tag in ("table", "svg", "figure"):
                b.table_or_chart = True
            if b.capture:
                b.capture += 1
        if tag == "svg":
            self.svgs.append(start + len("<svg"))
        if tag == "table" and "data-records-index" in a:
            self.records_index = self.depth
        if tag == "div" and "blk" in classes and a.get("id"):
            self.open.append(_Block(a["id"], end, self.depth, "block"))
        elif tag == "tr" and self.records_index and a.get("id"):
            self.open.append(_Block(a["id"], end, self.depth, "row"))
        for b in self.open:
            if b.kind == "row" and tag == "a" and b.capture:
                b.linked = True
            if b.done or b.capture:
                continue
            if (b.kind == "block" and tag == "strong") or (b.kind == "row" and tag == "th"):
                b.capture = 1

    def handle_startendtag(self, tag, attrs):
        if tag == "svg":
            self.svgs.append(self.position() + len("<svg"))

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        for b in self.open:
            if b.capture:
                b.capture -= 1
                if not b.capture:
                    b.done = True
        if self.open and self.open[-1].depth == self.depth:
            b = self.open.pop()
            if (b.kind == "block" and b.table_or_chart) or (b.kind == "row" and not b.linked):
                self.found.append(b)
        if self.records_index == self.depth:
            self.records_index = 0
        self.depth -= 1

    def handle_data(self, data):
        for b in self.open:
            if b.capture:
                b.title.append(data)


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
         "track", "wbr"}


def _title(block: _Block) -> str:
    text = _LEAD_END.sub("", _SPACE.sub(" ", "".join(block.title)).strip())
    return text if len(text) <= MAX_TITLE else text[:MAX_TITLE - 1] + "…"


def search_view(source: str) -> str:
    """The page's HTML as the search index should read it (see the module docstring)."""
    if "blk" not in source and "data-records-index" not in source:
        return _CELL_END.sub(r"\g<0> ", source)
    reader = _Reader(source)
    reader.feed(source)
    reader.close()
    inserts: list[tuple[int, str]] = [(at, " data-search-exclude") for at in reader.svgs]
    for b in reader.found:
        title = _title(b)
        if title:
            inserts.append((b.at, f'<h6 id="{html.escape(b.id)}">{html.escape(title, quote=False)}</h6>'))
    out, last = [], 0
    for at, text in sorted(inserts):
        out += [source[last:at], text]
        last = at
    out.append(source[last:])
    return _CELL_END.sub(r"\g<0> ", "".join(out))
