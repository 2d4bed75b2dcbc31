"""The build as one function of the sources: load -> validate -> model -> pages.

Used by the MkDocs plugin, the checker and the PDF export alike, so that they can
never disagree about what the sources mean.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .bibliography import Bibliography
from .content import Project, load_project
from .diagnostics import Report
from .numbering import CitationIndex, index_citations
from .render import Page, Renderer


@dataclass
class Model:
    project: Project
    bib: Bibliography
    citations: CitationIndex
    report: Report

    def renderer(self) -> Renderer:
        return Renderer(self.project, self.bib, self.citations)


def load(root: Path, *, cache_dir: Path | None = None, report: Report | None = None) -> Model:
    """Read and validate every source; problems are collected in ``model.report``."""
    report = report or Report(root=root)
    project = load_project(root, report)
    bib = Bibliography.load(root / "refs.bib", report, cache_dir=cache_dir)
    citations = index_citations(project, bib, report)
    return Model(project, bib, citations, report)


def pages(model: Model) -> list[Page]:
    """Every generated page of the site, in a stable order."""
    r = model.renderer()
    out: list[Page] = [r.root_page()]
    for lang in ("zh", "en"):
        out.append(r.home_page(lang))
        for review in model.project.reviews:
            out.append(r.landing_page(review, lang))
            out.append(r.parallel_page(review, review.landing, lang))
            for section in review.sections:
                out.append(r.section_page(review, section, lang))
                out.append(r.parallel_page(review, section, lang))
        g = r.glossary_page(lang)
        if g is not None:
            out.append(g)
    return out
