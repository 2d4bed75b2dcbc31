"""axe-core (bundled by axe-playwright-python, injected locally) on each kind of page, both languages:
no serious or critical violation. The full list goes to test-artifacts/axe-report.txt."""

from __future__ import annotations

import pytest

import browserkit as bk
from browserkit import PAGE_KINDS, kind_path

KINDS = ["home", "landing", "section", "parallel", "references", "glossary", "bibliography", "trial-index", "trial",
         "regimen", "search"]
REPORT = bk.ARTIFACTS / "axe-report.txt"


@pytest.fixture(scope="module")
def report():
    lines: list[str] = []
    yield lines
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")


def open_kind(page, server, kind: str, lang: str) -> None:
    bk.visit(page, server.url + kind_path(kind, lang))
    if kind == "search":
        page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length > 0",
                               timeout=20000)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_no_serious_accessibility_violations(request, server, require_kind, report, kind, lang):
    assert kind in PAGE_KINDS
    require_kind(kind, lang)
    page = request.getfixturevalue("search_page" if kind == "search" else "page")
    if kind == "search":
        server = request.getfixturevalue("search_server")
    open_kind(page, server, kind, lang)
    every = bk.axe_violations(page, impacts=("minor", "moderate", "serious", "critical"))
    report.append(f"== {kind} /{lang}/ ({kind_path(kind, lang)}): {len(every)} violation(s)")
    if every:
        report.append(bk.describe_violations(every))
    serious = [v for v in every if v.get("impact") in ("serious", "critical")]
    assert not serious, f"{kind_path(kind, lang)}:\n{bk.describe_violations(serious)}"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", ["section", "trial-index", "search"])
def test_no_serious_accessibility_violations_in_dark_mode(dark_page, request, server, require_kind, report, kind,
                                                        lang):
    require_kind(kind, lang)
    page = dark_page
    if kind == "search":
        server = request.getfixturevalue("search_server")
    page.set_viewport_size(bk.DESKTOP)
    open_kind(page, server, kind, lang)
    assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == "slate"
    serious = bk.axe_violations(page)
    report.append(f"== {kind} /{lang}/ dark: {len(serious)} serious or critical violation(s)")
    assert not serious, f"{kind_path(kind, lang)} (dark):\n{bk.describe_violations(serious)}"
