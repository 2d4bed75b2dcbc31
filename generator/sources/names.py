"""Finding names (trial acronyms, registry numbers, drug names, abbreviations) in running text.

Two users: the record pages list every passage that names a trial or regimen (records), and the
search index gives a passage the other names of what it names (searchdict). Both look for
thousands of names in thousands of passages on a large site.

How a name matches, as written once in :func:`name_pattern`: spaces and hyphens are
interchangeable and may be left out ('CheckMate 040' = 'CheckMate-040' = 'CheckMate040'); a name that
begins or ends with a Latin letter or digit does so on a word boundary ('EACH' is not inside
'EACHES'); case is ignored, except (when asked) for acronyms ('EACH' the trial is not 'each' the word);
when asked, a name ending in a Latin letter also matches its plural in -s ('ICIs', 'immune-related
adverse events').

Why not one regular expression of all names (an alternation of thousands of branches): Python's
``re`` tries every branch at every position of the text, so the time grows with names x text.
Instead, each name is filed under one *key* that every match of it must contain whole: one of its
runs of Latin letters and digits, lower-cased, the one fewest other names share (a run is maximal in
the name, and a match of the name begins and ends on a word boundary, so the run is a whole word of
the text too); for a name
written without Latin letters or digits, its first Chinese character or pair of characters. A text
is read once into its keys (its words and its Chinese characters and pairs), and only the names
filed under those keys are tried with their exact pattern. One approximation: a name of three or
more words written with only some of its spaces left out ('Study 11 6' as 'Study116') can be missed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RUN = re.compile(f"[{HAN}]+")
_ALNUM = re.compile(r"[a-z0-9]+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_ACRONYM = re.compile(r"^[A-Z0-9][A-Z0-9\-+. ]*[A-Z0-9]$")
_SEPARATORS = re.compile(r"[\s\-]+")


def name_pattern(name: str, *, acronyms_keep_case: bool = False, plurals: bool = False) -> re.Pattern[str]:
    """The pattern of ``name`` in running text (see the module docstring)."""
    parts = [re.escape(p) for p in _SEPARATORS.split(name) if p]
    body = r"[\s\-]?".join(parts)
    before = r"(?<![A-Za-z0-9])" if _ASCII_WORD.match(name[0]) else ""
    after = r"(?![A-Za-z0-9])" if _ASCII_WORD.match(name[-1]) else ""
    if plurals and name[-1].isascii() and name[-1].isalpha():
        after = "s?" + after
    keep_case = acronyms_keep_case and _ACRONYM.match(name) and any(ch.isalpha() for ch in name)
    return re.compile(before + body + after, 0 if keep_case else re.IGNORECASE)


def normal(name: str) -> str:
    """The form two spellings of one name share ('CheckMate-040', 'checkmate 040' -> 'checkmate040')."""
    return _SEPARATORS.sub("", name).casefold()


def _runs(name: str) -> list[str]:
    return _ALNUM.findall(name.lower())


def _keys(name: str, usage: dict[str, int]) -> list[str]:
    """The keys of a name: the run of letters and digits that the fewest other names share, with digits,
    the longest ('CARES-002' -> '002', not 'cares', which every CARES trial has), and the runs glued
    when they are written apart; a name without such runs: its first Chinese characters."""
    runs = _runs(name)
    if runs:
        keys = [min(runs, key=lambda r: (usage[r], not any(ch.isdigit() for ch in r), -len(r), r))]
        glued = "".join(runs)
        if len(runs) > 1 and _SEPARATORS.search(name) and glued not in keys:
            keys.append(glued)  # 'Study 116' written 'Study116'
        return keys
    han = _HAN_RUN.search(name)
    return [han.group(0)[:2]] if han else []


def text_keys(text: str) -> set[str]:
    """Every key a name found in ``text`` can have: its words, its Chinese characters and pairs of them."""
    keys = set(_ALNUM.findall(text.lower()))
    for run in _HAN_RUN.findall(text):
        keys.update(run)
        keys.update(run[i:i + 2] for i in range(len(run) - 1))
    return keys


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    name: str


class NameIndex:
    """Names filed by key, each with its exact pattern."""

    def __init__(self, names: Iterable[str], *, acronyms_keep_case: bool = False, plurals: bool = False):
        self.patterns: dict[str, re.Pattern[str]] = {}
        self._by_key: dict[str, list[str]] = {}
        self._always: list[str] = []  # names with no key (no Latin letter, digit or Chinese character)
        unique = list(dict.fromkeys(n for n in names if n))
        usage: dict[str, int] = {}
        for name in unique:
            for run in set(_runs(name)):
                usage[run] = usage.get(run, 0) + 1
        for name in unique:
            self.patterns[name] = name_pattern(name, acronyms_keep_case=acronyms_keep_case, plurals=plurals)
            keys = _keys(name, usage)
            for key in keys:
                self._by_key.setdefault(key, []).append(name)
            if not keys:
                self._always.append(name)
        self._order = {name: i for i, name in enumerate(self.patterns)}

    def candidates(self, text: str) -> list[str]:
        """The names that may occur in ``text`` (a superset of those that do), in the order given."""
        found = {name for key in text_keys(text) & self._by_key.keys() for name in self._by_key[key]}
        found.update(self._always)
        return sorted(found, key=self._order.__getitem__)

    def counts(self, text: str) -> dict[str, int]:
        """name -> how often it occurs in ``text`` (names that do not occur are left out)."""
        out = {}
        for name in self.candidates(text):
            n = len(self.patterns[name].findall(text))
            if n:
                out[name] = n
        return out

    def longest_matches(self, text: str) -> Iterator[Match]:
        """The matches of all names, left to right, never overlapping: where several names match at
        one place the longest match wins ('TACE plus lenvatinib and pembrolizumab' is not also
        'TACE plus lenvatinib')."""
        every = [Match(m.start(), m.end(), name) for name in self.candidates(text)
                 for m in self.patterns[name].finditer(text)]
        every.sort(key=lambda m: (m.start, -(m.end - m.start), m.name))
        end = 0
        for m in every:
            if m.start >= end:
                yield m
                end = m.end
