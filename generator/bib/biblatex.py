"""What a refs.bib written for biblatex (or with BibTeX's own cross-references) means, in the fields our
reference styles read: nothing written is lost.

* ``crossref``: a child entry inherits every field and person of its parent that it does not have itself; a
  parent's ``title`` becomes the ``booktitle`` of a part of it (``@inproceedings`` in ``@proceedings``, ...),
  as in biblatex. Chains are followed; a missing parent is a warning.
* ``@set`` (biblatex): an entry whose ``entryset`` lists other entries; it is formatted as its members,
  one after the other (generator/bib/bibliography.py).
* biblatex's fields, mapped to the BibTeX field of the same meaning when that one is not written:
  ``journaltitle`` (+ ``journalsubtitle``) -> ``journal``, ``date`` -> ``year``/``month``, ``subtitle`` appended
  to ``title`` (``booksubtitle`` to ``booktitle``), ``location`` -> ``address``, ``institution`` -> ``school`` for
  theses, ``eprint`` with ``eprinttype`` pubmed/doi/pmc/arxiv -> ``pmid``/``doi``/``pmcid``/``url``, a numeric
  ``month`` -> its English abbreviation.

:func:`resolve` gives the fields to format (the entries stay as written: the BibTeX download keeps them);
:func:`problems` what cannot be rendered, as (key, field, message) for the loader to put at its line.
"""

from __future__ import annotations

import re

from .richtext import unrendered_commands

# Parent fields never inherited (biblatex's defaults); the parent's own title is not the child's title.
_NOT_INHERITED = {"ids", "crossref", "xref", "entryset", "entrysubtype", "execute", "label", "options", "presort",
                  "related", "relatedoptions", "relatedstring", "relatedtype", "shorthand", "shorthandintro",
                  "sortkey", "sortname", "sorttitle", "sortyear", "xdata", "unidentified"}
_CONTAINERS = {"book", "mvbook", "collection", "mvcollection", "proceedings", "mvproceedings", "reference",
               "mvreference", "periodical"}
_PARTS = {"inbook", "incollection", "inproceedings", "inreference", "bookinbook", "suppbook", "suppcollection",
          "conference"}
# A container's title fields, as its part calls them
_AS_PART = {"title": "booktitle", "subtitle": "booksubtitle", "titleaddon": "booktitleaddon",
            "shorttitle": None, "indextitle": None}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DATE = re.compile(r"\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*")
_EPRINT_FIELDS = {"pubmed": "pmid", "pmid": "pmid", "doi": "doi", "pmc": "pmcid", "pmcid": "pmcid"}


def _inherit(key: str, entries: dict[str, dict], done: dict[str, dict], seen: tuple[str, ...]) -> dict:
    """The entry with its crossref parents' fields (as a new plain dict)."""
    if key in done:
        return done[key]
    plain = entries[key]
    parent_key = plain["fields"].get("crossref", "").strip()
    if not parent_key or parent_key not in entries or parent_key in seen:
        done[key] = plain
        return plain
    parent = _inherit(parent_key, entries, done, seen + (key,))
    fields = dict(plain["fields"])
    persons = {role: list(names) for role, names in plain["persons"].items()}
    as_part = plain["type"].lower() in _PARTS and parent["type"].lower() in _CONTAINERS
    for name, value in parent["fields"].items():
        if name in _NOT_INHERITED:
            continue
        target = name
        if as_part and name in _AS_PART:
            target = _AS_PART[name]
            if target is None:
                continue
        elif not as_part and name in _AS_PART and "title" in fields and name != "title":
            continue  # a child with its own title keeps it without the parent's subtitle
        if target not in fields:
            fields[target] = value
    for role, names in parent["persons"].items():
        persons.setdefault(role, list(names))
    resolved = {"type": plain["type"], "fields": fields, "persons": persons}
    done[key] = resolved
    return resolved


def _join_title(title: str, subtitle: str) -> str:
    title = title.rstrip()
    if not title:
        return subtitle
    return f"{title} {subtitle}" if title[-1] in ".:?!" else f"{title}: {subtitle}"


def _map_fields(entry_type: str, fields: dict[str, str]) -> dict[str, str]:
    out = dict(fields)
    if "journal" not in out and "journaltitle" in out:
        out["journal"] = out["journaltitle"]
        if "journalsubtitle" in out:
            out["journal"] = _join_title(out["journal"], out["journalsubtitle"])
    if "subtitle" in out and "title" in out:
        out["title"] = _join_title(out["title"], out["subtitle"])
    if "booksubtitle" in out and "booktitle" in out:
        out["booktitle"] = _join_title(out["booktitle"], out["booksubtitle"])
    if "date" in out and "year" not in out:
        year, month = _date(out["date"])
        if year:
            out["year"] = year
            if month and "month" not in out:
                out["month"] = month
    month = out.get("month", "").strip()
    if month.isdigit() and 1 <= int(month) <= 12:
        out["month"] = _MONTHS[int(month) - 1]
    if "address" not in out and "location" in out:
        out["address"] = out["location"]
    if entry_type.lower() in ("thesis", "phdthesis", "mastersthesis") and "school" not in out and "institution" in out:
        out["school"] = out["institution"]
    eprint = out.get("eprint", "").strip()
    if eprint:
        kind = out.get("eprinttype", "").strip().lower()
        target = _EPRINT_FIELDS.get(kind)
        if target and target not in out:
            out[target] = eprint
        elif kind == "arxiv" and "url" not in out:
            out["url"] = f"https://arxiv.org/abs/{eprint}"
    return out


