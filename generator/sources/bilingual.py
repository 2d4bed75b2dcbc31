"""Bilingual source bodies: ``::: zh`` / ``::: en`` blocks, paired.

A body is a sequence of blocks; each Chinese block is followed by its English
counterpart and the two form a :class:`Pair`. Pairs get anchors that are the same in
both languages, so the language switcher and backlinks keep the reader's place.
This module knows nothing of HTML or MkDocs.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Report, invisible_in, without_invisible

LANGS = ("zh", "en")
LANG_NAMES = {"zh": "Chinese", "en": "English"}

MARKER = re.compile(r"^:::(?:\s+(?P<rest>.*?))?\s*$")
# ':::zh', ' ::: en', '：：： zh', '::: ZH': meant as a marker, written otherwise
# a language written by its name ('::: english', '::: 中文'): the marker meant
LANG_NAMES = {"english": "en", "eng": "en", "英文": "en", "英语": "en",
              "chinese": "zh", "cn": "zh", "zh-cn": "zh", "中文": "zh", "汉语": "zh"}
MARKER_TYPO = re.compile(r"^\s*(?::{2,4}|：{2,4})\s*(?P<lang>zh|en)(?P<rest>(?:\s.*)?)$", re.IGNORECASE)
HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
ANCHOR = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
EDITOR = re.compile(r"^!!!\s+editor\b")


@dataclass
class Block:
    lang: str
    text: str
    line: int  # line of the ::: marker
    anchor: str | None = None
    pending: bool = False
    unclosed_fence: int = 0  # the line of a code fence left open in this block (reported there)

    @property
    def first_line(self) -> int:
        return self.line + 1


@dataclass
class Pair:
    index: int
    zh: Block | None
    en: Block | None
    anchor: str = ""
    kind: str = "text"  # text | heading | editor
    level: int = 0  # heading level for kind == "heading"

    def block(self, lang: str) -> Block | None:
        return self.zh if lang == "zh" else self.en

    def text(self, lang: str) -> str:
        b = self.block(lang)
        return b.text if b is not None and not b.pending else ""

    def translated(self, lang: str) -> bool:
        b = self.block(lang)
        return b is not None and not b.pending and bool(b.text.strip())

    @property
    def line(self) -> int:
        return (self.zh or self.en).line  # type: ignore[union-attr]


@dataclass
class Body:
    pairs: list[Pair] = field(default_factory=list)


def slugify(text: str) -> str:
    """ASCII slug of an English heading: '2.1 PD-1/PD-L1 axis' -> '2-1-pd-1-pd-l1-axis'."""
    text = unicodedata.normalize("NFKD", text)
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def heading_of(text: str) -> tuple[int, str] | None:
    stripped = text.strip()
    if "\n" in stripped:
        return None
    m = HEADING.match(stripped)
    if not m:
        return None
    return len(m.group("hashes")), m.group("text").strip()


def _split_blocks(body: str, start: int, path: Path, report: Report) -> list[Block]:
    """The blocks of a body. A '::: zh' line inside a code fence is text (a fence may show a marker); but when a
    fence is left open to the end, the body is read again with every marker ending an open fence, so that the
    fence left open is reported in its own block instead of every pair after it losing its counterpart."""
    scratch = Report(root=report.root)
    blocks, open_at_end = _blocks(body, start, path, scratch, markers_end_fences=False)
    if not open_at_end:
        report.extend(scratch)
        return blocks
    return _blocks(body, start, path, report, markers_end_fences=True)[0]


def _blocks(body: str, start: int, path: Path, report: Report, *,
            markers_end_fences: bool) -> tuple[list[Block], bool]:
    blocks: list[Block] = []
    current: Block | None = None
    buf: list[str] = []
    fence: str | None = None
    fence_line = 0

    def close() -> None:
        if current is not None:
            current.text = "\n".join(buf).strip("\n")
            blocks.append(current)

    def unclosed(lineno: int, where: str) -> None:
        if current is not None:
            current.unclosed_fence = fence_line
        report.error(path, fence_line, f"this code fence ({fence}) is never closed {where}: end the code with a "
                     f"line '{fence}' before the next '::: zh' / '::: en' line")

    for offset, raw in enumerate(body.split("\n")):
        lineno = start + offset
        fm = FENCE.match(raw)
        if fence is None and fm:
            fence = fm.group(1)[0] * 3
            fence_line = lineno
        elif fence is not None and raw.strip().startswith(fence):
            fence = None
            buf.append(raw)
            continue
        m = MARKER.match(raw)
        if fence is not None and m is not None and _lang_word(m) in LANGS and markers_end_fences:
            # a block marker ends a code fence left open: one message about the fence, not a cascade of
            # "no English counterpart" on the pairs that follow
            unclosed(lineno, f"in its block (line {lineno} starts the next block)")
            fence = None
        elif fence is not None:
            m = None
        if m is None and fence is None:
            typo = MARKER_TYPO.match(raw)
            if typo is not None:
                report.error(path, lineno, f"{_as_written(raw)} is not a block marker: write '::: {typo.group('lang').lower()}' "
                             "(three colons, a space, the language) at the very start of the line")
                m = MARKER.match(f"::: {typo.group('lang').lower()}{typo.group('rest')}")
        if m is None:
            if current is None:
                if raw.strip():
                    report.error(path, lineno, "text outside a language block: start the block with a line "
                                 "'::: zh' (Chinese) or '::: en' (English)")
                continue
            buf.append(raw)
            continue
        close()
        buf = []
        words = (m.group("rest") or "").split()
        lang = words[0] if words else ""
        if lang not in LANGS and invisible_in(lang) and without_invisible(lang).lower() in LANGS:
            at, name = invisible_in(raw)[0]
            report.error(path, lineno, f"the block marker '{raw.strip()}' contains {name} at col {at + 1}: delete it",
                         at + 1)
            lang = without_invisible(lang)
        if lang not in LANGS and (lang.lower() in LANGS or lang.lower() in LANG_NAMES):
            meant = LANG_NAMES.get(lang.lower(), lang.lower())
            report.error(path, lineno, f"{_as_written(raw)} is not a block marker: write '::: {meant}' (three "
                         "colons, a space, the language) at the very start of the line")
            lang = meant  # read as the block it means: no "no counterpart" or "text outside a block" after it
        if lang not in LANGS:
            report.error(path, lineno, f"unknown block marker '{raw.strip()}': use '::: zh' or '::: en'")
            current = None
            continue
        current = Block(lang=lang, text="", line=lineno)
        for word in words[1:]:
            if word.startswith("#") and ANCHOR.match(word[1:]):
                current.anchor = word[1:]
            elif word == "pending":
                current.pending = True
            else:
                report.error(path, lineno, f"unknown option '{word}' on the block marker: options are "
                             "'#anchor-id' (lowercase letters, digits, '-') and 'pending'")
    if fence is not None:
        unclosed(start + body.count("\n"), "before the end of the file")
    close()
    return blocks, fence is not None


def _lang_word(m: re.Match) -> str:
    words = (m.group("rest") or "").split()
    return words[0] if words else ""


def _as_written(raw: str) -> str:
    """A marker line quoted as written: a space or tab before it, invisible in quotes, is named."""
    line = raw.rstrip("\r\n")
    shown = f"'{line.rstrip()}'"
    if line[:1] == " ":
        return f"{shown} (starts with a space)"
    if line[:1] == "\t":
        return f"'{line.strip()}' (starts with a tab)"
    return shown


def parse_body(body: str, start: int, path: Path, report: Report, *, pending_ok: bool = False) -> Body:
    """Pair the blocks of a body.

    ``pending_ok`` (a section whose translation is in progress) lets a Chinese block
    stand without an English one.
    """
    blocks = _split_blocks(body, start, path, report)
    pairs: list[Pair] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if not b.text.strip() and not b.pending:
            report.error(path, b.line, f"the {LANG_NAMES[b.lang]} block is empty: write its text below the "
                         f"'::: {b.lang}' line, or remove the marker")
        if b.lang == "zh":
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if nxt is not None and nxt.lang == "en":
                pairs.append(Pair(len(pairs), b, nxt))
                i += 2
                continue
            if pending_ok:
                pairs.append(Pair(len(pairs), b, None))
            else:
                report.error(path, b.line, "this Chinese block has no English counterpart: add a '::: en' block "
                             "with its translation right after it (or mark the section 'translation: pending')")
            i += 1
        else:
            report.error(path, b.line, "this English block has no Chinese counterpart: put the '::: zh' block "
                         "with the Chinese text right before it")
            i += 1
    _classify(pairs, path, report)
    return Body(pairs)


def _classify(pairs: list[Pair], path: Path, report: Report) -> None:
    """Find headings and editor's notes; give every pair its anchor."""
    used: dict[str, int] = {}
    section_anchor = ""
    counter = 0
    for pair in pairs:
        zh, en = pair.zh, pair.en
        explicit = {b.anchor for b in (zh, en) if b is not None and b.anchor}
        if len(explicit) > 1:
            report.error(path, en.line if en else pair.line,  # type: ignore[union-attr]
                         f"the Chinese and English blocks have different anchors ({', '.join(sorted(explicit))}): "
                         "give the anchor once, on the '::: zh' line")
        heads = {lang: heading_of(b.text) for lang, b in (("zh", zh), ("en", en)) if b is not None and not b.pending}
        for lang, b in (("zh", zh), ("en", en)):
            if b is None or b.pending:
                continue
            if heads.get(lang) is None and any(HEADING.match(ln) for ln in b.text.split("\n")):
                n = next(k for k, ln in enumerate(b.text.split("\n")) if HEADING.match(ln))
                report.error(path, b.first_line + n, "a heading must stand alone in its block, so that it gets "
                             "the same anchor in both languages: start a new '::: zh' / '::: en' pair for it")
            if heads.get(lang) and heads[lang][0] == 1:
                report.error(path, b.first_line, "do not write a '#' (level-1) heading: the page title comes from "
                             "'title' in the front-matter; use '##' for the subsections")
        levels = {h[0] for h in heads.values() if h}
        if any(heads.values()):
            if not all(heads.get(lang) for lang in heads):
                report.error(path, pair.line, "one block of this pair is a heading and the other is not: both "
                             "languages must have the same structure")
            elif len(levels) > 1:
                report.error(path, en.line if en else pair.line,  # type: ignore[union-attr]
                             "the Chinese and English headings have different levels (number of '#'): make them equal")
            pair.kind = "heading"
            pair.level = max(levels)
            base = next(iter(explicit)) if explicit else slugify(heads["en"][1]) if heads.get("en") else ""
            anchor = base or f"h{pair.index + 1}"
            section_anchor, counter = anchor, 0
        else:
            if any(b is not None and EDITOR.match(b.text.lstrip()) for b in (zh, en)):
                pair.kind = "editor"
            counter += 1
            if explicit:
                anchor = next(iter(explicit))
            else:
                anchor = f"{section_anchor}-{counter}" if section_anchor else f"p{counter}"
                if pair.kind == "editor":
                    anchor = f"note-{anchor}"
        if anchor in used:
            if explicit:
                report.error(path, pair.line, f"the anchor '#{anchor}' is already used at line {used[anchor]}: "
                             "anchors must be unique within a page")
            k = 2
            while f"{anchor}-{k}" in used:
                k += 1
            anchor = f"{anchor}-{k}"
        used[anchor] = pair.line
        pair.anchor = anchor
