"""Interface strings of the pages and PDFs the generator makes, in each language.

The strings live in one catalog per language beside this file, ``zh.yml`` and ``en.yml``: the same keys
in both (tests/test_i18n.py checks), grouped by where they are used. To add a string, add its key to both
files and use it as ``t("key", lang)`` in code or ``{{ t.key }}`` in a template given ``Strings(lang)``.
A leaf module: it imports nothing of the generator.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

HTML_LANG = {"zh": "zh-CN", "en": "en"}
LANG_LABEL = {"zh": "中文", "en": "English"}
OTHER = {"zh": "en", "en": "zh"}

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_catalog(lang: str) -> dict[str, str]:
    """The catalog of one language as written (key -> text)."""
    text = resources.files(__package__).joinpath(f"{lang}.yml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=_LOADER) or {}


CATALOGS: dict[str, dict[str, str]] = {lang: load_catalog(lang) for lang in HTML_LANG}


def t(key: str, lang: str, **values: Any) -> str:
    """The string ``key`` in ``lang``; with ``values``, its ``{name}`` fields filled in."""
    text = CATALOGS[lang][key]
    return text.format(**values) if values else text


class Strings(dict):
    """Every string in one language; ``t.key`` in templates gives the string ``key``."""

    def __init__(self, lang: str):
        super().__init__(CATALOGS[lang])

    def __getattr__(self, name: str) -> str:
        return self[name]
