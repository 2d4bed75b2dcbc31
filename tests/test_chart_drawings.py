"""Each chart is drawn twice, wide and narrow, and the stylesheet shows one (the browser tests measure them:
tests/browser/test_reader_layout.py). A forest chart names only the endpoints it draws: its title, the name of
its scrolling box (aria-label), its caption and the opening of its description say "median overall survival"
on a chart of OS alone (CheckMate 459), "median progression-free survival" on one of PFS alone, and both only
when both are drawn (issue 21, item 5)."""

from __future__ import annotations

import dataclasses
import html
import re

import pytest

from sitekit import ROOT
from generator.bib.bibliography import Bibliography
from generator.diagnostics import Report
from generator.i18n import t
from generator.site.charts import (FIT_RANGE, FIT_STEP, NARROW, WIDE_MAX, fit_class, forest_chart, response_chart,
                                    timeline_chart)
from generator.sources.content import load_project
from generator.sources.recordload import load_records
from generator.sources.records import survival_sections


@pytest.fixture(scope="module")
def records():
    report = Report(root=ROOT)
    project = load_project(ROOT, report)
    bib = Bibliography.load(ROOT / "refs.bib", report)
    return load_records(ROOT / "content", report, bib=bib, review_ids={r.id for r in project.reviews})


def names(chart: str) -> list[str]:
    """Every place the chart names itself: the <title> of each drawing, each box's aria-label, the caption's start."""
    titles = re.findall(r"<title id=[^>]*>(.*?)</title>", chart)
    labels = re.findall(r'class="chart-scroll[^"]*" role="region" aria-label="([^"]*)"', chart)
    caption = re.search(r"<figcaption>([^<]*)", chart).group(1).strip()
    return [html.unescape(x) for x in (*titles, *labels, caption)]


def descriptions(chart: str) -> list[str]:
    return [html.unescape(d) for d in re.findall(r"<desc id=[^>]*>(.*?)</desc>", chart, re.S)]


def trial_with(records, measures: set[str]):
    """A trial of the records whose forest chart draws these endpoints (no record has PFS alone: one with both,
    its other endpoint left out)."""
    for trial in records.trials.values():
        if {m for m, _ in survival_sections([trial])} == measures:
            return trial
    both = next(tr for tr in records.trials.values() if {m for m, _ in survival_sections([tr])} == {"PFS", "OS"})
    return dataclasses.replace(both, endpoints=[e for e in both.endpoints if e.measure in measures
                                                 or e.measure not in ("PFS", "OS")])


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("measures,key", [({"OS"}, "forest_os"), ({"PFS"}, "forest_pfs"), ({"PFS", "OS"}, "forest")])
def test_forest_chart_title_names_only_the_endpoints_it_draws(records, lang, measures, key):
    trial = records.trials["checkmate-459"] if measures == {"OS"} else trial_with(records, measures)
    assert {m for m, _ in survival_sections([trial])} == measures
    chart = str(forest_chart(records, [trial], lang, lambda k: "[1]", "f"))
    title = t(f"{key}_title", lang)
    assert names(chart) == [title] * 5, names(chart)  # two drawings' titles, two boxes' names, the caption
    assert all(d.startswith(t(f"{key}_desc", lang)) for d in descriptions(chart))
    if measures == {"OS"}:  # CheckMate 459 draws OS alone: nothing says progression-free survival
        words = ("无进展", "PFS") if lang == "zh" else ("progression-free", "PFS")
        for text in (*names(chart), *descriptions(chart)):
            assert not any(w in text for w in words), text


def test_each_forest_title_names_its_endpoints_in_both_languages():
    """The catalog's titles: OS alone, PFS alone, both (a wrong copy would pass the test above on its own key)."""
    assert "overall" in t("forest_os_title", "en") and "progression" not in t("forest_os_title", "en")
    assert "progression-free" in t("forest_pfs_title", "en") and "overall" not in t("forest_pfs_title", "en")
    assert "总生存期" in t("forest_os_title", "zh") and "无进展" not in t("forest_os_title", "zh")
    assert "无进展生存期" in t("forest_pfs_title", "zh") and "总生存" not in t("forest_pfs_title", "zh")


