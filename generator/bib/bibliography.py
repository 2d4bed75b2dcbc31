"""refs.bib: loading (with its problems reported at their lines), caching, formatting and export.

Loading reads the file once per content: the parsed entries are kept as plain dicts (type, fields, persons as
written) in an in-process cache keyed by the SHA-256 of the file bytes, and, with a ``cache_dir``, in
``<cache_dir>/bib-<sha256>.json``. A ``mkdocs serve`` rebuild with an unchanged .bib therefore neither parses nor
formats again. pybtex ``Entry`` objects are built lazily, only for the keys that are formatted.

The work is done beside this module: parsing in generator/bib/bibtex.py, the reference styles in styles.py
(with richtext.py and entries.py), the BibTeX and RIS files in exports.py.
"""

from __future__ import annotations

import collections
import difflib
import hashlib
import importlib
import json
import os
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Report, processing
from . import fieldtext


class _OnFirstUse:
    """A module imported when first used."""

    def __init__(self, name: str):
        self._name = name
        self._module = None

    def __getattr__(self, attr: str):
        if self._module is None:
            self._module = importlib.import_module(self._name, __package__)
        return getattr(self._module, attr)


# pybtex's parser and our styles (which import pybtex) are imported on first use, not at the top: loading
# refs.bib from the cache (every build after the first, and the checker) needs none of them, and importing
# them takes 41 ms of the checker's start-up (measured). The imports for type checkers name the dependencies
# for readers and for the import contract (pyproject.toml).
if TYPE_CHECKING:  # pragma: no cover
    from pybtex.database import Entry

    from . import bibfile, biblatex, bibtex, entries, exports, richtext, styles
else:
    bibfile, biblatex, bibtex, entries, exports, richtext, styles = (
        _OnFirstUse(f".{name}")
        for name in ("bibfile", "biblatex", "bibtex", "entries", "exports", "richtext", "styles"))

__all__ = ["Bibliography", "FormattedRef", "clear_cache"]

CACHE_VERSION = 5  # 5: LaTeX commands reported at their column
# The formatted references (and the exported records, kept with them) depend on the code that makes them too,
# and on the interface strings the styles use ('unverified' fields): their digest names the cache file.
_STYLE_DIGEST = hashlib.sha256(b"".join(
    [Path(__file__).with_name(name).read_bytes()
     for name in ("bibliography.py", "styles.py", "richtext.py", "entries.py", "exports.py", "biblatex.py")]
    + [(Path(__file__).parent.parent / "i18n" / f"{lang}.yml").read_bytes() for lang in ("zh", "en")]
)).hexdigest()[:12]


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
                 entries_json: str | None = None, related: dict[str, list[str]] | None = None):
        self._entries = entries
        # key -> the entries it stands on: its crossref parent, the members of an @set (kept in the cache
        # file beside the entries, so that knowing them never decodes the entries)
        self.related: dict[str, list[str]] = related if related is not None else {
            key: [*biblatex.set_members(plain), *([plain["fields"]["crossref"].strip()]
                                                  if plain["fields"].get("crossref", "").strip() else [])]
            for key, plain in (entries or {}).items()
            if plain["type"].lower() == "set" or plain["fields"].get("crossref", "").strip()}
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
            "related": self.related,
        }

    @classmethod
    def from_json(cls, data: dict) -> "_Parsed":
        if data.get("version") != CACHE_VERSION:
            raise ValueError("cache version")
        if not isinstance(data["entries"], str):
            raise TypeError("entries")
        return cls(None, key_lines={k: int(v) for k, v in data["key_lines"].items()},
                   problems=[(str(s), int(n), str(m)) for s, n, m in data["problems"]],
                   keys=[str(k) for k in data["keys"]], entries_json=data["entries"],
                   related={str(k): [str(x) for x in v] for k, v in data["related"].items()})


# In-process cache, keyed by the SHA-256 of the file bytes; a few versions are kept (mkdocs serve edits).
_MEMORY: "collections.OrderedDict[str, _Parsed]" = collections.OrderedDict()
_MEMORY_SIZE = 4
_MEMORY_LOCK = threading.Lock()


