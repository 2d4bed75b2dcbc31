"""YAML front-matter, safe-loaded, with the source line of every key.

Content is data, never code: only ``yaml.SafeLoader`` is used. Each value keeps the line
it came from so that validation can say ``path:line`` for a wrong field deep in a record.
"""

from __future__ import annotations

import errno
import os

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Report, processing
from .limits import yaml_problem

Key = tuple  # a path into the data: ("endpoints", 2, "value")
# libyaml's safe loader when present (same safe semantics, several times faster).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class FrontMatter:
    data: dict[str, Any]
    lines: dict[Key, int] = field(default_factory=dict)
    start: int = 1  # line of the opening ---
    written: dict[Key, str] = field(default_factory=dict)  # each scalar as written ('13.0', not 13.0)
    at: dict[Key, tuple[int, int]] = field(default_factory=dict)  # each scalar's (line, column) in the file

    def where(self, *path: Any) -> tuple[int, int]:
        """(line, column) of the value at ``path`` when it is a scalar, else (its line, 1)."""
        return self.at.get(tuple(path)) or (self.line(*path), 1)

    def line(self, *path: Any) -> int:
        """The line of ``path`` or of its nearest ancestor that has one."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return self.start


@dataclass
class SourceFile:
    path: Path
    front: FrontMatter
    body: str
    body_start: int  # 1-based line number of the first body line


def _walk(node: yaml.Node, prefix: Key, offset: int, lines: dict[Key, int], dupes: list[tuple[Key, int]],
          written: dict[Key, str] | None = None, at: dict[Key, tuple[int, int]] | None = None) -> None:
    if written is not None and isinstance(node, yaml.ScalarNode):
        written[prefix] = node.value
        if at is not None:
            at[prefix] = (node.start_mark.line + 1 + offset, node.start_mark.column + 1)
    elif isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            path = prefix + (key,)
            line = key_node.start_mark.line + 1 + offset
            if key in seen:
                dupes.append((path, line))
            seen.add(key)
            lines[path] = line
            _walk(value_node, path, offset, lines, dupes, written, at)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            path = prefix + (i,)
            lines[path] = item.start_mark.line + 1 + offset
            _walk(item, path, offset, lines, dupes, written, at)


def parse_yaml(text: str, path: Path, report: Report, offset: int = 0) -> FrontMatter | None:
    """Safe-load ``text``; ``offset`` is the number of file lines before it."""
    try:
        loader = SAFE_LOADER(text)
        try:
            node = loader.get_single_node()
            too_big = yaml_problem(node) if node is not None and "*" in text else None  # '*': an alias
            if too_big:  # before anything walks the values (generator/sources/limits.py)
                report.error(path, offset + 1, too_big)
                return None
            data = loader.construct_document(node) if node is not None else {}
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + offset) if mark else offset + 1
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        col = mark.column + 1 if mark else 1  # the column YAML gives (its marks count from 0)
        report.error(path, line, f"the front-matter is not valid YAML: {problem} "
                     "(check indentation, and put text containing ':' or '#' in quotes)", col)
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - yaml always marks its errors
        report.error(path, offset + 1, f"the front-matter is not valid YAML: {exc}")
        return None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        report.error(path, offset + 1, "the front-matter must be a set of 'name: value' lines")
        return None
    lines: dict[Key, int] = {}
    dupes: list[tuple[Key, int]] = []
    written: dict[Key, str] = {}
    at: dict[Key, tuple[int, int]] = {}
    _walk(node, (), offset, lines, dupes, written, at)
    for key, line in dupes:
        report.error(path, line, f"'{'.'.join(map(str, key))}' is given twice; keep only one")
    return FrontMatter(data=data, lines=lines, start=offset, written=written, at=at)


def _is_loop(path: Path) -> bool:
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def read_text(path: Path, report: Report) -> str | None:
    """The text of a source file, or None with the problem reported: a dangling link, a file that cannot be
    read, bytes that are not UTF-8 (at the line and column of the first bad byte)."""
    processing(path)
    if path.is_symlink() and _is_loop(path):
        report.error(path, 1, f"this is a symbolic link to '{os.readlink(path)}', which leads back to itself (a loop): "
                              "replace the link with the file itself, or point it at an existing file")
        return None
    if path.is_symlink() and not path.exists():
        report.error(path, 1, f"this is a symbolic link to '{os.readlink(path)}', which does not exist: remove the "
                              f"link or restore the file it points to")
        return None
    try:
        raw = path.read_bytes()
    except OSError as exc:
        report.error(path, 1, f"cannot read this file: {exc.strerror or exc} (check that it exists and is readable)")
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[:exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1:].decode("utf-8", errors="replace")) + 1
        report.error(path, line, f"the file is not UTF-8 text: the byte 0x{raw[exc.start]:02X} here is not a UTF-8 "
                                 f"character (save the file as UTF-8, then check this character)", col)
        return None


def read_source(path: Path, report: Report) -> SourceFile | None:
    """Split a markdown file into its front-matter and body."""
    text = read_text(path, report)
    if text is None:
        return None
    text = text.replace("\r\n", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        report.error(path, 1, "the file must start with a front-matter block between two '---' lines")
        return None
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            fm = parse_yaml("\n".join(lines[1:i]), path, report, offset=1)
            if fm is None:
                return None
            fm.start = 1
            return SourceFile(path, fm, "\n".join(lines[i + 1:]), i + 2)
    report.error(path, 1, "the front-matter is not closed: add a line '---' after it")
    return None
