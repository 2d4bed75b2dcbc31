"""Root cause first (issue 19, item 2): a record that did not load does not make the tables naming it report
an "unknown trial", nor its references "never cited"; a problem repeated in a file is reported once, with
its count and its other lines (check and build alike; GitHub annotations keep every place)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sitekit import EPOCH, add_records, commit, make_project



def run(project: Path, command: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "HCC_PDF": "0", "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "generator", command, *args], cwd=project, capture_output=True,
                          text=True, env=env)


def test_a_record_with_a_typo_is_reported_alone(tmp_path):
    project = add_records(make_project(tmp_path))
    trial = project / "content/trials/alpha.md"
    trial.write_text(trial.read_text(encoding="utf-8").replace("\nphase:", "\nphsae:"), encoding="utf-8")
    result = run(project, "check")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "content/trials/alpha.md:7:1: error: unknown field 'phsae' (did you mean phase?)"]
    build = run(project, "build")
    assert build.returncode == 1
    assert [ln for ln in build.stderr.splitlines() if ": error: " in ln] == [
        "content/trials/alpha.md:7:1: error: unknown field 'phsae' (did you mean phase?)"]
    assert "build failed: 1 error, 0 warnings in the sources:" in build.stderr


def test_a_missing_key_used_many_times_is_one_line_with_its_count(tmp_path):
    section = ("---\nid: first\norder: 1\nnumber: \"1\"\ntitle:\n  zh: 第一节\n  en: First section\n---\n"
               "::: zh\n甲[@nokey]，乙[@nokey]，丙[@nokey; @finn2020imbrave150]。\n"
               "::: en\nA [@nokey], B [@nokey], C [@nokey; @finn2020imbrave150].\n")
    project = make_project(tmp_path, {"content/demo/01-first.md": section})
    message = ("error: unknown reference key '@nokey' (add its BibTeX entry to refs.bib) (6 times in this file: "
               "also line 12)")
    result = run(project, "check")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"content/demo/01-first.md:10:2: {message}"]
    assert "check failed: 6 errors, 0 warnings" in result.stderr
    build = run(project, "build")
    assert f"content/demo/01-first.md:10:2: {message}" in build.stderr.splitlines()
    assert "build failed: 6 errors, 0 warnings in the sources:" in build.stderr
    annotations = run(project, "check", env={"GITHUB_ACTIONS": "true"}).stdout
    assert annotations.count("::error file=content/demo/01-first.md") == 6


HEAD = "---\nid: first\norder: 1\nnumber: \"1\"\ntitle:\n  zh: 第一节\n  en: First section\n---\n"  # 8 lines
SECTION = "content/demo/01-first.md"


def problems(result: subprocess.CompletedProcess) -> list[str]:
    return [ln for ln in (result.stdout + result.stderr).splitlines() if ": error: " in ln or ": warning: " in ln]


def assert_alone(project: Path, expected: list[str]) -> None:
    """check and build print exactly these problems (the root causes, nothing that follows from them), exit 1."""
    check = run(project, "check")
    assert check.returncode == 1
    assert problems(check) == expected
    build = run(project, "build")
    assert build.returncode == 1
    assert problems(build) == expected
    assert "Traceback" not in check.stderr + build.stderr


def test_an_unclosed_code_fence_is_reported_without_the_citation_mismatch_it_causes(tmp_path):
    body = ("::: zh\n示例[@finn2020imbrave150]：\n\n::: en\n```\nExample [@finn2020imbrave150]:\n\n"
            "::: zh\n再次。\n\n::: en\nAgain.\n")
    project = make_project(tmp_path, {SECTION: HEAD + body})
    assert_alone(project, [f"{SECTION}:13:1: error: this code fence (```) is never closed in its block (line 16 "
                           "starts the next block): end the code with a line '```' before the next '::: zh' / "
                           "'::: en' line"])


def test_a_level_one_heading_is_one_problem_not_also_raw_html(tmp_path):
    body = "::: zh\n# 第一节\n\n::: en\n# First section\n\n::: zh\n甲[@finn2020imbrave150]。\n\n::: en\nA [@finn2020imbrave150].\n"
    project = make_project(tmp_path, {SECTION: HEAD + body})
    assert_alone(project, [f"{SECTION}:10:1: error: do not write a '#' (level-1) heading: the page title comes from "
                           "'title' in the front-matter; use '##' for the subsections (2 times in this file: also "
                           "line 13)"])


def test_a_section_that_does_not_load_leaves_its_references_alone(tmp_path):
    text = HEAD.replace("en: First section", "en: First: section") + (
        "::: zh\n甲[@finn2020imbrave150]。\n\n::: en\nA [@finn2020imbrave150].\n")
    project = make_project(tmp_path, {SECTION: text})
    assert_alone(project, [f"{SECTION}:7:12: error: the front-matter is not valid YAML: mapping values are not "
                           "allowed in this context (check indentation, and put text containing ':' or '#' in quotes)"])


def test_a_key_in_other_capitals_is_one_problem_not_also_never_cited_or_a_mismatch(tmp_path):
    body = "::: zh\n甲[@Finn2020imbrave150]。\n\n::: en\nA [@finn2020imbrave150].\n"
    project = make_project(tmp_path, {SECTION: HEAD + body})
    assert_alone(project, [f"{SECTION}:10:2: error: the reference key '@Finn2020imbrave150' differs from "
                           "'finn2020imbrave150' in refs.bib only in capital letters: write it exactly as "
                           "'@finn2020imbrave150'"])


def test_a_record_that_is_not_valid_yaml_is_reported_before_and_without_the_unknown_trials_it_causes(tmp_path):
    project = add_records(make_project(tmp_path))
    trial = project / "content/trials/alpha.md"
    trial.write_text(trial.read_text(encoding="utf-8").replace("\naliases: [Study Alpha]", "\naliases: [Study Alpha"),
                     encoding="utf-8")
    assert_alone(project, ["content/trials/alpha.md:6:9: error: the front-matter is not valid YAML: did not find "
                           "expected ',' or ']' (check indentation, and put text containing ':' or '#' in quotes)"])


def test_a_record_whose_id_is_not_its_file_name_is_reported_alone(tmp_path):
    project = add_records(make_project(tmp_path))
    trial = project / "content/trials/alpha.md"
    trial.write_text(trial.read_text(encoding="utf-8").replace("\nid: alpha", "\nid: alpah"), encoding="utf-8")
    assert_alone(project, ["content/trials/alpha.md:2:1: error: the id 'alpah' must equal the file name 'alpha': "
                           "rename the file to 'alpah.md' or change the id"])


def test_an_unclosed_citation_does_not_also_make_its_reference_never_cited(tmp_path):
    body = "::: zh\n阿替利珠单抗[@finn2020imbrave150。\n\n::: en\nAtezolizumab [@finn2020imbrave150.\n"
    project = make_project(tmp_path, {SECTION: HEAD + body})
    assert_alone(project, [f"{SECTION}:10:7: error: this citation is not closed: write it on one line as [@key] or "
                           "[@key1; @key2] (2 times in this file: also line 13)"])


def test_an_unreadable_locator_does_not_also_make_its_reference_never_cited(tmp_path):
    body = "::: zh\n阿替利珠单抗[@finn2020imbrave150, 第x页]。\n\n::: en\nAtezolizumab [@finn2020imbrave150, pp].\n"
    project = make_project(tmp_path, {SECTION: HEAD + body})
    advice = "write it as 'p. 12', 'pp. 3-5', 'fig. 2', 'table 1' or 'sec. 4'"
    assert_alone(project, [
        f"{SECTION}:10:7: error: cannot read the locator '第x页' of @finn2020imbrave150: {advice}",
        f"{SECTION}:13:14: error: cannot read the locator 'pp' of @finn2020imbrave150: {advice}"])


def test_a_chinese_block_without_english_does_not_also_make_its_reference_never_cited(tmp_path):
    project = make_project(tmp_path, {SECTION: HEAD + "::: zh\n阿替利珠单抗[@finn2020imbrave150]。\n"})
    assert_alone(project, [f"{SECTION}:9:1: error: this Chinese block has no English counterpart: add a '::: en' "
                           "block with its translation right after it (or mark the section 'translation: pending')"])


def test_a_file_with_an_error_is_not_also_possibly_stale(tmp_path):
    project = make_project(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    commit(project, "first", "2026-01-01T00:00:00+00:00")
    src = project / SECTION
    text = src.read_text(encoding="utf-8").replace("阿替利珠单抗联合贝伐珠单抗", "阿替利珠单抗加贝伐珠单抗")
    src.write_text(text.replace("::: zh\n## 1.1", "::: ZH\n## 1.1"), encoding="utf-8")
    commit(project, "zh edit, a marker typo", "2026-02-01T00:00:00+00:00")
    assert_alone(project, [f"{SECTION}:16:1: error: '::: ZH' is not a block marker: write '::: zh' (three colons, "
                           "a space, the language) at the very start of the line"])
