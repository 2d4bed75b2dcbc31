"""Charts drawn at build time as accessible SVG: no script, no web font, colours that survive printing.

Every chart is ``<figure><svg role="img">`` with a ``<title>`` and a ``<desc>`` that says in words
what the chart shows (all values included), text labels in the page language, and every value
written next to its mark, so that nothing depends on colour. Geometry is computed here; the SVG is
written by a Jinja2 template (autoescaped, records/chart.svg.j2). Each chart is drawn twice, wide and narrow
(a phone's column), and the stylesheet shows the one that fits (see "Two drawings" below).

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
# Two drawings of every chart: wide and narrow
# ---------------------------------------------------------------------------------------------------------------
#
# The wide drawing puts each row's label to the left of its plot and is at most WIDE_MAX wide (the content box of
# a 1280 px screen is 688 CSS px); the narrow one puts the label on its own lines above its bars or point and is
# NARROW wide (a 390 px phone's content box is 358 px, a parallel view's column there 343 px). Both go in the
# figure; the stylesheet shows the wide one where the figure is at least as wide as it (a container query on the
# wide drawing's class chart-fit-<n>, n its width rounded up to FIT_STEP) and the narrow one otherwise; print and the PDFs use
# the wide one. Text is never scaled.

WIDE_MAX = 680
NARROW = 340
FIT_STEP = 20
FIT_RANGE = (360, 960)  # the chart-fit-<n> classes site.css defines
WIDE_LABEL_MAX = 220  # a longer label of the wide drawing goes on more lines
LINE = 14  # distance of two lines of text
M = 8  # the drawing's margin


def fit_class(width: float) -> str:
    """The class that lets the stylesheet show the wide drawing where the figure is this wide at least."""
    n = max(FIT_RANGE[0], math.ceil(width / FIT_STEP) * FIT_STEP)
    return f"chart-fit-{n}" if n <= FIT_RANGE[1] else "chart-fit-none"


class Drawing:
    """One SVG drawing as a list of shapes in painting order (the template writes them)."""

    def __init__(self, cid: str, width: float):
        self.cid, self.width, self.height, self.items = cid, width, 0.0, []
        self.arrow = False

    def text(self, x: float, y: float, s: str, *, anchor: str = "start", size: int = FONT, fill: str = "",
             bold: bool = False, halo: bool = False) -> None:
        """``halo``: a white outline under the letters, so that a grid line behind them does not cross them."""
        self.items.append({"k": "text", "x": x, "y": y, "s": s, "anchor": anchor, "size": size, "fill": fill,
                           "bold": bold, "halo": halo})

    def lines(self, x: float, y: float, lines: list[str], step: float = LINE, **kw: Any) -> float:
        """Lines of text from baseline y down; the baseline after the last."""
        for s in lines:
            self.text(x, y, s, **kw)
            y += step
        return y

    def rect(self, x: float, y: float, w: float, h: float, fill: str, *, stroke: str = INK, sw: float = 0.5,
             rx: float = 0, dash: str = "", title: str = "") -> None:
        self.items.append({"k": "rect", "x": x, "y": y, "w": w, "h": h, "fill": fill, "stroke": stroke, "sw": sw,
                           "rx": rx, "dash": dash, "title": title})

    def line(self, x1: float, y1: float, x2: float, y2: float, *, stroke: str = INK, sw: float = 1,
             dash: str = "", arrow: bool = False) -> None:
        self.arrow |= arrow
        self.items.append({"k": "line", "x1": x1, "y1": y1, "x2": x2, "y2": y2, "stroke": stroke, "sw": sw,
                           "dash": dash, "arrow": arrow})

    def diamond(self, cx: float, cy: float, fill: str) -> None:
        self.items.append({"k": "diamond", "cx": cx, "cy": cy, "fill": fill})

    def done(self, height: float) -> dict[str, Any]:
        self.height = math.ceil(height)
        return {"cid": self.cid, "width": math.ceil(self.width), "height": self.height, "items": self.items,
                "arrow": self.arrow}


def _figure(kind: str, wide: dict[str, Any], narrow: dict[str, Any], title: str, desc: str, lang: str, *,
            sources: Markup | None = None, caveats: list[dict[str, str]] | None = None, caveat: str = "") -> Markup:
    return _render("chart.svg.j2", kind=kind, fit=fit_class(wide["width"]), wide=wide, narrow=narrow, title=title,
                   desc=desc, sources=sources, caveats=caveats or [], caveats_title=t("caveats", lang), caveat=caveat,
                   hint=t("chart_scroll_hint", lang), ink=INK, font=FONT)


def _axis(d: Drawing, left: float, plot_w: float, y: float, ticks: list[dict[str, Any]], unit: str = "") -> float:
    """The axis line, its tick labels and its unit under the plot; the bottom of the drawing."""
    d.line(left, y, left + plot_w, y)
    for tk in ticks:
        d.text(tk["x"], y + 16, tk["label"], anchor="middle", size=SMALL)
    if unit:
        d.text(left + plot_w / 2, y + 32, unit, anchor="middle", size=SMALL)
        return y + 40
    return y + 26


def _grid(d: Drawing, ticks: list[dict[str, Any]], y1: float, y2: float) -> None:
    for i, tk in enumerate(ticks):
        d.line(tk["x"], y1, tk["x"], y2, stroke=GRID, dash="" if i == 0 else "2 3")


# ---------------------------------------------------------------------------------------------------------------
# 1. Response rates
# ---------------------------------------------------------------------------------------------------------------

BAR_H, BAR_GAP = 14, 3


def _bars(d: Drawing, rows: list[dict[str, Any]], y: float, left: float, plot_w: float) -> None:
    for k, b in enumerate(rows):
        by = y + k * (BAR_H + BAR_GAP)
        w = plot_w * b["pct"] / 100
        d.rect(left, by, w, BAR_H, b["fill"], title=b["text"])
        d.text(left + w + 4, by + BAR_H - 3, b["text"], size=SMALL, halo=True)


def _legend(d: Drawing, x: float, y: float, measures: list[str], lang: str) -> None:
    """A key to the bars' colours, naming only the measures the chart draws."""
    for m in measures:
        name = measure_label(m, lang)
        d.rect(x, y - 10, 12, 12, COLOURS[m])
        d.text(x + 16, y, name)
        x += 18 + text_width(name) + 16


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
    drawn = [m for m in RATE_MEASURES if any(e.measure == m for g in groups for e in g.figures)]
    rows, desc_items = [], []
    for g in groups:
        refs = " ".join(dict.fromkeys(ref_label(e.source) for e in g.figures))
        label = f"{g.trial.display_name(lang)} {refs}".strip()
        sub = regimen_name(records, g.arm, lang) if g.arm else ""
        bars = []
        for e in g.figures:
            mark = marks.get(id(e), "")
            value = value_text(e.value, e.unit, lang, e.qualifier) + (f" {mark}" if mark else "")
            bars.append({"pct": min(max(float(e.value), 0.0), 100.0), "fill": COLOURS[e.measure],
                         "text": f"{measure_label(e.measure, lang)} {value}", "mark": bool(mark)})
        rows.append({"label": label, "sub": sub, "bars": bars})
        values = t("punct_comma", lang).join(f"{measure_label(e.measure, lang)} {value_text(e.value, e.unit, lang, e.qualifier)}"
                                             + _caveat_words(e, marks, caveats, lang) for e in g.figures)
        desc_items.append(f"{label}{_in_parens(sub, lang) if sub else ''}{t('punct_colon', lang)}{values}")
    value_w = max(text_width(b["text"], SMALL) + (SMALL if b["mark"] else 0) for r in rows for b in r["bars"]) + 8

    def bars_h(r: dict[str, Any]) -> float:
        return len(r["bars"]) * (BAR_H + BAR_GAP) - BAR_GAP

    # wide: the labels left of the bars
    for r in rows:
        r["wl"], r["ws"] = wrap(r["label"], WIDE_LABEL_MAX), wrap(r["sub"], WIDE_LABEL_MAX, SMALL) if r["sub"] else []
    left = max(max(text_width(s) for r in rows for s in r["wl"]),
               max([text_width(s, SMALL) for r in rows for s in r["ws"]] or [0])) + 14
    plot_w = max(200.0, min(360.0, WIDE_MAX - left - value_w - M))
    d = Drawing(cid, left + plot_w + value_w + M)
    top = 40
    ticks = [{"x": left + plot_w * v / 100, "label": f"{v}%"} for v in (0, 25, 50, 75, 100)]
    y = top
    heights = [max(bars_h(r), (len(r["wl"]) + len(r["ws"])) * LINE + 2, 30) + 12 for r in rows]
    _legend(d, left, top - 10, drawn, lang)
    _grid(d, ticks, top - 4, top + sum(heights) + 4)
    for r, h in zip(rows, heights):
        ly = d.lines(left - 8, y + 6 + 11, r["wl"], anchor="end")
        d.lines(left - 8, ly, r["ws"], anchor="end", size=SMALL, fill="#555555")
        _bars(d, r["bars"], y + 6, left, plot_w)
        y += h
    wide = d.done(_axis(d, left, plot_w, y + 4, ticks))

    # narrow: each label on its own lines above its bars, the bars the full width
    d = Drawing(cid + "-n", NARROW)
    left, plot_w = M, NARROW - 2 * M - value_w
    ticks = [{"x": left + plot_w * v / 100, "label": f"{v}%"} for v in (0, 25, 50, 75, 100)]
    _legend(d, left, 20, drawn, lang)
    y = 34
    for r in rows:
        y = d.lines(M, y + 12, wrap(r["label"], NARROW - 2 * M))
        y = d.lines(M, y, wrap(r["sub"], NARROW - 2 * M, SMALL), size=SMALL, fill="#555555") if r["sub"] else y
        by = y - 8
        _grid(d, ticks, by - 2, by + bars_h(r) + 2)
        _bars(d, r["bars"], by, left, plot_w)
        y = by + bars_h(r) + 8
    narrow = d.done(_axis(d, left, plot_w, y, ticks))
    sep = "；" if lang == "zh" else "; "
    one_study = len({id(g.trial) for g in groups}) == 1
    title = t("response_title_one" if one_study else "response_title", lang)
    desc = t("response_desc", lang, measures=_measure_list(drawn, lang))
    return _figure("bars", wide, narrow, title, desc + " " + sep.join(desc_items), lang, sources=sources,
                   caveats=caveats)


