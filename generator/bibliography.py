"""refs.bib: loading (with its problems reported at their lines), caching, formatting and export.

Loading reads the file once per content: the parsed entries are kept as plain dicts (type, fields, persons as
written) in an in-process cache keyed by the SHA-256 of the file bytes, and, with a ``cache_dir``, in
``<cache_dir>/bib-<sha256>.json``. A ``mkdocs serve`` rebuild with an unchanged .bib therefore neither parses nor
formats again. pybtex ``Entry`` objects are built lazily, only for the keys that are formatted.

Parsing uses pybtex's BibTeX parser, one entry at a time (the file is cut at each ``@type{``): a broken entry
then cannot swallow the entries after it, every syntax error gets its line in the file, and everything else
still loads. Problems are reported to the :class:`~generator.diagnostics.Report` in plain words. (The cut is
made at every ``@word{`` / ``@word(``; a field value containing such text would be cut too -- BibTeX itself
would also stumble over an ``@`` there.) Keys are kept exactly as written: pybtex's own dictionaries ignore
case, ours do not, so ``Finn2020`` and ``finn2020`` are both reported and both kept.
"""

from __future__ import annotations

import collections
import difflib
import hashlib
import importlib
import json
import os
import re
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

from .diagnostics import Report
from .limits import MacroGuard

if TYPE_CHECKING:  # pragma: no cover
    from pybtex.database import Entry
    from pybtex.scanner import PybtexSyntaxError


class _OnFirstUse:
    """A module imported when first used. Loading refs.bib from the cache (every build after the
    first, and the checker) needs neither pybtex's parser nor our styles, which take a tenth of the
    checker's time to import."""

    def __init__(self, name: str):
        self._name = name
        self._module = None

    def __getattr__(self, attr: str):
        if self._module is None:
            self._module = importlib.import_module(self._name, __package__)
        return getattr(self._module, attr)


bibstyle = _OnFirstUse(".bibstyle")

__all__ = ["Bibliography", "FormattedRef", "clear_cache"]

CACHE_VERSION = 2
# The formatted references depend on the style code too: its digest names their cache file.
_STYLE_DIGEST = hashlib.sha256(b"".join(
    Path(m).read_bytes() for m in (__file__, Path(__file__).with_name("bibstyle.py")))).hexdigest()[:12]
PERSON_ROLES = ("author", "editor")


@dataclass(frozen=True)
class FormattedRef:
    key: str
    html: str  # escaped text; <em> for italics; DOI/PMID/URL as <a href> links
    text: str  # the same as plain text
    links: list[tuple[str, str]] = field(default_factory=list)  # [("DOI", url), ("PubMed", url), ...]
    unidentified: str | None = None  # the 'unidentified' field ("12") or None


# ---------------------------------------------------------------------------------------------------------------
# Parsed data (what is cached)
# ---------------------------------------------------------------------------------------------------------------


class _Parsed:
    """Everything derived from one version of the .bib text (shared by every Bibliography loaded from it).

    ``entries``: key -> {"type": str, "fields": {name: latex}, "persons": {role: [name as written]}}. In
    the cache file they are one JSON string, decoded on first use: a build whose references all come
    from the formatted-reference cache never needs them (a 10,000-entry file costs a tenth of a second
    to decode)."""

    def __init__(self, entries: dict[str, dict] | None, key_lines: dict[str, int],
                 problems: list[tuple[str, int, str]], *, keys: list[str] | None = None,
                 entries_json: str | None = None):
        self._entries = entries
        self._entries_json = entries_json
        self.keys: list[str] = list(entries) if keys is None else keys  # entry keys, in file order
        self.key_set = set(self.keys)
        self.key_lines = key_lines
        self.problems = problems  # (severity, line, message)
        self.built: dict[str, Entry] = {}  # lazily built pybtex entries
        self.formatted: dict[tuple[str, str], FormattedRef] = {}  # (key, lang) memo
        self.ris: dict[str, str] = {}  # key -> RIS record memo
        self.bibtex: dict[str, str] = {}  # key -> BibTeX entry memo

    @property
    def entries(self) -> dict[str, dict]:
        if self._entries is None:
            self._entries = json.loads(self._entries_json or "{}")
            self._entries_json = None
        return self._entries

    def to_json(self) -> dict:
        return {
            "version": CACHE_VERSION,
            "keys": self.keys,
            "entries": json.dumps(self.entries, ensure_ascii=False),
            "key_lines": self.key_lines,
            "problems": [list(p) for p in self.problems],
        }

    @classmethod
    def from_json(cls, data: dict) -> "_Parsed":
        if data.get("version") != CACHE_VERSION:
            raise ValueError("cache version")
        if not isinstance(data["entries"], str):
            raise TypeError("entries")
        return cls(None, key_lines={k: int(v) for k, v in data["key_lines"].items()},
                   problems=[(str(s), int(n), str(m)) for s, n, m in data["problems"]],
                   keys=[str(k) for k in data["keys"]], entries_json=data["entries"])


