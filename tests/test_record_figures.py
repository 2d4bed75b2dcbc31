"""Records say what papers say (issue 19, item 5): a hazard ratio with its 95% CI and the comparison it refers to,
a p-value, the line of therapy of a figure, and numbers shown with the digits they were written with."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

from sitekit import make_project, run_build
from generator.bib.bibliography import Bibliography
from generator.diagnostics import Report
from generator.site.opendata import data_files
from generator.site.recordtext import figure_text
from generator.sources.recordload import load_records

FIX = Path(__file__).resolve().parent / "fixtures" / "records"
HR = """- measure: HR
  value: 0.58
  unit: ratio
  ci: [0.42, 0.79]
  comparison:
    zh: 对比索拉非尼
    en: vs sorafenib
  p: '<0.001'
  arm: atezolizumab-bevacizumab
  source: lee2020go30140
- measure: PFS
  value: 16.0
  unit: months
  ci: [13.0, '18.50']
  setting: second-line
  arm: atezolizumab-bevacizumab
  source: lee2020go30140
"""


def load(tmp_path: Path, endpoints: str):
    content = tmp_path / "content"
    shutil.copytree(FIX / "valid", content)
    alpha = content / "trials/alpha.md"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("endpoints:\n", "endpoints:\n" + endpoints, 1),
                     encoding="utf-8")
    report = Report(root=tmp_path)
    records = load_records(content, report, bib=Bibliography.load(FIX / "refs.bib", report), review_ids={"demo"})
    return records, [d.format() for d in report.sorted()]


def test_a_hazard_ratio_with_its_ci_comparison_and_p_value(tmp_path):
    records, problems = load(tmp_path, HR)
    assert problems == []
    hr = records.trials["alpha"].endpoints[0]
    assert figure_text(hr, "en") == "0.58 (95% CI 0.42–0.79; P < 0.001; vs sorafenib)"
    assert figure_text(hr, "zh") == "0.58（95% CI：0.42–0.79；P < 0.001；对比索拉非尼）"


def test_numbers_keep_the_digits_they_were_written_with(tmp_path):
    records, problems = load(tmp_path, HR)
    assert problems == []
    pfs = records.trials["alpha"].endpoints[1]
    assert pfs.ci == [13.0, 18.5]  # numbers still, for the charts
    assert figure_text(pfs, "en") == "16.0 months (95% CI 13.0–18.50; Second line)"
    assert figure_text(pfs, "zh") == "16.0 个月（95% CI：13.0–18.50；二线）"


def test_a_hazard_ratio_needs_its_comparison(tmp_path):
    endpoints = HR.split("- measure: PFS")[0].replace("  comparison:\n    zh: 对比索拉非尼\n    en: vs sorafenib\n", "")
    _, problems = load(tmp_path, endpoints)
    assert problems == ["content/trials/alpha.md:18:1: error: endpoints[1] is a hazard ratio without 'comparison': "
                        "say what it compares, as the paper does, e.g. 'comparison: {zh: 对比索拉非尼, en: vs "
                        "sorafenib}'"]


def test_a_p_value_is_written_as_printed(tmp_path):
    _, problems = load(tmp_path, HR.replace("p: '<0.001'", "p: 'significant'"))
    assert problems == ["content/trials/alpha.md:25:1: error: 'endpoints[1].p' is 'significant': write the p-value as "
                        "the paper prints it, in quotes: '0.0009', '<0.001' or '=0.04'"]


def test_the_data_files_carry_what_the_paper_says(tmp_path):
    records, problems = load(tmp_path, HR)
    assert problems == []
    files = data_files(records)
    rows = [r for r in csv.DictReader(io.StringIO(files["data/endpoints.csv"].decode("utf-8-sig")))
            if r["trial"] == "alpha"]
    hr, pfs = rows[0], rows[1]
    assert (hr["measure"], hr["value"], hr["unit"], hr["ci_low"], hr["ci_high"]) == ("HR", "0.58", "ratio", "0.42", "0.79")
    assert (hr["comparison_zh"], hr["comparison_en"], hr["p"]) == ("对比索拉非尼", "vs sorafenib", "<0.001")
    assert (pfs["value"], pfs["ci_low"], pfs["ci_high"], pfs["setting"]) == ("16.0", "13.0", "18.50", "second-line")
    alpha = next(t for t in json.loads(files["data/trials.json"]) if t["id"] == "alpha")
    assert alpha["endpoints"][0]["comparison"] == {"zh": "对比索拉非尼", "en": "vs sorafenib"}
    assert alpha["endpoints"][0]["p"] == "<0.001"


def test_the_trial_page_and_a_records_table_show_the_hazard_ratio(tmp_path):
    table = ("::: zh\n```records\ntype: trials\nids: [alpha]\ncolumns: [name, HR, PFS]\n```\n\n"
             "::: en\n```records\ntype: trials\nids: [alpha]\ncolumns: [name, HR, PFS]\n```\n")
    project = make_project(tmp_path, {"content/demo/03-hr.md": "---\nid: hr\norder: 3\nnumber: \"3\"\ntitle:\n"
                                      "  zh: 风险比\n  en: Hazard ratios\n---\n" + table})
    shutil.copytree(FIX / "valid", project / "content", dirs_exist_ok=True)
    shutil.copy(FIX / "refs.bib", project / "refs.bib")
    shutil.copy(FIX / "tables" / "valid.md", project / "content/demo/02-table.md")
    alpha = project / "content/trials/alpha.md"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("endpoints:\n", "endpoints:\n" + HR, 1), encoding="utf-8")
    result = run_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    for page in ("en/trials/alpha/index.html", "en/demo/hr/index.html"):
        text = re.sub(r"<[^>]+>", "", (project / "site" / page).read_text(encoding="utf-8"))
        assert "0.58 (95% CI 0.42–0.79; P &lt; 0.001; vs sorafenib)" in text, page
        assert "16.0 months (95% CI 13.0–18.50; Second line)" in text, page
    zh = re.sub(r"<[^>]+>", "", (project / "site/zh/trials/alpha/index.html").read_text(encoding="utf-8"))
    assert "0.58（95% CI：0.42–0.79；P &lt; 0.001；对比索拉非尼）" in zh
