"""Structured records: validation messages, record tables, record pages, charts and open data.

Every validation error has a fixture under tests/fixtures/records/ (an overlay on the valid set in
``valid/``, or a section with a records table in ``tables/``) and its exact message here.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest

from sitekit import ROOT, SEEDS, make_project, run_build
from generator import pipeline
from generator.bib.bibliography import Bibliography
from generator.site.charts import forest_chart, response_chart, timeline_chart
from generator.sources.content import load_project
from generator.diagnostics import Report
from generator.site.opendata import data_files, json_schema
from generator.site.recordpages import static_files
from generator.sources.mentions import find_mentions
from generator.sources.recordload import load_records, number_in
from generator.sources.records import Trial, data_fields
from generator.sources.tablespec import RecordTables, directive_keys, find

FIX = Path(__file__).resolve().parent / "fixtures" / "records"
SEED_OF = {"ici-hcc": "000_d40df7017e428c41.txt", "interventional-hcc": "001_27d95b55e58caa00.txt"}

RECORD_ERRORS = {
    'arm-not-in-trial': [
        "content/trials/beta.md:29: error: the arm 'atezolizumab-bevacizumab' of endpoints[2] is not one of this trial's arms (tace-lenvatinib-pembrolizumab, tace): add it under 'arms' or correct 'arm'",
    ],
    'both-languages': [
        "content/trials/alpha.md:10: error: 'population.en' is missing",
    ],
    'ci-order': [
        "content/trials/alpha.md:30: error: 'endpoints[2].ci' is [19.4, 4.7]: write the lower limit first",
    ],
    'ci-shape': [
        "content/trials/alpha.md:30: error: 'endpoints[2].ci' must be two numbers, the lower and the upper limit of the 95% confidence interval, e.g. [4.7, 19.4]",
    ],
    'drug-class': [
        "content/drugs/lenvatinib.md:5: error: 'class' is 'tki', which is not one of the allowed values: pd-1, pd-l1, ctla-4, tim-3, lag-3, anti-vegf, multi-kinase-tki, vegfr2-tki, chemotherapy, procedure",
    ],
    'duplicate-id': [
        "content/trials/alpha-copy.md:2: error: the id 'alpha' is also used by content/trials/alpha.md: every record needs its own id",
        "content/trials/alpha-copy.md:2: error: the id 'alpha' must equal the file name 'alpha-copy': rename the file to 'alpha.md' or change the id",
        "content/trials/alpha.md:2: error: the id 'alpha' is also used by content/trials/alpha-copy.md: every record needs its own id",
    ],
    'duplicate-registry': [
        'content/trials/beta.md:6: error: the registry number NCT01234567 is also given by content/trials/alpha.md: one trial, one record',
    ],
    'file-name': [
        "content/trials/alpha.md:2: error: the id 'alpha1' must equal the file name 'alpha': rename the file to 'alpha1.md' or change the id",
    ],
    'id-of-a-regimen': [
        "content/trials/tace.md:2: error: the id 'tace' is also the id of the regimen content/regimens/tace.md: a trial and a regimen need different ids",
    ],
    'missing-name': [
        "content/drugs/lenvatinib.md:1: error: 'name' is missing: the name in both languages (zh: ... / en: ...)",
    ],
    'missing-source': [
        "content/trials/beta.md:26: error: 'endpoints[2].source' is missing: the refs.bib key of the publication the figure comes from",
    ],
    'not-allowed-value': [
        "content/trials/alpha.md:8: error: 'design' is 'randomized', which is not one of the allowed values (did you mean randomised, non-randomised?): randomised, non-randomised, single-arm, prospective-cohort, retrospective, meta-analysis, protocol, consensus, review, preclinical",
    ],
    'phase': [
        'content/trials/alpha.md:7: error: \'phase\' is \'Phase 1b\': write the phase as the source gives it, in quotes: "1", "1b", "1/2", "Ib/II", "2", "2/3" or "3"',
    ],
    'quote-without-review': [
        "content/trials/beta.md:31: error: endpoints[2] has a 'quote' but no 'review': say which review (demo) the quote comes from",
    ],
    'regimen-not-in-trial': [
        "content/regimens/tace.md:8: error: the trial 'alpha' has no arm with this regimen: add '- regimen: tace' under 'arms' in content/trials/alpha.md, or remove 'alpha' here",
    ],
    'registry': [
        "content/trials/alpha.md:6: error: 'registry[1]' is 'NCT1234567': a registry number is 'NCT' followed by 8 digits, e.g. NCT03006926",
    ],
    'review-without-quote': [
        "content/trials/beta.md:31: error: endpoints[2] gives 'review: demo' but no 'quote': copy the words of the review that give the figure into 'quote'",
    ],
    'step-treatment': [
        "content/trials/beta.md:17: error: unknown drug or procedure 'tase' (did you mean tace?)",
    ],
    'trial-not-in-regimen': [
        "content/trials/beta.md:10: error: the regimen 'tace' does not list this trial: add 'beta' to 'trials' in content/regimens/tace.md",
    ],
    'unit': [
        "content/trials/beta.md:28: error: the unit of endpoints[2] (OS) must be 'months', not '%'",
    ],
    'unknown-drug': [
        "content/regimens/tace-lenvatinib-pembrolizumab.md:6: error: unknown drug or procedure 'lenvatinb' (did you mean lenvatinib?)",
    ],
    'unknown-field': [
        "content/trials/alpha.md:7: error: unknown field 'phse' (did you mean phase?)",
    ],
    'unknown-reference': [
        "content/trials/alpha.md:40: error: unknown reference key 'finn2020imbrave15' (did you mean finn2020imbrave150?)",
    ],
    'unknown-reference-in-notes': [
        "content/trials/alpha.md:44: error: unknown reference key 'lee2020go3014' (did you mean lee2020go30140?)",
    ],
    'unknown-regimen': [
        "content/trials/alpha.md:15: error: unknown regimen 'atezolizumab-bevacizmab' (did you mean atezolizumab-bevacizumab?)",
    ],
    'unknown-review': [
        "content/trials/alpha.md:24: error: unknown review 'dmeo' (did you mean demo?): the reviews are demo",
    ],
    'unknown-trial': [
        "content/regimens/tace-lenvatinib-pembrolizumab.md:9: error: unknown trial 'alpah' (did you mean alpha?)",
    ],
    'value-not-in-quote': [
        "content/trials/alpha.md:25: error: the value 36 of endpoints[1] does not appear in its quote '已被证实有 35%的 ORR': the quote must contain the figure as the review prints it",
    ],
    'value-outside-ci': [
        'content/trials/alpha.md:30: error: the value 7.4 of endpoints[2] lies outside its confidence interval [8.1, 19.4]: check both',
    ],
    'wrong-type': [
        "content/trials/alpha.md:13: error: 'patients' must be a whole number, not 'many'",
    ],
}

TABLE_ERRORS = {
    'chart-empty': [
        'content/demo/02-table.md:13: warning: this sequence chart is empty: none of its trials describes its order of treatments step by step',
        'content/demo/02-table.md:22: warning: this sequence chart is empty: none of its trials describes its order of treatments step by step',
    ],
    'chart-of-regimens': [
        "content/demo/02-table.md:16: error: a chart draws the figures of trials: write 'type: trials' and pick the trials (a regimen's trials are found with 'filter: {regimen: ...}')",
        "content/demo/02-table.md:25: error: a chart draws the figures of trials: write 'type: trials' and pick the trials (a regimen's trials are found with 'filter: {regimen: ...}')",
    ],
    'chart-unknown': [
        "content/demo/02-table.md:16: error: 'chart' is 'responce', which is not one of the allowed values (did you mean response?): response, forest, sequence",
        "content/demo/02-table.md:25: error: 'chart' is 'responce', which is not one of the allowed values (did you mean response?): response, forest, sequence",
    ],
    'chart-with-caption': [
        "content/demo/02-table.md:17: error: a chart has its own title ('Response rates across studies', ...): remove 'caption' and introduce the chart in the text before it",
        "content/demo/02-table.md:27: error: a chart has its own title ('Response rates across studies', ...): remove 'caption' and introduce the chart in the text before it",
    ],
    'chart-with-columns': [
        "content/demo/02-table.md:16: error: a chart has no columns: remove 'columns', or remove 'chart' to make a table",
        "content/demo/02-table.md:26: error: a chart has no columns: remove 'columns', or remove 'chart' to make a table",
    ],
    'bad-type': [
        "content/demo/02-table.md:14: error: 'type' is 'trial', which is not one of the allowed values (did you mean trials?): trials, regimens",
        "content/demo/02-table.md:22: error: 'type' is 'trial', which is not one of the allowed values (did you mean trials?): trials, regimens",
    ],
    'bad-yaml': [
        "content/demo/02-table.md:16: error: the records table is not valid YAML: expected ',' or ']', but got ':' (check indentation, and put text containing ':' or '#' in quotes)",
        "content/demo/02-table.md:25: error: the records table is not valid YAML: expected ',' or ']', but got ':' (check indentation, and put text containing ':' or '#' in quotes)",
    ],
    'ids-and-filter': [
        "content/demo/02-table.md:16: error: give either 'ids' (a list of records) or 'filter', not both",
        "content/demo/02-table.md:25: error: give either 'ids' (a list of records) or 'filter', not both",
    ],
    'languages-differ': [
        'content/demo/02-table.md:18: error: the Chinese block (line 10) and the English block (line 18) must contain the same records tables (the same type, ids, filter, columns and chart)',
    ],
    'no-rows': [
        'content/demo/02-table.md:13: warning: this records table has no rows: no trial matches its filter',
        'content/demo/02-table.md:21: warning: this records table has no rows: no trial matches its filter',
    ],
    'unknown-column': [
        "content/demo/02-table.md:16: error: unknown column 'phaze' (did you mean phase?): the columns of a trials table are name, registry, phase, design, settings, population, arms, patients, sequence, status, refs, ORR, DCR, CR, PR, PFS, OS, RFS, TTP, conversion, survival-rate, grade-3-4-TRAE, HR",
        "content/demo/02-table.md:25: error: unknown column 'phaze' (did you mean phase?): the columns of a trials table are name, registry, phase, design, settings, population, arms, patients, sequence, status, refs, ORR, DCR, CR, PR, PFS, OS, RFS, TTP, conversion, survival-rate, grade-3-4-TRAE, HR",
    ],
    'unknown-field': [
        "content/demo/02-table.md:15: error: unknown field 'id' (did you mean ids?)",
        "content/demo/02-table.md:23: error: unknown field 'id' (did you mean ids?)",
    ],
    'unknown-filter': [
        "content/demo/02-table.md:15: error: unknown filter 'settings' (did you mean setting?): a trials table can be filtered by setting, category, drug, design, phase, regimen",
        "content/demo/02-table.md:23: error: unknown filter 'settings' (did you mean setting?): a trials table can be filtered by setting, category, drug, design, phase, regimen",
    ],
    'unknown-filter-value': [
        "content/demo/02-table.md:15: error: the filter 'drug' has the unknown value 'lenvatinb' (did you mean lenvatinib?)",
        "content/demo/02-table.md:23: error: the filter 'drug' has the unknown value 'lenvatinb' (did you mean lenvatinib?)",
    ],
    'unknown-id': [
        "content/demo/02-table.md:15: error: unknown trial 'betta' (did you mean beta?)",
        "content/demo/02-table.md:23: error: unknown trial 'betta' (did you mean beta?)",
    ],
}


# ---------------------------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------------------------


def records_dir(tmp_path: Path, case: str | None = None, overlay: str = "errors") -> Path:
    """The valid records, with the files of an error case laid over them."""
    content = tmp_path / "content"
    shutil.copytree(FIX / "valid", content)
    if case is not None:
        for f in sorted((FIX / overlay / case).rglob("*.md")):
            dst = content / f.relative_to(FIX / overlay / case)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(f, dst)
    return content


def load_fixture(tmp_path: Path, case: str | None = None, overlay: str = "errors"):
    content = records_dir(tmp_path, case, overlay)
    report = Report(root=tmp_path)
    bib = Bibliography.load(FIX / "refs.bib", report)
    records = load_records(content, report, bib=bib, review_ids={"demo"})
    return records, [d.format(with_col=False) for d in report.sorted()]


def mini_project(tmp_path: Path, table_case: str = "valid", overlay: str | None = None) -> Path:
    files = {"content/demo/02-table.md": (FIX / "tables" / f"{table_case}.md").read_text(encoding="utf-8")}
    project = make_project(tmp_path, files)
    shutil.copytree(FIX / "valid", project / "content", dirs_exist_ok=True)
    if overlay is not None:
        shutil.copytree(FIX / overlay, project / "content", dirs_exist_ok=True)
    shutil.copy(FIX / "refs.bib", project / "refs.bib")
    return project


@pytest.fixture(scope="module")
def real():
    report = Report(root=ROOT)
    project = load_project(ROOT, report)
    bib = Bibliography.load(ROOT / "refs.bib", report)
    before = len(report.items)
    records = load_records(ROOT / "content", report, bib=bib, review_ids={r.id for r in project.reviews})
    return project, bib, records, report.items[before:]


@pytest.fixture(scope="module")
def real_pages():
    model = pipeline.load(ROOT)
    return {p.uri: p for p in pipeline.pages(model)}


# ---------------------------------------------------------------------------------------------------------------
# validation: every error, with its exact message
# ---------------------------------------------------------------------------------------------------------------


def test_valid_fixture_has_no_problem(tmp_path):
    records, problems = load_fixture(tmp_path)
    assert problems == []
    assert sorted(records.trials) == ["alpha", "beta"]
    assert records.trials["alpha"].endpoints[1].ci == [4.7, 19.4]
    assert records.trials["beta"].sequence.steps[0].treatments == ["lenvatinib", "pembrolizumab"]


def test_every_error_fixture_has_its_expected_messages():
    assert sorted(p.name for p in (FIX / "errors").iterdir()) == sorted(RECORD_ERRORS)
    assert sorted(p.stem for p in (FIX / "tables").glob("*.md") if not p.stem.startswith("valid")) == \
        sorted(TABLE_ERRORS)


@pytest.mark.parametrize("case", sorted(RECORD_ERRORS))
def test_record_error_messages(tmp_path, case):
    records, problems = load_fixture(tmp_path, case)
    assert problems == RECORD_ERRORS[case]


def test_all_problems_are_reported_at_once(tmp_path):
    content = records_dir(tmp_path)
    for case in ("unknown-regimen", "registry", "unknown-field", "value-not-in-quote"):
        text = (FIX / "errors" / case / "trials" / "alpha.md").read_text(encoding="utf-8")
        base = (FIX / "valid" / "trials" / "alpha.md").read_text(encoding="utf-8")
        # apply each case's single change on top of the others
        for old, new in zip(base.split("\n"), text.split("\n")):
            if old != new:
                (content / "trials" / "alpha.md").write_text(
                    (content / "trials" / "alpha.md").read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    report = Report(root=tmp_path)
    bib = Bibliography.load(FIX / "refs.bib", report)
    load_records(content, report, bib=bib, review_ids={"demo"})
    messages = [d.message for d in report.errors]
    assert len(messages) == 4, messages
    assert any(m.startswith("unknown regimen 'atezolizumab-bevacizmab'") for m in messages)


@pytest.mark.parametrize("case", sorted(TABLE_ERRORS))
def test_table_directive_error_messages(tmp_path, case):
    model = pipeline.load(mini_project(tmp_path, case))
    assert [d.format(with_col=False) for d in model.report.sorted()] == TABLE_ERRORS[case]


# ---------------------------------------------------------------------------------------------------------------
# the real records
# ---------------------------------------------------------------------------------------------------------------


def test_real_records_validate(real):
    project, bib, records, problems = real
    assert [d.format() for d in problems] == []
    assert len(records.trials) >= 40 and len(records.regimens) >= 30 and len(records.drugs) >= 20


def test_every_referenced_id_exists(real):
    project, bib, records, _ = real
    for t in records.trials.values():
        for a in t.arms:
            assert a.regimen in records.regimens, (t.id, a.regimen)
            assert t.id in records.regimens[a.regimen].trials, (t.id, a.regimen)
        for e in t.endpoints:
            assert e.arm is None or e.arm in t.arm_regimens, (t.id, e.arm)
            assert e.source in bib, (t.id, e.source)
        for key in t.refs:
            assert key in bib, (t.id, key)
        for step in (t.sequence.steps if t.sequence else []):
            for d in step.treatments:
                assert d in records.drugs, (t.id, d)
    for r in records.regimens.values():
        for d in r.components:
            assert d in records.drugs, (r.id, d)
        for tid in r.trials:
            assert tid in records.trials and r.id in records.trials[tid].arm_regimens, (r.id, tid)


def _figures_with_review():
    report = Report(root=ROOT)
    project = load_project(ROOT, report)
    records = load_records(ROOT / "content", report, bib=None, review_ids={r.id for r in project.reviews})
    return [(t.id, i, e) for t in records.trials.values() for i, e in enumerate(t.endpoints) if e.review]


@pytest.mark.parametrize("trial,i,endpoint", _figures_with_review(), ids=lambda v: str(v) if isinstance(v, (str, int)) else "")
def test_quotes_are_in_the_seed_and_hold_the_value(trial, i, endpoint):
    seed = SEEDS / SEED_OF[endpoint.review]
    assert seed.exists(), f"{seed} is missing (tests/seeds/README.md)"
    text = re.sub(r"\s+", "", seed.read_text(encoding="utf-8"))
    quote = re.sub(r"\s+", "", endpoint.quote)
    assert quote in text, f"{trial} endpoints[{i + 1}]: quote not in the seed: {endpoint.quote}"
    assert number_in(endpoint.quote, endpoint.value), f"{trial} endpoints[{i + 1}]: {endpoint.value} not in the quote"


def test_sequences_of_the_required_trials_are_drawn(real):
    project, bib, records, _ = real
    for tid in ("emerald-1", "leap-012", "start-fit"):
        trial = records.trials[tid]
        assert trial.sequence is not None and len(trial.sequence.steps) >= 2, tid
        for lang in ("zh", "en"):
            svg = timeline_chart(records, trial, lang, f"t-{tid}")
            assert svg is not None and 'role="img"' in svg
    leap = timeline_chart(records, records.trials["leap-012"], "en", "x")
    leap = leap[leap.index("</desc>"):]
    # systemic therapy first, then TACE: the boxes come in that order along the time axis
    assert leap.index(">lenvatinib +<") < leap.index(">pembrolizumab<") < leap.index(">TACE<") < leap.rindex(">lenvatinib<")
    emerald = timeline_chart(records, records.trials["emerald-1"], "zh", "x")
    emerald = emerald[emerald.index("</desc>"):]
    assert emerald.index(">TACE<") < emerald.index("度伐利尤单抗") < emerald.index("贝伐珠单抗")
    assert "首次 TACE 后至少 7 d" in emerald


# ---------------------------------------------------------------------------------------------------------------
# mentions
# ---------------------------------------------------------------------------------------------------------------


def test_find_mentions_in_both_reviews(real):
    project, bib, records, _ = real
    found = find_mentions(project, records)
    where = {rid: {(m.review.id, m.section.id) for m in ms} for rid, ms in found.items()}
    assert ("ici-hcc", "combination-therapy") in where["imbrave150"]
    assert ("ici-hcc", "combination-therapy") in where["study-22"]  # written "Study22" in the text
    assert ("interventional-hcc", "clinical-progress") in where["emerald-1"]
    assert ("ici-hcc", "combination-therapy") in where["tremelimumab-durvalumab"]  # label STRIDE
    assert ("ici-hcc", "combination-therapy") in where["nct03222076"]  # registry number
    # a name inside the longer name of another regimen is not a mention of the shorter one
    assert "tace-durvalumab" not in found
    for ms in found.values():
        for m in ms:
            assert m.anchor in {p.anchor for p in m.section.body.pairs}


# ---------------------------------------------------------------------------------------------------------------
# tables
# ---------------------------------------------------------------------------------------------------------------


def test_table_in_both_languages_with_numbered_citations(tmp_path):
    model = pipeline.load(mini_project(tmp_path))
    assert model.report.sorted() == []
    pages = {p.uri: p.markdown for p in pipeline.pages(model)}
    numbers = model.citations.numbering["demo"].numbers
    # prose first (section 1), then the table's figures in reading order
    assert list(numbers) == ["finn2020imbrave150", "lee2020go30140", "kudo2025leap012"]
    for lang, header, pfs, caption in (("zh", "研究", "7.4 个月（95% CI：4.7–19.4；", "研究一览"),
                                       ("en", "Study", "7.4 months (95% CI 4.7–19.4)", "The studies")):
        md = pipeline.finish(model, pipeline.fill(model, pages[f"{lang}/demo/table.md"]))  # deferred HTML in
        assert '<div class="table-wrap records-table"' in md
        assert f'<th scope="col">{header}</th>' in md and f"<caption>{caption}</caption>" in md
        assert pfs.split("（")[0].split(" (")[0] in md and ("4.7–19.4" in md)
        assert "[@" not in md  # every marker became a numbered citation
        assert 'class="cite"' in md and 'href="#ref-2"' in md and 'href="#ref-3"' in md
        assert '<a href="../../trials/alpha/">ALPHA-1</a>' in md
        assert re.search(r"<td data-label=\"[^\"]+\">—</td>", md)  # a value the record does not hold (data-label: its column, shown in the phone cards)
        assert 'id="ref-2"' in md and 'id="ref-3"' in md  # the section's reference list has them
        # raw HTML inside markdown: no blank line inside the table
        table = md[md.index('<div class="table-wrap records-table"'):md.index("</table>")]
        assert "\n\n" not in table and "\n    " not in table
    parallel = pages["en/demo/table/parallel.md"]
    assert '<a href="../../../trials/alpha/">ALPHA-1</a>' in parallel


def test_charts_in_a_section_draw_the_review_numbers_and_cite_their_sources(tmp_path):
    model = pipeline.load(mini_project(tmp_path, "valid-charts"))
    assert model.report.sorted() == []
    numbers = model.citations.numbering["demo"].numbers
    pages = {p.uri: p.markdown for p in pipeline.pages(model)}
    for lang, title, sources in (("zh", "各研究的缓解率", "数据来源："), ("en", "Response rates across studies", "Sources: ")):
        md = pipeline.finish(model, pipeline.fill(model, pages[f"{lang}/demo/table.md"]))
        figures = re.findall(r'<figure class="chart.*?</figure>', md, re.S)
        assert len(figures) == 3, figures  # response, forest, and the one trial with a described sequence
        assert title in figures[0] and "[@" not in md
        # the numbers drawn are the review's: ALPHA-1's ORR comes from lee2020go30140, BETA-12's DCR from kudo
        assert f"ALPHA-1 [{numbers['lee2020go30140']}]" in figures[0]
        assert f"BETA-12 [{numbers['kudo2025leap012']}]" in figures[0]
        # the caption cites them: links to the section's reference list, which lists them
        caption = re.search(r"<figcaption>(.*?)</figcaption>", figures[0], re.S).group(1)
        assert sources in caption and f'href="#ref-{numbers["lee2020go30140"]}"' in caption
        assert f'id="ref-{numbers["kudo2025leap012"]}"' in md
        assert "<abbr" not in "".join(re.findall(r"<svg.*?</svg>", md, re.S))
        ids = re.findall(r'\sid="([^"]+)"', md)
        assert len(ids) == len(set(ids)), "duplicate ids"
    directive = model.tables.spec_of("type: trials\nids: [alpha, beta]\nchart: forest")
    assert model.tables.citation_keys(directive) == ["lee2020go30140", "kudo2025leap012"]


def test_regimen_table_with_a_filter(tmp_path):
    model = pipeline.load(mini_project(tmp_path, "valid-filter"))
    assert model.report.sorted() == []
    md = {p.uri: p.markdown for p in pipeline.pages(model)}["en/demo/table.md"]
    assert "TACE plus lenvatinib and pembrolizumab" in md and "Atezolizumab plus bevacizumab" not in md
    assert "80% " in md and "(BETA-12)" in md  # the DCR figure of the regimen's arm, with its study


def test_directive_keys_and_citation_text(tmp_path):
    records, _ = load_fixture(tmp_path)
    text = (FIX / "tables" / "valid.md").read_text(encoding="utf-8").split("::: en")[0]
    assert directive_keys(text, records) == ["lee2020go30140", "lee2020go30140", "finn2020imbrave150",
                                             "kudo2025leap012", "kudo2025leap012", "kudo2025leap012"]
    tables = RecordTables(records)
    out = tables.citation_text(text)
    assert out.count("\n") == text.count("\n")
    assert "[@lee2020go30140] [@lee2020go30140] [@finn2020imbrave150]" in out
    assert len(find(text)) == 1 and find(out) == []


def test_table_is_not_found_inside_another_code_block():
    text = "````markdown\n```records\ntype: trials\n```\n````\n"
    assert find(text) == []


# ---------------------------------------------------------------------------------------------------------------
# record pages
# ---------------------------------------------------------------------------------------------------------------


def test_record_pages_exist_in_both_languages(real, real_pages):
    project, bib, records, _ = real
    for lang in ("zh", "en"):
        for uri in (f"{lang}/trials/index.md", f"{lang}/regimens/index.md", f"{lang}/drugs/index.md"):
            assert uri in real_pages
        for tid in records.trials:
            page = real_pages[f"{lang}/trials/{tid}.md"]
            assert page.lang == lang and page.source == f"content/trials/{tid}.md"
        for rid in records.regimens:
            assert f"{lang}/regimens/{rid}.md" in real_pages


def test_record_page_front_matter_and_content(real_pages):
    md = real_pages["en/trials/nct01853618.md"].markdown
    meta = md.split("---\n")[1]
    for line in ("kind: trial", "lang: en", "alternate: ../../../zh/trials/nct01853618/", "alternate_lang: zh",
                 "self_url: en/trials/nct01853618/", "alternate_url: zh/trials/nct01853618/", "title: NCT01853618"):
        assert line in meta
    assert "7.4 months (95% CI 4.7–19.4)" in md
    assert "median time to tumor progression (TTP)" in md  # the editor's note of the figure
    assert "given as mPFS in the review" in md  # the review's label of the figure, kept beside it
    assert '<ol class="reflist">' in md and 'id="ref-1"' in md
    assert "../../ici-hcc/combination-therapy/#4-4-3-ablation-1" in md  # backlink to the mention
    zh = real_pages["zh/trials/nct01853618.md"].markdown
    assert "7.4 个月（95% CI：4.7–19.4）" in zh and "综述中的提及" in zh


def test_index_pages_work_without_script_and_link_the_data(real, real_pages):
    project, bib, records, _ = real
    for lang in ("zh", "en"):
        md = real_pages[f"{lang}/trials/index.md"].markdown
        assert md.count("<tr data-") - md.count("<tr data-sort-heading") == len(records.trials)  # every study, in plain HTML
        assert "<form class=\"records-filter\"" in md and " hidden>" in md  # shown by the script only
        for name in ('name="setting"', 'name="category"', 'name="phase"', 'name="drug"'):
            assert name in md
        assert '<script src="../../assets/javascripts/records-table.js" defer></script>' in md
        for f in ("data/trials.json", "data/trials.csv", "data/regimens.json", "data/drugs.json",
                  "data/schema/trials.schema.json"):
            assert f'href="../../{f}"' in md
        assert md.count('class="chart chart-bars"') == 1 and md.count('class="chart chart-forest"') == 1
        assert md.count('class="chart chart-timeline"') >= 3
        regs = real_pages[f"{lang}/regimens/index.md"].markdown
        assert regs.count("<tr data-") - regs.count("<tr data-sort-heading") == len(records.regimens)
        drugs = real_pages[f"{lang}/drugs/index.md"].markdown
        assert drugs.count('<tr id="drug-') == len(records.drugs)


def test_static_script_is_self_contained():
    files = static_files()
    js = files["assets/javascripts/records-table.js"].decode("utf-8")
    assert "http" not in js and "import" not in js and "eval(" not in js


def test_markup_in_record_text_is_an_error_and_reaches_no_page(tmp_path):
    """Markup in a record's text field is an error of the checker (issue 17) and the record is not published
    (its pages and rows are left out, as for any record with errors); no page holds the markup."""
    model = pipeline.load(mini_project(tmp_path, overlay="xss"))
    assert model.report.errors and all("the text fields of a record are plain text" in d.message
                                       for d in model.report.errors)
    pages = {p.uri: p.markdown for p in pipeline.pages(model)}
    assert "en/trials/alpha.md" not in pages
    for uri, md in pages.items():
        assert "<script>alert" not in md, uri


# ---------------------------------------------------------------------------------------------------------------
# charts
# ---------------------------------------------------------------------------------------------------------------


def test_charts_are_accessible_and_self_contained(real):
    project, bib, records, _ = real
    trials = list(records.trials.values())
    for lang, word in (("zh", "客观缓解率"), ("en", "objective response rate")):
        bars = response_chart(records, trials, lang, lambda k: "[1]", f"r-{lang}")
        forest = forest_chart(records, trials, lang, lambda k: "[1]", f"f-{lang}")
        for svg in (bars, forest):
            assert svg is not None
            assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
            assert "<script" not in svg and "@import" not in svg and "@font-face" not in svg
            assert re.findall(r"https?://[^\"']+", svg) == ["http://www.w3.org/2000/svg"] * 2  # two drawings
            assert "\n\n" not in svg
        assert word in bars
        assert "ORR 46%" in bars and "DCR 67%" in bars and "CR 12%" in bars
    forest = forest_chart(records, trials, "en", lambda k: "[1]", "f")
    # a CI drawn where given (three lines: the interval and its two caps), a point alone otherwise: in each of
    # the two drawings (wide and narrow)
    drawings = re.findall(r"<svg.*?</svg>", forest, re.S)
    assert len(drawings) == 2
    for svg in drawings:
        assert svg.count('stroke-width="1.5"') == 3 * sum(
            1 for t in trials for e in t.endpoints if e.measure in ("PFS", "OS") and e.unit == "months" and e.ci)
    assert "8.6 months (RECIST 1.1)" in forest


def test_charts_on_trial_pages(real_pages):
    assert 'class="chart chart-bars"' in real_pages["en/trials/go30140.md"].markdown
    assert 'class="chart chart-forest"' in real_pages["zh/trials/nct03006926.md"].markdown
    for lang in ("zh", "en"):
        for tid in ("emerald-1", "leap-012", "start-fit"):
            assert 'class="chart chart-timeline"' in real_pages[f"{lang}/trials/{tid}.md"].markdown


# ---------------------------------------------------------------------------------------------------------------
# open data
# ---------------------------------------------------------------------------------------------------------------


def test_open_data_validates_against_the_generated_schema(real):
    project, bib, records, _ = real
    files = data_files(records)
    assert set(files) == {"data/trials.json", "data/regimens.json", "data/drugs.json", "data/trials.csv",
                          "data/endpoints.csv", "data/schema/trials.schema.json",
                          "data/schema/regimens.schema.json", "data/schema/drugs.schema.json"}
    for kind in ("trials", "regimens", "drugs"):
        schema = json.loads(files[f"data/schema/{kind}.schema.json"])
        jsonschema.Draft202012Validator.check_schema(schema)
        data = json.loads(files[f"data/{kind}.json"])
        jsonschema.Draft202012Validator(schema).validate(data)
        assert len(data) == len(getattr(records, kind))
    bad = json.loads(files["data/trials.json"])
    bad[0]["registry"] = ["NCT123"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, json.loads(files["data/schema/trials.schema.json"]))


def test_schema_is_generated_from_the_models():
    schema = json_schema("trials")
    props = schema["$defs"]["Trial"]["properties"]
    # plus the status a qualified patient count carries (derived from the figure that qualifies it, issue 18)
    assert set(props) == {key for key, _, _ in data_fields(Trial)} | {"patients_status"}
    assert schema["$defs"]["Endpoint"]["properties"]["ci"]["maxItems"] == 2
    assert "class" in json_schema("drugs")["$defs"]["Drug"]["properties"]


def test_open_data_is_deterministic_and_readable(real, tmp_path):
    project, bib, records, _ = real
    assert data_files(records) == data_files(records)
    rows = list(csv.DictReader(io.StringIO(data_files(records)["data/endpoints.csv"].decode("utf-8-sig"))))
    assert any(r["trial"] == "nct01853618" and r["measure"] == "TTP" and r["ci_low"] == "4.7" for r in rows)
    fix, _ = load_fixture(tmp_path)
    assert json.loads(data_files(fix)["data/trials.json"])[0]["endpoints"][1]["ci"] == [4.7, 19.4]


def test_pages_are_deterministic(tmp_path):
    project = mini_project(tmp_path)
    first = [(p.uri, p.markdown) for p in pipeline.pages(pipeline.load(project))]
    second = [(p.uri, p.markdown) for p in pipeline.pages(pipeline.load(project))]
    assert first == second


# ---------------------------------------------------------------------------------------------------------------
# end to end: the table and the record pages through MkDocs
# ---------------------------------------------------------------------------------------------------------------


def test_built_site_has_the_table_and_the_record_pages(tmp_path):
    project = mini_project(tmp_path)
    result = run_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "site" / "en" / "demo" / "table" / "index.html").read_text(encoding="utf-8")
    table = html[html.index('class="table-wrap records-table"'):]
    table = table[:table.index("</table>")]
    assert "<thead>" in table and "<code" not in table and "[@" not in table
    assert 'class="cite"' in table
    for page in ("zh/trials/alpha", "en/trials/index", "en/regimens/atezolizumab-bevacizumab"):
        assert (tmp_path / "site" / page.replace("/index", "") / "index.html").is_file(), page
    trial = (tmp_path / "site" / "zh" / "trials" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert "<h1>ALPHA" in trial and 'role="img"' in trial


def test_regimen_page_shows_only_its_own_arm(tmp_path):
    model = pipeline.load(mini_project(tmp_path))
    pages = {p.uri: p.markdown for p in pipeline.pages(model)}
    md = pages["en/regimens/tace-lenvatinib-pembrolizumab.md"]
    assert "DCR 80%" in md and "22 months" not in md  # the OS figure belongs to the TACE arm
    assert "22 months" in pages["en/regimens/tace.md"]
