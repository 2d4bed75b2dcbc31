"""What the reader's browser needs to read a query the way the index was written.

The search index (generator/site/search.py) is written with the records' lexicon: Chinese cut with
the drug, procedure and glossary names kept whole, and every passage carrying the *key* of each
thing it names (generator/site/searchdict.py). A query is read in the browser by
``site_overrides/assets/javascripts/workers/hcc-search.js`` (a wrapper around mkdocs-material's
own search worker) with the same lexicon, shipped inside the index's ``config`` (``config.hcc``,
one request, no second file): see :func:`browser_config`.

Two rules are written here and in the script, and must say the same (tests/test_search_terms.py
runs both on the same cases):

* **compounds**: a name with digits written in pieces ('CheckMate 459', 'EMERALD-1', 'PD-L1') is
  also one term, its letters and digits run together ('checkmate459', 'emerald1', 'pdl1'); a query
  written either way finds it, and the digits alone ('1') are never looked up (:func:`compounds`);
* **function words**: the Chinese words found in so many passages of the index that they say
  nothing about a passage ('联合', '治疗', '的') and the English ones (lunr's own stop-word list
  aside) are dropped from a query that has other words (:func:`common_words`).
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from .searchdict import HAN_RUN, Lexicon

# A run of letters and digits with a digit after a space or hyphen ('CheckMate 459', 'EMERALD-1',
# 'PD-L1', 'IMbrave 150'), not a decimal number's integer part ('RECIST 1.1'). The same expression is
# in hcc-search.js (COMPOUND).
COMPOUND = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*"
                      r"(?:[-\u2010\u2011\u2013 \u00a0]?[0-9][A-Za-z0-9]*|-[A-Za-z]+[0-9][A-Za-z0-9]*)+"
                      r"(?![A-Za-z0-9]|\.[0-9])")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")
_SPLIT = re.compile(r"[-\u2010\u2011\u2013 \u00a0]")
_WORD = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z]+(?![A-Za-z0-9_-])")  # a word: not a piece of 'zheng2021tace', 'ici-hcc'
_ACRONYM = re.compile(r"^[A-Z0-9][A-Z0-9\-+. ]*[A-Z0-9]$")  # as generator/sources/names.py

# A word in this share of a language's documents (or more) says nothing about a document
COMMON_SHARE = 0.4


def squash(name: str) -> str:
    """'CheckMate 459' -> 'checkmate459'."""
    return _NOT_ALNUM.sub("", name.lower())


def compounds(text: str) -> list[str]:
    """The names written in pieces in ``text``, each as one term, in order, as often as written."""
    return [squash(m.group(0)) for m in COMPOUND.finditer(text) if _SPLIT.search(m.group(0))]


def common_words(texts: Iterable[str], separator: str, lexicon: Lexicon, sentinel: str) -> list[str]:
    """The words of the documents ``texts`` (their title and text, as indexed) found in COMMON_SHARE of
    them or more, names of the lexicon excepted; Chinese words end in ``sentinel`` in the index."""
    split = re.compile(separator)
    names = {f.casefold() for c in lexicon.concepts for f in c.forms} | set(lexicon.words)
    seen: dict[str, int] = {}
    total = 0
    for text in texts:
        total += 1
        for word in {t.lower().rstrip(sentinel) for t in split.split(text) if t}:
            seen[word] = seen.get(word, 0) + 1
    return sorted(w for w, n in seen.items()
                  if total and n / total >= COMMON_SHARE and w not in names and not w.isdigit()
                  and (HAN_RUN.fullmatch(w) or w.isascii()))


def cased_forms(lexicon: Lexicon, texts: Iterable[str]) -> list[str]:
    """The acronyms of the lexicon that the English texts also write as a word in lower case ('TIME' the
    tumour immune microenvironment, 'time' the word; 'EACH' the trial): a query names them only in
    capitals (generator/sources/names.py keeps their case in the text)."""
    lower = {w for text in texts for w in _WORD.findall(text) if w.islower()}
    return sorted({f for c in lexicon.concepts for f in c.en
                   if _ACRONYM.match(f) and any(ch.isalpha() for ch in f) and f.lower() in lower})


def browser_config(lexicon: Lexicon, lang: str, stop: list[str], cased: list[str]) -> dict[str, Any]:
    """``config.hcc`` of a language's index: the lexicon as the query side needs it.

    ``concepts``: [key, [forms], [component keys], inn, [short forms]] for every concept with a form (a
    short form, made from a name by leaving out its parentheses, names the concept less surely);
    ``words``: the Chinese dictionary words (cut whole in the index);
    ``stop``: the function words; ``cased``: the forms typed in capitals only (:func:`cased_forms`);
    ``lang``: the site's language ('zh', 'en'; '*' both: the root page)."""
    by_id = {c.id: c for c in lexicon.concepts}
    concepts = [[c.key, c.forms, [by_id[x].key for x in c.components if x in by_id], c.inn, c.short]
                for c in lexicon.concepts if c.forms]
    return {"lang": lang, "concepts": concepts, "words": list(lexicon.words), "stop": stop, "cased": cased}
