"""How the index is written and how a query is read, on small cases: the rules written twice (in Python
for the index, generator/site/searchquery.py; in the reader's browser, hcc-search.js) say the same; the query
reader turns what a clinician types into the terms the index holds; the page as the search reads it
(generator/site/searchview.py) attributes tables and charts to themselves.

The query reader runs in Node (the script is loaded with its worker part switched off)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from sitekit import ROOT
from generator.site import search, searchdict, searchquery, searchview

SCRIPT = ROOT / "site_overrides" / "assets" / "javascripts" / "workers" / "hcc-search.js"

COMPOUND_CASES = [
    "EMERALD-1 and LEAP-012", "CheckMate 459 (nivolumab)", "CheckMate-040", "IMbrave 150", "IMbrave150",
    "PD-L1 and PD-1", "CTLA-4", "HIF-1α", "RECIST 1.1", "mOS 13.4 months", "NCT03006926", "Study 116",
    "phase 3 trial", "SHR-1210", "START-FIT", "CHANCE 2416", "gradeⅢ", "TACE联合仑伐替尼", "中位 OS 12.3 个月",
]


def run_node(code: str, payload) -> object:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed to run the site's query reader (apt install nodejs)")
    prelude = ("const vm = require('vm'); const fs = require('fs');"
               "const sandbox = {console, URL, hccNoWorker: true}; sandbox.self = sandbox; vm.createContext(sandbox);"
               f"vm.runInContext(fs.readFileSync({json.dumps(str(SCRIPT))}, 'utf8'), sandbox);"
               "const H = sandbox.hccSearch; const input = JSON.parse(fs.readFileSync(0, 'utf8'));")
    proc = subprocess.run([node, "-e", prelude + code], input=json.dumps(payload, ensure_ascii=False),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_compounds_are_the_same_in_the_index_and_in_the_query():
    in_js = run_node("process.stdout.write(JSON.stringify(input.map(t => H.compounds(t).map(c => c.term))))",
                     COMPOUND_CASES)
    in_py = [searchquery.compounds(t) for t in COMPOUND_CASES]
    assert in_js == in_py
    assert dict(zip(COMPOUND_CASES, in_py))["EMERALD-1 and LEAP-012"] == ["emerald1", "leap012"]
    assert searchquery.compounds("RECIST 1.1") == [] and searchquery.compounds("IMbrave150") == []
    assert searchquery.compounds("CheckMate 459 (nivolumab)") == ["checkmate459"]


@pytest.fixture(scope="module")
def lexicon():
    return searchdict.load(ROOT / "content")


class _Index:
    """A lunr index as the reader sees it: its inverted index (term -> field -> document refs)."""

    def __init__(self, docs: dict[str, str]):
        sep = re.compile(search.SEPARATOR)
        self.inverted: dict[str, dict[str, dict[str, dict]]] = {}
        builder = search.IndexBuilder(searchdict.load(ROOT / "content"))
        for ref, text in docs.items():
            seg, runs = builder.segment(text)
            for field, value in (("text", seg), ("parts", builder.parts(runs))):
                for term in sep.split(value):
                    if term:
                        self.inverted.setdefault(term.lower(), {"_index": 0}).setdefault(field, {})[ref] = {}


def read(lexicon, lang: str, queries: list[str], docs: dict[str, str] | None = None) -> list[dict]:
    hcc = searchquery.browser_config(lexicon, lang, ["联合", "治疗", "的", "plus"], ["EACH", "TIME"])
    index = {"invertedIndex": _Index(docs or {}).inverted}
    return run_node("const r = new H.Reader(input.hcc, input.index);"
                    "process.stdout.write(JSON.stringify(input.queries.map(q => r.read(q))))",
                    {"hcc": hcc, "index": index, "queries": queries})


def terms(reading: dict) -> list[str]:
    return reading["query"].split()


def test_names_with_digits_are_one_term_and_their_digits_are_never_looked_up_alone(lexicon):
    emerald, *spellings = read(lexicon, "en", ["EMERALD-1", "emerald1", "Emerald 1", "EMERALD‑1"])
    assert "_temerald1^8" in terms(emerald) and "emerald1" in terms(emerald)
    assert "1" not in terms(emerald)
    for other in spellings:
        assert "_temerald1^8" in terms(other), other
    checkmate = read(lexicon, "zh", ["checkmate459", "CheckMate 459", "CheckMate-459"])
    assert all("_tcheckmate459^8" in terms(r) for r in checkmate), checkmate
    assert all("459" not in terms(r) for r in checkmate)
    imbrave = read(lexicon, "en", ["IMbrave 150", "IMbrave150", "imbrave150"])
    assert all("_timbrave150^8" in terms(r) for r in imbrave), imbrave
    nct = read(lexicon, "en", ["NCT03006926"])[0]
    assert "_tnct03006926^8" in terms(nct) and nct["labels"]["_tnct03006926"] == "NCT03006926"


def test_chinese_typed_without_spaces_is_cut_with_the_lexicon_and_function_words_are_left_out(lexicon):
    docs = {"a": "阿替利珠单抗联合贝伐珠单抗治疗晚期肝癌", "b": "索拉非尼耐药后的二线治疗"}
    together, apart = read(lexicon, "zh", ["阿替利珠单抗联合贝伐珠单抗", "阿替利珠单抗 贝伐珠单抗"], docs)
    assert "阿替利珠单抗" in terms(together) and "贝伐珠单抗" in terms(together)
    assert "联合" not in terms(together)
    assert set(terms(apart)) <= set(terms(together))  # what the spaced query looks up, and the regimen
    assert "_ratezolizumabbevacizumab^8" in terms(together)
    resistance = read(lexicon, "zh", ["索拉非尼耐药"], docs)[0]
    assert {"索拉非尼", "耐药", "_dsorafenib^8"} <= set(terms(resistance))
    alone = read(lexicon, "zh", ["联合"], docs)[0]
    assert terms(alone) == ["联合"]  # a function word alone is still looked up


def test_aliases_and_the_other_language_give_the_concept(lexicon):
    got = dict(zip(["A+T", "STRIDE", "PVTT", "atezo bev", "门静脉癌栓", "阿替利珠单抗", "可乐组合"],
                   read(lexicon, "en", ["A+T", "STRIDE", "PVTT", "atezo bev", "门静脉癌栓", "阿替利珠单抗", "可乐组合"])))
    assert terms(got["A+T"]) == ["_ratezolizumabbevacizumab^8"]
    assert "_rtremelimumabdurvalumab^8" in terms(got["STRIDE"])
    assert "_gpvtt^8" in terms(got["PVTT"])
    assert {"_datezolizumab^3", "_dbevacizumab^3", "_ratezolizumabbevacizumab^8"} <= set(terms(got["atezo bev"]))
    assert terms(got["门静脉癌栓"]) == ["_gpvtt^8"]  # on the English site: the key, not the Chinese words
    assert terms(got["阿替利珠单抗"]) == ["_datezolizumab^8"]
    assert terms(got["可乐组合"]) == ["_rlenvatinibpembrolizumab^8"]
    assert got["A+T"]["labels"] == {"_ratezolizumabbevacizumab": "A+T"}


def test_acronyms_that_are_words_are_names_only_in_capitals(lexicon):
    each, word = read(lexicon, "en", ["EACH", "each"])
    assert "_teach^8" in terms(each) and not any(t.startswith("_") for t in terms(word))


def test_results_report_the_query_s_words_not_keys():
    result = {"items": [[{"location": "trials/emerald-1/", "title": "EMERALD-1", "text": "", "score": 3,
                          "terms": {"_temerald1": True, "emerald1": True, "emerald": False}}]]}
    read_ = {"labels": {"_temerald1": "EMERALD-1", "emerald1": "EMERALD-1"}, "typed": "EMERALD-1"}
    out = run_node("process.stdout.write(JSON.stringify(H.finish(input.result, input.read, false)))",
                   {"result": result, "read": read_})
    assert out["items"][0][0]["terms"] == {"EMERALD-1": True, "emerald": False}


def test_the_root_page_labels_each_result_with_its_language_and_puts_the_query_s_language_first():
    result = {"items": [[{"location": "zh/x/", "title": "甲", "text": "<p>甲</p>", "score": 10, "terms": {}, "hcclang": "zh"}],
                        [{"location": "en/x/", "title": "A", "text": "", "score": 9, "terms": {}, "hcclang": "en"}]]}
    out = run_node("process.stdout.write(JSON.stringify(H.finish(input.result, input.read, true)))",
                   {"result": result, "read": {"labels": {}, "typed": "EMERALD-1"}})
    first, second = out["items"]
    assert first[0]["location"] == "en/x/" and first[0]["tags"] == ['<span lang="en">English</span>']
    assert second[0]["tags"] == ['<span lang="zh-CN">中文</span>'] and second[0]["title"] == '<span lang="zh-CN">甲</span>'
    assert "hcclang" not in first[0]


# ---------------------------------------------------------------------------------------------------------------
# The index
# ---------------------------------------------------------------------------------------------------------------


def test_a_passage_carries_the_keys_of_what_it_names_and_its_names_written_in_pieces(lexicon):
    builder = search.IndexBuilder(lexicon)
    entry = builder.entry({"location": "en/x/#s", "title": "4.2 Results",
                           "text": "<p>In CheckMate 459 and EMERALD-1, atezolizumab with bevacizumab; PD-L1.</p>"},
                          "en", "x/#s")
    names = entry["names"].split()
    for term in ("_tcheckmate459", "_temerald1", "_datezolizumab", "_dbevacizumab", "checkmate459", "emerald1", "pdl1"):
        assert term in names, term
    assert "_ratezolizumabbevacizumab" in names  # all the drugs of a regimen: the regimen
    page = builder.entry({"location": "en/trials/emerald-1/", "title": "EMERALD-1", "text": "<p>x</p>"},
                         "en", "trials/emerald-1/")
    assert page["about"] == "_temerald1"
    regimen = builder.entry({"location": "en/regimens/tace/", "title": "TACE", "text": "<p>x</p>"}, "en", "regimens/tace/")
    assert regimen["about"] == "_dtace"  # one key: the procedure, not also the glossary's term


def test_pages_about_the_site_are_not_searched_and_drug_rows_are(lexicon):
    assert search.page_kind("changelog/") == "unsearched" and search.page_kind("translation-status/#_1") == "unsearched"
    assert search.page_kind("drugs/#drug-bevacizumab") == "row" and search.page_kind("drugs/#open-data") == "listing"
    data = {"config": {}, "docs": [{"location": "zh/changelog/", "title": "更新记录", "text": "<p>仑伐替尼</p>"},
                                   {"location": "zh/x/", "title": "仑伐替尼", "text": "<p>仑伐替尼</p>"}]}
    indexes = search.build_indexes(data, lexicon)
    assert [d["location"] for d in indexes["zh"]["docs"]] == ["x/"]
    hcc = indexes["zh"]["config"]["hcc"]
    assert hcc["lang"] == "zh" and any(c[0] == "_temerald1" for c in hcc["concepts"])
    assert search.root_index(indexes)["config"]["hcc"]["merge"] == {"zh": "zh/search/search_index.json",
                                                                     "en": "en/search/search_index.json"}


def test_a_table_or_chart_block_is_a_search_section_of_its_own():
    page = ('<h3 id="4-4-3-ablation">4.4.3 Ablation</h3><div class="blk" id="4-4-3-ablation-1"><p>Ablation text.</p></div>'
            '<div class="blk" id="efficacy-table"><p><strong>Compiled by the editors: efficacy figures.</strong> More.</p>'
            '<div class="table-wrap"><table><tr><th>Study</th><td>GO30140<br>IMbrave150</td></tr></table></div>'
            '<figure class="chart"><svg viewBox="0 0 1 1"><text>ORR</text></svg><figcaption>Response rates</figcaption>'
            '</figure></div><div class="blk" id="4-4-3-ablation-2"><p>After.</p></div>')
    view = searchview.search_view(page)
    assert '<div class="blk" id="efficacy-table"><h6 id="efficacy-table">Compiled by the editors: efficacy figures</h6>' in view
    assert "<svg data-search-exclude" in view and "GO30140<br> IMbrave150" in view

    from material.plugins.search.plugin import Parser
    parser = Parser()
    parser.feed(view)
    parser.close()
    sections = {s.id: "".join(s.text) for s in parser.data}
    assert "GO30140" in sections["efficacy-table"] and "Response rates" in sections["efficacy-table"]
    assert "ORR" not in sections["efficacy-table"]  # the drawing's labels
    assert "GO30140" not in sections["4-4-3-ablation"] and "After." in sections["4-4-3-ablation"]


def test_a_row_of_a_records_index_is_a_result_when_its_record_has_no_page():
    page = ('<table data-records-index><tbody><tr id="drug-bevacizumab"><th scope="row">贝伐珠单抗</th><td>bevacizumab</td></tr>'
            '<tr id="trial-x"><th><a href="../trials/x/">X</a></th><td>y</td></tr></tbody></table>')
    view = searchview.search_view(page)
    assert '<h6 id="drug-bevacizumab">贝伐珠单抗</h6>' in view and '<h6 id="trial-x">' not in view
