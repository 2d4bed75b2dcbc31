"""Parsing refs.bib with pybtex's BibTeX parser, one entry at a time (the file is cut at each ``@type{``): a
broken entry then cannot swallow the entries after it, every syntax error gets its line in the file, and
everything else still loads. Problems are returned in plain words, each at its line. (The cut is made at every
``@word{`` / ``@word(``; a field value containing such text would be cut too -- BibTeX itself would also
stumble over an ``@`` there.) Keys are kept exactly as written: pybtex's own dictionaries ignore case, ours do
not, so ``Finn2020`` and ``finn2020`` are both reported and both kept."""

from __future__ import annotations

import re

import pybtex.errors
from pybtex.bibtex.utils import split_name_list
from pybtex.database import BibliographyData, BibliographyDataError
from pybtex.database.input.bibtex import Parser, UndefinedMacro
from pybtex.scanner import PrematureEOF, PybtexSyntaxError, TokenRequired

from ..sources.limits import MacroGuard
from .entries import _top_level_commas

PERSON_ROLES = ("author", "editor")

# "@type{key," or "@type(key,"; the key is read the way pybtex reads it (anything up to a space, comma or brace).
_ENTRY_START = re.compile(r"@[ \t]*([A-Za-z][\w:.+-]*)[ \t\r\n]*([{(])[ \t\r\n]*([^\s,{}]*)")
_NOT_ENTRIES = {"comment", "string", "preamble"}
_FIELD_LINE = re.compile(r"^[ \t]*([A-Za-z][\w:.+-]*)[ \t]*=", re.M)


def _line_at(text: str, pos: int, start_pos: int = 0, start_line: int = 1) -> int:
    return start_line + text.count("\n", start_pos, pos)


def _join_lines(lines: list[int]) -> str:
    if len(lines) == 2:
        return f"lines {lines[0]} and {lines[1]}"
    return "lines " + ", ".join(str(n) for n in lines[:-1]) + f" and {lines[-1]}"


class _Chunk:
    __slots__ = ("start", "end", "line", "kind", "key", "key_line")

    def __init__(self, start, end, line, kind, key, key_line):
        self.start, self.end, self.line, self.kind, self.key, self.key_line = start, end, line, kind, key, key_line


def _scan(text: str) -> tuple[list[_Chunk], list[tuple[str, int]]]:
    """Cut the text at every ``@type{``; return the chunks and the (key, line) of every entry, in file order."""
    chunks: list[_Chunk] = []
    keys: list[tuple[str, int]] = []
    line = 1
    last = 0
    matches = list(_ENTRY_START.finditer(text))
    if not matches or matches[0].start() > 0:
        first_end = matches[0].start() if matches else len(text)
        chunks.append(_Chunk(0, first_end, 1, "", None, 1))
    for i, m in enumerate(matches):
        line += text.count("\n", last, m.start())
        last = m.start()
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        kind = m.group(1).lower()
        key = m.group(3) if kind not in _NOT_ENTRIES else None
        if key and text[m.end():m.end() + 200].lstrip().startswith("="):
            key = None  # "@article{\n  title = ...": the key is missing (pybtex would take "title" for it)
        if key and m.group(2) == "(":
            key = key.rstrip(")")
        key_line = line + text.count("\n", m.start(), m.start(3))
        chunks.append(_Chunk(m.start(), end, line, kind, key or None, key_line))
        if key:
            keys.append((key, key_line))
    return chunks, keys


def _unclosed(chunk_text: str) -> tuple[int | None, str]:
    """Where an entry's braces or quotes go wrong: (offset, what) -- the value left open when the next field
    starts, or else the entry's own opening brace."""
    depth = 0
    in_quote = False
    value_open = None  # offset of the brace/quote that opened the current field value
    entry_open = None
    line_start = True
    i = 0
    n = len(chunk_text)
    while i < n:
        ch = chunk_text[i]
        if line_start and (depth > 1 or in_quote):
            m = _FIELD_LINE.match(chunk_text, i)
            if m:
                return value_open, "quote" if in_quote else "brace"
        line_start = ch == "\n"
        if ch == "{":
            depth += 1
            if depth == 1 and entry_open is None:
                entry_open = i
            elif depth == 2 and not in_quote:
                value_open = i
        elif ch == "}":
            depth -= 1
            if depth <= 0:
                return None, ""
        elif ch == '"' and depth == 1:
            in_quote = not in_quote
            if in_quote:
                value_open = i
        i += 1
    if in_quote:
        return value_open, "quote"
    if depth > 1:
        return value_open, "brace"
    return entry_open, "entry"


def _token_at(text: str, pos: int) -> str:
    m = re.compile(r"\s*(\S{1,30})").match(text, pos)
    return m.group(1) if m else ""


