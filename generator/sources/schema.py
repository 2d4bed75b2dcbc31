"""One validation path for every front-matter: declared fields, checked all at once.

A schema is a tree of :class:`Field` specs. :func:`validate` walks the data and the
schema together and reports every unknown or misspelt field, missing field, wrong type
and value outside its list, each at the line where it stands. Typed models are built
from data only after it validated, so models never see malformed input.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..diagnostics import Report, suggest
from .frontmatter import FrontMatter

TYPE_WORDS = {
    str: "text", int: "a whole number", float: "a number", bool: "true or false",
    list: "a list", dict: "a set of 'name: value' lines", datetime.date: "a date (YYYY-MM-DD)",
}


@dataclass
class Field:
    kind: Any  # str, int, float, bool, datetime.date, "bi" (zh/en texts), a dict of Fields, or [spec]
    required: bool = False
    choices: tuple[str, ...] | None = None
    pattern: re.Pattern[str] | None = None
    pattern_hint: str = ""
    help: str = ""
    check: Callable[[Any], str | None] | None = None  # returns a problem, or None
    text_check: Callable[[Any], str | None] | None = None  # of each language of a BI field


BI = "bi"  # {zh: text, en: text}


def listof(kind: Any, **kw: Any) -> Field:
    return Field([kind], **kw)


@dataclass
class Validator:
    path: Path
    fm: FrontMatter
    report: Report
    ok: bool = field(default=True)

    def err(self, key: tuple, message: str) -> None:
        self.ok = False
        self.report.error(self.path, self.fm.line(*key), message)

    def run(self, schema: dict[str, Field]) -> bool:
        self._mapping(self.fm.data, schema, ())
        return self.ok

    def _name(self, key: tuple) -> str:
        out = ""
        for k in key:
            out += f"[{k + 1}]" if isinstance(k, int) else (f".{k}" if out else str(k))
        return out or "front-matter"

    def _mapping(self, data: Any, schema: dict[str, Field], key: tuple) -> None:
        if not isinstance(data, dict):
            self.err(key, f"'{self._name(key)}' must be {TYPE_WORDS[dict]}")
            return
        meant: set[str] = set()  # the fields an unknown one was probably meant to be
        for name, value in data.items():
            if not isinstance(name, str) or name not in schema:
                close = suggest(str(name), schema)
                meant.update(close[len(" (did you mean "):-len("?)")].split(", ") if close else ())
                hint = close or f" (known fields: {', '.join(schema)})"
                self.err(key + (name,), f"unknown field '{name}'{hint}")
                continue
            self._value(value, schema[name], key + (name,))
        for name, spec in schema.items():
            if name in meant and name not in data:
                continue  # 'titel' (did you mean title?) is the problem: not also "'title' is missing"
            if spec.required and (name not in data or data[name] in (None, "", [], {})):
                what = f": {spec.help}" if spec.help else ""
                self.err(key, f"'{self._name(key + (name,))}' is missing{what}")

    def _value(self, value: Any, spec: Field, key: tuple) -> None:
        if value is None:
            if spec.required:
                self.err(key, f"'{self._name(key)}' is empty")
            return
        kind = spec.kind
        if isinstance(kind, dict) and not isinstance(value, dict) and spec.help:
            self.err(key, f"'{self._name(key)}' must be {TYPE_WORDS[dict]}: {spec.help}")
        elif isinstance(kind, dict):
            self._mapping(value, kind, key)
        elif isinstance(kind, list):
            if not isinstance(value, list):
                self.err(key, f"'{self._name(key)}' must be a list (write it as [a, b] or as lines starting with '- ')")
                return
            item = kind[0] if isinstance(kind[0], Field) else Field(kind[0], choices=spec.choices,
                                                                    pattern=spec.pattern,
                                                                    pattern_hint=spec.pattern_hint,
                                                                    check=spec.check)
            for i, v in enumerate(value):
                self._value(v, item, key + (i,))
        elif kind == BI:
            if isinstance(value, dict):
                self._mapping(value, {lang: Field(str, required=True, check=spec.text_check) for lang in ("zh", "en")}, key)
            else:
                self.err(key, f"'{self._name(key)}' must give both languages, as 'zh: ...' and 'en: ...' lines")
        else:
            ok = isinstance(value, kind) and not (kind in (int, float) and isinstance(value, bool))
            if kind is float and isinstance(value, int) and not isinstance(value, bool):
                ok = True
            if kind is str and isinstance(value, (int, float)) and not isinstance(value, bool):
                ok = False
            if not ok:
                self.err(key, f"'{self._name(key)}' must be {TYPE_WORDS.get(kind, kind)}, not {_as_written(value)}"
                         + (" (put it in quotes)" if kind is str else ""))
                return
            if isinstance(value, float) and not math.isfinite(value):
                written = self.fm.written.get(key, "")
                literal = written.strip().lower().lstrip("+-") not in ("", ".inf", ".nan")  # '1e400', not '.inf'
                what = f"'{written.strip()}', too large to be a figure" if literal else \
                    f"{_as_written(value)}, which is not a figure"
                self.ok = False
                line, col = self.fm.where(*key)
                self.report.error(self.path, line, f"'{self._name(key)}' is {what}: write the number as the source "
                                  f"prints it (an unknown value is left out)", col=col)
                return
            if spec.choices and value not in spec.choices:
                self.err(key, f"'{self._name(key)}' is '{value}', which is not one of the allowed values"
                         f"{suggest(str(value), spec.choices) or ''}: {', '.join(spec.choices)}")
            if spec.pattern and isinstance(value, str) and not spec.pattern.fullmatch(value):
                self.err(key, f"'{self._name(key)}' is '{value}': {spec.pattern_hint}")
        if spec.check is not None:
            problem = spec.check(value)
            if problem:  # about what the value says: at the value itself
                self.ok = False
                line, col = self.fm.where(*key)
                self.report.error(self.path, line, problem, col)


def _as_written(value: Any) -> str:
    """A value as the contributor wrote it in YAML (not as Python shows it: 2024-01-01, .inf, true)."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"the date {value.isoformat()}"
    if isinstance(value, float) and math.isnan(value):
        return ".nan"
    if isinstance(value, float) and math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def validate(path: Path, fm: FrontMatter, schema: dict[str, Field], report: Report) -> bool:
    return Validator(path, fm, report).run(schema)


