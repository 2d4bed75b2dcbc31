"""Root cause first (issue 19, item 2): a record that did not load does not make the tables naming it report
an "unknown trial", nor its references "never cited"; a problem repeated in a file is reported once, with
its count and its other lines (check and build alike; GitHub annotations keep every place)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from sitekit import EPOCH, make_project

FIX = Path(__file__).resolve().parent / "fixtures" / "records"


def run(project: Path, command: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "HCC_PDF": "0", "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "generator", command, *args], cwd=project, capture_output=True,
                          text=True, env=env)


def test_a_record_with_a_typo_is_reported_alone(tmp_path):
    project = make_project(tmp_path)
    shutil.copytree(FIX / "valid", project / "content", dirs_exist_ok=True)
    shutil.copy(FIX / "refs.bib", project / "refs.bib")
    shutil.copy(FIX / "tables" / "valid.md", project / "content/demo/02-table.md")
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
