"""Checks of each zh/en pair as a pair: each block is in its own language, and both have the same shape
(tables of the same rows and columns, the same list structure).

Heading levels are compared where headings are found (bilingual._classify). What is not the language of
the block is left out before counting: code, citations, link targets, URLs, HTML tags, quotations
(“…”, "…", 「…」, 『…』, ‘…’, 《…》), the glossary's terms in the other language, and names in parentheses.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..diagnostics import Report
from .bilingual import FENCE, Block, Body, Pair
from .citations import protected_spans
from .names import HAN

_HAN = re.compile(f"[{HAN}]")
_LATIN = re.compile(r"[A-Za-z]")
_LOWER_WORD = re.compile(r"(?<![A-Za-z0-9_-])[a-z]{2,}(?![A-Za-z0-9_-])")
_QUOTED = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"|「[^」\n]*」|『[^』\n]*』|‘[^’\n]*’|《[^》\n]*》|〈[^〉\n]*〉")
_NOT_TEXT = re.compile(r"\[@[^\]\n]*\]|\]\([^)\n]*\)|<[^>\n]*>|(?:https?|ftp)://\S+|`[^`\n]*`|\{[^}\n]*\}")
_TABLE_ROW = re.compile(r"^\s{0,3}\|")
_TABLE_RULE = re.compile(r"^\s{0,3}\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_ABBR_DEF = re.compile(r"^ {0,3}\*\[(?P<abbr>[^\]\n]+)\]:", re.MULTILINE)
_LIST_ITEM = re.compile(r"^(?P<indent>\s*)(?P<mark>[-*+]|\d+[.)])\s+\S")

# An English block with at least this many Chinese characters, more than its Latin letters, is Chinese;
# a Chinese block with at least this many letters in lowercase words (English prose, not names such as
# CheckMate 040 in a table) and Chinese characters fewer than 1 in 20 of them is English. (The real content: English blocks have at most a few quoted Chinese words; the
# shortest Chinese headings are a number and a trial name, with too few letters to be judged.)
MIN_HAN = 4
MIN_LATIN = 40


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        for i in range(a, min(b, len(chars))):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def _letters_of(text: str, other_terms: list[str]) -> str:
    """The block's own words: what is written in another language on purpose left out (offsets kept)."""
    spans = protected_spans(text, code_only=True)
    spans += [(m.start(), m.end()) for rx in (_QUOTED, _NOT_TEXT) for m in rx.finditer(text)]
    spans += [(m.start(), m.end()) for m in re.finditer(r"（[^）\n]*）|\([^)\n]*\)", text)]  # names in parentheses
    out = _blanked(text, spans)
    for term in other_terms:
        if term and term in out:
            out = out.replace(term, " " * len(term))
    return out


def _where(block: Block, text: str, pos: int) -> tuple[int, int]:
    line = block.first_line + text.count("\n", 0, pos)
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


def check_language(block: Block, path: Path, report: Report, zh_terms: list[str], en_terms: list[str]) -> None:
    if block.pending or not block.text.strip():
        return
    # removing what is another language on purpose only lowers the counts: a block that passes as written passes
    if block.lang == "en" and len(_HAN.findall(block.text)) < MIN_HAN:
        return
    if block.lang == "zh" and sum(len(w) for w in _LOWER_WORD.findall(block.text)) < MIN_LATIN:
        return
    if block.lang == "en":
        own = _letters_of(block.text, zh_terms)
        han = len(_HAN.findall(own))
        latin = len(_LATIN.findall(own))
        if han >= MIN_HAN and han > latin:
            line, col = _where(block, block.text, _HAN.search(own).start())  # type: ignore[union-attr]
            report.error(path, line, f"this English block is written in Chinese ({han} Chinese characters, {latin} "
                         "Latin letters): write the English translation below '::: en' (a Chinese word may stay in "
                         "quotes “…” or in parentheses)", col)
    else:
        own = _letters_of(block.text, en_terms)
        han = len(_HAN.findall(own))
        # English prose is lowercase words; names (CheckMate, IMbrave150, ORR) are at home in Chinese text too
        english = sum(len(w) for w in _LOWER_WORD.findall(own))
        if english >= MIN_LATIN and han * 20 < english:
            report.error(path, block.first_line, f"this Chinese block has almost no Chinese text ({han} Chinese "
                         f"characters, {english} letters of English words): the '::: zh' block holds the Chinese text "
                         "of the source and the '::: en' block after it the English; were they swapped?")


