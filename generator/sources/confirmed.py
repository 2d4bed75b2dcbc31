"""Translations confirmed to match after a change of the Chinese text: ``make confirm AT=FILE:LINE`` (``python -m generator confirm FILE:LINE`` with the project's .venv).

The translation status (status.py) calls an English block "possibly stale" when its Chinese block changed in a
later commit. When the English still says the same, the contributor confirms it; the confirmation is kept in
``content/confirmed-translations.yml`` as the file and a digest of both texts as they are now, so no text is
touched, and a later change of either block ends the confirmation by itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..diagnostics import Report
from .bilingual import Pair
from .content import CONFIRMED_FILE, Project, load_project

FILE = CONFIRMED_FILE  # in content/
HEADER = ("# English blocks confirmed to match their Chinese block after it changed, written by\n"
          "# `make confirm AT=content/<file>.md:LINE` (see CONTRIBUTING.md). Each entry holds digests of\n"
          "# both texts as confirmed: a later change of either ends the confirmation. Commit this file.\n")


def digest(text: str) -> str:
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Confirmation:
    file: str  # relative to the project root, e.g. content/ici-hcc/03-ici-monotherapy.md
    zh: str
    en: str


def load(root: Path) -> set[Confirmation]:
    path = root / "content" / FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return set()
    out = set()
    for item in data if isinstance(data, list) else []:
        if isinstance(item, dict) and all(isinstance(item.get(k), str) for k in ("file", "zh", "en")):
            out.add(Confirmation(item["file"], item["zh"], item["en"]))
    return out


def confirms(confirmations: set[Confirmation], rel_path: str, pair: Pair) -> bool:
    if pair.zh is None or pair.en is None:
        return False
    return Confirmation(rel_path, digest(pair.zh.text), digest(pair.en.text)) in confirmations


def _save(root: Path, confirmations: set[Confirmation]) -> None:
    rows = [{"file": c.file, "zh": c.zh, "en": c.en} for c in sorted(confirmations, key=lambda c: (c.file, c.zh, c.en))]
    text = HEADER + yaml.safe_dump(rows, allow_unicode=True, sort_keys=False, default_flow_style=False)
    (root / "content" / FILE).write_text(text, encoding="utf-8")


def _still_valid(project: Project, confirmations: set[Confirmation]) -> set[Confirmation]:
    """The confirmations whose two texts are still in their file (the others have ended)."""
    current = set()
    for review in project.reviews:
        for section in review.pages_in_order:
            rel = section.path.resolve().relative_to(project.root.resolve()).as_posix()
            for pair in section.body.pairs:
                if pair.zh is not None and pair.en is not None:
                    current.add(Confirmation(rel, digest(pair.zh.text), digest(pair.en.text)))
    return confirmations & current


def confirm(root: Path, where: str, stale: Callable[[Project], set[tuple[str, int]]] | None = None) -> tuple[int, str]:
    """Confirm the pair at ``FILE:LINE``: (exit code, the one line to print). ``stale`` gives the pairs flagged
    "possibly stale" as (file, line of the English block): another pair is not confirmed."""
    file, sep, line_text = where.rpartition(":")
    if not sep or not line_text.isdigit():
        return 2, (f"'{where}': give the file and the line of the English block, e.g. "
                   "make confirm AT=content/ici-hcc/03-ici-monotherapy.md:53")
    path = (Path.cwd() / file).resolve()
    try:
        rel = path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return 2, f"{file}: not a file of this project"
    report = Report(root=root)
    project = load_project(root, report)
    line = int(line_text)
    for review in project.reviews:
        for section in review.pages_in_order:
            if section.path.resolve() != path:
                continue
            try:
                lines = len(section.path.read_text(encoding="utf-8").splitlines())
            except (OSError, UnicodeDecodeError):
                lines = line
            if line < 1 or line > lines:
                return 1, (f"{rel}:{line}: the file has {lines} lines: give a line of the English block (the line "
                           "'possibly stale translation' names)")
            pairs = section.body.pairs
            for k, pair in enumerate(pairs):
                start = pair.line
                end = pairs[k + 1].line - 1 if k + 1 < len(pairs) else 10 ** 9
                if not start <= line <= end:
                    continue
                if pair.zh is None or pair.en is None or pair.en.pending:
                    return 1, f"{rel}:{line}: this pair has no English translation yet: there is nothing to confirm"
                if stale is not None and (rel, pair.en.line) not in stale(project):
                    return 1, (f"{rel}:{line}: this pair is not flagged 'possibly stale translation' (its Chinese "
                               "block has not changed since its English block, or is confirmed): there is nothing to "
                               "confirm")
                confirmations = _still_valid(project, load(root))
                confirmations.add(Confirmation(rel, digest(pair.zh.text), digest(pair.en.text)))
                _save(root, confirmations)
                return 0, (f"{rel}:{pair.en.line}: the English block is confirmed to match the Chinese block (line "
                           f"{pair.zh.line}) as they are now; commit content/{FILE} with your change")
            return 1, f"{rel}:{line}: this line is not in a '::: zh' / '::: en' pair (give a line of the English block)"
    return 1, f"{file}: not a section of a review (confirm works on the files in content/<review>/)"
