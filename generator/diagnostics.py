"""Problems found in the sources, reported as ``path:line:col: severity: message``.

Contributors are not programmers: these messages are their interface. Every stage of
the build (loading, validation, citations, records) adds to one :class:`Report`, so a
contributor sees every problem of a change at once instead of one per build.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

ERROR = "error"
WARNING = "warning"

# Characters that look like a space or like nothing: quoted in a message they are written as escapes ('\u00a0')
# and named, or the contributor would look for a mistake they cannot see.
INVISIBLE = {
    "\u00a0": "a non-breaking space", "\u00ad": "a soft hyphen", "\u2002": "an en space", "\u2003": "an em space",
    "\u2009": "a thin space", "\u200a": "a hair space", "\u200b": "a zero-width space",
    "\u200c": "a zero-width non-joiner", "\u200d": "a zero-width joiner", "\u200e": "a left-to-right mark",
    "\u200f": "a right-to-left mark", "\u202f": "a narrow non-breaking space", "\u2060": "a word joiner",
    "\u3000": "a full-width space", "\ufeff": "a zero-width no-break space (byte-order mark)",
}
_INVISIBLE = re.compile("[" + "".join(INVISIBLE) + "]")
_SHOWN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029" + "".join(INVISIBLE) + "]")


def invisible_in(text: str) -> list[tuple[int, str]]:
    """(offset, 'a non-breaking space (U+00A0)') of each invisible character of a text."""
    return [(m.start(), f"{INVISIBLE[m.group()]} (U+{ord(m.group()):04X})") for m in _INVISIBLE.finditer(text)]


def without_invisible(text: str) -> str:
    return _INVISIBLE.sub("", text)


def _named_invisible(message: str) -> str:
    """A message quoting contributor text with invisible characters says which ones, and how they are shown."""
    chars = dict.fromkeys(m.group() for m in _INVISIBLE.finditer(message))
    chars = {c: None for c in chars if f"(U+{ord(c):04X})" not in message}  # not named by the message itself
    if not chars:
        return message
    shown = ", ".join(f"{INVISIBLE[c]} (U+{ord(c):04X}) shown as {c.encode('unicode_escape').decode('ascii')}"
                      for c in chars)
    return f"{message} (the quoted text contains {shown})"


def printable(text: str, limit: int | None = None) -> str:
    """Contributor text for a one-line message: control characters and line breaks written as escapes
    ('\\n'), so that a message is one line and no line of it can pass for a command to the CI runner
    (GitHub Actions obeys any output line that starts with '::'); invisible characters (INVISIBLE) too."""
    if limit is not None and len(text) > limit:
        text = text[:limit - 1] + "…"
    return _SHOWN.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    col: int
    severity: str
    message: str

    def format(self, *, with_col: bool = True) -> str:
        path = printable(self.path)
        if path.startswith(":"):
            path = "./" + path  # a line of ours never starts with '::' but for our own annotations
        where = f"{path}:{self.line}:{self.col}" if with_col else f"{path}:{self.line}"
        return f"{where}: {self.severity}: {printable(self.message)}"

    def github(self) -> str:
        """A GitHub Actions workflow command that annotates the pull-request diff (its values escaped as the
        runner expects: a file name or a message cannot end the command or start another)."""
        kind = "error" if self.severity == ERROR else "warning"
        msg = printable(self.message).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = (self.path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A")
                .replace(",", "%2C"))
        return f"::{kind} file={path},line={self.line},col={self.col}::{msg}"


@dataclass
class Report:
    """Collects diagnostics; paths are shown relative to ``root``."""

    root: Path = field(default_factory=Path.cwd)
    items: list[Diagnostic] = field(default_factory=list)

    def _rel(self, path: str | Path) -> str:
        p = Path(path)
        try:
            # the folder resolved, not the file: a symbolic link is named as written, not as its target
            return (p.parent.resolve() / p.name).relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return p.as_posix()

    def error(self, path: str | Path, line: int, message: str, col: int = 1) -> None:
        self.items.append(Diagnostic(self._rel(path), max(line, 1), max(col, 1), ERROR, _named_invisible(message)))

    def warning(self, path: str | Path, line: int, message: str, col: int = 1) -> None:
        self.items.append(Diagnostic(self._rel(path), max(line, 1), max(col, 1), WARNING, _named_invisible(message)))

    def extend(self, other: "Report") -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return sorted({d for d in self.items if d.severity == ERROR})

    @property
    def warnings(self) -> list[Diagnostic]:
        return sorted({d for d in self.items if d.severity == WARNING})

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items))

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.sorted())

    def raise_if_errors(self, strict: bool = False) -> None:
        """Raise when there are errors (or, ``strict``, warnings): the message lists every problem, warnings
        too, as ``check`` prints them."""
        if self.errors or (strict and self.warnings):
            raise SourceError(self.items)


def grouped(items: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics with each repeated problem (same file, same message) once, at its first place, saying
    where else it occurs: "… (4 times in this file: also lines 12, 30 and 44)"."""
    firsts: dict[tuple[str, str, str], Diagnostic] = {}
    repeats: dict[tuple[str, str, str], list[int]] = {}
    for d in sorted(set(items)):
        key = (d.path, d.severity, d.message)
        if key in firsts:
            repeats[key].append(d.line)
        else:
            firsts[key] = d
            repeats[key] = []
    out = []
    for key, d in firsts.items():
        more = repeats[key]
        if more:
            others = sorted(set(more) - {d.line})
            if not others:
                where = "all on this line"
            elif len(others) == 1:
                where = f"also line {others[0]}"
            else:
                where = "also lines " + ", ".join(str(n) for n in others[:-1]) + f" and {others[-1]}"
            d = Diagnostic(d.path, d.line, d.col, d.severity, f"{d.message} ({len(more) + 1} times in this file: {where})")
        out.append(d)
    return sorted(out)


def tally(items: Iterable[Diagnostic]) -> tuple[int, int]:
    """(errors, warnings): the one count of problems that check and build print (and GitHub annotates): every
    place of a problem counts, a problem shown once with its other lines (grouped) counts for each of them; the
    same problem at the same place found twice counts once."""
    found = set(items)
    return sum(d.severity == ERROR for d in found), sum(d.severity == WARNING for d in found)


def summary(errors: int, warnings: int) -> str:
    """'39 errors, 0 warnings': the count of a report (tally), worded alike by check and build."""
    return f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"


class SourceError(Exception):
    """The sources are wrong: the message lists every problem, one per line, as ``check`` prints them
    (``path:line:col: severity: message``), with the count ``check`` gives."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(set(diagnostics))
        self.counts = tally(self.diagnostics)
        super().__init__(self.render())

    def render(self, command: str = "build") -> str:
        lines = [d.format() for d in grouped(self.diagnostics)]
        head = f"{command} failed: {summary(*self.counts)} in the sources:"
        return "\n".join([head, *lines])


def suggest(word: str, choices: Iterable[str], n: int = 3) -> str:
    """' (did you mean a, b?)' or '' -- the closest known names to a misspelt one."""
    close = difflib.get_close_matches(word, list(choices), n=n, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in choices}
        close = [lowered[c] for c in difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=0.6)]
    return f" (did you mean {', '.join(close)}?)" if close else ""


# The file the build is working on, for the one line an unexpected error becomes (generator/cli.py).
_PROCESSING: list[str] = [""]


def processing(what: str | Path) -> None:
    """Note the file (or step) being worked on now."""
    _PROCESSING[0] = str(what)


def now_processing() -> str:
    return _PROCESSING[0]


def in_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"
