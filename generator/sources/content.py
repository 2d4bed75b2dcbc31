"""The reviews as typed models: load ``content/``, validate, build :class:`Project`.

Flow: files -> front-matter + body (frontmatter, bilingual) -> schema check (schema)
-> models (this module). Nothing here knows about HTML or MkDocs.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Report
from .bilingual import LANGS, Body, parse_body
from .citations import scan
from .frontmatter import SourceFile, read_source
from .sanitize import title_problem
from .schema import BI, Field, listof, validate

ID = re.compile(r"[a-z0-9][a-z0-9-]*")
ID_HINT = "use lowercase letters, digits and '-' only (it becomes part of the web address)"
# 'NN-name.md'; a section inserted later between NN and the next is 'NNa-name.md' (its 'order' a decimal)
SECTION_FILE = re.compile(r"\d\d[a-z]?-[a-z0-9-]+\.md")

SECTION_SCHEMA = {
    "id": Field(str, required=True, pattern=ID, pattern_hint=ID_HINT, help="the section's web address, e.g. 'ici-monotherapy'"),
    "order": Field(float, required=True, help="the position of the section in the review, e.g. 3 (a section "
                   "inserted between 3 and 4 may take 3.5: no other file changes)"),
    "number": Field(str, help="the review's own section number, in quotes, e.g. \"2\""),
    "title": Field(BI, required=True, help="the section title in both languages (zh: ... / en: ...)",
                   text_check=title_problem),
    "kind": Field(str, choices=("section", "editor-notes")),
    "translation": Field(str, choices=("complete", "pending")),
}

AUTHOR = {"zh": Field(str, required=True), "en": Field(str, required=True), "corresponding": Field(bool)}
REVIEW_SCHEMA = {
    "id": Field(str, required=True, pattern=ID, pattern_hint=ID_HINT),
    "order": Field(int, required=True),
    "title": Field(BI, required=True, help="the review title in both languages", text_check=title_problem),
    "authors": listof(Field(AUTHOR)),
    "affiliation": Field(BI),
    "journal": Field(BI),
    "year": Field(int),
    "volume": Field(str),
    "issue": Field(str),
    "pages": Field(str),
    "doi": Field(str, pattern=re.compile(r"10\.\d{4,9}/\S+"), pattern_hint="a DOI looks like 10.12677/acm.2026.1651950 (no https://doi.org/)"),
    "dates": Field({"received": Field(datetime.date), "accepted": Field(datetime.date), "published": Field(datetime.date)}),
    "license": Field(str, choices=("CC-BY-4.0",)),
    "keywords": Field({"zh": listof(str), "en": listof(str)}),
    "source_note": Field(BI),
    "translation": Field(str, choices=("complete", "pending")),
}

GLOSSARY_SCHEMA = {
    "id": Field(str, required=True),
    "title": Field(BI, required=True, text_check=title_problem),
    "terms": listof(Field({
        "abbr": Field(str, required=True),
        "zh": Field(str, required=True),
        "en": Field(str, required=True),
        "zh_aliases": listof(str),
        "en_aliases": listof(str),
    }), required=True),
}

LICENSES = {
    "CC-BY-4.0": ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
}


def bi(value: Any) -> dict[str, str]:
    return {lang: str(value.get(lang, "")) for lang in LANGS} if isinstance(value, dict) else {"zh": "", "en": ""}


@dataclass
class Section:
    review: str
    id: str
    order: float
    number: str
    title: dict[str, str]
    path: Path
    body: Body
    kind: str = "section"  # section | landing | editor-notes
    pending: bool = False

    def full_title(self, lang: str) -> str:
        return f"{self.number} {self.title[lang]}".strip() if self.number else self.title[lang]

    def url(self, lang: str) -> str:
        return f"{lang}/{self.review}/" if self.kind == "landing" else f"{lang}/{self.review}/{self.id}/"

    def parallel_url(self, lang: str) -> str:
        return f"{self.url(lang)}parallel/"


@dataclass
class Author:
    zh: str
    en: str
    corresponding: bool = False


@dataclass
class Review:
    id: str
    order: int
    title: dict[str, str]
    path: Path
    landing: Section
    sections: list[Section] = field(default_factory=list)
    authors: list[Author] = field(default_factory=list)
    affiliation: dict[str, str] | None = None
    journal: dict[str, str] | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    dates: dict[str, datetime.date] = field(default_factory=dict)
    license: str | None = None
    keywords: dict[str, list[str]] = field(default_factory=lambda: {"zh": [], "en": []})
    unloaded_keys: set[str] = field(default_factory=set)  # cited in its section files that did not load
    source_note: dict[str, str] | None = None
    order_line: int = 1  # the line of 'order' in index.md

    @property
    def pages_in_order(self) -> list[Section]:
        """Landing page first, then the sections in reading order."""
        return [self.landing, *self.sections]

    def license_name_url(self) -> tuple[str, str] | None:
        return LICENSES.get(self.license or "")


@dataclass
class Term:
    abbr: str
    zh: str
    en: str
    zh_aliases: list[str] = field(default_factory=list)
    en_aliases: list[str] = field(default_factory=list)


@dataclass
class Glossary:
    title: dict[str, str]
    terms: list[Term]
    body: Body
    path: Path


@dataclass
class Project:
    root: Path
    reviews: list[Review]
    glossary: Glossary | None = None
    unloaded: set[str] = field(default_factory=set)  # reviews whose index.md did not load (already reported)
    # the keys cited in section files that did not load (their problem is reported): not "never cited"
    unloaded_keys: set[str] = field(default_factory=set)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    def review(self, review_id: str) -> Review:
        return next(r for r in self.reviews if r.id == review_id)


def _section(src: SourceFile, review_id: str, report: Report, *, landing: bool = False) -> Section | None:
    schema = REVIEW_SCHEMA if landing else SECTION_SCHEMA
    valid = validate(src.path, src.front, schema, report)
    data = src.front.data
    pending = data.get("translation") == "pending"
    body = parse_body(src.body, src.body_start, src.path, report, pending_ok=pending)
    if pending:
        missing = [p for p in body.pairs if not p.translated("en")]
        if missing:
            report.warning(src.path, src.front.line("translation"),
                           f"translation pending: {len(missing)} Chinese block{'s' if len(missing) != 1 else ''} "
                           f"without English yet (first at line {missing[0].line}); the English page shows the "
                           "Chinese text with a 'translation pending' notice")
    if not valid:
        return None
    return Section(
        review=review_id, id=data["id"] if not landing else "index", order=data["order"] if not landing else 0,
        number=str(data.get("number") or ""), title=bi(data["title"]), path=src.path, body=body,
        kind="landing" if landing else data.get("kind", "section"), pending=pending,
    )


def load_review(folder: Path, report: Report, orders: dict[str, tuple[Any, int, Path]] | None = None) -> Review | None:
    """A review's folder; ``orders`` gets its 'order' (with its line and index.md) whenever that is a number, even
    when another field of index.md has an error (an order clash is reported beside it)."""
    index = folder / "index.md"
    if not index.exists():
        report.error(folder, 1, "a review folder needs an 'index.md' landing page with the review's title and abstract")
        return None
    src = read_source(index, report)
    if src is None:
        return None
    order = src.front.data.get("order") if isinstance(src.front.data, dict) else None
    if orders is not None and isinstance(order, (int, float)) and not isinstance(order, bool):
        orders[folder.name] = (order, src.front.line("order"), index)
    landing = _section(src, folder.name, report, landing=True)
    data = src.front.data
    if isinstance(data, dict) and isinstance(data.get("id"), str) and data["id"] != folder.name:
        report.error(index, src.front.line("id"), f"the review id '{data['id']}' must equal its folder name '{folder.name}'")
    if landing is None:
        _check_sections_alone(folder, report)  # every problem at once: the sections' own ones too
        return None
    review = Review(
        id=folder.name, order=data["order"], title=bi(data["title"]), path=index, landing=landing,
        authors=[Author(a["zh"], a["en"], bool(a.get("corresponding"))) for a in data.get("authors") or []],
        affiliation=bi(data["affiliation"]) if data.get("affiliation") else None,
        journal=bi(data["journal"]) if data.get("journal") else None,
        year=data.get("year"), volume=data.get("volume"), issue=data.get("issue"), pages=data.get("pages"),
        doi=data.get("doi"), dates=dict(data.get("dates") or {}), license=data.get("license"),
        keywords={lang: list((data.get("keywords") or {}).get(lang) or []) for lang in LANGS},
        source_note=bi(data["source_note"]) if data.get("source_note") else None,
        order_line=src.front.line("order"),
    )
    seen_ids: dict[str, Path] = {}
    seen_order: dict[float, Path] = {}
    seen_prefix: dict[str, Path] = {}
    same_number: list[tuple[Path, Path]] = []  # (a file, the file whose number it repeats)
    for path in _section_files(folder, report):
        prefix = path.name.partition("-")[0]
        if path.name != "editor-notes.md":
            if prefix in seen_prefix:
                same_number.append((path, seen_prefix[prefix]))
            seen_prefix.setdefault(prefix, path)
        src = read_source(path, report)
        section = _section(src, review.id, report) if src is not None else None
        if section is None:
            review.unloaded_keys.update(_cited_in(path))
            continue
        if section.id in seen_ids:
            report.error(path, src.front.line("id"), f"the section id '{section.id}' is also used by "
                         f"{seen_ids[section.id].name}: ids must be unique within a review")
        if section.order in seen_order:
            report.error(path, src.front.line("order"), f"order {section.order} is also used by "
                         f"{seen_order[section.order].name}: give each section its own position")
        seen_ids[section.id] = path
        seen_order[section.order] = path
        review.sections.append(section)
    review.sections.sort(key=lambda s: (s.order, s.id))
    orders = {s.path: s.order for s in review.sections}
    for path, first in same_number:
        if path in orders and first in orders and orders[path] < orders[first]:
            path, first = first, path  # the one placed later by its 'order' is the one inserted
        report.error(path, 1, _same_number_message(path, first, review, set(seen_prefix)))
    return review


def _check_sections_alone(folder: Path, report: Report) -> None:
    """The problems of each section file of a review whose index.md did not load (reported with it, not instead)."""
    for path in _section_files(folder, report):
        src = read_source(path, report)
        if src is not None:
            _section(src, folder.name, report)


def _section_files(folder: Path, report: Report) -> list[Path]:
    """The section files of a review's folder, in name order; a file named otherwise is reported and left out."""
    files = []
    for path in sorted(folder.glob("*.md")):
        if path.name == "index.md":
            continue
        if not SECTION_FILE.fullmatch(path.name) and path.name != "editor-notes.md":
            report.error(path, 1, "section files are named 'NN-name.md' (two digits, a dash, lowercase words), "
                         "e.g. '03-ici-monotherapy.md'")
            continue
        files.append(path)
    return files


