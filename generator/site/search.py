"""One search index per language, made for Chinese and for the records' names.

mkdocs-material's search plugin writes one index per build: a merged index mixes the
languages, and its Chinese support finds only the beginnings of jieba's words (血糖 does
not find 低血糖) and cuts drug names apart (帕/博利/珠/单抗). Its plugin still parses every
page into sections, a well-kept parser we reuse: after the build its entries are rewritten
here into ``zh/search/search_index.json`` and ``en/search/search_index.json`` and the
merged file is removed. The theme points each page at its language's index
(site_overrides/main.html sets ``base``).

How the reader's browser searches (mkdocs-material's lunr worker, unchanged): each field
of each document is split into terms by the index's ``separator``; every word of a query
gets a trailing wildcard, so a query word finds the terms it *begins*; before that, a
Chinese query is cut greedily into terms found in the index, and the piece at its end is
dropped (仑伐替尼 -> 仑伐*, 化疗栓塞 -> 化疗*). The rewriting below chooses the terms:

* **Every Chinese term ends in an invisible sentinel** (U+2060 WORD JOINER, not a
  separator). No Chinese term then equals the beginning of a query, so the worker leaves
  Chinese queries whole, and 化疗栓塞 looks for terms beginning with 化疗栓塞.
* ``title`` and ``text`` stay what the reader sees, with Chinese cut again by jieba with
  the lexicon of the records loaded first (generator/site/searchdict.py): 帕博利珠单抗, 仑伐替尼
  and 肝动脉灌注化疗 are single terms. Cuts are zero-width spaces (in the separator).
* Hidden fields, indexed but never shown (the result list renders title, text and tags):

  - ``parts`` / ``tparts``: from every character of every run of Chinese, the run's tail
    (up to PART_MAX characters). Every piece of Chinese text, inside a word or across
    words, begins one of these terms: 栓塞 finds 化疗栓塞, 门静脉癌栓 finds 门静脉癌栓.
  - ``names`` / ``tnames``: the other names of what a section names, from the glossary
    and the drug and trial records, as often as it names it. A Chinese section that
    writes TACE also carries 经动脉化疗栓塞 and transarterial chemoembolization, one that
    writes 仑伐替尼 carries lenvatinib, one that names NCT03006926 carries KEYNOTE-524.
    English sections carry the English names and abbreviations.
  - ``aka``: all the names of the one thing a page is about, when its title is one of
    them (the page 仑伐替尼 is the first answer to lenvatinib); ``about``: that thing's
    keys, which only an exact name typed in the search box looks up (the record page of
    EMERALD-1 is the first answer to EMERALD-1, checkmate459, 'CheckMate 459').

* Separators also split at punctuation, Chinese and ASCII ("（hepatocellular" is the
  term "hepatocellular"), and between Latin letters and Chinese ("TACE联合").
* No stemmer: the worker does not stem wildcard queries, so stemmed terms would hide
  words typed in full.
* Weights: titles 5 times the text (mkdocs-material: 1000, which lets the titles of the
  record pages bury the reviews); the reviews' sections get back the 2.5 times that
  mkdocs-material gives the top of a page over its sections; record pages weigh less than
  the reviews, and so do the pages about the site (editor's notes digests, changelog) and
  the record indexes (least). Reference lists and the bibliography are not indexed.

Limits: a Chinese query is looked up as one piece of text; words that are not next to each
other in the text are found when typed with a space between them. A query in quotes
("仑伐替尼") is an exact-term query in lunr and finds nothing in Chinese (the terms end in
the sentinel).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import html
import json
import os
import re
from pathlib import Path
from typing import Any

from . import searchdict, searchquery
from .fragments import strip_inline

LANGS = ("zh", "en")

SENTINEL = "\u2060"
_ZWSP = "\u200b"
_HAN = searchdict.HAN
_PUNCT = r"\s\u200b\u3000\-、。，．？！；：“”‘’「」『』（）【】《》〈〉…—–·,;:!?()\[\]{}\"'/|"
SEPARATOR = (rf"[{_PUNCT}]+|\.(?!\d)"
             rf"|(?<=[A-Za-z0-9])(?=[{_HAN}])|(?<=[{_HAN}{SENTINEL}])(?=[A-Za-z0-9])")
FIELDS = {
    "title": {"boost": 5.0},
    "text": {"boost": 1.0},
    "tags": {"boost": 1000000.0},
    "aka": {"boost": 30.0},
    "about": {"boost": 60.0},
    "tnames": {"boost": 5.0},
    "tparts": {"boost": 5.0},
    "names": {"boost": 2.0},
    "parts": {"boost": 1.0},
}
SEARCH_CONFIG = {"lang": ["en"], "separator": SEPARATOR, "pipeline": ["stopWordFilter"], "fields": FIELDS}

# The rewriting's code: its digest names the entry cache (a changed rule makes every entry anew)
_CODE_DIGEST = hashlib.sha256(b"".join((Path(__file__).parent.parent / name).read_bytes() for name in
                                       ("site/search.py", "site/searchdict.py", "site/searchquery.py",
                                        "sources/names.py", "site/fragments.py"))).hexdigest()[:12]
RECORD_KINDS = ("trials", "regimens", "drugs")
# Pages about the site rather than the subject: a review's editor's notes page repeats the notes its
# sections show, the glossary defines the abbreviations the sections use.
META_PAGES = ("editor-notes", "glossary")
# Pages that say nothing a reader searches for: the changelog and the translation status name every
# section and drug as they list what changed; not indexed.
UNSEARCHED_PAGES = ("changelog", "translation-status")
BOOST = {"section": 2.5, "record": 0.3, "row": 0.3, "listing": 0.1, "meta": 0.3}
NAME_REPEAT = 5  # the other names are repeated as often as the thing is named, up to this
PART_MAX = 8  # the longest tail of a run of Chinese indexed (a longer query finds whole words only)

_TAG = re.compile(r"<[^>]*>")
# the things a page of a folder is about, best first, by the letter of their keys (searchdict.Concept.key)
_KINDS_OF_PAGE = {"trials": "t", "regimens": "rdg", "drugs": "dg", "glossary": "g"}
_LEADING_PARAGRAPHS = re.compile(r"(?:\s*<p>.*?</p>)*", re.S)
_NUMBERING = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+")
_TIDY = re.compile(rf"{_ZWSP}(?=[\s<，。、；：！？（）])|(?<=[\s>，。、；：！？（）]){_ZWSP}")


def page_kind(location: str) -> str:
    """The kind of search document at ``location`` (relative to the language root:
    'ici-hcc/combination-therapy/#4-1-...', 'trials/leap-012/', 'trials/'; 'drugs/#drug-sbrt' is the
    row of a record that has no page of its own, see generator/site/searchview.py)."""
    path, _, anchor = location.partition("#")
    parts = [p for p in path.split("/") if p]
    if parts and parts[0] in RECORD_KINDS:
        if len(parts) > 1:
            return "record"
        return "row" if anchor.startswith(parts[0][:-1] + "-") else "listing"
    if parts and parts[-1] in UNSEARCHED_PAGES:
        return "unsearched"
    if parts and parts[-1] in META_PAGES:
        return "meta"
    return "section" if anchor else "page"


def doc_boost(location: str) -> float:
    """The weight of a search document, by the kind of page it is on."""
    return BOOST.get(page_kind(location), 1.0)


def plain(value: str) -> str:
    """The text of an entry's HTML, without the search markup."""
    return html.unescape(_TAG.sub(" ", value)).replace(_ZWSP, "").replace(SENTINEL, "")


