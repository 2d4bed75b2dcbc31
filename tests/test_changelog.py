"""The changelog a reader gets (generator/site/sitepages.changelog_page): in the page's language, from the
commits' ``Changelog-zh:``/``Changelog-en:`` trailers, with the changed pages linked by their titles; no commit
messages, hashes or file paths (CONTRIBUTING, "The changelog")."""

from __future__ import annotations

import html as htmllib
import re
import subprocess

import pytest

from generator.sources import history
from sitekit import commit, make_project, run_build

MESSAGE = """Fix the demo's first section (content/demo/01-first.md)

Developer detail a reader does not need.

Changelog-zh: 更正了第一节的一处用词。
Changelog-en: A word in the first section corrected.
"""


def test_the_trailers_of_a_commit_are_its_changelog_entries_by_language(tmp_path):
    project = make_project(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    commit(project, MESSAGE, "2026-03-04T00:00:00+00:00")
    (change,) = history.read_history(project).changes
    assert change.notes == {"zh": ["更正了第一节的一处用词。"], "en": ["A word in the first section corrected."]}


def test_a_reader_sees_the_changelog_in_the_page_language_without_hashes_or_paths(tmp_path):
    project = make_project(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    commit(project, "first version of the demo (content/demo/index.md)", "2026-03-01T00:00:00+00:00")
    src = project / "content/demo/01-first.md"
    src.write_text(src.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    commit(project, MESSAGE, "2026-03-04T00:00:00+00:00")
    sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=project, capture_output=True,
                         text=True).stdout.strip()
    site = tmp_path / "s"
    result = run_build(project, site)
    assert result.returncode == 0, result.stderr
    for lang, note, foreign, first in (("zh", "更正了第一节的一处用词。", "A word in the first", "1 第一节"),
                                       ("en", "A word in the first section corrected.", "更正了", "1 First section")):
        html = (site / lang / "changelog/index.html").read_text(encoding="utf-8")
        log = re.search(r'<ol class="changelog">.*?</ol>', html, re.S).group(0)
        assert note in log and foreign not in log
        assert '<time datetime="2026-03-04">' in log and '<time datetime="2026-03-01">' in log
        assert f'<a href="../demo/first/">{first}</a>' in log  # the page by its title, linked
        assert sha not in log and "content/" not in log and ".md" not in log
        assert "Developer detail" not in log and "Fix the demo" not in log


def test_the_chinese_changelog_names_a_study_as_its_page_does(built_site):
    """A changed trial is linked by its name in the page's language (its display name, the title of its
    page), not by the English name of its record ("Lai et al. 2022 (phase II)")."""
    log = (built_site / "zh/changelog/index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'<a href="\.\./trials/([^"/]+)/">([^<]+)</a>', log))
    if not links:
        pytest.skip("no trial changed in the history this build saw")
    for tid, text in links:
        page = (built_site / "zh/trials" / tid / "index.html").read_text(encoding="utf-8")
        title = re.search(r"<h1[^>]*>([^<]+)", page).group(1)
        assert htmllib.unescape(text) == htmllib.unescape(title).strip(), (tid, text, title)
