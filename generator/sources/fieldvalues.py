"""The allowed values of every enumerated field, as the contributor guide lists them, generated from the schema.

CONTRIBUTING.md holds the list in each language between the marker comments ``<!-- allowed-values:en -->`` and
``<!-- /allowed-values:en -->`` (and ``:zh``); tests/test_field_values.py fails when the guide and the schema
differ. To rewrite the lists after changing a vocabulary: ``python -m generator.sources.fieldvalues``.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path
from typing import Any, Iterator

from .content import REVIEW_SCHEMA, SECTION_SCHEMA
from .records import (CATEGORIES, DESIGNS, DRUG_CLASSES, MEASURES, SETTINGS, UNITS, Drug, Regimen, Trial,
                      data_fields)

VOCABULARIES: list[dict[str, Any]] = [SETTINGS, DESIGNS, CATEGORIES, DRUG_CLASSES, UNITS]
KIND_WORDS = {"trials": ("试验", "trial"), "regimens": ("方案", "regimen"), "drugs": ("药物", "drug"),
              "sections": ("章节", "section"), "reviews": ("综述首页", "review landing page")}
# the hints of the fields written to a pattern, in Chinese (the English ones are the checker's own)
HINTS_ZH = {"id": "小写字母、数字和 '-'（会成为网址的一部分）",
            "registry": "'NCT' 加 8 位数字，例如 NCT03006926",
            "phase": "按来源写分期并加引号：\"1\"、\"1b\"、\"1/2\"、\"Ib/II\"、\"2\"、\"2/3\" 或 \"3\"",
            "p": "按论文原样写 P 值并加引号：'0.0009'、'<0.001' 或 '=0.04'"}
HEAD = {"en": ("Record or page", "Field", "Allowed values"), "zh": ("记录或页面", "字段", "允许的值")}


def _names(choices: tuple, lang: str) -> dict[str, str]:
    """The words of each value in ``lang`` where a vocabulary gives them."""
    i = 0 if lang == "zh" else 1
    if tuple(choices) == tuple(MEASURES):
        return {k: v["long"][i] for k, v in MEASURES.items()}
    for vocab in VOCABULARIES:
        if tuple(choices) == tuple(vocab):
            return {k: v["zh" if lang == "zh" else "en"] for k, v in vocab.items()}
    return {}


def _walk(cls: type, prefix: str) -> Iterator[tuple[str, tuple, str]]:
    for key, f, tp in data_fields(cls):
        if f.metadata.get("body"):
            continue
        inner = tp
        suffix = ""
        if getattr(tp, "__origin__", None) is list:
            (inner,) = tp.__args__
            suffix = "[]" if dataclasses.is_dataclass(inner) else ""
        name = f"{prefix}{key}{suffix}"
        if f.metadata.get("choices"):
            yield name, tuple(f.metadata["choices"]), ""
        elif f.metadata.get("pattern") is not None and f.metadata.get("hint"):
            yield name, (), f.metadata["hint"]
        if dataclasses.is_dataclass(inner) and inner.__name__ not in ("Bi", "Aliases"):
            yield from _walk(inner, f"{name}.")


def fields() -> list[tuple[str, str, tuple, str]]:
    """(kind, field, allowed values, hint) of every enumerated (or patterned) field, in the schema's order."""
    out = []
    for kind, cls in (("trials", Trial), ("regimens", Regimen), ("drugs", Drug)):
        out += [(kind, name, choices, hint) for name, choices, hint in _walk(cls, "")]
    for kind, schema in (("sections", SECTION_SCHEMA), ("reviews", REVIEW_SCHEMA)):
        out += [(kind, name, tuple(spec.choices), "") for name, spec in schema.items() if spec.choices]
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def table(lang: str) -> str:
    """The guide's list of allowed values in ``lang`` (Markdown)."""
    rows = [f"| {' | '.join(HEAD[lang])} |", "|---|---|---|"]
    for kind, name, choices, hint in fields():
        words = KIND_WORDS[kind][0 if lang == "zh" else 1]
        if choices:
            names = _names(choices, lang)
            sep = "、" if lang == "zh" else ", "
            values = sep.join(f"`{c}`" + (f"（{names[c]}）" if lang == "zh" else f" ({names[c]})")
                              if names.get(c) and names[c] != c else f"`{c}`" for c in choices)
        else:
            last = name.rsplit(".", 1)[-1].removesuffix("[]")
            values = f"格式：{HINTS_ZH[last]}" if lang == "zh" else f"pattern: {hint}"
        rows.append(f"| {words} | `{name}` | {_cell(values)} |")
    return "\n".join(rows)


def markers(lang: str) -> tuple[str, str]:
    return f"<!-- allowed-values:{lang} -->", f"<!-- /allowed-values:{lang} -->"


def current(guide: str, lang: str) -> str | None:
    """The list in the guide between its markers (None when the markers are missing)."""
    start, end = markers(lang)
    m = re.search(re.escape(start) + r"\n(?:(.*?)\n)?" + re.escape(end), guide, re.DOTALL)
    return (m.group(1) or "") if m else None


def rewrite(guide: str) -> str:
    for lang in ("en", "zh"):
        start, end = markers(lang)
        guide = re.sub(re.escape(start) + r"\n(?:.*?\n)?" + re.escape(end),
                       lambda _m, lang=lang: f"{start}\n{table(lang)}\n{end}", guide, flags=re.DOTALL)
    return guide


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("CONTRIBUTING.md")
    text = path.read_text(encoding="utf-8")
    new = rewrite(text)
    if new != text:
        path.write_text(new, encoding="utf-8")
        print(f"{path}: the lists of allowed values rewritten from the schema")
    else:
        print(f"{path}: the lists of allowed values are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
