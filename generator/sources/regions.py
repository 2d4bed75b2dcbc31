"""Where contributor HTML stands in a page, so that it alone goes through the sanitizer.

A generated page's markdown mixes the generator's markup (templates: page tools, wrappers, record
tables, charts) with contributor text (the blocks of the sources, the notes of the records). Every piece
of contributor text is put between two HTML comments (:meth:`Regions.wrap`)::

    <!--hcc-open-NONCE-17-->   ...contributor markdown...   <!--hcc-close-NONCE-->

and after the markdown conversion :func:`clean_page` replaces everything between them by what
:func:`generator.sanitize.clean` keeps of it. Markup that the generator puts inside a block (a records
table or chart replacing its fenced block) is taken out of the region (:func:`generated`), so templates'
markup is never sanitized and contributor markup always is.

NONCE is random per process: contributor text cannot write a marker that ends its region early. The
markers are gone from the published pages, which stay byte-identical from one build to the next. A page
whose markers did not all come through the conversion in pairs (text that swallowed one) fails the
build: what lies between markers is sanitized in any case.

The Markdown extension (:class:`generator.sources.mdregions.RegionExtension`) marks the footnotes
(which Python-Markdown puts at the end of the page, outside the blocks they belong to) as contributor HTML
too, and writes table column alignment as a class (Python-Markdown writes ``style="text-align: ..."``,
which the site's Content-Security-Policy refuses and the sanitizer removes).
"""

from __future__ import annotations

import re
import secrets
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import sanitize

NONCE = secrets.token_hex(8)
_OPEN = f"hcc-open-{NONCE}"
_CLOSE = f"hcc-close-{NONCE}"
_REOPEN = f"<!--{_OPEN}-?-->"  # completed with the region's number by Regions.wrap
MARKER = re.compile(rf"<!--hcc-(open|close)-{NONCE}(?:-([0-9]+|f))?-->\n?")
FOOTNOTES = "f"  # the region of a page's footnotes


def generated(html: str) -> str:
    """Markup of the generator inside contributor text: kept out of the region around it."""
    return f"\n\n<!--{_CLOSE}-->\n\n{html}\n\n{_REOPEN}\n\n"


@dataclass
class Regions:
    """The contributor text of the pages: region number -> (source file, line of its first line)."""
    sources: list[tuple[Path, int]] = field(default_factory=list)

    def wrap(self, text: str, path: Path, line: int) -> str:
        n = len(self.sources)
        self.sources.append((Path(path), line))
        body = text.replace(_REOPEN, f"<!--{_OPEN}-{n}-->")
        return f"\n\n<!--{_OPEN}-{n}-->\n\n{body}\n\n<!--{_CLOSE}-->\n\n"

    def source(self, rid: str | None) -> tuple[Path, int] | None:
        if rid and rid.isdigit() and int(rid) < len(self.sources):
            return self.sources[int(rid)]
        return None


def expected(markdown: str) -> Counter:
    """The regions a page's markdown opens (to compare with what its HTML holds)."""
    return Counter(m.group(2) for m in MARKER.finditer(markdown) if m.group(1) == "open")


@dataclass
class Problem:
    rid: str | None  # the region (None: the page's markers themselves)
    removal: sanitize.Removal | None
    message: str = ""


def clean_page(html: str, expect: Counter | None = None) -> tuple[str, list[Problem]]:
    """The page's HTML with every region replaced by its sanitized HTML, and the problems found: what
    the sanitizer removed, by region, and markers that did not come through the conversion in pairs."""
    if "<!--hcc-" not in html:
        return html, ([Problem(None, None, "the page lost the markers of its contributor text")]
                      if expect else [])
    out: list[str] = []
    problems: list[Problem] = []
    seen: Counter = Counter()
    depth, pos, start, rid = 0, 0, 0, None

    def close(end: int) -> None:
        region = MARKER.sub("", html[start:end])  # nested markers (footnotes written inside a block)
        cleaned, removed = sanitize.inspect(region)
        out.append(cleaned)
        problems.extend(Problem(rid, r) for r in removed)

    for m in MARKER.finditer(html):
        if m.group(1) == "open":
            if m.group(2) != FOOTNOTES:
                seen[m.group(2)] += 1
            if depth == 0:
                out.append(html[pos:m.start()])
                start, rid = m.end(), m.group(2)
            depth += 1
        elif depth == 0:
            problems.append(Problem(None, None, "a marker of contributor text closes a region that is not open"))
            out.append(html[pos:m.start()])
            pos = m.end()
        else:
            depth -= 1
            if depth == 0:
                close(m.start())
                pos = m.end()
    if depth:
        problems.append(Problem(rid, None, "contributor text was not closed: the rest of the page was sanitized"))
        close(len(html))
    else:
        out.append(html[pos:])
    if expect is not None and seen != expect:
        problems.append(Problem(None, None, "markers of contributor text were lost in the markdown conversion"))
    return "".join(out), problems
