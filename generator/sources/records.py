"""Structured records: drugs, regimens and trials, as typed models, with their vocabularies and measures.

Flow: ``content/{drugs,regimens,trials}/*.md`` -> front-matter (frontmatter) -> one schema check
(schema, the validation schema derived from the dataclasses below) -> cross-checks between the
records, the bibliography and the reviews -> models: generator/sources/recordload.py. Where the reviews
name a record: generator/sources/mentions.py. Nothing here knows about HTML.

The dataclasses are the single declaration of the record format: the validation schema
(:func:`front_matter_schema`) and the published JSON Schema (generator/site/opendata.py) are both generated from
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
from typing import Any

from .. import i18n
from .bilingual import Body
from .citations import scan
from .sanitize import plain_text_problem
from .schema import BI, Field


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
    randomised=("随机对照", "Randomized"), non_randomised=("非随机", "Non-randomized"),
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
         "patients": {"zh": "例", "en": "patients"}, "ratio": {"zh": "", "en": ""}}
CRITERIA = ("RECIST 1.1", "mRECIST")
QUALIFIERS = (">", "≥", "<", "≤")
# a p-value as the paper prints it, in quotes: '0.0009', '<0.001', 'P=0.04'
P_VALUE = re.compile(r"(?:[Pp]\s*)?(?:[<>≤≥=]\s*)?(?:0?\.\d+|1(?:\.0+)?|0|\d(?:\.\d+)?\s*[×x]\s*10\^?-\d+)")
P_HINT = "write the p-value as the paper prints it, in quotes: '0.0009', '<0.001' or '=0.04'"
# What is known about a figure against its primary publication (Endpoint.status.kind)
FIGURE_STATUSES = ("as-published", "relabelled", "cohort", "review-differs", "unverified", "not-significant")


def review_source_key(review_id: str) -> str:
    """The refs.bib key of a review itself ('ici-hcc-review'): the source of a figure only that review gives."""
    return f"{review_id}-review"

# Where a published value was seen (the kinds of source of primary-trial-facts.md: [V] publication, [V2] the rest)
SEEN_IN = ("publication", "repost", "review-article", "news", "press-release")

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
    "HR": {"short": ("HR", "HR"), "long": ("风险比", "Hazard ratio"), "units": ("ratio",)},
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


def positive_count(value: Any) -> str | None:
    """A number of patients is a positive whole number (the type itself is checked by the schema)."""
    if isinstance(value, int) and not isinstance(value, bool) and value <= 0:
        return (f"a count of patients must be a positive whole number, not {value} (leave the field out when the "
                "source gives no count)")
    return None


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
class Name:
    """A drug's or regimen's name: the English (or INN) and the Chinese display name. A drug with no Chinese name
    in the sources and no standard Chinese INN writes ``zh: null`` and says why in ``zh_name_reason``; its
    English name is then shown on Chinese pages (an explicit fallback, checked by recordload.check_zh_name)."""
    zh: str | None = meta(help="the Chinese name as the sources write it or the standard Chinese INN; "
                               "'zh: null' with 'zh_name_reason' when there is none")
    en: str = meta(required=True)

    def __getitem__(self, lang: str) -> str:
        return self.zh if lang == "zh" and self.zh else self.en


ZH_NAME_REASON_HELP = ("why the record has no Chinese display name (its English name or INN is shown on Chinese "
                       "pages), e.g. 'no standard Chinese INN in the sources'")


def has_han(text: str) -> bool:
    """Whether a text has a Chinese (Han) character."""
    return re.search(r"[\u3400-\u9fff]", text or "") is not None


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
    name: Name | None = meta(required=True, help="the name in both languages (zh: ... / en: ...)")
    zh_name_reason: str | None = meta(help=ZH_NAME_REASON_HELP)
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
    name: Name | None = meta(required=True, help="the name in both languages (zh: ... / en: ...)")
    zh_name_reason: str | None = meta(help=ZH_NAME_REASON_HELP)
    labels: list[str] = meta(factory=list)
    components: list[str] = meta(factory=list, required=True, help="the drug and procedure ids, e.g. [tace, lenvatinib]")
    category: str | None = meta(required=True, choices=tuple(CATEGORIES))
    settings: list[str] = meta(factory=list, choices=tuple(SETTINGS))
    setting_caveat: Bi | None = meta(help="what a clinician must know about one of the settings (e.g. a withdrawn "
                                          "approval), in both languages (zh: ... / en: ...), with its source's "
                                          "standing: shown beside the settings on the regimen page and as a "
                                          "footnote of the handout")
    trials: list[str] = meta(factory=list)
    notes: list[Bi] = meta(factory=list, body=True)
    path: Path | None = meta(internal=True)


@dataclass
class Arm:
    regimen: str = meta(required=True, help="the regimen id of the arm")
    n: int | None = meta(check=positive_count)


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
    caveat: Bi | None = meta(help="what is known about the sequence against the primary publication, e.g. that "
                                  "it is as the review states and not verified (shown with it and on its timeline)")

    def __getitem__(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass
class Published:
    """The value the primary publication gives where the review's figure differs from it."""
    value: float = meta(required=True, help="the value as the primary publication gives it")
    label: Bi | None = meta()
    source: str = meta(required=True, help="the refs.bib key of the publication that gives the published value")
    seen_in: str = meta(required=True, choices=SEEN_IN,
                        help="where the value was seen: publication (the paper, its abstract or a verbatim mirror), "
                             "repost, review-article, news or press-release")


