"""Translation status of every pair: complete, pending, or possibly stale.

Stale means the Chinese block changed in a later commit than its English counterpart
(from ``git blame`` of the source: no bookkeeping in the text). To confirm that an
English block still matches after a Chinese edit: ``make confirm AT=FILE:LINE`` (``python -m generator confirm FILE:LINE`` with the project's .venv)
(confirmed.py keeps the confirmation beside the content), or improve the translation.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from ..diagnostics import Report
from .bilingual import Pair
from .confirmed import confirms
from .confirmed import load as load_confirmations
from .content import Project, Section
from .history import History

COMPLETE, PENDING, STALE = "complete", "pending", "stale"


@dataclass
class PairStatus:
    pair: Pair
    state: str
    zh_time: int = 0
    en_time: int = 0


@dataclass
class SectionStatus:
    section: Section
    pairs: list[PairStatus] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(1 for p in self.pairs if p.state == state)


def _newest(times: dict[int, int], start: int, end: int) -> int:
    return max((times.get(n, 0) for n in range(start, end + 1)), default=0)


def _when(ts: int, other: int) -> str:
    """The date of a change, with the time (UTC) when the other change was on the same day, and the seconds
    when in the same minute: the two changes a message compares never read alike."""
    t, o = (datetime.datetime.fromtimestamp(x, datetime.timezone.utc) for x in (ts, other))
    if t.date() != o.date():
        return t.date().isoformat()
    if t.strftime("%H:%M") != o.strftime("%H:%M"):
        return t.strftime("%Y-%m-%d %H:%M UTC")
    return t.strftime("%Y-%m-%d %H:%M:%S UTC")


def translation_status(project: Project, history: History, report: Report) -> dict[str, list[SectionStatus]]:
    out: dict[str, list[SectionStatus]] = {}
    confirmed = load_confirmations(project.root)
    for review in project.reviews:
        rows = []
        for section in review.pages_in_order:
            rel = section.path.resolve().relative_to(project.root.resolve()).as_posix()
            times = history.line_times(rel)
            status = SectionStatus(section)
            for pair in section.body.pairs:
                if not pair.translated("en"):
                    status.pairs.append(PairStatus(pair, PENDING))
                    continue
                zh, en = pair.zh, pair.en
                zh_end = en.line - 1  # type: ignore[union-attr]
                en_end = en.line + en.text.count("\n") + 1  # type: ignore[union-attr]
                zt, et = _newest(times, zh.line, zh_end), _newest(times, en.line, en_end)  # type: ignore[union-attr]
                state = STALE if times and zt > et and not confirms(confirmed, rel, pair) else COMPLETE
                status.pairs.append(PairStatus(pair, state, zt, et))
                if state == STALE:
                    report.warning(section.path, en.line,  # type: ignore[union-attr]
                                   f"possibly stale translation: the Chinese block (line {zh.line}) changed on "  # type: ignore[union-attr]
                                   f"{_when(zt, et)}, after this English block ({_when(et, zt)}); update the English, or "
                                   f"confirm that it still matches: make confirm AT={rel}:{en.line}")  # type: ignore[union-attr]
            rows.append(status)
        out[review.id] = rows
    return out
