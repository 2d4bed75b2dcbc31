"""Record values as text in a page's language: vocabulary labels, measures, figures with their units,
CIs and criteria, names of regimens and drugs, and the cells of a records table (used by the tables, the
charts and the record pages)."""

from __future__ import annotations

from typing import Any

from .. import i18n
from ..sources.records import (CATEGORIES, DESIGNS, MEASURES, SETTINGS, UNITS, Endpoint, Records, Regimen, Trial,
                               count_figure, format_number, has_han, published_words, status_words, with_details)
from ..sources.tablespec import cite
from ..urls import regimen_url, rel, trial_url

# ---------------------------------------------------------------------------------------------------------------
# Interface strings of the record tables and pages
# ---------------------------------------------------------------------------------------------------------------

LIST_SEP = {"zh": "、", "en": ", "}


def names_for(names: list[str], lang: str) -> list[str]:
    """The other names of a record that a reader of that language reads: on English pages the Chinese ones ('A+T
    方案') are left out (they stay on the Chinese pages)."""
    return list(names) if lang == "zh" else [n for n in names if not has_han(n)]


def phase_text(phase: str | None, lang: str) -> str:
    """A trial's phase as a reader writes it: "3 期", "Ib/II 期" on Chinese pages (a bare "3" after the label
    reads as a tumour stage there), the phase as given on English pages."""
    if not phase:
        return ""
    return i18n.t("phase_value", lang).format(phase=phase)


def vocab_label(vocab: dict[str, dict[str, str]], value: str | None, lang: str) -> str:
    if not value:
        return ""
    return vocab.get(value, {}).get(lang, value)


def measure_label(measure: str, lang: str, *, long: bool = False) -> str:
    spec = MEASURES.get(measure)
    if spec is None:
        return measure
    zh, en = spec["long" if long else "short"]
    return zh if lang == "zh" else en


def value_text(value: float, unit: str, lang: str, qualifier: str | None = None) -> str:
    """46, '%' -> '46%'; 8.6, 'months' -> '8.6 months' / '8.6 个月'."""
    number = f"{qualifier or ''}{format_number(value)}"
    if unit == "%":
        return f"{number}%"
    return f"{number} {UNITS.get(unit, {}).get(lang, unit)}".rstrip()


def figure_text(e: Endpoint, lang: str) -> str:
    """The figure with its unit, its 95% CI and its response criteria: '7.4 months (95% CI 4.7–19.4)'."""
    return with_details(value_text(e.value, e.unit, lang, e.qualifier), e, lang, i18n.t("ci", lang))


def endpoint_label(e: Endpoint, lang: str) -> str:
    return e.label[lang] if e.label else measure_label(e.measure, lang, long=True)



# ---------------------------------------------------------------------------------------------------------------
# A figure's status: the words of its caveat, and the note its marker links to
# ---------------------------------------------------------------------------------------------------------------


def published_text(e: Endpoint, lang: str) -> str:
    """The primary publication's value of a 'review-differs' figure, with its label: '64% (dose-expansion phase)'."""
    return published_words(e, lang)


def caveat_text(e: Endpoint, lang: str) -> str:
    """The caveat of a figure in a few words ('' when it is as published): shown wherever the figure is."""
    return status_words(e, lang)


def seen_in_text(e: Endpoint, lang: str) -> str:
    p = e.status.published
    return i18n.t(f"seen_in_{p.seen_in.replace('-', '_')}", lang) if p is not None and p.seen_in else ""


def figure_anchor(trial: Trial, e: Endpoint) -> str:
    """The id of a figure's editor's note on its trial's page: 'fig-3' for the third figure of the record."""
    for i, other in enumerate(trial.endpoints):
        if other is e:
            return f"fig-{i + 1}"
    return "figure-notes"


def caveat(trial: Trial, e: Endpoint, lang: str, page_url: str | None) -> dict[str, str] | None:
    """The marker of a figure with a caveat: {mark, words (for screen readers and the tooltip), text, href}."""
    text = caveat_text(e, lang)
    if not text:
        return None
    href = f"#{figure_anchor(trial, e)}"
    if page_url is not None:
        href = rel(page_url, trial_url(lang, trial.id)) + href
    return {"mark": i18n.t("caveat_mark", lang), "text": text, "words": i18n.t("caveat_words", lang, text=text),
            "href": href}