def test_every_width_class_a_chart_can_get_is_defined_in_the_stylesheet():
    """The stylesheet shows a chart's wide drawing by its class chart-fit-<n> (a container query per n): every n
    charts.py can give has its rule, for the wide and the narrow drawing."""
    css = (ROOT / "site_overrides/assets/stylesheets/site.css").read_text(encoding="utf-8")
    for n in range(FIT_RANGE[0], FIT_RANGE[1] + 1, FIT_STEP):
        rule = (f"@container chart (min-width: {n}px) {{ .md-typeset figure.chart > .chart-fit-{n} {{ display: block; }}"
                f" .md-typeset figure.chart > .chart-fit-{n} ~ .chart-narrow {{ display: none; }} }}")
        assert rule in css, n
    assert fit_class(464) == "chart-fit-480" and fit_class(200) == "chart-fit-360" and fit_class(2000) == "chart-fit-none"
    assert f"@container chart (max-width: {NARROW - 0.02}px)" in css  # the hint, where the narrow one scrolls
    assert WIDE_MAX <= 688  # the content box at 1280 px: the wide drawing there


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_both_drawings_of_a_chart_have_their_own_ids(records, lang):
    trials = list(records.trials.values())
    for chart in (forest_chart(records, trials, lang, lambda k: "[1]", "f"),
                  response_chart(records, trials, lang, lambda k: "[1]", "r"),
                  timeline_chart(records, records.trials["leap-012"], lang, "t")):
        chart = str(chart)
        ids = re.findall(r'\sid="([^"]+)"', chart)
        assert len(ids) == len(set(ids)) and len(re.findall(r"<svg\b", chart)) == 2
        for d in re.findall(r'aria-labelledby="([^"]+)"', chart):
            assert all(i in ids for i in d.split()), d
        assert re.search(r'<figure class="chart chart-(bars|forest|timeline)">\n<div class="chart-scroll chart-wide chart-fit-\d+"', chart)
        assert 'class="chart-scroll chart-narrow"' in chart
        narrow = re.search(r'chart-narrow".*?<svg[^>]*width="(\d+)"', chart, re.S).group(1)
        assert int(narrow) == NARROW


def legend(chart: str) -> list[list[str]]:
    """The measures each drawing's key names (a 12 x 12 swatch, then the measure's name)."""
    return [re.findall(r'<rect x="[^"]*" y="[^"]*" width="12" height="12" fill="[^"]*" stroke="[^"]*" stroke-width="[^"]*"/>\n?'
                       r'<text [^>]*>([^<]*)</text>', svg) for svg in re.findall(r"<svg\b.*?</svg>", chart, re.S)]


def drawn_bars(chart: str) -> set[str]:
    """The measures of the bars (each bar's tooltip starts with its measure: 'ORR 15%')."""
    return {m.split(" ")[0] for m in re.findall(r'height="14"[^>]*><title>([^<]*)</title>', chart)}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bar_chart_legend_names_only_the_measures_it_draws(records, lang):
    """CheckMate 459 gives ORR alone: its response chart's key says ORR, not DCR and CR (issue 21); a chart of
    every study draws all three and names all three, in both drawings."""
    one = str(response_chart(records, [records.trials["checkmate-459"]], lang, lambda k: "[1]", "r"))
    assert drawn_bars(one) == {"ORR"}
    assert legend(one) == [["ORR"], ["ORR"]]
    assert all("DCR" not in d and "CR)" not in d.replace("ORR)", "") for d in descriptions(one)), descriptions(one)
    every = str(response_chart(records, list(records.trials.values()), lang, lambda k: "[1]", "r"))
    assert drawn_bars(every) == {"ORR", "DCR", "CR"}
    assert legend(every) == [["ORR", "DCR", "CR"]] * 2
    for trial in records.trials.values():
        chart = response_chart(records, [trial], lang, lambda k: "[1]", "r")
        if chart is not None:
            assert all(set(keys) == drawn_bars(str(chart)) for keys in legend(str(chart))), trial.id


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_response_chart_of_one_study_is_not_called_across_studies(records, lang):
    """A study's own page: 'Response rates' / '缓解率'; a chart of several studies: '... across studies' / '各研究的...'."""
    one = str(response_chart(records, [records.trials["checkmate-459"]], lang, lambda k: "[1]", "r"))
    assert names(one) == [t("response_title_one", lang)] * 5
    assert t("response_title_one", lang) == {"zh": "缓解率", "en": "Response rates"}[lang]
    several = [tr for tr in records.trials.values() if response_chart(records, [tr], lang, lambda k: "[1]", "x")][:2]
    chart = str(response_chart(records, several, lang, lambda k: "[1]", "r"))
    assert names(chart) == [t("response_title", lang)] * 5
