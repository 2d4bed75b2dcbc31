"""Mentions: where the reviews name a trial or a regimen (its name, aliases, registry numbers, a regimen's
labels), or cite a publication of a trial. The record pages list them."""

from __future__ import annotations

from typing import Any, NamedTuple

from .bilingual import LANGS
from .citations import scan
from .names import NameIndex, normal
from .records import Records


class Mention(NamedTuple):
    review: Any  # content.Review
    section: Any  # content.Section
    anchor: str


def mention_patterns(records: Records) -> dict[str, list[str]]:
    """record id -> the words that name it in running text.

    Trials: name, aliases, registry numbers. Regimens: their labels, and the names of combinations
    (a single drug's name would find every sentence about the drug, not about the regimen).
    """
    out: dict[str, list[str]] = {}
    for t in records.trials.values():
        out[t.id] = [t.name, *t.aliases, *t.registry]
    for r in records.regimens.values():
        words = list(r.labels)
        if len(r.components) > 1 and r.name is not None:
            words += [w for w in (r.name.zh, r.name.en) if w]
        out[r.id] = words
    return {k: sorted({w.strip() for w in v if w and len(w.strip()) >= 3}, key=lambda w: (-len(w), w))
            for k, v in out.items()}


def _plain(text: str, found) -> str:
    """The text without its citations (``found``: its scan), so that reference keys never count as mentions."""
    out, pos = [], 0
    for c in found.citations:
        out.append(text[pos:c.start])
        out.append(" ")
        pos = c.end
    out.append(text[pos:])
    return "".join(out)


def _named(text: str, names: NameIndex, owners: dict[str, set[str]]) -> set[str]:
    """The records named in ``text``; a name inside a longer name of another record does not count
    ('TACE plus lenvatinib' inside 'TACE plus lenvatinib and pembrolizumab')."""
    found: set[str] = set()
    for m in names.longest_matches(text):
        found |= owners[normal(m.name)]
    return found


def find_mentions(project: Any, records: Records) -> dict[str, list[Mention]]:
    """record id -> every (review, section, pair anchor) that names the trial or regimen, or cites a
    publication of the trial (its ``refs``)."""
    words = mention_patterns(records)
    owners: dict[str, set[str]] = {}
    for rid, names in words.items():
        for name in names:
            owners.setdefault(normal(name), set()).add(rid)
    patterns = NameIndex(sorted({n for ns in words.values() for n in ns}, key=lambda w: (-len(w), w)))
    by_key: dict[str, list[str]] = {}
    for t in records.trials.values():
        for key in t.refs:
            by_key.setdefault(key, []).append(t.id)
    out: dict[str, list[Mention]] = {rid: [] for rid in words}
    if not out:
        return {}
    for review in project.reviews:
        for section in review.pages_in_order:
            for pair in section.body.pairs:
                named: set[str] = set()
                for lang in LANGS:
                    text = pair.text(lang)
                    if not text:
                        continue
                    found = scan(text)
                    named |= _named(_plain(text, found), patterns, owners)
                    for c in found.citations:
                        for key in c.keys:
                            named.update(by_key.get(key, []))
                for rid in sorted(named):
                    out[rid].append(Mention(review, section, pair.anchor))
    return {rid: found for rid, found in out.items() if found}
