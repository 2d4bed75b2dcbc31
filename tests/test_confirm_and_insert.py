"""Sections are inserted without renaming later files, a third review is a tested path, and a stale translation
is confirmed with `make confirm AT=FILE:LINE` (issue 19, item 6)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sitekit import EPOCH, MINI_INDEX, MINI_SECTION, commit, make_project, run_build

SECTION = "content/demo/01-first.md"


def project_with_a_chinese_edit(tmp_path: Path, first: str, edit: str) -> tuple[Path, Path]:
    """A project committed at ``first`` whose Chinese block was edited in a commit at ``edit``: its English
    block is then possibly stale. Returns the project and the section file."""
    project = make_project(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    commit(project, "first", first)
    src = project / SECTION
    src.write_text(src.read_text(encoding="utf-8").replace("阿替利珠单抗联合贝伐珠单抗", "阿替利珠单抗加贝伐珠单抗"),
                   encoding="utf-8")
    commit(project, "zh edit", edit)
    return project, src


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "HCC_PDF": "0", "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=project, capture_output=True, text=True,
                          env=env)


def test_a_stale_translation_is_confirmed_by_a_command_without_touching_the_text(tmp_path):
    project, src = project_with_a_chinese_edit(tmp_path, "2026-01-01T00:00:00+00:00", "2026-02-01T00:00:00+00:00")
    stale = ("content/demo/01-first.md:13:1: warning: possibly stale translation: the Chinese block (line 10) changed "
             "on 2026-02-01, after this English block (2026-01-01); update the English, or confirm that it still "
             "matches: make confirm AT=content/demo/01-first.md:13")
    assert stale in run(project, "check").stdout.splitlines()
    text = src.read_text(encoding="utf-8")
    confirmed = run(project, "confirm", "content/demo/01-first.md:14")
    assert confirmed.returncode == 0, confirmed.stderr
    assert confirmed.stdout.strip() == ("content/demo/01-first.md:13: the English block is confirmed to match the "
                                        "Chinese block (line 10) as they are now; commit "
                                        "content/confirmed-translations.yml with your change")
    assert src.read_text(encoding="utf-8") == text
    commit(project, "confirm", "2026-02-02T00:00:00+00:00")
    check = run(project, "check", "--strict")
    assert check.returncode == 0 and check.stdout == "", check.stdout
    assert run(project, "build", "--strict").returncode == 0
    assert not (project / "site/confirmed-translations.yml").exists()  # data of the checker, not published
    # a later change of the Chinese text ends the confirmation
    src.write_text(text.replace("阿替利珠单抗加贝伐珠单抗", "阿替利珠单抗与贝伐珠单抗"), encoding="utf-8")
    commit(project, "zh edit again", "2026-03-01T00:00:00+00:00")
    assert "possibly stale translation" in run(project, "check").stdout


def test_confirm_names_what_is_wrong_with_its_argument(tmp_path):
    project = make_project(tmp_path)
    wrong = run(project, "confirm", "content/demo/01-first.md")
    assert wrong.returncode == 2
    assert wrong.stderr.strip() == ("'content/demo/01-first.md': give the file and the line of the English block, "
                                    "e.g. make confirm AT=content/ici-hcc/03-ici-monotherapy.md:53")
    outside = run(project, "confirm", "content/demo/01-first.md:3")
    assert outside.returncode == 1
    assert "Traceback" not in outside.stderr


def section(sid: str, order: str, zh: str, en: str) -> str:
    return (f"---\nid: {sid}\norder: {order}\nnumber: \"{order}\"\ntitle:\n  zh: {zh}\n  en: {en}\n---\n\n"
            f"::: zh\n{zh}的正文[@finn2020imbrave150]。\n\n::: en\nThe text of {en} [@finn2020imbrave150].\n")


def test_three_reviews_and_a_section_inserted_with_a_decimal_order(tmp_path):
    files = {
        "content/demo/02-second.md": section("second", "2", "第二节", "Second section"),
        # inserted between 01 and 02 later: no file renamed
        "content/demo/01a-inserted.md": section("inserted", "1.5", "插入的一节", "Inserted section"),
    }
    for i, rid in enumerate(("beta", "gamma"), start=2):
        files[f"content/{rid}/index.md"] = MINI_INDEX.replace("id: demo", f"id: {rid}").replace(
            "order: 1", f"order: {i}").replace("示例综述", f"示例综述{i}").replace("A demo review", f"Review {i}")
        files[f"content/{rid}/01-first.md"] = MINI_SECTION
    project = make_project(tmp_path, files)
    check = run(project, "check", "--strict")
    assert check.returncode == 0, check.stdout + check.stderr
    build = run_build(project, project / "site")
    assert build.returncode == 0, build.stderr
    for rid in ("demo", "beta", "gamma"):
        for lang in ("zh", "en"):
            assert (project / "site" / lang / rid / "first" / "index.html").is_file()
    home = (project / "site/en/demo/index.html").read_text(encoding="utf-8")
    first, inserted, second = (home.find(t) for t in ("First section", "Inserted section", "Second section"))
    assert -1 < first < inserted < second, "sections listed in their order"
    root = (project / "site/en/index.html").read_text(encoding="utf-8")
    assert -1 < root.find("A demo review") < root.find("Review 2") < root.find("Review 3")


def test_a_chinese_edit_on_the_day_of_the_english_shows_the_two_times(tmp_path):
    project, src = project_with_a_chinese_edit(tmp_path, "2026-01-01T09:30:00+00:00", "2026-01-01T14:05:00+00:00")
    stale = ("content/demo/01-first.md:13:1: warning: possibly stale translation: the Chinese block (line 10) changed "
             "on 2026-01-01 14:05 UTC, after this English block (2026-01-01 09:30 UTC); update the English, or confirm "
             "that it still matches: make confirm AT=content/demo/01-first.md:13")
    check = run(project, "check")
    assert stale in check.stdout.splitlines()
    build = run(project, "build")
    assert build.returncode == 0
    assert stale in build.stderr


def test_confirm_past_the_end_of_the_file_is_an_error(tmp_path):
    project, src = project_with_a_chinese_edit(tmp_path, "2026-01-01T00:00:00+00:00", "2026-02-01T00:00:00+00:00")
    lines = len(src.read_text(encoding="utf-8").splitlines())
    past = run(project, "confirm", f"{SECTION}:9999")
    assert past.returncode == 1
    assert past.stderr.strip() == (f"{SECTION}:9999: the file has {lines} lines: give a line of the English block "
                                   "(the line 'possibly stale translation' names)")
    assert not (project / "content/confirmed-translations.yml").exists()
    assert "possibly stale translation" in run(project, "check").stdout


def test_confirm_of_a_pair_that_is_not_stale_is_an_error(tmp_path):
    project = make_project(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    commit(project, "first", "2026-01-01T00:00:00+00:00")
    fresh = run(project, "confirm", f"{SECTION}:13")
    assert fresh.returncode == 1
    assert fresh.stderr.strip() == (f"{SECTION}:13: this pair is not flagged 'possibly stale translation' (its "
                                    "Chinese block has not changed since its English block, or is confirmed): there "
                                    "is nothing to confirm")
    assert not (project / "content/confirmed-translations.yml").exists()