def _same_number_message(path: Path, first: Path, review: Review, prefixes: set[str]) -> str:
    """Two section files with one number: the name and the 'order' that insert the second after the first, worked
    out from the real names and orders (a letter after the number sorts right after it: '03a' after '03')."""
    prefix, _, rest = path.name.partition("-")
    letter = next((c for c in "abcdefghijklmnopqrstuvwxyz" if f"{prefix[:2]}{c}" not in prefixes), "z")
    name = f"{prefix[:2]}{letter}-{rest}"
    orders = {s.path: s.order for s in review.sections}
    head = (f"the number '{prefix}' is also the number of {first.name}: give each section file its own number; to "
            f"insert this section after {first.name}, name it '{name}'")
    if first not in orders:
        return f"{head}, with an 'order' between those of its neighbours"
    before = orders[first]
    later = sorted((o, p.name) for p, o in orders.items() if o > before and p != path)
    own = orders.get(path)
    if own is not None and own > before and (not later or own < later[0][0]):
        return f"{head} (its order {own:g} already places it after {first.name})"
    if not later:
        return f"{head} and give it an 'order' greater than {before:g} ({first.name}), e.g. {before + 1:g}"
    after, after_name = later[0]
    return (f"{head} and give it an 'order' between {before:g} ({first.name}) and {after:g} ({after_name}), e.g. "
            f"{(before + after) / 2:g}")


