"""WeasyPrint's floor for the PDFs of a built site: ``python bench/pdf_floor.py PROJECT SITE``.

The same documents as the PDF export (the same HTML, made by ``generator.pdf.review.Exporter`` from the built pages),
rendered by the same number of forked worker processes, but with a minimal stylesheet instead of ours: A4 pages,
the text fonts, nothing else (no contents page numbers, running headers, table or note styling). What this
costs is what WeasyPrint needs for these documents on this machine whatever our stylesheets do, so the
benchmark can show how much of the export time is ours to win back. Prints ``FLOOR <files> <pages>``.
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
from pathlib import Path

from generator import pipeline
from generator.pdf.engine import TEMPLATES, _local_fetcher
from generator.pdf.export import LANGS, _workers
from generator.pdf.review import Exporter

MINIMAL_CSS = """
@page { size: A4; margin: 22mm 20mm 20mm 20mm; }
html { font-family: "Liberation Serif", "Noto Serif CJK SC", serif; font-size: 10.5pt; }
html[lang="zh-CN"] { font-family: "Noto Serif CJK SC", serif; }
"""

_STATE: dict = {}


def _render(document_html: str) -> int:
    from weasyprint import HTML

    doc = HTML(string=document_html, base_url=_STATE["base_url"], url_fetcher=_STATE["fetcher"]).render(
        stylesheets=_STATE["css"], font_config=_STATE["fonts"])
    doc.write_pdf()
    return len(doc.pages)


def main(project: Path, site: Path) -> None:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    model = pipeline.load(project, cache_dir=project / ".cache")
    site = site.resolve()
    exporter = Exporter(model, site)
    jobs = [exporter.review_job(review, lang) for review in model.project.reviews for lang in LANGS]
    jobs += [job for lang in LANGS if (job := exporter.handout_job(lang)) is not None]
    documents = sorted((job.htmls[0] for job in jobs), key=len, reverse=True)  # the longest first, as the export
    fonts = FontConfiguration()
    _STATE.update(fonts=fonts, css=[CSS(string=MINIMAL_CSS, font_config=fonts)],
                  fetcher=_local_fetcher([site, TEMPLATES]), base_url=site.as_uri() + "/")
    workers = _workers(None, len(documents))
    if workers > 1:
        gc.freeze()
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pages = list(pool.imap_unordered(_render, documents, chunksize=1))
    else:
        pages = [_render(d) for d in documents]
    print("FLOOR", len(pages), sum(pages))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
