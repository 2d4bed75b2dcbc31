"""`python -m generator check`: every problem kind, at its exact path:line:col."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sitekit import ROOT, commit, make_project

SECTION = "content/demo/01-first.md"
HEAD = "---\nid: first\norder: 1\nnumber: \"1\"\ntitle:\n  zh: 第一节\n  en: First section\n---\n"  # 8 lines


def check(project: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "check", *args], cwd=project, capture_output=True,
                          text=True, env={**os.environ, **(env or {})})


CASES = {
    "unpaired block": (SECTION, HEAD + "::: zh\n中文。\n::: zh\n又一段。\n::: en\nAgain.\n",
                       "content/demo/01-first.md:9:1: error: this Chinese block has no English counterpart"),
    "unknown key": (SECTION, HEAD + "::: zh\n甲[@finn2020imbrave15]。\n::: en\nA [@finn2020imbrave15].\n",
                    "content/demo/01-first.md:10:2: error: unknown reference key '@finn2020imbrave15' "
                    "(did you mean @finn2020imbrave150?)"),
    "broken internal link": (SECTION, HEAD + "::: zh\n见[下文](02-second.md#x)。\n::: en\nSee [below](02-second.md#x).\n",
                             "content/demo/01-first.md:10:2: error: broken link: '02-second.md' is not a page of this site"),
    "broken anchor": (SECTION, HEAD + "::: zh\n见[上文](01-first.md#nowhere)。\n::: en\nSee [above](#nowhere).\n",
                      "content/demo/01-first.md:10:2: error: broken link: there is no anchor '#nowhere' in 01-first.md"),
    "missing image": (SECTION, HEAD + "::: zh\n![肿瘤示意图](img/tumour.png)\n::: en\n![Tumour diagram](img/tumour.png)\n",
                      "content/demo/01-first.md:10:1: error: image not found: 'img/tumour.png'"),
    "missing alt text": (SECTION, HEAD + "::: zh\n![](img/a.png)\n::: en\n![](img/a.png)\n",
                         "content/demo/01-first.md:10:1: error: this image has no alt text"),
    "script in content": (SECTION, HEAD + "::: zh\n文字<script>alert(1)</script>\n::: en\nText\n",
                          "content/demo/01-first.md:10:3: error: raw HTML <script> is not allowed in content"),
    "event handler": (SECTION, HEAD + "::: zh\n文字\n::: en\nText <b onclick=\"x()\">bold</b>\n",
                      "content/demo/01-first.md:12:6: error: the HTML attribute 'onclick'"),
    "javascript url": (SECTION, HEAD + "::: zh\n[点](javascript:alert(1))\n::: en\n[click](javascript:alert(1))\n",
                       "content/demo/01-first.md:10:5: error: a 'javascript:' address is not allowed in content"),
    "bad record field": ("content/trials/demo-trial.md",
                         "---\nid: demo-trial\nname: DEMO\nphse: \"3\"\n---\n",
                         "content/trials/demo-trial.md:4:1: error: unknown field 'phse' (did you mean phase?)"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_problem_kind_is_reported_at_its_place(tmp_path, case):
    path, text, expected = CASES[case]
    project = make_project(tmp_path, {path: text})
    result = check(project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert any(line.startswith(expected) for line in result.stdout.splitlines()), result.stdout


def test_problems_are_sorted_and_all_reported_at_once(tmp_path):
    text = HEAD + "::: zh\n甲[@nope]<script>x</script>\n::: en\nA [@nope]\n::: en\nstray\n"
    project = make_project(tmp_path, {SECTION: text})
    lines = check(project).stdout.splitlines()
    assert len(lines) >= 4
    keys = [(m.group(1), int(m.group(2)), int(m.group(3))) for m in (re.match(r"([^:]+):(\d+):(\d+)", ln) for ln in lines)]
    assert keys == sorted(keys)


def test_github_annotations_under_github_actions(tmp_path):
    project = make_project(tmp_path, {SECTION: CASES["unknown key"][1]})
    out = check(project, env={"GITHUB_ACTIONS": "true"}).stdout
    assert "::error file=content/demo/01-first.md,line=10,col=2::unknown reference key" in out


def test_uncited_entries_are_warnings(tmp_path):
    project = make_project(tmp_path)
    with open(project / "refs.bib", "a", encoding="utf-8") as f:
        f.write("\n@article{lonely2020,\n  title = {Never cited},\n  year = {2020}\n}\n")
    result = check(project)
    assert result.returncode == 0
    assert re.search(r"refs.bib:\d+:1: warning: the reference 'lonely2020' is never cited", result.stdout)


def test_a_chinese_edit_after_the_english_makes_the_translation_stale(tmp_path):
    project = make_project(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    commit(project, "first", "2026-01-01T00:00:00+00:00")
    src = project / SECTION
    src.write_text(src.read_text(encoding="utf-8").replace("阿替利珠单抗联合贝伐珠单抗", "阿替利珠单抗加贝伐珠单抗"),
                   encoding="utf-8")
    commit(project, "zh edit", "2026-02-01T00:00:00+00:00")
    out = check(project).stdout
    assert "content/demo/01-first.md:13:1: warning: possibly stale translation: the Chinese block (line 10) " \
           "changed on 2026-02-01, after this English block (2026-01-01)" in out, out


def test_the_real_content_is_clean():
    result = check(ROOT)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "", result.stdout


def test_an_empty_refs_bib_is_one_message_not_one_per_citation(tmp_path):
    project = make_project(tmp_path)
    (project / "refs.bib").write_text("", encoding="utf-8")
    result = check(project)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "refs.bib:1:1: error: refs.bib has no entries: every citation needs its entry here (write them as "
        "@article{key, author = {…}, title = {…}, …})"]
