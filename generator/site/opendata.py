"""The records as open data files, with JSON Schemas generated from the models.

:func:`data_files` gives ``path -> bytes`` for publishing under the site root:

- ``data/trials.json``, ``data/regimens.json``, ``data/drugs.json``: every record, as written in the
  front-matter (plus its notes), one array per kind, records in id order;
- ``data/trials.csv`` (one row per study) and ``data/endpoints.csv`` (one row per figure, with its status:
  ``status``, ``status_words_*``, ``review_as``, ``cohort_*``, ``published_*``, ``note_*``), UTF-8 with
  a byte-order mark so that spreadsheet programs read the Chinese text right;
- ``data/schema/{trials,regimens,drugs}.schema.json``: JSON Schema (2020-12) of each JSON file,
  derived from the dataclasses of :mod:`generator.sources.records` (their types and front-matter rules).

Output is deterministic: sorted keys, stable order, ``\\n`` line ends.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import typing
from typing import Any

from ..sources.records import Bi, Drug, Records, Regimen, Trial, count_figure, data_fields, format_number

KINDS: dict[str, type] = {"trials": Trial, "regimens": Regimen, "drugs": Drug}
TITLES = {"trials": "Trials and studies", "regimens": "Treatment regimens", "drugs": "Drugs and procedures"}
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


# ---------------------------------------------------------------------------------------------------------------
# JSON Schema from the models
# ---------------------------------------------------------------------------------------------------------------


def _scalar_schema(tp: Any, md: Any) -> dict[str, Any]:
    out: dict[str, Any] = dict({str: {"type": "string"}, int: {"type": "integer"}, float: {"type": "number"},
                                bool: {"type": "boolean"}}[tp])
    if md.get("choices"):
        out["enum"] = list(md["choices"])
    if md.get("pattern") is not None:
        out["pattern"] = f"^(?:{md['pattern'].pattern})$"
    return out


def _type_schema(tp: Any, md: Any, defs: dict[str, Any]) -> dict[str, Any]:
    if dataclasses.is_dataclass(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # placeholder against recursion
            props, required = {}, []
            for key, f, ftp in data_fields(tp):
                props[key] = _type_schema(ftp, f.metadata, defs)
                if f.metadata.get("help"):
                    props[key]["description"] = f.metadata["help"]
                if f.metadata.get("required"):
                    required.append(key)
            defs[name] = {"type": "object", "properties": props, "required": required, "additionalProperties": False}
            if tp.__doc__ and not tp.__doc__.startswith(f"{name}("):
                defs[name]["description"] = " ".join(tp.__doc__.split())
        return {"$ref": f"#/$defs/{name}"}
    if typing.get_origin(tp) is list:
        (item,) = typing.get_args(tp)
        if dataclasses.is_dataclass(item):
            return {"type": "array", "items": _type_schema(item, {}, defs)}
        out = {"type": "array", "items": _scalar_schema(item, md)}
        if md.get("size"):
            out["minItems"] = out["maxItems"] = md["size"]
        return out
    return _scalar_schema(tp, md)


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of ``data/{kind}.json``: an array of records."""
    defs: dict[str, Any] = {}
    item = _type_schema(KINDS[kind], {}, defs)
    schema = {"$schema": SCHEMA_DIALECT, "$id": f"{kind}.schema.json", "title": TITLES[kind], "type": "array",
              "items": item, "$defs": dict(sorted(defs.items()))}
    return _count_status_schema(schema) if kind == "trials" else schema


# ---------------------------------------------------------------------------------------------------------------
# Records as plain data
# ---------------------------------------------------------------------------------------------------------------


def to_data(obj: Any) -> Any:
    """A model as JSON-ready data: front-matter names, no empty optional fields, no file paths."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out: dict[str, Any] = {}
        for key, f, _ in data_fields(type(obj)):
            value = getattr(obj, f.name)
            if value is None or (value == [] and not f.metadata.get("required")):
                continue
            out[key] = to_data(value)
        return out
    if isinstance(obj, list):
        return [to_data(v) for v in obj]
    return obj


def records_data(records: Records, kind: str) -> list[dict[str, Any]]:
    items = getattr(records, kind)
    out = [to_data(items[rid]) for rid in sorted(items)]
    if kind == "trials":
        for data in out:
            _count_statuses(items[data["id"]], data)
    return out


COUNT_STATUS_HELP = ("the status of the figure that qualifies this count (records.count_figure): the count is "
                     "not shown without it")


def _count_statuses(trial: Trial, data: dict[str, Any]) -> None:
    """A patient count that a figure of the record qualifies carries that figure's status (issue 18): the
    trial's as ``patients_status``, an arm's as ``n_status``."""
    e = count_figure(trial)
    if e is not None:
        data["patients_status"] = to_data(e.status)
    for arm, arm_data in zip(trial.arms, data.get("arms", [])):
        e = count_figure(trial, arm.regimen)
        if e is not None:
            arm_data["n_status"] = to_data(e.status)


def _count_status_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The trials schema with the derived count statuses (``patients_status``, ``arms[].n_status``)."""
    ref = {"$ref": "#/$defs/FigureStatus", "description": COUNT_STATUS_HELP}
    schema["$defs"]["Trial"]["properties"]["patients_status"] = dict(ref)
    schema["$defs"]["Arm"]["properties"]["n_status"] = dict(ref)
    return schema