# In-process cache, keyed by the SHA-256 of the file bytes; a few versions are kept (mkdocs serve edits).
_MEMORY: "collections.OrderedDict[str, _Parsed]" = collections.OrderedDict()
_MEMORY_SIZE = 4
_MEMORY_LOCK = threading.Lock()


def clear_cache() -> None:
    """Forget every .bib parsed in this process (the JSON files in a cache_dir are left alone)."""
    with _MEMORY_LOCK:
        _MEMORY.clear()


# ---------------------------------------------------------------------------------------------------------------
# Scanning and parsing
# ---------------------------------------------------------------------------------------------------------------

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
    from pybtex.database.input.bibtex import UndefinedMacro
    from pybtex.scanner import PrematureEOF, TokenRequired

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


def _parse(text: str) -> _Parsed:
    """Parse the .bib text; never raises. Problems become (severity, line, message) tuples."""
    import pybtex.errors
    from pybtex.bibtex.utils import split_name_list
    from pybtex.database import BibliographyData, BibliographyDataError
    from pybtex.database.input.bibtex import Parser
    from pybtex.scanner import PybtexSyntaxError

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
                            if bibstyle._top_level_commas(raw) > 2:
                                at = (_field_lines(chunk_text, chunk.line, lname) or [chunk.line])[0]
                                problems.append(("error", at, f"the name '{raw}' in the entry '{key}' has too many "
                                                 f"commas (write 'Family, Given' and separate names with 'and')"))
                else:
                    fields[lname] = value
            entries[key] = {"type": entry.type, "fields": fields, "persons": persons}
            _check_identifiers(key, fields, chunk_text, chunk.line, problems)
            if key not in key_lines:
                key_lines[key] = chunk.key_line
    return _Parsed(entries=entries, key_lines=key_lines, problems=problems)


def _check_identifiers(key: str, fields: dict[str, str], chunk_text: str, chunk_line: int,
                       problems: list[tuple[str, int, str]]) -> None:
    pmid = fields.get("pmid")
    if pmid is not None and not pmid.strip().isdigit():
        line = (_field_lines(chunk_text, chunk_line, "pmid") or [chunk_line])[0]
        problems.append(("warning", line, f"the PMID of '{key}' should be digits only, found '{pmid}'"))
    doi = fields.get("doi")
    if doi is not None and not bibstyle._clean_doi(doi).startswith("10."):
        line = (_field_lines(chunk_text, chunk_line, "doi") or [chunk_line])[0]
        problems.append(("warning", line, f"the DOI of '{key}' should start with '10.', found '{doi}'"))


# ---------------------------------------------------------------------------------------------------------------
# The bibliography
# ---------------------------------------------------------------------------------------------------------------

_STYLES: dict[str, bibstyle.BaseStyle] = {}


def _style(lang: str):
    code = lang.lower().split("-")[0].split("_")[0]
    if code not in ("en", "zh"):
        raise ValueError(f"no reference style for language {lang!r} (use 'en' or 'zh')")
    style = _STYLES.get(code)
    if style is None:
        style = _STYLES[code] = bibstyle.VancouverStyle() if code == "en" else bibstyle.GBT7714Style()
    return style, code


