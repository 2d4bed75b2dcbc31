"""The build as one function of the sources: load -> validate -> model -> pages.

Used by the MkDocs plugin, the checker and the PDF export alike, so that they can
never disagree about what the sources mean.
"""

from __future__ import annotations

from contextlib import nullcontext
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

    site_url: str = ""

    def renderer(self) -> Renderer:
        return Renderer(self.project, self.bib, self.citations, site_url=self.site_url)


def load(root: Path, *, cache_dir: Path | None = None, report: Report | None = None) -> Model:
    """Read and validate every source; problems are collected in ``model.report``."""
    report = report or Report(root=root)
    project = load_project(root, report)
    bib = Bibliography.load(root / "refs.bib", report, cache_dir=cache_dir)
    # Structured records (trials, regimens, drugs) and the ```records tables of the sections.
    from .records import load_records
    from .tables import RecordTables, renumber
    records = load_records(root / "content", report, bib=bib, review_ids={r.id for r in project.reviews})
    tables = RecordTables(records)
    tables.check_project(project, report)
    citations = index_citations(project, bib, report)
    renumber(tables, project, bib, citations)  # the tables' citations, in reading order (interim)
    citations.cited_by_record = {page: set(keys) for page, keys in records.all_keys().items()}
    model = Model(project, bib, citations, report)
    model.records = records  # type: ignore[attr-defined]
    model.tables = tables  # type: ignore[attr-defined]
    return model


def pages(model: Model) -> list[Page]:
    """Every generated page of the site, in a stable order."""
    r = model.renderer()
    tables = getattr(model, "tables", None)
    if tables is not None:
        r.directives.append(tables.expand)
    out: list[Page] = [r.root_page()]
    for lang in ("zh", "en"):
        out.append(r.home_page(lang))
        for review in model.project.reviews:
            out.append(r.landing_page(review, lang))
            with tables.page(review.landing.parallel_url(lang)) if tables is not None else nullcontext():
                out.append(r.parallel_page(review, review.landing, lang))
            for section in review.sections:
                out.append(r.section_page(review, section, lang))
                with tables.page(section.parallel_url(lang)) if tables is not None else nullcontext():
                    out.append(r.parallel_page(review, section, lang))
            out.append(r.references_page(review, lang))
        g = r.glossary_page(lang)
        if g is not None:
            out.append(g)
        out.append(r.bibliography_page(lang))
    records = getattr(model, "records", None)
    if records is not None:
        from .recordpages import pages as record_pages
        out += record_pages(model.project, records, model.bib, r)
    return out


def static_files(model: Model) -> dict[str, bytes]:
    """Files published as they are: each review's references as BibTeX and RIS."""
    out: dict[str, bytes] = {}
    for review in model.project.reviews:
        keys = model.citations.numbering[review.id].ordered_keys()
        out[f"downloads/{review.id}-references.bib"] = model.bib.bibtex(keys).encode("utf-8")
        out[f"downloads/{review.id}-references.ris"] = model.bib.ris(keys).encode("utf-8")
    return out