def _explain_syntax(error: PybtexSyntaxError, text: str, chunk: _Chunk) -> tuple[int, str]:
    """(line, message) in plain words for a pybtex syntax error inside ``chunk``."""
    chunk_text = text[chunk.start:chunk.end]
    line = chunk.line + (error.lineno or 1) - 1
    what = f"the entry '{chunk.key}'" if chunk.key else "this entry"
    lead = f"cannot read {what}"
    hint = "(check for a missing comma or brace)"
    pos = None
    command_start = 0
    info = getattr(error, "error_context_info", None)
    if isinstance(info, tuple) and len(info) == 3:
        command_start, _, pos = info
        command_start = command_start or 0
    if command_start > 0 or not chunk.kind:
        # the error is in a command that starts after the entry of this chunk: a stray "@"
        at = _line_at(chunk_text, command_start, 0, chunk.line)
        return at, ("cannot read the text after an '@' on this line: BibTeX reads every '@' outside an entry as "
                    "the start of a new entry, even in a % comment (remove the '@' or write it inside an entry)")
    if isinstance(error, PrematureEOF) or "unbalanced braces" in str(error):
        offset, kind = _unclosed(chunk_text)
        if offset is not None:
            at = _line_at(chunk_text, offset, 0, chunk.line)
            if kind == "brace":
                return at, f"{lead}: the brace '{{' opened on this line is never closed (add the missing '}}')"
            if kind == "quote":
                return at, f'{lead}: the quote \'"\' opened on this line is never closed (add the missing \'"\')'
            last_line = chunk.line + chunk_text.rstrip().count("\n")
            return last_line, (f"{lead} (it starts on line {chunk.line}): it is not closed; "
                               f"add '}}' after its last field")
        if "unbalanced braces" in str(error):
            return line, f"{lead}: there is a '}}' without a matching '{{' {hint}"
        return line, f"{lead}: the file ends inside it {hint}"
    if isinstance(error, UndefinedMacro):
        name = str(error.args[0]) if error.args else ""
        return line, (f"{lead}: the value {name!s} is neither in braces nor in quotes "
                      f"(write {{{name}}}; only numbers and @string names may stand bare)")
    if isinstance(error, TokenRequired):
        expected = str(error.args[0]) if error.args else str(error)
        found = _token_at(text, chunk.start + pos) if pos is not None else ""
        found_words = f"'{found}'" if found else "the end of the entry"
        if (expected.startswith("'}'") or expected.startswith("')'")) and found.startswith("=") and not chunk.key:
            return chunk.line, f"cannot read this entry: it has no key (write @{chunk.kind}{{key, on its first line)"
        if expected.startswith("'}'") or expected.startswith("')'"):
            m = re.match(r"([A-Za-z][\w:.+-]*)\s*=", text[chunk.start + pos:] if pos is not None else "")
            if m and pos is not None:
                # pybtex stops at the next field: the comma is missing at the end of the previous field
                before = chunk_text[:pos].rstrip()
                comma_line = _line_at(chunk_text, len(before), 0, chunk.line)
                return comma_line, (f"{lead}: a comma is missing at the end of this line, before the field "
                                    f"'{m.group(1)}' on line {line}")
            return line, f"{lead}: unexpected {found_words} where the entry should go on or end {hint}"
        if expected.startswith("'='"):
            return line, f"{lead}: a field name must be followed by '=', found {found_words} {hint}"
        if expected.startswith("field value"):
            return line, f"{lead}: a field has no value (write name = {{value}}) {hint}"
        if expected.startswith("entry key"):
            return line, f"{lead}: the entry has no key (write @type{{key,)"
        if expected.startswith("a valid name"):
            return line, (f"cannot read the text after '@' on this line: '@' starts a new entry and must be "
                          f"followed by its type, e.g. @article{{key, (remove the stray '@')")
        if "'{'" in expected:
            return line, (f"cannot read the text after '@' on this line: '@' starts a new entry and must be "
                          f"followed by its type and '{{', found {found_words} (remove the stray '@')")
        return line, f"{lead}: {expected}, found {found_words} {hint}"
    return line, f"{lead}: {error} {hint}"


def _field_lines(chunk_text: str, chunk_line: int, name: str) -> list[int]:
    return [
        _line_at(chunk_text, m.start(), 0, chunk_line)
        for m in _FIELD_LINE.finditer(chunk_text)
        if m.group(1).lower() == name.lower()
    ]