def _measure_list(measures: list[str], lang: str) -> str:
    """'objective response rate (ORR) and complete response rate (CR)' / '客观缓解率（ORR）和完全缓解率（CR）'."""
    names = []
    for m in measures:
        long = measure_label(m, lang, long=True)
        names.append(f"{long}（{m}）" if lang == "zh" else f"{long[0].lower()}{long[1:]} ({m})")
    if len(names) <= 1:
        return "".join(names)
    if lang == "zh":
        return "、".join(names[:-1]) + "和" + names[-1]
    return ", ".join(names[:-1]) + " and " + names[-1]


# ---------------------------------------------------------------------------------------------------------------
# 2. Forest plot of medians
# ---------------------------------------------------------------------------------------------------------------


def forest_words(measures: list[str], lang: str) -> tuple[str, str]:
    """The title and the description's opening of a forest chart, naming the endpoints it draws (PFS, OS or both)."""
    key = "forest" if set(measures) >= {"PFS", "OS"} else f"forest_{measures[0].lower()}"
    return t(f"{key}_title", lang), t(f"{key}_desc", lang)


def _ci_point(d: Drawing, r: dict[str, Any], cy: float, sx: Callable[[float], float]) -> None:
    if r["ci"]:
        x0, x1 = sx(r["ci"][0]), sx(r["ci"][1])
        d.line(x0, cy, x1, cy, sw=1.5)
        d.line(x0, cy - 5, x0, cy + 5, sw=1.5)
        d.line(x1, cy - 5, x1, cy + 5, sw=1.5)
    d.diamond(sx(r["value"]), cy, r["fill"])