def _shape(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    """The tables (rows, columns) and the list structure ('-' or '1.' with its depth, per item) of a block."""
    tables: list[tuple[int, int]] = []
    items: list[str] = []
    rows = cols = 0
    fence = False
    indents: list[int] = []
    for ln in text.split("\n") + [""]:
        if FENCE.match(ln):
            fence = not fence
            continue
        if fence:
            continue
        if _TABLE_ROW.match(ln):
            if _TABLE_RULE.match(ln):
                continue
            cells = re.split(r"(?<!\\)\|", ln.strip().strip("|"))
            rows += 1
            cols = max(cols, len(cells))
            continue
        if rows:
            tables.append((rows, cols))
            rows = cols = 0
        m = _LIST_ITEM.match(ln)
        if m:
            indent = len(m.group("indent").expandtabs(4))
            while indents and indents[-1] > indent:
                indents.pop()
            if not indents or indents[-1] < indent:
                indents.append(indent)
            kind = "1." if m.group("mark")[0].isdigit() else "-"
            items.append(f"{'  ' * (len(indents) - 1)}{kind}")
        elif ln.strip() and not ln.startswith((" ", "\t")):
            indents = []
    return tables, items


def _tables_text(tables: list[tuple[int, int]]) -> str:
    if not tables:
        return "no table"
    return ", ".join(f"a table of {r} rows and {c} columns" for r, c in tables)


def _list_text(items: list[str]) -> str:
    if not items:
        return "no list"
    top = sum(1 for i in items if not i.startswith(" "))
    nested = len(items) - top
    kind = "numbered" if items[0].strip() == "1." else "bulleted"
    return f"a {kind} list of {top} item{'s' if top != 1 else ''}" + (f" and {nested} nested" if nested else "")


def check_shape(pair: Pair, path: Path, report: Report) -> None:
    if pair.zh is None or pair.en is None or pair.zh.pending or pair.en.pending:
        return
    zh_tables, zh_items = _shape(pair.zh.text)
    en_tables, en_items = _shape(pair.en.text)
    if zh_tables != en_tables:
        report.error(path, pair.en.line, f"the Chinese block (line {pair.zh.line}) has {_tables_text(zh_tables)} and "
                     f"the English block has {_tables_text(en_tables)}: a table and its translation have the same "
                     "rows and columns (an empty cell is written '| |' or '—')")
    if zh_items != en_items:
        report.error(path, pair.en.line, f"the Chinese block (line {pair.zh.line}) has {_list_text(zh_items)} and the "
                     f"English block has {_list_text(en_items)}: a list and its translation have the same items, "
                     "numbered or bulleted alike, nested alike")


def check_abbreviations(block: Block, path: Path, report: Report, glossary: dict[str, str]) -> None:
    """A Markdown abbreviation definition ('*[HCC]: …') of a term of the glossary would replace the glossary's
    explanation on that page."""
    if "*[" not in block.text:
        return
    code = protected_spans(block.text, code_only=True)
    for m in _ABBR_DEF.finditer(block.text):
        if any(a <= m.start() < b for a, b in code):
            continue
        abbr = m.group("abbr").strip()
        if abbr in glossary:
            line, col = _where(block, block.text, m.start())
            report.error(path, line, f"'*[{abbr}]: …' would replace the glossary's explanation of {abbr} "
                         f"({glossary[abbr]}) on this page: remove this line (to change the explanation, edit "
                         "its term in content/glossary.md)", col)


def check_body(body: Body, path: Path, report: Report, zh_terms: list[str], en_terms: list[str],
               glossary: dict[str, str] | None = None) -> None:
    for pair in body.pairs:
        for block in (pair.zh, pair.en):
            if block is not None:
                check_language(block, path, report, zh_terms, en_terms)
                check_abbreviations(block, path, report, glossary or {})
        check_shape(pair, path, report)
