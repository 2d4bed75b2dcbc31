"""Bounds on what a source may make the build do: input is data, and data does not get to take minutes
and gigabytes.

* YAML aliases (``&a`` / ``*a``) repeat what they refer to. Nine levels of nine aliases (the "billion
  laughs") are a few hundred bytes of front-matter and a billion values once expanded, which every walk
  over the data (line numbers, validation, models) would expand. :func:`yaml_values` counts the values
  of a composed document with aliases expanded, without expanding them, and the front-matter is refused
  above :data:`MAX_YAML_VALUES`.
* BibTeX ``@string`` macros are concatenated with ``#``: ``@string{b = a # a # a # a}`` four times over
  grows a string exponentially, which pybtex builds eagerly. :class:`MacroGuard` adds up the lengths
  that every macro and field would have, without building them, and refuses a chunk of refs.bib above
  :data:`MAX_FIELD_CHARS` before pybtex reads it.
"""

from __future__ import annotations

import re

import yaml

MAX_YAML_VALUES = 100_000  # a front-matter of the largest record holds about 300
MAX_FIELD_CHARS = 100_000  # the longest field of refs.bib (an abstract) is a few thousand characters


def yaml_values(node: yaml.Node) -> int:
    """The number of values of a composed YAML document once its aliases are expanded (an alias is the
    same node object as its anchor, so each node's count is computed once)."""
    memo: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        current, done = stack.pop()
        key = id(current)
        if key in memo and not done:
            continue
        children: list[yaml.Node] = []
        if isinstance(current, yaml.MappingNode):
            children = [n for pair in current.value for n in pair]
        elif isinstance(current, yaml.SequenceNode):
            children = list(current.value)
        if done:
            memo[key] = min(1 + sum(memo.get(id(c), 1) for c in children), MAX_YAML_VALUES * 10)
            continue
        memo[key] = 1  # in progress (a recursive structure counts once)
        stack.append((current, True))
        stack.extend((c, False) for c in children if id(c) not in memo)
    return memo[id(node)]


def yaml_problem(node: yaml.Node) -> str | None:
    n = yaml_values(node)
    if n > MAX_YAML_VALUES:
        return (f"the front-matter expands to more than {MAX_YAML_VALUES:,} values (the limit on YAML aliases: "
                "each '*name' repeats what '&name' holds): write the values out instead of repeating them")
    return None


# ---------------------------------------------------------------------------------------------------------------
# BibTeX macros
# ---------------------------------------------------------------------------------------------------------------

_NAME = re.compile(r"[^\s\"#%'(),={}]+")


class MacroGuard:
    """The lengths of the @string macros of refs.bib, chunk by chunk (macros carry over, as in pybtex)."""

    def __init__(self) -> None:
        self.lengths: dict[str, int] = {}

    def check(self, chunk: str) -> tuple[int, str] | None:
        """None, or (offset in the chunk, message) of the first value longer than the limit."""
        m = re.match(r"\s*@\s*(\w+)\s*[{(]", chunk)
        if not m:
            return None
        kind = m.group(1).lower()
        if kind in ("comment", "preamble"):
            return None
        pos = m.end()
        while pos < len(chunk):
            name = _NAME.match(chunk, _skip(chunk, pos))
            if not name:
                return None
            pos = _skip(chunk, name.end())
            if pos < len(chunk) and chunk[pos] == ",":  # the key of an entry
                pos += 1
                continue
            if pos >= len(chunk) or chunk[pos] != "=":
                return None
            start = pos
            length, pos = self._value(chunk, pos + 1)
            if kind == "string":  # kept when refused too: what uses it is refused in turn, at its own line
                self.lengths[name.group(0).lower()] = length
            if length > MAX_FIELD_CHARS:
                what = f"the @string '{name.group(0)}'" if kind == "string" else f"the field '{name.group(0)}'"
                return start, (f"{what} expands to {'at least ' if length >= MAX_FIELD_CHARS * 1000 else ''}{length:,} characters, more than the limit of "
                               f"{MAX_FIELD_CHARS:,} for a field (its @string macros repeat each other with '#'): "
                               "write the text out")
            pos = _skip(chunk, pos)
            if pos < len(chunk) and chunk[pos] == ",":
                pos += 1
            else:
                return None
        return None

    def _value(self, text: str, pos: int) -> tuple[int, int]:
        total = 0
        while True:
            pos = _skip(text, pos)
            if pos >= len(text):
                return total, pos
            c = text[pos]
            if c in "{\"":
                end = _literal_end(text, pos)
                total += end - pos - 2
                pos = end
            else:
                name = _NAME.match(text, pos)
                if not name:
                    return total, pos
                word = name.group(0)
                total += len(word) if word.isdigit() else self.lengths.get(word.lower(), len(word))
                pos = name.end()
            total = min(total, MAX_FIELD_CHARS * 1000)
            pos = _skip(text, pos)
            if pos < len(text) and text[pos] == "#":
                pos += 1
                continue
            return total, pos


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _literal_end(text: str, pos: int) -> int:
    """The end (exclusive) of a braced or quoted BibTeX literal starting at ``pos``."""
    close = "}" if text[pos] == "{" else '"'
    depth = 0
    i = pos + 1
    while i < len(text):
        c = text[i]
        if c == "{":
            depth += 1
        elif c == "}" and depth:
            depth -= 1
        elif c == close and depth == 0:
            return i + 1
        i += 1
    return len(text)
