"""Charts drawn at build time as accessible SVG: no script, no web font, colours that survive printing.

Every chart is ``<figure><svg role="img">`` with a ``<title>`` and a ``<desc>`` that says in words
what the chart shows (all values included), text labels in the page language, and every value
written next to its mark, so that nothing depends on colour. Geometry is computed here; the SVG is
written by Jinja2 templates (autoescaped).

1. :func:`response_chart` -- ORR / DCR / CR (%) per study arm, with the reference of each figure;
2. :func:`forest_chart` -- median PFS / OS (months) with the 95% CI where given (a point alone otherwise);
3. :func:`timeline_chart` -- the order in which locoregional and systemic treatments start, for a
   study whose ``sequence`` has ``steps``; the described intervals are the labels (not to scale).
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any, Callable

from markupsafe import Markup

from ..i18n import t
from ..sources.records import (RATE_MEASURES, Endpoint, Records, Trial, format_number, response_groups,
                               survival_sections)
from .recordtext import caveat, figure_text, measure_label, regimen_name, value_text
from .render import jinja_env

FONT = 12
SMALL = 11
# Print-friendly: three luminance steps (dark, middle, light) that stay apart in greyscale.
COLOURS = {"ORR": "#1f4e79", "DCR": "#8fb8de", "CR": "#d9822b", "PFS": "#1f4e79", "OS": "#a33b20"}
INK = "#222222"
GRID = "#bbbbbb"
LOCAL = "#d9822b"
SYSTEMIC = "#1f4e79"


def _in_parens(text: str, lang: str) -> str:
    """' (text)' in English, '（text）' in Chinese: the words of a chart's description in the reader's typography."""
    return f"{'' if lang == 'zh' else ' '}{t('paren_open', lang)}{text}{t('paren_close', lang)}"

def text_width(text: str, size: float = FONT) -> float:
    """A generous estimate of the width of a text in a sans-serif font (no font is measured at build time)."""
    w = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            w += size
        elif ch in "il.,:;|!'()[] ":
            w += size * 0.32
        elif ch.isupper() or ch in "mw%–—":
            w += size * 0.72
        else:
            w += size * 0.56
    return w


def wrap(text: str, width: float, size: float = FONT) -> list[str]:
    """Break a label into lines no wider than ``width`` (words in English, characters in Chinese)."""
    lines: list[str] = []
    current = ""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
        elif ch == " ":
            tokens.append(word + " ")
            word = ""
        else:
            word += ch
    if word:
        tokens.append(word)
    for tok in tokens:
        if current and text_width((current + tok).rstrip(), size) > width:
            lines.append(current.rstrip())
            current = tok.lstrip()
        else:
            current += tok
    if current.strip():
        lines.append(current.rstrip())
    return lines


def nice_max(value: float) -> tuple[float, float]:
    """An axis end at or above ``value`` and its tick step."""
    if value <= 0:
        return 1.0, 1.0
    step = 10 ** math.floor(math.log10(value))
    for m in (1, 2, 5, 10):
        if value / (step * m) <= 6:
            step *= m
            break
    return math.ceil(value / step) * step, step


_env = None


def _template(name: str):
    global _env
    if _env is None:
        _env = jinja_env()
        _env.trim_blocks = True
        _env.lstrip_blocks = True
        _env.filters["n"] = lambda v: _rounded(float(v))
    return _env.get_template(f"records/{name}")


def _rounded(value: Any) -> Any:
    """Coordinates to one decimal (stable, short output)."""
    if isinstance(value, float):
        r = round(value, 1)
        return int(r) if r.is_integer() else r
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def _render(name: str, **kw: Any) -> Markup:
    # No blank line inside: the figure is raw HTML in markdown.
    text = _template(name).render(**{k: _rounded(v) for k, v in kw.items()})
    return Markup("\n".join(line for line in text.split("\n") if line.strip()))


RefLabel = Callable[[str], str]  # refs.bib key -> '[3]' (the page's own reference list)

MARKS = ("†", "‡", "§", "¶", "#", "††", "‡‡", "§§", "¶¶", "##")  # footnote marks the PDF fonts have (not ‖)


def chart_caveats(records: Records, figures: list[tuple[Trial, Endpoint]], lang: str,
                  page_url: str | None) -> tuple[dict[int, str], list[dict[str, str]]]:
    """The figures of a chart that carry a caveat (their status): id(figure) -> its mark in the drawing, and the
    caption's list of caveats, each with the mark, the study, the figure and the link to its editor's note."""
    marks: dict[int, str] = {}
    items: list[dict[str, str]] = []
    for trial, e in figures:
        c = caveat(trial, e, lang, page_url)
        if c is None or id(e) in marks:
            continue
        n = len(items)
        mark = MARKS[n] if n < len(MARKS) else f"{MARKS[0]}{n + 1}"
        marks[id(e)] = mark
        arm = regimen_name(records, e.arm, lang) if e.arm and len(trial.arms) > 1 else ""
        what = f"{trial.display_name(lang)}{'，' if lang == 'zh' else ', '}{measure_label(e.measure, lang)} {figure_text(e, lang)}"
        if arm:
            what += f"（{arm}）" if lang == "zh" else f" ({arm})"
        items.append({"mark": mark, "figure": what, "text": c["text"], "href": c["href"] if page_url is not None else "",
                      "link": t("note", lang), "colon": "：" if lang == "zh" else ": ",
                      "open": "（" if lang == "zh" else " (", "close": "）" if lang == "zh" else ")"})
    return marks, items


def arm_label(records: Records, trial: Trial, e: Endpoint, lang: str) -> str:
    if e.arm and len(trial.arms) > 1:
        return regimen_name(records, e.arm, lang)
    if e.arm:
        return regimen_name(records, e.arm, lang)
    return ""


def _caveat_words(e: Endpoint, marks: dict[int, str], caveats: list[dict[str, str]], lang: str) -> str:
    """A figure's caveat in the chart's text description (for screen readers): ' († given as mPFS in the review)'."""
    mark = marks.get(id(e))
    if not mark:
        return ""
    text = next(c["text"] for c in caveats if c["mark"] == mark)
    return f"（{mark} {text}）" if lang == "zh" else f" ({mark} {text})"


# ---------------------------------------------------------------------------------------------------------------
# 1. Response rates
# ---------------------------------------------------------------------------------------------------------------


def response_chart(records: Records, trials: list[Trial], lang: str, ref_label: RefLabel, cid: str,
                   only_arm: str | None = None, sources: Markup | None = None,
                   page_url: str | None = None) -> Markup | None:
    """``only_arm``: only the figures of this regimen's arms (on a regimen's page); ``sources``: a line for
    the caption (a review's chart cites its figures there); ``page_url``: the page the chart is on (the caption's
    caveats link from there to the editor's notes)."""
    groups = response_groups(trials, only_arm)
    if not groups:
        return None
    marks, caveats = chart_caveats(records, [(g.trial, e) for g in groups for e in g.figures], lang, page_url)
    bar_h, gap, pad = 14, 3, 12
    labels = []
    for g in groups:
        refs = " ".join(dict.fromkeys(ref_label(e.source) for e in g.figures))
        arm = regimen_name(records, g.arm, lang) if g.arm else ""
        labels.append((f"{g.trial.display_name(lang)} {refs}".strip(), arm))
    label_w = max(max(text_width(a), text_width(b, SMALL)) for a, b in labels) + 14
    plot_w = 360
    left, top = label_w, 40
    width = int(left + plot_w + 56)
    rows, desc_items = [], []
    y = top
    for g, (label, sub) in zip(groups, labels):
        h = max(len(g.figures) * (bar_h + gap) - gap, 30) + pad
        bars = []
        for k, e in enumerate(g.figures):
            by = y + pad / 2 + k * (bar_h + gap)
            w = plot_w * min(max(float(e.value), 0.0), 100.0) / 100
            mark = marks.get(id(e), "")
            bars.append({"x": left, "y": by, "w": round(w, 1), "h": bar_h, "fill": COLOURS[e.measure],
                         "value": value_text(e.value, e.unit, lang, e.qualifier) + (f" {mark}" if mark else ""),
                         "vx": round(left + w + 4, 1),
                         "vy": by + bar_h - 3, "measure": measure_label(e.measure, lang)})
        rows.append({"label": label, "sub": sub, "y": y, "h": h, "ly": y + pad / 2 + 11, "bars": bars})
        values = t("punct_comma", lang).join(f"{measure_label(e.measure, lang)} {value_text(e.value, e.unit, lang, e.qualifier)}"
                                             + _caveat_words(e, marks, caveats, lang) for e in g.figures)
        desc_items.append(f"{label}{_in_parens(sub, lang) if sub else ''}{t('punct_colon', lang)}{values}")
        y += h
    axis_y = y + 4
    ticks = [{"x": round(left + plot_w * v / 100, 1), "label": f"{v}%"} for v in (0, 25, 50, 75, 100)]
    legend, lx = [], left
    for m in RATE_MEASURES:
        name = measure_label(m, lang)
        legend.append({"x": lx, "fill": COLOURS[m], "label": name})
        lx += 18 + text_width(name) + 16
    sep = "；" if lang == "zh" else "; "
    return _render("chart-bars.svg.j2", cid=cid, sources=sources, caveats=caveats, caveats_title=t("caveats", lang),
                   width=width, height=int(axis_y + 28), title=t("response_title", lang),
                   desc=t("response_desc", lang) + " " + sep.join(desc_items), rows=rows, ticks=ticks,
                   top=top - 8, axis_y=axis_y, left=left, plot_w=plot_w, legend=legend, ink=INK, grid=GRID,
                   font=FONT, small=SMALL)


# ---------------------------------------------------------------------------------------------------------------
# 2. Forest plot of medians
# ---------------------------------------------------------------------------------------------------------------


def forest_chart(records: Records, trials: list[Trial], lang: str, ref_label: RefLabel, cid: str,
                 only_arm: str | None = None, sources: Markup | None = None,
                 page_url: str | None = None) -> Markup | None:
    """Each figure on the axis of the endpoint it is (``survival_sections``): a TTP or OS that a review gives as
    PFS is never drawn as PFS; its mark and the caption's caveats say what the review calls it."""
    sections = survival_sections(trials, only_arm)
    if not sections:
        return None
    marks, caveats = chart_caveats(records, [f for _, figs in sections for f in figs], lang, page_url)

    def shown(e: Endpoint) -> str:
        mark = marks.get(id(e), "")
        return figure_text(e, lang) + (f" {mark}" if mark else "")

    row_h, head_h = 34, 30
    labels = {}
    for _, figs in sections:
        for tr, e in figs:
            labels[id(e)] = (f"{tr.display_name(lang)} {ref_label(e.source)}".strip(), arm_label(records, tr, e, lang))
    label_w = max(max(text_width(a), text_width(b, SMALL)) for a, b in labels.values()) + 14
    top_val = max(max([float(e.value), *[float(c) for c in e.ci]]) for _, figs in sections for _, e in figs)
    xmax, step = nice_max(top_val)
    plot_w = 340
    left = label_w
    value_w = max(text_width(shown(e), SMALL) + (SMALL if id(e) in marks else 0)  # the mark is never cut off
                  for _, figs in sections for _, e in figs) + 16
    width = int(left + plot_w + value_w + 10)

    def sx(v: float) -> float:
        return round(left + plot_w * v / xmax, 1)

    y = 12
    out_sections, desc_items = [], []
    for m, figs in sections:
        rows = []
        head_y = y + 20
        y += head_h
        for tr, e in figs:
            cy = y + row_h / 2
            label, sub = labels[id(e)]
            ci = [sx(float(c)) for c in e.ci] if len(e.ci) == 2 else None
            rows.append({"label": label, "sub": sub, "ly": cy - 2 if sub else cy + 4, "sy": cy + 12, "cy": cy,
                         "cx": sx(float(e.value)), "ci": ci, "fill": COLOURS[m],
                         "value": shown(e), "vx": left + plot_w + 10})
            desc_items.append(f"{measure_label(m, lang, long=True)}{t('punct_comma', lang)}{label}"
                              f"{(' ' + sub) if sub else ''}{t('punct_colon', lang)}"
                              f"{figure_text(e, lang)}" + ("" if ci else _in_parens(t("no_ci", lang), lang))
                              + _caveat_words(e, marks, caveats, lang))
            y += row_h
        out_sections.append({"title": measure_label(m, lang, long=True), "head_y": head_y, "rows": rows})
    axis_y = y + 4
    ticks = []
    v = 0.0
    while v <= xmax + 1e-9:
        ticks.append({"x": sx(v), "label": format_number(v)})
        v += step
    sep = "；" if lang == "zh" else "; "
    return _render("chart-forest.svg.j2", cid=cid, sources=sources, caveats=caveats, caveats_title=t("caveats", lang),
                   width=width, height=int(axis_y + 40), title=t("forest_title", lang),
                   desc=t("forest_desc", lang) + " " + sep.join(desc_items), sections=out_sections, ticks=ticks,
                   axis_y=axis_y, left=left, plot_w=plot_w, unit=t("months", lang), ink=INK, grid=GRID, font=FONT,
                   small=SMALL, top=12)


# ---------------------------------------------------------------------------------------------------------------
# 3. Treatment sequence
# ---------------------------------------------------------------------------------------------------------------


def timeline_chart(records: Records, trial: Trial, lang: str, cid: str, sources: Markup | None = None) -> Markup | None:
    if trial.sequence is None or not trial.sequence.steps:
        return None
    lane_label_w = max(text_width(t("local", lang)), text_width(t("systemic", lang))) + 16
    step_w, box_w, box_h, lane_h = 190, 164, 30, 46
    left = lane_label_w
    lanes = {"local": 10, "systemic": 10 + lane_h}
    steps, desc_items, max_lines = [], [], 1
    for i, step in enumerate(trial.sequence.steps):
        cx = left + step_w * i + step_w / 2
        boxes = []
        for lane in ("local", "systemic"):
            names = [records.drugs[d].label(lang) if d in records.drugs else d for d in step.treatments
                     if (d in records.drugs and records.drugs[d].is_procedure) == (lane == "local")]
            if names:
                text = " + ".join(names)
                lines = wrap(text, box_w - 10)
                boxes.append({"x": cx - box_w / 2, "y": lanes[lane] + (lane_h - box_h) / 2, "w": box_w, "h": box_h,
                              "lines": lines, "fill": LOCAL if lane == "local" else SYSTEMIC,
                              "ty": lanes[lane] + lane_h / 2 + 4 - (len(lines) - 1) * 6.5})
        when = step.when[lang] if step.when else ""
        when_lines = wrap(when, step_w - 14, SMALL) if when else []
        max_lines = max(max_lines, len(when_lines) + 1)
        steps.append({"cx": cx, "boxes": boxes, "n": t("step", lang, n=i + 1), "when": when_lines})
        what = " + ".join(records.drugs[d].label(lang) if d in records.drugs else d for d in step.treatments)
        desc_items.append(f"{t('step', lang, n=i + 1)}{t('punct_colon', lang)}{what}" + (f" — {when}" if when else ""))
    width = int(left + step_w * len(steps) + 20)
    axis_y = 10 + 2 * lane_h + 12
    height = int(axis_y + 22 + max_lines * 15 + 8)
    sep = "；" if lang == "zh" else "; "
    name = trial.display_name(lang)
    caveat = trial.sequence.caveat[lang] if trial.sequence.caveat else ""
    return _render("chart-timeline.svg.j2", cid=cid, sources=sources, width=width, height=height,
                   title=t("timeline_title", lang, name=name), caveat=caveat,
                   desc=t("timeline_desc", lang) + ("" if lang == "zh" else " ") + sep.join(desc_items)
                   + (f"{'。' if lang == 'zh' else '. '}{caveat}" if caveat else ""),
                   steps=steps, lanes=[{"y": lanes["local"], "label": t("local", lang), "fill": LOCAL},
                                       {"y": lanes["systemic"], "label": t("systemic", lang), "fill": SYSTEMIC}],
                   lane_h=lane_h, left=left, axis_y=axis_y, right=width - 8, time=t("time", lang), ink=INK,
                   grid=GRID, font=FONT, small=SMALL)
