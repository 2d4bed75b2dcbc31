"""The build as one function of the sources: load -> validate -> model -> pages.

Used by the MkDocs plugin, the checker and the PDF export alike, so that they can
never disagree about what the sources mean.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import i18n
from .bib.bibliography import Bibliography
from .bib.numbering import CitationIndex, index_citations, report_uncited
from .diagnostics import Report, SourceError
from .site.fragments import Fragments
from .sources import regions
from .sources.characters import check_characters
from .sources.checks import check_blocks, contributor_bodies, link_targets
from .sources.content import Project, load_project
from .sources.history import History, read_history
from .sources.htmlcheck import check_bodies
from .sources.links import Links
from .sources.recordload import load_records
from .sources.records import Records
from .sources.regions import Regions
from .sources.status import SectionStatus, translation_status
from .sources.tablespec import RecordTables

if TYPE_CHECKING:  # pragma: no cover
    from .site.render import Page, Renderer

# The checker (``python -m generator check``) imports this module and makes no page: the functions that
# make pages import the site's modules when they run. Imported here they would add 73 ms (measured, the
# least of 7 runs) to the checker's start-up, about a quarter of a check of this repository.


@dataclass
class Model:
    project: Project
    bib: Bibliography
    records: Records
    tables: RecordTables
    citations: CitationIndex
    links: Links
    history: History
    status: dict[str, list[SectionStatus]]
    report: Report
    site_url: str = ""
    fragments: Fragments = field(default_factory=Fragments)  # finished HTML put into the pages by placeholder
    regions: Regions = field(default_factory=Regions)  # where contributor HTML stands in the pages

    def renderer(self) -> "Renderer":
        from .site.render import Renderer  # when the pages are made (the checker makes none: see above)
        from .site.tables import TableRenderer

        r = Renderer(self.project, self.bib, self.citations, site_url=self.site_url)
        r.fragments = self.fragments
        r.regions = self.regions
        r.links, r.history, r.status, r.records = self.links, self.history, self.status, self.records
        r.directives.append(TableRenderer(self.tables).expand)  # ```records tables inside sections
        return r


def load(root: Path, *, cache_dir: Path | None = None, report: Report | None = None) -> Model:
    """Read and validate every source; problems are collected in ``model.report``."""
    report = report or Report(root=root)
    project = load_project(root, report)
    bib = Bibliography.load(root / "refs.bib", report, cache_dir=cache_dir)
    records = load_records(root / "content", report, bib=bib, review_ids={r.id for r in project.reviews},
                           unloaded_reviews=project.unloaded)
    tables = RecordTables(records)
    tables.check_project(project, report)
    # Tables cite too: numbering reads each block with its tables expanded into citation markers.
    citations = index_citations(project, bib, report, expand=tables.citation_text)
    citations.cited_by_record = {page: set(keys) for page, keys in records.all_keys().items()}
    # a chart in a review draws the review's reference numbers
    tables.number = lambda review_id, key: citations.numbering[review_id].numbers.get(key)
    links = link_targets(project, records)
    check_blocks(project, links, report)
    bodies = contributor_bodies(project, records)
    check_characters(bodies, report)
    check_bodies(root, bodies, report, cache_dir)  # what the sanitizer would remove
    history = read_history(root, cache_dir)
    status = translation_status(project, history, report)
    history.save()
    # a warning for check and build alike (keys written in a record that did not load are not "never cited")
    if not project.unloaded:  # a review that did not load cites what it cites: its problem alone is reported
        written = _keys_in_files_with_errors(root, bib, report)
        report_uncited(bib, citations.all_cited() | records.unloaded_keys | project.unloaded_keys | written, report)
    _drop_stale_beside_errors(report)
    return Model(project, bib, records, tables, citations, links, history, status, report)


def _files_with_errors(report: Report) -> set[str]:
    return {d.path for d in report.errors}


def _keys_in_files_with_errors(root: Path, bib: Bibliography, report: Report) -> set[str]:
    """The keys of refs.bib written after an '@' in a source file that has an error: an unclosed citation, an
    unreadable locator or a block without its pair may hide them from the numbering, and "never cited" would
    only follow from that error (root cause first)."""
    out: set[str] = set()
    for rel in _files_with_errors(report):
        path = root / rel
        if path.suffix != ".md":
            continue
        try:
            text = path.read_text(encoding="utf-8", errors="replace").casefold()
        except OSError:
            continue
        out.update(key for key in bib if "@" + key.casefold() in text)
    return out


def _drop_stale_beside_errors(report: Report) -> None:
    """A "possibly stale translation" in a file with an error follows from it or waits for it: the error alone."""
    broken = _files_with_errors(report)
    report.items[:] = [d for d in report.items if not (d.path in broken and d.severity != "error"
                                                       and d.message.startswith("possibly stale translation"))]


def pages(model: Model) -> list["Page"]:
    """Every generated page of the site, in a stable order: one function per page kind."""
    from .site import recordpages, reviewpages, sitepages  # when the pages are made (see above)

    r = model.renderer()
    out: list["Page"] = [sitepages.root_page(r)]
    for lang in ("zh", "en"):
        out.append(sitepages.home_page(r, lang))
        for review in model.project.reviews:
            out.append(reviewpages.landing_page(r, review, lang))
            out.append(reviewpages.parallel_page(r, review, review.landing, lang))
            for section in review.sections:
                out.append(reviewpages.section_page(r, review, section, lang))
                out.append(reviewpages.parallel_page(r, review, section, lang))
            out.append(reviewpages.references_page(r, review, lang))
        g = sitepages.glossary_page(r, lang)
        if g is not None:
            out.append(g)
        out.append(sitepages.bibliography_page(r, lang))
        out.append(sitepages.status_page(r, lang))
        out.append(sitepages.changelog_page(r, lang))
    out += recordpages.pages(model.project, model.records, model.bib, r)
    return out


def sanitize(model: Model, html: str, expect: Counter | None, page_source: str | None) -> str:
    """A converted page with its contributor HTML sanitized (generator/sources/regions.py). Whatever the sanitizer
    removes is an error (the checker reports the same before the build starts; this is the last guard)."""
    cleaned, problems = regions.clean_page(html, expect)
    if problems:
        report = Report(root=model.project.root)
        for p in problems:
            where = model.regions.source(p.rid)
            path, line = where if where else (model.project.root / (page_source or "mkdocs.yml"), 1)
            report.error(path, line, p.removal.message if p.removal is not None else p.message)
        raise SourceError(report.items)
    return cleaned


def fill(model: Model, html: str) -> str:
    """Put the finished HTML due after markdown (the references page, the bibliography) into a
    converted page (generator/site/fragments.py)."""
    return model.fragments.after_markdown(html)


def finish(model: Model, html: str, *, lang: str | None = None, site_name: str = "") -> str:
    """Put the finished HTML due at the end (citations, a page's own reference list) into the
    finished page, and correct the theme's invalid markup; a page of one language (``lang``) names the
    site in its language in the header."""
    from .site import thememarkup  # when the pages are made (the checker makes none: see above)

    local = i18n.t("site_short_name", lang) if lang in ("zh", "en") else ""
    skip = i18n.t("skip_to_content", lang) if lang in ("zh", "en") else ""
    return thememarkup.correct(model.fragments.at_end(html), site_name=site_name, local_name=local, skip_label=skip)


def finish_template(html: str) -> str:
    """A page the theme makes on its own (404.html), with the theme's invalid markup corrected."""
    from .site import thememarkup  # when the pages are made (the checker makes none: see above)

    return thememarkup.correct(html)


def static_files(model: Model) -> dict[str, bytes]:
    """Files published as they are: references as BibTeX/RIS/CSL-JSON, open data, the records script."""
    out: dict[str, bytes] = {}
    for review in model.project.reviews:
        keys = model.citations.numbering[review.id].ordered_keys()
        out[f"downloads/{review.id}-references.bib"] = model.bib.bibtex(keys).encode("utf-8")
        out[f"downloads/{review.id}-references.ris"] = model.bib.ris(keys).encode("utf-8")
        out[f"downloads/{review.id}-references.json"] = model.bib.csl_json(keys).encode("utf-8")
    from .site import opendata, recordpages  # when the pages are made (the checker makes none: see above)

    out.update(opendata.data_files(model.records))
    out.update(recordpages.static_files())
    return out