class IndexBuilder:
    """Rewrites mkdocs-material's search entries (see the module docstring). jieba and the name index
    are set up on first use (a build whose entries all come from the cache needs neither)."""

    def __init__(self, lexicon: searchdict.Lexicon):
        self.lexicon = lexicon

    @functools.cached_property
    def segmenter(self) -> searchdict.Segmenter:
        return searchdict.Segmenter(self.lexicon.words)

    @functools.cached_property
    def matcher(self) -> searchdict.Matcher:
        return searchdict.Matcher(self.lexicon.concepts)

    def segment(self, value: str) -> tuple[str, list[str]]:
        """The value with its Chinese cut into words, each ending in the sentinel; and its runs of Chinese."""
        runs: list[str] = []

        def cut(match: re.Match[str]) -> str:
            run = match.group(0)
            runs.append(run)
            return _ZWSP + _ZWSP.join(w + SENTINEL for w in self.segmenter.cut(run)) + _ZWSP

        value = searchdict.HAN_RUN.sub(cut, value.replace(_ZWSP, "").replace(SENTINEL, ""))
        value = re.sub(f"{_ZWSP}+", _ZWSP, value).strip(_ZWSP)
        return _TIDY.sub("", value), runs

    @staticmethod
    def parts(runs: list[str]) -> str:
        """From every character of every run (but the last), the run's tail as a term."""
        return " ".join(run[i:i + PART_MAX] + SENTINEL for run in runs for i in range(len(run) - 1))

    @functools.cached_property
    def combinations(self) -> list[searchdict.Concept]:
        return [c for c in self.lexicon.concepts if len(c.components) > 1]

    def names(self, text: str, lang: str) -> list[str]:
        """The other names of what ``text`` names and their keys, each as often as the thing is named
        (a regimen is named by its name or by all its drugs); the names written in pieces, run
        together (searchquery.compounds)."""
        out: list[str] = []
        named: dict[str, int] = {}
        for concept, counts in self.matcher.mentions(text):
            n = min(sum(counts.values()), NAME_REPEAT)
            forms = concept.forms if lang == "zh" else concept.en
            out += [form for form in forms if form not in counts] * n
            named[concept.id] = n
            out += [concept.key] * n
        for regimen in self.combinations:
            if regimen.id not in named and all(x in named for x in regimen.components):
                out += [regimen.key] * min(named[x] for x in regimen.components)
        found = searchquery.compounds(text)
        out += [w for w in dict.fromkeys(found) for _ in range(min(found.count(w), NAME_REPEAT))]
        return out

    def aka(self, title: str, lang: str) -> tuple[list[str], list[str]]:
        """All the names of the thing a page is about, when its title is one of them, and its keys (the
        thing's concepts: the glossary's TACE and the procedure's record are one thing)."""
        names: list[str] = []
        concepts = self.matcher.all_named(_NUMBERING.sub("", title).strip())
        for concept in concepts:
            names += [f for f in (concept.forms if lang == "zh" else concept.en) if f not in names]
        return names, [concept.key for concept in concepts]

    def entry(self, doc: dict[str, Any], lang: str, location: str) -> dict[str, Any]:
        """The entry for ``doc`` (``location``: relative to the language root)."""
        listing = page_kind(location) == "listing"
        if listing:  # an index of records: its introduction; its rows are the record pages' content
            doc = {**doc, "text": _LEADING_PARAGRAPHS.match(doc.get("text", "")).group(0).strip()}
        # citations are placeholders at this point (generator/site/fragments.py): left out of the index
        doc = {**doc, "title": strip_inline(doc.get("title", "")), "text": strip_inline(doc.get("text", ""))}
        title, text = plain(doc["title"]), plain(doc["text"])
        out = {**doc, "location": location}
        out["title"], title_runs = self.segment(doc.get("title", ""))
        out["text"], text_runs = self.segment(doc.get("text", ""))
        aka_names, about = self.aka(title, lang)
        # one key: the thing of the page's kind (the regimen 'FOLFOX4', not also the drug and the
        # glossary's term, which a query names at once: the page would count three times)
        kinds = _KINDS_OF_PAGE.get(location.split("/", 1)[0], "")
        about = sorted(about, key=lambda k: kinds.find(k[1:2]) % (len(kinds) + 1))[:1]
        aka, _ = self.segment(" ".join(aka_names))
        tnames, tname_runs = self.segment(" ".join(self.names(title, lang)))
        names, name_runs = self.segment(" ".join(self.names(text, lang)))
        tname_runs, name_runs = list(dict.fromkeys(tname_runs)), list(dict.fromkeys(name_runs))  # parts once
        hidden = {"aka": aka, "about": " ".join(about), "tnames": tnames, "tparts": self.parts(title_runs + tname_runs),
                  "names": names, "parts": "" if listing else self.parts(text_runs + name_runs)}
        out.update({key: value for key, value in hidden.items() if value})
        boost = doc_boost(location)
        if boost != 1:
            out["boost"] = round(doc.get("boost", 1) * boost, 3)
        return out


