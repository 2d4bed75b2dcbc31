"""The ``records`` table directive: finding it in a section, checking it, its rows and its citations.

A section block may contain a fenced block::

    ```records
    type: trials                     # trials | regimens
    ids: [imbrave150, himalaya]      # or  filter: {setting: first-line, drug: lenvatinib}
    columns: [name, phase, arms, ORR, PFS, refs]
    caption: {zh: ..., en: ...}      # optional
    ```

or, instead of ``columns``, ``chart: response`` (bars of ORR / DCR / CR), ``chart: forest`` (median PFS / OS
with their 95% CIs) or ``chart: sequence`` (a timeline of each trial whose order of treatments is described):
the picked trials drawn as an SVG chart (generator.site.charts) whose caption cites the sources of its figures.

The YAML is safe-loaded and checked when the project loads (:meth:`RecordTables.check_project`,
problems at the file line of the block). Every figure of a table is followed by its citation as a
``[@key]`` marker, so the citation machinery numbers and links it like a citation in the prose;
:meth:`RecordTables.citation_text` gives the same markers, in the same order, for the numbering of the
review. A chart is numbered the same way: its caption holds one citation of all its sources, and the
reference numbers drawn in the SVG are the review's. Drawing the tables and charts in a page is
generator.site.tables' work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml
from markupsafe import Markup

from ..diagnostics import Report, suggest
from .bilingual import LANGS
from .frontmatter import SAFE_LOADER, parse_yaml
from .records import CATEGORIES, CHART_KINDS, DESIGNS, MEASURES, PHASE, SETTINGS, Endpoint, Records, Trial, chart_sources
from .schema import BI, Field, listof, validate

def phase_key(phase: str | None) -> str:
    """A phase as a filter value: 'Ib/II' -> '1b/2'."""
    if not phase:
        return ""
    roman = {"IV": "4", "III": "3", "II": "2", "I": "1"}
    parts = []
    for part in phase.split("/"):
        m = re.fullmatch(r"(IV|I{1,3})([ab]?)", part)
        parts.append(roman[m.group(1)] + m.group(2) if m else part)
    return "/".join(parts)



def cite(keys: list[str]) -> Markup:
    """The citation marker of some keys, for the citation machinery to number: '[@a; @b]'."""
    return Markup("[{}]").format(Markup("; ").join(Markup("@{}").format(k) for k in keys)) if keys else Markup("")


# ---------------------------------------------------------------------------------------------------------------
# The directive: finding, checking
# ---------------------------------------------------------------------------------------------------------------

OPEN = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})\s*records\s*$")

TRIAL_COLUMNS = ("name", "registry", "phase", "design", "settings", "population", "arms", "patients", "sequence",
                 "status", "refs")
REGIMEN_COLUMNS = ("name", "labels", "components", "category", "settings", "trials")
DEFAULT_COLUMNS = {
    "trials": ["name", "phase", "design", "settings", "arms", "patients", "ORR", "DCR", "CR", "PFS", "OS", "refs"],
    "regimens": ["name", "components", "category", "settings", "trials"],
}
FILTERS = {"trials": ("setting", "category", "drug", "design", "phase", "regimen"),
           "regimens": ("setting", "category", "drug", "trial")}

SPEC_SCHEMA = {
    "type": Field(str, required=True, choices=("trials", "regimens"), help="trials or regimens"),
    "ids": listof(str),
    "filter": Field(dict),
    "columns": listof(str),
    "caption": Field(BI),
    "chart": Field(str, choices=CHART_KINDS, help=" or ".join(CHART_KINDS)),
}


@dataclass
class Found:
    start: int  # offsets of the whole fenced block in the text
    end: int
    line: int  # 0-based index of the opening fence line in the text
    source: str  # the YAML between the fences


@dataclass
class TableSpec:
    type: str
    ids: list[str] = field(default_factory=list)
    filter: dict[str, list[str]] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)
    caption: dict[str, str] | None = None
    chart: str | None = None  # instead of a table: one of CHART_KINDS


def find(text: str) -> list[Found]:
    """Every ``records`` fenced block of a markdown text."""
    out: list[Found] = []
    lines = text.split("\n")
    offsets, pos = [], 0
    for ln in lines:
        offsets.append(pos)
        pos += len(ln) + 1
    i = 0
    other_fence: str | None = None
    while i < len(lines):
        ln = lines[i]
        m = OPEN.match(ln)
        if other_fence is None and m:
            fence = m.group("fence")
            j = i + 1
            while j < len(lines):
                close = lines[j].strip()
                if close.startswith(fence[0] * len(fence)) and not close.strip(fence[0]):
                    break
                j += 1
            end = offsets[j] + len(lines[j]) if j < len(lines) else len(text)
            out.append(Found(offsets[i], end, i, "\n".join(lines[i + 1:j])))
            i = j + 1
            continue
        fm = re.match(r"^ {0,3}(`{3,}|~{3,})", ln)
        if fm:
            if other_fence is None:
                other_fence = fm.group(1)
            elif ln.strip().startswith(other_fence) and not ln.strip().strip(other_fence[0]):
                other_fence = None
        i += 1
    return out


def is_measure(kind: str, col: str) -> bool:
    """A column of figures (a measure) rather than a field of the record ('patients' is the trial's field)."""
    return col in MEASURES and col not in (TRIAL_COLUMNS if kind == "trials" else REGIMEN_COLUMNS)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _safe_load(source: str) -> Any:
    """Safe-load with libyaml (several times faster); a text it refuses is read again by PyYAML's own parser,
    whose words the error message gives ("expected ',' or ']', but got ':'")."""
    try:
        return yaml.load(source, Loader=SAFE_LOADER)
    except yaml.YAMLError:
        return yaml.safe_load(source)


class RecordTables:
    """The records directive of a project: checks at load time; rows and citation keys for the numbering
    and for the pages (generator.site.tables.TableRenderer draws them)."""

    def __init__(self, records: Records):
        self.records = records
        self._specs: dict[str, TableSpec | None] = {}
        # (review id, reference key) -> the review's number of the reference: set once the citations are numbered
        self.number: Callable[[str, str], int | None] | None = None

    # ---- parsing and checking ---------------------------------------------------------------------------------
    def parse(self, source: str, path: Path, offset: int, report: Report) -> TableSpec | None:
        """Check one directive; ``offset`` is the number of file lines before its YAML."""
        try:
            _safe_load(source)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = offset + (mark.line + 1 if mark else 1)
            problem = (exc.problem or exc.context or "invalid YAML").strip()
            col = mark.column + 1 if mark else 1  # the column YAML gives (its marks count from 0)
            report.error(path, line, f"the records table is not valid YAML: {problem} (check indentation, and "
                         "put text containing ':' or '#' in quotes)", col)
            return None
        fm = parse_yaml(source, path, report, offset=offset)
        if fm is None:
            return None
        if not fm.data:
            report.error(path, offset, "the records table is empty: write at least 'type: trials' or "
                         "'type: regimens'")
            return None
        ok = validate(path, fm, SPEC_SCHEMA, report)
        data = fm.data
        kind = data.get("type")
        if kind not in ("trials", "regimens"):
            return None
        known = self.records.trials if kind == "trials" else self.records.regimens
        word = "trial" if kind == "trials" else "regimen"
        if data.get("ids") and data.get("filter"):
            report.error(path, fm.line("filter"), "give either 'ids' (a list of records) or 'filter', not both")
            ok = False
        for i, rid in enumerate(data.get("ids") or []):
            if isinstance(rid, str) and rid not in known and rid in self.records.unloaded.get(kind, ()):
                ok = False  # its file has errors, reported there: not "unknown" here
                continue
            if isinstance(rid, str) and rid not in known:
                hint = suggest(rid, sorted(known), n=1) or f" (add content/{kind}/{rid}.md, or check the spelling)"
                report.error(path, fm.line("ids", i), f"unknown {word} '{rid}'{hint}")
                ok = False
        if data.get("chart") is not None:
            if kind != "trials":
                report.error(path, fm.line("chart"), "a chart draws the figures of trials: write 'type: trials' and "
                             "pick the trials (a regimen's trials are found with 'filter: {regimen: ...}')")
                ok = False
            if data.get("columns"):
                report.error(path, fm.line("columns"), "a chart has no columns: remove 'columns', or remove 'chart' "
                             "to make a table")
                ok = False
            if data.get("caption"):
                report.error(path, fm.line("caption"), "a chart has its own title ('Response rates across studies', "
                             "...): remove 'caption' and introduce the chart in the text before it")
                ok = False
        fields = TRIAL_COLUMNS if kind == "trials" else REGIMEN_COLUMNS
        allowed = fields + tuple(m for m in MEASURES if m not in fields)
        for i, col in enumerate(data.get("columns") or []):
            if isinstance(col, str) and col not in allowed:
                hint = suggest(col, allowed, n=1)
                report.error(path, fm.line("columns", i), f"unknown column '{col}'{hint}: the columns of a {kind} "
                             f"table are {', '.join(allowed)}")
                ok = False
        filters: dict[str, list[str]] = {}
        flt = data.get("filter")
        if isinstance(flt, dict):
            for name, value in flt.items():
                if name not in FILTERS[kind]:
                    hint = suggest(str(name), FILTERS[kind], n=1)
                    report.error(path, fm.line("filter", name), f"unknown filter '{name}'{hint}: a {kind} table "
                                 f"can be filtered by {', '.join(FILTERS[kind])}")
                    ok = False
                    continue
                values = _as_list(value)
                choices = self._filter_values(name)
                for v in values:
                    if not isinstance(v, str):
                        report.error(path, fm.line("filter", name), f"the filter '{name}' must be a value or a "
                                     f"list of values, not {v!r} (put it in quotes)")
                        ok = False
                    elif choices is not None and v not in choices:
                        hint = suggest(v, sorted(choices), n=1)
                        report.error(path, fm.line("filter", name), f"the filter '{name}' has the unknown value "
                                     f"'{v}'{hint}")
                        ok = False
                    elif name == "phase" and not PHASE.fullmatch(v):
                        report.error(path, fm.line("filter", name), f"the filter 'phase' is '{v}': write the phase "
                                     'in quotes, e.g. "3" or "1b"')
                        ok = False
                filters[name] = [str(v) for v in values]
        if not ok:
            return None
        spec = TableSpec(type=kind, ids=list(data.get("ids") or []), filter=filters,
                         columns=[] if data.get("chart") else list(data.get("columns") or DEFAULT_COLUMNS[kind]),
                         caption=dict(data["caption"]) if data.get("caption") else None, chart=data.get("chart"))
        if not self.rows(spec):
            report.warning(path, offset, f"this records table has no rows: no {word} matches its filter")
        elif spec.chart and not chart_sources(spec.chart, self.rows(spec)):
            what = "describes its order of treatments step by step" if spec.chart == "sequence" else \
                ("gives a response rate in %" if spec.chart == "response" else "gives a median PFS or OS in months")
            report.warning(path, offset, f"this {spec.chart} chart is empty: none of its trials {what}")
        return spec

    def _filter_values(self, name: str) -> set[str] | None:
        return {"setting": set(SETTINGS), "category": set(CATEGORIES), "design": set(DESIGNS),
                "drug": set(self.records.drugs), "regimen": set(self.records.regimens),
                "trial": set(self.records.trials), "phase": None}[name]

    def check_project(self, project: Any, report: Report) -> None:
        """Check every records table of every review; both blocks of a pair must hold the same tables."""
        for review in project.reviews:
            for section in review.pages_in_order:
                for pair in section.body.pairs:
                    sources = {}
                    for lang in LANGS:
                        block = pair.block(lang)
                        if block is None or block.pending or "records" not in block.text:
                            continue
                        found = find(block.text)
                        for f in found:
                            self._specs[f.source] = self.parse(f.source, section.path, block.first_line + f.line,
                                                               report)
                        sources[lang] = [self._normal(f.source) for f in found]
                    if len(sources) == 2 and sources["zh"] != sources["en"]:
                        report.error(section.path, pair.en.line,  # type: ignore[union-attr]
                                     f"the Chinese block (line {pair.zh.line}) and the English block (line "  # type: ignore[union-attr]
                                     f"{pair.en.line}) must contain the same records tables (the same type, ids, "  # type: ignore[union-attr]
                                     "filter, columns and chart)")

    @staticmethod
    def _normal(source: str) -> Any:
        try:
            data = yaml.load(source, Loader=SAFE_LOADER)
        except yaml.YAMLError:
            return source
        if isinstance(data, dict):
            data = {k: v for k, v in data.items() if k != "caption"}
        return data

    def spec_of(self, source: str) -> TableSpec | None:
        if source not in self._specs:
            self._specs[source] = self.parse(source, Path("<table>"), 0, Report())
        return self._specs[source]

    # ---- rows and citations -----------------------------------------------------------------------------------
    def rows(self, spec: TableSpec) -> list[Any]:
        recs = self.records
        if spec.type == "trials":
            items: dict[str, Any] = recs.trials
        else:
            items = recs.regimens
        if spec.ids:
            return [items[i] for i in spec.ids if i in items]
        out = []
        for rid in sorted(items):
            rec = items[rid]
            if all(self._matches(spec.type, rec, name, values) for name, values in spec.filter.items()):
                out.append(rec)
        return out

    def _matches(self, kind: str, rec: Any, name: str, values: list[str]) -> bool:
        recs = self.records
        if kind == "trials":
            have = {"setting": rec.settings, "category": recs.categories_of_trial(rec),
                    "drug": recs.drugs_of_trial(rec), "design": [rec.design],
                    "phase": [phase_key(rec.phase)], "regimen": rec.arm_regimens}[name]
            if name == "phase":
                values = [phase_key(v) for v in values]
        else:
            have = {"setting": rec.settings, "category": [rec.category], "drug": rec.components,
                    "trial": [t.id for t in recs.trials_of(rec.id)]}[name]
        return any(v in have for v in values)

    def figures(self, spec: TableSpec, rec: Any, measure: str) -> list[tuple[Trial, Endpoint]]:
        if spec.type == "trials":
            return [(rec, e) for e in rec.endpoints if e.measure == measure]
        return [(t, e) for t in self.records.trials_of(rec.id) for e in t.endpoints
                if e.measure == measure and e.arm == rec.id]

    def citation_keys(self, spec: TableSpec) -> list[str]:
        """The keys the table cites, one entry per citation marker, in the order of the markers."""
        if spec.chart:
            return chart_sources(spec.chart, self.rows(spec))
        keys: list[str] = []
        for rec in self.rows(spec):
            for col in spec.columns:
                if is_measure(spec.type, col):
                    keys += [e.source for _, e in self.figures(spec, rec, col)]
                elif col == "refs" and spec.type == "trials":
                    keys += rec.refs
        return keys

    def keys(self, text: str) -> list[str]:
        """Every key the records tables of a markdown text cite (for the review's numbering)."""
        out: list[str] = []
        for f in find(text):
            spec = self.spec_of(f.source)
            if spec is not None:
                out += self.citation_keys(spec)
        return out

    def citation_text(self, text: str) -> str:
        """``text`` with each records table replaced by its citation markers, in the order the rendered
        table has them, on as many lines as the table had (line numbers after it stay right)."""
        found = find(text)
        if not found:
            return text
        out, pos = [], 0
        for f in found:
            out.append(text[pos:f.start])
            spec = self.spec_of(f.source)
            markers = self._markers(spec) if spec is not None else ""
            out.append(markers + "\n" * text[f.start:f.end].count("\n"))
            pos = f.end
        out.append(text[pos:])
        return "".join(out)

    def _markers(self, spec: TableSpec) -> str:
        if spec.chart:  # one citation, in the chart's caption
            return str(cite(chart_sources(spec.chart, self.rows(spec))))
        parts: list[str] = []
        for rec in self.rows(spec):
            for col in spec.columns:
                if is_measure(spec.type, col):
                    parts += [str(cite([e.source])) for _, e in self.figures(spec, rec, col)]
                elif col == "refs" and spec.type == "trials" and rec.refs:
                    parts.append(str(cite(rec.refs)))
        return " ".join(parts)


def directive_keys(text: str, records: Records) -> list[str]:
    """The reference keys the records tables of ``text`` cite, in citation order (for the numbering)."""
    return RecordTables(records).keys(text)


__all__ = ["RecordTables", "TableSpec", "directive_keys", "find"]
