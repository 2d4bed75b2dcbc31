"""The download buttons of a review's pages: its PDFs (generator.pdf writes them under the names of
generator.urls) and its references as BibTeX, RIS and CSL-JSON (generator.pipeline.static_files writes those)."""

from __future__ import annotations

from ..i18n import OTHER, t
from ..sources.content import Review
from ..urls import handout_pdf, rel, review_pdf

def pdf_downloads(review: Review, lang: str, page_url: str) -> list[dict[str, str]]:
    """The landing page's download buttons for the review's PDFs ({href, label}, hrefs relative to ``page_url``)."""
    other = OTHER[lang]
    return [
        {"href": rel(page_url, review_pdf(review.id, lang)), "label": t("download_review", lang)},
        {"href": rel(page_url, review_pdf(review.id, other)), "label": t("download_review_other", lang)},
        {"href": rel(page_url, handout_pdf(lang)), "label": t("download_handout", lang)},
    ]


def section_downloads(review: Review, lang: str, page_url: str) -> list[dict[str, str]]:
    """A section page's download button: the whole review as a PDF in the page's language."""
    return pdf_downloads(review, lang, page_url)[:1]


def reference_downloads(review: Review, lang: str, page_url: str) -> list[dict[str, str]]:
    return [{"href": rel(page_url, f"downloads/{review.id}-references.bib"), "label": t("downloads_bib", lang)},
            {"href": rel(page_url, f"downloads/{review.id}-references.ris"), "label": t("downloads_ris", lang)},
            {"href": rel(page_url, f"downloads/{review.id}-references.json"), "label": t("downloads_csl", lang)}]
