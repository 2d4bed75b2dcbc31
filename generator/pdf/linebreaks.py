"""Where a PDF's lines may not break, so that its text copies and searches whole.

A word broken at a line end reads back from the PDF as two: a hyphenated word after its hyphen
("T-" / "cell" extracts as "Tcell"), a DOI anywhere ("doi:10.1" / "016/S1470-…"). pdf.css turns automatic
hyphenation off; these passes over a PDF's finished HTML keep short hyphenated words and reference-list
links on one line.
"""

from __future__ import annotations

import re

# A word with hyphens inside ("T-cell", "PD-L1", "EMERALD-1"); longer compounds may still break (their parts
# are words of their own).
HYPHENATED = re.compile(r"(?<![\w-])(?:[^\W_]+-)+[^\W_]+(?![\w-])")
HYPHENATED_MAX = 24
TAG = re.compile(r"(<[^>]*>)")
OPAQUE = re.compile(r"<(/?)(?:svg|style|script)\b", re.I)
# A link whose text is longer than a line may break anywhere (class long-link in pdf.css); the others
# (DOIs, short addresses) are kept whole.
LONG_LINK = re.compile(r'<a (?P<attrs>[^>]*)>(?P<text>[^<]{%d,})</a>' % 80)


def _nobr(m: re.Match[str]) -> str:
    word = m.group(0)
    return f'<span class="nobr">{word}</span>' if len(word) <= HYPHENATED_MAX else word


def keep_hyphenated_words(document: str) -> str:
    """Every short hyphenated word of the body text in a no-break span; the text of charts, styles and
    scripts is left alone."""
    start = document.find("<body")
    out = [document[:start]]
    inside = 0  # depth of <svg>, <style>, <script>
    for piece in TAG.split(document[start:]):
        if piece.startswith("<"):
            m = OPAQUE.match(piece)
            if m and not piece.endswith("/>"):
                inside += -1 if m.group(1) else 1
            out.append(piece)
        else:
            out.append(HYPHENATED.sub(_nobr, piece) if not inside and "-" in piece else piece)
    return "".join(out)


def mark_long_links(document: str) -> str:
    """Class ``long-link`` on links whose text is longer than a line."""
    return LONG_LINK.sub(lambda m: f'<a class="long-link" {m.group("attrs")}>{m.group("text")}</a>'
                         if "class=" not in m.group("attrs") else m.group(0), document)