def bibtex_fields(entry_type: str, fields: dict[str, str]) -> dict[str, str]:
    """The fields of an entry under their BibTeX names, for the .bib download: journaltitle as journal, date as
    year and month, subtitle joined to the title, location as address (what the site shows, so a reference
    manager reading BibTeX loses nothing); every other field as written, in its place."""
    mapped = _map_fields(entry_type, fields)
    replaced = {"journaltitle": ("journal",), "journalsubtitle": (), "subtitle": (), "booksubtitle": (),
                "date": ("year", "month"), "location": ("address",)}
    out: dict[str, str] = {}
    for name in fields:
        targets = replaced.get(name)
        if targets is None or (name == "subtitle" and "title" not in fields) or \
                (name == "booksubtitle" and "booktitle" not in fields) or \
                (name == "journalsubtitle" and "journaltitle" not in fields) or \
                any(t in fields for t in targets) or not all(t in mapped for t in targets[:1]):
            out.setdefault(name, mapped.get(name, fields[name]))  # as written (a month 9 as Sep)
            continue
        for target in targets:
            if target in mapped:
                out.setdefault(target, mapped[target])
    for name, value in mapped.items():
        if name not in out and name not in replaced:
            out[name] = value  # school, pmid, url worked out from biblatex's fields
    return out


def _date(value: str) -> tuple[str | None, str | None]:
    """(year, month) of a biblatex date ("2020", "2020-05", "2020-05-21", a range "2019/2020" by its start)."""
    start = value.split("/")[0]
    m = _DATE.fullmatch(start)
    if not m:
        return None, None
    month = m.group(2)
    if month and 1 <= int(month) <= 12:
        return m.group(1), _MONTHS[int(month) - 1]
    return m.group(1), None


def resolve(key: str, entries: dict[str, dict]) -> dict:
    """The entry of ``key`` as the styles read it: crossref parents inherited, biblatex fields mapped."""
    plain = _inherit(key, entries, {}, ())
    return {"type": plain["type"], "fields": _map_fields(plain["type"], plain["fields"]),
            "persons": plain["persons"]}


def set_members(plain: dict) -> list[str]:
    """The keys an ``@set`` entry groups (empty for any other entry)."""
    if plain["type"].lower() != "set":
        return []
    return [k.strip() for k in plain["fields"].get("entryset", "").split(",") if k.strip()]


def problems(entries: dict[str, dict]) -> list[tuple[str, str, str]]:
    """What of the entries cannot be rendered: (key, field, message), warnings all."""
    out: list[tuple[str, str, str]] = []
    for key, plain in entries.items():
        fields = plain["fields"]
        parent = fields.get("crossref", "").strip()
        if parent and parent not in entries:
            out.append((key, "crossref", f"the entry '{key}' takes its missing fields from '{parent}' (crossref), "
                                         f"which is not in refs.bib: add that entry or remove the crossref field"))
        elif parent:
            chain, at = [key], parent
            while at and at in entries and at not in chain:
                chain.append(at)
                at = entries[at]["fields"].get("crossref", "").strip()
            if at in chain:
                out.append((key, "crossref", f"the crossref of '{key}' leads back to itself "
                                             f"({' -> '.join(chain + [at])}): remove one crossref"))
        if plain["type"].lower() == "set":
            members = set_members(plain)
            if not members:
                out.append((key, "", f"the @set entry '{key}' has no entryset field listing its entries: "
                                     f"write entryset = {{key1,key2}}"))
            for member in members:
                if member not in entries:
                    out.append((key, "entryset", f"the @set entry '{key}' lists '{member}', which is not in "
                                                 f"refs.bib: add that entry or remove it from entryset"))
        if "date" in fields and "year" not in fields and not _date(fields["date"])[0]:
            out.append((key, "date", f"the date '{fields['date']}' of '{key}' cannot be read: write it as "
                                     f"YYYY, YYYY-MM or YYYY-MM-DD"))
        if fields.get("eprint", "").strip():
            kind = fields.get("eprinttype", "").strip().lower()
            if kind not in _EPRINT_FIELDS and kind != "arxiv":
                what = f"eprinttype '{fields.get('eprinttype', '').strip()}'" if kind else "no eprinttype"
                out.append((key, "eprint", f"the eprint '{fields['eprint'].strip()}' of '{key}' ({what}) is not "
                                           f"shown: write it as doi, pmid or url, or set eprinttype to pubmed, "
                                           f"doi, pmc or arxiv"))
    return out


def command_problems(entries: dict[str, dict]) -> list[tuple[str, str, str, str]]:
    """(key, field, command, message) for each LaTeX command of a field that is not rendered: without an
    argument its text is lost; with one (``\\foobar{x}``) only the argument is shown, as plain text."""
    out: list[tuple[str, str, str, str]] = []
    for key, plain in entries.items():
        values = [(name, [value]) for name, value in plain["fields"].items()]
        values += [(role, names) for role, names in plain["persons"].items()]
        for name, texts in values:
            found = dict(c for text in texts for c in unrendered_commands(text))
            for command, has_argument in found.items():
                out.append((key, name, command, _command_message(key, name, command, has_argument)))
    return out


def _command_message(key: str, name: str, command: str, has_argument: bool) -> str:
    if has_argument:
        return (f"the field '{name}' of '{key}' uses \\{command}{{...}}, which is not a command the site renders: "
                f"only the text in its braces is shown, as plain text; write the text as it should read, with "
                f"\\emph{{...}}, \\textbf{{...}}, \\textsc{{...}} or \\mkbibquote{{...}} if it needs them")
    return (f"the field '{name}' of '{key}' uses \\{command}, which cannot be rendered and is left out: write the "
            f"text it stands for (Unicode is fine)")