def clear_cache() -> None:
    """Forget every .bib parsed in this process (the JSON files in a cache_dir are left alone)."""
    with _MEMORY_LOCK:
        _MEMORY.clear()


def _parse(text: str) -> _Parsed:
    """Parse the .bib text (generator/bib/bibtex.py); never raises. Also reported: text outside every entry
    (generator/bib/bibfile.py) and what of the entries cannot be rendered (generator/bib/biblatex.py)."""
    entries, key_lines, problems = bibtex.parse(text)
    problems = list(problems)
    problems.extend(("error", line, message) for line, message in bibfile.stray_text(text))
    starts = bibfile.line_starts(text)
    for key, name, message in biblatex.problems(entries):
        key_line = key_lines.get(key, 1)
        line = bibfile.field_line(text, starts, key_line, name) if name else key_line
        problems.append(("warning", line, message))
    for key, name, command, message in biblatex.command_problems(entries):
        line, col = bibfile.command_position(text, starts, key_lines.get(key, 1), name, command)
        problems.append(("warning", line, f"{col}:{message}"))
    for key, name, message in fieldtext.problems(entries):
        line = bibfile.field_line(text, starts, key_lines.get(key, 1), name)
        problems.append(("error", line, message))
    return _Parsed(entries=entries, key_lines=key_lines, problems=problems)


# ---------------------------------------------------------------------------------------------------------------
# The bibliography
# ---------------------------------------------------------------------------------------------------------------

_STYLES: dict[str, styles.BaseStyle] = {}


