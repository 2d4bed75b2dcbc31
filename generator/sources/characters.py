"""Characters a reader cannot see in the prose of a section, the glossary or a record's notes.

A control character (NUL, a stray escape) is an error: browsers and PDF fonts draw it as a box or nothing, and
it usually comes from a bad copy. A zero-width space, word joiner, soft hyphen or byte-order mark inside the
text is a warning: it is invisible to the contributor and to the reader, but it splits the word around it for
search ("仑伐替尼" with a zero-width space inside is no longer found) and for the glossary's matching.
Spaces that are visible (a non-breaking, thin or full-width space) are typography and are left alone."""

from __future__ import annotations

import re
from pathlib import Path

from ..diagnostics import INVISIBLE, Report
from .bilingual import Body

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_ZERO_WIDTH = re.compile("[\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff]")
# inside a citation an invisible character is already an error of the citation (sources/citations.py)
_CITATION = re.compile(r"[\[［][^\]］\n]*@[^\]］\n]*[\]］]")


def _position(text: str, offset: int, first_line: int) -> tuple[int, int]:
    line = first_line + text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def check_characters(bodies: list[tuple[Path, Body]], report: Report) -> None:
    """Every control character (an error) and zero-width character (a warning) in contributor prose, where it is."""
    for path, body in bodies:
        for pair in body.pairs:
            for block in (pair.zh, pair.en):
                if block is None:
                    continue
                for m in _CONTROL.finditer(block.text):
                    line, col = _position(block.text, m.start(), block.first_line)
                    report.error(path, line, f"a control character (U+{ord(m.group()):04X}) in the text: readers "
                                 "see a box or nothing; delete it (it usually comes with copied text)", col=col)
                cited = [c.span() for c in _CITATION.finditer(block.text)]
                for m in _ZERO_WIDTH.finditer(block.text):
                    if any(a <= m.start() < b for a, b in cited):
                        continue
                    line, col = _position(block.text, m.start(), block.first_line)
                    report.warning(path, line, f"{INVISIBLE[m.group()]} (U+{ord(m.group()):04X}) in the text: "
                                   "nobody can see it, and it splits the word around it for search; delete it", col=col)