def _cited_in(path: Path) -> set[str]:
    """The keys a source file cites, read as well as it can be (for a file whose problem is reported)."""
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return set()
    return {k for c in scan(text).citations for k in c.keys}


def load_glossary(path: Path, report: Report) -> Glossary | None:
    if not path.exists():
        return None
    src = read_source(path, report)
    if src is None or not validate(path, src.front, GLOSSARY_SCHEMA, report):
        return None
    data = src.front.data
    terms: list[Term] = []
    seen: dict[str, int] = {}
    for i, t in enumerate(data["terms"]):
        if t["abbr"] in seen:
            report.error(path, src.front.line("terms", i, "abbr"), f"the abbreviation '{t['abbr']}' is defined twice "
                         f"(also at line {seen[t['abbr']]}): keep one definition")
        seen[t["abbr"]] = src.front.line("terms", i, "abbr")
        terms.append(Term(t["abbr"], t["zh"], t["en"], list(t.get("zh_aliases") or []), list(t.get("en_aliases") or [])))
    body = parse_body(src.body, src.body_start, path, report)
    return Glossary(bi(data["title"]), terms, body, path)


RESERVED = {"trials", "regimens", "drugs", "assets", "search", "bibliography", "glossary"}


MARKDOWN_LIKE = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
RECORD_FOLDERS = ("trials", "regimens", "drugs")


