"""Issue 18, figures carry their caveats everywhere: a record figure whose status is not 'as-published'
(given by the review under another endpoint, the result of one cohort, contradicted by the primary
publication, or not verified) is shown with its caveat wherever it is shown: the records tables of every
page, the charts (a mark and the caption's "Caveats"), the record pages (with the review's and the primary
publication's values side by side), the regimen handout and the review PDFs (lettered footnotes), and the
open data (JSON status object, CSV columns). A chart never draws a TTP or an OS on a PFS axis.

The checks read the real built site; each is paired with a test that the check itself fails on a page
rendered without the caveats.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator import pipeline
from generator.bib.bibliography import Bibliography
from generator.diagnostics import Report
from generator.i18n import t
from generator.pdf.handout import _figure as handout_figure
from generator.pdf.handout import handout_data, short_reference
from generator.site.charts import forest_chart, response_chart
from generator.site.opendata import data_files
from generator.site.recordtext import figure_anchor, figure_text, measure_label
from generator.sources.recordload import load_records
from generator.sources.records import (RATE_MEASURES, SEEN_IN, TIME_MEASURES, Endpoint, FigureStatus, Trial,
                                       count_figure, format_number, review_source_key, status_words,
                                       survival_sections)
from generator.urls import handout_pdf

from sitekit import ROOT

LANGS = ("zh", "en")
FIX = ROOT / "tests" / "fixtures" / "records"


def norm(text: str) -> str:
    return re.sub(r"[\s\-\u2010\u00ad\u202f]+", "", text)


def plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


@pytest.fixture(scope="module")
def records():
    model = pipeline.load(ROOT)
    assert model.report.errors == []
    return model.records


def caveated(records) -> list[tuple[Trial, Endpoint]]:
    return [(tr, e) for tr in records.trials.values() for e in tr.endpoints if e.status.caveat]


# ---------------------------------------------------------------------------------------------------------------
# The statuses the records hold (from primary-trial-facts.md)
# ---------------------------------------------------------------------------------------------------------------


def test_the_figures_the_notes_qualify_have_their_status(records):
    def status(tid: str, measure: str, value: float) -> FigureStatus:
        (e,) = [e for e in records.trials[tid].endpoints if e.measure == measure and float(e.value) == value]
        return e.status
    assert (status("nct01853618", "TTP", 7.4).kind, status("nct01853618", "TTP", 7.4).review_as) == ("relabelled", "PFS")
    assert (status("tremelimumab-hcv", "OS", 8.2).kind, status("tremelimumab-hcv", "OS", 8.2).review_as) == \
        ("relabelled", "PFS")
    assert status("checkmate-040", "ORR", 20).kind == "cohort"
    assert status("checkmate-040", "ORR", 20).cohort.en == "dose-expansion phase"
    assert status("rescue", "ORR", 34.3).cohort.en == "first-line cohort"
    dcr = status("checkmate-040", "DCR", 65)
    assert dcr.kind == "review-differs"
    assert (dcr.published.value, dcr.published.source, dcr.published.seen_in) == \
        (64, "el-khoueiry2017checkmate040", "repost")  # [V2]: a repost of the paper's discussion
    assert status("checkmate-040", "survival-rate", 50).kind == "unverified"
    assert status("go30140", "ORR", 36).kind == "cohort" and status("go30140", "DCR", 67).kind == "unverified"
    # figures as published keep the default
    assert status("checkmate-459", "ORR", 15).kind == "as-published"
    # a comparison whose difference is not statistically significant is never shown bare (issue 18)
    for tid, value in (("checkmate-459", 16.4), ("checkmate-459", 14.7), ("each", 6.40), ("each", 4.97),
                       ("reflect", 13.6), ("reflect", 12.3)):
        assert status(tid, "OS", value).kind == "not-significant", (tid, value)
    # every caveat has the note its marker links to
    for tr, e in caveated(records):
        assert e.note is not None and e.note.zh and e.note.en, (tr.id, e.measure)


# ---------------------------------------------------------------------------------------------------------------
# Validation: path:line messages
# ---------------------------------------------------------------------------------------------------------------

ORR_FIGURE = """- measure: ORR
  value: 36
  unit: '%'
  criteria: RECIST 1.1
  arm: atezolizumab-bevacizumab
  source: lee2020go30140
  review: demo
  quote: 已被证实有 36%的 ORR
"""
NOTE = """  note:
    zh: 编者注。
    en: An editor's note.