@dataclass
class FigureStatus:
    """What is known about a figure against its primary publication: as published (the default), given by the
    review under another endpoint (relabelled, with review_as), the result of one cohort only (cohort), a review
    value that the primary publication contradicts (review-differs, with published), not verified, or a
    published figure whose comparison is not statistically significant (not-significant: the note says so, and
    the figure is never shown without that caveat)."""
    kind: str = meta(default="as-published", choices=FIGURE_STATUSES)
    review_as: str | None = meta(choices=tuple(MEASURES), help="the endpoint the review gives the figure as, e.g. PFS")
    cohort: Bi | None = meta()
    published: Published | None = meta()
    words: Bi | None = meta(help="the caveat's own short words, where the generic words of its kind would mislead "
                                 "(shown in the figure's marker and footnotes instead of them), e.g. "
                                 "'words: {zh: 非劣效，而非优效, en: non-inferior, not superior}'")

    @property
    def caveat(self) -> bool:
        return self.kind != "as-published"


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
    comparison: Bi | None = meta(help="what a hazard ratio compares, in both languages, e.g. zh: 对比索拉非尼 / "
                                      "en: vs sorafenib")
    p: str | None = meta(pattern=P_VALUE, hint=P_HINT, help="the p-value as the paper prints it, in quotes")
    setting: str | None = meta(choices=tuple(SETTINGS), help="the line of therapy or setting this figure belongs to "
                               "when the trial reports several, e.g. second-line (a figure of one cohort only: "
                               "'status: {kind: cohort, cohort: {zh: …, en: …}}')")
    source: str = meta(required=True, help="the refs.bib key of the publication the figure comes from")
    review: str | None = meta()
    quote: str | None = meta(help="the review's words that give the figure, copied exactly from the review")
    quote_en: str | None = meta(help="our English rendering of the quote (shown beside it on English pages)")
    note: Bi | None = meta()
    status: FigureStatus = meta(factory=FigureStatus,
                                help="write 'status:' and, indented under it, 'kind: relabelled' (or cohort, "
                                     "review-differs, unverified) with the fields that kind needs")