def count_caveat(trial: Trial, lang: str, page_url: str | None, arm: str | None = None) -> dict[str, str] | None:
    """The marker of a patient count that a figure of the record qualifies (records.count_figure), or None."""
    e = count_figure(trial, arm)
    return caveat(trial, e, lang, page_url) if e is not None else None


def item(text: str, href: str | None = None, sub: str = "", keys: list[str] | None = None,
         caveat: dict[str, str] | None = None, sub_caveat: dict[str, str] | None = None) -> dict[str, Any]:
    """A cell's item; ``caveat`` qualifies its text, ``sub_caveat`` its sub-text (an arm's 'n = 21')."""
    return {"text": text, "href": href, "sub": sub, "cite": cite(keys or []), "caveat": caveat,
            "sub_caveat": sub_caveat}


def regimen_name(records: Records, rid: str, lang: str) -> str:
    r = records.regimens.get(rid)
    return r.name[lang] if r is not None and r.name else rid


def drug_name(records: Records, did: str, lang: str) -> str:
    d = records.drugs.get(did)
    return d.label(lang) if d is not None else did


def cell_items(records: Records, kind: str, rec: Any, col: str, lang: str, page_url: str, *,
               figures: list[tuple[Trial, Endpoint]] | None = None, link_self: bool = True) -> list[dict[str, Any]]:
    sep = LIST_SEP[lang]
    if figures is not None:
        out = []
        for trial, e in figures:
            sub = ""
            if kind == "trials" and e.arm and len(trial.arms) > 1:
                sub = regimen_name(records, e.arm, lang)
            elif kind == "regimens":
                sub = trial.display_name(lang)
            if e.label:
                sub = f"{e.label[lang]}{sep if sub else ''}{sub}"
            out.append(item(figure_text(e, lang), sub=sub, keys=[e.source], caveat=caveat(trial, e, lang, page_url)))
        return out
    if kind == "trials":
        t: Trial = rec
        if col == "name":
            return [item(t.display_name(lang), rel(page_url, trial_url(lang, t.id)) if link_self else None)]
        if col == "registry":
            return [item(r) for r in t.registry]
        if col == "phase":
            return [item(phase_text(t.phase, lang))] if t.phase else []
        if col == "design":
            return [item(vocab_label(DESIGNS, t.design, lang))] if t.design else []
        if col == "settings":
            return [item(sep.join(vocab_label(SETTINGS, x, lang) for x in t.settings))] if t.settings else []
        if col == "population":
            return [item(t.population[lang])] if t.population else []
        if col == "arms":
            return [item(regimen_name(records, a.regimen, lang), rel(page_url, regimen_url(lang, a.regimen)),
                         sub=f"n = {a.n}" if a.n is not None else "",
                         sub_caveat=count_caveat(t, lang, page_url, a.regimen)) for a in t.arms]
        if col == "patients":
            if t.patients is None:
                return []
            # the trial's count carries the caveat of the figure that gives it (a review's n = 21 against the
            # publication's 20 assessable patients)
            return [item(str(t.patients), caveat=count_caveat(t, lang, page_url))]
        if col == "sequence":
            return [item(t.sequence[lang])] if t.sequence else []
        if col == "status":
            return [item(x[lang]) for x in t.status]
        if col == "refs":
            return [item("", keys=t.refs)] if t.refs else []
    else:
        r: Regimen = rec
        if col == "name":
            return [item(r.name[lang] if r.name else r.id, rel(page_url, regimen_url(lang, r.id)) if link_self else None)]
        if col == "labels":
            return [item(sep.join(names_for(r.labels, lang)))] if names_for(r.labels, lang) else []
        if col == "components":
            return [item(sep.join(drug_name(records, d, lang) for d in r.components))] if r.components else []
        if col == "category":
            return [item(vocab_label(CATEGORIES, r.category, lang))] if r.category else []
        if col == "settings":
            return [item(sep.join(vocab_label(SETTINGS, x, lang) for x in r.settings))] if r.settings else []
        if col == "trials":
            return [item(t.display_name(lang), rel(page_url, trial_url(lang, t.id))) for t in records.trials_of(r.id)]
    return []
