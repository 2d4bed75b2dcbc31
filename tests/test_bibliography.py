"""refs.bib loading, problems at their lines, the cache, the two reference styles and the exports."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pybtex.database
import pytest
import rispy
from citeproc.source.json import CiteProcJSON
from hypothesis import given, settings
from hypothesis import strategies as st
from pybtex.plugin import find_plugin

from generator.bib import bibliography as bibmod
from generator.bib import entries, richtext, styles
from generator.bib.bibliography import Bibliography, FormattedRef, clear_cache
from generator.diagnostics import Report

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bib"
REFS = ROOT / "refs.bib"


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_cache()
    yield
    clear_cache()


def load(name: str, **kw) -> tuple[Bibliography, Report]:
    report = Report(root=ROOT)
    return Bibliography.load(FIXTURES / name, report, **kw), report


@pytest.fixture(scope="module")
def tricky() -> Bibliography:
    clear_cache()
    report = Report(root=ROOT)
    bib = Bibliography.load(FIXTURES / "tricky.bib", report)
    # the problems of the file are the markup in script2021's title and journal (errors of the checker, issue 17);
    # the entry is still formatted, so the tests below can show that such text is escaped wherever it is written
    assert [(d.line, d.severity) for d in report] == [(78, "error"), (79, "error")], [d.format() for d in report]
    assert all("script2021" in d.message and "HTML markup" in d.message for d in report)
    return bib


def en(bib: Bibliography, key: str) -> str:
    return bib.format(key, "en").text


def zh(bib: Bibliography, key: str) -> str:
    return bib.format(key, "zh").text


# ---------------------------------------------------------------------------------------------------------------
# Loading and problems
# ---------------------------------------------------------------------------------------------------------------


def test_parsing_gives_every_key_with_its_line(tricky):
    assert tricky.key_lines["finn2020imbrave150"] == 4
    assert tricky.key_lines["cheng2022imbrave150"] == 16
    assert tricky.key_lines["ici-hcc-ref12"] == 91
    text = (FIXTURES / "tricky.bib").read_text(encoding="utf-8").splitlines()
    for key, line in tricky.key_lines.items():
        assert f"{{{key}," in text[line - 1]
    assert list(tricky) == list(tricky.key_lines)
    assert len(tricky) == 11
    # @string macros are expanded
    assert tricky.fields("finn2020imbrave150")["journal"] == "N Engl J Med"


def test_keys_are_case_sensitive_with_case_variant_and_suggestions(tricky):
    assert "finn2020imbrave150" in tricky
    assert "Finn2020imbrave150" not in tricky
    assert tricky.case_variant("Finn2020IMbrave150") == "finn2020imbrave150"
    assert tricky.case_variant("finn2020imbrave150") is None
    assert tricky.case_variant("nothing") is None
    assert tricky.suggestions("finn2020imbrave15")[0] == "finn2020imbrave150"
    assert tricky.suggestions("chen2022imbrave150")[:1] == ["cheng2022imbrave150"]
    assert len(tricky.suggestions("lee2020")) <= 3
    assert tricky.suggestions("zzzzzzzzzzzzzz") == []


def test_a_key_defined_twice_is_an_error_naming_both_lines():
    bib, report = load("duplicate.bib")
    [error] = report.errors
    assert error.line == 12
    assert error.message == "the key 'finn2020' is defined twice (lines 1 and 12): keep one"
    assert bib.key_lines["finn2020"] == 1
    # the first definition counts, as in BibTeX
    assert bib.fields("finn2020")["title"] == "First definition"
    assert "qin2021" in bib


def test_keys_differing_only_in_case_are_an_error():
    bib, report = load("case.bib")
    [error] = report.errors
    assert error.line == 11
    assert error.message == ("'Finn2020' (line 1) and 'finn2020' (line 11) differ only in capital letters; "
                             "pybtex treats them as one key: rename one")
    assert "Finn2020" in bib and "finn2020" in bib
    assert bib.key_lines == {"Finn2020": 1, "qin2021": 6, "finn2020": 11}


def test_malformed_bib_reports_the_right_lines_and_loads_the_rest():
    bib, report = load("malformed.bib")
    errors = report.errors
    assert [(e.path, e.line) for e in errors] == [("tests/fixtures/bib/malformed.bib", 5),
                                                 ("tests/fixtures/bib/malformed.bib", 12)]
    assert errors[0].message.startswith("cannot read the entry 'good1': a comma is missing at the end of this line")
    assert "'volume' on line 6" in errors[0].message
    assert errors[1].message.startswith("cannot read the entry 'unclosed': the brace '{' opened on this line is "
                                        "never closed")
    # pybtex itself stops at the first problem (and names line 6, where it got stuck); we carry on
    with pytest.raises(pybtex.scanner.PybtexSyntaxError) as info:
        pybtex.database.parse_file(str(FIXTURES / "malformed.bib"))
    assert info.value.lineno == 6
    assert "good2" in bib and "good1" in bib
    assert bib.fields("good1") == {"title": "Loads fine", "journal": "J Good", "year": "2020"}
    assert en(bib, "good2") == "Also loads fine. 2022."


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("@article{a,\n  title = {X},\n  journal = NEJM\n}\n", 3, "neither in braces nor in quotes"),
        ("@article{a,\n  title {X},\n}\n", 2, "must be followed by '='"),
        ("@article{\n  title = {X},\n}\n", 1, "it has no key"),
        ("@article{a,\n  title = {X},\n  title = {Y},\n}\n", 3, "has the field 'title' more than once (lines 2 and 3)"),
        ("% mail me@example.com\n@article{a, title = {X}}\n", 1, "BibTeX reads every '@' outside an entry"),
        ("@article{a,\n  title = {X},\n  year = {2020}\n\n@article{b, title = {Y}}\n", 3, "it is not closed"),
        ('@article{a,\n  title = "X,\n  year = {2020}\n}\n', 2, "the quote '\"' opened on this line"),
        ("@article{a,\n  author = {A, B, C, D},\n  title = {X}\n}\n", 2, "too many commas"),
    ],
)
def test_syntax_problems_in_plain_words(tmp_path, text, line, words):
    path = tmp_path / "refs.bib"
    path.write_text(text, encoding="utf-8")
    report = Report(root=tmp_path)
    Bibliography.load(path, report)
    [error] = report.errors
    assert (error.path, error.line) == ("refs.bib", line)
    assert words in error.message


def test_identifier_warnings(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text("@article{a,\n  title = {X},\n  pmid = {PMC123},\n  doi = {doi.org/x}\n}\n", encoding="utf-8")
    report = Report(root=tmp_path)
    Bibliography.load(path, report)
    assert [(w.line, w.message.split(" should")[0]) for w in report.warnings] == [(3, "the PMID of 'a'")]
    assert [(e.line, e.message.split(":")[0]) for e in report.errors] == [(4, "the doi of 'a' is 'doi.org/x'")]


def test_missing_file_is_an_error(tmp_path):
    report = Report(root=tmp_path)
    bib = Bibliography.load(tmp_path / "nope.bib", report)
    assert len(bib) == 0
    assert "cannot read the bibliography" in report.errors[0].message


# ---------------------------------------------------------------------------------------------------------------
# Cache
# ---------------------------------------------------------------------------------------------------------------


class _ParserCalled(AssertionError):
    pass


def _forbid_parser(monkeypatch):
    def boom(*args, **kwargs):
        raise _ParserCalled("refs.bib was parsed again")

    monkeypatch.setattr(bibmod, "_parse", boom)


def test_second_load_in_process_does_not_parse(monkeypatch):
    first, _ = load("tricky.bib")
    _forbid_parser(monkeypatch)
    second, report = load("tricky.bib")
    assert list(second) == list(first)
    assert second.format("finn2020imbrave150", "en") is first.format("finn2020imbrave150", "en")  # memo shared


def test_json_cache_is_used_by_a_new_process(tmp_path, monkeypatch):
    bib_path = tmp_path / "refs.bib"
    shutil.copy(FIXTURES / "malformed.bib", bib_path)
    cache = tmp_path / "cache"
    cold_report = Report(root=tmp_path)
    cold = Bibliography.load(bib_path, cold_report, cache_dir=cache)
    files = list(cache.glob("bib-*.json"))
    assert len(files) == 1 and re.fullmatch(r"bib-[0-9a-f]{64}\.json", files[0].name)

    clear_cache()  # as in a new process: only the JSON file is left
    _forbid_parser(monkeypatch)
    warm_report = Report(root=tmp_path)
    warm = Bibliography.load(bib_path, warm_report, cache_dir=cache)
    assert list(warm) == list(cold) and warm.key_lines == cold.key_lines
    assert warm.format("good2", "zh").text == "Also loads fine[J]. 2022."
    # the problems found when parsing are reported again from the cache
    assert [d.format() for d in warm_report] == [d.format() for d in cold_report]
    assert len(warm_report.errors) == 2


def test_changed_content_is_parsed_again(tmp_path, monkeypatch):
    bib_path = tmp_path / "refs.bib"
    bib_path.write_text("@article{a, title = {One}}\n", encoding="utf-8")
    Bibliography.load(bib_path, Report(root=tmp_path), cache_dir=tmp_path / "cache")
    bib_path.write_text("@article{a, title = {Two}}\n", encoding="utf-8")
    calls = []
    real = bibmod._parse
    monkeypatch.setattr(bibmod, "_parse", lambda *a, **k: calls.append(1) or real(*a, **k))
    bib = Bibliography.load(bib_path, Report(root=tmp_path), cache_dir=tmp_path / "cache")
    assert calls and bib.format("a", "en").text == "Two."


def test_corrupt_cache_file_is_ignored(tmp_path):
    bib_path = tmp_path / "refs.bib"
    bib_path.write_text("@article{a, title = {One}}\n", encoding="utf-8")
    cache = tmp_path / "cache"
    Bibliography.load(bib_path, Report(root=tmp_path), cache_dir=cache)
    [file] = cache.glob("bib-*.json")
    file.write_text("{not json", encoding="utf-8")
    clear_cache()
    bib = Bibliography.load(bib_path, Report(root=tmp_path), cache_dir=cache)
    assert "a" in bib


def test_entries_are_built_only_for_formatted_keys():
    bib, _ = load("tricky.bib")
    assert bib._data.built == {}
    bib.format("italic2019", "en")
    assert list(bib._data.built) == ["italic2019"]


# ---------------------------------------------------------------------------------------------------------------
# Vancouver and GB/T 7714
# ---------------------------------------------------------------------------------------------------------------


def test_style_plugins_are_registered():
    assert find_plugin("pybtex.style.formatting", "vancouver") is styles.VancouverStyle
    assert find_plugin("pybtex.style.formatting", "gbt7714") is styles.GBT7714Style


def test_article_more_than_six_and_more_than_three_authors(tricky):
    assert en(tricky, "finn2020imbrave150") == (
        "Finn RS, Qin S, Ikeda M, Galle PR, Ducreux M, Kim TY, et al. Atezolizumab plus bevacizumab in "
        "unresectable hepatocellular carcinoma. N Engl J Med. 2020;382(20):1894-1905. doi:10.1056/NEJMoa1915745. "
        "PMID: 32402160.")
    assert zh(tricky, "finn2020imbrave150") == (
        "Finn R S, Qin S, Ikeda M, et al. Atezolizumab plus bevacizumab in unresectable hepatocellular "
        "carcinoma[J]. N Engl J Med, 2020, 382(20): 1894-1905. DOI: 10.1056/NEJMoa1915745. PMID: 32402160.")


def test_doi_and_pmid_are_links(tricky):
    ref = tricky.format("finn2020imbrave150", "en")
    assert isinstance(ref, FormattedRef) and ref.key == "finn2020imbrave150" and ref.unidentified is None
    assert ref.links == [("DOI", "https://doi.org/10.1056/NEJMoa1915745"),
                         ("PubMed", "https://pubmed.ncbi.nlm.nih.gov/32402160/")]
    assert 'doi:<a href="https://doi.org/10.1056/NEJMoa1915745">10.1056/NEJMoa1915745</a>.' in ref.html
    assert 'PMID: <a href="https://pubmed.ncbi.nlm.nih.gov/32402160/">32402160</a>.' in ref.html
    assert tricky.format("finn2020imbrave150", "zh").html.count("<a href=") == 2


def test_acronyms_accents_and_others(tricky):
    title = "Updated efficacy and safety data from IMbrave150: PD-L1 and Müller's à la carte analysis, 5% & more"
    assert en(tricky, "cheng2022imbrave150") == (
        f"Cheng AL, Qin S, Ikeda M, et al. {title}. J Hepatol. 2022;76(4):862-873. doi:10.1016/j.jhep.2021.11.030.")
    assert zh(tricky, "cheng2022imbrave150") == (
        f"Cheng A L, Qin S, Ikeda M, et al. {title}[J]. J Hepatol, 2022, 76(4): 862-873. "
        "DOI: 10.1016/j.jhep.2021.11.030.")
    html = tricky.format("cheng2022imbrave150", "en").html
    assert "5% &amp; more" in html and "bibtex-protected" not in html and "{" not in html


def test_corporate_author_verbatim(tricky):
    assert en(tricky, "sir2024consensus").startswith("SIR Foundation, Thornton LM. Research consensus panel")
    assert zh(tricky, "sir2024consensus").startswith("SIR Foundation, Thornton L M. Research consensus panel")
    assert en(tricky, "sir2024consensus").endswith("J Vasc Interv Radiol. 2024;35:818-824.")


def test_chinese_names_and_chinese_et_al(tricky):
    # 张 三 (written with a space) stays 张三, not reversed to 三张
    assert zh(tricky, "huang2026review") == (
        "黄振, 韩建军, 张三, 等. 介入联合靶向免疫治疗肝细胞癌的研究进展[J]. 临床医学进展, 2026, 16(5): 1488-1496. "
        "DOI: 10.12677/acm.2026.1651950.")
    assert en(tricky, "huang2026review").startswith("黄振, 韩建军, 张三, 李四. 介入联合")
    # langid = chinese makes an entry Chinese-language even with an English title
    assert zh(tricky, "zhang2021pinyin").startswith("Zhang S, Li S, Wang W, 等. A study")


def test_make_person_keeps_chinese_family_name_first():
    for raw, family, given in [("张 三", "张", "三"), ("黄振", "黄振", ""), ("李, 四", "李", "四"),
                               ("欧阳 修", "欧阳", "修"), ("Finn, R. S.", "Finn", "R.")]:
        p = entries.make_person(raw)
        assert p.last_names == [family]
        assert " ".join(p.first_names) == given


def test_initials():
    style_en, style_zh = styles.VancouverStyle(), styles.GBT7714Style()
    cases = [
        ("Cheng, Ann-Lii", "Cheng AL", "Cheng A L"),
        ("Finn, Richard S.", "Finn RS", "Finn R S"),
        ("Finn, RS", "Finn RS", "Finn R S"),
        ("van der Berg, Jan", "van der Berg J", "van der Berg J"),
        ("Smith, J.-M.", "Smith JM", "Smith J M"),
        ("M{\\\"u}ller, {\\'E}mile", "Müller É", "Müller É"),
    ]
    for raw, vancouver, gbt in cases:
        assert style_en.format_person(entries.make_person(raw)) == vancouver
        assert style_zh.format_person(entries.make_person(raw)) == gbt


def test_missing_year_and_missing_journal(tricky):
    assert en(tricky, "lee2020noyear") == (
        "Lee MS, et al. Atezolizumab with or without bevacizumab (GO30140): a phase 1b study. Lancet Oncol. "
        "21:808-820.")
    assert zh(tricky, "lee2020noyear").endswith("phase 1b study[J]. Lancet Oncol, 21: 808-820.")
    assert en(tricky, "lee2020nojournal") == "Lee MS. A study without a journal. 2020."
    assert zh(tricky, "lee2020nojournal") == "Lee M S. A study without a journal[J]. 2020."


def test_textit_and_emph_become_italics(tricky):
    ref = tricky.format("italic2019", "en")
    assert ref.html == ("Smith J. Sorafenib <em>in vitro</em> and <em>in vivo</em>: the <em>HCC</em> models. "
                        "Cancer Res. 2019.")
    assert ref.text == "Smith J. Sorafenib in vitro and in vivo: the HCC models. Cancer Res. 2019."
    assert "<em>in vivo</em>: the <em>HCC</em> models[J]" in tricky.format("italic2019", "zh").html


def test_html_in_a_title_is_escaped(tricky):
    for lang in ("en", "zh"):
        html = tricky.format("script2021", lang).html
        assert "<script>" not in html and "<b>" not in html
        assert "Tag soup &lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; friends" in html
        assert "J &lt;b&gt;Bold&lt;/b&gt;" in html
    assert "Tag soup <script>" in en(tricky, "script2021")


def test_clinicaltrials_record(tricky):
    ref = tricky.format("nct01008358", "en")
    assert ref.text == ("ClinicalTrials.gov. ClinicalTrials.gov record NCT01008358. "
                        "Available from: https://clinicaltrials.gov/study/NCT01008358")
    assert ref.links == [("ClinicalTrials.gov", "https://clinicaltrials.gov/study/NCT01008358")]
    assert '<a href="https://clinicaltrials.gov/study/NCT01008358">' in ref.html
    assert zh(tricky, "nct01008358") == ("ClinicalTrials.gov. ClinicalTrials.gov record NCT01008358[EB/OL]. "
                                         "https://clinicaltrials.gov/study/NCT01008358.")


def test_unidentified_entry_in_both_languages(tricky):
    note = ("Cited for the statement that combinations of PD-1 inhibitors and anti-CTLA-4 antibodies have "
            "been approved.")
    ref = tricky.format("ici-hcc-ref12", "en")
    assert ref.unidentified == "12"
    assert ref.text == f"Reference [12] of the source review, not identified. {note}"
    assert zh(tricky, "ici-hcc-ref12") == f"原综述参考文献 [12]，未能识别。{note}"
    assert ref.links == []


def test_format_is_memoised_and_checks_its_arguments(tricky):
    assert tricky.format("italic2019", "en") is tricky.format("italic2019", "en")
    assert tricky.format("italic2019", "zh-CN") is tricky.format("italic2019", "zh")
    with pytest.raises(KeyError):
        tricky.format("nope", "en")
    with pytest.raises(ValueError):
        tricky.format("italic2019", "fr")


def test_document_codes():
    from pybtex.database import Entry

    cases = {"article": "[J]", "book": "[M]", "inproceedings": "[C]", "phdthesis": "[D]", "manual": "[Z]"}
    style = styles.GBT7714Style()
    for kind, code in cases.items():
        entry = Entry(kind, fields={"title": "T", "year": "2000", "publisher": "P", "school": "S"})
        entry.key = kind
        assert f"T{code}." in style.format_entry("", entry).text.render(richtext.TextBackend())
    online = Entry("misc", fields={"title": "T", "url": "https://example.org/a?b=1&c=2"})
    online.key = "online"
    text = style.format_entry("", online).text
    assert richtext.render_text(text) == "T[EB/OL]. https://example.org/a?b=1&c=2."
    assert 'href="https://example.org/a?b=1&amp;c=2"' in richtext.render_html(text)


def test_unsafe_url_is_not_a_link():
    from pybtex.database import Entry

    entry = Entry("misc", fields={"title": "T", "url": "javascript:alert(1)"})
    entry.key = "x"
    html = richtext.render_html(styles.VancouverStyle().format_entry("", entry).text)
    assert "<a " not in html
    assert entries.entry_links(entry) == []


_LATEX_BITS = list("ab {}\\<>&\"'~$%#_^éü张 \n") + ["\\textit{", "\\emph", "{\\em ", "\\\"u", "--", "\\&",
                                                         "</em>", "\\url{"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_LATEX_BITS), max_size=25).map("".join))
def test_any_field_value_renders_as_safe_html(value):
    rich = richtext.latex_to_rich(value)
    html = richtext.render_html(rich)
    text = richtext.render_text(rich)
    assert re.sub(r"</?(em|strong|sup|sub)>", "", html).count("<") == 0
    assert "\\" not in text
    if "\\{" not in value and "\\}" not in value:
        assert "{" not in text and "}" not in text


# ---------------------------------------------------------------------------------------------------------------
# Exports
# ---------------------------------------------------------------------------------------------------------------


def test_bibtex_export_parses_back(tricky):
    keys = ["finn2020imbrave150", "cheng2022imbrave150", "huang2026review", "nct01008358", "nope",
            "finn2020imbrave150"]
    text = tricky.bibtex(keys)
    data = pybtex.database.parse_string(text, "bibtex")
    assert list(data.entries) == ["finn2020imbrave150", "cheng2022imbrave150", "huang2026review", "nct01008358"]
    assert data.entries["cheng2022imbrave150"].fields["title"] == tricky.fields("cheng2022imbrave150")["title"]
    assert [str(p) for p in data.entries["finn2020imbrave150"].persons["author"]][:2] == ["Finn, Richard S.",
                                                                                        "Qin, Shukui"]
    assert data.entries["finn2020imbrave150"].fields["journal"] == "N Engl J Med"  # @string expanded
    assert tricky.bibtex([]) == ""


def test_placeholders_of_unidentified_references_are_in_no_download(tricky):
    keys = ["finn2020imbrave150", "ici-hcc-ref12"]
    assert list(pybtex.database.parse_string(tricky.bibtex(keys), "bibtex").entries) == ["finn2020imbrave150"]
    assert "not identified" not in tricky.ris(keys)
    assert [item["id"] for item in json.loads(tricky.csl_json(keys))] == ["finn2020imbrave150"]


def test_csl_json_export_carries_the_fields_of_the_entry(tricky):
    items = json.loads(tricky.csl_json(["finn2020imbrave150", "huang2026review", "nct01008358", "nope"]))
    assert [i["id"] for i in items] == ["finn2020imbrave150", "huang2026review", "nct01008358"]
    finn = items[0]
    assert finn["type"] == "article-journal" and finn["container-title"] == "N Engl J Med"
    assert finn["author"][0] == {"family": "Finn", "given": "Richard S."}
    assert finn["issued"] == {"date-parts": [[2020]]} and finn["page"] == "1894-1905"
    assert finn["DOI"] == "10.1056/NEJMoa1915745"
    assert items[2]["type"] == "webpage" and items[2]["URL"].startswith("https://clinicaltrials.gov/")


def test_ris_export_has_one_record_per_entry(tricky):
    keys = ["finn2020imbrave150", "huang2026review", "nct01008358", "ici-hcc-ref12"]
    text = tricky.ris(keys)
    records = [r.strip("\n") for r in text.split("ER  - \n") if r.strip()]
    assert len(records) == 3  # ici-hcc-ref12, a placeholder of an unidentified reference, is not exported
    assert text.count("TY  - ") == 3 and "not identified" not in text
    first = records[0].splitlines()
    assert first[0] == "TY  - JOUR"
    assert "AU  - Finn, Richard S." in first and "SP  - 1894" in first and "EP  - 1905" in first
    assert "DO  - 10.1056/NEJMoa1915745" in first
    assert "AU  - 张, 三" in records[1] and "AU  - 黄振" in records[1]
    assert records[2].startswith("TY  - ELEC") and "UR  - https://clinicaltrials.gov/study/NCT01008358" in records[2]
    for line in text.splitlines():
        assert not line or re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line)


# ---------------------------------------------------------------------------------------------------------------
# The real refs.bib
# ---------------------------------------------------------------------------------------------------------------


def test_every_entry_of_refs_bib_formats_in_both_languages():
    report = Report(root=ROOT)
    bib = Bibliography.load(REFS, report)
    assert not report.errors, [d.format() for d in report.errors]
    assert len(bib) == 78  # with the review itself (ici-hcc-review) and the CheckMate 459 ESMO abstract
    for key in bib:
        for lang in ("en", "zh"):
            ref = bib.format(key, lang)
            for out in (ref.text, ref.html):
                assert "None" not in out and "{" not in out and "\\" not in out, (key, lang, out)
                assert ".." not in out.replace("...", "") and " ." not in out and ",," not in out, (key, lang, out)
            assert ref.text.strip() == ref.text and ref.text
            assert "bibtex-protected" not in ref.html
    # spot checks against the source reviews
    assert en(bib, "cheng2022imbrave150").startswith("Cheng AL, Qin S, Ikeda M, et al. Updated Efficacy and Safety "
                                                     "Data from Imbrave150:")
    assert en(bib, "reig2022bclc").startswith("Reig M, Forner A, Rimola J, Ferrer-Fàbrega J, Burrel M, "
                                              "Garcia-Criado Á, et al.")
    assert zh(bib, "reig2022bclc").startswith("Reig M, Forner A, Rimola J, et al. BCLC Strategy")
    assert bib.format("ici-hcc-ref1", "en").unidentified == "1"
    assert "Pharmacology &amp; Therapeutics" in bib.format("wang2024tace", "en").html


def test_warm_load_of_10000_entries_from_json_is_fast(tmp_path):
    import time

    entry = ("@article{{key{i:05d},\n  author = {{Finn, R. S. and Qin, S. and M{{\\\"u}}ller, A. and others}},\n"
             "  title = {{Entry {i}: {{IMbrave150}} and \\textit{{in vivo}}}},\n  journal = {{J Hepatol}},\n"
             "  year = {{2020}},\n  volume = {{{i}}},\n  pages = {{{i}--{j}}},\n  doi = {{10.1000/x.{i}}}\n}}\n")
    bib_path = tmp_path / "big.bib"
    bib_path.write_text("\n".join(entry.format(i=i, j=i + 9) for i in range(10_000)), encoding="utf-8")
    cache = tmp_path / "cache"
    start = time.perf_counter()
    cold = Bibliography.load(bib_path, Report(root=tmp_path), cache_dir=cache)
    cold_s = time.perf_counter() - start
    clear_cache()
    start = time.perf_counter()
    warm = Bibliography.load(bib_path, Report(root=tmp_path), cache_dir=cache)
    warm_s = time.perf_counter() - start
    assert len(cold) == len(warm) == 10_000
    assert warm_s < 0.5, (cold_s, warm_s)
    assert warm.format("key09999", "en").text.startswith("Finn RS, Qin S, Müller A, et al. Entry 9999: IMbrave150")


# ---------------------------------------------------------------------------------------------------------------
# A bibliography written by others (biblatex, crossref, @set, TeX macros): nothing written is lost
# ---------------------------------------------------------------------------------------------------------------


def test_a_bibliography_written_by_others_loses_no_field():
    bib, report = load("others.bib")
    assert [d.format() for d in report] == []
    # biblatex fields: journaltitle -> journal, date -> year and month, subtitle appended, eprint (pubmed) -> PMID
    assert en(bib, "bib2020") == ("Müller H, García A. Sorafenib & friends: A 10-year view. Journal of Hepatology. "
                                  "2020 May;72:100-110. Response in 16% and stable disease in 55% of patients. "
                                  "PMID: 12345678.")
    assert zh(bib, "bib2020").startswith("Müller H, García A. Sorafenib & friends: A 10-year view[J]. "
                                         "Journal of Hepatology, 2020, 72: 100-110.")
    # crossref: the part inherits its container's title (as booktitle), editor, publisher, location and date;
    # \TeX and \LaTeX are rendered
    assert en(bib, "talk2019") == ("Roe R. Typesetting with TeX and LaTeX: a survey. In: Proceedings of the Liver "
                                   "Meeting: Abstracts. Boston: Wiley; 2019. p. 10-12.")
    assert zh(bib, "talk2019") == ("Roe R. Typesetting with TeX and LaTeX: a survey[C]//Proceedings of the Liver "
                                   "Meeting: Abstracts. Boston: Wiley, 2019: 10-12.")
    # @set: its members, one after the other
    assert en(bib, "both") == en(bib, "bib2020") + " " + en(bib, "talk2019")
    assert bib.format("both", "en").links == bib.format("bib2020", "en").links
    # every field value written in the file appears in a reference or in the RIS record of its entry
    ris = bib.ris(["both", "conf2019"])
    for key in bib:
        for name, value in bib.fields(key).items():
            if name in ("crossref", "entryset", "eprinttype", "date"):
                continue
            plain = richtext.latex_to_plain(value)
            if name == "pages":
                plain = plain.replace("–", "-")
            shown = " ".join(bib.format(k, "en").text for k in bib) + ris
            assert plain in shown, (key, name, plain)


def test_tex_macros_are_rendered():
    cases = {
        r"The \TeX book": "The TeXbook",
        r"\LaTeX\ and \LaTeX{} too": "LaTeX and LaTeX too",
        r"A \& B~C": "A & B\xa0C",
        r"1--2 and 3---4": "1–2 and 3—4",
        r"caf\'e \"o \ss{} \aa": "café ö ß å",
        r"$\alpha$-fetoprotein \textmu g": "α-fetoprotein μg",
        r"IC$_{50}$ of 5 mg/m$^2$": "IC50 of 5 mg/m²",
        r"snake_case stays": "snake_case stays",
        r"\textquoteleft x\textquoteright\ \dots": "‘x’ …",
    }
    for value, expected in cases.items():
        assert richtext.latex_to_plain(value) == expected, value
    assert richtext.render_html(richtext.latex_to_rich(r"IC$_{50}$")) == "IC<sub>50</sub>"


def test_a_percent_sign_in_a_field_is_the_same_on_the_site_and_in_the_downloads(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text("@article{p,\n  title = {T},\n  journal = {J},\n  year = {2020},\n"
                    "  note = {complete response in 16% and partial response in 55% of patients}\n}\n",
                    encoding="utf-8")
    report = Report(root=tmp_path)
    bib = Bibliography.load(path, report)
    assert not report.items
    text = "complete response in 16% and partial response in 55% of patients"
    assert text in en(bib, "p") and text in zh(bib, "p")
    assert f"N1  - {text}" in bib.ris(["p"])
    exported = bib.bibtex(["p"])
    assert r"16\% and partial response in 55\% of patients" in exported
    assert pybtex.database.parse_string(exported, "bibtex").entries["p"].fields["note"].endswith(r"55\% of patients")


def _problems(tmp_path, data: bytes) -> list[str]:
    path = tmp_path / "refs.bib"
    path.write_bytes(data)
    report = Report(root=tmp_path)
    Bibliography.load(path, report)
    return [d.format() for d in report]


def test_what_cannot_be_rendered_is_a_warning_at_its_line(tmp_path):
    text = ("@article{b,\n  title = {B \\foo{} and \\TeX},\n  crossref = {nowhere},\n"
            "  eprint = {x123},\n  date = {spring}\n}\n@set{s,\n  entryset = {b,gone}\n}\n")
    assert _problems(tmp_path, text.encode()) == [
        "refs.bib:2:14: warning: the field 'title' of 'b' uses \\foo, which cannot be rendered and is left out: "
        "write the text it stands for (Unicode is fine)",
        "refs.bib:3:1: warning: the entry 'b' takes its missing fields from 'nowhere' (crossref), which is not in "
        "refs.bib: add that entry or remove the crossref field",
        "refs.bib:4:1: warning: the eprint 'x123' of 'b' (no eprinttype) is not shown: write it as doi, pmid or url, "
        "or set eprinttype to pubmed, doi, pmc or arxiv",
        "refs.bib:5:1: warning: the date 'spring' of 'b' cannot be read: write it as YYYY, YYYY-MM or YYYY-MM-DD",
        "refs.bib:8:1: warning: the @set entry 's' lists 'gone', which is not in refs.bib: add that entry or remove "
        "it from entryset",
    ]


def test_a_command_with_an_argument_that_is_not_rendered_is_a_warning_at_its_column_and_keeps_its_text(tmp_path):
    text = ("@article{m,\n  author = {Qin, S. and \\foobar{Li}, J.},\n"
            "  title = {The \\textsc{Imbrave} trial: \\emph{in vivo} and \\mkbibquote{real world}\n"
            "           with \\foobar{x} and \\textbf{bold}},\n  journal = {J},\n  year = {2020}\n}\n")
    path = tmp_path / "refs.bib"
    path.write_text(text, encoding="utf-8")
    report = Report(root=tmp_path)
    bib = Bibliography.load(path, report)
    advice = ("which is not a command the site renders: only the text in its braces is shown, as plain text; "
              "write the text as it should read, with \\emph{...}, \\textbf{...}, \\textsc{...} or "
              "\\mkbibquote{...} if it needs them")
    assert [d.format() for d in report] == [
        f"refs.bib:2:25: warning: the field 'author' of 'm' uses \\foobar{{...}}, {advice}",
        f"refs.bib:4:17: warning: the field 'title' of 'm' uses \\foobar{{...}}, {advice}",
    ]
    assert "The Imbrave trial: <em>in vivo</em> and “real world” with x and <strong>bold</strong>" in \
        bib.format("m", "en").html
    assert en(bib, "m").startswith("Qin S, Li J. The Imbrave trial: in vivo and “real world” with x and bold.")
    assert "TI  - The Imbrave trial: in vivo and “real world” with x and bold" in bib.ris(["m"])


def test_refs_bib_not_utf8_is_an_error_at_the_bad_byte(tmp_path):
    data = "@article{a,\n  title = {Ok},\n  journal = {Café ".encode() + b"Gen\xe8ve},\n  year = {2020}\n}\n"
    assert _problems(tmp_path, data) == [
        "refs.bib:3:22: error: refs.bib is not UTF-8: the byte 0xE8 here is not a UTF-8 character (it was probably "
        "saved as Latin-1 or GBK; save the file as UTF-8 and check this character)"]


def test_an_empty_refs_bib_is_one_message_about_the_file(tmp_path):
    expected = ["refs.bib:1:1: error: refs.bib has no entries: every citation needs its entry here (write them as "
                "@article{key, author = {…}, title = {…}, …})"]
    assert _problems(tmp_path, b"") == expected
    assert _problems(tmp_path, b"% only a comment\n\n") == expected


def test_a_reference_pasted_as_text_is_an_error_at_its_line(tmp_path):
    text = ("@article{a,\n  title = {A},\n  year = {2020}\n}\n\n"
            "Llovet JM, Ricci S, Mazzaferro V, et al. Sorafenib in advanced hepatocellular carcinoma.\n"
            "N Engl J Med. 2008;359(4):378-390.\n% a comment is fine\n")
    assert _problems(tmp_path, text.encode()) == [
        "refs.bib:6:1: error: the text 'Llovet JM, Ricci S, Mazzaferro V, et al.…' is outside any entry, so BibTeX "
        "ignores it: write the reference as an entry (@article{key, author = {…}, title = {…}, …}) or start the "
        "line with % to keep it as a comment"]


def test_unidentified_references_read_wholly_in_the_page_language():
    bib = Bibliography.load(REFS, Report(root=ROOT))
    placeholders = [k for k in bib if "unidentified" in bib.fields(k)]
    assert placeholders
    for key in placeholders:
        text = zh(bib, key)
        assert text.startswith("原综述参考文献 [") and "Cited" not in text and "statement" not in text, text
        assert en(bib, key).startswith("Reference [") and not re.search(r"[\u4e00-\u9fff]", en(bib, key))


def test_the_percent_signs_of_refs_bib_are_shown_in_full():
    bib = Bibliography.load(REFS, Report(root=ROOT))
    note = "with complete response in 16% and partial response in 55% of patients and acceptable adverse events."
    assert en(bib, "ici-hcc-ref23").endswith(note) and "分别为 16% 和 55%，" in zh(bib, "ici-hcc-ref23")
    assert bib.bibtex(["ici-hcc-ref23"]) == ""  # a placeholder: not in the downloads (the % rule: test above)


def test_the_month_reaches_the_csl_json_and_ris_downloads(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text("@article{d,\n  title = {D},\n  journal = {J},\n  date = {2019-09}\n}\n"
                    "@article{m,\n  title = {M},\n  journal = {J},\n  year = {2020},\n  month = mar\n}\n"
                    "@article{n,\n  title = {N},\n  journal = {J},\n  year = {2021},\n  month = {11}\n}\n"
                    "@article{s,\n  title = {S},\n  journal = {J},\n  year = {2018},\n  month = {Spring}\n}\n",
                    encoding="utf-8")
    report = Report(root=tmp_path)
    bib = Bibliography.load(path, report)
    assert not report.items
    keys = ["d", "m", "n", "s"]
    records = {r["id"]: r for r in rispy.loads(bib.ris(keys))}
    assert [(records[k]["year"], records[k].get("date")) for k in keys] == [
        ("2019", "2019/09"), ("2020", "2020/03"), ("2021", "2021/11"), ("2018", None)]
    items = json.loads(bib.csl_json(keys))
    assert [i["issued"] for i in items] == [{"date-parts": [[2019, 9]]}, {"date-parts": [[2020, 3]]},
                                           {"date-parts": [[2021, 11]]}, {"date-parts": [[2018]]}]
    source = CiteProcJSON(items)
    assert [(source[k]["issued"].year, source[k]["issued"].get("month")) for k in keys] == [
        (2019, 9), (2020, 3), (2021, 11), (2018, None)]


def test_the_bib_download_writes_biblatex_fields_under_their_bibtex_names():
    bib, _ = load("others.bib")
    entry = bib.bibtex(["bib2020"])
    assert entry == ("@article{bib2020,\n"
                     "  author = {M{\\\"u}ller, Hans and Garc{\\'\\i}a, Ana},\n"
                     "  title = {Sorafenib \\& friends: A 10-year view},\n"
                     "  journal = {Journal of Hepatology},\n"
                     "  year = {2020},\n"
                     "  month = {May},\n"
                     "  volume = {72},\n"
                     "  pages = {100--110},\n"
                     "  eprinttype = {pubmed},\n"
                     "  eprint = {12345678},\n"
                     "  note = {Response in 16\\% and stable disease in 55\\% of patients},\n"
                     "  pmid = {12345678}\n"
                     "}\n")
    for biblatex_name in ("journaltitle", "date", "subtitle"):
        assert f"  {biblatex_name} = " not in entry
