"""The pages of the records, in each language: one per trial and per regimen, and three index pages.

``{lang}/trials/{id}.md``, ``{lang}/regimens/{id}.md``, ``{lang}/trials/index.md``,
``{lang}/regimens/index.md``, ``{lang}/drugs/index.md``. A record page shows the whole record, the
editor's notes on its figures, its notes, where the reviews mention it (found automatically,
:func:`generator.sources.mentions.find_mentions`) and its own numbered reference list. The index pages hold
a complete HTML table that needs no script; a small self-hosted script (:func:`static_files`) adds
sorting and filtering in the browser.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

from markupsafe import Markup

from ..bib.bibliography import Bibliography
from ..i18n import HTML_LANG, Strings, t
from ..sources.bilingual import LANGS
from ..sources.citations import replace, scan
from ..sources.content import Project
from ..sources.mentions import Mention, find_mentions
from ..sources.records import CATEGORIES, DESIGNS, DRUG_CLASSES, SETTINGS, Drug, Endpoint, Records, Regimen, Trial
from ..sources.tablespec import RecordTables, TableSpec, phase_key
from ..urls import page_uri, regimen_url, rel, trial_url
from .charts import forest_chart, response_chart, timeline_chart
from .recordtext import (LIST_SEP, caveat, count_caveat, endpoint_label, figure_anchor, figure_text, names_for,
                         phase_text, published_text, regimen_name, seen_in_text, vocab_label)
from .render import Page, Renderer
from .tables import TableRenderer

SCRIPT_URL = "assets/javascripts/records-table.js"

def static_files() -> dict[str, bytes]:
    """Files to publish as they are: the table script."""
    script = resources.files("generator.site").joinpath("templates/records/records-table.js").read_bytes()
    return {SCRIPT_URL: script}


def cite_markup(numbers: list[int], lang: str, href: str = "", cite_id: str = "") -> Markup:
    """A local citation '[1, 3]' linking to the page's own reference list (``cite_id``: its id, the target of
    the list's backlinks)."""
    nums = sorted(set(numbers))
    if not nums:
        return Markup("")
    links = Markup(", ").join(
        Markup('<a class="d{}" href="{}#ref-{}" aria-label="{} {}">{}</a>').format(len(str(n)), href, n,
                                                                               t("cite_label", lang), n, n)
        for n in nums)
    where = Markup(' id="{}"').format(cite_id) if cite_id else ""
    return Markup('<span class="cite"{} data-refs="{}">[{}]</span>').format(where, " ".join(map(str, nums)), links)


# A column of an index whose cells are empty in more than this share of the rows is left out: a column of
# "—" tells a reader nothing (the record pages and the data files keep every field).
MOSTLY_EMPTY = 0.75
NCT = re.compile(r"^NCT\d{8}$")
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def trial_patients(tr: Trial) -> int | None:
    """The number of patients: the record's, or the sum of its arms' when every arm gives one."""
    if tr.patients is not None:
        return tr.patients
    ns = [a.n for a in tr.arms]
    return sum(ns) if ns and all(n is not None for n in ns) else None


def _patients_caveat(tr: Trial, lang: str, url: str) -> dict[str, str] | None:
    """The marker of the index's patient count: the record's count, or the first qualified arm of a summed one."""
    if tr.patients is not None:
        return count_caveat(tr, lang, url)
    return next((c for a in tr.arms if (c := count_caveat(tr, lang, url, a.regimen)) is not None), None)


def trial_registry(tr: Trial) -> list[str]:
    """The registry numbers: the record's, or a trial known by its ClinicalTrials.gov number (its name)."""
    if tr.registry:
        return list(tr.registry)
    return [n for n in dict.fromkeys([tr.name, *tr.aliases]) if NCT.match(n)]


def drop_empty_columns(headers: list[str], rows: list[dict[str, Any]]) -> tuple[list[str], list[dict[str, Any]]]:
    """The columns (after the first, the row's name) that have a value in enough rows."""
    keep = [i for i in range(len(headers))
            if i == 0 or sum(1 for r in rows if r["cells"][i]["items"]) > (1 - MOSTLY_EMPTY) * len(rows)]
    return ([headers[i] for i in keep],
            [{**r, "cells": [r["cells"][i] for i in keep]} for r in rows])