def parse(text: str) -> tuple[dict[str, dict], dict[str, int], list[tuple[str, int, str]]]:
    """Parse the .bib text; never raises: (entries, key lines, problems), each problem a (severity, line,
    message) tuple. ``entries``: key -> {"type": str, "fields": {name: latex}, "persons": {role: [name as
    written]}}."""
    problems: list[tuple[str, int, str]] = []
    chunks, keys = _scan(text)

    # key lines, keys defined twice, keys differing only in case
    key_lines: dict[str, int] = {}
    all_lines: dict[str, list[int]] = {}
    for key, line in keys:
        all_lines.setdefault(key, []).append(line)
        key_lines.setdefault(key, line)
    for key, lines in all_lines.items():
        if len(lines) > 1:
            times = "twice" if len(lines) == 2 else f"{len(lines)} times"
            message = f"the key '{key}' is defined {times} ({_join_lines(lines)}): keep one"
            problems.append(("error", lines[-1], message))
    by_lower: dict[str, list[str]] = {}
    for key in key_lines:
        by_lower.setdefault(key.lower(), []).append(key)
    for variants in by_lower.values():
        for other in variants[1:]:
            first = variants[0]
            problems.append(("error", key_lines[other],
                             f"'{first}' (line {key_lines[first]}) and '{other}' (line {key_lines[other]}) differ "
                             f"only in capital letters; pybtex treats them as one key: rename one"))

    # pybtex, one chunk at a time; @string macros carry over from chunk to chunk
    parser = Parser(person_fields=())
    entries: dict[str, dict] = {}
    scanned = set(key_lines)
    macros = MacroGuard()  # a field that @string macros would blow up is refused before pybtex builds it
    for chunk in chunks:
        if chunk.kind == "comment":
            continue
        chunk_text = text[chunk.start:chunk.end]
        if not chunk.kind and "@" not in chunk_text:
            continue  # text before the first entry
        too_long = macros.check(chunk_text)
        if too_long is not None:
            problems.append(("error", _line_at(chunk_text, too_long[0], 0, chunk.line), too_long[1]))
            continue
        parser.data = BibliographyData()
        with pybtex.errors.capture() as captured:
            try:
                parser.parse_string(chunk_text)
            except PybtexSyntaxError as error:  # not expected with capture(), but never stop loading
                captured.append(error)
        for error in captured:
            if isinstance(error, PybtexSyntaxError):
                line, message = _explain_syntax(error, text, chunk)
                problems.append(("error", line, message))
            elif isinstance(error, BibliographyDataError) and "duplicate" in str(error):
                m = re.search(r"has a duplicate (\S+) field", str(error))
                name = m.group(1) if m else "?"
                lines = _field_lines(chunk_text, chunk.line, name)
                where = f" ({_join_lines(lines)})" if len(lines) > 1 else ""
                problems.append(("error", lines[-1] if lines else chunk.line,
                                 f"the entry '{chunk.key}' has the field '{name}' more than once{where}: keep one"))
            elif isinstance(error, BibliographyDataError) and "repeated" in str(error):
                continue  # two entries in one chunk with one key: already reported by the key scan
            else:
                problems.append(("error", chunk.line, f"cannot read the entry '{chunk.key}': {error}"))
        for key, entry in parser.data.entries.items():
            if key not in scanned and (not chunk.key or re.fullmatch(r"unnamed-\d+", key)):
                continue  # an entry without a key: reported as a syntax error
            if key in entries:
                continue  # defined twice: the first one counts (as in BibTeX); reported above
            fields: dict[str, str] = {}
            persons: dict[str, list[str]] = {}
            for name, value in entry.fields.items():
                lname = name.lower()
                if lname in PERSON_ROLES:
                    names = [n for n in split_name_list(value) if n.strip()]
                    if names:
                        persons[lname] = names
                        for raw in names:
                            if _top_level_commas(raw) > 2:
                                at = (_field_lines(chunk_text, chunk.line, lname) or [chunk.line])[0]
                                problems.append(("error", at, f"the name '{raw}' in the entry '{key}' has too many "
                                                 f"commas (write 'Family, Given' and separate names with 'and')"))
                else:
                    fields[lname] = value
            entries[key] = {"type": entry.type, "fields": fields, "persons": persons}
            _check_identifiers(key, fields, chunk_text, chunk.line, problems)
            if key not in key_lines:
                key_lines[key] = chunk.key_line
    return entries, key_lines, problems


def _check_identifiers(key: str, fields: dict[str, str], chunk_text: str, chunk_line: int,
                       problems: list[tuple[str, int, str]]) -> None:
    pmid = fields.get("pmid")
    if pmid is not None and not pmid.strip().isdigit():
        line = (_field_lines(chunk_text, chunk_line, "pmid") or [chunk_line])[0]
        problems.append(("warning", line, f"the PMID of '{key}' should be digits only, found '{pmid}'"))
    # a DOI that is not 10.NNNN/...: an error of bib/fieldtext.py (one message, not a warning beside it)
