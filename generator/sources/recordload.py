"""Loading the records: read every file of ``content/{drugs,regimens,trials}``, check its front-matter
against the schema derived from the models (generator/sources/records.py), build the models, and
cross-check the records with each other, the bibliography and the reviews. Everything a contributor
gets wrong is reported at once, each problem at its ``path:line``; only valid records are kept."""

from __future__ import annotations

import dataclasses
import math
import re
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..diagnostics import Report, suggest
from .bilingual import LANGS, Body, parse_body
from .citations import scan
from .frontmatter import FrontMatter, read_source
from .records import (FIGURE_STATUSES, MEASURES, REGISTRY, UNITS, Bi, Drug, Records, Regimen, Trial, data_fields, format_number,
                      front_matter_schema, review_source_key)
from .schema import read_numbers, validate


class KnownKeys(Protocol):
    """What the checks need of the bibliography (generator.bib.bibliography.Bibliography, a stage above)."""

    def __contains__(self, key: object) -> bool: ...

    def suggestions(self, key: str) -> list[str]: ...


# ---------------------------------------------------------------------------------------------------------------
# Building models (from validated, or tolerantly from partly valid, data)
# ---------------------------------------------------------------------------------------------------------------


def _fits(tp: Any, value: Any) -> bool:
    if tp is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if tp is str:
        return isinstance(value, str)
    return True


