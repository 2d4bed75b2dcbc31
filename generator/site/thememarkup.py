"""Corrections to mkdocs-material's own markup where its templates give an override no block to replace.

Each is an exact replacement of the pinned version's markup (pyproject.toml): if mkdocs-material changes
that markup, the replacement no longer matches and the HTML-validity test of the browser suite
(tests/browser/test_html_and_links.py) reports the error again.
"""

from __future__ import annotations

# base.html gives its drawer and search toggles (checkboxes) autocomplete="off", which HTML allows on
# text-like inputs only: the Nu Html Checker reports two errors on every page. The attribute is there to
# stop a browser from restoring a checked toggle (an open drawer or search) when a page is reloaded or
# revisited; site.js does that instead, unchecking both on "pageshow" (after the browser has restored them).
_TOGGLES = tuple(
    (f'<input class="md-toggle" data-md-toggle="{name}" type="checkbox" id="__{name}" autocomplete="off">',
     f'<input class="md-toggle" data-md-toggle="{name}" type="checkbox" id="__{name}">')
    for name in ("drawer", "search"))


def correct(html: str) -> str:
    """A finished page with mkdocs-material's invalid markup corrected."""
    for old, new in _TOGGLES:
        html = html.replace(old, new, 1)
    return html
