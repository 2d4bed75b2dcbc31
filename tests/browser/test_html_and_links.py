"""Valid HTML (the Nu Html Checker, npm vnu-jar, run with the machine's Java) and internal links and
anchors (LinkChecker over the served site). Reports: test-artifacts/vnu-report.txt,
test-artifacts/linkcheck/linkchecker.csv."""

from __future__ import annotations

import pytest

import browserkit as bk

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
    report = [f"Nu Html Checker: {len(pages)} pages, {len(errors)} error(s), {len(warnings)} warning(s)", "",
              "ERRORS", bk.describe_vnu(errors, site), "", "WARNINGS", bk.describe_vnu(warnings, site)]
    bk.ARTIFACTS.mkdir(exist_ok=True)
    (bk.ARTIFACTS / "vnu-report.txt").write_text("\n".join(report) + "\n", encoding="utf-8")
    assert not errors, f"{len(errors)} HTML error(s) (full list: test-artifacts/vnu-report.txt):\n" \
                       f"{bk.summarize_vnu(errors, site)}"
