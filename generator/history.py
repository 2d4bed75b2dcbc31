"""What git knows about the sources: last change of each file, the changelog, staleness.

One ``git log`` reads the history of ``content/`` and ``refs.bib`` (no network). Outside
a git checkout (a downloaded archive, say) everything degrades to a clear "unknown"
instead of failing. Dates are taken from commits, so they are the same on every build
of the same commit.
"""

from __future__ import annotations

import datetime
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

TRACKED = ("content", "refs.bib")


@dataclass
class Change:
    commit: str
    timestamp: int
    subject: str
    files: list[str]

    @property
    def date(self) -> str:
        return datetime.datetime.fromtimestamp(self.timestamp, datetime.timezone.utc).date().isoformat()


@dataclass
class History:
    root: Path
    available: bool = False
    changes: list[Change] = field(default_factory=list)  # newest first
    last: dict[str, int] = field(default_factory=dict)  # path -> timestamp of its last change

    def last_updated(self, rel_path: str | None) -> str | None:
        if not rel_path or rel_path not in self.last:
            return None
        return datetime.datetime.fromtimestamp(self.last[rel_path], datetime.timezone.utc).date().isoformat()

    def line_times(self, rel_path: str) -> dict[int, int]:
        """Commit time of every line of a file (git blame); {} when unknown or uncommitted."""
        if not self.available:
            return {}
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


def read_history(root: Path) -> History:
    history = History(root)
    try:
        out = subprocess.run(
            ["git", "log", "--no-merges", "--format=%x1e%H%x1f%ct%x1f%s", "--name-only", "--", *TRACKED],
            cwd=root, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return history
    if out.returncode != 0:
        return history
    history.available = True
    for record in out.stdout.split("\x1e")[1:]:
        head, _, names = record.partition("\n")
        commit, ts, subject = head.split("\x1f", 2)
        files = [n for n in names.split("\n") if n.strip()]
        change = Change(commit, int(ts), subject, files)
        history.changes.append(change)
        for f in files:
            history.last.setdefault(f, change.timestamp)
    return history
