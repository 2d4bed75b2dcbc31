"""Checks of the text of every block: links and images (its HTML: generator/sources/htmlcheck.py)."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Report
from .bilingual import Body
from .content import Project
from .links import Links
from .nesting import message as nesting_message
from .nesting import too_deep

EXTRA_ANCHORS = {"references", "abstract", "contents", "cite-this"}


def link_targets(project: Project) -> Links:
    """Every page a contributor may link to, by its source file."""
    links = Links(project.content_dir)
    for review in project.reviews:
        for section in review.pages_in_order:
            links.add(section.path, section.url, {p.anchor for p in section.body.pairs} | EXTRA_ANCHORS)
    if project.glossary is not None:
        links.add(project.glossary.path, lambda lang: f"{lang}/glossary/")
    for kind in ("trials", "regimens"):
        for path in sorted((project.content_dir / kind).glob("*.md")):
            links.add(path, lambda lang, k=kind, i=path.stem: f"{lang}/{k}/{i}/")
    for path in sorted((project.content_dir / "drugs").glob("*.md")):  # a drug is an entry of one list
        links.add(path, lambda lang, i=path.stem: f"{lang}/drugs/#drug-{i}")
    return links


def check_blocks(project: Project, links: Links, report: Report) -> None:
    """Links and images in every block of every section and of the glossary."""
    bodies = [(s.path, s.body) for r in project.reviews for s in r.pages_in_order]
    if project.glossary is not None:
        bodies.append((project.glossary.path, project.glossary.body))
    for path, body in bodies:
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
