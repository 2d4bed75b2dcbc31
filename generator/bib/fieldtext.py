"""What the fields of refs.bib may hold: text, an http(s) address, a DOI (issue 17).

A reference is shown escaped, as written, on the pages, in the exports and in the PDFs: HTML in a title
or an author reaches the reader as code, a ``javascript:`` url is a link that runs code, a DOI with
markup after it is no DOI. Each is an error at the field's line, saying what to write instead.
"""

from __future__ import annotations

import re

from ..diagnostics import printable
from ..sources.sanitize import scheme_of, text_markup

DOI = re.compile(r"10\.\d{4,9}/[^\s\"'<>]+")
ADDRESS_FIELDS = ("url",)
NAME_FIELDS = ("author", "editor")


def problems(entries: dict[str, dict]) -> list[tuple[str, str, str]]:
    """(key, field, message) for each field that is not what it must be: errors all."""
    out: list[tuple[str, str, str]] = []
    for key, plain in entries.items():
        for name, value in plain.get("fields", {}).items():
            if not isinstance(value, str):
                continue
            name = name.lower()
            shown = printable(value, 80)
            if name in ADDRESS_FIELDS:
                if scheme_of(value) not in ("http", "https"):
                    out.append((key, name, f"the {name} of '{key}' is '{shown}': the address of a reference is "
                                           "an http(s) address, written whole: https://..."))
            elif name == "doi":
                if not DOI.fullmatch(value.strip()):
                    out.append((key, name, f"the doi of '{key}' is '{shown}': a DOI looks like 10.NNNN/... "
                                           "(the DOI alone, e.g. 10.1016/j.jhep.2021.11.018, without "
                                           "https://doi.org/ or other text)"))
            elif text_markup(value):
                out.append((key, name, _markup(key, name, shown)))
        for name, people in plain.get("persons", {}).items():
            for person in people:
                if isinstance(person, str) and text_markup(person):
                    out.append((key, name.lower(), _markup(key, name.lower(), printable(person, 80))))
                    break
    return out


def _markup(key: str, name: str, shown: str) -> str:
    return (f"the {name} of '{key}' holds HTML markup ('{shown}'): a reference is plain text, shown as written "
            "on the pages and in the exports; write the words alone (BibTeX braces {...} keep capitals)")
