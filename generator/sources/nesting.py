"""How deep lists and quotations are nested in a block. A few levels are what a text needs; hundreds (a
paste gone wrong, a generated file) make every later stage recurse that deep (the PDF step runs out of
stack), so a block nested deeper than :data:`MAX_DEPTH` is an error at the line where it goes too deep."""

from __future__ import annotations

import re

MAX_DEPTH = 10

_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_QUOTE = re.compile(r"^[ \t]{0,3}((?:>[ \t]?)+)")


def _width(indent: str) -> int:
    return len(indent.expandtabs(4))


def too_deep(text: str) -> tuple[int, int, str] | None:
    """(offset of the line, depth, "list" | "quotation") of the first line nested deeper than MAX_DEPTH."""
    stack: list[int] = []  # indentation of the open list levels
    offset = 0
    for line in text.split("\n"):
        quote = _QUOTE.match(line)
        if quote:
            depth = quote.group(1).count(">")
            if depth > MAX_DEPTH:
                return offset, depth, "quotation"
        item = _ITEM.match(line)
        if item:
            indent = _width(item.group(1))
            while stack and stack[-1] > indent:
                stack.pop()
            if not stack or stack[-1] < indent:
                stack.append(indent)
            if len(stack) > MAX_DEPTH:
                return offset, len(stack), "list"
        elif line.strip() and not line[:1].isspace():
            stack.clear()  # a paragraph at the margin ends every list
        offset += len(line) + 1
    return None


def message(depth: int, kind: str) -> str:
    return (f"this {kind} is nested {depth} levels deep; at most {MAX_DEPTH} can be shown (in the PDFs too): "
            f"flatten it, or split it into separate {kind}s")
