"""Corrections to mkdocs-material's own markup where its templates give an override no block to replace.

Each is an exact replacement of the pinned version's markup (pyproject.toml): if mkdocs-material changes
that markup, the replacement no longer matches and the HTML-validity test of the browser suite
(tests/browser/test_html_and_links.py) reports the error again.
"""

from __future__ import annotations

import re

from markupsafe import escape

# base.html gives its drawer and search toggles (checkboxes) autocomplete="off", which HTML allows on
# text-like inputs only: the Nu Html Checker reports two errors on every page. The attribute is there to
# stop a browser from restoring a checked toggle (an open drawer or search) when a page is reloaded or
# revisited; site.js does that instead, unchecking both on "pageshow" (after the browser has restored them).
_TOGGLES = tuple(
    (f'<input class="md-toggle" data-md-toggle="{name}" type="checkbox" id="__{name}" autocomplete="off">',
     f'<input class="md-toggle" data-md-toggle="{name}" type="checkbox" id="__{name}">')
    for name in ("drawer", "search"))


# base.html's skip link goes to the first entry of the page's table of contents: past the opening paragraph of a
# section, past the filter and the table of the trial index (its first heading is "Charts"). It goes to the start
# of the article instead, marked by main.html's content block.
_SKIP = re.compile(r'<a href="[^"]*" class="md-skip">')
SKIP_TARGET = "main-content"
# A page without a table of contents (the changelog, the bibliography, a review's references) got no skip link
# at all: base.html leaves its place empty. It gets the same link, in the page's language (``skip_label``).
_NO_SKIP = re.compile(r'<div data-md-component="skip">\s*</div>')


def correct(html: str, *, site_name: str = "", local_name: str = "", skip_label: str = "") -> str:
    """A finished page with mkdocs-material's invalid markup corrected; with ``local_name``, the header names
    the site in the page's language instead of ``site_name`` (mkdocs.yml's, both languages: on a phone the
    header showed only its Chinese half, on English pages too)."""
    for old, new in _TOGGLES:
        html = html.replace(old, new, 1)
    if f'id="{SKIP_TARGET}"' in html:
        html = _SKIP.sub(f'<a href="#{SKIP_TARGET}" class="md-skip">', html, count=1)
        if skip_label and 'class="md-skip"' not in html:
            link = (f'<div data-md-component="skip">\n      <a href="#{SKIP_TARGET}" class="md-skip">\n'
                    f'        {escape(skip_label)}\n      </a>\n    </div>')
            html = _NO_SKIP.sub(lambda _: link, html, count=1)
    if site_name and local_name:
        for old, new in _header_name(site_name, local_name):
            html = html.replace(old, new, 1)
    return html


def _header_name(site_name: str, local_name: str) -> tuple[tuple[str, str], ...]:
    # partials/header.html: the logo link's title and label, then the first topic of the header's title
    name, local = escape(site_name), escape(local_name)
    return ((f'title="{name}" class="md-header__button md-logo" aria-label="{site_name}"',
             f'title="{local}" class="md-header__button md-logo" aria-label="{local}"'),
            (f'<div class="md-header__topic">\n          <span class="md-ellipsis">\n            {site_name}\n',
             f'<div class="md-header__topic">\n          <span class="md-ellipsis">\n            {local}\n'))