class LocalRefs:
    """The numbered reference list of one record page: numbers by first use."""

    def __init__(self, keys: list[str]):
        self.numbers: dict[str, int] = {}
        # the citations of the page that cite each key, by id, in the order they were made (the list's backlinks:
        # every citation made must be put on the page)
        self.places: dict[str, list[str]] = {}
        self._cites = 0
        for k in keys:
            self.number(k)

    def number(self, key: str) -> int:
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
        return self.numbers[key]

    def label(self, key: str) -> str:
        return f"[{self.number(key)}]"

    def cite(self, text: str, lang: str, hold=str) -> str:
        """Replace the ``[@key]`` markers of a text by local citations (``hold``: what to do with their HTML)."""
        found = scan(text)
        if not found.citations:
            return text
        return replace(text, found.citations, lambda c: hold(str(self._cite(c.keys, lang))))

    def _cite(self, keys: list[str], lang: str) -> Markup:
        self._cites += 1
        cite_id = f"cite-r{self._cites}"
        for k in dict.fromkeys(keys):
            self.places.setdefault(k, []).append(cite_id)
        return cite_markup([self.number(k) for k in keys], lang, cite_id=cite_id)


class RecordPages:
    def __init__(self, project: Project, records: Records, bib: Bibliography, renderer: Renderer,
                 mentions: dict[str, list[Mention]] | None = None):
        self.project = project
        self.records = records
        self.bib = bib
        self.renderer = renderer
        self.mentions = mentions if mentions is not None else find_mentions(project, records)
        self.tables = TableRenderer(RecordTables(records))
        self.env = self.tables.env  # autoescape; '[' of generated text written as an entity

    # ---- shared pieces ----------------------------------------------------------------------------------------
    def meta(self, url: str, lang: str, title: str, kind: str, **extra: Any) -> Markup:
        # The title is escaped once, in Renderer.meta (the theme writes titles unescaped).
        return self.renderer.meta(title=title, lang=lang, kind=kind, **extra,
                                  **self.renderer.alternates(url, lang))

    def reflist(self, refs: LocalRefs, lang: str) -> list[dict[str, Any]]:
        out = []
        for key, n in sorted(refs.numbers.items(), key=lambda kv: kv[1]):
            if key not in self.bib:
                continue
            f = self.bib.format(key, lang)
            back = [{"href": f"#{place}", "text": str(k), "label": t("backlink", lang, k=k)}
                    for k, place in enumerate(refs.places.get(key, []), 1)]
            out.append({"n": n, "html": Markup(f.html), "links": f.links, "backlinks": back})
        return out

    def mention_list(self, rid: str, url: str, lang: str) -> list[dict[str, Any]]:
        """Mentions grouped by section: {review, section, href, passages: [{href, label}]}."""
        groups: dict[tuple[str, str], dict[str, Any]] = {}
        for m in self.mentions.get(rid, []):
            key = (m.review.id, m.section.id)
            if key not in groups:
                title = m.review.title[lang] if m.section.kind == "landing" else m.section.full_title(lang)
                groups[key] = {"review": m.review.title[lang], "section": title,
                               "href": rel(url, m.section.url(lang)), "passages": []}
            g = groups[key]
            n = len(g["passages"]) + 1
            g["passages"].append({"href": rel(url, m.section.url(lang) + f"#{m.anchor}"),
                                  "label": t("passage", lang).format(n=n)})
        return list(groups.values())

    def notes(self, record: Trial | Regimen | Drug, refs: LocalRefs, lang: str) -> list[Markup]:
        other = "en" if lang == "zh" else "zh"
        kind = "trials" if isinstance(record, Trial) else "regimens" if isinstance(record, Regimen) else "drugs"
        body = self.records.bodies.get((kind, record.id))
        pairs = body.pairs if body is not None else []
        out = []
        for k, note in enumerate(record.notes):
            side = lang if note[lang] else other
            text = note[side]
            if text.strip():
                # contributor text, sanitized after markdown; the citations' markup is the generator's, put in
                # at the end
                text = refs.cite(text, lang, hold=self.renderer.fragments.inline)
                block = pairs[k].block(side) if k < len(pairs) else None
                out.append(Markup(self.renderer.contributor(text, record.path, block)))
        return out

    def figure_rows(self, figures: list[tuple[Trial, Endpoint]], refs: LocalRefs, url: str, lang: str, *,
                    show_trial: bool, show_arm: bool) -> list[dict[str, Any]]:
        rows = []
        for trial, e in figures:
            review = next((r for r in self.project.reviews if r.id == e.review), None)
            rows.append({
                "trial": trial.display_name(lang), "trial_href": rel(url, trial_url(lang, trial.id)) if show_trial else "",
                "arm": regimen_name(self.records, e.arm, lang) if e.arm and show_arm else "",
                "arm_href": rel(url, regimen_url(lang, e.arm)) if e.arm and show_arm else "",
                "measure": endpoint_label(e, lang), "value": figure_text(e, lang),
                "cite": Markup(refs.cite(f"[@{e.source}]", lang)),
                "quote": e.quote or "", "quote_en": e.quote_en or "" if lang == "en" else "", "review": review.title[lang] if review else "",
                "review_href": rel(url, review.landing.url(lang)) if review else "",
                "note": e.note[lang] if e.note else "",
                "caveat": caveat(trial, e, lang, url),
                "anchor": "" if show_trial else figure_anchor(trial, e),
                # shown only with its note (figure_notes): its citations are made only then
                "published": self.published_row(e, refs, lang) if e.note and e.note[lang] else None,
            })
        return rows

    @staticmethod
    def published_row(e: Endpoint, refs: LocalRefs, lang: str) -> dict[str, Any] | None:
        """A figure whose review value the primary publication contradicts: both values, each with its source."""
        p = e.status.published
        if p is None:
            return None
        return {"review": figure_text(e, lang), "review_cite": Markup(refs.cite(f"[@{e.source}]", lang)),
                "published": published_text(e, lang), "published_cite": Markup(refs.cite(f"[@{p.source}]", lang)),
                "seen_in": seen_in_text(e, lang)}

    # ---- trial --------------------------------------------------------------------------------------------------
    def trial_page(self, trial: Trial, lang: str) -> Page:
        url = trial_url(lang, trial.id)
        refs = LocalRefs(self.records.keys_of(trial))
        sep = LIST_SEP[lang]
        facts = []
        if names_for(trial.aliases, lang):
            facts.append({"label": t("aliases", lang), "items": [{"text": sep.join(names_for(trial.aliases, lang))}]})
        if trial.registry:
            facts.append({"label": t("registry", lang), "items": [
                {"text": r, "href": f"https://clinicaltrials.gov/study/{r}"} for r in trial.registry]})
        if trial.phase:
            facts.append({"label": t("phase", lang), "items": [{"text": phase_text(trial.phase, lang)}]})
        if trial.design:
            facts.append({"label": t("design", lang), "items": [{"text": vocab_label(DESIGNS, trial.design, lang)}]})
        if trial.settings:
            facts.append({"label": t("settings", lang), "items": [
                {"text": sep.join(vocab_label(SETTINGS, x, lang) for x in trial.settings)}]})
        if trial.population:
            facts.append({"label": t("population", lang), "items": [{"text": trial.population[lang]}]})
        if trial.patients is not None:
            facts.append({"label": t("patients", lang), "items": [
                {"text": str(trial.patients), "caveat": count_caveat(trial, lang, url)}]})
        if trial.arms:
            facts.append({"label": t("arms", lang), "items": [
                {"text": regimen_name(self.records, a.regimen, lang), "href": rel(url, regimen_url(lang, a.regimen)),
                 "sub": f"n = {a.n}" if a.n is not None else "",
                 "sub_caveat": count_caveat(trial, lang, url, a.regimen)} for a in trial.arms]})
        cid = f"chart-{trial.id}-{lang}"
        figures = [(trial, e) for e in trial.endpoints]
        charts = [c for c in (response_chart(self.records, [trial], lang, refs.label, cid + "-r", page_url=url),
                              forest_chart(self.records, [trial], lang, refs.label, cid + "-f", page_url=url)) if c]
        md = self.env.get_template("records/trial.md.j2").render(
            meta=self.meta(url, lang, trial.display_name(lang), "trial", record=trial.id), t=Strings(lang), lang=lang,
            trial=trial, facts=facts, index_href="../",
            sequence=trial.sequence[lang] if trial.sequence else "",
            sequence_caveat=trial.sequence.caveat[lang] if trial.sequence and trial.sequence.caveat else "",
            timeline=timeline_chart(self.records, trial, lang, cid + "-t") or "",
            figures=self.figure_rows(figures, refs, url, lang, show_trial=False, show_arm=True),
            show_arm=len(trial.arms) > 1, charts=charts,
            status=[{"text": s_[lang], "review": self._review_title(s_.review, lang),
                     "href": self._review_href(s_.review, url, lang)} for s_ in trial.status],
            claims=self.claim_rows(trial, refs, url, lang),
            notes=self.notes(trial, refs, lang), mentions=self.mention_list(trial.id, url, lang),
            zh_lang=HTML_LANG["zh"], refs_cited=Markup(refs.cite(_cites(trial.refs), lang)) if trial.refs else "",
            references=self.reflist(refs, lang),
        )
        return Page(page_uri(url), md, self._source(trial), lang)

    def claim_rows(self, trial: Trial, refs: LocalRefs, url: str, lang: str) -> list[dict[str, Any]]:
        """The review's statements that the primary publication contradicts, each beside what it reports."""
        rows = []
        for c in trial.review_claims:
            rows.append({"quote": c.quote, "quote_en": c.quote_en if lang == "en" else "",
                         "review": self._review_title(c.review, lang), "review_href": self._review_href(c.review, url, lang),
                         "section": c.section or "",
                         "published": c.published[lang] if c.published else "",
                         "cite": Markup(refs.cite(f"[@{c.source}]", lang)),
                         "seen_in": t(f"seen_in_{c.seen_in.replace('-', '_')}", lang) if c.seen_in else ""})
        return rows

    def _review_title(self, review_id: str | None, lang: str) -> str:
        r = next((r for r in self.project.reviews if r.id == review_id), None)
        return r.title[lang] if r else ""

    def _review_href(self, review_id: str | None, url: str, lang: str) -> str:
        r = next((r for r in self.project.reviews if r.id == review_id), None)
        return rel(url, r.landing.url(lang)) if r else ""

    def _source(self, record: Any) -> str | None:
        if record.path is None:
            return None
        try:
            return record.path.resolve().relative_to(self.project.root.resolve()).as_posix()
        except ValueError:
            return None

    # ---- regimen ------------------------------------------------------------------------------------------------
    def regimen_page(self, regimen: Regimen, lang: str) -> Page:
        url = regimen_url(lang, regimen.id)
        trials = self.records.trials_of(regimen.id)
        figures = [(tr, e) for tr in trials for e in tr.endpoints if e.arm == regimen.id]
        keys = [e.source for _, e in figures] + [k for tr in trials for k in tr.refs] + self.records.keys_of(regimen)
        refs = LocalRefs(keys)
        sep = LIST_SEP[lang]
        facts = []
        if names_for(regimen.labels, lang):
            # other names of the regimen a reader of this language reads, each marked with its language
            facts.append({"label": t("labels", lang), "items": [
                {"text": x, "lang": HTML_LANG["zh"] if HAN.search(x) else HTML_LANG["en"]}
                for x in names_for(regimen.labels, lang)]})
        facts.append({"label": t("components", lang), "items": [
            {"text": self._drug_label(d, lang), "href": rel(url, f"{lang}/drugs/#drug-{d}"),
             "sub": vocab_label(DRUG_CLASSES, self.records.drugs[d].cls, lang) if d in self.records.drugs else ""}
            for d in regimen.components]})
        if regimen.category:
            facts.append({"label": t("category", lang),
                          "items": [{"text": vocab_label(CATEGORIES, regimen.category, lang)}]})
        if regimen.settings:
            facts.append({"label": t("settings", lang), "items": [
                {"text": sep.join(vocab_label(SETTINGS, x, lang) for x in regimen.settings)}]
                + ([{"text": regimen.setting_caveat[lang]}] if regimen.setting_caveat else [])})
        table = ""
        if trials:
            spec = TableSpec(type="trials", ids=[tr.id for tr in trials],
                             columns=["name", "phase", "design", "settings", "arms", "patients", "refs"])
            table = Markup(refs.cite(self.tables.render(spec, lang, url), lang))
        cid = f"chart-{regimen.id}-{lang}"
        md = self.env.get_template("records/regimen.md.j2").render(
            meta=self.meta(url, lang, regimen.name[lang] if regimen.name else regimen.id, "regimen", record=regimen.id),
            t=Strings(lang), lang=lang, regimen=regimen, facts=facts, index_href="../", studies=table,
            figures=self.figure_rows(figures, refs, url, lang, show_trial=True, show_arm=False),
            charts=[c for c in (response_chart(self.records, trials, lang, refs.label, cid + "-r", regimen.id,
                                               page_url=url),
                                forest_chart(self.records, trials, lang, refs.label, cid + "-f", regimen.id,
                                             page_url=url)) if c]
            if figures else [],
            notes=self.notes(regimen, refs, lang), mentions=self.mention_list(regimen.id, url, lang),
            zh_lang=HTML_LANG["zh"], references=self.reflist(refs, lang),
        )
        return Page(page_uri(url), md, self._source(regimen), lang)

    def _drug_label(self, did: str, lang: str) -> str:
        d = self.records.drugs.get(did)
        if d is None:
            return did
        name = d.name[lang] if d.name else did
        if not d.abbr or d.abbr in name:  # 'HAIC-FOLFOX（以 FOLFOX 方案…）' names its abbreviation already
            return name
        return f"{d.abbr}（{name}）" if lang == "zh" else f"{d.abbr} ({name})"

    # ---- indexes ------------------------------------------------------------------------------------------------
    def _filters(self, lang: str, present: dict[str, list[str]]) -> list[dict[str, Any]]:
        vocab = {"setting": SETTINGS, "category": CATEGORIES, "drugclass": DRUG_CLASSES}
        out = []
        for name in ("setting", "category", "phase", "drugclass", "drug"):
            values = present.get(name) or []
            if not values:
                continue
            if name in vocab:
                options = [{"value": v, "label": vocab_label(vocab[name], v, lang)} for v in vocab[name] if v in values]
            elif name == "drug":
                options = sorted(({"value": v, "label": self._drug_label(v, lang)} for v in values),
                                 key=lambda o: o["label"].casefold())
            elif name == "phase":
                options = [{"value": v, "label": phase_text(v, lang)} for v in sorted(values)]
            else:
                options = [{"value": v, "label": v} for v in sorted(values)]
            out.append({"name": name, "label": t(name, lang), "options": options})
        return out

    def data_links(self, url: str) -> list[dict[str, str]]:
        files = ["data/trials.json", "data/trials.csv", "data/endpoints.csv", "data/regimens.json", "data/drugs.json",
                 "data/schema/trials.schema.json", "data/schema/regimens.schema.json", "data/schema/drugs.schema.json"]
        return [{"href": rel(url, f), "label": f.split("/")[-1]} for f in files]

    def trials_index(self, lang: str) -> Page:
        url = f"{lang}/trials/"
        trials = sorted(self.records.trials.values(), key=lambda tr: (tr.display_name(lang).casefold(), tr.id))
        sep = LIST_SEP[lang]
        present: dict[str, list[str]] = {"setting": [], "category": [], "phase": [], "drug": [], "drugclass": []}
        rows = []
        for tr in trials:
            drugs = self.records.drugs_of_trial(tr)
            cats = self.records.categories_of_trial(tr)
            classes = list(dict.fromkeys(self.records.drugs[d].cls for d in drugs
                                         if d in self.records.drugs and self.records.drugs[d].cls))
            data = {"setting": tr.settings, "category": cats, "phase": [phase_key(tr.phase)] if tr.phase else [],
                    "drug": drugs, "drugclass": classes}
            for k, v in data.items():
                present[k] += [x for x in v if x not in present[k]]
            patients = trial_patients(tr)
            registry = trial_registry(tr)
            rows.append({
                "data": {k: " ".join(v) for k, v in data.items()},
                "cells": [
                    {"items": [{"text": tr.display_name(lang), "href": rel(url, trial_url(lang, tr.id))}]},
                    {"items": [{"text": phase_text(tr.phase, lang)}] if tr.phase else [], "sort": phase_key(tr.phase)},
                    {"items": [{"text": vocab_label(DESIGNS, tr.design, lang)}] if tr.design else []},
                    {"items": [{"text": sep.join(vocab_label(SETTINGS, x, lang) for x in tr.settings)}]
                     if tr.settings else []},
                    {"items": [{"text": regimen_name(self.records, a.regimen, lang),
                                "href": rel(url, regimen_url(lang, a.regimen))} for a in tr.arms]},
                    {"items": [{"text": sep.join(vocab_label(CATEGORIES, c, lang) for c in cats)}] if cats else []},
                    {"items": [{"text": r} for r in registry]},
                    {"items": [{"text": str(patients), "caveat": _patients_caveat(tr, lang, url)}]
                     if patients is not None else [],
                     "sort": str(patients) if patients is not None else ""},
                    {"items": [{"text": str(len(tr.endpoints))}] if tr.endpoints else [],
                     "sort": str(len(tr.endpoints))},
                ]})
        headers = [t("name", lang), t("phase", lang), t("design", lang), t("settings", lang), t("arms", lang),
                   t("category", lang), t("registry", lang), t("patients", lang), t("figures", lang)]
        headers, rows = drop_empty_columns(headers, rows)
        # charts: every figure comes with its reference, numbered in the order the charts show them
        refs = LocalRefs([])
        charts = [c for c in (response_chart(self.records, trials, lang, refs.label, f"chart-trials-{lang}-r",
                                             page_url=url),
                              forest_chart(self.records, trials, lang, refs.label, f"chart-trials-{lang}-f",
                                           page_url=url)) if c]
        timelines = [c for c in (timeline_chart(self.records, tr, lang, f"chart-seq-{tr.id}-{lang}")
                                 for tr in trials) if c]
        chart_refs = refs
        md = self.env.get_template("records/index.md.j2").render(
            meta=self.meta(url, lang, t("trials_title", lang), "trials-index", description=t("trials_intro", lang)), t=Strings(lang), lang=lang,
            intro=t("trials_intro", lang), table_id="trials-table", headers=headers, rows=rows,
            filters=self._filters(lang, present), script=rel(url, SCRIPT_URL), charts=charts, timelines=timelines,
            data_links=self.data_links(url), references=self.reflist(chart_refs, lang),
            count=t("count", lang), caption=t("trials_title", lang),
            nav=[{"href": "../regimens/", "label": t("all_regimens", lang)},
                 {"href": "../drugs/", "label": t("all_drugs", lang)}],
        )
        return Page(page_uri(url, index=True), md, None, lang)

    def regimens_index(self, lang: str) -> Page:
        url = f"{lang}/regimens/"
        regimens = sorted(self.records.regimens.values(),
                          key=lambda r: ((r.name[lang] if r.name else r.id).casefold(), r.id))
        sep = LIST_SEP[lang]
        present: dict[str, list[str]] = {"setting": [], "category": [], "phase": [], "drug": [], "drugclass": []}
        rows = []
        for r in regimens:
            trials = self.records.trials_of(r.id)
            data = {"setting": r.settings, "category": [r.category] if r.category else [],
                    "phase": list(dict.fromkeys(phase_key(tr.phase) for tr in trials if tr.phase)),
                    "drug": r.components,
                    "drugclass": list(dict.fromkeys(self.records.drugs[d].cls for d in r.components
                                                    if d in self.records.drugs and self.records.drugs[d].cls))}
            for k, v in data.items():
                present[k] += [x for x in v if x not in present[k]]
            rows.append({
                "data": {k: " ".join(v) for k, v in data.items()},
                "cells": [
                    {"items": [{"text": r.name[lang] if r.name else r.id, "href": rel(url, regimen_url(lang, r.id))}]},
                    {"items": [{"text": sep.join(names_for(r.labels, lang))}] if names_for(r.labels, lang) else []},
                    {"items": [{"text": self._drug_label(d, lang), "href": rel(url, f"{lang}/drugs/#drug-{d}")}
                               for d in r.components]},
                    {"items": [{"text": vocab_label(CATEGORIES, r.category, lang)}] if r.category else []},
                    {"items": [{"text": sep.join(vocab_label(SETTINGS, x, lang) for x in r.settings)}]
                     if r.settings else []},
                    {"items": [{"text": tr.display_name(lang), "href": rel(url, trial_url(lang, tr.id))} for tr in trials]},
                ]})
        headers = [t("regimen", lang), t("labels", lang), t("components", lang), t("category", lang),
                   t("settings", lang), t("trials", lang)]
        md = self.env.get_template("records/index.md.j2").render(
            meta=self.meta(url, lang, t("regimens_title", lang), "regimens-index", description=t("regimens_intro", lang)), t=Strings(lang), lang=lang,
            intro=t("regimens_intro", lang), table_id="regimens-table", headers=headers, rows=rows,
            filters=self._filters(lang, present), script=rel(url, SCRIPT_URL), charts=[], timelines=[],
            data_links=self.data_links(url), references=[], count=t("count", lang),
            caption=t("regimens_title", lang),
            nav=[{"href": "../trials/", "label": t("all_trials", lang)},
                 {"href": "../drugs/", "label": t("all_drugs", lang)}],
        )
        return Page(page_uri(url, index=True), md, None, lang)

    def drugs_index(self, lang: str) -> Page:
        url = f"{lang}/drugs/"
        sep = LIST_SEP[lang]
        drugs = sorted(self.records.drugs.values(), key=lambda d: (d.label(lang).casefold(), d.id))
        rows = []
        for d in drugs:
            regimens = [r for r in self.records.regimens.values() if d.id in r.components]
            rows.append({
                "id": f"drug-{d.id}", "data": {},
                "cells": [
                    {"items": [{"text": d.name[lang] if d.name else d.id}]},
                    {"items": [{"text": d.abbr}] if d.abbr else []},
                    {"items": [{"text": d.inn, "lang": HTML_LANG["en"]}] if d.inn else []},
                    {"items": [{"text": vocab_label(DRUG_CLASSES, d.cls, lang)}] if d.cls else []},
                    # the spellings of the sources a reader of this language reads, each a name in its language
                    {"items": [{"text": sep.join(names_for(names, lang)), "lang": HTML_LANG[side]}
                               for side, names in (("zh", d.aliases.zh), ("en", d.aliases.en))
                               if names_for(names, lang)]},
                    {"items": [{"text": r.name[lang] if r.name else r.id, "href": rel(url, regimen_url(lang, r.id))}
                               for r in regimens]},
                ]})
        headers = [t("drug", lang), t("abbr", lang), t("inn", lang), t("class", lang), t("aliases", lang),
                   t("regimens_with", lang)]
        md = self.env.get_template("records/index.md.j2").render(
            meta=self.meta(url, lang, t("drugs", lang), "drugs-index", description=t("drugs_intro", lang)), t=Strings(lang), lang=lang,
            intro=t("drugs_intro", lang), table_id="drugs-table", headers=headers, rows=rows, filters=[],
            script=rel(url, SCRIPT_URL), charts=[], timelines=[], data_links=self.data_links(url), references=[],
            count=t("count", lang), caption=t("drugs", lang),
            nav=[{"href": "../trials/", "label": t("all_trials", lang)},
                 {"href": "../regimens/", "label": t("all_regimens", lang)}],
        )
        return Page(page_uri(url, index=True), md, None, lang)

    def all_pages(self) -> list[Page]:
        out: list[Page] = []
        for lang in LANGS:
            if self.records.trials:
                out.append(self.trials_index(lang))
                out += [self.trial_page(tr, lang) for tr in self.records.trials.values()]
            if self.records.regimens:
                out.append(self.regimens_index(lang))
                out += [self.regimen_page(r, lang) for r in self.records.regimens.values()]
            if self.records.drugs:
                out.append(self.drugs_index(lang))
        return out


def _cites(keys: list[str]) -> str:
    return "[" + "; ".join(f"@{k}" for k in keys) + "]"


def pages(project: Project, records: Records, bib: Bibliography, renderer: Renderer) -> list[Page]:
    """Every record page in both languages, in a stable order."""
    return RecordPages(project, records, bib, renderer).all_pages()


def nav_uris(records: Records, lang: str) -> list[str]:
    """The page files of the records in one language, index pages first (for the navigation)."""
    out = []
    if records.trials:
        out.append(f"{lang}/trials/index.md")
    if records.regimens:
        out.append(f"{lang}/regimens/index.md")
    if records.drugs:
        out.append(f"{lang}/drugs/index.md")
    return out