@dataclass
class Status:
    zh: str = meta(required=True)
    en: str = meta(required=True)
    review: str | None = meta()

    def __getitem__(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass
class ReviewClaim:
    """A statement of a review about a trial that the primary publication contradicts, beside what the
    publication reports: shown side by side on the trial's page. It is not a result of the trial (a review's
    claim is never stored as an endpoint)."""
    review: str = meta(required=True, help="the id of the review that makes the claim, e.g. ici-hcc")
    section: str | None = meta(help="the section of the review, as it numbers it, e.g. '2.1'")
    quote: str = meta(required=True, help="the review's words, copied exactly from the review")
    quote_en: str = meta(required=True, help="our English translation of the quote")
    published: Bi | None = meta(required=True, help="what the primary publication reports (zh: ... / en: ...)")
    source: str = meta(required=True, help="the refs.bib key of the publication that reports it")
    seen_in: str | None = meta(choices=SEEN_IN)


@dataclass
class Trial:
    id: str = meta(required=True, pattern=ID, hint=ID_HINT)
    name: str = meta(required=True, help="the trial's acronym or a short name, e.g. IMbrave150")
    zh_name: str | None = meta(help="the name shown on Chinese pages: the trial's standard name as it is "
                                    "(IMbrave150), or our Chinese rendering of a descriptive name; 'zh_name: null' "
                                    "with 'zh_name_reason' when there is none")
    zh_name_reason: str | None = meta(help=ZH_NAME_REASON_HELP)
    aliases: list[str] = meta(factory=list)
    registry: list[str] = meta(factory=list, pattern=REGISTRY, hint=REGISTRY_HINT)
    phase: str | None = meta(pattern=PHASE, hint=PHASE_HINT)
    design: str | None = meta(choices=tuple(DESIGNS))
    settings: list[str] = meta(factory=list, choices=tuple(SETTINGS))
    population: Bi | None = meta()
    patients: int | None = meta(check=positive_count)
    arms: list[Arm] = meta(factory=list)
    sequence: Sequence | None = meta()
    endpoints: list[Endpoint] = meta(factory=list)
    status: list[Status] = meta(factory=list)
    review_claims: list[ReviewClaim] = meta(factory=list)
    refs: list[str] = meta(factory=list)
    notes: list[Bi] = meta(factory=list, body=True)
    path: Path | None = meta(internal=True)

    def display_name(self, lang: str) -> str:
        """The name a reader of that language sees: the Chinese display name on Chinese pages (the English name
        only where the record says it has none)."""
        return self.zh_name if lang == "zh" and self.zh_name else self.name

    @property
    def arm_regimens(self) -> list[str]:
        return [a.regimen for a in self.arms]


@dataclass
class Records:
    trials: dict[str, Trial] = field(default_factory=dict)
    regimens: dict[str, Regimen] = field(default_factory=dict)
    drugs: dict[str, Drug] = field(default_factory=dict)
    bodies: dict[tuple[str, str], Body] = field(default_factory=dict)  # (kind, id) -> notes body
    # records whose file exists but has errors (reported there): kind -> ids; a table naming one is not
    # told the record is unknown, and the reference keys written in them are not "never cited"
    unloaded: dict[str, set[str]] = field(default_factory=dict)
    unloaded_keys: set[str] = field(default_factory=set)

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
            keys += [e.status.published.source for e in record.endpoints if e.status.published is not None]
            keys += [c.source for c in record.review_claims]
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
# What each chart shows, in the order it shows it (generator/site/charts.py draws it; a review numbers its sources in this order)
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
    """Median PFS, then OS, in months: (measure, [(trial, figure)...]) for each measure that has figures.

    A figure is drawn under the endpoint it *is* (its ``measure``), never under the one a review gives it as
    (``status.review_as``): a TTP or an OS that a review calls PFS stays off the PFS axis."""
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
    # text is plain text (what has a pattern or a list of values is checked by them)
    text = None if kw["choices"] or kw["pattern"] else plain_text_problem
    if tp is Bi:
        return Field(BI, text_check=plain_text_problem, **kw)
    if dataclasses.is_dataclass(tp):
        return Field(front_matter_schema(tp), **kw)
    if typing.get_origin(tp) is list:
        (item,) = typing.get_args(tp)
        if dataclasses.is_dataclass(item):
            return Field([_field_spec(item, {})], **kw)
        return Field([item], check=text if item is str else None, **kw)
    return Field(tp, check=text if tp is str else md.get("check"), **kw)


def front_matter_schema(cls: type) -> dict[str, Field]:
    return {key: _field_spec(tp, f.metadata) for key, f, tp in data_fields(cls) if not f.metadata.get("body")}


# ---------------------------------------------------------------------------------------------------------------
# Numbers as the sources write them
# ---------------------------------------------------------------------------------------------------------------


def format_number(value: float) -> str:
    """46 -> '46', 7.4 -> '7.4', 46.0 -> '46'; a number read from a record keeps its digits: 13.0 -> '13.0'."""
    written = getattr(value, "text", None)
    if written:
        return written
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return repr(value) if isinstance(value, float) else str(value)


def p_text(p: str) -> str:
    """A p-value as written, shown alike everywhere: '<0.001' -> 'P < 0.001'; '0.0009' -> 'P = 0.0009'."""
    value = p.strip().lstrip("Pp").strip()
    sign = value[0] if value[:1] in ("<", ">", "≤", "≥", "=") else "="
    return f"P {sign} {value.lstrip('<>≤≥=').strip()}"


def with_details(text: str, e: Endpoint, lang: str, ci_label: str | None) -> str:
    """The figure's text followed by what qualifies it, in brackets: its 95% CI (after ``ci_label``; None leaves
    the interval and the criteria out), response criteria, line of therapy, P value and comparison. One order and
    one punctuation for the site's tables and pages and the PDF handout."""
    extra = []
    if ci_label is not None and len(e.ci) == 2:
        extra.append(f"{ci_label}{format_number(e.ci[0])}–{format_number(e.ci[1])}")
    if ci_label is not None and e.criteria:
        extra.append(e.criteria)
    if e.setting in SETTINGS:
        extra.append(SETTINGS[e.setting][lang])
    if e.p:
        extra.append(p_text(e.p))
    if e.comparison:
        extra.append(e.comparison[lang])
    if extra:
        text += f"（{'；'.join(extra)}）" if lang == "zh" else f" ({'; '.join(extra)})"
    return text


# ---------------------------------------------------------------------------------------------------------------
# A figure's status in words (the site's markers and captions, the PDFs' footnotes, all say the same)
# ---------------------------------------------------------------------------------------------------------------


def published_words(e: Endpoint, lang: str) -> str:
    """The primary publication's value of a 'review-differs' figure, with its label: '64%（剂量扩展阶段…）'."""
    p = e.status.published
    if p is None:
        return ""
    number = format_number(p.value)
    text = f"{number}%" if e.unit == "%" else f"{number} {UNITS.get(e.unit, {}).get(lang, e.unit)}"
    if p.label:
        text += f"（{p.label[lang]}）" if lang == "zh" else f" ({p.label[lang]})"
    return text


def status_words(e: Endpoint, lang: str) -> str:
    """The caveat of a figure in a few words, in the page's language; '' for a figure as published."""
    s = e.status
    if s.words and s.caveat:
        return s.words[lang]  # the figure's own words, where the generic ones would mislead (REFLECT)
    if s.kind == "relabelled":
        spec = MEASURES.get(s.review_as or "")
        measure = spec["short"][0 if lang == "zh" else 1] if spec else (s.review_as or "")
        return i18n.t("status_relabelled", lang, measure=measure)
    if s.kind == "cohort":
        return i18n.t("status_cohort", lang, cohort=s.cohort[lang] if s.cohort else "")
    if s.kind == "review-differs":
        return i18n.t("status_review_differs", lang, value=published_words(e, lang))
    if s.kind == "unverified":
        return i18n.t("status_unverified", lang)
    if s.kind == "not-significant":
        return i18n.t("status_not_significant", lang)
    return ""


# ---------------------------------------------------------------------------------------------------------------
# Patient counts carry the caveat of the figure that gives them (issue 18)
# ---------------------------------------------------------------------------------------------------------------


def count_figure(trial: Trial, arm: str | None = None) -> Endpoint | None:
    """The 'patients' figure with a caveat that gives a count the record shows: the trial's ``patients``
    (``arm`` None) or the ``n`` of its arm ``arm``; None when the count is not qualified.

    One rule, used wherever a count is shown (record page, trials index, records tables, PDFs, open data): a
    count that a record's figure qualifies (the review's n = 21 against the publication's 20 assessable
    patients) is never shown without that figure's caveat. A figure gives the trial's count when it has no
    arm or the trial has that arm only; it gives an arm's n when it is of that arm (or of no arm, in a
    single-arm trial)."""
    if arm is None:
        count = trial.patients
    else:
        count = next((a.n for a in trial.arms if a.regimen == arm), None)
    if count is None:
        return None
    single = len(trial.arms) <= 1
    for e in trial.endpoints:
        if e.measure != "patients" or not e.status.caveat or float(e.value) != float(count):
            continue
        if e.arm == arm or (single and (e.arm is None or arm is None)):
            return e
    return None
