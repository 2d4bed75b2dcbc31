"""PDF export: each review in each language, and a one-page regimen handout per language.

Made with WeasyPrint from the site's own HTML, so that the web page and the PDF never
disagree: the article of every BUILT page of a review (``site/<lang>/<review>/<section>/
index.html``, the ``<article class="md-content__inner">`` part) is taken in review order,
its ids are made unique per section and its links are pointed inside the PDF (or, for the
rest of the site, at the published address), and the parts are put into a print template
(``pdf/templates/review.html.j2``, autoescaped) with a cover, a table of contents with page
numbers and the review's complete reference list in citation order. The styles are the
site's print stylesheet (``assets/stylesheets/print.css``, also used when a reader prints a
page from the browser) and ``pdf/templates/pdf.css`` for pages, cover, contents and fonts.

Chinese typesetting: explicit Simplified Chinese families (Noto Serif/Sans CJK SC) with
``lang="zh-CN"``; WeasyPrint's default font subsetting (``full_fonts`` maps 血 to a Kangxi
radical in the extracted text); every missing glyph (``.notdef``) or unreachable resource is
a build failure. Reproducible: the dates come from ``SOURCE_DATE_EPOCH`` (else the last
commit), the file identifier from the content, so two exports of one site are identical.

Output, with stable names: ``site/pdf/<review>-<lang>.pdf`` and
``site/pdf/handout-regimens-<lang>.pdf`` (generator/urls.py names them; the pages' download buttons
are generator/site/downloads.py). Entry point: :func:`export_all` (the plugin's post-build step and
``python -m generator pdf``).

Cost: the HTML of every PDF is assembled first (cheap); a PDF whose inputs are unchanged since
the last export is copied from ``.cache/pdf``; the others are rendered, one WeasyPrint render
each, with the stylesheets parsed once, in one process per CPU (forked; one process when the
caller runs threads, as ``mkdocs serve`` does). Environment: ``HCC_PDF=0`` skips the export
(e.g. to time the HTML build alone), ``HCC_PDF_CACHE=0`` renders every PDF, ``HCC_PDF_JOBS=n``
sets the number of processes, ``HCC_PDF_DEBUG=1`` prints each render's CPU time.

The modules, in the order of the work: ``export`` (the entry points, the cache and the pool of worker
processes), ``review`` (the HTML of a review's PDF, and of the handout, from the built pages),
``article`` (one built page's article rewritten for the PDF), ``handout`` (the regimen comparison from
the records), ``engine`` (WeasyPrint: fonts, stylesheets, one render; the system check), ``model``
(what the export reads of the build). Independent of generator.site: both work from the sources and the
bibliography, and the PDF reads the site only as built files.
"""

from __future__ import annotations

from .engine import PdfError, check_system, enabled
from .export import LANGS, export_all, expected_files, log

__all__ = ["LANGS", "PdfError", "check_system", "enabled", "export_all", "expected_files", "log"]