def _scale(left: float, plot_w: float, xmax: float) -> Callable[[float], float]:
    """Months -> x of the plot."""
    return lambda v: left + plot_w * v / xmax


def _forest_ticks(xmax: float, step: float, sx: Callable[[float], float]) -> list[dict[str, Any]]:
    ticks, v = [], 0.0
    while v <= xmax + 1e-9:
        ticks.append({"x": sx(v), "label": format_number(v)})
        v += step
    return ticks


def forest_chart(records: Records, trials: list[Trial], lang: str, ref_label: RefLabel, cid: str,
                 only_arm: str | None = None, sources: Markup | None = None,
                 page_url: str | None = None) -> Markup | None:
    """Each figure on the axis of the endpoint it is (``survival_sections``): a TTP or OS that a review gives as
    PFS is never drawn as PFS; its mark and the caption's caveats say what the review calls it."""
    sections = survival_sections(trials, only_arm)
    if not sections:
        return None
    marks, caveats = chart_caveats(records, [f for _, figs in sections for f in figs], lang, page_url)
    out, desc_items = [], []
    for m, figs in sections:
        rows = []
        for tr, e in figs:
            label, sub = f"{tr.display_name(lang)} {ref_label(e.source)}".strip(), arm_label(records, tr, e, lang)
            mark = marks.get(id(e), "")
            ci = [float(c) for c in e.ci] if len(e.ci) == 2 else None
            rows.append({"label": label, "sub": sub, "value": float(e.value), "ci": ci, "fill": COLOURS[m],
                         "text": figure_text(e, lang) + (f" {mark}" if mark else ""), "mark": bool(mark)})
            desc_items.append(f"{measure_label(m, lang, long=True)}{t('punct_comma', lang)}{label}"
                              f"{(' ' + sub) if sub else ''}{t('punct_colon', lang)}"
                              f"{figure_text(e, lang)}" + ("" if ci else _in_parens(t("no_ci", lang), lang))
                              + _caveat_words(e, marks, caveats, lang))
        out.append((measure_label(m, lang, long=True), rows))
    every = [r for _, rows in out for r in rows]
    top_val = max(max([r["value"], *(r["ci"] or [])]) for r in every)
    xmax, step = nice_max(top_val)
    value_w = max(text_width(r["text"], SMALL) + (SMALL if r["mark"] else 0) for r in every) + 16  # marks never cut

    # wide: the labels left of the plot, the values right of it
    for r in every:
        r["wl"], r["ws"] = wrap(r["label"], WIDE_LABEL_MAX), wrap(r["sub"], WIDE_LABEL_MAX, SMALL) if r["sub"] else []
    left = max(max(text_width(s) for r in every for s in r["wl"]),
               max([text_width(s, SMALL) for r in every for s in r["ws"]] or [0])) + 14
    plot_w = max(180.0, min(340.0, WIDE_MAX - left - value_w - 10))
    d = Drawing(cid, left + plot_w + value_w + 10)
    sx = _scale(left, plot_w, xmax)
    ticks = _forest_ticks(xmax, step, sx)
    y, body, spans = 12, [], []
    for title, rows in out:
        body.append(("head", title, y + 20))
        y += 30
        start = y
        for r in rows:
            n = len(r["wl"]) + len(r["ws"])
            h = max(34, n * LINE + 8)
            body.append(("row", r, y, h))
            y += h
        spans.append((start - 2, y))
    for k, (y1, y2) in enumerate(spans):  # the grid under each section's rows: a long section title is never crossed
        _grid(d, ticks, y1, y2 + 4 if k == len(spans) - 1 else y2)
    for item in body:
        if item[0] == "head":
            d.text(M, item[2], item[1], bold=True)
            continue
        _, r, ry, h = item
        cy = ry + h / 2
        ly = cy + 4 - (len(r["wl"]) + len(r["ws"]) - 1) * LINE / 2
        ly = d.lines(left - 8, ly, r["wl"], anchor="end")
        d.lines(left - 8, ly, r["ws"], anchor="end", size=SMALL, fill="#555555")
        _ci_point(d, r, cy, sx)
        d.text(left + plot_w + 10, cy + 4, r["text"], size=SMALL)
    wide = d.done(_axis(d, left, plot_w, y + 4, ticks, t("months", lang)))

    # narrow: label, arm and value on their own lines above the point, the plot the full width
    d = Drawing(cid + "-n", NARROW)
    left, plot_w = M + 4, NARROW - 2 * M - 8
    sx = _scale(left, plot_w, xmax)
    ticks = _forest_ticks(xmax, step, sx)
    y = 8
    for title, rows in out:
        y = d.lines(M, y + 14, wrap(title, NARROW - 2 * M), bold=True) + 2
        for r in rows:
            y = d.lines(M, y + 4, wrap(r["label"], NARROW - 2 * M))
            y = d.lines(M, y, wrap(r["sub"], NARROW - 2 * M, SMALL), size=SMALL, fill="#555555") if r["sub"] else y
            y = d.lines(M, y, wrap(r["text"], NARROW - 2 * M - SMALL, SMALL), size=SMALL, bold=True)
            cy = y + 2
            _grid(d, ticks, cy - 8, cy + 8)
            _ci_point(d, r, cy, sx)
            y = cy + 18
    narrow = d.done(_axis(d, left, plot_w, y + 2, ticks, t("months", lang)))
    title, opening = forest_words([m for m, _ in sections], lang)
    sep = "；" if lang == "zh" else "; "
    return _figure("forest", wide, narrow, title, opening + " " + sep.join(desc_items), lang, sources=sources,
                   caveats=caveats)


