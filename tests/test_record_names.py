"""Records speak both languages (issue 21, item 2): every trial, regimen and drug says what Chinese pages call it
(or says why it has no Chinese name), Chinese pages, tables, charts, search and PDFs use that name, and the
review's Chinese words quoted on English pages carry their English rendering."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sitekit import ROOT
from generator.bib.bibliography import Bibliography
from generator.diagnostics import Report
from generator.sources.content import load_project
from generator.sources.recordload import load_records
from generator.sources.records import has_han

FIX = Path(__file__).resolve().parent / "fixtures" / "records"
INVISIBLE = re.compile("[\u200b\u2060]")  # the search index's word marks


@pytest.fixture(scope="module")
def records():
    report = Report(root=ROOT)
    project = load_project(ROOT, report)
    bib = Bibliography.load(ROOT / "refs.bib", report)
    recs = load_records(ROOT / "content", report, bib=bib, review_ids={r.id for r in project.reviews})
    assert report.errors == []
    return recs


def descriptive(records) -> dict[str, tuple[str, str]]:
    """trial id -> (English name, Chinese name) for the trials whose Chinese name differs from the English."""
    return {t.id: (t.name, t.zh_name) for t in records.trials.values() if t.zh_name and t.zh_name != t.name}


def test_every_record_names_itself_in_chinese_or_says_why_not(records):
    for t in records.trials.values():
        assert t.zh_name or t.zh_name_reason, t.id
    for r in [*records.regimens.values(), *records.drugs.values()]:
        assert r.name.zh or r.zh_name_reason, r.id
    assert records.trials["imbrave150"].zh_name == "IMbrave150"  # a standard trial name stays as it is
    assert records.trials["tremelimumab-hcv"].display_name("zh") == "曲美木单抗治疗合并慢性 HCV 感染的 HCC（先导试验）"
    assert records.drugs["atezolizumab"].name["zh"] == "阿替利珠单抗"
    # no standard Chinese INN in the sources: explicitly none, and the INN is shown
    assert records.drugs["cobolimab"].name.zh is None and records.drugs["cobolimab"].name["zh"] == "cobolimab"
    assert len(descriptive(records)) >= 20


def _fixture(tmp_path: Path, old: str, new: str) -> list[str]:
    content = tmp_path / "content"
    shutil.copytree(FIX / "valid", content)
    for path in content.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        if old in text:
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
    report = Report(root=tmp_path)
    load_records(content, report, bib=Bibliography.load(FIX / "refs.bib", report), review_ids={"demo"})
    return [d.format(with_col=False) for d in report.sorted()]


def test_a_record_without_its_chinese_name_is_an_error_at_its_line(tmp_path):
    assert _fixture(tmp_path / "a", "zh_name: ALPHA-1\n", "") == [
        "content/trials/alpha.md:3: error: 'zh_name' is missing: Chinese pages need the record's Chinese name: "
        "write 'zh_name: IMbrave150' (a trial's standard name) or 'zh_name: 曲美木单抗治疗合并慢性 HCV 感染的 HCC（先导"
        "试验）' (a descriptive name in Chinese), or 'zh_name: null' with 'zh_name_reason: <why there is none>'"]
    assert _fixture(tmp_path / "b", "zh_name: ALPHA-1\n", "zh_name: null\n") == [
        "content/trials/alpha.md:4: error: 'zh_name' is null but 'zh_name_reason' is missing: say why the record has "
        "no Chinese name (its English name is shown on Chinese pages), e.g. 'zh_name_reason: no standard Chinese INN "
        "in the sources'"]
    assert _fixture(tmp_path / "c", "zh_name: ALPHA-1\n", "zh_name: null\nzh_name_reason: none in the sources\n") == []
    problems = _fixture(tmp_path / "d", "name: {zh: 仑伐替尼, en: lenvatinib}", "name: {en: lenvatinib}")
    assert len(problems) == 1 and "content/drugs/lenvatinib.md:" in problems[0] and "'name.zh' is missing" in problems[0]


def test_a_quote_without_its_english_rendering_is_an_error(tmp_path):
    problems = _fixture(tmp_path, "  quote_en: the review's words\n", "")
    assert len(problems) == 1 and "has a 'quote' but no 'quote_en'" in problems[0], problems


def _visible(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S)
    html = re.sub(r"<head>.*?</head>", "", html, flags=re.S)
    return INVISIBLE.sub("", re.sub(r"<[^>]+>", " ", html))


def zh_surfaces(site: Path) -> list[Path]:
    """The Chinese pages a reader reads in Chinese only (the parallel view shows the English beside the Chinese;
    the changelog is the sources' history as written)."""
    return [p for p in sorted((site / "zh").rglob("index.html"))
            if "parallel" not in p.parts and "changelog" not in p.parts]


def test_chinese_pages_tables_and_charts_name_studies_in_chinese(built_site, records):
    names = descriptive(records)
    english = {en for en, _ in names.values() if not has_han(en)}
    found = []
    for path in zh_surfaces(built_site):
        text = _visible(path.read_text(encoding="utf-8"))
        found += [(path.relative_to(built_site).as_posix(), en) for en in english if en in text]
    assert not found, found[:10]
    index = _visible((built_site / "zh/trials/index.html").read_text(encoding="utf-8"))
    for tid, (_, zh) in names.items():
        page = _visible((built_site / f"zh/trials/{tid}/index.html").read_text(encoding="utf-8"))
        assert zh in page and zh in index, tid
    table = (built_site / "zh/ici-hcc/combination-therapy/index.html").read_text(encoding="utf-8")
    svg = "".join(re.findall(r"<svg.*?</svg>", table, re.S))
    assert "曲美木单抗治疗合并慢性 HCV 感染的 HCC（先导试验）" in svg  # a chart's label
    assert "Tremelimumab in HCC" not in svg


def test_the_chinese_search_index_and_pdfs_name_studies_in_chinese(built_site, records):
    english = [en for en, _ in descriptive(records).values() if not has_han(en)]
    docs = json.loads((built_site / "zh/search/search_index.json").read_text(encoding="utf-8"))["docs"]
    text = INVISIBLE.sub("", " ".join(d.get("text", "") + " " + d.get("title", "") for d in docs
                                      if "parallel/" not in d.get("location", "")))
    assert "Lai 等 2022（Ⅱ期）" in text and not [en for en in english if en in text]
    for pdf in sorted((built_site / "pdf").glob("*-zh.pdf")):
        words = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout
        flat = re.sub(r"\s+", " ", words)
        assert not [en for en in english if en in flat], pdf.name
    handout = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(built_site / "pdf/handout-regimens-zh.pdf"), "-"],
                                                capture_output=True, text=True, check=True).stdout)
    assert "曲美木单抗治疗合并慢性HCV感染的HCC（先导试验）" in handout


