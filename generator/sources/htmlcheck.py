"""The checker's view of contributor HTML: what the sanitizer would remove, at ``path:line:col``.

Each block of the sources (sections, landing pages, glossary, notes of the records) is converted by
Markdown with the extensions of ``mkdocs.yml``, put between the same markers as in a page
(generator/sources/regions.py), and sanitized as the build sanitizes it (generator/sources/sanitize.py): one rule set,
so that ``check`` and ``build`` cannot disagree. Each removal is reported at the place of the source
that wrote it, with what to write instead; the build fails on the same errors before it makes a page
(and, should a page still hold something the sanitizer removes, on that page).

The conversions cost about as much as the rest of the check, and every build checks: the findings of a
source's blocks are kept in ``<cache_dir>/htmlcheck.json``, under a digest of the blocks, of this
module, the rules and the Markdown settings; a block that changed is checked again.
"""

from __future__ import annotations

import functools
import hashlib
import html
import importlib.util
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

import nh3
import yaml

from . import regions, sanitize
from .bilingual import Block, Body, Pair
from ..diagnostics import Report
from .frontmatter import SAFE_LOADER

if TYPE_CHECKING:  # pragma: no cover
    import markdown

PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*records\b.*?^ {0,3}\1[ \t]*$", re.S | re.M)
# What Markdown (with the extensions of mkdocs.yml) needs in a text to write HTML the sanitizer could change:
# raw HTML and entities, attribute lists, links and images (inline, by reference, their definitions),
# footnotes, admonitions and details, fences, headings (ids made from their text) and setext underlines,
# tables, the [TOC] marker, ordered lists starting past 9999 (the 'start' attribute). A page none of whose
# blocks holds any of these becomes paragraphs, lists, emphasis and code only, which the allowlist keeps as
# they are: it is not converted (about 80% of the pages of the real content, most of a check with a cold
# .cache). The build sanitizes every page in any case, and fails on what it would remove.
MAY_MAKE_MARKUP = re.compile(r"[<&{}|]|\]\s*[(\[:]|\[\^|\[TOC\]|!!!|\?\?\?|```|~~~|^ {0,3}#|^ {0,3}(?:=+|-+)[ \t]*$"
                             r"|^\s*\d{5,}[.)]", re.M)
# What lets one block of a page depend on another (the definition of a reference link or of a footnote, which
# any block of the page may use; the table of contents): a page with any of these is converted whole, any
# other only in its blocks that MAY_MAKE_MARKUP, each in its own <div markdown> as on the page (the plain blocks
# between them change nothing in them). About two thirds of the text the check would otherwise convert.
CROSS_BLOCK = re.compile(r"^[ \t]*\[[^\]\n]+\]:|\[TOC\]", re.M)
# MAY_MAKE_MARKUP for one block of a page without any of those: "[1][2]" or "[^1]" is then text, and an
# admonition or details line whose classes the allowlist keeps ("!!! editor") makes nothing it changes (its
# title and its text are checked by the other alternatives).
_KEPT_BOX = "(?:{})".format("|".join(sorted(sanitize.ADMONITIONS)))
BLOCK_MAY_MAKE_MARKUP = re.compile(
    r"[<&{}|]|\]\s*\(|```|~~~|^ {0,3}#|^ {0,3}(?:=+|-+)[ \t]*$|^\s*\d{5,}[.)]"
    rf"|(?:!!!|\?\?\?)(?!\+?[ \t]+{_KEPT_BOX}(?:[ \t]+{_KEPT_BOX})*[ \t]*(?:\"[^\"\n]*\")?[ \t]*$)", re.M)
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
    # Markdown here, not at the top: a check with a warm cache converts nothing, and importing Python-Markdown
    # is 30-40 ms of its CPU (measured)
    import markdown

    from .mdregions import RegionExtension

    names, configs = _extensions(Path(root) / "mkdocs.yml")
    return markdown.Markdown(extensions=[*names, RegionExtension()], extension_configs=configs)


def _markdown_version() -> bytes:
    """Python-Markdown's version file (its __meta__.py), read without importing it."""
    spec = importlib.util.find_spec("markdown")
    meta = Path(spec.origin).with_name("__meta__.py") if spec and spec.origin else None
    return meta.read_bytes() if meta and meta.is_file() else b"unknown"


def block_markdown(block: Block, pair: Pair) -> str:
    """The markdown of a block as the page gives it to MkDocs (records blocks are the generator's; a '#' heading,
    reported as what it is by bilingual._classify, is read as '##' so that it is not also "raw HTML <h1>")."""
    text = _FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), block.text)
    if pair.kind == "heading":
        text = f"{'#' if pair.level == 1 else ''}{text.strip()} {{#{pair.anchor}}}"
    return text