def _style(lang: str):
    code = lang.lower().split("-")[0].split("_")[0]
    if code not in ("en", "zh"):
        raise ValueError(f"no reference style for language {lang!r} (use 'en' or 'zh')")
    style = _STYLES.get(code)
    if style is None:
        style = _STYLES[code] = styles.VancouverStyle() if code == "en" else styles.GBT7714Style()
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
        processing(path)
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
            text, bad_byte = bibfile.decode(raw)
            parsed = _parse(text)
            if bad_byte is not None:
                parsed.problems.insert(0, ("error", bad_byte[0], f"{bad_byte[1]}:{bad_byte[2]}"))
            if cache_dir is not None:
                _write_json(Path(cache_dir) / f"bib-{digest}.json", parsed)
            with _MEMORY_LOCK:
                _MEMORY[digest] = parsed
                while len(_MEMORY) > _MEMORY_SIZE:
                    _MEMORY.popitem(last=False)
        for severity, line, message in parsed.problems:
            col = 1
            head, _, rest = message.partition(":")
            if head.isdigit() and rest:  # "col:message" (the bad byte of a file that is not UTF-8)
                col, message = int(head), rest
            (report.error if severity == "error" else report.warning)(path, line, message, col)
        bib = cls(path, parsed, digest=digest, cache_dir=cache_dir)
        if not parsed.keys and not any(severity == "error" for severity, _, _ in parsed.problems):
            report.error(path, 1, "refs.bib has no entries: every citation needs its entry here "
                                  "(write them as @article{key, author = {…}, title = {…}, …})")
        return bib

    @property
    def is_empty(self) -> bool:
        """No entry could be read (the file is empty, unreadable or broken): reported once, about the file;
        the citations of the pages are then not reported one by one."""
        return not self._data.keys

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
        from pybtex.database import Entry  # on first use: see the top of the module

        data = self._data
        built = data.built.get(key)
        if built is None:
            plain = biblatex.resolve(key, data.entries)  # crossref inherited, biblatex fields mapped
            persons = {role: [entries.make_person(n) for n in names] for role, names in plain["persons"].items()}
            built = Entry(plain["type"], fields=dict(plain["fields"]), persons=persons)
            built.key = key
            data.built[key] = built
        return built

    def members(self, key: str) -> list[str]:
        """The entries an ``@set`` entry groups, those in the .bib (empty for any other entry)."""
        if key not in self._data.related:
            return []
        return [k for k in biblatex.set_members(self._data.entries[key]) if k in self._data.key_set and k != key]

    def related(self, key: str) -> list[str]:
        """The entries of the .bib that ``key`` stands on: its crossref parent, the members of an @set."""
        return [k for k in self._data.related.get(key, ()) if k in self._data.key_set and k != key]

    def is_placeholder(self, key: str) -> bool:
        """Whether ``key`` is the placeholder of a reference of a source review that could not be identified (its
        'unidentified' field, exports.is_placeholder): no publication, so nothing is verified against it."""
        return key in self._data.key_set and "unidentified" in self._data.entries[key]["fields"]

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
        members = self.members(key)
        if members:  # an @set: its entries one after the other
            parts = [self.format(k, code) for k in members]
            ref = FormattedRef(key=key, html=" ".join(p.html for p in parts), text=" ".join(p.text for p in parts),
                               links=[link for p in parts for link in p.links], unidentified=None)
            memo[(key, code)] = ref
            self._fresh += 1
            return ref
        entry = self.entry(key)
        rich = style.format_entry("", entry).text
        unidentified = entry.fields.get("unidentified")
        ref = FormattedRef(
            key=key,
            html=richtext.render_html(rich),
            text=richtext.render_text(rich),
            links=entries.entry_links(entry),
            unidentified=richtext.latex_to_plain(unidentified) if unidentified else None,
        )
        memo[(key, code)] = ref
        self._fresh += 1
        return ref

    # -- export -------------------------------------------------------------------------------------------------

    def _export_keys(self, keys: list[str]) -> list[str]:
        """The keys to export: each once, without the placeholders of unidentified references (a reference
        manager would file them as publications), with the members of an @set and, after the entries that name them,
        their crossref parents (BibTeX needs a parent after its children)."""
        seen: set[str] = set()
        out: list[str] = []
        parents: list[str] = []

        def add(key: str) -> None:
            if (key in self._data.key_set and key.lower() not in seen
                    and "unidentified" not in self._data.entries[key]["fields"]):  # exports.is_placeholder
                seen.add(key.lower())
                out.append(key)
                for member in self.members(key):
                    add(member)
                parent = self._data.entries[key]["fields"].get("crossref", "").strip()
                if parent in self._data.key_set:
                    parents.append(parent)

        for key in keys:
            add(key)
        while parents:
            parent = parents.pop(0)
            if parent.lower() in seen:
                continue
            add(parent)
        return out

    def bibtex(self, keys: list[str]) -> str:
        """Those entries (unknown keys skipped, each key once) as a BibTeX file, fields as written in the .bib
        (generator/bib/exports.py)."""
        out = []
        memo = self._data.bibtex
        for key in self._export_keys(keys):
            entry = memo.get(key)
            if entry is None:
                entry = memo[key] = exports.bibtex_record(key, self._data.entries[key])
                self._fresh += 1
            out.append(entry)
        return "\n\n".join(out) + ("\n" if out else "")

    def ris(self, keys: list[str]) -> str:
        """Those entries as RIS, one record per entry (TY first, ER last), plain text values
        (generator/bib/exports.py)."""
        records = []
        memo = self._data.ris
        for key in self._export_keys(keys):
            if self.members(key):
                continue  # an @set: its entries are records of their own
            record = memo.get(key)
            if record is None:
                record = memo[key] = exports.ris_record(key, self.entry(key))
                self._fresh += 1
            records.append(record)
        return "".join(records)

    def csl_json(self, keys: list[str]) -> str:
        """Those entries as a CSL-JSON array (generator/bib/exports.py)."""
        items = [exports.csl_item(key, self.entry(key)) for key in self._export_keys(keys)]
        return json.dumps(items, ensure_ascii=False, indent=1) + "\n"

    def csl_items(self, keys: list[str]) -> list[dict]:
        """Those entries as CSL-JSON items (placeholders left out), for the pages' embedded metadata."""
        return [exports.csl_item(key, self.entry(key)) for key in self._export_keys(keys)]


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
