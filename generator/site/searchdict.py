"""The search lexicon: what the records say about names, for segmentation and synonyms.

Built from the glossary (``content/glossary.md``), the drug and procedure records
(``content/drugs``), the trial records (``content/trials``) and the regimen labels
(``content/regimens``). Two products:

* **words**: Chinese words that jieba must keep whole (帕博利珠单抗, 仑伐替尼,
  肝动脉灌注化疗): loaded into jieba before any text is segmented;
* **concepts**: the names of one thing in both languages (经动脉化疗栓塞 = TACE =
  transarterial chemoembolization; KEYNOTE-524 = NCT03006926 = Study 116). A search
  document that names a concept in one form is also found by its other forms, and by the
  concept's *key*, a term no text contains: the reader's browser turns any name of the
  concept typed in either language into that key (generator/site/searchquery.py). Regimens are
  concepts too: their names and labels ('A+T 方案', 'STRIDE'), and their components.

The records are read leniently (a record that does not parse is skipped: the build's
own validation reports it); this module only needs names.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import jieba  # mkdocs-material's search plugin imports it in every build anyway
import yaml

from ..sources.frontmatter import SAFE_LOADER
from ..sources.names import HAN, NameIndex

HAN_RUN = re.compile(f"[{HAN}]+")
_PAREN = re.compile(r"\s*[（(][^（）()]*[）)]")
# Dictionary words: names, not descriptions ('单次曲美木单抗联合常规间隔度伐利尤单抗方案' is not a word)
MIN_WORD, MAX_WORD = 2, 12
# 'A+T 方案' (the A+T regimen) is also written 'A+T'
_LABEL_SUFFIX = re.compile(r"\s*(?:方案|regimen)$", re.IGNORECASE)


@dataclass
class Concept:
    """One thing and all its names: ``zh`` Chinese forms, ``en`` Latin-script forms (abbreviations,
    English names, INNs, trial acronyms, registry numbers). A regimen lists its ``components``
    (concept ids); ``inn``: the drug's international nonproprietary name, whose beginning a reader
    may type for the drug ('atezo', 'bev')."""
    id: str
    zh: list[str] = field(default_factory=list)
    en: list[str] = field(default_factory=list)
    components: list[str] = field(default_factory=list)
    inn: str = ""
    short: list[str] = field(default_factory=list)  # forms made here, not given ('CheckMate 040' of 'CheckMate 040 (...)')

    def add(self, *names: Any) -> None:
        for name in names:
            if not isinstance(name, str):
                continue
            for k, form in enumerate(_forms(name)):
                target = self.zh if HAN_RUN.search(form) else self.en
                if form.casefold() not in {t.casefold() for t in target}:  # 'Lenvatinib' is 'lenvatinib'
                    target.append(form)
                    if k:
                        self.short.append(form)

    @property
    def forms(self) -> list[str]:
        return [*self.zh, *self.en]

    @property
    def key(self) -> str:
        """The concept's search term: '_' (which no word of the text begins with: the separator leaves it
        inside a term, and no name starts with it), the kind's letter, the id's letters and digits
        ('trial:emerald-1' -> '_temerald1')."""
        kind, _, name = self.id.partition(":")
        return "_" + kind[:1] + re.sub(r"[^a-z0-9]", "", name.lower())


@dataclass
class Lexicon:
    words: list[str] = field(default_factory=list)
    concepts: list[Concept] = field(default_factory=list)


def _forms(name: str) -> list[str]:
    """'巴塞罗那临床肝癌（分期）' -> ['巴塞罗那临床肝癌（分期）', '巴塞罗那临床肝癌']; 'CheckMate 040 (nivolumab +
    ipilimumab cohort)' -> [..., 'CheckMate 040']. Names written as a citation ('Bai et al. 2024') are no names."""
    name = " ".join(name.split())
    if not name or " et al" in name:
        return []
    out = [name]
    short = _PAREN.sub("", name).strip()
    if short and short != name:
        out.append(short)
    return out


