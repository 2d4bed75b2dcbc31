"""Structured records: drugs, regimens and trials, as typed models.

Flow: ``content/{drugs,regimens,trials}/*.md`` -> front-matter (frontmatter) -> one schema check
(schema, the validation schema derived from the dataclasses below) -> cross-checks between the
records, the bibliography and the reviews -> models. Everything a contributor gets wrong is reported
at once, each problem at its ``path:line``. Nothing here knows about HTML.

The dataclasses are the single declaration of the record format: the validation schema
(:func:`front_matter_schema`) and the published JSON Schema (``opendata``) are both generated from
them. A field's ``metadata`` says how it is written in the front-matter:

``key``       its name in the front-matter when it differs from the Python name (``class``);
``required``  must be given; ``choices`` / ``pattern`` + ``hint``: allowed values;
``help``      what to write (shown when it is missing);
``body``      comes from the notes body, not the front-matter; ``internal``: not data (file, lines).
"""

from __future__ import annotations

import dataclasses
import functools
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from ..diagnostics import Report, suggest
from .bilingual import LANGS, Body, parse_body
from .citations import scan
from .frontmatter import FrontMatter, read_source
from .names import NameIndex, normal
from .schema import BI, Field, validate


class KnownKeys(Protocol):
    """What the checks need of the bibliography (generator.bib.bibliography.Bibliography, a stage above)."""

    def __contains__(self, key: object) -> bool: ...

    def suggestions(self, key: str) -> list[str]: ...


# ---------------------------------------------------------------------------------------------------------------
# Vocabularies: the allowed values and their names in each language
# ---------------------------------------------------------------------------------------------------------------


def _v(**items: tuple[str, str]) -> dict[str, dict[str, str]]:
    return {k.replace("_", "-"): {"zh": zh, "en": en} for k, (zh, en) in items.items()}


SETTINGS = _v(
    first_line=("一线", "First line"), second_line=("二线", "Second line"), adjuvant=("辅助治疗", "Adjuvant"),
    perioperative=("围手术期", "Perioperative"), intermediate_stage=("中期", "Intermediate stage"),
    advanced=("晚期", "Advanced"), unresectable=("不可切除", "Unresectable"), conversion=("转化治疗", "Conversion"),
    tace_refractory=("TACE 难治", "TACE-refractory"), locally_advanced=("局部晚期", "Locally advanced"),
    recurrent=("复发", "Recurrent"), high_risk=("高危", "High risk"),
)
DESIGNS = _v(
    randomised=("随机对照", "Randomised"), non_randomised=("非随机", "Non-randomised"),
    single_arm=("单臂", "Single-arm"), prospective_cohort=("前瞻性队列", "Prospective cohort"),
    retrospective=("回顾性", "Retrospective"), meta_analysis=("Meta 分析", "Meta-analysis"),
    protocol=("研究方案", "Protocol"), consensus=("共识", "Consensus"), review=("综述", "Review"),
    preclinical=("临床前", "Preclinical"),
)
CATEGORIES = _v(
    ici_mono=("ICI 单药", "ICI monotherapy"), dual_ici=("双免疫联合", "Dual ICI"),
    ici_anti_vegf=("ICI + 抗 VEGF", "ICI + anti-VEGF"), ici_tki=("ICI + TKI", "ICI + TKI"),
    ici_chemo=("ICI + 化疗", "ICI + chemotherapy"), ici_locoregional=("ICI + 局部治疗", "ICI + locoregional"),
    locoregional_tki_ici=("局部治疗 + TKI + ICI", "Locoregional + TKI + ICI"), tki=("TKI 单药", "TKI monotherapy"),
    chemo=("化疗", "Chemotherapy"), locoregional=("局部治疗", "Locoregional"),
    locoregional_tki=("局部治疗 + TKI", "Locoregional + TKI"), comparator=("对照方案", "Comparator"),
)
DRUG_CLASSES = _v(
    pd_1=("PD-1 抑制剂", "PD-1 inhibitor"), pd_l1=("PD-L1 抑制剂", "PD-L1 inhibitor"),
    ctla_4=("CTLA-4 抑制剂", "CTLA-4 inhibitor"), tim_3=("TIM-3 抑制剂", "TIM-3 inhibitor"),
    lag_3=("LAG-3 抑制剂", "LAG-3 inhibitor"), anti_vegf=("抗 VEGF 抗体", "Anti-VEGF antibody"),
    multi_kinase_tki=("多靶点 TKI", "Multi-kinase TKI"), vegfr2_tki=("VEGFR2 TKI", "VEGFR2 TKI"),
    chemotherapy=("化疗药物", "Chemotherapy"), procedure=("局部治疗 / 操作", "Procedure"),
)
UNITS = {"%": {"zh": "%", "en": "%"}, "months": {"zh": "个月", "en": "months"},
         "patients": {"zh": "例", "en": "patients"}}
