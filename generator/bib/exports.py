"""The references of a review as files to download: BibTeX (fields as written in refs.bib) and RIS (plain
text). pybtex's BibTeX writer is not used: it encodes values as LaTeX again, so "\\&" in the .bib would come
out as "\\\\&"; pybtex has no RIS writer."""

from __future__ import annotations

import re

from pybtex.database import Entry

from .biblatex import bibtex_fields
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
    for name, value in bibtex_fields(plain["type"], plain["fields"]).items():  # biblatex's names as BibTeX's
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


_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december")


def month_number(value: str | None) -> int | None:
    """1-12 for a month field ("9", "Sep", "Sept.", "September", as biblatex's date and BibTeX's macros leave
    it); None for anything else ("Spring" is not a month a reference manager can hold as a date)."""
    text = (value or "").strip().rstrip(".").lower()
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else None
    if text == "sept":
        return 9
    for number, name in enumerate(_MONTH_NAMES, start=1):
        if len(text) >= 3 and name.startswith(text):
            return number
    return None


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
    year, month = plain("year"), month_number(plain("month"))
    if year and year.isdigit() and month:
        add(("DA", f"{year}/{month:02d}"))  # RIS dates are YYYY/MM/DD, the parts not known left out
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


_CSL_TYPES = {
    "article": "article-journal",
    "book": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "unpublished": "manuscript",
    "online": "webpage",
}


def is_placeholder(fields: dict[str, str]) -> bool:
    """A reference of a source review that could not be identified (its 'unidentified' field): shown on the
    pages for what the review says it supports, never exported as if it were a publication."""
    return "unidentified" in fields


def csl_item(key: str, entry: Entry) -> dict:
    """One entry as a CSL-JSON item (the citeproc format Zotero, Mendeley and pandoc read): plain text values,
    only the fields the entry has."""
    f = entry.fields

    def plain(name: str) -> str | None:
        value = f.get(name)
        if value is None:
            return None
        return _ris_value(latex_to_plain(value)) or None

    item: dict = {"id": key, "type": "webpage" if is_registry_record(entry) else _CSL_TYPES.get(entry.type, "document")}
    for role in ("author", "editor"):
        names = []
        for person in entry.persons.get(role, []):
            if _is_others(person):
                continue
            family = " ".join(_plain_parts(person.prelast_names + person.last_names))
            given = " ".join(_plain_parts(person.first_names + person.middle_names))
            if family and given:
                names.append({"family": family, "given": given})
            elif family or given:
                names.append({"literal": family or given})
        if names:
            item[role] = names
    for name, csl in (("title", "title"), ("journal", "container-title"), ("booktitle", "container-title"),
                      ("volume", "volume"), ("edition", "edition"), ("address", "publisher-place"), ("note", "note")):
        value = plain(name)
        if value and csl not in item:
            item[csl] = value
    issue = plain("number") or plain("issue")
    if issue:
        item["issue"] = issue
    pages = plain("pages")
    if pages:
        item["page"] = re.sub(r"\s*[\u2010-\u2015\u2212-]+\s*", "-", pages)
    publisher = plain("publisher") or plain("school") or plain("institution") or plain("organization")
    if publisher:
        item["publisher"] = publisher
    year, month = plain("year"), month_number(plain("month"))
    if year and year.isdigit():
        item["issued"] = {"date-parts": [[int(year), month] if month else [int(year)]]}
    elif year:
        item["issued"] = {"literal": year}
    doi = f.get("doi")
    if doi and _clean_doi(doi):
        item["DOI"] = _clean_doi(doi)
    pmid = plain("pmid")
    if pmid:
        item["PMID"] = pmid
    url = safe_url(f.get("url"))
    if url:
        item["URL"] = url
    return item
