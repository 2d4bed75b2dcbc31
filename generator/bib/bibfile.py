"""refs.bib as a file: its bytes (UTF-8, or the line and column of the first byte that is not), text that
stands outside every entry (a reference pasted as plain text, which BibTeX would ignore without a word), and
the line a field of an entry is written on."""

from __future__ import annotations

import re

from .bibtex import _ENTRY_START, _FIELD_LINE

_ENTRY_OR_END = re.compile(r"@[ \t]*[A-Za-z]")


def decode(raw: bytes) -> tuple[str, tuple[int, int, str] | None]:
    """The text and, when the bytes are not UTF-8, (line, column, message) of the first bad byte (the text then
    has U+FFFD in its place, so the rest still loads)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        before = raw[:error.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        col = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        bad = raw[error.start:error.start + 1].hex().upper()
        message = (f"refs.bib is not UTF-8: the byte 0x{bad} here is not a UTF-8 character (it was probably saved "
                   f"as Latin-1 or GBK; save the file as UTF-8 and check this character)")
        return raw.decode("utf-8", errors="replace"), (line, col, message)


def _entry_end(text: str, start: int) -> int:
    """The offset just after the entry starting at ``start`` (its braces or parentheses closed), or the end."""
    m = _ENTRY_START.match(text, start)
    if not m:
        return start + 1
    opening = m.group(2)
    closing = "}" if opening == "{" else ")"
    depth = 0
    for i in range(m.start(2), len(text)):
        ch = text[i]
        if ch == "{" or (ch == "(" and opening == "(" and depth == 0):
            depth += 1
        elif ch == "}" or (ch == closing and depth == 1):
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def stray_text(text: str) -> list[tuple[int, str]]:
    """(line, message) for each run of lines outside every entry that is neither blank nor a % comment."""
    problems: list[tuple[int, str]] = []
    pos = 0
    outside: list[tuple[int, int]] = []
    for m in _ENTRY_START.finditer(text):
        if m.start() < pos:
            continue  # inside the previous entry
        outside.append((pos, m.start()))
        pos = _entry_end(text, m.start())
    outside.append((pos, len(text)))
    for start, end in outside:
        if start >= end:
            continue
        line = text.count("\n", 0, start) + 1
        in_run = False
        for piece in text[start:end].split("\n"):
            stripped = piece.strip()
            if stripped and not stripped.startswith("%") and stripped not in ("}", ")", ","):
                if not in_run:
                    shown = stripped if len(stripped) <= 40 else stripped[:40] + "…"
                    problems.append((line, f"the text '{shown}' is outside any entry, so BibTeX ignores it: write "
                                           f"the reference as an entry (@article{{key, author = {{…}}, title = "
                                           f"{{…}}, …}}) or start the line with % to keep it as a comment"))
                in_run = True
            else:
                in_run = False
            line += 1
    return problems


def field_line(text: str, line_starts: list[int], key_line: int, name: str) -> int:
    """The line of the field ``name`` in the entry whose key is on ``key_line`` (the key line if not found)."""
    start = line_starts[key_line - 1] if 0 < key_line <= len(line_starts) else 0
    after_key = line_starts[key_line] if key_line < len(line_starts) else len(text)
    nxt = _ENTRY_OR_END.search(text, after_key)
    end = nxt.start() if nxt else len(text)
    for m in _FIELD_LINE.finditer(text, start, end):
        if m.group(1).lower() == name.lower():
            return text.count("\n", 0, m.start()) + 1
    return key_line


def command_position(text: str, line_starts: list[int], key_line: int, name: str, command: str) -> tuple[int, int]:
    """(line, column) of the first ``\\command`` in the field ``name`` of the entry whose key is on ``key_line``
    (the field's line, column 1, if it is not found there: a command that came from a @string macro)."""
    line = field_line(text, line_starts, key_line, name)
    start = line_starts[line - 1] if 0 < line <= len(line_starts) else 0
    nxt = _ENTRY_OR_END.search(text, line_starts[line] if line < len(line_starts) else len(text))
    m = re.compile(r"\\" + re.escape(command) + r"(?![A-Za-z])").search(text, start, nxt.start() if nxt else len(text))
    if m is None:
        return line, 1
    at = text.count("\n", 0, m.start()) + 1
    return at, m.start() - line_starts[at - 1] + 1


def line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts
