"""Valid HTML (the Nu Html Checker, npm vnu-jar, run with the machine's Java) and internal links and
anchors (LinkChecker over the served site). Reports: test-artifacts/vnu-report.txt,
test-artifacts/linkcheck/linkchecker.csv."""

from __future__ import annotations

import re

import pytest

import browserkit as bk

# Errors that come from mkdocs-material's own base.html (outside any block a theme override can
# replace) and that the project cannot fix without copying that template: tolerated, listed in the
# report. Anything else fails.
THIRD_PARTY = [
    # <input class="md-toggle" type="checkbox" ... autocomplete="off">: a Firefox workaround of
    # mkdocs-material's drawer and search toggles
    (re.compile(r"^Attribute “autocomplete” is only allowed when the input type is"),
     re.compile(r'class="md-toggle"[^>]*type="checkbox"|type="checkbox"[^>]*autocomplete="off"|autocomplete="off">')),
]


def tolerated(message: dict) -> bool:
    text, extract = message.get("message", ""), message.get("extract", "")
    return any(m.search(text) and e.search(extract) for m, e in THIRD_PARTY)


@pytest.fixture(scope="module")
def vnu_run(site):
    """Started first: the checker (Java) runs while LinkChecker (Python) crawls."""
    pages = sorted(site.rglob("*.html"))
    return pages, bk.Vnu(pages)


def test_internal_links_and_anchors(server, vnu_run):
    problems = bk.linkcheck(server.url, bk.ARTIFACTS / "linkcheck")
    by_page: dict[str, list[str]] = {}
    for p in problems:
        by_page.setdefault(p["parent"][len(server.url):], []).append(
            f"{p['url'][len(server.url):]}: {p['result']} {p['warning']}".strip())
    listing = "\n".join(f"on {page} ({len(v)}):\n    " + "\n    ".join(v[:5]) for page, v in by_page.items())
    assert not problems, f"{len(problems)} broken link(s) or anchor(s) (test-artifacts/linkcheck/):\n{listing}"


def test_html_is_valid(site, vnu_run):
    pages, run = vnu_run
    errors, warnings = run.result()
    real = [m for m in errors if not tolerated(m)]
    known = [m for m in errors if tolerated(m)]
    report = [f"Nu Html Checker: {len(pages)} pages, {len(real)} error(s), {len(warnings)} warning(s), "
              f"{len(known)} tolerated error(s) of mkdocs-material's base template", "", "ERRORS",
              bk.describe_vnu(real, site), "", "WARNINGS", bk.describe_vnu(warnings, site), "",
              "TOLERATED (mkdocs-material base.html)", bk.describe_vnu(known[:20], site)]
    bk.ARTIFACTS.mkdir(exist_ok=True)
    (bk.ARTIFACTS / "vnu-report.txt").write_text("\n".join(report) + "\n", encoding="utf-8")
    assert not real, f"{len(real)} HTML error(s) (full list: test-artifacts/vnu-report.txt):\n" \
                     f"{bk.summarize_vnu(real, site)}"
