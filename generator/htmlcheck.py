"""The checker's view of contributor HTML: what the sanitizer would remove, at ``path:line:col``.

Each block of the sources (sections, landing pages, glossary, notes of the records) is converted by
Markdown with the extensions of ``mkdocs.yml``, put between the same markers as in a page
(generator/regions.py), and sanitized as the build sanitizes it (generator/sanitize.py): one rule set,
so that ``check`` and ``build`` cannot disagree. Each removal is reported at the place of the source
that wrote it, with what to write instead; the build fails on the same errors before it makes a page
(and, should a page still hold something the sanitizer removes, on that page).
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path
from typing import Any, Iterable

import markdown
import yaml

from . import regions, sanitize
from .bilingual import Block, Body, Pair
from .diagnostics import Report
from .frontmatter import SAFE_LOADER

PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*records\b.*?^ {0,3}\1[ \t]*$", re.S | re.M)
_ENTITY = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")


class _ConfigLoader(SAFE_LOADER):  # type: ignore[misc, valid-type]
    """mkdocs.yml, safe-loaded: an ``!ENV [NAME, default]`` value is its default (no environment read)."""


_ConfigLoader.add_constructor("!ENV", lambda loader, node: None)
_ConfigLoader.add_constructor("!relative", lambda loader, node: None)


@functools.lru_cache(maxsize=8)
def _extensions(config_file: Path) -> tuple[list[Any], dict[str, dict]]:
    """The ``markdown_extensions`` of mkdocs.yml: (names, configs)."""
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    except (OSError, yaml.YAMLError):
        data = {}
    names: list[Any] = []
    configs: dict[str, dict] = {}
    for item in data.get("markdown_extensions") or []:
        if isinstance(item, dict):
            for name, cfg in item.items():
                names.append(name)
                configs[name] = dict(cfg or {})
        elif isinstance(item, str):
            names.append(item)
    return names, configs


def converter(root: Path) -> markdown.Markdown:
    names, configs = _extensions(Path(root) / "mkdocs.yml")
    return markdown.Markdown(extensions=[*names, regions.RegionExtension()], extension_configs=configs)


def block_markdown(block: Block, pair: Pair) -> str:
    """The markdown of a block as the page gives it to MkDocs (records blocks are the generator's)."""
    text = _FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), block.text)
    if pair.kind == "heading":
        text = f"{text.strip()} {{#{pair.anchor}}}"
    return text


class HtmlChecker:
    """The blocks of a source, one language at a time, converted together as on their page (so that a link
    refers to a definition in another block as it does there, and footnotes gather at the end)."""

    def __init__(self, root: Path, report: Report):
        self.md = converter(root)
        self.report = report

    def body(self, path: Path, body: Body) -> None:
        for lang in ("zh", "en"):
            parts = [(b, pair) for pair in body.pairs for b in (pair.block(lang),)
                     if b is not None and not b.pending and b.text.strip()]
            if parts:
                self.page(path, parts)

    def page(self, path: Path, parts: list[tuple[Block, Pair]]) -> None:
        marks = regions.Regions()
        chunks = []
        for block, pair in parts:
            for m in PRIVATE_USE.finditer(block.text):
                self._error(path, block, block.text, m.start(),
                            f"the character U+{ord(m.group(0)):04X} (private use) is not allowed in content: the "
                            "generator uses such characters itself; remove it")
            marked = marks.wrap(block_markdown(block, pair), path, block.first_line)
            chunks.append(marked if pair.kind == "heading" else f'<div class="blk" markdown>\n\n{marked}\n\n</div>')
        self.md.reset()
        _, problems = regions.clean_page(self.md.convert("\n\n".join(chunks)))
        cursors: dict[tuple, int] = {}
        for p in problems:
            # the region of a block, or the footnotes of the page (found in the block that wrote them)
            own = [parts[int(p.rid)]] if p.rid is not None and p.rid.isdigit() else parts
            block = own[0][0]
            if p.removal is None:
                self._error(path, block, block.text, None, "this block breaks the page around it: " + p.message)
                continue
            key = (p.removal.kind, p.removal.tag, p.removal.attr, p.removal.value)
            at = None
            for candidate, _ in own + [part for part in parts if part not in own]:  # a definition elsewhere
                at = locate(candidate.text, p.removal, cursors.get((key, candidate.line), 0))
                if at is not None:
                    block = candidate
                    cursors[(key, candidate.line)] = at + 1
                    break
            self._error(path, block, block.text, at, p.removal.message)

    def _error(self, path: Path, block: Block, text: str, offset: int | None, message: str) -> None:
        if offset is None:
            self.report.error(path, block.first_line, message)
            return
        line = block.first_line + text.count("\n", 0, offset)
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        self.report.error(path, line, message, col)


def _decoded(text: str) -> tuple[str, list[int]]:
    """``text`` with its character references decoded, and for each decoded character its offset in ``text``."""
    out: list[str] = []
    where: list[int] = []
    pos = 0
    for m in _ENTITY.finditer(text):
        for i in range(pos, m.start()):
            out.append(text[i])
            where.append(i)
        value = html.unescape(m.group(0))
        out.append(value)
        where.extend([m.start()] * len(value))
        pos = m.end()
    for i in range(pos, len(text)):
        out.append(text[i])
        where.append(i)
    return "".join(out), where


def _find_value(text: str, value: str, start: int) -> int | None:
    if not value:
        return None
    decoded, where = _decoded(text)
    for candidate in (value, sanitize.url_of(value)):
        begin = next((k for k, w in enumerate(where) if w >= start), len(decoded))
        at = decoded.find(candidate, begin)
        if at >= 0:
            return where[at]
    return None


def _find_tag_with(text: str, tag: str, attr: str, start: int) -> int | None:
    for m in re.finditer(rf"<{re.escape(tag)}(?=[\s/>])[^>]*>?", text[start:], re.I | re.S):
        if re.search(rf"[\s/\"']{re.escape(attr)}(?![\w-])", m.group(0), re.I):
            return start + m.start()
    return None


def locate(text: str, r: sanitize.Removal, start: int = 0) -> int | None:
    """The offset in a block's markdown of what the sanitizer removed (None: the block as a whole)."""
    if r.kind == "tag":
        m = re.compile(rf"<{re.escape(r.tag)}(?=[\s/>]|$)", re.I).search(text, start)
        return m.start() if m else None
    if r.kind == "comment":
        at = text.find("<!--", start)
        return at if at >= 0 else None
    if r.kind == "attribute":
        at = _find_tag_with(text, r.tag, r.attr, start)
        if at is None:
            m = re.compile(rf"(?<![\w-]){re.escape(r.attr)}\s*=", re.I).search(text, start)
            at = m.start() if m else None
        return at
    if r.kind in ("url", "value"):
        at = _find_value(text, r.value, start)
        return at if at is not None else _find_tag_with(text, r.tag, r.attr, start)
    if r.kind == "class":
        m = re.compile(rf"(?<![\w-]){re.escape(r.value)}(?![\w-])").search(text, start)
        return m.start() if m else None
    return None


def check_bodies(root: Path, bodies: Iterable[tuple[Path, Body]], report: Report) -> None:
    checker = HtmlChecker(root, report)
    for path, body in bodies:
        checker.body(path, body)