@functools.lru_cache(maxsize=8)
def fingerprint(config_file: Path) -> str:
    """What the findings depend on besides the text: the code of the check and of the rules, the versions of
    nh3 and Markdown, the Markdown extensions of mkdocs.yml."""
    h = hashlib.sha256()
    for module in (sanitize, regions):
        h.update(Path(module.__file__).read_bytes())
    h.update(Path(__file__).with_name("mdregions.py").read_bytes())  # the extension, not imported here
    h.update(Path(__file__).read_bytes())
    h.update(f"{nh3.__version__} {_extensions(config_file)!r}".encode())
    h.update(_markdown_version())
    return h.hexdigest()


class HtmlChecker:
    """The blocks of a source, one language at a time, converted together as on their page (so that a link
    refers to a definition in another block as it does there, and footnotes gather at the end)."""

    def __init__(self, root: Path, report: Report, cache_dir: Path | None = None):
        self.root = Path(root)
        self._md: markdown.Markdown | None = None
        self.report = report
        self.found: list[tuple[Path, int, int | None, str]] = []
        self.cache_file = Path(cache_dir) / "htmlcheck.json" if cache_dir is not None else None
        self.seen: dict[str, list] = {}
        self.cached: dict[str, list] = {}
        self.fingerprint = fingerprint(self.root / "mkdocs.yml")
        if self.cache_file is not None and self.cache_file.exists():
            try:
                data = json.loads(self.cache_file.read_text(encoding="utf-8"))
                if data.get("fingerprint") == self.fingerprint:
                    self.cached = data.get("pages", {})
            except (OSError, ValueError):
                self.cached = {}

    @property
    def md(self) -> markdown.Markdown:
        if self._md is None:  # not needed when every source is in the cache
            self._md = converter(self.root)
        return self._md

    def save(self) -> None:
        if self.cache_file is None or self.seen == self.cached:
            return
        self.cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.cache_file.with_name(f"{self.cache_file.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"fingerprint": self.fingerprint, "pages": self.seen}, sort_keys=True),
                       encoding="utf-8")
        os.replace(tmp, self.cache_file)

    def body(self, path: Path, body: Body) -> None:
        for lang in ("zh", "en"):
            parts = [(b, pair) for pair in body.pairs for b in (pair.block(lang),)
                     if b is not None and not b.pending and b.text.strip()]
            if parts:
                self.cached_page(path, parts)

    def cached_page(self, path: Path, parts: list[tuple[Block, Pair]]) -> None:
        h = hashlib.sha256(path.name.encode())
        for block, pair in parts:
            h.update(f"\0{block.first_line}\0{pair.kind}\0{pair.anchor}\0{block.text}".encode())
        key = h.hexdigest()
        found = self.cached.get(key)
        if found is None:
            self.found = []
            self.page(path, parts)
            found = [[line, col, message] for _, line, col, message in self.found]
        self.seen[key] = found
        for line, col, message in found:
            if col is None:
                self.report.error(path, line, message)
            else:
                self.report.error(path, line, message, col)

    def page(self, path: Path, parts: list[tuple[Block, Pair]]) -> None:
        texts = []
        for block, pair in parts:
            for m in PRIVATE_USE.finditer(block.text):
                self._error(path, block, block.text, m.start(),
                            f"the character U+{ord(m.group(0)):04X} (private use) is not allowed in content: the "
                            "generator uses such characters itself; remove it")
            texts.append(block_markdown(block, pair))
        if any(CROSS_BLOCK.search(text) for text in texts):  # a block may use another's definition
            chosen = list(range(len(parts))) if any(MAY_MAKE_MARKUP.search(text) for text in texts) else []
        else:
            chosen = [k for k, text in enumerate(texts) if BLOCK_MAY_MAKE_MARKUP.search(text)]
        if not chosen:
            return  # nothing in these blocks can become HTML the sanitizer changes (MAY_MAKE_MARKUP)
        marks = regions.Regions()
        chunks = []
        for k in chosen:
            block, pair = parts[k]
            marked = marks.wrap(texts[k], path, block.first_line)
            chunks.append(marked if pair.kind == "heading" else f'<div class="blk" markdown>\n\n{marked}\n\n</div>')
        self.md.reset()
        _, problems = regions.clean_page(self.md.convert("\n\n".join(chunks)))
        cursors: dict[tuple, int] = {}
        for p in problems:
            # the region of a block, or the footnotes of the page (found in the block that wrote them)
            own = [parts[chosen[int(p.rid)]]] if p.rid is not None and p.rid.isdigit() else parts
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
            self.found.append((path, block.first_line, None, message))
            return
        line = block.first_line + text.count("\n", 0, offset)
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        self.found.append((path, line, col, message))


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
    if r.kind == "endtag":
        m = re.compile(rf"</{re.escape(r.tag)}(?=[\s/>]|$)", re.I).search(text, start)
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


def check_bodies(root: Path, bodies: Iterable[tuple[Path, Body]], report: Report,
                 cache_dir: Path | None = None) -> None:
    checker = HtmlChecker(root, report, cache_dir)
    for path, body in bodies:
        checker.body(path, body)
    checker.save()