def test_the_reviews_words_on_english_pages_carry_their_english_rendering(built_site):
    quotes = 0
    for path in sorted((built_site / "en").rglob("index.html")):
        if "parallel" in path.parts:
            continue
        html = path.read_text(encoding="utf-8")
        for m in re.finditer(r'<q lang="zh[^"]*">[^<]*</q>', html):
            quotes += 1
            after = html[m.end():m.end() + 8]
            assert after.startswith("<br>“"), (path, m.group(0))
    assert quotes >= 30
    page = (built_site / "en/trials/tremelimumab-hcv/index.html").read_text(encoding="utf-8")
    assert "“the DCR was 76.4%”" in page


def test_english_pages_give_english_other_names(built_site):
    for path in sorted((built_site / "en").rglob("index.html")):
        html = path.read_text(encoding="utf-8")
        for m in re.finditer(r'<th scope="row">(?:Also called|Other names)</th><td>(.*?)</td>', html):
            assert not has_han(m.group(1)), (path, m.group(1))
    regimen = (built_site / "en/regimens/atezolizumab-bevacizumab/index.html").read_text(encoding="utf-8")
    assert "A+T 方案" not in _visible(regimen)
    assert "A+T 方案" in (built_site / "zh/regimens/atezolizumab-bevacizumab/index.html").read_text(encoding="utf-8")


def test_the_data_files_give_the_chinese_name_and_the_quotes_rendering(built_site):
    trials = list(csv.DictReader(io.StringIO((built_site / "data/trials.csv").read_text(encoding="utf-8-sig"))))
    row = next(r for r in trials if r["id"] == "tremelimumab-hcv")
    assert row["name"] == "Tremelimumab in HCC with chronic HCV (pilot trial)"
    assert row["name_zh"] == "曲美木单抗治疗合并慢性 HCV 感染的 HCC（先导试验）"
    endpoints = list(csv.DictReader(io.StringIO((built_site / "data/endpoints.csv").read_text(encoding="utf-8-sig"))))
    assert all(r["quote_en"] for r in endpoints if r["quote"])
    data = json.loads((built_site / "data/trials.json").read_text(encoding="utf-8"))
    items = data if isinstance(data, list) else data.get("trials", data)
    assert any(t.get("zh_name") == "Lai 等 2022（Ⅱ期）" for t in items)
