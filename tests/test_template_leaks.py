"""No template syntax reaches a reader: every built page, of the published site and of its offline copy,
is free of ``{#``, ``{{`` and ``{%``.

The site's own templates write Jinja comments as ``{## ##}`` (markdown attribute lists are ``{#id}``), so a
comment written the usual way, ``{# #}``, is published as text; the theme's templates (site_overrides/)
use the usual syntax. Either mistake, or a value rendered twice, shows up here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.site import offline, serveerrors

TEMPLATE_SYNTAX = re.compile(r"\{[#{%]")


def leaks(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for m in TEMPLATE_SYNTAX.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            found.append(f"{path.relative_to(folder)}:{line}: {text[m.start():m.start() + 80]!r}")
    return found


@pytest.fixture(scope="module")
def offline_copy(built_site, tmp_path_factory) -> Path:
    return offline.make_offline(built_site, tmp_path_factory.mktemp("offline") / "site-offline")


def test_no_template_syntax_on_any_published_page(built_site):
    assert len(list(built_site.rglob("*.html"))) > 100
    assert leaks(built_site) == []


def test_no_template_syntax_on_any_page_of_the_offline_copy(offline_copy):
    assert len(list(offline_copy.rglob("*.html"))) > 100
    assert leaks(offline_copy) == []


def test_the_bibliography_pages_show_no_template_comment(built_site):
    for lang in ("zh", "en"):
        text = (built_site / lang / "bibliography" / "index.html").read_text(encoding="utf-8")
        assert "generator/fragments.py" not in text and "site bibliography. It goes in" not in text


def test_the_serve_error_page_has_no_template_syntax():
    assert not TEMPLATE_SYNTAX.search(serveerrors.page(["content/x.md:1:1: a problem"]))