"""

STATUS_CASES = {
    "relabelled-without-review_as": (NOTE + "  status:\n    kind: relabelled\n",
                                     "kind", "has 'status: relabelled' but no 'review_as': add 'review_as: PFS'"),
    "cohort-without-cohort": (NOTE + "  status:\n    kind: cohort\n",
                              "kind", "has 'status: cohort' but no 'cohort': add 'cohort:' with 'zh:' and 'en:'"),
    "review-differs-without-published": (NOTE + "  status:\n    kind: review-differs\n",
                                         "kind", "has 'status: review-differs' but no 'published'"),
    "field-of-another-kind": (NOTE + "  status:\n    kind: cohort\n    cohort: {zh: A 组, en: group A}\n"
                              "    review_as: PFS\n",
                              "review_as", "'review_as' belongs to 'kind: relabelled', but endpoints[1] has 'kind: cohort'"),
    "status-without-note": ("  status:\n    kind: relabelled\n    review_as: PFS\n",
                            "kind", "has 'status: relabelled' but no 'note': write the editor's note"),
    # issue 18: a figure is credited to the source that reports it
    "unverified-figure-cites-a-paper": (NOTE + "  status:\n    kind: unverified\n",
                                        "kind", "has 'status: unverified' (only the review gives it) but cites "
                                                "'lee2020go30140' as its source: a figure the publication does not "
                                                "report is the review's own; write 'source: demo-review'"),
    "review-value-cited-to-the-contradicting-paper": (
        NOTE + "  status:\n    kind: review-differs\n    published:\n      value: 34\n"
        "      source: lee2020go30140\n      seen_in: publication\n",
        "kind", "has 'status: review-differs' but cites 'lee2020go30140', the publication that gives a different "
                "value, as the source of the review's figure: cite the review ('source: demo-review')"),
    "status-written-as-a-word": (NOTE + "  status: relabelled\n",
                                 "status", "'endpoints[1].status' must be a set of 'name: value' lines: write "
                                           "'status:' and, indented under it, 'kind: relabelled'"),
    "unknown-kind": (NOTE + "  status:\n    kind: relabeled\n",
                     "kind", "'endpoints[1].status.kind' is 'relabeled', which is not one of the allowed values "
                             "(did you mean relabelled?)"),
    "review_as-is-its-own-measure": (NOTE + "  status:\n    kind: relabelled\n    review_as: ORR\n",
                                     "review_as", "'review_as: ORR' is the figure's own measure"),
    "published-same-value": (NOTE + "  status:\n    kind: review-differs\n    published:\n      value: 36\n"
                             "      source: kudo2025leap012\n      seen_in: publication\n",
                             "value", "the published value of endpoints[1] is the figure's own value 36"),
    "published-unknown-source": (NOTE + "  status:\n    kind: review-differs\n    published:\n      value: 34\n"
                                 "      source: lee2020go3014\n      seen_in: publication\n",
                                 "source", "unknown reference key 'lee2020go3014' (did you mean lee2020go30140?)"),
    "published-seen-in-unknown": (NOTE + "  status:\n    kind: review-differs\n    published:\n      value: 34\n"
                                  "      source: kudo2025leap012\n      seen_in: blog\n",
                                  "seen_in", "'endpoints[1].status.published.seen_in' is 'blog', which is not one of "
                                             "the allowed values"),
}


@pytest.mark.parametrize("case", sorted(STATUS_CASES))
def test_status_validation_messages(tmp_path, case):
    extra, key, expected = STATUS_CASES[case]
    content = tmp_path / "content"
    shutil.copytree(FIX / "valid", content)
    alpha = content / "trials" / "alpha.md"
    text = alpha.read_text(encoding="utf-8")
    assert ORR_FIGURE in text
    alpha.write_text(text.replace(ORR_FIGURE, ORR_FIGURE + extra), encoding="utf-8")
    lines = alpha.read_text(encoding="utf-8").split("\n")
    start = next(i for i, l in enumerate(lines) if i > lines.index("- measure: ORR") and l.startswith("  status:"))
    line = start + 1 if key == "status" else \
        next(i + 1 for i, l in enumerate(lines) if i > start and l.strip().startswith(f"{key}:"))
    report = Report(root=tmp_path)
    bib = Bibliography.load(FIX / "refs.bib", report)
    load_records(content, report, bib=bib, review_ids={"demo"})
    problems = [d.format(with_col=False) for d in report.sorted()]
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"content/trials/alpha.md:{line}: error: "), problems
    assert expected in problems[0], problems


def test_a_valid_status_passes(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIX / "valid", content)
    alpha = content / "trials" / "alpha.md"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace(ORR_FIGURE, ORR_FIGURE + NOTE + (
        "  status:\n    kind: review-differs\n    published:\n      value: 34\n      label: {zh: 确认, en: confirmed}\n"
        "      source: kudo2025leap012\n      seen_in: review-article\n")), encoding="utf-8")
    report = Report(root=tmp_path)
    records = load_records(content, report, bib=Bibliography.load(FIX / "refs.bib", report), review_ids={"demo"})
    assert report.sorted() == []
    e = records.trials["alpha"].endpoints[0]
    assert e.status.published.value == 34 and e.status.published.seen_in == "review-article"
    assert status_words(e, "en") == "the review's figure; primary publication: 34% (confirmed)"
    assert status_words(e, "zh") == "综述的数值；原始文献：34%（确认）"


PLACEHOLDER_ENTRY = """
@misc{demo-ref9,
  title        = {Reference [9] of the source review, not identified},
  unidentified = {9}
}
"""


def _placeholder_case(tmp_path: Path, extra: str) -> tuple[list[str], list[str], object]:
    """The fixture records with ALPHA-1's ORR credited to an unidentified reference of the review (``extra``
    written under the figure): the problems reported and the file's lines."""
    content = tmp_path / "content"
    shutil.copytree(FIX / "valid", content)
    bibfile = tmp_path / "refs.bib"
    bibfile.write_text((FIX / "refs.bib").read_text(encoding="utf-8") + PLACEHOLDER_ENTRY, encoding="utf-8")
    alpha = content / "trials" / "alpha.md"
    figure = ORR_FIGURE.replace("source: lee2020go30140", "source: demo-ref9")
    alpha.write_text(alpha.read_text(encoding="utf-8").replace(ORR_FIGURE, figure + extra), encoding="utf-8")
    report = Report(root=tmp_path)
    records = load_records(content, report, bib=Bibliography.load(bibfile, report), review_ids={"demo"})
    return [d.format(with_col=False) for d in report.sorted()], alpha.read_text(encoding="utf-8").split("\n"), records


@pytest.mark.parametrize("extra", ["", NOTE + "  status:\n    kind: as-published\n"])
def test_a_figure_of_an_unidentified_reference_cannot_be_as_published(tmp_path, extra):
    """Issue 18: nothing is verified against a review's reference that could not be identified (its refs.bib
    placeholder), so a figure credited to it is 'unverified', never 'as-published' (the default)."""
    problems, lines, _ = _placeholder_case(tmp_path, extra)
    key = "kind: as-published" if extra else "source: demo-ref9"
    line = next(i + 1 for i, l in enumerate(lines) if l.strip() == key)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"content/trials/alpha.md:{line}: error: endpoints[1] cites 'demo-ref9', a "
                                  "reference of the review that could not be identified, so it cannot be "
                                  "'as-published'"), problems
    assert "write 'status:' and, indented under it, 'kind: unverified'" in problems[0]


