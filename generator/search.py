"""One search index per language, made for Chinese and for the records' names.

mkdocs-material's search plugin builds one index per build: a merged index mixes the
languages, and its Chinese support finds only the beginnings of jieba's words (血糖 does
not find 低血糖) and cuts drug names apart (帕/博利/珠/单抗). Its plugin still parses every
page into sections (we reuse that well-kept parser); after the build its entries are
rewritten here into ``zh/search/search_index.json`` and ``en/search/search_index.json``
and the merged file is removed. The theme points each page at its language's index
(site_overrides/main.html sets ``base``).

How the browser searches (mkdocs-material's lunr worker, which we do not change): the
text of each field is split by the index's ``separator`` into terms; every query word
gets a trailing wildcard, so a query finds the terms it *begins*; a Chinese query is
first cut into terms that exist in the index. Everything below works by choosing the
terms the index contains:

* ``title`` and ``text`` stay what the reader sees, but Chinese is cut again by jieba
  with the lexicon of the records loaded first (generator/searchdict.py), so that
  帕博利珠单抗, 仑伐替尼 and 肝动脉灌注化疗 are single terms; the cuts are marked by
  zero-width spaces (U+200B, in the separator), invisible in the results.
* two hidden fields, indexed but never shown (the result list renders only title, text
  and tags):

  - ``parts``: every tail of every Chinese word of three or more characters
    (化疗栓塞 -> 疗栓塞 栓塞): with prefix matching, any part of a word is found
    (栓塞 finds 化疗栓塞; 血糖 finds 低血糖);
  - ``names``: the other names of everything the section names, from the glossary and
    the drug and trial records: a Chinese section that writes TACE also carries
    经动脉化疗栓塞 and transarterial chemoembolization, one that writes 仑伐替尼 carries
    lenvatinib, one that names KEYNOTE-524 carries NCT03006926. English sections carry
    the English names and abbreviations only.

* separators that also split at punctuation (Chinese and ASCII), so that
  "（hepatocellular" or "(TACE)" are the terms "hepatocellular" and "tace";
* no stemmer in either language: a wildcard query is not stemmed by lunr, so stemmed
  index terms would hide full English words typed on the Chinese site.

Reference lists (a page's "References" section, the review's reference page and the
bibliography) are kept but weighed down, so that a drug name finds the sections that
discuss it before the titles of papers.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from . import searchdict

LANGS = ("zh", "en")

SEPARATOR = {
    "zh": r"[\s\u200b\u3000\-、。，．？！；：“”‘’「」『』（）【】《》〈〉…—·,;:!?()\[\]{}\"'/|]+|\.(?!\d)",
    "en": r"[\s\u200b\u3000\-,;:!?()\[\]{}\"“”‘’'/|…—–·]+|\.(?!\d)",
}
FIELDS = {
    "title": {"boost": 1000.0},
    "text": {"boost": 1.0},
    "tags": {"boost": 1000000.0},
    "parts": {"boost": 1.0},
    "names": {"boost": 1.0},
}
SEARCH_CONFIG = {
    lang: {"lang": ["en"], "separator": SEPARATOR[lang], "pipeline": ["stopWordFilter"], "fields": FIELDS}
    for lang in LANGS
}
# Reference lists weigh this much relative to other sections.
REFERENCE_BOOST = 0.3
MIN_PART = 2  # the shortest tail of a word that is indexed

_TAG = re.compile(r"<[^>]*>")
_ZWSP = "\u200b"


def is_reference_list(location: str) -> bool:
    path, _, anchor = location.partition("#")
    return anchor == "references" or path.endswith(("references/", "bibliography/"))


class IndexBuilder:
    """Rewrites mkdocs-material's entries of one language."""

    def __init__(self, lexicon: searchdict.Lexicon):
        self.lexicon = lexicon
        self.segmenter = searchdict.Segmenter(lexicon.words)
        self.matcher = searchdict.Matcher(lexicon.concepts)

    # Chinese segmentation ------------------------------------------------------------------------------------

    def segment(self, value: str) -> tuple[str, list[str]]:
        """The value with its Chinese cut by U+200B, and the Chinese words."""
        words: list[str] = []

        def cut(match: re.Match[str]) -> str:
            found = self.segmenter.cut(match.group(0))
            words.extend(found)
            return _ZWSP + _ZWSP.join(found) + _ZWSP

        value = searchdict.HAN_RUN.sub(cut, value.replace(_ZWSP, ""))
        value = re.sub(f"{_ZWSP}+", _ZWSP, value).strip(_ZWSP)
        # no zero-width space next to a real separator (keeps highlighting tidy)
        value = re.sub(rf"{_ZWSP}(?=[\s<，。、；：！？（）])|(?<=[\s>，。、；：！？（）]){_ZWSP}", "", value)
        return value, words

    @staticmethod
    def parts(words: list[str]) -> list[str]:
        out = []
        for word in words:
            for i in range(1, len(word) - MIN_PART + 1):
                out.append(word[i:])
        return out

    # Other names -----------------------------------------------------------------------------------------------

    def names(self, plain: str, lang: str) -> list[str]:
        out: list[str] = []
        for concept, counts in self.matcher.mentions(plain):
            forms = concept.forms if lang == "zh" else concept.en
            for form in forms:
                if form not in counts and form not in out:
                    out.append(form)
        return out

    # One entry ------------------------------------------------------------------------------------------------

    def entry(self, doc: dict[str, Any], lang: str) -> dict[str, Any]:
        title, text = doc.get("title", ""), doc.get("text", "")
        out = dict(doc)
        words: list[str] = []
        if lang == "zh":
            out["title"], title_words = self.segment(title)
            out["text"], text_words = self.segment(text)
            words = title_words + text_words
        plain = html.unescape(_TAG.sub(" ", f"{title}\n{text}")).replace(_ZWSP, "")
        names = self.names(plain, lang)
        if lang == "zh":
            name_words: list[str] = []
            segmented = []
            for name in names:
                value, found = self.segment(name)
                segmented.append(value)
                name_words += found
            names = segmented
            words += name_words
        parts = self.parts(words)
        if parts:
            out["parts"] = " ".join(parts)
        if names:
            out["names"] = " ".join(names)
        if is_reference_list(doc.get("location", "")):
            out["boost"] = doc.get("boost", 1) * REFERENCE_BOOST
        return out


def build_indexes(data: dict[str, Any], lexicon: searchdict.Lexicon) -> dict[str, dict[str, Any]]:
    """mkdocs-material's merged index -> one index per language (locations relative to the language root)."""
    builder = IndexBuilder(lexicon)
    out = {}
    for lang in LANGS:
        prefix = f"{lang}/"
        docs = []
        for doc in data["docs"]:
            if doc["location"].startswith(prefix):
                entry = builder.entry(doc, lang)
                entry["location"] = doc["location"][len(prefix):]
                docs.append(entry)
        out[lang] = {"config": {**data["config"], **SEARCH_CONFIG[lang]}, "docs": docs}
    return out


def split_by_language(config) -> None:
    plugin = config.plugins.get("material/search")
    site = Path(config.site_dir)
    merged = site / "search" / "search_index.json"
    if plugin is None or not merged.exists():
        return
    data = json.loads(merged.read_text(encoding="utf-8"))
    lexicon = searchdict.load(Path(config.docs_dir))
    for lang, index in build_indexes(data, lexicon).items():
        target = site / lang / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(index, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
                          encoding="utf-8")
    merged.unlink()
    try:
        merged.parent.rmdir()
    except OSError:
        pass