def _json(data: Any) -> bytes:
    # allow_nan=False: NaN and Infinity are not JSON (validation refuses them in the front-matter, schema.py)
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False) + "\n").encode("utf-8")


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_cell(value: Any) -> Any:
    """A cell that a spreadsheet opens as data: text starting with = + - @ tab or carriage return would be read
    as a formula ('=HYPERLINK(...)'), so it gets a leading apostrophe (OWASP's rule); numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow([csv_cell(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _bi(value: Bi | None, lang: str) -> str:
    return value[lang] if value is not None else ""


def trials_csv(records: Records) -> bytes:
    header = ["id", "name", "name_zh", "aliases", "registry", "phase", "design", "settings", "population_zh", "population_en",
              "patients", "arms", "refs",
              # a count that a figure of the record qualifies (records.count_figure): that figure's status
              "patients_status", "patients_published_value", "patients_published_source", "patients_note_en"]
    rows = []
    for rid in sorted(records.trials):
        t = records.trials[rid]
        arms = "; ".join(a.regimen + _arm_n(t, a.regimen, a.n) for a in t.arms)
        e = count_figure(t)
        p = e.status.published if e is not None else None
        rows.append([t.id, t.name, t.zh_name, "; ".join(t.aliases), "; ".join(t.registry), t.phase, t.design,
                     "; ".join(t.settings), _bi(t.population, "zh"), _bi(t.population, "en"), t.patients, arms,
                     "; ".join(t.refs),
                     e.status.kind if e is not None else "", format_number(p.value) if p else "",
                     p.source if p else "", _bi(e.note, "en") if e is not None else ""])
    return _csv(header, rows)


def _arm_n(trial: Trial, regimen: str, n: int | None) -> str:
    """' (n=21)', or ' (n=21, status: review-differs)' when a figure of the record qualifies the count."""
    if n is None:
        return ""
    e = count_figure(trial, regimen)
    return f" (n={n}, status: {e.status.kind})" if e is not None else f" (n={n})"


def endpoints_csv(records: Records) -> bytes:
    header = ["trial", "measure", "label_zh", "label_en", "qualifier", "value", "unit", "ci_low", "ci_high", "arm",
              "criteria", "source", "review", "quote", "quote_en",
              # the figure's status (what is known about it against the primary publication) and its note
              "status", "status_words_zh", "status_words_en", "review_as", "cohort_zh", "cohort_en", "published_value",
              "published_source", "published_seen_in", "note_zh", "note_en",
              # what the paper says besides the figure: a ratio's comparison, the p-value, the line of therapy
              "comparison_zh", "comparison_en", "p", "setting"]
    rows = []
    for rid in sorted(records.trials):
        for e in records.trials[rid].endpoints:
            ci = [format_number(c) for c in e.ci] if len(e.ci) == 2 else ["", ""]
            s, p = e.status, e.status.published
            rows.append([rid, e.measure, _bi(e.label, "zh"), _bi(e.label, "en"), e.qualifier, format_number(e.value),
                         e.unit, ci[0], ci[1], e.arm, e.criteria, e.source, e.review, e.quote, e.quote_en,
                         s.kind, _bi(s.words, "zh"), _bi(s.words, "en"), s.review_as, _bi(s.cohort, "zh"), _bi(s.cohort, "en"),
                         format_number(p.value) if p else "", p.source if p else "", p.seen_in if p else "",
                         _bi(e.note, "zh"), _bi(e.note, "en"),
                         _bi(e.comparison, "zh"), _bi(e.comparison, "en"), e.p, e.setting])
    return _csv(header, rows)


def data_files(records: Records) -> dict[str, bytes]:
    """Every open data file, path (under the site root) -> content."""
    out: dict[str, bytes] = {}
    for kind in KINDS:
        out[f"data/{kind}.json"] = _json(records_data(records, kind))
        out[f"data/schema/{kind}.schema.json"] = _json(json_schema(kind))
    out["data/trials.csv"] = trials_csv(records)
    out["data/endpoints.csv"] = endpoints_csv(records)
    return dict(sorted(out.items()))
