"""Checks of each zh/en pair as a pair: each block is in its own language (as a whole, sentence by sentence, and
its heading), and both have the same shape (tables of the same rows and columns, the same list structure).

Heading levels are compared where headings are found (bilingual._classify). What is not the language of
the block is left out before counting: code, citations, link targets, URLs, HTML tags, quotations
(“…”, "…", 「…」, 『…』, ‘…’, 《…》), the glossary's terms in the other language, and names in parentheses.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..diagnostics import Report
from .bilingual import FENCE, Block, Body, Pair, heading_of
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
# the end of a sentence: its punctuation (and what closes a quotation after it), or the end of a line
_SENTENCE_END = re.compile(r"[.!?。！？；;][”’」』)）]*(?=\s|$)|[。！？；]|\n")
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


def _sentences(text: str):
    """(start, end) of each sentence of a text (offsets kept)."""
    start = 0
    for m in _SENTENCE_END.finditer(text):
        yield start, m.end()
        start = m.end()
    if start < len(text):
        yield start, len(text)


# A sentence of an English block with at least this many Chinese characters, more than its Latin letters, is an
# untranslated Chinese sentence; a sentence of a Chinese block without a Chinese character and with at least
# MIN_SENTENCE_LATIN letters in lowercase words is an English sentence.
MIN_SENTENCE_HAN = 4
MIN_SENTENCE_LATIN = 30


def check_language(block: Block, path: Path, report: Report, zh_terms: list[str], en_terms: list[str]) -> None:
    if block.pending or not block.text.strip() or heading_of(block.text) is not None:
        return  # headings: check_heading_language
    # removing what is another language on purpose only lowers the counts: a block that passes as written passes
    if block.lang == "en" and len(_HAN.findall(block.text)) < MIN_SENTENCE_HAN:
        return
    if block.lang == "zh" and sum(len(w) for w in _LOWER_WORD.findall(block.text)) < MIN_SENTENCE_LATIN:
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
            return
        for a, b in _sentences(own):
            han = len(_HAN.findall(own, a, b))
            latin = len(_LATIN.findall(own, a, b))
            if han >= MIN_SENTENCE_HAN and han > latin:
                first = _HAN.search(own, a, b).start()  # type: ignore[union-attr]
                line, col = _where(block, block.text, first)
                report.error(path, line, f"this sentence of the English block is in Chinese ({han} Chinese "
                             f"characters, {latin} Latin letters): '{_quote(block.text, first, b)}': translate it (a "
                             "Chinese word may stay in quotes “…” or in parentheses)", col)
    else:
        own = _letters_of(block.text, en_terms)
        han = len(_HAN.findall(own))
        # English prose is lowercase words; names (CheckMate, IMbrave150, ORR) are at home in Chinese text too
        english = sum(len(w) for w in _LOWER_WORD.findall(own))
        if english >= MIN_LATIN and han * 20 < english:
            report.error(path, block.first_line, f"this Chinese block has almost no Chinese text ({han} Chinese "
                         f"characters, {english} letters of English words): the '::: zh' block holds the Chinese text "
                         "of the source and the '::: en' block after it the English; were they swapped?")
            return
        for a, b in _sentences(own):
            words = list(_LOWER_WORD.finditer(own, a, b))
            english = sum(len(w.group()) for w in words)
            if english >= MIN_SENTENCE_LATIN and not _HAN.search(own, a, b):
                first = _LATIN.search(own, a, b).start()  # type: ignore[union-attr]
                line, col = _where(block, block.text, first)
                report.error(path, line, f"this sentence of the Chinese block is in English ({english} letters of "
                             f"English words, no Chinese character): '{_quote(block.text, first, b)}': the '::: zh' "
                             "block holds the Chinese text of the source, the English goes in the '::: en' block after "
                             "it (an English title may stay in quotes “…”)", col)


def _quote(text: str, a: int, b: int, limit: int = 40) -> str:
    part = " ".join(text[a:b].split())
    return part if len(part) <= limit else part[:limit - 1] + "…"


def check_heading_language(pair: Pair, path: Path, report: Report, zh_terms: list[str], en_terms: list[str]) -> None:
    """The headings of a pair each in its language: a Chinese heading in the '::: en' block (or an English one in
    the '::: zh' block) is found even though a heading is too short for the blocks' counts."""
    if pair.kind != "heading" or pair.zh is None or pair.en is None or pair.zh.pending or pair.en.pending:
        return
    heads = {b.lang: heading_of(b.text) for b in (pair.zh, pair.en)}
    if not heads["zh"] or not heads["en"]:
        return
    en_own = _letters_of(pair.en.text, zh_terms)
    zh_own = _letters_of(pair.zh.text, en_terms)
    en_han = len(_HAN.findall(en_own))
    en_is_chinese = en_han >= 2 and en_han > len(_LATIN.findall(en_own))
    zh_latin_only = not _HAN.search(zh_own) and _LATIN.search(zh_own) is not None
    # a heading of names alone ('## 3.1 CheckMate 040') is at home in Chinese too: English words are lowercase
    zh_is_english = zh_latin_only and sum(len(w) for w in _LOWER_WORD.findall(zh_own)) >= 4
    # a swap: the zh heading has no Chinese and the en heading has (glossary terms too: '抗 VEGF 抑制剂' is Chinese)
    swapped = zh_latin_only and len(_HAN.findall(heads["en"][1])) >= 2
    if swapped or (en_is_chinese and zh_latin_only):
        report.error(path, pair.zh.first_line, f"the headings of this pair are swapped: '{heads['zh'][1]}' (English) "
                     f"is in the '::: zh' block and '{heads['en'][1]}' (Chinese) in the '::: en' block (line "
                     f"{pair.en.first_line}): exchange the two heading lines")
    elif en_is_chinese:
        col = _HAN.search(en_own).start() + 1  # type: ignore[union-attr]
        report.error(path, pair.en.first_line, f"this English heading is in Chinese: '{heads['en'][1]}': write the "
                     "English heading below '::: en' (the Chinese heading goes in the '::: zh' block before it)", col)
    elif zh_is_english:
        col = _LATIN.search(zh_own).start() + 1  # type: ignore[union-attr]
        report.error(path, pair.zh.first_line, f"this Chinese heading has no Chinese text: '{heads['zh'][1]}': the "
                     "'::: zh' block holds the source's Chinese heading (the English heading goes in the '::: en' "
                     "block after it)", col)


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


def check_abbreviations(block: Block, path: Path, report: Report, glossary: dict[str, str],
                        glossary_file: str = "content/glossary.md") -> None:
    """A Markdown abbreviation definition ('*[HCC]: …') of a term of the glossary would replace the glossary's
    explanation on that page; of another term, it belongs in the glossary (one place, both languages)."""
    if "*[" not in block.text:
        return
    code = protected_spans(block.text, code_only=True)
    for m in _ABBR_DEF.finditer(block.text):
        if any(a <= m.start() < b for a, b in code):
            continue
        abbr = m.group("abbr").strip()
        if abbr not in glossary:
            line, col = _where(block, block.text, m.start())
            report.error(path, line, f"'*[{abbr}]: …' defines an abbreviation on this page only: abbreviations live "
                         f"in the glossary, {glossary_file}, in both languages: add {abbr} there as a term "
                         f"('- abbr: {abbr}' with its 'zh:' and 'en:') and remove this line", col)
        else:
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
        check_heading_language(pair, path, report, zh_terms, en_terms)
