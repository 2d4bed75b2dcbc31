"""The regimen handout's content: the regimens side by side, grouped by category, from the trial and
regimen records, with a numbered list of short references (the HTML is made by pdf.review.Exporter)."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from ..bib.styles import unverified_words
from ..diagnostics import Report
from ..i18n import t
from ..sources.recordload import load_records
from ..sources.records import CATEGORIES, MEASURES, SETTINGS, UNITS, format_number, status_words, with_details
from .article import CANONICAL
from .model import Model

_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def _records(model: Model) -> Any:
    records = getattr(model, "records", None)
    if records is not None:
        return records
    report = Report(root=model.project.root)  # problems are reported by the build and the check, not here
    return load_records(model.project.content_dir, report, bib=model.bib,
                        review_ids={r.id for r in model.project.reviews})


_LATEX = [(re.compile(r"\\([&%$#_])"), r"\1"), (re.compile(r"---"), "—"), (re.compile(r"--"), "–"),
          (re.compile(r"\\[a-zA-Z]+\s*"), ""), (re.compile(r"[{}]"), "")]


def _latex_text(value: str) -> str:
    """A BibTeX field as plain text (braces, escapes and dashes): enough for journal names and page ranges."""
    for rx, repl in _LATEX:
        value = rx.sub(repl, value)
    return " ".join(value.split())


def short_reference(model: Model, key: str, lang: str) -> tuple[str, str | None]:
    """A one-line reference for the handout: 'El-Khoueiry A B, et al. The Lancet, 2017, 389: 2492-2502', and the
    address of the publication (DOI, PubMed or URL) if it has one."""
    f = model.bib.format(key, lang)
    href = f.links[0][1] if f.links else None
    if f.unidentified:
        first = re.split(r"(?<=[。.])\s*", f.text, maxsplit=1)[0]
        return first.rstrip("。."), href
    fields = {k.lower(): _latex_text(v) for k, v in model.bib.entry(key).fields.items()}
    persons = model.bib.entry(key).persons.get("author") or []
    who = ""
    if persons:
        who = re.split(r",\s|\.\s", f.text, maxsplit=1)[0].strip()  # the first author as the style writes it
        if len(persons) > 1 or "others" in str(persons[-1]).lower():
            who += f", {t('et_al', lang)}"
    where = next((fields[k] for k in ("journal", "booktitle", "organization", "publisher") if fields.get(k)), "")
    if not persons and not fields.get("journal") and fields.get("title"):
        where = fields["title"]
    bits = [where] if where else []
    year = fields.get("year", "")
    detail = year
    if fields.get("volume"):
        detail += (", " if lang == "zh" else ";") + fields["volume"]
    if fields.get("pages"):
        detail += (": " if lang == "zh" else ":") + fields["pages"]
    if detail:
        bits.append(detail)
    if not fields.get("pages") and model.bib.entry(key).type == "article" and fields.get("note"):
        bits.append(fields.get(f"note_{lang}") or fields["note"])  # an abstract is found by its note: 'abstract LBA38'
    # GB/T 7714 'The Lancet, 2017, 389: 2492-2502' / Vancouver 'The Lancet. 2017;389:2492-2502'
    text = ". ".join(b.rstrip(".") for b in [who, *([", ".join(bits)] if lang == "zh" else bits)] if b)
    if text and fields.get("unverified"):  # as the site's reference list says it: 'Authors and title not verified'
        text += f". {unverified_words(fields['unverified'], lang)}" + ("。" if lang == "zh" else "")
    return text or f.text, href


def _figure(e: Any, lang: str, short: bool = False) -> str:
    """'mOS 13.6 months (95% CI 12.1–14.9)'; ``short``: without the interval and criteria (a footnote's name of it)."""
    number = f"{e.qualifier or ''}{format_number(e.value)}"
    if e.measure == "patients":
        return f"n = {number}"
    if e.label is not None:
        name = e.label[lang]
    else:
        spec = MEASURES.get(e.measure)
        name = (spec["short"][0 if lang == "zh" else 1]) if spec else e.measure
    value = f"{number}%" if e.unit == "%" else f"{number} {UNITS.get(e.unit, {}).get(lang, e.unit)}".rstrip()
    return with_details(f"{name} {value}", e, lang, None if short else "95% CI ")


def _letter(n: int) -> str:
    """0 -> 'a', 25 -> 'z', 26 -> 'aa'."""
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def _setting_footnote(footnotes: list[dict[str, Any]], regimen: Any, lang: str) -> str:
    """The letter of the footnote that qualifies a regimen's settings (its ``setting_caveat``: a withdrawn
    approval), '' when it has none."""
    if regimen.setting_caveat is None:
        return ""
    name = regimen.name[lang] if regimen.name else regimen.id
    mark = _letter(len(footnotes))
    footnotes.append({"mark": mark, "trial": None, "words": regimen.setting_caveat[lang], "figures": [],
                      "text": f"{name}{'：' if lang == 'zh' else ': '}{regimen.setting_caveat[lang]}"})
    return mark


def _footnote(footnotes: list[dict[str, Any]], trial: Any, e: Any, lang: str) -> str:
    """The letter of a figure's footnote ('' for a figure as published): its caveat, in the handout's language."""
    words = status_words(e, lang)
    if not words:
        return ""
    # the figures of one trial with the same caveat (both arms of a comparison) share one footnote
    same = next((f for f in footnotes if f["trial"] == trial.id and f["words"] == words), None)
    if same is None:
        same = {"mark": _letter(len(footnotes)), "trial": trial.id, "words": words, "figures": []}
        footnotes.append(same)
    same["figures"].append(_figure(e, lang, short=True))
    sep = "；" if lang == "zh" else "; "
    same["text"] = (f"{trial.display_name(lang)}{'，' if lang == 'zh' else ', '}{sep.join(same['figures'])}"
                    f"{'：' if lang == 'zh' else ': '}{words}")
    return same["mark"]


def handout_data(model: Model, site_dir: Path, lang: str) -> dict[str, Any] | None:
    """The rows of the regimen comparison, grouped by category, and its numbered short reference list."""
    records = _records(model)
    if records is None or not records.regimens:
        return None
    numbers: dict[str, int] = {}
    footnotes: list[dict[str, Any]] = []  # the figures with a caveat (their status), lettered a, b, c...
    used_measures: list[str] = []
    groups = []
    for cat, names in CATEGORIES.items():
        regimens = sorted((r for r in records.regimens.values() if r.category == cat), key=lambda r: r.id)
        if not regimens:
            continue
        rows = []
        for r in regimens:
            settings_mark = _setting_footnote(footnotes, r, lang)
            trials = []
            for tid in r.trials:
                trial = records.trials.get(tid)
                if trial is None:
                    continue
                figures = []
                for e in trial.endpoints:
                    if e.arm == r.id or (e.arm is None and trial.arm_regimens == [r.id]):
                        # each figure cites its own source only (not the trial's whole group of references)
                        n = numbers.setdefault(e.source, len(numbers) + 1)
                        figures.append({"text": _figure(e, lang), "mark": _footnote(footnotes, trial, e, lang),
                                        "ref": n})
                        if e.measure not in used_measures and e.measure != "patients" and e.label is None:
                            used_measures.append(e.measure)
                # a run of figures from one source is cited once, after its last figure ('ORR 20%, DCR 64% [1]')
                for f, after in zip(figures, figures[1:] + [None]):
                    f["cite"] = after is None or after["ref"] != f["ref"]
                trials.append({"name": trial.display_name(lang), "figures": figures})
            labels = [x for x in r.labels if bool(_CJK.search(x)) == (lang == "zh") or not _CJK.search(x)]
            page = site_dir / lang / "regimens" / r.id / "index.html"
            rows.append({
                "name": r.name[lang] if r.name else r.id,
                "labels": ("、" if lang == "zh" else ", ").join(labels),
                "settings": _join([SETTINGS.get(s, {}).get(lang, s) for s in r.settings], lang),
                "settings_mark": settings_mark,
                "trials": trials,
                "page": page.exists(),
                "url": f"{lang}/regimens/{r.id}/",
            })
        groups.append({"label": names[lang], "regimens": rows})
    web_url = _site_url(site_dir)
    for g in groups:
        for row in g["regimens"]:
            row["href"] = (web_url + row["url"]) if web_url and row["page"] else ""
    refs = []
    for key, n in sorted(numbers.items(), key=lambda kv: kv[1]):
        text, href = short_reference(model, key, lang)
        refs.append({"n": n, "text": text, "href": href})
    legend = [f"{MEASURES[m]['short'][0 if lang == 'zh' else 1]}{'：' if lang == 'zh' else ': '}"
              f"{MEASURES[m]['long'][0 if lang == 'zh' else 1]}" for m in used_measures if m in MEASURES]
    return {"groups": groups, "refs": refs, "legend": legend, "footnotes": footnotes, "web_url": web_url + f"{lang}/" if web_url else "",
            "keywords": [t("handout_title", lang)]}


def _join(items: list[str], lang: str) -> str:
    """'一线、二线' / 'First line, second line' (a capital only where a list starts; acronyms kept)."""
    if lang == "zh":
        return "、".join(items)
    return ", ".join(x if i == 0 or not x[1:2].islower() else x[:1].lower() + x[1:] for i, x in enumerate(items))


def _site_url(site_dir: Path) -> str:
    """The published address of the site, from the built home page's canonical link."""
    for candidate in (site_dir / "zh" / "index.html", site_dir / "en" / "index.html"):
        if candidate.exists():
            c = CANONICAL.search(candidate.read_text(encoding="utf-8"))
            if c:
                href = html.unescape(c.group("href") or c.group("href2"))
                return href.rsplit("/", 2)[0] + "/" if href.endswith("/") else ""
    return ""