def _build_value(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    if dataclasses.is_dataclass(tp):
        return build(tp, value) if isinstance(value, dict) else None
    if typing.get_origin(tp) is list:
        if not isinstance(value, list):
            return None
        (item,) = typing.get_args(tp)
        built = [_build_value(item, v) for v in value]
        return [b for b in built if b is not None]
    return value if _fits(tp, value) else None


def build(cls: type, data: dict[str, Any]) -> Any:
    """A model from front-matter data; a value of the wrong type is left out (it was reported)."""
    kwargs = {}
    for key, f, tp in data_fields(cls):
        if f.metadata.get("body") or key not in data:
            continue
        value = _build_value(tp, data[key])
        if value is not None:
            kwargs[f.name] = value
    return cls(**kwargs)


# ---------------------------------------------------------------------------------------------------------------
# Loading and checking
# ---------------------------------------------------------------------------------------------------------------

KINDS = (("drugs", Drug, "drug"), ("regimens", Regimen, "regimen"), ("trials", Trial, "trial"))


@dataclass
class _Loaded:
    kind: str
    path: Path
    fm: FrontMatter
    record: Any
    valid: bool
    body: Body


def number_in(text: str, value: float) -> bool:
    """Whether ``value`` is written in ``text`` as a number of its own ('4' is not in '4.64' or '14')."""
    pattern = rf"(?<![\d.]){re.escape(format_number(value))}(?!\d|\.\d)"
    return re.search(pattern, text) is not None


class _Checker:
    def __init__(self, report: Report, bib: KnownKeys | None, review_ids: set[str],
                 unloaded_reviews: set[str] | None = None):
        self.report = report
        self.bib = bib
        self.review_ids = review_ids
        self.unloaded_reviews = unloaded_reviews or set()  # root cause reported at their index.md
        self.known: dict[str, set[str]] = {"drugs": set(), "regimens": set(), "trials": set()}

    def err(self, item: _Loaded, key: tuple, message: str) -> None:
        self.report.error(item.path, item.fm.line(*key), message)

    def ref(self, item: _Loaded, key: tuple, kind: str, value: Any) -> bool:
        """An id of another record: report it when unknown."""
        if not isinstance(value, str):
            return False
        if value in self.known[kind]:
            return True
        word = {"drugs": "drug or procedure", "regimens": "regimen", "trials": "trial"}[kind]
        hint = suggest(value, sorted(self.known[kind]), n=1) or f" (add content/{kind}/{value}.md, or check the spelling)"
        self.err(item, key, f"unknown {word} '{value}'{hint}")
        return False

    def bibkey(self, item: _Loaded, key: tuple, value: Any, line: int | None = None) -> None:
        if self.bib is None or not isinstance(value, str) or value in self.bib:
            return
        if getattr(self.bib, "is_empty", False):
            return  # no entry could be read: reported once, about refs.bib
        variant = self.bib.case_variant(value) if hasattr(self.bib, "case_variant") else None
        if variant:
            message = (f"the reference key '{value}' differs from '{variant}' in refs.bib only in capital letters: "
                       f"write it exactly as '{variant}'")
        else:
            close = self.bib.suggestions(value)
            hint = f" (did you mean {', '.join(close)}?)" if close else " (add its BibTeX entry to refs.bib)"
            message = f"unknown reference key '{value}'{hint}"
        if line is None:
            self.err(item, key, message)
        else:
            self.report.error(item.path, line, message)

    def placeholder(self, key: str) -> bool:
        """Whether ``key`` is a reference of a review that could not be identified (refs.bib 'unidentified')."""
        is_placeholder = getattr(self.bib, "is_placeholder", None)
        return bool(is_placeholder and key in self.bib and is_placeholder(key))

    def review(self, item: _Loaded, key: tuple, value: Any) -> None:
        if isinstance(value, str) and value not in self.review_ids and value not in self.unloaded_reviews:
            hint = suggest(value, sorted(self.review_ids), n=1)
            self.err(item, key, f"unknown review '{value}'{hint}: the reviews are {', '.join(sorted(self.review_ids))}")


def _notes(body: Body) -> list[Bi]:
    return [Bi(zh=p.text("zh"), en=p.text("en")) for p in body.pairs]


def _load_folder(folder: Path, kind: str, cls: type, report: Report, unread: dict[str, Path]) -> list[_Loaded]:
    """The records of one folder; a file that could not be read (its problem reported) goes in ``unread``."""
    out: list[_Loaded] = []
    if not folder.is_dir():
        return out
    schema = front_matter_schema(cls)
    for path in sorted(folder.glob("*.md")):
        src = read_source(path, report)
        if src is None:
            unread[path.stem] = path
            continue
        read_numbers(src.front, schema)  # [13.0, 18.5] keeps its digits; '13.0' in quotes is a number
        valid = validate(path, src.front, schema, report)
        body = parse_body(src.body, src.body_start, path, report)
        record = build(cls, src.front.data)
        record.path = path
        record.notes = _notes(body)
        out.append(_Loaded(kind, path, src.front, record, valid, body))
    return out


def load_records(content_dir: Path, report: Report, *, bib: KnownKeys | None,
                 review_ids: set[str], unloaded_reviews: set[str] | None = None) -> Records:
    """Read, validate and cross-check every record; return the valid ones."""
    unread: dict[str, dict[str, Path]] = {kind: {} for kind, _, _ in KINDS}
    loaded = {kind: _load_folder(content_dir / kind, kind, cls, report, unread[kind]) for kind, cls, _ in KINDS}
    check = _Checker(report, bib, review_ids, unloaded_reviews)
    for kind, files in unread.items():
        check.known[kind].update(files)  # its problem is reported in it: a record naming it is not "unknown" too

    # ids: file name, uniqueness (within a kind; trials and regimens share the mentions' namespace)
    seen: dict[str, dict[str, _Loaded]] = {kind: {} for kind in loaded}
    for kind, items in loaded.items():
        for item in items:
            rid = item.record.id
            if not isinstance(rid, str) or not rid:
                rid = item.path.stem  # reported by the schema; keep references to the file working
            check.known[kind].add(rid)
            check.known[kind].add(item.path.stem)
            if isinstance(item.record.id, str) and item.record.id and item.record.id != item.path.stem:
                check.err(item, ("id",), f"the id '{item.record.id}' must equal the file name '{item.path.stem}': "
                          f"rename the file to '{item.record.id}.md' or change the id")
                item.valid = False  # not published: what names it by either name is not reported again
            other = seen[kind].get(rid)
            if other is not None:
                check.err(item, ("id",), f"the id '{rid}' is also used by {report._rel(other.path)}: "
                          "every record needs its own id")
                check.err(other, ("id",), f"the id '{rid}' is also used by {report._rel(item.path)}: "
                          "every record needs its own id")
            else:
                seen[kind][rid] = item
            seen[kind].setdefault(item.path.stem, item)
    for rid in sorted(set(seen["trials"]) & set(seen["regimens"])):
        t, r = seen["trials"][rid], seen["regimens"][rid]
        if rid not in (t.record.id, r.record.id):
            continue
        check.err(t, ("id",), f"the id '{rid}' is also the id of the regimen {report._rel(r.path)}: "
                  "a trial and a regimen need different ids")

    for item in loaded["drugs"]:
        check_zh_name(check, item)
        _check_notes(check, item)
    for item in loaded["regimens"]:
        check_zh_name(check, item)
        _check_regimen(check, item, seen)
        _check_notes(check, item)
    registries: dict[str, _Loaded] = {}
    for item in loaded["trials"]:
        check_zh_name(check, item)
        _check_trial(check, item, seen, registries)
        _check_notes(check, item)

    records = Records()
    for kind, items in loaded.items():
        target = getattr(records, kind)
        for item in sorted(items, key=lambda i: str(i.record.id)):
            if item.valid and item.record.id not in target:
                target[item.record.id] = item.record
                records.bodies[(kind, item.record.id)] = item.body
        for item in items:
            if not item.valid:  # root cause reported in its file: what follows from it is not reported again
                unloaded = records.unloaded.setdefault(kind, set())
                unloaded.update(x for x in (item.record.id, item.path.stem) if isinstance(x, str) and x)
                records.unloaded_keys.update(_strings(item.fm.data))
                records.unloaded_keys.update(k for p in item.body.pairs for lang in LANGS
                                             if p.block(lang) is not None
                                             for c in scan(p.block(lang).text).citations for k in c.keys)
    for kind, files in unread.items():
        if files:
            records.unloaded.setdefault(kind, set()).update(files)
        for path in files.values():
            try:  # any word of it may be a reference key it cites: none is "never cited" because of it
                records.unloaded_keys.update(re.findall(r"[\w:./+-]+", path.read_text(encoding="utf-8", errors="replace")))
            except OSError:
                pass
    for kind, ids in records.unloaded.items():
        ids.difference_update(getattr(records, kind))
    return records


def _strings(data: Any) -> set[str]:
    """Every string in a front-matter value (the reference keys of a record that did not load among them)."""
    if isinstance(data, str):
        return {data}
    if isinstance(data, dict):
        return {s for v in data.values() for s in _strings(v)}
    if isinstance(data, list):
        return {s for v in data for s in _strings(v)}
    return set()


def check_zh_name(check: _Checker, item: _Loaded) -> None:
    """Every record says what Chinese pages call it: a trial's ``zh_name``, a drug's or regimen's ``name.zh``. A
    record with no Chinese name writes it as null and gives ``zh_name_reason``; the English name shown instead is
    then an explicit choice, never a silent fallback."""
    data = item.fm.data
    if item.kind == "trials":
        at, written, example = ("zh_name",), "zh_name" in data, "'zh_name: IMbrave150' (a trial's standard name) " \
            "or 'zh_name: 曲美木单抗治疗合并慢性 HCV 感染的 HCC（先导试验）' (a descriptive name in Chinese)"
        value = data.get("zh_name")
        where = ("name",) if not written else at
    else:
        name = data.get("name")
        if not isinstance(name, dict):
            return  # reported by the schema
        at, written, example = ("name", "zh"), "zh" in name, "'zh: 阿替利珠单抗' (the Chinese name the sources " \
            "use, or the standard Chinese INN)"
        value = name.get("zh")
        where = ("name",) if not written else at
    reason = data.get("zh_name_reason")
    field = "zh_name" if item.kind == "trials" else "name.zh"
    if not written:
        check.err(item, where, f"'{field}' is missing: Chinese pages need the record's Chinese name: write {example}, "
                  f"or '{field.split('.')[-1]}: null' with 'zh_name_reason: <why there is none>'")
    elif value in (None, "") and not reason:
        check.err(item, at, f"'{field}' is null but 'zh_name_reason' is missing: say why the record has no Chinese "
                  "name (its English name is shown on Chinese pages), e.g. 'zh_name_reason: no standard Chinese "
                  "INN in the sources'")
    elif value not in (None, "") and reason:
        check.err(item, ("zh_name_reason",), f"'zh_name_reason' is given but '{field}' is '{value}': remove "
                  f"'zh_name_reason', or write '{field.split('.')[-1]}: null' if the record has no Chinese name")


def _check_notes(check: _Checker, item: _Loaded) -> None:
    for pair in item.body.pairs:
        for lang in LANGS:
            block = pair.block(lang)
            if block is None or block.pending:
                continue
            found = scan(block.text, block.first_line)
            for p in found.problems:
                check.report.error(item.path, p.line, p.message, p.col)
            for c in found.citations:
                for key in c.keys:
                    check.bibkey(item, (), key, line=c.line)


def _check_regimen(check: _Checker, item: _Loaded, seen: dict[str, dict[str, _Loaded]]) -> None:
    r: Regimen = item.record
    components = item.fm.data.get("components")
    for i, d in enumerate(components if isinstance(components, list) else []):
        check.ref(item, ("components", i), "drugs", d)
    trials = item.fm.data.get("trials")
    for i, t in enumerate(trials if isinstance(trials, list) else []):
        if check.ref(item, ("trials", i), "trials", t) and t in seen["trials"]:  # not a file that did not load
            trial = seen["trials"][t].record
            arms_known = all(a in check.known["regimens"] for a in trial.arm_regimens)
            if r.id and r.id not in trial.arm_regimens and arms_known:
                check.err(item, ("trials", i), f"the trial '{t}' has no arm with this regimen: add "
                          f"'- regimen: {r.id}' under 'arms' in content/trials/{t}.md, or remove '{t}' here")


def _check_trial(check: _Checker, item: _Loaded, seen: dict[str, dict[str, _Loaded]],
                 registries: dict[str, _Loaded]) -> None:
    t: Trial = item.record
    data = item.fm.data
    arms = data.get("arms") if isinstance(data.get("arms"), list) else []
    for i, arm in enumerate(arms):
        rid = arm.get("regimen") if isinstance(arm, dict) else None
        if check.ref(item, ("arms", i, "regimen"), "regimens", rid) and rid in seen["regimens"]:
            regimen = seen["regimens"][rid].record
            if t.id and t.id not in regimen.trials and item.path.stem not in regimen.trials:
                check.err(item, ("arms", i, "regimen"), f"the regimen '{rid}' does not list this trial: add "
                          f"'{t.id}' to 'trials' in content/regimens/{rid}.md")
    for i, reg in enumerate(t.registry):
        if not REGISTRY.fullmatch(reg):
            continue
        other = registries.get(reg)
        if other is not None and other is not item and other.record.id != t.id:
            check.err(item, ("registry", i), f"the registry number {reg} is also given by "
                      f"{check.report._rel(other.path)}: one trial, one record")
        registries.setdefault(reg, item)
    seq = data.get("sequence")
    steps = seq.get("steps") if isinstance(seq, dict) and isinstance(seq.get("steps"), list) else []
    for i, step in enumerate(steps):
        treatments = step.get("treatments") if isinstance(step, dict) else None
        for j, d in enumerate(treatments if isinstance(treatments, list) else []):
            check.ref(item, ("sequence", "steps", i, "treatments", j), "drugs", d)
    for i, e in enumerate(data.get("endpoints") if isinstance(data.get("endpoints"), list) else []):
        if isinstance(e, dict):
            _check_endpoint(check, item, i, e, t)
    for i, s in enumerate(data.get("status") if isinstance(data.get("status"), list) else []):
        if isinstance(s, dict):
            check.review(item, ("status", i, "review"), s.get("review"))
    for i, c in enumerate(data.get("review_claims") if isinstance(data.get("review_claims"), list) else []):
        if isinstance(c, dict):
            check.review(item, ("review_claims", i, "review"), c.get("review"))
            check.bibkey(item, ("review_claims", i, "source"), c.get("source"))
    refs = data.get("refs")
    for i, key in enumerate(refs if isinstance(refs, list) else []):
        check.bibkey(item, ("refs", i), key)


def _check_endpoint(check: _Checker, item: _Loaded, i: int, e: dict[str, Any], t: Trial) -> None:
    at = ("endpoints", i)
    name = f"endpoints[{i + 1}]"
    check.bibkey(item, at + ("source",), e.get("source"))
    arm = e.get("arm")
    arms_known = all(a in check.known["regimens"] for a in t.arm_regimens)
    if isinstance(arm, str) and check.ref(item, at + ("arm",), "regimens", arm) and arm not in t.arm_regimens \
            and arms_known:
        arms = ", ".join(t.arm_regimens) or "none"
        check.err(item, at + ("arm",), f"the arm '{arm}' of {name} is not one of this trial's arms ({arms}): "
                  "add it under 'arms' or correct 'arm'")
    review, quote = e.get("review"), e.get("quote")
    check.review(item, at + ("review",), review)
    if review is not None and not quote:
        check.err(item, at + ("review",), f"{name} gives 'review: {review}' but no 'quote': copy the words of the "
                  "review that give the figure into 'quote'")
    if quote and not e.get("quote_en"):
        check.err(item, at + ("quote",), f"{name} has a 'quote' but no 'quote_en': add our English rendering of the "
                  "review's words (English pages show it beside the Chinese)")
    if quote and review is None:
        check.err(item, at + ("quote",), f"{name} has a 'quote' but no 'review': say which review "
                  f"({' or '.join(sorted(check.review_ids))}) the quote comes from")
    value = e.get("value")
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if numeric and isinstance(quote, str) and quote and not number_in(quote, value):
        check.err(item, at + ("quote",), f"the value {format_number(value)} of {name} does not appear in its quote "
                  f"'{quote}': the quote must contain the figure as the review prints it")
    measure, unit = e.get("measure"), e.get("unit")
    if measure == "HR" and not e.get("comparison"):
        check.err(item, at + ("measure",), f"{name} is a hazard ratio without 'comparison': say what it compares, "
                  "as the paper does, e.g. 'comparison: {zh: 对比索拉非尼, en: vs sorafenib}'")
    if measure in MEASURES and unit in UNITS and unit not in MEASURES[measure]["units"]:
        allowed = " or ".join(f"'{u}'" for u in MEASURES[measure]["units"])
        check.err(item, at + ("unit",), f"the unit of {name} ({measure}) must be {allowed}, not '{unit}'")
    status = e.get("status")
    if isinstance(status, dict):
        _check_status(check, item, i, e, status)
    source = e.get("source")
    kind = status.get("kind", "as-published") if isinstance(status, dict) else "as-published"
    if kind == "as-published" and (status is None or isinstance(status, dict)) and isinstance(source, str) \
            and check.placeholder(source):
        where = at + (("status", "kind") if isinstance(status, dict) and "kind" in status else ("source",))
        check.err(item, where, f"{name} cites '{source}', a reference of the review that could not be identified, "
                  "so it cannot be 'as-published' (nothing was verified against it): write 'status:' and, "
                  "indented under it, 'kind: unverified', with a 'note' (zh: ... / en: ...) saying that the "
                  "review's reference is not identified")
    ci = e.get("ci")
    if ci is not None:
        nums = isinstance(ci, list) and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in ci)
        if nums and not all(math.isfinite(x) for x in ci):
            pass  # '.nan' is reported by the schema: an interval check would only follow from it
        elif not nums or len(ci) != 2:
            check.err(item, at + ("ci",), f"'{name}.ci' must be two numbers, the lower and the upper limit of the "
                      "95% confidence interval, e.g. [4.7, 19.4]")
        elif ci[0] > ci[1]:
            check.err(item, at + ("ci",), f"'{name}.ci' is [{format_number(ci[0])}, {format_number(ci[1])}]: "
                      "write the lower limit first")
        elif numeric and not ci[0] <= value <= ci[1]:
            check.err(item, at + ("ci",), f"the value {format_number(value)} of {name} lies outside its confidence "
                      f"interval [{format_number(ci[0])}, {format_number(ci[1])}]: check both")