class EntryCache:
    """The rewritten entries of earlier builds, by what they were made from (the entry mkdocs-material
    wrote, its language and location), in ``<cache>/search-<code digest>-<lexicon digest>.json``: a
    rebuild after editing one section rewrites that section's entries only. The rewriting depends on
    nothing else, so a cached entry is the one the rewriting would give."""

    def __init__(self, folder: Path | None, lexicon: searchdict.Lexicon):
        self.file = None
        self.saved: dict[str, Any] = {}
        self.used: dict[str, Any] = {}
        if folder is None:
            return
        digest = hashlib.sha256(json.dumps(dataclasses.asdict(lexicon), ensure_ascii=False,
                                           sort_keys=True).encode()).hexdigest()[:16]
        self.file = folder / f"search-{_CODE_DIGEST}-{digest}.json"
        try:
            self.saved = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.saved = {}

    @staticmethod
    def key(doc: dict[str, Any], lang: str, location: str) -> str:
        raw = json.dumps([doc, lang, location], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(raw.encode()).hexdigest()

    def entry(self, builder: IndexBuilder, doc: dict[str, Any], lang: str, location: str) -> dict[str, Any]:
        key = self.key(doc, lang, location)
        out = self.saved.get(key)
        if out is None:
            out = builder.entry(doc, lang, location)
        self.used[key] = out
        return out

    def save(self) -> None:
        """Keep this build's entries (only those: entries of removed text do not pile up)."""
        if self.file is None or self.used.keys() == self.saved.keys():
            return
        self.file.parent.mkdir(parents=True, exist_ok=True)
        for old in self.file.parent.glob("search-*.json"):  # other code or lexicon versions
            if old != self.file:
                old.unlink(missing_ok=True)
        tmp = self.file.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(self.used, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.file)


def build_indexes(data: dict[str, Any], lexicon: searchdict.Lexicon,
                  cache_dir: Path | None = None) -> dict[str, dict[str, Any]]:
    """mkdocs-material's merged index -> one index per language, locations relative to the language root,
    each with what the browser needs to read queries (``config.hcc``, generator/site/searchquery.py).
    Pages outside the language folders (the root page that links both) are in neither."""
    builder = IndexBuilder(lexicon)
    cache = EntryCache(cache_dir, lexicon)
    docs: dict[str, list[dict[str, Any]]] = {}
    for lang in LANGS:
        prefix = f"{lang}/"
        docs[lang] = [cache.entry(builder, doc, lang, doc["location"][len(prefix):])
                      for doc in data["docs"] if doc["location"].startswith(prefix)
                      and page_kind(doc["location"][len(prefix):]) != "unsearched"]
    cache.save()
    texts = {lang: [_TAG.sub(" ", f"{d.get('title', '')} {d.get('text', '')}") for d in docs[lang]] for lang in LANGS}
    stop = sorted({w for lang in LANGS for w in searchquery.common_words(texts[lang], SEPARATOR, lexicon, SENTINEL)})
    cased = searchquery.cased_forms(lexicon, texts["en"])
    return {lang: {"config": {**data["config"], **SEARCH_CONFIG,
                              "hcc": searchquery.browser_config(lexicon, lang, stop, cased)},
                   "docs": docs[lang]} for lang in LANGS}


def root_index(indexes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The index of the pages outside the language folders (the root page): no documents of its own; it
    names the language indexes, which the search worker loads and searches together, the language of
    each result shown (hcc-search.js)."""
    config = {**next(iter(indexes.values()))["config"]}
    config["hcc"] = {"lang": "*", "merge": {lang: f"{lang}/search/search_index.json" for lang in indexes}}
    return {"config": config, "docs": []}


def split_by_language(config, cache_dir: Path | None = None) -> None:
    """After the build: replace mkdocs-material's merged index by one index per language, and by the
    root page's index of both (:func:`root_index`)."""
    plugin = config.plugins.get("material/search")
    site = Path(config.site_dir)
    merged = site / "search" / "search_index.json"
    if plugin is None or not merged.exists():
        return
    data = json.loads(merged.read_text(encoding="utf-8"))
    lexicon = searchdict.load(Path(config.docs_dir))
    indexes = build_indexes(data, lexicon, cache_dir)
    for lang, index in [*indexes.items(), ("", root_index(indexes))]:
        target = site / lang / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(index, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
                          encoding="utf-8")
