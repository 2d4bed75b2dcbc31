"""Unsafe raw HTML in contributor text: scripts, frames, plugins, event handlers, javascript: URLs.

Content is data, never code. Markdown passes raw HTML through, so the checker refuses the
kinds that can run code or load a third party's page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .citations import protected_spans

RULES = [
    (re.compile(r"<\s*(script|iframe|object|embed|frame|frameset|applet|base|meta|link|style|form)\b", re.I),
     "raw HTML <{0}> is not allowed in content: it could run code or load another site's page; "
     "write the text in Markdown"),
    (re.compile(r"<[a-zA-Z][^>]*?\s(on[a-z]+)\s*=", re.I),
     "the HTML attribute '{0}' (an event handler that runs code) is not allowed in content"),
    (re.compile(r"(javascript|vbscript|data)\s*:(?!\s*image/)", re.I),
     "a '{0}:' address is not allowed in content: link to an http(s) page or to another section instead"),
]


@dataclass
class Unsafe:
    offset: int
    message: str


def find_unsafe(text: str) -> list[Unsafe]:
    code = [span for span in protected_spans(text, code_only=True)]
    found = []
    for rx, message in RULES:
        for m in rx.finditer(text):
            if any(a <= m.start() < b for a, b in code):
                continue
            if rx is RULES[2][0] and not _in_link_or_tag(text, m.start()):
                continue
            found.append(Unsafe(m.start(), message.format(m.group(1).lower())))
    return found


def _in_link_or_tag(text: str, pos: int) -> bool:
    """'javascript:' matters only as a link target or inside an HTML tag, not in prose."""
    before = text[max(0, pos - 200):pos]
    return bool(re.search(r"\]\(\s*<?$", before) or re.search(r"<[a-zA-Z][^<>]*$", before)
                or re.search(r"^\s*\[[^\]]+\]:\s*<?$", before.split("\n")[-1]))