class Bibliography:
    """The entries of one .bib file. Keys are case-sensitive here (``in`` is an exact match)."""

    def __init__(self, path: Path, parsed: _Parsed, *, digest: str = "", cache_dir: Path | None = None):
        self.path = Path(path)
        self._data = parsed
        self.key_lines: dict[str, int] = parsed.key_lines
        self._lower: dict[str, list[str]] | None = None
        self._digest = digest
        self._cache_dir = Path(cache_dir) if cache_dir is not None else None
        self._fresh = 0  # references formatted since the formatted cache was read
        self._read_formatted()

    # -- loading ------------------------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path, report: Report, cache_dir: Path | None = None) -> "Bibliography":
        path = Path(path)
        try:
            raw = path.read_bytes()
        except OSError as error:
            report.error(path, 1, f"cannot read the bibliography: {error.strerror or error}")
            return cls(path, _Parsed({}, {}, []))
        digest = hashlib.sha256(raw).hexdigest()
        parsed = cls._cached(digest, cache_dir)
        if parsed is not None and cache_dir is not None and not (Path(cache_dir) / f"bib-{digest}.json").exists():
            _write_json(Path(cache_dir) / f"bib-{digest}.json", parsed)  # parsed earlier without a cache_dir
        if parsed is None:
            parsed = _parse(_decode(raw))
            if cache_dir is not None:
                _write_json(Path(cache_dir) / f"bib-{digest}.json", parsed)
            with _MEMORY_LOCK:
                _MEMORY[digest] = parsed
                while len(_MEMORY) > _MEMORY_SIZE:
                    _MEMORY.popitem(last=False)
        for severity, line, message in parsed.problems:
            (report.error if severity == "error" else report.warning)(path, line, message)
        return cls(path, parsed, digest=digest, cache_dir=cache_dir)

    # -- the formatted references, kept across builds --------------------------------------------------------------
    # Formatting costs about a millisecond per entry and language (an RIS record about as much); a site
    # citing thousands of references would pay that on every build. The results depend only on the .bib
    # text and the code of this module and the style, so they are kept in
    # <cache_dir>/bibfmt-<bib digest>-<code digest>.json and read back by the next build.

    def _formatted_file(self) -> Path | None:
        if self._cache_dir is None or not self._digest:
            return None
        return self._cache_dir / f"bibfmt-{self._digest[:16]}-{_STYLE_DIGEST}.json"

    def _read_formatted(self) -> None:
        file = self._formatted_file()
        if file is None or self._data.formatted or self._data.ris or self._data.bibtex:
            return
        try:
            with open(file, encoding="utf-8") as f:
                saved = json.load(f)
            for r in saved["formatted"]:
                self._data.formatted[(r["key"], r["lang"])] = FormattedRef(
                    r["key"], r["html"], r["text"], [tuple(link) for link in r["links"]], r["unidentified"])
            self._data.ris.update(saved["ris"])
            self._data.bibtex.update(saved["bibtex"])
        except (OSError, ValueError, KeyError, TypeError):
            return  # none yet, or from another version: format again

    def save_formatted(self) -> None:
        """Keep what this build formatted for the next one (no-op without a cache folder or news)."""
        file = self._formatted_file()
        if file is None or not self._fresh:
            return
        rows = [{"key": k, "lang": lang, "html": r.html, "text": r.text, "links": [list(x) for x in r.links],
                 "unidentified": r.unidentified} for (k, lang), r in sorted(self._data.formatted.items())]
        saved = {"formatted": rows, "ris": dict(sorted(self._data.ris.items())),
                 "bibtex": dict(sorted(self._data.bibtex.items()))}
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, file)
        self._fresh = 0

    @staticmethod
    def _cached(digest: str, cache_dir: Path | None) -> _Parsed | None:
        with _MEMORY_LOCK:
            parsed = _MEMORY.get(digest)
            if parsed is not None:
                _MEMORY.move_to_end(digest)
                return parsed
        if cache_dir is None:
            return None
        file = Path(cache_dir) / f"bib-{digest}.json"
        try:
            with open(file, encoding="utf-8") as f:
                parsed = _Parsed.from_json(json.load(f))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing, unreadable or from another version: parse again
        with _MEMORY_LOCK:
            _MEMORY[digest] = parsed
            while len(_MEMORY) > _MEMORY_SIZE:
                _MEMORY.popitem(last=False)
        return parsed

    # -- keys ---------------------------------------------------------------------------------------------------

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._data.key_set

    def __len__(self) -> int:
        return len(self._data.keys)

    def __iter__(self):
        return iter(self._data.keys)

    def _by_lower(self) -> dict[str, list[str]]:
        if self._lower is None:
            lower: dict[str, list[str]] = {}
            for key in self._data.keys:
                lower.setdefault(key.lower(), []).append(key)
            self._lower = lower
        return self._lower

    def case_variant(self, key: str) -> str | None:
        """The .bib key equal to ``key`` but for capital letters (None when ``key`` is in the .bib as written)."""
        if key in self._data.key_set:
            return None
        variants = self._by_lower().get(key.lower())
        return variants[0] if variants else None

    def suggestions(self, key: str) -> list[str]:
        """Up to 3 keys close to a misspelt one (difflib), best first."""
        keys = list(self._data.keys)
        close = difflib.get_close_matches(key, keys, n=3, cutoff=0.6)
        if not close:
            lowered = self._by_lower()
            close = [lowered[k][0] for k in difflib.get_close_matches(key.lower(), list(lowered), n=3, cutoff=0.6)]
        return close

    # -- entries ------------------------------------------------------------------------------------------------

    def entry(self, key: str) -> Entry:
        """The pybtex Entry of a key (built on first use)."""
        from pybtex.database import Entry
        data = self._data
        built = data.built.get(key)
        if built is None:
            plain = data.entries[key]
            persons = {role: [bibstyle.make_person(n) for n in names] for role, names in plain["persons"].items()}
            built = Entry(plain["type"], fields=dict(plain["fields"]), persons=persons)
            built.key = key
            data.built[key] = built
        return built

    def fields(self, key: str) -> dict[str, str]:
        """The fields of an entry as written in the .bib (LaTeX), names in lower case; persons not included."""
        return dict(self._data.entries[key]["fields"])

    def format(self, key: str, lang: str) -> FormattedRef:
        """The reference formatted for a language: "en" Vancouver, "zh" GB/T 7714. Memoised per (key, lang)."""
        style, code = _style(lang)
        memo = self._data.formatted
        ref = memo.get((key, code))
        if ref is not None:
            return ref
        if key not in self._data.key_set:
            raise KeyError(f"'{key}' is not in {self.path.name}")
        entry = self.entry(key)
        rich = style.format_entry("", entry).text
        unidentified = entry.fields.get("unidentified")
        ref = FormattedRef(
            key=key,
            html=bibstyle.render_html(rich),
            text=bibstyle.render_text(rich),
            links=bibstyle.entry_links(entry),
            unidentified=bibstyle.latex_to_plain(unidentified) if unidentified else None,
        )
        memo[(key, code)] = ref
        self._fresh += 1
        return ref

    # -- export -------------------------------------------------------------------------------------------------

    def _export_keys(self, keys: list[str]) -> list[str]:
        seen: set[str] = set()
        out = []
        for key in keys:
            if key in self._data.key_set and key.lower() not in seen:
                seen.add(key.lower())
                out.append(key)
        return out

    def bibtex(self, keys: list[str]) -> str:
        """Those entries (unknown keys skipped, each key once) as a BibTeX file, fields as written in the .bib.

        pybtex's BibTeX writer is not used: it encodes values as LaTeX again, so "\\&" in the .bib would come
        out as "\\\\&". The values here come from a successful parse, so their braces balance."""
        out = []
        memo = self._data.bibtex
        for key in self._export_keys(keys):
            entry = memo.get(key)
            if entry is None:
                plain = self._data.entries[key]
                lines = [f"@{plain['type']}{{{key},"]
                for role, names in plain["persons"].items():
                    lines.append(f"  {role} = {{{' and '.join(names)}}},")
                for name, value in plain["fields"].items():
                    lines.append(f"  {name} = {{{value}}},")
                lines[-1] = lines[-1].rstrip(",")
                lines.append("}")
                entry = memo[key] = "\n".join(lines)
                self._fresh += 1
            out.append(entry)
        return "\n\n".join(out) + ("\n" if out else "")

    def ris(self, keys: list[str]) -> str:
        """Those entries as RIS, one record per entry (TY first, ER last), plain text values.

        pybtex has no RIS writer, hence this one."""
        records = []
        memo = self._data.ris
        for key in self._export_keys(keys):
            record = memo.get(key)
            if record is None:
                record = memo[key] = _ris_record(key, self.entry(key))
                self._fresh += 1
            records.append(record)
        return "".join(records)


