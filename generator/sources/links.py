"""Links and images in contributor text: checked against the sources, rewritten for each page.

Contributors link to the *source* file of another section (``[see 2.1](03-ici-monotherapy.md#cm040)``),
as they would on GitHub; each language page gets a link to the same section in its own
language. Images are files beside the sources and need alt text.
"""

from __future__ import annotations

import posixpath
import re
from html import escape
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..diagnostics import Report, suggest
from ..urls import rel
from .citations import protected_spans

LINK = re.compile(r"(?P<bang>!?)\[(?P<text>(?:[^\[\]\n]|\[[^\]\n]*\])*)\]"
                  r"\((?P<target><[^>\n]*>|[^)\s]+)(?P<title>\s+\"[^\"\n]*\")?\)")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
SITE_ADDRESS = re.compile(r"^/(zh|en)(/|$)")  # a page's address in the built site, copied from the browser


@dataclass
class PageTarget:
    url: Callable[[str], str]  # lang -> site URL of the page
    anchors: set[str] | None = None  # None: not checked


@dataclass
class Links:
    content: Path
    pages: dict[Path, PageTarget] = field(default_factory=dict)

    def add(self, source: Path, url: Callable[[str], str], anchors: set[str] | None = None) -> None:
        self.pages[source.resolve()] = PageTarget(url, anchors)

    # ---- finding ----------------------------------------------------------------------------
    def _links(self, text: str):
        code = protected_spans(text, code_only=True)
        for m in LINK.finditer(text):
            if any(a <= m.start() < b for a, b in code):
                continue
            if m.start() > 0 and text[m.start() - 1] == "\\":
                continue
            yield m

    def _split(self, raw: str) -> tuple[str, str]:
        raw = raw[1:-1] if raw.startswith("<") else raw
        path, _, anchor = raw.partition("#")
        return path, anchor

    # ---- checking ---------------------------------------------------------------------------
    def check(self, text: str, source: Path, first_line: int, report: Report) -> None:
        for m in self._links(text):
            line = first_line + text.count("\n", 0, m.start())
            col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
            raw = m.group("target")
            if SCHEME.match(raw.strip("<>")):
                continue  # external (http, mailto); remote images and unsafe schemes: the sanitizer's rules (htmlcheck.py)
            path, anchor = self._split(raw)
            if m.group("bang"):
                if not m.group("text").strip():
                    report.error(source, line, "this image has no alt text: describe what it shows between "
                                 "the brackets, ![like this](...)", col)
                if not (source.parent / path).resolve().is_file():
                    report.error(source, line, f"image not found: '{path}' (paths are relative to "
                                 f"{source.name}; put the image in the review's folder)", col)
                continue
            target = (source.parent / path).resolve() if path else source.resolve()
            page = self.pages.get(target)
            if page is None:
                if path.endswith(".md") or not path:
                    known = [p.relative_to(source.parent.resolve()).as_posix() if p.is_relative_to(source.parent.resolve())
                             else p.name for p in self.pages]
                    report.error(source, line, f"broken link: '{path}' is not a page of this site"
                                 f"{suggest(path, known)}; link to the source file of a section, e.g. "
                                 "'03-ici-monotherapy.md#anchor'", col)
                elif SITE_ADDRESS.match(path):
                    report.error(source, line, self._address_message(path, source), col)
                elif not target.is_file():
                    report.error(source, line, f"broken link: the file '{path}' does not exist", col)
                continue
            if anchor and page.anchors is not None and anchor not in page.anchors:
                report.error(source, line, f"broken link: there is no anchor '#{anchor}' in "
                             f"{target.name}{suggest(anchor, page.anchors)}", col)

    def _address_message(self, path: str, source: Path) -> str:
        """A link copied from the browser ('/en/trials/reflect/'): the source file to write instead."""
        wanted = path.strip("/")
        here = source.parent.resolve()
        found = next((p for p, page in self.pages.items()
                      if any(page.url(lang).strip("/") == wanted for lang in ("zh", "en"))), None)
        head = (f"broken link: '{path}' is an address of the built site, not a source file: link to the source .md "
                "file, relative to this file (the link then leads to the page in each reader's language)")
        if found is None:
            return f"{head}, e.g. '../trials/reflect.md'"
        return f"{head}: write '{posixpath.relpath(found.as_posix(), here.as_posix())}'"

    # ---- rewriting --------------------------------------------------------------------------
    def rewrite(self, text: str, source: Path, page_url: str, lang: str) -> str:
        if "](" not in text:
            return text

        def repl(m: re.Match) -> str:
            raw = m.group("target")
            if SCHEME.match(raw.strip("<>")):
                return m.group(0)
            path, anchor = self._split(raw)
            if m.group("bang"):
                asset = (source.parent / path).resolve()
                try:
                    site_path = asset.relative_to(self.content.resolve()).as_posix()
                except ValueError:
                    return m.group(0)
                # as HTML, not as ![](...): MkDocs checks a Markdown image's path against the file the page
                # was generated as (zh/demo/first.md), not against its address (zh/demo/first/), and would
                # warn about every image beside a section (failing build --strict); the checker has checked it
                title = m.group("title")
                title_attr = f' title="{escape(title.strip()[1:-1])}"' if title else ""
                return (f'<img alt="{escape(m.group("text"))}" src="{escape(rel(page_url, site_path))}"'
                        f'{title_attr} />')
            else:
                page = self.pages.get((source.parent / path).resolve() if path else source.resolve())
                if page is None:
                    return m.group(0)
                url = page.url(lang)
                if anchor:  # the link's own anchor replaces the page's (a drug's entry in the list of drugs)
                    url = url.partition("#")[0] + f"#{anchor}"
                new = rel(page_url, url)
                if not path:
                    new = f"#{anchor}"
            return f"{m.group('bang')}[{m.group('text')}]({new}{m.group('title') or ''})"

        out = []
        pos = 0
        for m in self._links(text):
            out.append(text[pos:m.start()])
            out.append(repl(m))
            pos = m.end()
        out.append(text[pos:])
        return "".join(out)


def posix(p: str) -> str:
    return posixpath.normpath(p)