def report_unread_files(content: Path, report: Report) -> None:
    """A Markdown file the generator never reads (named '.markdown' or '.MD', or in a subfolder of a review or a
    record folder) is an error at its first line, with the name or the place that makes it read."""
    for folder in sorted(p for p in content.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        is_records = folder.name in RECORD_FOLDERS
        if folder.name in RESERVED and not is_records:
            continue
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder)
            if not path.is_file() or any(part.startswith((".", "_")) for part in rel.parts):
                continue
            if not path.name.lower().endswith(MARKDOWN_LIKE):
                continue
            stem = path.name[:path.name.rfind(".")]
            if len(rel.parts) > 1:
                what = "a record" if is_records else "a section file"
                report.error(path, 1, f"this file is not read: {what} in a subfolder is ignored; move it to "
                             f"content/{folder.name}/{stem}.md")
            elif not path.name.endswith(".md"):
                report.error(path, 1, f"this file is not read: only files ending in '.md' are read; rename it to "
                             f"'{stem}.md'")


def load_project(root: Path, report: Report) -> Project:
    content = root / "content"
    reviews: list[Review] = []
    unloaded: set[str] = set()
    orders: dict[str, tuple[Any, int, Path]] = {}
    if not content.is_dir():
        report.error(content, 1, "the 'content' folder is missing")
        return Project(root, reviews)
    report_unread_files(content, report)
    for folder in sorted(p for p in content.iterdir() if p.is_dir()):
        if folder.name in RESERVED or folder.name.startswith((".", "_")):
            continue
        review = load_review(folder, report, orders)
        if review is not None:
            reviews.append(review)
        elif (folder / "index.md").exists():
            unloaded.add(folder.name)  # its problem is reported; a record naming it is not "unknown" too
    reviews.sort(key=lambda r: (r.order, r.id))
    # every review whose order could be read, loaded or not: a field error in one index.md hides no clash
    placed = sorted((order, rid, line, path) for rid, (order, line, path) in orders.items())
    for before, after in zip(placed, placed[1:]):
        if after[0] == before[0]:
            report.error(after[3], after[2], f"order {after[0]} is also the order of the review "
                         f"'{before[1]}' ({before[1]}/index.md): give each review its own position on the home page, "
                         "e.g. the next free number")
    return Project(root, reviews, load_glossary(content / "glossary.md", report), unloaded,
                   {k for r in reviews for k in r.unloaded_keys})
