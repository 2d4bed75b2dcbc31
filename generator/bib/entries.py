"""What the reference styles read of a BibTeX entry: its persons (names as written, Chinese names family
name first, ``and others``), its fields as text, whether it is Chinese or a trial-registry record, and its
identifiers as links (DOI, PubMed, PMC, URL; only http(s) addresses are kept)."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from pybtex.database import Entry, Person
from pybtex.style.template import FieldIsMissing

from .richtext import has_cjk, latex_to_plain

# The 'language' field values of a Chinese entry
CHINESE_LANGUAGES = {"chinese", "zh", "zh-cn", "zh-hans", "zh-hant", "zh-tw", "zh-hk", "cn", "中文", "mandarin"}


# ---------------------------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------------------------


def _top_level_commas(name: str) -> int:
    depth = 0
    count = 0
    for ch in name:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            count += 1
    return count


def make_person(raw: str) -> Person:
    """A :class:`Person` from a name as written in the .bib.

    BibTeX reads "张 三" (no comma) as given name 张, family name 三. A Chinese (Japanese, Korean) name is written
    family name first, so without a comma the first word is taken as the family name ("张 三" -> 张 + 三).
    """
    raw = raw.strip()
    if has_cjk(raw) and _top_level_commas(raw) == 0:
        words = raw.split()
        if len(words) > 1:
            return Person(last=words[0], first=" ".join(words[1:]))
    return Person(raw)


def _is_others(person: Person) -> bool:
    return (
        person.last_names == ["others"]
        and not person.first_names
        and not person.middle_names
        and not person.prelast_names
        and not person.lineage_names
    )


def _plain_parts(parts: list[str]) -> list[str]:
    return [p for p in (latex_to_plain(x) for x in parts) if p]


def _initials(given_parts: list[str], sep: str) -> str:
    """"R. S." -> "RS" / "R S"; "Ann-Lii" -> "AL" / "A L"; "RS" (already initials) stays "RS" / "R S"."""
    letters: list[str] = []
    for part in given_parts:
        plain = latex_to_plain(part)
        # initials written together without periods ("RS"): keep every letter
        bare = plain.replace(".", "")
        if bare.isalpha() and bare.isupper() and 1 < len(bare) <= 3 and "." not in plain[:-1]:
            letters.extend(bare)
            continue
        for piece in re.split(r"[-\u2010\u2011.\s]+", plain):
            for ch in piece:
                if ch.isalnum():
                    letters.append(ch.upper())
                    break
    return sep.join(letters)


def _format_person(person: Person, initials_sep: str) -> str:
    """Family name (with von part and Jr), then initials; CJK names whole, family name first, no space."""
    last = _plain_parts(person.last_names)
    prelast = _plain_parts(person.prelast_names)
    given = person.first_names + person.middle_names
    lineage = _plain_parts(person.lineage_names)
    everything = " ".join(person.prelast_names + person.last_names + given + person.lineage_names)
    if has_cjk(everything):
        return "".join(prelast + last + _plain_parts(given) + lineage).replace(" ", "")
    family = " ".join(prelast + last)
    parts = [family] if family else []
    initials = _initials(given, initials_sep)
    if initials:
        parts.append(initials)
    parts.extend(lineage)
    # a corporate author written in braces ({SIR Foundation}) has no given names: it is printed verbatim
    return " ".join(parts)


def _person_lists(entry: Entry, role: str) -> tuple[list[Person], bool]:
    """The real persons of a role and whether the list ends in ``and others``."""
    persons = list(entry.persons.get(role, []))
    others = any(_is_others(p) for p in persons)
    return [p for p in persons if not _is_others(p)], others


# ---------------------------------------------------------------------------------------------------------------
# Entry properties shared by both styles
# ---------------------------------------------------------------------------------------------------------------


def _field(entry: Entry, name: str) -> str:
    value = entry.fields.get(name)
    if value is None or not str(value).strip():
        raise FieldIsMissing(name, entry)
    return str(value).strip()


def _field_or_none(entry: Entry, name: str) -> str | None:
    value = entry.fields.get(name)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def is_chinese_entry(entry: Entry) -> bool:
    """A Chinese-language entry: CJK characters in the title, journal or names, or language/langid Chinese."""
    for name in ("language", "langid"):
        lang = _field_or_none(entry, name)
        if lang and lang.strip().lower() in CHINESE_LANGUAGES:
            return True
    for name in ("title", "journal", "booktitle"):
        if has_cjk(_field_or_none(entry, name)):
            return True
    for persons in entry.persons.values():
        for p in persons:
            if has_cjk(" ".join(p.first_names + p.middle_names + p.prelast_names + p.last_names)):
                return True
    return False


_NCT = re.compile(r"^NCT\d{8}$", re.I)


def is_registry_record(entry: Entry) -> bool:
    """A ClinicalTrials.gov registry record (a @misc pointing at clinicaltrials.gov)."""
    if entry.type not in ("misc", "online", "electronic", "www"):
        return False
    for name in ("organization", "howpublished", "publisher", "institution"):
        value = _field_or_none(entry, name)
        if value and "clinicaltrials.gov" in value.lower():
            return True
    url = _field_or_none(entry, "url")
    if url and "clinicaltrials.gov" in url.lower():
        return True
    registry = _field_or_none(entry, "registry")
    return bool(registry and _NCT.match(registry))


def _clean_doi(doi: str) -> str:
    doi = doi.strip()
    doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.I)
    return doi


def doi_url(doi: str) -> str:
    return "https://doi.org/" + quote(_clean_doi(doi), safe="/:;()[]._-~!$&'*+,=@")


def pubmed_url(pmid: str) -> str | None:
    pmid = pmid.strip()
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid.isdigit() else None


def _pmc_url(pmcid: str) -> str | None:
    pmcid = pmcid.strip().upper()
    if not pmcid.startswith("PMC"):
        pmcid = "PMC" + pmcid
    return f"https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/" if pmcid[3:].isdigit() else None


def safe_url(url: str | None) -> str | None:
    """The URL when it is an http(s) or ftp address (never ``javascript:`` and the like), else None."""
    if not url:
        return None
    url = url.strip()
    m = re.fullmatch(r"\\url\{(.*)\}", url)
    if m:
        url = m.group(1)
    url = url.replace(" ", "%20")
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https", "ftp") or not parts.netloc:
        return None
    return url


def _url_label(url: str) -> str:
    host = urlsplit(url).netloc.lower()
    if host == "clinicaltrials.gov" or host.endswith(".clinicaltrials.gov"):
        return "ClinicalTrials.gov"
    return "URL"


def entry_links(entry: Entry) -> list[tuple[str, str]]:
    """[("DOI", url), ("PubMed", url), ("PMC", url), ("ClinicalTrials.gov" | "URL", url)] for the entry."""
    links: list[tuple[str, str]] = []
    doi = _field_or_none(entry, "doi")
    if doi and _clean_doi(doi):
        links.append(("DOI", doi_url(doi)))
    pmid = _field_or_none(entry, "pmid")
    if pmid and pubmed_url(pmid):
        links.append(("PubMed", pubmed_url(pmid)))
    pmcid = _field_or_none(entry, "pmcid")
    if pmcid and _pmc_url(pmcid):
        links.append(("PMC", _pmc_url(pmcid)))
    url = safe_url(_field_or_none(entry, "url"))
    if url:
        links.append((_url_label(url), url))
    else:
        registry = _field_or_none(entry, "registry")
        if registry and _NCT.match(registry):
            links.append(("ClinicalTrials.gov", f"https://clinicaltrials.gov/study/{registry.upper()}"))
    return links


def _pages(entry: Entry) -> str:
    """Page range with a plain hyphen ("1894--1905" -> "1894-1905")."""
    value = latex_to_plain(_field(entry, "pages"))
    value = re.sub(r"\s*[\u2010-\u2015\u2212-]+\s*", "-", value)
    if not value:
        raise FieldIsMissing("pages", entry)
    return value


def _issue(entry: Entry) -> str | None:
    return _field_or_none(entry, "number") or _field_or_none(entry, "issue")