# ---- numbers as written ----------------------------------------------------------------------------------------

NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


class Written(float):
    """A number that keeps the digits it was written with: a confidence interval written [13.0, 18.5] is shown
    '13.0–18.5', not '13–18.5' (records.format_number)."""

    text: str

    def __new__(cls, text: str) -> "Written":
        number = super().__new__(cls, float(text))
        number.text = text
        return number

    def __reduce__(self):
        return (Written, (self.text,))


def read_numbers(fm: FrontMatter, schema: dict[str, Field]) -> None:
    """Give every number of the data where the schema wants a number (``float``) the digits it was written with,
    and read a number written in quotes ('13.0') as that number."""
    def walk(value: Any, spec: Field, key: tuple, parent: Any, slot: Any) -> None:
        kind = spec.kind
        if isinstance(kind, dict):
            if isinstance(value, dict):
                for name, sub in kind.items():
                    if name in value:
                        walk(value[name], sub, key + (name,), value, name)
        elif isinstance(kind, list):
            if isinstance(value, list):
                item = kind[0] if isinstance(kind[0], Field) else Field(kind[0])
                for i, v in enumerate(value):
                    walk(v, item, key + (i,), value, i)
        elif kind is float and not isinstance(value, bool):
            text = fm.written.get(key, "")
            if isinstance(value, float) and math.isfinite(value) and NUMBER.fullmatch(text):
                parent[slot] = Written(text)
            elif isinstance(value, str) and NUMBER.fullmatch(value.strip()):
                text = value.strip()
                parent[slot] = Written(text) if any(c in text for c in ".eE") else int(text)

    for name, spec in schema.items():
        if name in fm.data:
            walk(fm.data[name], spec, (name,), fm.data, name)