def _front_matter(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            try:
                data = yaml.load("\n".join(lines[1:i]), Loader=SAFE_LOADER)  # noqa: S506 - a safe loader
            except yaml.YAMLError:
                return {}
            return data if isinstance(data, dict) else {}
    return {}


def _bi(value: Any) -> tuple[Any, Any]:
    return (value.get("zh"), value.get("en")) if isinstance(value, dict) else (None, None)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def load(content_dir: Path) -> Lexicon:
    """The lexicon of a project's records."""
    concepts: list[Concept] = []
    glossary = _front_matter(content_dir / "glossary.md")
    for term in _list(glossary.get("terms")):
        if not isinstance(term, dict):
            continue
        c = Concept(f"glossary:{term.get('abbr')}")
        c.add(term.get("zh"), *_list(term.get("zh_aliases")), term.get("abbr"), term.get("en"),
              *_list(term.get("en_aliases")))
        concepts.append(c)
    drugs = [(path.stem, _front_matter(path)) for path in sorted((content_dir / "drugs").glob("*.md"))]
    # a drug whose INN is another drug's name (a biosimilar: IBI305, bevacizumab) is not named by it
    named = {_bi(data.get("name"))[1] for _, data in drugs}
    for stem, data in drugs:
        zh, en = _bi(data.get("name"))
        azh, aen = _bi(data.get("aliases"))
        inn = data.get("inn") if isinstance(data.get("inn"), str) else ""
        if inn and inn != en and inn in named:
            inn = ""
        c = Concept(f"drug:{stem}", inn=inn)
        c.add(zh, *_list(azh), data.get("abbr"), en, inn, *_list(aen))
        concepts.append(c)
    for path in sorted((content_dir / "trials").glob("*.md")):
        data = _front_matter(path)
        c = Concept(f"trial:{path.stem}")
        c.add(data.get("name"), *_list(data.get("aliases")), *_list(data.get("registry")))
        concepts.append(c)
    regimens = []
    for path in sorted((content_dir / "regimens").glob("*.md")):
        data = _front_matter(path)
        labels = [x for x in _list(data.get("labels")) if isinstance(x, str)]
        if labels:  # a label is a name of its own ('可乐组合', 'STRIDE'); a combination's name is not
            c = Concept(f"regimen:{path.stem}")
            c.add(*labels, *(short for label in labels for short in [_LABEL_SUFFIX.sub("", label)] if short))
            concepts.append(c)
        regimens.append((path.stem, data))
    concepts = [_merge_generic(c) for c in concepts if c.forms]
    words: list[str] = []
    for c in concepts:
        for form in c.zh:
            for run in HAN_RUN.findall(_PAREN.sub("", form)):
                if MIN_WORD <= len(run) <= MAX_WORD and "联合" not in run and run not in words:
                    words.append(run)
    _add_regimen_names(concepts, regimens)
    return Lexicon(words=words, concepts=concepts)


def _add_regimen_names(concepts: list[Concept], regimens: list[tuple[str, dict[str, Any]]]) -> None:
    """A regimen's names (its page's title) and components (the records list the drugs, not the classes:
    'TACE plus a PD-1 inhibitor' has one component). A regimen named like one of its drugs is that drug
    (the page 'Lenvatinib' is about lenvatinib): its names go to the drug's concept. The words of
    combination names are not dictionary words ('阿替利珠单抗联合贝伐珠单抗' is cut into its drugs), so
    this comes last."""
    by_id = {c.id: c for c in concepts}
    for stem, data in regimens:
        zh, en = _bi(data.get("name"))
        components = [f"drug:{x}" for x in _list(data.get("components")) if isinstance(x, str)]
        c = by_id.get(f"regimen:{stem}")
        names = {n.casefold() for n in (zh, en) if isinstance(n, str)}
        drug = next((by_id[x] for x in components if x in by_id
                     and names & {f.casefold() for f in by_id[x].forms}), None)
        if c is None and drug is not None:
            drug.add(zh, en)
            continue
        if c is None:
            c = Concept(f"regimen:{stem}")
            concepts.append(c)
            by_id[c.id] = c
        c.add(zh, en)
        c.components = [x for x in components if x in by_id]


def _merge_generic(c: Concept) -> Concept:
    # 'NCT' alone is the prefix of every registry number, not a name to expand
    c.en = [f for f in c.en if len(f) >= 2]
    return c


# ---------------------------------------------------------------------------------------------------------------
# Segmentation
# ---------------------------------------------------------------------------------------------------------------


class Segmenter:
    """jieba with the lexicon's words, loaded before any text is cut."""

    def __init__(self, words: Iterable[str]):
        jieba.setLogLevel(logging.WARNING)
        # Our own instance (the global one is mkdocs-material's), sharing the main dictionary the
        # global one has already loaded (loading it again costs about a second).
        self.tokenizer = jieba.Tokenizer()
        main = jieba.dt
        main.initialize()
        if getattr(main, "initialized", False) and isinstance(getattr(main, "FREQ", None), dict):
            self.tokenizer.FREQ = dict(main.FREQ)
            self.tokenizer.total = main.total
            self.tokenizer.initialized = True
        else:  # pragma: no cover - a jieba without these internals
            self.tokenizer.initialize()
        for word in sorted(set(words), key=lambda w: (-len(w), w)):
            self.tokenizer.add_word(word)
            self.tokenizer.suggest_freq(word, tune=True)

    def cut(self, run: str) -> list[str]:
        """The words of a run of Han characters."""
        return [w for w in self.tokenizer.cut(run, HMM=True) if w]


# ---------------------------------------------------------------------------------------------------------------
# Mentions
# ---------------------------------------------------------------------------------------------------------------


class Matcher:
    """Which concepts a text names, and how often (generator/sources/names.py finds them; acronyms keep
    their case: 'EACH' the trial is not 'each' the word)."""

    def __init__(self, concepts: list[Concept]):
        self.concepts = concepts
        self._owners: dict[str, list[int]] = {}
        for i, c in enumerate(concepts):
            for form in c.forms:
                self._owners.setdefault(form, []).append(i)
        self._index = NameIndex(self._owners, acronyms_keep_case=True, plurals=True)
        self._by_form = {form.casefold(): c for c in reversed(concepts) for form in c.forms}
        self._all_by_form: dict[str, list[Concept]] = {}
        for c in concepts:
            for form in c.forms:
                self._all_by_form.setdefault(form.casefold(), []).append(c)

    def mentions(self, text: str) -> list[tuple[Concept, dict[str, int]]]:
        """(concept, {form: count}) for every concept the text names, in the lexicon's order."""
        found: dict[int, dict[str, int]] = {}
        for form, n in self._index.counts(text).items():
            for i in self._owners[form]:
                found.setdefault(i, {})[form] = n
        return [(self.concepts[i], found[i]) for i in sorted(found)]

    def named(self, title: str) -> Concept | None:
        """The concept one of whose names is ``title`` (case ignored), the first in the lexicon's order."""
        return self._by_form.get(title.casefold())

    def all_named(self, title: str) -> list[Concept]:
        """Every concept one of whose names is ``title`` (case ignored: TACE the glossary's term and the
        procedure's record), in the lexicon's order."""
        return self._all_by_form.get(title.casefold(), [])
