"""Checks of the text of every block: links and images (its HTML: generator/sources/htmlcheck.py)."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Report
from .bilingual import Body, slugify
from .content import Project
from .links import Links
from .nesting import message as nesting_message
from .nesting import too_deep
from .pairs import check_body

EXTRA_ANCHORS = {"references", "abstract", "contents", "cite-this"}


# The anchors of a record's page besides its notes' (site/templates/records/trial.md.j2, regimen.md.j2)
RECORD_ANCHORS = {"sequence", "results", "studies", "figure-notes", "status", "notes", "mentions", "references"}


def link_targets(project: Project, records=None) -> Links:
    """Every page a contributor may link to, by its source file (with ``records``, the anchors of the record
    pages and of the glossary are known and checked too)."""
    links = Links(project.content_dir)
    for review in project.reviews:
        for section in review.pages_in_order:
            links.add(section.path, section.url, {p.anchor for p in section.body.pairs} | EXTRA_ANCHORS)
    if project.glossary is not None:
        glossary = project.glossary
        anchors = ({f"abbr-{slugify(t.abbr)}" for t in glossary.terms} | {p.anchor for p in glossary.body.pairs}
                   | {"drugs"}) if records is not None else None
        links.add(glossary.path, lambda lang: f"{lang}/glossary/", anchors)
    for kind in ("trials", "regimens"):
        for path in sorted((project.content_dir / kind).glob("*.md")):
            links.add(path, lambda lang, k=kind, i=path.stem: f"{lang}/{k}/{i}/", _record_anchors(records, kind, path.stem))
    for path in sorted((project.content_dir / "drugs").glob("*.md")):  # a drug is an entry of one list
        links.add(path, lambda lang, i=path.stem: f"{lang}/drugs/#drug-{i}")
    return links


def _record_anchors(records, kind: str, rid: str) -> set[str] | None:
    """The anchors of a record's page; None (not checked) when the record did not load."""
    if records is None or rid not in getattr(records, kind):
        return None
    anchors = set(RECORD_ANCHORS)
    if kind == "trials":
        anchors |= {f"fig-{i + 1}" for i in range(len(records.trials[rid].endpoints))}
    body = records.bodies.get((kind, rid))
    if body is not None:
        anchors |= {p.anchor for p in body.pairs}
    return anchors


def check_blocks(project: Project, links: Links, report: Report) -> None:
    """Links and images in every block of every section and of the glossary; each pair's blocks in their
    languages and of the same shape."""
    bodies = [(s.path, s.body) for r in project.reviews for s in r.pages_in_order]
    if project.glossary is not None:
        bodies.append((project.glossary.path, project.glossary.body))
    terms = project.glossary.terms if project.glossary is not None else []
    zh_terms = sorted({w for t in terms for w in (t.zh, *t.zh_aliases)}, key=len, reverse=True)
    en_terms = sorted({w for t in terms for w in (t.en, t.abbr, *t.en_aliases)}, key=len, reverse=True)
    for path, body in bodies:
        check_body(body, path, report, zh_terms, en_terms, {t.abbr: f"{t.en} / {t.zh}" for t in terms})
        for pair in body.pairs:
            for block in (pair.zh, pair.en):
                if block is None:
                    continue
                links.check(block.text, path, block.first_line, report)
                deep = too_deep(block.text)
                if deep is not None:
                    offset, depth, kind = deep
                    report.error(path, block.first_line + block.text.count("\n", 0, offset),
                                 nesting_message(depth, kind))


def contributor_bodies(project: Project, records) -> list[tuple[Path, Body]]:
    """Every body of contributor text that becomes HTML: sections, landing pages, the glossary, the
    notes of the records."""
    out = [(s.path, s.body) for r in project.reviews for s in r.pages_in_order]
    if project.glossary is not None:
        out.append((project.glossary.path, project.glossary.body))
    for kind in ("drugs", "regimens", "trials"):
        items = getattr(records, kind)
        for rid in sorted(items):
            body = records.bodies.get((kind, rid))
            if body is not None and items[rid].path is not None:
                out.append((items[rid].path, body))
    return out