# ---------------------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------------------


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace")


def _write_json(file: Path, parsed: _Parsed) -> None:
    """Write atomically (a temporary file renamed), so a concurrent build never reads half a cache file."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=file.name, suffix=".tmp", dir=file.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(parsed.to_json(), f, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, file)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError:
        pass  # the cache is an optimisation: a read-only directory only costs a parse next time


_RIS_TYPES = {
    "article": "JOUR",
    "book": "BOOK",
    "inbook": "CHAP",
    "incollection": "CHAP",
    "inproceedings": "CPAPER",
    "conference": "CPAPER",
    "proceedings": "CONF",
    "phdthesis": "THES",
    "mastersthesis": "THES",
    "thesis": "THES",
    "techreport": "RPRT",
    "report": "RPRT",
    "manual": "GEN",
    "unpublished": "UNPB",
    "online": "ELEC",
}


def _ris_value(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def _ris_record(key: str, entry: Entry) -> str:
    lines: list[tuple[str, str]] = []
    add = lines.append
    f = entry.fields

    def plain(name: str) -> str | None:
        value = f.get(name)
        if value is None:
            return None
        text = _ris_value(bibstyle.latex_to_plain(value))
        return text or None

    ris_type = _RIS_TYPES.get(entry.type, "GEN")
    if bibstyle.is_registry_record(entry):
        ris_type = "ELEC"
    add(("TY", ris_type))
    add(("ID", key))
    for role, tag in (("author", "AU"), ("editor", "ED")):
        for person in entry.persons.get(role, []):
            if bibstyle._is_others(person):
                continue
            family = " ".join(bibstyle._plain_parts(person.prelast_names + person.last_names))
            given = " ".join(bibstyle._plain_parts(person.first_names + person.middle_names))
            if bibstyle.has_cjk(family + given):
                name = family + given if not given else f"{family}, {given}"
            else:
                name = f"{family}, {given}" if given else family
            lineage = " ".join(bibstyle._plain_parts(person.lineage_names))
            if lineage:
                name += f", {lineage}"
            if name:
                add((tag, name))
    for name, tag in (("title", "TI"), ("journal", "T2"), ("booktitle", "T2"), ("year", "PY"), ("volume", "VL")):
        value = plain(name)
        if value:
            add((tag, value))
    issue = plain("number") or plain("issue")
    if issue:
        add(("IS", issue))
    pages = plain("pages")
    if pages:
        first, _, last = re.sub(r"\s*[\u2010-\u2015\u2212-]+\s*", "-", pages).partition("-")
        add(("SP", first))
        if last:
            add(("EP", last))
    publisher = plain("publisher") or plain("school") or plain("institution") or plain("organization")
    if publisher:
        add(("PB", publisher))
    for name, tag in (("address", "CY"), ("edition", "ET")):
        value = plain(name)
        if value:
            add((tag, value))
    doi = f.get("doi")
    if doi and bibstyle._clean_doi(doi):
        add(("DO", bibstyle._clean_doi(doi)))
    pmid = plain("pmid")
    if pmid:
        add(("AN", f"PMID: {pmid}"))
    url = bibstyle.safe_url(f.get("url"))
    if url:
        add(("UR", url))
    unidentified = plain("unidentified")
    if unidentified:
        add(("N1", f"Reference [{unidentified}] of the source review, not identified."))
    note = plain("note")
    if note:
        add(("N1", note))
    add(("ER", ""))
    return "".join(f"{tag}  - {value}\n" for tag, value in lines) + "\n"