# ---------------------------------------------------------------------------------------------------------------
# 3. Treatment sequence
# ---------------------------------------------------------------------------------------------------------------


def timeline_chart(records: Records, trial: Trial, lang: str, cid: str, sources: Markup | None = None) -> Markup | None:
    if trial.sequence is None or not trial.sequence.steps:
        return None
    lane_names = {"local": t("local", lang), "systemic": t("systemic", lang)}
    fills = {"local": LOCAL, "systemic": SYSTEMIC}
    steps, desc_items = [], []
    for i, step in enumerate(trial.sequence.steps):
        boxes = {}
        for lane in ("local", "systemic"):
            names = [records.drugs[d].label(lang) if d in records.drugs else d for d in step.treatments
                     if (d in records.drugs and records.drugs[d].is_procedure) == (lane == "local")]
            if names:
                boxes[lane] = " + ".join(names)
        when = step.when[lang] if step.when else ""
        steps.append({"n": t("step", lang, n=i + 1), "boxes": boxes, "when": when})
        what = " + ".join(records.drugs[d].label(lang) if d in records.drugs else d for d in step.treatments)
        desc_items.append(f"{t('step', lang, n=i + 1)}{t('punct_colon', lang)}{what}" + (f" — {when}" if when else ""))

    # wide: two lanes (locoregional, systemic), the steps along a time arrow to the right
    left = max(text_width(n) for n in lane_names.values()) + 16
    step_w = max(120.0, min(190.0, (WIDE_MAX - left - 20) / len(steps)))
    box_w, box_h, lane_h = step_w - 26, 30, 46
    lanes = {"local": 10, "systemic": 10 + lane_h}
    width = left + step_w * len(steps) + 20
    d = Drawing(cid, width)
    for lane, ly in lanes.items():
        d.rect(0, ly, width - 8, lane_h, "none", stroke=GRID, sw=1, dash="2 3")
        d.text(6, ly + lane_h / 2 + 4, lane_names[lane], bold=True, fill=fills[lane])
    axis_y = 10 + 2 * lane_h + 12
    max_lines = 1
    for i, st in enumerate(steps):
        cx = left + step_w * i + step_w / 2
        for lane, text in st["boxes"].items():
            lines = wrap(text, box_w - 10)
            d.rect(cx - box_w / 2, lanes[lane] + (lane_h - box_h) / 2, box_w, box_h, "#ffffff", stroke=fills[lane],
                   sw=2, rx=4)
            d.lines(cx, lanes[lane] + lane_h / 2 + 4 - (len(lines) - 1) * 6.5, lines, 13, anchor="middle")
        d.line(cx, axis_y - 5, cx, axis_y + 5, sw=1.5)
        d.text(cx, axis_y + 20, st["n"], anchor="middle", size=SMALL, bold=True)
        when = wrap(st["when"], step_w - 14, SMALL) if st["when"] else []
        for k, s in enumerate(when):
            d.text(cx, axis_y + 35 + k * 15, s, anchor="middle", size=SMALL)
        max_lines = max(max_lines, len(when) + 1)
    d.line(left - 6, axis_y, width - 8, axis_y, sw=1.5, arrow=True)
    d.text(6, axis_y + 4, t("time", lang), size=SMALL)
    wide = d.done(axis_y + 22 + max_lines * 15 + 8)

    # narrow: the lanes are two columns, the steps go down a time arrow on the left
    d = Drawing(cid + "-n", NARROW)
    col0, ax = 30, 12
    col_w = (NARROW - col0 - M) / 2
    cols = {"local": col0, "systemic": col0 + col_w}
    for lane, x in cols.items():
        d.text(x + col_w / 2, 20, lane_names[lane], anchor="middle", bold=True, fill=fills[lane])
    d.text(M - 4, 20, t("time_down", lang), size=SMALL)
    y = 34
    for st in steps:
        y = d.lines(col0, y + 12, [st["n"]], size=SMALL, bold=True)
        y = d.lines(col0, y, wrap(st["when"], NARROW - col0 - M, SMALL), size=SMALL) if st["when"] else y
        wrapped = {lane: wrap(text, col_w - 18) for lane, text in st["boxes"].items()}
        h = max(30, max(len(v) for v in wrapped.values()) * 13 + 12)
        top = y - 6
        for lane, lines in wrapped.items():
            x = cols[lane] + 2
            d.rect(x, top, col_w - 6, h, "#ffffff", stroke=fills[lane], sw=2, rx=4)
            d.lines(x + (col_w - 6) / 2, top + h / 2 + 4 - (len(lines) - 1) * 6.5, lines, 13, anchor="middle")
        d.line(ax - 5, top + h / 2, ax + 5, top + h / 2, sw=1.5)
        y = top + h + 4
    d.line(ax, 26, ax, y + 6, sw=1.5, arrow=True)
    narrow = d.done(y + 14)
    sep = "；" if lang == "zh" else "; "
    caveat = trial.sequence.caveat[lang] if trial.sequence.caveat else ""
    return _figure("timeline", wide, narrow, t("timeline_title", lang, name=trial.display_name(lang)),
                   t("timeline_desc", lang) + ("" if lang == "zh" else " ") + sep.join(desc_items)
                   + (f"{'。' if lang == 'zh' else '. '}{caveat}" if caveat else ""), lang, sources=sources,
                   caveat=caveat)