def test_a_figure_of_an_unidentified_reference_is_unverified(tmp_path):
    problems, _, records = _placeholder_case(tmp_path, NOTE + "  status:\n    kind: unverified\n")
    assert problems == []
    assert records.trials["alpha"].endpoints[0].status.kind == "unverified"


def test_no_figure_of_the_sites_unidentified_references_is_shown_as_published(records):
    """The records as they are: every figure credited to a placeholder (TACE + nivolumab's CR 16% / PR 55%, the
    review's reference [23]) carries the 'not verified' caveat, so tables, charts, handouts and open data mark it."""
    bib = pipeline.load(ROOT).bib
    figures = [(tr.id, e) for tr in records.trials.values() for e in tr.endpoints if bib.is_placeholder(e.source)]
    assert {(tid, e.measure, float(e.value)) for tid, e in figures} >= \
        {("tace-nivolumab-ref23", "CR", 16.0), ("tace-nivolumab-ref23", "PR", 55.0)}
    for tid, e in figures:
        assert e.status.kind == "unverified", (tid, e.measure)
        assert status_words(e, "en") == "not verified" and status_words(e, "zh") == "未能核实"


def test_a_status_can_carry_its_own_words(records):
    """Issue 18: REFLECT's OS figures are 'not-significant', but the generic 'difference not statistically
    significant' reads as 'lenvatinib failed' where the publication concludes non-inferiority: the status carries
    its own words, shown in its marker, caption and footnotes instead of the generic ones."""
    for e in (e for e in records.trials["reflect"].endpoints if e.measure == "OS"):
        assert e.status.kind == "not-significant"
        assert status_words(e, "en") == "non-inferior, not superior"
        assert status_words(e, "zh") == "非劣效，而非优效"
    # the other not-significant comparisons keep the generic words (their primary endpoints were not met)
    for tid in ("checkmate-459", "each"):
        for e in (e for e in records.trials[tid].endpoints if e.status.kind == "not-significant"):
            assert status_words(e, "en") == t("status_not_significant", "en")
            assert status_words(e, "zh") == t("status_not_significant", "zh")


def test_words_of_a_figure_as_published_are_reported(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIX / "valid", content)
    alpha = content / "trials" / "alpha.md"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace(ORR_FIGURE, ORR_FIGURE + (
        "  status:\n    kind: as-published\n    words: {zh: 非劣效, en: non-inferior}\n")), encoding="utf-8")
    lines = alpha.read_text(encoding="utf-8").split("\n")
    line = next(i + 1 for i, l in enumerate(lines) if l.strip().startswith("words:"))
    report = Report(root=tmp_path)
    load_records(content, report, bib=Bibliography.load(FIX / "refs.bib", report), review_ids={"demo"})
    problems = [d.format(with_col=False) for d in report.sorted()]
    assert len(problems) == 1 and problems[0].startswith(f"content/trials/alpha.md:{line}: error: endpoints[1] has "
                                                         "'words' but 'kind: as-published'"), problems


@pytest.mark.parametrize("lang", LANGS)
def test_reflect_is_shown_as_non_inferior_not_as_failed(built_site, lang):
    """Wherever REFLECT's OS is shown (its page, the lenvatinib and sorafenib pages with their tables and charts,
    the trials index, the regimen handout), its caveat says non-inferior, not superior; its record page no longer
    says 'difference not statistically significant'."""
    words = norm("非劣效，而非优效" if lang == "zh" else "non-inferior, not superior")
    generic = norm(t("status_not_significant", lang))
    for page in ("trials/reflect", "regimens/lenvatinib", "regimens/sorafenib", "trials"):
        text = norm(plain((built_site / lang / page / "index.html").read_text(encoding="utf-8")))
        assert words in text, (lang, page)
    reflect = norm(plain((built_site / lang / "trials/reflect/index.html").read_text(encoding="utf-8")))
    assert generic not in reflect
    if shutil.which("pdftotext"):
        assert words in pdftext(built_site / handout_pdf(lang))


# ---------------------------------------------------------------------------------------------------------------
# Records tables on every page of the site
# ---------------------------------------------------------------------------------------------------------------


