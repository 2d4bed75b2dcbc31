"""Resolve the citations of every review against refs.bib and number them (Vancouver).

Reads each pair of each page of a review in reading order, checks every key (unknown,
case-only difference), checks that the Chinese and English blocks of a pair cite the
same references, and assigns numbers by first citation (Chinese text first, as the
source language). The result is reused by every renderer: pages, PDF, bibliography.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..diagnostics import Report, invisible_in, without_invisible
from ..sources.bilingual import LANGS, Block
from ..sources.citations import Numbering, Place, Scan, scan
from ..sources.content import Project, Review, Section
from .bibliography import Bibliography


@dataclass
class CitationIndex:
    numbering: dict[str, Numbering] = field(default_factory=dict)  # review id -> numbering
    scans: dict[int, Scan] = field(default_factory=dict)  # id(block) -> scan
    cited_by_record: dict[str, set[str]] = field(default_factory=dict)
    # Expands directives (record tables) into their citation markers, keeping the line count.
    expand: Callable[[str], str] | None = None

    expanded: set[int] = field(default_factory=set)  # id(block) of the blocks that directives changed
    # the keys meant by citations written in other capital letters ('@Kudo2018' for kudo2018): reported
    # there, so the right key is not also "never cited" nor the pair's citations "not the same"
    meant: set[str] = field(default_factory=set)

    def scan_of(self, block: Block) -> Scan:
        """The citations of a block, its directives (tables) expanded."""
        found = self.scans.get(id(block))
        if found is None:
            text = self.expand(block.text) if self.expand else block.text
            if text != block.text:
                self.expanded.add(id(block))
            found = self.scans[id(block)] = scan(text, block.first_line)
        return found

    def written_scan_of(self, block: Block) -> Scan:
        """The citations of a block as written (its tables not expanded)."""
        found = self.scan_of(block)
        return scan(block.text, block.first_line) if id(block) in self.expanded else found

    def all_cited(self) -> set[str]:
        keys: set[str] = set()
        for n in self.numbering.values():
            keys.update(n.numbers)
        for ks in self.cited_by_record.values():
            keys.update(ks)
        return keys | self.meant


def _check_key(key: str, section: Section, line: int, col: int, bib: Bibliography, report: Report,
               source_line: str = "") -> bool:
    if key in bib:
        return True
    if bib.is_empty:
        return False  # no entry could be read: reported once, about refs.bib, not once per citation
    hidden = invisible_in(key)
    visible = without_invisible(key)
    if hidden:
        at, name = hidden[0]
        where = source_line.find(key, max(col - 1, 0)) if source_line else -1
        col = col if where < 0 else where + at + 1
        known = visible in bib
        report.error(section.path, line, f"the reference key '@{key}' contains {name} at col {col}: delete it"
                     + (f" (write '@{visible}')" if known else ""), col)
        return False
    variant = bib.case_variant(key)
    if variant:
        report.error(section.path, line, f"the reference key '@{key}' differs from '{variant}' in refs.bib only in "
                     f"capital letters: write it exactly as '@{variant}'", col)
    else:
        close = bib.suggestions(key)
        hint = f" (did you mean {', '.join('@' + c for c in close)}?)" if close else \
            " (add its BibTeX entry to refs.bib)"
        report.error(section.path, line, f"unknown reference key '@{key}'{hint}", col)
    return False


def index_citations(project: Project, bib: Bibliography, report: Report,
                    expand: Callable[[str], str] | None = None) -> CitationIndex:
    index = CitationIndex(expand=expand)
    for review in project.reviews:
        index.numbering[review.id] = _number_review(review, bib, report, index)
    return index


def _number_review(review: Review, bib: Bibliography, report: Report, index: CitationIndex) -> Numbering:
    numbering = Numbering(review.id)
    for section in review.pages_in_order:
        for pair in section.body.pairs:
            keys_by_lang: dict[str, list[str]] = {}
            written: dict[str, set[str]] = {}  # as written, without tables (their parity is checked apart)
            for lang in LANGS:
                block = pair.block(lang)
                if block is None or block.pending:
                    continue
                found = index.scan_of(block)
                for p in found.problems:
                    report.error(section.path, p.line, p.message, p.col)
                keys: list[str] = []
                for c in found.citations:
                    for item in c.items:
                        lines = block.text.split("\n")
                        k = c.line - block.first_line
                        if _check_key(item.key, section, c.line, c.col, bib, report,
                                      lines[k] if 0 <= k < len(lines) else ""):
                            keys.append(item.key)
                keys_by_lang[lang] = keys
                raw = index.written_scan_of(block)
                written[lang] = set()
                for k in (k for c in raw.citations for k in c.keys):
                    meant = k if k in bib else bib.case_variant(k) or (
                        without_invisible(k) if without_invisible(k) in bib else None)
                    if meant:
                        written[lang].add(meant)
                        if meant != k:
                            index.meant.add(meant)
            # a code fence left open hides the citations after it: that fence is the problem (reported at it)
            fence_open = any(b is not None and b.unclosed_fence for b in (pair.zh, pair.en))
            # so does a citation that cannot be read (reported at it)
            hidden_cause = fence_open or any(b is not None and not b.pending and index.written_scan_of(b).problems
                                           for b in (pair.zh, pair.en))
            if len(written) == 2 and written["zh"] != written["en"] and not hidden_cause:
                only_zh = sorted(written["zh"] - written["en"])
                only_en = sorted(written["en"] - written["zh"])
                detail = "; ".join(filter(None, [
                    f"only the Chinese (line {pair.zh.line}) cites {', '.join('@' + k for k in only_zh)}" if only_zh else "",
                    f"only the English (line {pair.en.line}) cites {', '.join('@' + k for k in only_en)}" if only_en else "",
                ]))
                report.error(section.path, pair.en.line,  # type: ignore[union-attr]
                             f"the Chinese block (line {pair.zh.line}) and the English block (line {pair.en.line}) "  # type: ignore[union-attr]
                             f"must cite the same references: {detail}")
            order = keys_by_lang.get("zh") or keys_by_lang.get("en") or []
            for key in order:
                numbering.assign(key)
            # Places: one per citation occurrence in the Chinese text (the English mirrors it).
            lead = "zh" if "zh" in keys_by_lang else "en"
            block = pair.block(lead)
            if block is not None and not block.pending:
                for k, c in enumerate(index.scan_of(block).citations):
                    for item in c.items:
                        if item.key in bib:
                            numbering.places.setdefault(item.key, []).append(
                                Place(section.id, pair.anchor, cite_id(pair.anchor, k)))
    return numbering


def cite_id(anchor: str, k: int) -> str:
    return f"c-{anchor}-{k + 1}"


def report_uncited(bib: Bibliography, cited: set[str], report: Report) -> None:
    """A warning for each entry of refs.bib that nothing cites. An entry reached through a cited one (the
    crossref parent of a cited part, a member of a cited @set) counts as cited."""
    reached = set(cited)
    todo = [k for k in cited if k in bib]
    while todo:
        key = todo.pop()
        for other in bib.related(key):
            if other not in reached:
                reached.add(other)
                todo.append(other)
    for key in bib:
        if key not in reached:
            report.warning(bib.path, bib.key_lines.get(key, 1),
                           f"the reference '{key}' is never cited: cite it as [@{key}] in a section or a record, "
                           "or remove it from refs.bib")