CRITERIA = ("RECIST 1.1", "mRECIST")
QUALIFIERS = (">", "≥", "<", "≤")

# measure -> names (short for table headers, long for lists), the units it may have, and its kind
MEASURES: dict[str, dict[str, Any]] = {
    "ORR": {"short": ("ORR", "ORR"), "long": ("客观缓解率", "Objective response rate"), "units": ("%",)},
    "DCR": {"short": ("DCR", "DCR"), "long": ("疾病控制率", "Disease control rate"), "units": ("%",)},
    "CR": {"short": ("CR", "CR"), "long": ("完全缓解率", "Complete response rate"), "units": ("%",)},
    "PR": {"short": ("PR", "PR"), "long": ("部分缓解率", "Partial response rate"), "units": ("%",)},
    "PFS": {"short": ("mPFS", "mPFS"), "long": ("中位无进展生存期", "Median progression-free survival"), "units": ("months",)},
    "OS": {"short": ("mOS", "mOS"), "long": ("中位总生存期", "Median overall survival"), "units": ("months",)},
    "RFS": {"short": ("mRFS", "mRFS"), "long": ("中位无复发生存期", "Median recurrence-free survival"), "units": ("months",)},
    "TTP": {"short": ("mTTP", "mTTP"), "long": ("中位疾病进展时间", "Median time to progression"), "units": ("months",)},
    "conversion": {"short": ("转化率", "Conversion"), "long": ("转化切除率", "Conversion rate"), "units": ("%",)},
    "survival-rate": {"short": ("生存率", "Survival"), "long": ("生存率", "Survival rate"), "units": ("%",)},
    "patients": {"short": ("例数", "Patients"), "long": ("患者数", "Number of patients"), "units": ("patients",)},
    "grade-3-4-TRAE": {"short": ("3/4 级 TRAE", "Grade 3–4 TRAE"),
                       "long": ("3/4 级治疗相关不良事件", "Grade 3–4 treatment-related adverse events"),
                       "units": ("%", "patients")},
    "OS-difference": {"short": ("OS 延长", "OS gain"), "long": ("总生存期延长", "Gain in overall survival"),
                      "units": ("months",)},
}
RATE_MEASURES = ("ORR", "DCR", "CR")  # drawn in the response chart
TIME_MEASURES = ("PFS", "OS")  # drawn in the forest chart

ID = re.compile(r"[a-z0-9][a-z0-9-]*")
ID_HINT = "use lowercase letters, digits and '-' only (it becomes part of the web address)"
REGISTRY = re.compile(r"NCT\d{8}")
REGISTRY_HINT = "a registry number is 'NCT' followed by 8 digits, e.g. NCT03006926"
PHASE = re.compile(r"(?:[1-4][ab]?|I{1,3}[ab]?|IV)(?:/(?:[1-4][ab]?|I{1,3}[ab]?|IV))?")
PHASE_HINT = 'write the phase as the source gives it, in quotes: "1", "1b", "1/2", "Ib/II", "2", "2/3" or "3"'

