"""Issue 17, the independent attacker try: what was safe (escaped or dropped) but silent is now reported, at
its line and column, by check and build alike: a stray end tag in a block, markup in the text fields of a
record and in refs.bib, a review title with markup (its root cause alone, at its column); and the build
prints check's lines and check's count."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from generator.sources import sanitize
from sitekit import EPOCH, make_project

FIX = Path(__file__).resolve().parent / "fixtures" / "records"
PLAIN = ("the text fields of a record are plain text, shown as written (no HTML tags, no attributes, no Markdown "
         "links); write the words alone (a link or a source belongs in refs.bib, cited from the record's notes)")


def run(project: Path, command: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "HCC_PDF": "0", "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "generator", command], cwd=project, capture_output=True,
                          text=True, env=env, timeout=600)


def errors(text: str) -> list[str]:
    return [line for line in text.splitlines() if ": error: " in line]


def with_records(tmp_path: Path) -> Path:
    project = make_project(tmp_path)
    shutil.copytree(FIX / "valid", project / "content", dirs_exist_ok=True)
    shutil.copy(FIX / "refs.bib", project / "refs.bib")
    shutil.copy(FIX / "tables" / "valid.md", project / "content/demo/02-table.md")
    return project


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def check_and_build_agree(project: Path, expected: list[str]) -> None:
    check = run(project, "check")
    assert check.returncode == 1
    assert errors(check.stdout) == expected, check.stdout
    n = len(expected)
    assert f"check failed: {n} error{'s' if n != 1 else ''}" in check.stderr
    site = project / "site"
    site.mkdir(exist_ok=True)
    (site / "previous").write_text("old", encoding="utf-8")
    build = run(project, "build")
    assert build.returncode == 1
    assert "Traceback" not in build.stdout + build.stderr
    assert errors(build.stderr) == expected, build.stderr  # the same lines, columns included
    assert f"build failed: {n} error{'s' if n != 1 else ''}" in build.stderr
    assert (site / "previous").exists()


def test_a_stray_end_tag_is_reported_not_dropped():
    fragment = '<p>P &lt;details/open/ontoggle="x"&gt;x</details></p>'
    cleaned, removed = sanitize.inspect(fragment)
    assert "</details>" not in cleaned
    assert removed == [sanitize.Removal("endtag", "details")]
    assert removed[0].message.startswith("the end tag </details> closes no element and is not published")


def test_a_stray_end_tag_in_a_block_is_an_error_at_its_column(tmp_path):
    section = ("---\nid: first\norder: 1\nnumber: \"1\"\ntitle:\n  zh: 第一节\n  en: First section\n---\n"
               "::: zh\n中文。\n\n::: en\nP <details/open/ontoggle=\"x\">x</details>\n")
    project = make_project(tmp_path, {"content/demo/01-first.md": section})
    check_and_build_agree(project, [
        "content/demo/01-first.md:13:31: error: the end tag </details> closes no element and is not published: "
        "remove it, or write it as text in backticks (`</details>`) or as &lt;/details&gt;"])


def test_markup_in_the_text_fields_of_a_record_is_an_error_at_the_value(tmp_path):
    project = with_records(tmp_path)
    trial = project / "content/trials/alpha.md"
    edit(trial, "name: ALPHA-1", "name: 'ALPHA\" http-equiv=\"refresh\" content=\"0;url=https://evil.example/\"'")
    edit(trial, "  en: Unresectable HCC", "  en: '<img src=https://evil.example/p.png>'")
    check_and_build_agree(project, [
        "content/trials/alpha.md:3:7: error: this text holds HTML attribute markup (quote, name=, quote) "
        "('ALPHA\" http-equiv=\"refresh\" content=\"0;url=https://evil.example/\"'): " + PLAIN,
        "content/trials/alpha.md:12:7: error: this text holds HTML markup "
        "('<img src=https://evil.example/p.png>'): " + PLAIN,
    ])


def test_a_markdown_link_in_a_status_is_an_error():
    assert "a Markdown link" in sanitize.plain_text_problem("[l](javascript:alert(1))")
    assert sanitize.plain_text_problem("Recruiting; OS HR 0.58 (P<0.001), 中位 OS 19.2 个月") is None


def test_markup_an_unsafe_url_and_a_malformed_doi_in_refs_bib_are_errors_at_their_lines(tmp_path):
    project = with_records(tmp_path)
    bib = project / "refs.bib"
    start = bib.read_text(encoding="utf-8").count("\n") + 2  # the line of '@article{evil,'
    bib.write_text(bib.read_text(encoding="utf-8") + (
        "\n@article{evil,\n"
        "  author = {Doe, J.},\n"
        "  title = {</script><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">},\n"
        "  journal = {J},\n  year = {2024},\n"
        "  doi = {10.1000/x\"><img src=https://evil.example/p.png>},\n"
        "  url = {javascript:alert(1)}\n}\n"), encoding="utf-8")
    check_and_build_agree(project, [
        f"refs.bib:{start + 2}:1: error: the title of 'evil' holds HTML markup ('</script><meta http-equiv="
        "\"refresh\" content=\"0;url=https://evil.example/\">'): a reference is plain text, shown as written on the "
        "pages and in the exports; write the words alone (BibTeX braces {...} keep capitals)",
        f"refs.bib:{start + 5}:1: error: the doi of 'evil' is '10.1000/x\"><img src=https://evil.example/p.png>': "
        "a DOI looks like 10.NNNN/... (the DOI alone, e.g. 10.1016/j.jhep.2021.11.018, without https://doi.org/ "
        "or other text)",
        f"refs.bib:{start + 6}:1: error: the url of 'evil' is 'javascript:alert(1)': the address of a reference is "
        "an http(s) address, written whole: https://...",
    ])


def test_a_review_title_with_markup_is_reported_alone_at_its_column(tmp_path):
    project = with_records(tmp_path)
    edit(project / "content/demo/index.md", "  en: A demo review",
         "  en: Adv\" onmouseover=\"x\" ' </title> <img src=x>")
    check = run(project, "check")
    assert check.returncode == 1
    assert check.stdout.splitlines() == [  # no "unknown review 'demo'", no "never cited"
        "content/demo/index.md:6:7: error: the title holds HTML markup ('Adv\" onmouseover=\"x\" ' </title> "
        "<img src=x>'): a title is plain text, shown as written in the navigation, the headings and the PDFs; "
        "remove the markup"]
    assert "check failed: 1 error, 0 warnings" in check.stderr
