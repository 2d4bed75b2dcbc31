"""The references of a review as files to download: BibTeX (fields as written in refs.bib) and RIS (plain
text). pybtex's BibTeX writer is not used: it encodes values as LaTeX again, so "\\&" in the .bib would come
out as "\\\\&"; pybtex has no RIS writer."""

from __future__ import annotations

import re

from pybtex.database import Entry

from .entries import _clean_doi, _is_others, _plain_parts, is_registry_record, safe_url
from .richtext import has_cjk, latex_to_plain, literal_percent
from .styles import unverified_words


def bibtex_record(key: str, plain: dict) -> str:
    """One entry as BibTeX, its fields as written in the .bib (the values come from a successful parse, so
    their braces balance), but for a bare ``%``, written ``\\%`` as the site reads it (LaTeX would take the
    rest of the line for a comment)."""
    lines = [f"@{plain['type']}{{{key},"]
    for role, names in plain["persons"].items():
        lines.append(f"  {role} = {{{' and '.join(names)}}},")
    for name, value in plain["fields"].items():
        lines.append(f"  {name} = {{{literal_percent(value)}}},")
    lines[-1] = lines[-1].rstrip(",")
    lines.append("}")
    return "\n".join(lines)


_RIS_TYPES = {
    "article": "JOUR",
    "book": "BOOK",
    "inbook": "CHAP",
    "incollection": "CHAP",
    "inproceedings": "CPAPER",
    "conference": "CPAPER",
    "proceedings": "CONF",
    "phdthesis": "THES",
    "mastersthesis": "THES",
    "thesis": "THES",
    "techreport": "RPRT",
    "report": "RPRT",
    "manual": "GEN",
    "unpublished": "UNPB",
    "online": "ELEC",
}


def _ris_value(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def ris_record(key: str, entry: Entry) -> str:
    """One entry as an RIS record (TY first, ER last), plain text values."""
    lines: list[tuple[str, str]] = []
    add = lines.append
    f = entry.fields

    def plain(name: str) -> str | None:
        value = f.get(name)
        if value is None:
            return None
        text = _ris_value(latex_to_plain(value))
        return text or None

    ris_type = _RIS_TYPES.get(entry.type, "GEN")
    if is_registry_record(entry):
        ris_type = "ELEC"
    add(("TY", ris_type))
    add(("ID", key))
    for role, tag in (("author", "AU"), ("editor", "ED")):
        for person in entry.persons.get(role, []):
            if _is_others(person):
                continue
            family = " ".join(_plain_parts(person.prelast_names + person.last_names))
            given = " ".join(_plain_parts(person.first_names + person.middle_names))
            if has_cjk(family + given):
                name = family + given if not given else f"{family}, {given}"
            else:
                name = f"{family}, {given}" if given else family
            lineage = " ".join(_plain_parts(person.lineage_names))
            if lineage:
                name += f", {lineage}"
            if name:
                add((tag, name))
    for name, tag in (("title", "TI"), ("journal", "T2"), ("booktitle", "T2"), ("year", "PY"), ("volume", "VL")):
        value = plain(name)
        if value:
            add((tag, value))
    issue = plain("number") or plain("issue")
    if issue:
        add(("IS", issue))
    pages = plain("pages")
    if pages:
        first, _, last = re.sub(r"\s*[\u2010-\u2015\u2212-]+\s*", "-", pages).partition("-")
        add(("SP", first))
        if last:
            add(("EP", last))
    publisher = plain("publisher") or plain("school") or plain("institution") or plain("organization")
    if publisher:
        add(("PB", publisher))
    for name, tag in (("address", "CY"), ("edition", "ET")):
        value = plain(name)
        if value:
            add((tag, value))
    doi = f.get("doi")
    if doi and _clean_doi(doi):
        add(("DO", _clean_doi(doi)))
    pmid = plain("pmid")
    if pmid:
        add(("AN", f"PMID: {pmid}"))
    url = safe_url(f.get("url"))
    if url:
        add(("UR", url))
    unidentified = plain("unidentified")
    if unidentified:
        add(("N1", f"Reference [{unidentified}] of the source review, not identified."))
    note = plain("note")
    if note:
        add(("N1", note))
    unverified = plain("unverified")
    if unverified:
        add(("N1", unverified_words(unverified, "en") + "."))
    add(("ER", ""))
    return "".join(f"{tag}  - {value}\n" for tag, value in lines) + "\n"
