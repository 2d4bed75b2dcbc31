"""What git knows about the sources: last change of each file, the changelog, staleness.

One ``git log`` reads the history of ``content/`` and ``refs.bib`` (no network). Outside
a git checkout (a downloaded archive, say) everything degrades to a clear "unknown"
instead of failing. Dates are taken from commits, so they are the same on every build
of the same commit.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

TRACKED = ("content", "refs.bib")

# The reader's changelog is written in commit-message trailers, one language each:
#   Changelog-zh: 补充了 IMbrave150 的总生存期更新结果。
#   Changelog-en: IMbrave150's updated overall survival added.
# git prints them on the commit's line, the languages apart (\x1c) and the entries of one language apart (\x1d).
TRAILER_KEYS = {"zh": "Changelog-zh", "en": "Changelog-en"}
TRAILER_FORMAT = "%x1c".join(f"%(trailers:key={key},valueonly,unfold,separator=%x1d)" for key in TRAILER_KEYS.values())


@dataclass
class Change:
    commit: str
    timestamp: int
    subject: str
    files: list[str]
    # What a reader is told, in each language: the commit message's ``Changelog-zh:`` and ``Changelog-en:``
    # trailers (CONTRIBUTING, "The changelog"); empty when the commit has none
    notes: dict[str, list[str]] = field(default_factory=dict)

    @property
    def date(self) -> str:
        return datetime.datetime.fromtimestamp(self.timestamp, datetime.timezone.utc).date().isoformat()


@dataclass
class History:
    root: Path
    available: bool = False
    changes: list[Change] = field(default_factory=list)  # newest first
    last: dict[str, int] = field(default_factory=dict)  # path -> timestamp of its last change
    last_commit: dict[str, str] = field(default_factory=dict)  # path -> the commit of its last change
    dirty: set[str] = field(default_factory=set)  # paths changed in the working tree (or untracked)
    cache_file: Path | None = None
    _blame: dict[str, dict[str, int]] = field(default_factory=dict)  # "commit:path" -> {line: time}
    _blame_fresh: bool = False

    def last_updated(self, rel_path: str | None) -> str | None:
        if not rel_path or rel_path not in self.last:
            return None
        return datetime.datetime.fromtimestamp(self.last[rel_path], datetime.timezone.utc).date().isoformat()

    def line_times(self, rel_path: str) -> dict[int, int]:
        """Commit time of every line of a file (git blame); {} when unknown or uncommitted.

        The blame of a file unchanged since its last commit depends on that commit only: it is kept
        in the cache (``.cache/blame.json``) under the commit and the path."""
        if not self.available:
            return {}
        key = None
        if rel_path not in self.dirty and rel_path in self.last_commit:
            key = f"{self.last_commit[rel_path]}:{rel_path}"
            if key in self._blame:
                return {int(k): v for k, v in self._blame[key].items()}
        times = self._git_blame(rel_path)
        if key is not None and times:
            self._blame[key] = {str(k): v for k, v in times.items()}
            self._blame_fresh = True
        return times

    def save(self) -> None:
        """Keep the blames of this build for the next one."""
        if self.cache_file is None or not self._blame_fresh:
            return
        self.cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.cache_file.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(self._blame, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.cache_file)
        self._blame_fresh = False

    def _git_blame(self, rel_path: str) -> dict[int, int]:
        try:
            out = subprocess.run(["git", "blame", "--line-porcelain", "--", rel_path], cwd=self.root,
                                 capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return {}
        if out.returncode != 0:
            return {}
        times: dict[int, int] = {}
        line = 0
        current = 0
        for row in out.stdout.split("\n"):
            parts = row.split(" ")
            if len(parts) >= 3 and len(parts[0]) == 40 and parts[1].isdigit() and parts[2].isdigit():
                line = int(parts[2])
            elif row.startswith("committer-time "):
                current = int(row.split(" ", 1)[1])
            elif row.startswith("\t"):
                times[line] = current
        return times


def _notes(trailers: str) -> dict[str, list[str]]:
    notes: dict[str, list[str]] = {}
    for lang, values in zip(TRAILER_KEYS, trailers.split("\x1c")):
        entries = [" ".join(v.split()) for v in values.split("\x1d") if v.strip()]
        if entries:
            notes[lang] = entries
    return notes


def read_history(root: Path, cache_dir: Path | None = None) -> History:
    history = History(root)
    try:
        out = subprocess.run(
            ["git", "log", "--no-merges", "--format=%x1e%H%x1f%ct%x1f%s%x1f" + TRAILER_FORMAT, "--name-only",
             "--", *TRACKED],
            cwd=root, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return history
    if out.returncode != 0:
        return history
    history.available = True
    for record in out.stdout.split("\x1e")[1:]:
        head, _, names = record.partition("\n")
        commit, ts, subject, trailers = head.split("\x1f", 3)
        files = [n for n in names.split("\n") if n.strip()]
        change = Change(commit, int(ts), subject, files, _notes(trailers))
        history.changes.append(change)
        for f in files:
            history.last.setdefault(f, change.timestamp)
            history.last_commit.setdefault(f, change.commit)
    try:
        status = subprocess.run(["git", "status", "--porcelain", "-z", "--untracked-files=all", "--", *TRACKED],
                                cwd=root, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return history
    if status.returncode != 0:
        return history
    entries = status.stdout.split("\0")
    i = 0
    while i < len(entries):
        entry = entries[i]
        if len(entry) > 3:
            history.dirty.add(entry[3:])
            if entry[0] in "RC":  # a rename names its source next
                i += 1
        i += 1
    if cache_dir is not None:
        history.cache_file = Path(cache_dir) / "blame.json"
        try:
            history._blame = json.loads(history.cache_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            history._blame = {}
    return history
