"""Pandoc-style citations ``[@key]``, ``[@a; @b]``, ``[@key, p. 12]``: finding and numbering.

Finding: a scanner that follows the markdown structure. Citations are never found inside
fenced or indented code blocks, inline code spans, autolinks, bare URLs or e-mail
addresses, and ``\\[@...]`` stays literal. Python-Markdown offers no token stream to
reuse, and running the whole parser once more just to find citations would double the
cost of a build, hence this small scanner (property-tested in tests/test_citations.py).

Numbering: Vancouver, per review, in order of first citation in reading order, the same
number on every page of the review, in both languages and in the PDF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from ..diagnostics import invisible_in

# Every character BibTeX allows in a key except the ones that end a citation here.
KEY = r"[^\s,;\[\]{}()=\"#%'~\\@]+"
CITE_BODY = re.compile(rf"\s*@(?P<key>{KEY})\s*(?:,\s*(?P<loc>[^;\]]*?))?\s*")
LOCATOR = re.compile(
    r"(?P<label>pp?|pages?|fig|figs|figures?|tab|tables?|chap|chapters?|sec|sections?|suppl|supplement|para|vol|line)"
    r"\.?\s*(?P<value>[A-Za-z]{0,2}\d[0-9A-Za-z.,:\-–]*|[ivxlcdm]+)", re.IGNORECASE)
FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})")
LIST_OR_CONTAINER = re.compile(r"^\s{0,3}([-*+]\s|\d+[.)]\s|!!!|\?\?\?|\[\^[^\]]+\]:)")
URL = re.compile(r"\b(?:https?|ftp)://[^\s<>]+|\bwww\.[^\s<>]+|[\w.+-]+@[\w-]+\.[\w.-]+")
# Citations written another way: full-width brackets (【@key】, ［@key］, as a Chinese input method types them)
# and pandoc's author-suppressing [-@key]; each read as the citation it was meant to be (no zh/en mismatch, no
# "never cited" follows from it) and reported once at its place.
_VKEY = r"[^\s,;\[\]{}()=\"#%'~\\@【】［］]+"
VARIANT = re.compile(rf"(?P<open>[【［]\s*-?|\[\s*-)(?P<inner>@{_VKEY}[^\]】］\n]*)(?P<close>[\]】］])")
AUTOLINK_OR_TAG = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^<>\s]*|[^<>\s@]+@[^<>\s]+|/?[a-zA-Z][^<>]*)>")


@dataclass(frozen=True)
class CiteItem:
    key: str
    locator: str = ""


@dataclass
class Citation:
    items: list[CiteItem]
    start: int  # offsets into the scanned text
    end: int
    line: int  # 1-based line in the source file
    col: int

    @property
    def keys(self) -> list[str]:
        return [i.key for i in self.items]


@dataclass
class CitationProblem:
    line: int
    col: int
    message: str


@dataclass
class Scan:
    citations: list[Citation] = field(default_factory=list)
    problems: list[CitationProblem] = field(default_factory=list)


def protected_spans(text: str, *, code_only: bool = False) -> list[tuple[int, int]]:
    """Offsets of text where citations are never looked for (with ``code_only``: code only)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    lines = text.split("\n")
    offsets = []
    for ln in lines:
        offsets.append(pos)
        pos += len(ln) + 1
    fence: tuple[str, int] | None = None
    prev_blank = True
    in_container = False
    for i, ln in enumerate(lines):
        start = offsets[i]
        if fence is not None:
            spans.append((start, start + len(ln) + 1))
            m = FENCE.match(ln)
            if m and m.group(2)[0] == fence[0] and len(m.group(2)) >= fence[1] and not ln.strip()[len(m.group(2)):].strip():
                fence = None
            continue
        m = FENCE.match(ln)
        if m:
            fence = (m.group(2)[0], len(m.group(2)))
            spans.append((start, start + len(ln) + 1))
            continue
        blank = not ln.strip()
        if not blank and not ln.startswith((" ", "\t")):
            in_container = bool(LIST_OR_CONTAINER.match(ln))
        indented = ln.startswith("    ") or ln.startswith("\t")
        if indented and not blank and prev_blank and not in_container:
            # An indented code block (not the continuation of a list, an admonition or a footnote).
            spans.append((start, start + len(ln) + 1))
            continue
        if indented and not blank and spans and spans[-1][1] == start and not in_container:
            spans.append((start, start + len(ln) + 1))
            continue
        prev_blank = blank
    # Inline code spans: a run of backticks closed by a run of the same length.
    i = text.find("`")
    while i != -1:
        if not _escaped(text, i):
            j = i
            while j < len(text) and text[j] == "`":
                j += 1
            run = text[i:j]
            close = re.compile(rf"(?<!`){run}(?!`)").search(text, j)
            if close and "\n\n" not in text[j:close.start()]:
                spans.append((i, close.end()))
                i = text.find("`", close.end())
                continue
            i = text.find("`", j)
            continue
        i = text.find("`", i + 1)
    if code_only:
        return spans
    for rx in (AUTOLINK_OR_TAG, URL):
        spans.extend((m.start(), m.end()) for m in rx.finditer(text))
    return spans


