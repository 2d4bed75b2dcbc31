"""What git knows about the sources (generator/sources/history.py): blames are kept in the cache for files
unchanged since their last commit, and never for files with uncommitted changes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from generator.sources import history


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
                        "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z", "HOME": str(repo), "PATH": "/usr/bin:/bin"})


@pytest.fixture
def repo(tmp_path) -> Path:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text("one\ntwo\n", encoding="utf-8")
    (tmp_path / "content" / "b.md").write_text("three\n", encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "first")
    return tmp_path


def test_the_blame_of_a_committed_file_comes_from_the_cache_next_time(repo, monkeypatch):
    cache = repo / ".cache"
    first = history.read_history(repo, cache)
    times = first.line_times("content/a.md")
    assert sorted(times) == [1, 2] and set(times.values()) == {1767225600}
    first.save()
    assert (cache / "blame.json").exists()

    def no_git(self, rel_path):
        raise AssertionError(f"git blame ran again for {rel_path}")
    monkeypatch.setattr(history.History, "_git_blame", no_git)
    assert history.read_history(repo, cache).line_times("content/a.md") == times


def test_a_file_with_uncommitted_changes_is_blamed_afresh(repo, monkeypatch):
    cache = repo / ".cache"
    h = history.read_history(repo, cache)
    h.line_times("content/b.md")
    h.save()
    (repo / "content" / "b.md").write_text("three\nfour\n", encoding="utf-8")
    again = history.read_history(repo, cache)
    assert "content/b.md" in again.dirty
    calls = []
    real = history.History._git_blame

    def counting(self, rel_path):
        calls.append(rel_path)
        return real(self, rel_path)
    monkeypatch.setattr(history.History, "_git_blame", counting)
    assert sorted(again.line_times("content/b.md")) == [1, 2]
    assert calls == ["content/b.md"]
