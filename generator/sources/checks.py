"""Checks of the text of every block: links, images and unsafe HTML."""

from __future__ import annotations

from ..diagnostics import Report
from .content import Project
from .links import Links
from .nesting import message as nesting_message
from .nesting import too_deep
from .safety import find_unsafe

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
    """Links, images and unsafe HTML in every block of every section and of the glossary."""
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
                for bad in find_unsafe(block.text):
                    line = block.first_line + block.text.count("\n", 0, bad.offset)
                    col = bad.offset - (block.text.rfind("\n", 0, bad.offset) + 1) + 1
                    report.error(path, line, bad.message, col)