def _escaped(text: str, i: int) -> bool:
    n = 0
    while i - n - 1 >= 0 and text[i - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def parse_locator(loc: str) -> str | None:
    """Normalise a locator ('p. 12', 'pp. 3-5', 'fig 2'); None if it cannot be read."""
    loc = loc.strip()
    m = LOCATOR.fullmatch(loc)
    if not m:
        return None
    label = m.group("label").lower()
    label = {"page": "p", "pages": "pp", "figure": "fig", "figures": "figs", "table": "tab", "tables": "tab",
             "chapter": "chap", "chapters": "chap", "section": "sec", "sections": "sec",
             "supplement": "suppl"}.get(label, label)
    return f"{label}. {m.group('value')}"


def scan(text: str, first_line: int = 1) -> Scan:
    """Find the citations in a markdown text whose first line is ``first_line`` in its file."""
    out = Scan()
    if "[@" not in text and "[ @" not in text and not VARIANT.search(text):
        return out
    spans = protected_spans(text)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def where(pos: int) -> tuple[int, int]:
        lo, hi = 0, len(line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if line_starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return first_line + lo, pos - line_starts[lo] + 1

    for m in re.finditer(r"\[(?=\s*@)", text):
        start = m.start()
        if _escaped(text, start) or _inside(start, spans):
            continue
        close = text.find("]", start)
        nl = text.find("\n", start)
        if close == -1 or (nl != -1 and nl < close):
            line, col = where(start)
            out.problems.append(CitationProblem(line, col, "this citation is not closed: write it on one line "
                                                "as [@key] or [@key1; @key2]"))
            continue
        after = text[close + 1:close + 2]
        if after in ("(", "["):  # a markdown link whose text starts with '@'
            continue
        inner = text[start + 1:close]
        items: list[CiteItem] = []
        bad = False
        for part in inner.split(";"):
            cm = CITE_BODY.fullmatch(part)
            line, col = where(start)
            hidden = invisible_in(inner)
            if not cm and hidden:
                bad = True
                at, name = hidden[0]
                line, col = where(start + 1 + at)
                out.problems.append(CitationProblem(line, col, f"the citation '[{inner}]' contains {name} at col "
                                                    f"{col}: delete it"))
                break
            if not cm:
                bad = True
                out.problems.append(CitationProblem(
                    line, col, f"cannot read the citation '[{inner}]': write [@key], [@key1; @key2] or "
                    "[@key, p. 12] (keys may use letters, digits and . : - / + _)"))
                break
            loc = ""
            if cm.group("loc") is not None:
                parsed = parse_locator(cm.group("loc"))
                if parsed is None:
                    bad = True
                    out.problems.append(CitationProblem(
                        line, col, f"cannot read the locator '{cm.group('loc').strip()}' of @{cm.group('key')}: "
                        "write it as 'p. 12', 'pp. 3-5', 'fig. 2', 'table 1' or 'sec. 4'"))
                    break
                loc = parsed
            items.append(CiteItem(cm.group("key"), loc))
        if bad:
            continue
        line, col = where(start)
        out.citations.append(Citation(items, start, close + 1, line, col))
    for m in VARIANT.finditer(text):
        if _escaped(text, m.start()) or _inside(m.start(), spans):
            continue
        keys = re.findall(rf"@({_VKEY})", m.group("inner"))
        written = printable_cite(m.group(0))
        right = "[" + "; ".join(f"@{k}" for k in keys) + "]"
        if m.group("open").startswith("["):
            message = (f"'{written}': a citation without the author's name is not supported (the site cites by "
                       f"number): write {right}")
        else:
            message = (f"'{written}' is written with full-width brackets: write {right} with the brackets '[' and "
                       "']' (in the Chinese text too)")
        line, col = where(m.start())
        out.problems.append(CitationProblem(line, col, message))
        out.citations.append(Citation([CiteItem(k) for k in keys], m.start(), m.end(), line, col))
    out.citations.sort(key=lambda c: c.start)
    return out


def printable_cite(written: str) -> str:
    return written if len(written) <= 80 else written[:79] + "…"


def replace(text: str, citations: Iterable[Citation], render) -> str:
    """Replace each citation (found by :func:`scan` in ``text``) by ``render(citation)``."""
    out: list[str] = []
    pos = 0
    for c in sorted(citations, key=lambda c: c.start):
        out.append(text[pos:c.start])
        out.append(render(c))
        pos = c.end
    out.append(text[pos:])
    return "".join(out)


def collapse(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """[1, 2, 3, 5, 7, 8, 9] -> [(1, 3), (5, 5), (7, 9)]."""
    ranges: list[tuple[int, int]] = []
    for n in sorted(set(numbers)):
        if ranges and n == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], n)
        else:
            ranges.append((n, n))
    return ranges


def collapse_text(numbers: Iterable[int]) -> str:
    """[1, 2, 3] -> '1-3'; [2, 5, 7, 8, 9] -> '2, 5, 7-9'; two in a row stay '1, 2'."""
    parts = []
    for a, b in collapse(numbers):
        if a == b:
            parts.append(str(a))
        elif b == a + 1:
            parts.extend([str(a), str(b)])
        else:
            parts.append(f"{a}-{b}")
    return ", ".join(parts)


@dataclass
class Place:
    """Where a citation stands: page URL (language-neutral part), anchor, and its own id."""
    page: str  # section id ("index" for the landing page)
    anchor: str  # block anchor
    cite_id: str  # id of the citation link itself


@dataclass
class Numbering:
    """Citation numbers of one review, and every place each reference is cited."""
    review: str
    numbers: dict[str, int] = field(default_factory=dict)
    places: dict[str, list[Place]] = field(default_factory=dict)

    def assign(self, key: str) -> int:
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
        return self.numbers[key]

    def ordered_keys(self) -> list[str]:
        return sorted(self.numbers, key=self.numbers.__getitem__)

    def count(self, key: str) -> int:
        return len(self.places.get(key, []))


def iter_keys(scan_result: Scan) -> Iterator[str]:
    for c in scan_result.citations:
        yield from c.keys