# ---------------------------------------------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------------------------------------------


def meta(**kw: Any) -> Any:
    """A dataclass field with its front-matter rules (see the module docstring)."""
    default = kw.pop("default", None)
    factory = kw.pop("factory", None)
    if factory is not None:
        return field(default_factory=factory, metadata=kw)
    return field(default=default, metadata=kw)


@dataclass
class Bi:
    """A text in both languages."""
    zh: str = meta(required=True)
    en: str = meta(required=True)

    def __getitem__(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass
class Aliases:
    zh: list[str] = meta(factory=list)
    en: list[str] = meta(factory=list)

    def all(self) -> list[str]:
        return [*self.zh, *self.en]


@dataclass
class Drug:
    id: str = meta(required=True, pattern=ID, hint=ID_HINT, help="the drug's INN in lowercase, or a procedure id")
    inn: str | None = meta()
    name: Bi | None = meta(required=True, help="the name in both languages (zh: ... / en: ...)")
    aliases: Aliases = meta(factory=Aliases)
    cls: str | None = meta(key="class", required=True, choices=tuple(DRUG_CLASSES))
    abbr: str | None = meta()
    notes: list[Bi] = meta(factory=list, body=True)
    path: Path | None = meta(internal=True)

    @property
    def is_procedure(self) -> bool:
        return self.cls == "procedure"

    def label(self, lang: str) -> str:
        """'TACE' for a procedure with an abbreviation, else the name."""
        return self.abbr or (self.name[lang] if self.name else self.id)


@dataclass
class Regimen:
    id: str = meta(required=True, pattern=ID, hint=ID_HINT)
    name: Bi | None = meta(required=True, help="the name in both languages (zh: ... / en: ...)")
    labels: list[str] = meta(factory=list)
    components: list[str] = meta(factory=list, required=True, help="the drug and procedure ids, e.g. [tace, lenvatinib]")
    category: str | None = meta(required=True, choices=tuple(CATEGORIES))
    settings: list[str] = meta(factory=list, choices=tuple(SETTINGS))
    trials: list[str] = meta(factory=list)
    notes: list[Bi] = meta(factory=list, body=True)
    path: Path | None = meta(internal=True)


@dataclass
class Arm:
    regimen: str = meta(required=True, help="the regimen id of the arm")
    n: int | None = meta()


@dataclass
class Step:
    """One step of a treatment sequence: what starts, and when (relative to the step before)."""
    treatments: list[str] = meta(factory=list, required=True, help="drug or procedure ids, e.g. [tace]")
    when: Bi | None = meta()


@dataclass
class Sequence:
    zh: str = meta(required=True)
    en: str = meta(required=True)
    steps: list[Step] = meta(factory=list)

    def __getitem__(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass
class Endpoint:
    measure: str = meta(required=True, choices=tuple(MEASURES))
    value: float = meta(required=True)
    unit: str = meta(required=True, choices=tuple(UNITS))
    qualifier: str | None = meta(choices=QUALIFIERS)
    label: Bi | None = meta()
    ci: list[float] = meta(factory=list, size=2, help="the 95% confidence interval: [lower, upper]")
    arm: str | None = meta()
    criteria: str | None = meta(choices=CRITERIA)
    source: str = meta(required=True, help="the refs.bib key of the publication the figure comes from")
    review: str | None = meta()
    quote: str | None = meta()
    note: Bi | None = meta()


@dataclass
class Status:
    zh: str = meta(required=True)
    en: str = meta(required=True)
    review: str | None = meta()

    def __getitem__(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass
class Trial:
    id: str = meta(required=True, pattern=ID, hint=ID_HINT)
    name: str = meta(required=True, help="the trial's acronym or a short name, e.g. IMbrave150")
    aliases: list[str] = meta(factory=list)
    registry: list[str] = meta(factory=list, pattern=REGISTRY, hint=REGISTRY_HINT)
    phase: str | None = meta(pattern=PHASE, hint=PHASE_HINT)
    design: str | None = meta(choices=tuple(DESIGNS))
    settings: list[str] = meta(factory=list, choices=tuple(SETTINGS))
    population: Bi | None = meta()
    patients: int | None = meta()
    arms: list[Arm] = meta(factory=list)
    sequence: Sequence | None = meta()
    endpoints: list[Endpoint] = meta(factory=list)
    status: list[Status] = meta(factory=list)
    refs: list[str] = meta(factory=list)
    notes: list[Bi] = meta(factory=list, body=True)
    path: Path | None = meta(internal=True)

    @property
    def arm_regimens(self) -> list[str]:
        return [a.regimen for a in self.arms]


class Mention(NamedTuple):
    review: Any  # content.Review
    section: Any  # content.Section
    anchor: str


@dataclass
class Records:
    trials: dict[str, Trial] = field(default_factory=dict)
    regimens: dict[str, Regimen] = field(default_factory=dict)
    drugs: dict[str, Drug] = field(default_factory=dict)
    bodies: dict[tuple[str, str], Body] = field(default_factory=dict)  # (kind, id) -> notes body

    def trials_of(self, regimen_id: str) -> list[Trial]:
        """The trials with an arm of this regimen, in id order."""
        return [t for t in self.trials.values() if regimen_id in t.arm_regimens]

    def drugs_of_trial(self, trial: Trial) -> list[str]:
        out: list[str] = []
        for rid in trial.arm_regimens:
            for d in self.regimens[rid].components if rid in self.regimens else []:
                if d not in out:
                    out.append(d)
        return out

    def categories_of_trial(self, trial: Trial) -> list[str]:
        out: list[str] = []
        for rid in trial.arm_regimens:
            r = self.regimens.get(rid)
            if r is not None and r.category and r.category not in out:
                out.append(r.category)
        return out

    def keys_of(self, record: Trial | Regimen | Drug) -> list[str]:
        """Every reference a record cites, in page order: refs, figures' sources, then the notes' citations."""
        keys: list[str] = []
        if isinstance(record, Trial):
            keys += record.refs
            keys += [e.source for e in record.endpoints]
        for note in record.notes:
            for c in scan(note.zh).citations + scan(note.en).citations:
                keys += c.keys
        return list(dict.fromkeys(keys))

    def all_keys(self) -> dict[str, list[str]]:
        """record page id ('trials/x', 'regimens/y', 'drugs/z') -> the keys it cites."""
        out: dict[str, list[str]] = {}
        for kind, items in (("trials", self.trials), ("regimens", self.regimens), ("drugs", self.drugs)):
            for rid, rec in items.items():
                keys = self.keys_of(rec)
                if keys:
                    out[f"{kind}/{rid}"] = keys
        return out


# ---------------------------------------------------------------------------------------------------------------
# What each chart shows, in the order it shows it (charts.py draws it; a review numbers its sources in this order)
# ---------------------------------------------------------------------------------------------------------------

CHART_KINDS = ("response", "forest", "sequence")


@dataclass
class FigureGroup:
    """The response-rate figures of one arm of one study (a group of bars)."""
    trial: Trial
    arm: str
    figures: list[Endpoint]


def response_groups(trials: list[Trial], only_arm: str | None = None) -> list[FigureGroup]:
    """ORR / DCR / CR in % per study arm, in the trials' order, the measures in RATE_MEASURES' order."""
    groups: list[FigureGroup] = []
    for trial in trials:
        by_arm: dict[str, list[Endpoint]] = {}
        for e in trial.endpoints:
            if e.measure in RATE_MEASURES and e.unit == "%" and (only_arm is None or e.arm == only_arm):
                by_arm.setdefault(e.arm or "", []).append(e)
        for arm, figs in by_arm.items():
            figs.sort(key=lambda e: RATE_MEASURES.index(e.measure))
            groups.append(FigureGroup(trial, arm, figs))
    return groups


def survival_sections(trials: list[Trial], only_arm: str | None = None) -> list[tuple[str, list[tuple[Trial, Endpoint]]]]:
    """Median PFS, then OS, in months: (measure, [(trial, figure)...]) for each measure that has figures."""
    out = []
    for m in TIME_MEASURES:
        figs = [(tr, e) for tr in trials for e in tr.endpoints if e.measure == m and e.unit == "months"
                and (only_arm is None or e.arm == only_arm)]
        if figs:
            out.append((m, figs))
    return out


def sequenced(trials: list[Trial]) -> list[Trial]:
    """The trials whose order of treatments is described step by step (one timeline each)."""
    return [t for t in trials if t.sequence is not None and t.sequence.steps]


def chart_sources(kind: str, trials: list[Trial]) -> list[str]:
    """The reference keys of a chart, in the order it shows its figures (a timeline: the trial's references)."""
    if kind == "response":
        keys = [e.source for g in response_groups(trials) for e in g.figures]
    elif kind == "forest":
        keys = [e.source for _, figs in survival_sections(trials) for _, e in figs]
    else:
        keys = [k for t in sequenced(trials) for k in t.refs]
    return list(dict.fromkeys(keys))


# ---------------------------------------------------------------------------------------------------------------
# Front-matter schema, derived from the models
# ---------------------------------------------------------------------------------------------------------------


def _unwrap(tp: Any) -> Any:
    """``X | None`` -> X."""
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else tp
    return tp


@functools.lru_cache(maxsize=None)  # evaluating the annotations is slow, and asked for every record
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def data_fields(cls: type) -> list[tuple[str, dataclasses.Field, Any]]:
    """(front-matter key, dataclass field, type) for every data field of a model (body fields included)."""
    hints = _hints(cls)
    return [(f.metadata.get("key", f.name), f, _unwrap(hints[f.name]))
            for f in dataclasses.fields(cls) if not f.metadata.get("internal")]


def _field_spec(tp: Any, md: Any) -> Field:
    kw = dict(required=bool(md.get("required")), choices=md.get("choices"), pattern=md.get("pattern"),
              pattern_hint=md.get("hint", ""), help=md.get("help", ""))
    if tp is Bi:
        return Field(BI, **kw)
    if dataclasses.is_dataclass(tp):
        return Field(front_matter_schema(tp), **kw)
    if typing.get_origin(tp) is list:
        (item,) = typing.get_args(tp)
        if dataclasses.is_dataclass(item):
            return Field([_field_spec(item, {})], **kw)
        return Field([item], **kw)
    return Field(tp, **kw)


def front_matter_schema(cls: type) -> dict[str, Field]:
    return {key: _field_spec(tp, f.metadata) for key, f, tp in data_fields(cls) if not f.metadata.get("body")}


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


def format_number(value: float) -> str:
    """46 -> '46', 7.4 -> '7.4', 46.0 -> '46'."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return repr(value) if isinstance(value, float) else str(value)


def number_in(text: str, value: float) -> bool:
    """Whether ``value`` is written in ``text`` as a number of its own ('4' is not in '4.64' or '14')."""
    pattern = rf"(?<![\d.]){re.escape(format_number(value))}(?!\d|\.\d)"
    return re.search(pattern, text) is not None


class _Checker:
    def __init__(self, report: Report, bib: KnownKeys | None, review_ids: set[str]):
        self.report = report
        self.bib = bib
        self.review_ids = review_ids
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

    def review(self, item: _Loaded, key: tuple, value: Any) -> None:
        if isinstance(value, str) and value not in self.review_ids:
            hint = suggest(value, sorted(self.review_ids), n=1)
            self.err(item, key, f"unknown review '{value}'{hint}: the reviews are {', '.join(sorted(self.review_ids))}")


def _notes(body: Body) -> list[Bi]:
    return [Bi(zh=p.text("zh"), en=p.text("en")) for p in body.pairs]


def _load_folder(folder: Path, kind: str, cls: type, report: Report) -> list[_Loaded]:
    out: list[_Loaded] = []
    if not folder.is_dir():
        return out
    schema = front_matter_schema(cls)
    for path in sorted(folder.glob("*.md")):
        src = read_source(path, report)
        if src is None:
            continue
        valid = validate(path, src.front, schema, report)
        body = parse_body(src.body, src.body_start, path, report)
        record = build(cls, src.front.data)
        record.path = path
        record.notes = _notes(body)
        out.append(_Loaded(kind, path, src.front, record, valid, body))
    return out


def load_records(content_dir: Path, report: Report, *, bib: KnownKeys | None,
                 review_ids: set[str]) -> Records:
    """Read, validate and cross-check every record; return the valid ones."""
    loaded = {kind: _load_folder(content_dir / kind, kind, cls, report) for kind, cls, _ in KINDS}
    check = _Checker(report, bib, review_ids)

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
        _check_notes(check, item)
    for item in loaded["regimens"]:
        _check_regimen(check, item, seen)
        _check_notes(check, item)
    registries: dict[str, _Loaded] = {}
    for item in loaded["trials"]:
        _check_trial(check, item, seen, registries)
        _check_notes(check, item)

    records = Records()
    for kind, items in loaded.items():
        target = getattr(records, kind)
        for item in sorted(items, key=lambda i: str(i.record.id)):
            if item.valid and item.record.id not in target:
                target[item.record.id] = item.record
                records.bodies[(kind, item.record.id)] = item.body
    return records


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
        if check.ref(item, ("trials", i), "trials", t):
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
        if check.ref(item, ("arms", i, "regimen"), "regimens", rid):
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
    if quote and review is None:
        check.err(item, at + ("quote",), f"{name} has a 'quote' but no 'review': say which review "
                  f"({' or '.join(sorted(check.review_ids))}) the quote comes from")
    value = e.get("value")
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    if numeric and isinstance(quote, str) and quote and not number_in(quote, value):
        check.err(item, at + ("quote",), f"the value {format_number(value)} of {name} does not appear in its quote "
                  f"'{quote}': the quote must contain the figure as the review prints it")
    measure, unit = e.get("measure"), e.get("unit")
    if measure in MEASURES and unit in UNITS and unit not in MEASURES[measure]["units"]:
        allowed = " or ".join(f"'{u}'" for u in MEASURES[measure]["units"])
        check.err(item, at + ("unit",), f"the unit of {name} ({measure}) must be {allowed}, not '{unit}'")
    ci = e.get("ci")
    if ci is not None:
        nums = isinstance(ci, list) and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in ci)
        if not nums or len(ci) != 2:
            check.err(item, at + ("ci",), f"'{name}.ci' must be two numbers, the lower and the upper limit of the "
                      "95% confidence interval, e.g. [4.7, 19.4]")
        elif ci[0] > ci[1]:
            check.err(item, at + ("ci",), f"'{name}.ci' is [{format_number(ci[0])}, {format_number(ci[1])}]: "
                      "write the lower limit first")
        elif numeric and not ci[0] <= value <= ci[1]:
            check.err(item, at + ("ci",), f"the value {format_number(value)} of {name} lies outside its confidence "
                      f"interval [{format_number(ci[0])}, {format_number(ci[1])}]: check both")


# ---------------------------------------------------------------------------------------------------------------
# Mentions: where the reviews talk about a trial or a regimen
# ---------------------------------------------------------------------------------------------------------------



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
            words += [r.name.zh, r.name.en]
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