def _check_status(check: _Checker, item: _Loaded, i: int, e: dict[str, Any], s: dict[str, Any]) -> None:
    """A figure's ``status``: each kind has the fields it needs and no field of another kind, and every kind but
    'as-published' has the note that the marker of the figure links to."""
    at = ("endpoints", i, "status")
    name = f"endpoints[{i + 1}]"
    kind = s.get("kind", "as-published")
    if kind not in FIGURE_STATUSES:
        return  # reported by the schema
    needs = {"relabelled": "review_as", "cohort": "cohort", "review-differs": "published"}
    examples = {"review_as": "'review_as: PFS' (the endpoint the review calls it)",
                "cohort": "'cohort:' with 'zh:' and 'en:' lines naming the cohort",
                "published": "'published:' with 'value', 'source' (refs.bib key) and 'seen_in'"}
    field = needs.get(kind)
    if field and s.get(field) in (None, "", {}):
        check.err(item, at + ("kind",), f"{name} has 'status: {kind}' but no '{field}': add {examples[field]}")
    for other, k in ((f, k) for k, f in needs.items() if f != field):
        if s.get(other) is not None:
            check.err(item, at + (other,), f"'{other}' belongs to 'kind: {k}', but {name} has 'kind: {kind}': "
                      f"remove '{other}' or write 'kind: {k}'")
    if kind == "as-published" and s.get("words") is not None:
        check.err(item, at + ("words",), f"{name} has 'words' but 'kind: as-published', which shows no caveat: "
                  "remove 'words' or write the kind whose caveat they word")
    if kind != "as-published" and not e.get("note"):
        check.err(item, at + ("kind",), f"{name} has 'status: {kind}' but no 'note': write the editor's note "
                  "(zh: ... / en: ...) that says what is known about the figure; the figure's marker links to it")
    if kind in ("relabelled", "review-differs") and e.get("review") is None:
        check.err(item, at + ("kind",), f"{name} has 'status: {kind}', which is about what a review says: add "
                  "'review' and 'quote' (the words of the review that give the figure)")
    source, review = e.get("source"), e.get("review")
    if kind == "unverified" and isinstance(review, str) and isinstance(source, str) \
            and source != review_source_key(review) and not check.placeholder(source):
        check.err(item, at + ("kind",), f"{name} has 'status: unverified' (only the review gives it) but cites "
                  f"'{source}' as its source: a figure the publication does not report is the review's own; write "
                  f"'source: {review_source_key(review)}'")
    pub = s.get("published")
    if kind == "review-differs" and isinstance(pub, dict) and isinstance(source, str) and source == pub.get("source"):
        check.err(item, at + ("kind",), f"{name} has 'status: review-differs' but cites '{source}', the publication "
                  "that gives a different value, as the source of the review's figure: cite the review "
                  f"('source: {review_source_key(review) if isinstance(review, str) else '<review>-review'}') or "
                  "the secondary source that gives the review's value")
    review_as = s.get("review_as")
    if kind == "relabelled" and isinstance(review_as, str) and review_as == e.get("measure"):
        check.err(item, at + ("review_as",), f"'review_as: {review_as}' is the figure's own measure: write the "
                  "endpoint the review gives it as, or use 'kind: as-published'")
    pub = s.get("published")
    if isinstance(pub, dict):
        check.bibkey(item, at + ("published", "source"), pub.get("source"))
        value, own = pub.get("value"), e.get("value")
        numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (value, own))
        if numeric and float(value) == float(own):
            check.err(item, at + ("published", "value"), f"the published value of {name} is the figure's own "
                      f"value {format_number(own)}: use 'kind: as-published'")
