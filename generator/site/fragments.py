"""Finished HTML kept out of the markdown and put into the pages later, by placeholder.

Reference lists, the bibliography and citations are finished HTML, and a review has thousands of
them. Passed through the markdown, every tag of them is parsed by Python-Markdown's raw-HTML
handling and again by mkdocs-material's search indexer, which costs more than the rest of the page
(BENCHMARKS.md, the citation case). So the renderer writes a placeholder and keeps the HTML here:

* **after markdown** (``<!--hcc-fragment:N-->``, on a line of its own): filled into the converted
  page before the search indexer reads it (HTML that search should find).
* **at the end** (filled into the finished HTML of the page, after the search indexer and the
  theme): what the search index should not hold.
  - citations, inline: ``U+E000 N U+E001`` (two private-use characters around a number;
    Python-Markdown leaves them alone, and the search indexer drops them, see search.py): the
    index then holds "lenvatinib plus TACE", not "lenvatinib plus TACE [12, 14-16]";
  - reference lists and the bibliography (``<!--hcc-late:N-->``): search is for the reviews and
    the records (those pages are left out of the index).

A placeholder that is not in the table (a page built by another process) is left as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

INLINE_OPEN, INLINE_CLOSE = "\ue000", "\ue001"
AFTER_MARKDOWN = re.compile(r"<!--hcc-fragment:\d+-->")
AT_END = re.compile(rf"<!--hcc-late:\d+-->|{INLINE_OPEN}\d+{INLINE_CLOSE}")
INLINE = re.compile(rf"{INLINE_OPEN}\d+{INLINE_CLOSE}")


@dataclass
class Fragments:
    html: dict[str, str] = field(default_factory=dict)

    def block(self, html: str, *, late: bool = False) -> str:
        """A placeholder for a block of HTML (its own line in the markdown)."""
        token = f"<!--hcc-{'late' if late else 'fragment'}:{len(self.html)}-->"
        self.html[token] = html
        return f"\n{token}\n"

    def inline(self, html: str) -> str:
        """A placeholder for inline HTML, filled in at the end."""
        token = f"{INLINE_OPEN}{len(self.html)}{INLINE_CLOSE}"
        self.html[token] = html
        return token

    def after_markdown(self, html: str) -> str:
        if "<!--hcc-fragment:" not in html:
            return html
        return AFTER_MARKDOWN.sub(lambda m: self.html.get(m.group(0), m.group(0)), html)

    def at_end(self, html: str) -> str:
        # a fragment may hold placeholders of its own (a reference list, its entries' links): fill
        # until none is left (or only unknown ones)
        while INLINE_OPEN in html or "<!--hcc-late:" in html:
            filled = AT_END.sub(lambda m: self.html.get(m.group(0), m.group(0)), html)
            if filled == html:
                break
            html = filled
        return html


def strip_inline(text: str) -> str:
    """Text without its inline placeholders (what the search index keeps of a page)."""
    return INLINE.sub("", text) if INLINE_OPEN in text else text
