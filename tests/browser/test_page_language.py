"""Issue 21, item 1: the interface speaks the page's language on every kind of page. Chromium reads the
visible text of each page kind; on a Chinese page no English word of the interface may be left, and on an
English page no Chinese character.

What may be in the other language, and is left out of the reading (each a reason a reader would accept):
- text marked as another language (``lang="en"`` on a Chinese page, ``lang="zh-CN"`` on an English one):
  quotes of the source, the language switch's own name, names in their language;
- the sources' own words: the review text (``.blk``, the parallel view's cells), quotes and block quotes;
- a search result's excerpt: it quotes a page (whose own text is read on that page) without the marks of
  language the page has;
- references (reference lists, the bibliography, citation cards, "cite this"): a reference is given as
  published;
- code, keyboard keys and abbreviations (``<abbr>``, and words written all in capitals: HCC, TACE, ORR);
- names of studies as their records give them (IMbrave150, "Lai et al. 2022"): a study's name is its
  name in every language (``NAMES`` below reads them from the site's data file);
- the link to the source repository (``.md-source``): it shows the name of the host (GitHub), a name;
- ALLOWED_EN: a few words that are names too (a journal, the site's software) — each explained there.
"""

from __future__ import annotations

import json
import re

import pytest

import browserkit as bk
from browserkit import kind_path

KINDS = ["home", "landing", "section", "parallel", "trial", "regimen", "drugs", "trial-index", "glossary",
         "references", "bibliography", "editor-notes", "changelog", "search", "404"]
EXTRA = {"changelog": "/{lang}/changelog/", "404": "/404.html"}

# Elements whose text may be in the other language (see the module's docstring).
EXEMPT = ("code, pre, kbd, samp, script, style, noscript, abbr, q, blockquote, cite, .blk, .pair-cell, "
          ".reflist, .biblist, .ref-text, .cite, .cite-card, .cite-this, .review-meta .journal, "
          ".md-search-result__article p, .md-source")
# a search result's excerpt is the text of its article after the heading
EXCERPT = ".md-search-result__article"

VISIBLE_TEXT = """([exempt, other, excerpt]) => {
  const skip = el => el.closest(exempt) || el.closest(other) || (el.closest(excerpt) && !el.closest('h1, h2'));
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !n.textContent.trim() || skip(el)) continue;
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: false})) continue;
    if (el.closest('[aria-hidden="true"]') && !el.closest('svg')) continue;
    out.push(n.textContent);
  }
  return out.join(' ');
}"""

# English words that may stand on a Chinese page, each a name:
ALLOWED_EN = {
    "Meta",  # "Meta 分析" (meta-analysis) is how Chinese medical writing names it
    "et", "al",  # "Lai et al. 2022": a study known by its first author (NAMES holds the full names)
    "BibTeX", "Schema",  # names of file formats (the downloads, "JSON Schema")
    "ClinicalTrials", "gov",  # ClinicalTrials.gov, the registry
    "Ib", "d",  # phase Ib (the phases' notation), d (days, the unit as the sources write it: "7 d")
}
# An abbreviation with the English it stands for, as the source writes it in its Chinese text and titles:
# "肿瘤免疫微环境（Tumor Immune Micro-environment，TIME）"
EXPANSION = re.compile(r"[（(][A-Za-z][A-Za-z \-]+[，,] ?[A-Z][A-Za-z0-9\-]*[）)]")
# a word with a lower-case letter: not an abbreviation (HCC), nor one in the plural (ICIs)
# (nor a measure's: mOS, mPFS, mRECIST)
ENGLISH_WORD = re.compile(r"\b(?![A-Z]{2,}s\b)(?!m[A-Z]{2,}\b)[A-Za-z]*[a-z][A-Za-z]*\b")
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


@pytest.fixture(scope="module")
def names(site) -> list[str]:
    """Names as the records give them, longest first: the studies' names, and the names of the drugs that
    have no Chinese name (their Chinese record spells them in Latin letters, as the sources do)."""
    out = set()
    for tr in json.loads((site / "data/trials.json").read_text(encoding="utf-8")):
        out.update([tr["name"], tr.get("zh_name") or ""])  # "Bai 等 2024": its author's name stays Latin
        out.update(tr.get("aliases") or [])
    for d in json.loads((site / "data/drugs.json").read_text(encoding="utf-8")):
        name = d.get("name") or {}
        if not HAN.search(name.get("zh") or ""):
            out.update([name.get("zh") or "", name.get("en") or "", d.get("inn") or ""])
            out.update((d.get("aliases") or {}).get("zh", []) + (d.get("aliases") or {}).get("en", []))
    return sorted((n for n in out if n), key=len, reverse=True)


def where(text: str, found: list[str]) -> list[str]:
    """Where the first few were found, with some text around them."""
    out = []
    for w in found[:6]:
        i = text.find(w)
        out.append(" ".join(text[max(0, i - 30):i + len(w) + 30].split()))
    return out


def open_kind(page, server, kind: str, lang: str) -> None:
    path = EXTRA[kind].format(lang=lang) if kind in EXTRA else kind_path(kind, lang)
    bk.visit(page, server.url + path)
    if kind == "search":
        page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length > 0",
                               timeout=20000)
    page.wait_for_load_state("networkidle")


def read(page, lang: str, kind: str) -> str:
    if kind == "404":  # one page for both languages: each language's part of its text, marked as such
        return " ".join(page.locator('article [lang^="zh"]' if lang == "zh" else 'article [lang="en"]')
                        .all_inner_texts())
    other = '[lang]:not([lang^="zh"])' if lang == "zh" else '[lang^="zh"]'
    return page.evaluate(VISIBLE_TEXT, [EXEMPT, other, EXCERPT])


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_the_interface_speaks_the_page_language(request, server, site, names, kind, lang):
    if kind not in EXTRA and not bk.kind_file(site, kind, lang).exists():
        pytest.skip(f"the build has no {kind} page")
    page = request.getfixturevalue("search_page" if kind == "search" else "page")
    if kind == "search":
        server = request.getfixturevalue("search_server")
    page.set_viewport_size(bk.DESKTOP)
    open_kind(page, server, kind, lang)
    text = read(page, lang, kind)
    assert text.strip(), "no visible text read"
    if lang == "zh":
        for name in names:
            text = text.replace(name, " ")
        text = EXPANSION.sub(" ", text)
        words = sorted({w for w in ENGLISH_WORD.findall(text) if w not in ALLOWED_EN})
        assert not words, f"English words on the Chinese {kind} page: {words[:40]}; e.g. {where(text, words)}"
    else:
        han = sorted(set(HAN.findall(text)))
        assert not han, f"Chinese on the English {kind} page: {han[:40]}; e.g. {where(text, han)}"


def test_the_reading_finds_a_word_of_the_other_language(page, server):
    """The exemptions leave the interface in the reading: an English button label on a Chinese page, and a
    Chinese one on an English page, are found."""
    for lang, planted, found in (("zh", "Dark mode", "mode"), ("en", "切换到深色模式", "切换到深色模式")):
        open_kind(page, server, "trial-index", lang)
        page.evaluate("""t => { const b = document.createElement('button'); b.textContent = t;
            document.querySelector('.md-header__inner').append(b); }""", planted)
        text = read(page, lang, "trial-index")
        assert found in (ENGLISH_WORD.findall(text) if lang == "zh" else HAN.findall(text))