def table_problems(page_html: str, page: str, records, lang: str) -> list[str]:
    """Every records table cell that shows a figure with a caveat without its words and its link to the note."""
    problems = []
    by_measure = {lg: {measure_label(m, lg): m for m in {e.measure for _, e in caveated(records)}} for lg in LANGS}
    for table in re.findall(r'<div[^>]*class="table-wrap records-table"[^>]*>(.*?)</table>', page_html, re.S):
        headers = [plain(h).strip() for h in re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", table, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
            cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            if not cells or len(cells) != len(headers):
                continue
            m = re.search(r'href="(?:[./]*/)?(?:(zh|en)/)?(trials|regimens)/([a-z0-9-]+)/"', cells[0])
            if not m:
                continue
            table_lang, kind, rid = m.group(1) or lang, m.group(2), m.group(3)  # a parallel view has both
            if kind == "trials":
                figs = [(records.trials[rid], e) for e in records.trials[rid].endpoints] if rid in records.trials else []
            else:
                figs = [(tr, e) for tr in records.trials_of(rid) for e in tr.endpoints if e.arm == rid]
            for col, head in enumerate(headers):
                measure = by_measure[table_lang].get(head)
                if measure is None:
                    continue
                cell = cells[col]
                for tr, e in figs:
                    if e.measure != measure or not e.status.caveat:
                        continue
                    words, anchor = status_words(e, table_lang), f"trials/{tr.id}/#{figure_anchor(tr, e)}"
                    if norm(words) not in norm(plain(cell)) or anchor not in cell:
                        problems.append(f"{page}: {tr.name} {head} {figure_text(e, lang)}: no '{words}' / {anchor}")
    return problems


def site_pages(site: Path, lang: str) -> list[Path]:
    return sorted((site / lang).rglob("index.html"))


@pytest.mark.parametrize("lang", LANGS)
def test_every_records_table_shows_the_caveats(built_site, records, lang):
    problems, tables = [], 0
    for path in site_pages(built_site, lang):
        page_html = path.read_text(encoding="utf-8")
        tables += page_html.count("records-table")
        problems += table_problems(page_html, str(path.relative_to(built_site)), records, lang)
    assert tables > 10
    assert problems == []


def test_the_table_check_fails_on_a_table_without_caveats(built_site, records):
    page = (built_site / "en" / "ici-hcc" / "combination-therapy" / "index.html").read_text(encoding="utf-8")
    assert table_problems(page, "cm", records, "en") == []
    stripped = re.sub(r'<span class="caveat">.*?</a><span class="paren">\)</span></span>', "", page, flags=re.S)
    assert stripped != page
    found = table_problems(stripped, "cm", records, "en")
    assert any("CheckMate 040" in p and "DCR" in p for p in found)
    assert any("RESCUE" in p for p in found)


# ---------------------------------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------------------------------


def plotted(e: Endpoint) -> bool:
    return (e.measure in RATE_MEASURES and e.unit == "%") or (e.measure in TIME_MEASURES and e.unit == "months")


@pytest.mark.parametrize("lang", LANGS)
def test_charts_mark_their_caveated_figures_and_list_the_caveats(records, lang):
    trials = sorted(records.trials.values(), key=lambda tr: tr.id)
    figures = [(tr, e) for tr, e in caveated(records) if plotted(e)]
    assert {tr.id for tr, _ in figures} >= {"checkmate-040", "tremelimumab-hcv", "rescue", "go30140"}
    svg = str(response_chart(records, trials, lang, lambda k: "", "c-r", page_url=f"{lang}/trials/")) + \
        str(forest_chart(records, trials, lang, lambda k: "", "c-f", page_url=f"{lang}/trials/"))
    caption = "".join(re.findall(r"<figcaption>(.*?)</figcaption>", svg, re.S))
    assert t("caveats", lang) in caption
    drawing = plain(re.sub(r"<figcaption>.*?</figcaption>", "", svg, flags=re.S))
    for tr, e in figures:
        words = status_words(e, lang)
        assert words in plain(caption) and f'href="{tr.id}/#{figure_anchor(tr, e)}"' in caption, (tr.id, e.measure)
        assert words in drawing, (tr.id, "desc")


def chart_problems(page_html: str, page: str, records, lang: str) -> list[str]:
    """A chart that plots a figure with a caveat (its study and its value are in the chart's description)
    without the caveat in its caption."""
    problems = []
    for fig in re.findall(r'<figure class="chart chart-(?:bars|forest|response)[^"]*">(.*?)</figure>', page_html, re.S):
        desc = plain("".join(re.findall(r"<desc[^>]*>(.*?)</desc>", fig, re.S)))
        caption = plain("".join(re.findall(r"<figcaption>(.*?)</figcaption>", fig, re.S)))
        chart_lang = "zh" if re.search(r"[\u4e00-\u9fff]", desc.split(" ")[0]) else "en"  # a parallel view has both
        for tr, e in caveated(records):
            if not plotted(e) or tr.name not in desc:
                continue
            shown = f"{measure_label(e.measure, chart_lang)} {figure_text(e, chart_lang)}" \
                if e.measure in RATE_MEASURES else figure_text(e, chart_lang)
            if shown in desc and status_words(e, chart_lang) not in caption:
                problems.append(f"{page}: {tr.name} {shown}: no caveat in the caption")
    return problems


@pytest.mark.parametrize("lang", LANGS)
def test_every_chart_of_the_site_lists_its_caveats(built_site, records, lang):
    problems, charts = [], 0
    for path in site_pages(built_site, lang):
        page_html = path.read_text(encoding="utf-8")
        charts += page_html.count('<figure class="chart')
        problems += chart_problems(page_html, str(path.relative_to(built_site)), records, lang)
    assert charts > 5
    assert problems == []


def test_the_chart_check_fails_on_a_chart_without_caveats(built_site, records):
    page = (built_site / "en" / "ici-hcc" / "combination-therapy" / "index.html").read_text(encoding="utf-8")
    assert chart_problems(page, "cm", records, "en") == []
    stripped = re.sub(r'<span class="chart-caveats">.*?</figcaption>', "</figcaption>", page, flags=re.S)
    assert stripped != page
    assert any("Tremelimumab" in p for p in chart_problems(stripped, "cm", records, "en"))


def test_no_chart_draws_a_ttp_or_an_os_on_a_pfs_axis(records):
    trials = list(records.trials.values())
    sections = dict(survival_sections(trials))
    assert all(e.measure == "PFS" for _, e in sections.get("PFS", []))
    assert all(e.measure == "OS" for _, e in sections.get("OS", []))
    relabelled = [(tr, e) for tr, e in caveated(records) if e.status.kind == "relabelled" and e.status.review_as == "PFS"]
    assert {tr.id for tr, _ in relabelled} >= {"nct01853618", "tremelimumab-hcv"}
    assert not [e for _, e in sections["PFS"] if any(e is r for _, r in relabelled)]
    # and a TTP that a review calls PFS is not drawn at all (no TTP axis)
    ttp = Endpoint(measure="TTP", value=7.4, unit="months", source="x", status=FigureStatus(kind="relabelled", review_as="PFS"))
    os_ = Endpoint(measure="OS", value=8.2, unit="months", source="x", status=FigureStatus(kind="relabelled", review_as="PFS"))
    tr = Trial(id="x", name="X", endpoints=[ttp, os_])
    got = dict(survival_sections([tr]))
    assert "PFS" not in got and [e for _, e in got["OS"]] == [os_]


# ---------------------------------------------------------------------------------------------------------------
# Record pages: the marker, the note it links to, review and primary publication side by side
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_record_pages_show_each_caveat_and_link_it_to_its_note(built_site, records, lang):
    problems = []
    for tr, e in caveated(records):
        page = (built_site / lang / "trials" / tr.id / "index.html").read_text(encoding="utf-8")
        anchor = figure_anchor(tr, e)
        table = re.search(rf'<table>\s*<thead>\s*<tr>\s*<th scope="col">{re.escape(t("figure", lang))}.*?</table>',
                          page, re.S)
        rows = re.findall(r"<tr>(.*?)</tr>", table.group(0), re.S)[1:] if table else []
        row = rows[tr.endpoints.index(e)] if len(rows) == len(tr.endpoints) else ""
        words = status_words(e, lang)
        if norm(words) not in norm(plain(row)) or not re.search(rf'href="(?:\./)?#{anchor}"', row):
            problems.append(f"{lang}/trials/{tr.id}: figure {anchor} row without its caveat")
        note = re.search(rf'<div class="admonition editor" id="{anchor}">(.*?)</div>\s*(?=<div|<h|$)', page, re.S)
        if note is None or norm(words) not in norm(plain(note.group(1))):
            problems.append(f"{lang}/trials/{tr.id}: no note #{anchor} with its caveat")
    assert problems == []


@pytest.mark.parametrize("lang", LANGS)
def test_trial_page_puts_review_and_primary_publication_side_by_side(built_site, lang):
    page = (built_site / lang / "trials" / "checkmate-040" / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<table class="review-vs-published">(.*?)</table>', page, re.S)
    assert m, "no side-by-side table"
    heads = [plain(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", m.group(1), re.S)]
    assert heads == [t("review_value", lang), t("published_value", lang)]
    review, published = [plain(c) for c in re.findall(r"<td>(.*?)</td>", m.group(1), re.S)]
    assert review.startswith("65%") and re.search(r"\[\d+\]", review)  # the review's figure with its source
    assert published.startswith("64%") and re.search(r"\[\d+\]", published)  # the published value with its source
    assert t("seen_in_repost", lang) in published  # what kind of source it was seen in ([V2])


# ---------------------------------------------------------------------------------------------------------------
# PDFs: the handout's lettered footnotes, the review's footnotes
# ---------------------------------------------------------------------------------------------------------------


def pdftext(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True)
    return norm(out.stdout)


def in_handout(records, tr: Trial, e: Endpoint) -> bool:
    return any(e.arm == rid or (e.arm is None and tr.arm_regimens == [rid]) for rid in records.regimens
               if tr.id in records.regimens[rid].trials)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
@pytest.mark.parametrize("lang", LANGS)
def test_handout_letters_every_caveated_figure(built_site, records, lang):
    text = pdftext(built_site / handout_pdf(lang))
    assert norm(t("caveats", lang)) in text
    missing = []
    letters = iter("abcdefghijklmnopqrstuvwxyz")
    for tr, e in caveated(records):
        if not in_handout(records, tr, e):
            continue
        if norm(status_words(e, lang)) not in text:
            missing.append((tr.id, e.measure, status_words(e, lang)))
        next(letters)
    assert missing == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
@pytest.mark.parametrize("lang", LANGS)
def test_review_pdf_gives_table_caveats_as_lettered_footnotes(built_site, lang):
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(built_site / "pdf" / f"ici-hcc-{lang}.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    words = "综述称 mPFS" if lang == "zh" else "given as mPFS in the review"
    notes = re.findall(rf"^([a-z])\.\s*{re.escape(words)}", out, re.M)
    assert len(notes) >= 2, "the two relabelled figures of the efficacy table are footnoted"


# ---------------------------------------------------------------------------------------------------------------
# Open data
# ---------------------------------------------------------------------------------------------------------------


def test_json_and_csv_carry_every_status(records):
    files = data_files(records)
    trials = {x["id"]: x for x in json.loads(files["data/trials.json"])}
    rows = list(csv.DictReader(io.StringIO(files["data/endpoints.csv"].decode("utf-8-sig"))))
    for col in ("status", "review_as", "cohort_zh", "cohort_en", "published_value", "published_source",
                "published_seen_in", "note_zh", "note_en"):
        assert col in rows[0]
    for tr in records.trials.values():
        for i, e in enumerate(tr.endpoints):
            got = trials[tr.id]["endpoints"][i]["status"]
            assert got["kind"] == e.status.kind
            if e.status.review_as:
                assert got["review_as"] == e.status.review_as
            if e.status.published:
                assert got["published"]["value"] == e.status.published.value
                assert got["published"]["seen_in"] == e.status.published.seen_in
    by_key = {(r["trial"], r["measure"], r["value"]): r for r in rows}
    for tr, e in caveated(records):
        r = by_key[(tr.id, e.measure, format_number(e.value))]
        assert r["status"] == e.status.kind and r["note_en"] == e.note.en, (tr.id, e.measure)
    dcr = by_key[("checkmate-040", "DCR", "65")]
    assert (dcr["published_value"], dcr["published_source"], dcr["published_seen_in"]) == \
        ("64", "el-khoueiry2017checkmate040", "repost")
    assert by_key[("nct01853618", "TTP", "7.4")]["review_as"] == "PFS"
    assert by_key[("rescue", "ORR", "34.3")]["cohort_en"] == "first-line cohort"
    # a status's own words are in the CSV too (medical editor's nit: they were in the JSON and the notes only)
    worded = [(tr, e) for tr, e in caveated(records) if e.status.words]
    assert worded
    for tr, e in worded:
        r = by_key[(tr.id, e.measure, format_number(e.value))]
        assert (r["status_words_zh"], r["status_words_en"]) == (e.status.words.zh, e.status.words.en), tr.id
    schema = json.loads(files["data/schema/trials.schema.json"])
    assert schema["$defs"]["FigureStatus"]["properties"]["kind"]["enum"] == \
        ["as-published", "relabelled", "cohort", "review-differs", "unverified", "not-significant"]
    # issue 18: the measure no record uses is gone from the published schema; the review's claims are data
    assert "OS-difference" not in json.dumps(schema)
    assert "review_claims" in schema["$defs"]["Trial"]["properties"]
    claims = trials["reflect"]["review_claims"]
    assert claims and claims[0]["source"] == "kudo2018reflect" and "5 个月" in claims[0]["quote"]


# ---------------------------------------------------------------------------------------------------------------
# References whose authors or title were not verified say so in the reader's language
# ---------------------------------------------------------------------------------------------------------------


def test_unverified_reference_fields_in_the_readers_language():
    bib = Bibliography.load(ROOT / "refs.bib", Report(root=ROOT))
    assert "作者和题名未经核实" in bib.format("startfit2023tace", "zh").text
    assert "Authors and title not verified" in bib.format("startfit2023tace", "en").text
    assert "作者未经核实" in bib.format("tremelimumab-ablation2017", "zh").text
    assert "题名、期刊和年份未经核实" in bib.format("sangro2013tremelimumab", "zh").text
    assert "Title, journal and year not verified" in bib.format("sangro2013tremelimumab", "en").text
    for key in ("startfit2023tace", "tremelimumab-ablation2017", "sangro2013tremelimumab", "jhepreports2019table"):
        zh = bib.format(key, "zh").text
        assert "not verified" not in zh and "review 000" not in zh, zh
    text = (ROOT / "refs.bib").read_text(encoding="utf-8")
    assert not re.search(r"note\s*=\s*\{[^}]*(?:authors|title)[^}]*not verified", text, re.I)


@pytest.mark.parametrize("lang", LANGS)
def test_every_kind_of_source_has_its_words(lang):
    for kind in SEEN_IN:
        assert t(f"seen_in_{kind.replace('-', '_')}", lang)


# ---------------------------------------------------------------------------------------------------------------
# Issue 18 (medical editor's try): each figure credited to the source that reports it
# ---------------------------------------------------------------------------------------------------------------


def test_figures_are_credited_to_the_source_that_reports_them(records):
    def fig(tid: str, measure: str, value: float) -> Endpoint:
        (e,) = [e for e in records.trials[tid].endpoints if e.measure == measure and float(e.value) == value]
        return e
    # the abstract reports only a TTP of 6.48 months: OS 8.2 (4.64-21.34) is the review tables' [V2]
    assert fig("tremelimumab-hcv", "OS", 8.2).source in ("pmc8899752review", "jhepreports2019table")
    assert fig("tremelimumab-hcv", "TTP", 6.48).source == "sangro2013tremelimumab"
    # n = 21 is the review tables' number; the abstract: 20 assessable for toxicity, 17 for response
    n = fig("tremelimumab-hcv", "patients", 21)
    assert n.source != "sangro2013tremelimumab" and n.status.kind == "review-differs"
    assert (n.status.published.value, n.status.published.source) == (20, "sangro2013tremelimumab")
    # figures only the review gives are the review's own
    for tid, measure, value in (("checkmate-040", "survival-rate", 50), ("checkmate-040", "DCR", 65),
                                ("nct01853618", "grade-3-4-TRAE", 4), ("nct01853618", "grade-3-4-TRAE", 13),
                                ("go30140", "DCR", 67)):
        assert fig(tid, measure, value).source == review_source_key("ici-hcc"), (tid, measure, value)
    # CheckMate 459: the ESMO 2019 abstract is the only [V] source of its figures
    assert {e.source for e in records.trials["checkmate-459"].endpoints} == {"yau2019checkmate459esmo"}


def test_no_review_only_figure_cites_a_primary_paper(records):
    # a figure only the review gives cites the review itself, or the review's own reference that could not be
    # identified (its placeholder: no publication either)
    bib = Bibliography.load(ROOT / "refs.bib", Report(root=ROOT))
    for tr in records.trials.values():
        for e in tr.endpoints:
            if e.status.kind == "unverified" and e.review:
                assert e.source == review_source_key(e.review) or bib.is_placeholder(e.source), \
                    (tr.id, e.measure, e.value, e.source)
            if e.status.kind == "review-differs":
                assert e.source != e.status.published.source, (tr.id, e.measure, e.value)


def test_the_review_itself_is_a_reference_in_the_readers_words():
    report = Report(root=ROOT)
    bib = Bibliography.load(ROOT / "refs.bib", report)
    assert review_source_key("ici-hcc") in bib
    entry = bib.entry(review_source_key("ici-hcc"))
    assert entry.fields["title"] == "基于免疫检查点抑制剂的肝细胞癌治疗研究进展"
    assert "review on this site" in entry.fields["note"] and "本站的免疫检查点抑制剂综述" in entry.fields["note_zh"]


@pytest.mark.parametrize("lang", LANGS)
def test_handout_references_say_which_fields_are_not_verified(built_site, lang):
    text = norm(pdftext(built_site / "pdf" / f"handout-regimens-{lang}.pdf"))
    assert norm(t("unverified_sentence", lang, fields=t("unverified_authors", lang) + t("unverified_list_and", lang)
                  + t("unverified_title", lang))[1:]) in text


QUALIFYING = re.compile(r"not met|not statistically significant|not superior|could not be verified|did not reach|"
                        r"not significant|not in the primary|no source consulted", re.I)


def test_a_figure_whose_note_qualifies_it_is_never_shown_bare(records):
    """One rule (issue 18): a figure whose editor's note qualifies it (primary endpoint not met, not significant,
    non-inferior but not superior, not verified) has a status, so that its marker is shown wherever it is."""
    bare = [(tr.id, e.measure, e.value) for tr in records.trials.values() for e in tr.endpoints
            if e.note and QUALIFYING.search(e.note.en) and not e.status.caveat]
    assert bare == []


# ---------------------------------------------------------------------------------------------------------------
# Patient counts carry the caveat of the figure that gives them (issue 18: tremelimumab-hcv's n = 21 is the
# review's count; the abstract has 20 patients assessable for toxicity, 17 for response)
# ---------------------------------------------------------------------------------------------------------------


def qualified_counts(records) -> list[tuple[Trial, str | None, int, Endpoint]]:
    """(trial, arm or None for the trial's total, count, the figure that qualifies it)."""
    out = []
    for tr in records.trials.values():
        if count_figure(tr) is not None:
            out.append((tr, None, tr.patients, count_figure(tr)))
        for a in tr.arms:
            if count_figure(tr, a.regimen) is not None:
                out.append((tr, a.regimen, a.n, count_figure(tr, a.regimen)))
    return out


def test_the_reviews_count_of_tremelimumab_hcv_is_qualified(records):
    tr = records.trials["tremelimumab-hcv"]
    e = count_figure(tr)
    assert e is not None and e.status.kind == "review-differs" and e.status.published.value == 20
    assert count_figure(tr, "tremelimumab") is e
    # a count no figure qualifies stays plain
    assert count_figure(records.trials["li2022-sbrt-camrelizumab"]) is None


def count_cell_problems(cell_html: str, where: str, tr: Trial, e: Endpoint, lang: str) -> list[str]:
    words, anchor = status_words(e, lang), f"#{figure_anchor(tr, e)}"
    if norm(words) not in norm(plain(cell_html)) or anchor not in cell_html:
        return [f"{where}: {tr.id} count without '{words}' / {anchor}"]
    return []


def count_problems(page_html: str, where: str, records, lang: str) -> list[str]:
    """Every cell of a page that shows a qualified count (a trial's patients, an arm's 'n = …') without the
    caveat's words and its link to the note: the trial page's facts, the trials index, the records tables."""
    problems = []
    for tr, arm, count, e in qualified_counts(records):
        link = rf'href="(?:[./]*/)?(?:(?:zh|en)/)?trials/{re.escape(tr.id)}/"'
        if where.endswith("trials/index.html"):
            link = rf'href="{re.escape(tr.id)}/"'  # the trials index links its rows relatively
        # the trial's own page: the facts table's rows "Patients" and "Arms"
        if where.endswith(f"trials/{tr.id}/index.html"):
            label = t("patients" if arm is None else "arms", lang)
            row = re.search(rf'<tr><th scope="row">{re.escape(label)}</th><td>(.*?)</td></tr>', page_html, re.S)
            problems += count_cell_problems(row.group(1) if row else "", where, tr, e, lang)
            continue
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page_html, re.S):
            cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            if not cells or not re.search(link, cells[0]):
                continue
            for cell in cells[1:]:
                text = plain(cell)
                shows = (re.search(rf"n\s*=\s*{count}\b", text) if arm is not None
                         else re.fullmatch(rf"\s*{count}\b.*", text, re.S))
                if shows:
                    problems += count_cell_problems(cell, where, tr, e, lang)
    return problems


@pytest.mark.parametrize("lang", LANGS)
def test_a_qualified_patient_count_is_never_shown_bare(built_site, records, lang):
    pages = [f"{lang}/trials/tremelimumab-hcv/index.html", f"{lang}/trials/index.html",
             f"{lang}/ici-hcc/combination-therapy/index.html"]
    problems = []
    for rel_path in pages:
        problems += count_problems((built_site / rel_path).read_text(encoding="utf-8"), rel_path, records, lang)
    assert problems == []
    # the check itself fails on the pages without their caveats
    stripped_problems = []
    for rel_path in pages:
        page_html = (built_site / rel_path).read_text(encoding="utf-8")
        stripped = re.sub(r'<span class="caveat">.*?</a><span class="paren">[)）]</span></span>', "", page_html,
                          flags=re.S)
        stripped_problems += count_problems(stripped, rel_path, records, lang)
    assert len(stripped_problems) >= 4


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
@pytest.mark.parametrize("lang", LANGS)
def test_the_review_pdf_footnotes_the_qualified_count(built_site, records, lang):
    text = pdftext(built_site / "pdf" / f"ici-hcc-{lang}.pdf")
    e = count_figure(records.trials["tremelimumab-hcv"])
    assert norm(status_words(e, lang)) in text


def test_open_data_gives_a_qualified_count_its_status(records):
    files = data_files(records)
    trials = {x["id"]: x for x in json.loads(files["data/trials.json"])}
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(files["data/trials.csv"].decode("utf-8-sig")))}
    for tr, arm, count, e in qualified_counts(records):
        if arm is None:
            assert trials[tr.id]["patients_status"]["kind"] == e.status.kind
            assert rows[tr.id]["patients_status"] == e.status.kind
            assert rows[tr.id]["patients_published_value"] == format_number(e.status.published.value)
        else:
            arm_data = next(a for a in trials[tr.id]["arms"] if a["regimen"] == arm)
            assert arm_data["n_status"]["kind"] == e.status.kind
            assert f"{arm} (n={count}, status: {e.status.kind})" in rows[tr.id]["arms"]
    assert rows["tremelimumab-hcv"]["patients_published_value"] == "20"
    plain_rows = [r for r in rows.values() if r["patients"] and not r["patients_status"]]
    assert plain_rows, "a count no figure qualifies has no status"
    schema = json.loads(files["data/schema/trials.schema.json"])
    assert schema["$defs"]["Trial"]["properties"]["patients_status"]["$ref"] == "#/$defs/FigureStatus"
    assert schema["$defs"]["Arm"]["properties"]["n_status"]["$ref"] == "#/$defs/FigureStatus"


# ---------------------------------------------------------------------------------------------------------------
# The handout cites each figure's own source (issue 18), not the trial's whole group of references
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_handout_cites_each_figures_own_source(tmp_path, lang):
    model = pipeline.load(ROOT)
    data = handout_data(model, tmp_path, lang)
    by_name = {tr.display_name(lang): tr for tr in model.records.trials.values()}
    number_of: dict[str, int] = {}
    figures = 0
    for g in data["groups"]:
        for row in g["regimens"]:
            for shown in row["trials"]:
                tr = by_name[shown["name"]]
                by_text = {handout_figure(e, lang): e for e in tr.endpoints}
                for i, f in enumerate(shown["figures"]):
                    e = by_text[f["text"]]
                    # one number per source, the number of the figure's own source
                    assert number_of.setdefault(e.source, f["ref"]) == f["ref"], (tr.id, e.measure)
                    nxt = shown["figures"][i + 1] if i + 1 < len(shown["figures"]) else None
                    assert f["cite"] == (nxt is None or nxt["ref"] != f["ref"])  # cited after its run
                    figures += 1
    assert figures > 20
    assert sorted(number_of.values()) == [r["n"] for r in data["refs"]]
    # CheckMate 040's ORR 20% is the paper's, its DCR 65% the review's: each cites its own
    cm = model.records.trials["checkmate-040"]
    sources = {e.source for e in cm.endpoints}
    assert len(sources) >= 2 and len({number_of[k] for k in sources if k in number_of}) >= 2


# ---------------------------------------------------------------------------------------------------------------
# A regimen's setting with a caveat: nivolumab monotherapy's withdrawn US second-line approval (issue 18)
# ---------------------------------------------------------------------------------------------------------------

WITHDRAWN = {"zh": "二线（索拉非尼治疗后）：美国的加速批准已于 2021 年撤销",
             "en": "Second line (after sorafenib): the US accelerated approval was withdrawn in 2021"}


@pytest.mark.parametrize("lang", LANGS)
def test_handout_flags_the_withdrawn_second_line_approval_of_nivolumab(tmp_path, lang):
    """The handout's row 'nivolumab, advanced, second line' carries a footnote: the US accelerated approval was
    withdrawn in 2021 (primary-trial-facts.md §3: the approval [V], the withdrawal and its date [V2], said so)."""
    model = pipeline.load(ROOT)
    data = handout_data(model, tmp_path, lang)
    name = model.records.regimens["nivolumab"].name[lang]
    (row,) = [r for g in data["groups"] for r in g["regimens"] if r["name"] == name]
    assert row["settings_mark"], row
    (fn,) = [f for f in data["footnotes"] if f["mark"] == row["settings_mark"]]
    assert WITHDRAWN[lang] in fn["text"] and fn["text"].startswith(name)
    assert ("二手来源" if lang == "zh" else "secondary sources") in fn["text"]
    # the letters stay in order of appearance: the setting's footnote comes before its row's figures'
    assert [f["mark"] for f in data["footnotes"]] == sorted(f["mark"] for f in data["footnotes"]) or \
        len(data["footnotes"]) > 26
    # no other regimen is flagged
    assert [r["name"] for g in data["groups"] for r in g["regimens"] if r["settings_mark"]] == [name]


@pytest.mark.parametrize("lang", LANGS)
def test_withdrawn_approval_is_in_both_handouts_and_on_the_regimen_page(built_site, lang):
    page = norm(plain((built_site / lang / "regimens/nivolumab/index.html").read_text(encoding="utf-8")))
    assert norm(WITHDRAWN[lang]) in page
    if shutil.which("pdftotext"):
        assert norm(WITHDRAWN[lang]) in pdftext(built_site / handout_pdf(lang))


@pytest.mark.parametrize("lang", LANGS)
def test_handout_names_the_abstract_a_figure_comes_from(lang):
    """Issue 18 (medical editor's nit): the handout's short reference for the CheckMate 459 ESMO abstract read
    'Annals of Oncology. 2019;30', which does not find the abstract; it names the abstract (the supplement's
    number is on the web reference list: the handout keeps to one page)."""
    model = pipeline.load(ROOT)
    text, _ = short_reference(model, "yau2019checkmate459esmo", lang)
    assert "ESMO 2019 Congress, abstract LBA38" in text, text
    text, _ = short_reference(model, "el-khoueiry2017checkmate040", lang)
    assert "abstract" not in text  # a paper with pages is found by them


def test_the_english_reference_to_a_chinese_review_gives_its_english_title():
    """Reader try: the English reference to the Chinese review gave only its Chinese title. The source's own
    English title follows in brackets (Vancouver) in the English reference lists; not in the one-page handout,
    where it would take the page to two (its short reference stays the title as published)."""
    model = pipeline.load(ROOT)
    english = "Advances in immune checkpoint inhibitor-based therapeutic studies for hepatocellular carcinoma"
    assert f"基于免疫检查点抑制剂的肝细胞癌治疗研究进展 [{english}]" in model.bib.format("ici-hcc-review", "en").text
    assert english not in model.bib.format("ici-hcc-review", "zh").text
