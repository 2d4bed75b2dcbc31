"""Citations: finding them in markdown, numbering them per review, and the errors contributors see."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitekit import make_project, run_build
from generator.sources.citations import collapse_text, parse_locator, replace, scan


def keys(text: str) -> list[list[str]]:
    return [c.keys for c in scan(text).citations]


def test_single_multiple_and_locator_citations():
    found = scan("A [@a]. B [@b; @c]. C [@d, p. 12].").citations
    assert [c.keys for c in found] == [["a"], ["b", "c"], ["d"]]
    assert found[2].items[0].locator == "p. 12"


@pytest.mark.parametrize("key", ["key3.4", "doi:10.1/x", "smith-jones", "a/b", "c++", "x_y", "Finn2020.IMbrave150"])
def test_keys_may_use_every_character_bibtex_allows_and_are_never_truncated(key):
    assert keys(f"text [@{key}] more") == [[key]]


@pytest.mark.parametrize("text", [
    "inline `code [@x]` here",
    "``double `tick` [@x]`` here",
    "```\n[@x]\n```",
    "~~~python\n@decorator\n[@x]\n~~~",
    "para\n\n    indented code [@x]\n",
    "see <https://example.org/[@x]>",
    "see https://example.org/[@x] bare",
    "mail me at someone@example.org",
    r"escaped \[@x] stays",
    "a link [@x](https://example.org) is a link",
])
def test_citations_are_not_found_where_markdown_says_they_are_not_citations(text):
    assert keys(text) == []


def test_double_backslash_does_not_escape_the_citation():
    assert keys(r"odd \\[@x] even") == [["x"]]


def test_list_continuation_is_not_mistaken_for_code():
    assert keys("- item\n\n    continued [@x]\n") == [["x"]]


def test_admonition_body_is_not_code():
    assert keys("!!! editor\n    note [@x]\n") == [["x"]]


def test_line_and_column_are_reported():
    c = scan("first\nsecond [@k]", first_line=10).citations[0]
    assert (c.line, c.col) == (11, 8)


def test_unreadable_citations_and_locators_are_problems():
    s = scan("bad [@a, p twelve] and [@b extra words] and [@c", first_line=3)
    msgs = [p.message for p in s.problems]
    assert any("cannot read the locator 'p twelve'" in m for m in msgs)
    assert any("cannot read the citation '[@b extra words]'" in m for m in msgs)
    assert any("not closed" in m for m in msgs)


@pytest.mark.parametrize("loc,out", [("p. 12", "p. 12"), ("pp. 3-5", "pp. 3-5"), ("page 7", "p. 7"),
                                     ("fig 2", "fig. 2"), ("table 1", "tab. 1"), ("sec. 4.2", "sec. 4.2")])
def test_locators_are_normalised(loc, out):
    assert parse_locator(loc) == out


@pytest.mark.parametrize("numbers,out", [([1, 2, 3], "1-3"), ([2, 5, 7, 8, 9], "2, 5, 7-9"), ([4, 1, 2], "1, 2, 4"),
                                         ([3], "3"), ([1, 2], "1, 2"), ([5, 5, 6], "5, 6")])
def test_consecutive_numbers_collapse_into_ranges(numbers, out):
    assert collapse_text(numbers) == out


MARKDOWN = st.lists(st.sampled_from(list("ab @[];,.`\\<>:/\n-p1") + ["中", "文", "[@k]", "```", "    ", "[@a; @b]",
                                                                    "https://x.org/", "\n\n"]),
                    max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(MARKDOWN)
def test_arbitrary_markdown_never_crashes_and_text_outside_citations_is_unchanged(text):
    found = scan(text)
    out = replace(text, found.citations, lambda c: "\x00")
    pieces = out.split("\x00")
    # Everything except the citations themselves is kept, in order.
    rebuilt = []
    pos = 0
    for c in sorted(found.citations, key=lambda c: c.start):
        rebuilt.append(text[pos:c.start])
        pos = c.end
    rebuilt.append(text[pos:])
    assert pieces == rebuilt
    for c in found.citations:
        assert text[c.start] == "[" and text[c.end - 1] == "]"


# ---- numbering, parity and errors, through a real build of a small project ---------------------------------

BIB = "\n".join(
    f"@article{{{k},\n  author = {{Author, A.}},\n  title = {{Title {k.upper()}}},\n  journal = {{J}},\n  year = {{2020}}\n}}\n"
    for k in ["alpha2020", "beta2020", "gamma2020", "delta2020", "epsilon2020"])

SEC1 = textwrap.dedent("""\
    ---
    id: first
    order: 1
    title: {zh: 一, en: One}
    ---
    ::: zh
    甲[@gamma2020]，乙[@alpha2020; @beta2020]。

    ::: en
    A [@gamma2020], B [@alpha2020; @beta2020].
    """)
SEC2 = textwrap.dedent("""\
    ---
    id: second
    order: 2
    title: {zh: 二, en: Two}
    ---
    ::: zh
    丙[@delta2020; @alpha2020; @beta2020; @gamma2020]。

    ::: en
    C [@delta2020; @alpha2020; @beta2020; @gamma2020].
    """)


def build(tmp_path: Path, files: dict[str, str]):
    project = make_project(tmp_path, files)
    (project / "refs.bib").write_text(BIB, encoding="utf-8")
    result = run_build(project, project / "site")
    return project, result


def cites(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", m) for m in re.findall(r'<span class="cite"[^>]*>(.*?)</span>', html)]


def test_numbers_follow_first_citation_across_sections_and_agree_in_both_languages(tmp_path):
    project, result = build(tmp_path, {"content/demo/01-first.md": SEC1, "content/demo/02-second.md": SEC2})
    assert result.returncode == 0, result.stderr
    site = project / "site"
    for lang in ("zh", "en"):
        first = (site / lang / "demo/first/index.html").read_text(encoding="utf-8")
        second = (site / lang / "demo/second/index.html").read_text(encoding="utf-8")
        assert cites(first) == ["[1]", "[2, 3]"]
        assert cites(second) == ["[1-4]"]
        refs = (site / lang / "demo/references/index.html").read_text(encoding="utf-8")
        order = re.findall(r'<li id="ref-(\d+)"[^>]*><span class="ref-text">(.*?)</span>', refs)
        assert [(n, re.search(r"Title (\w+)", t).group(1)) for n, t in order] == [
            ("1", "GAMMA2020"), ("2", "ALPHA2020"), ("3", "BETA2020"), ("4", "DELTA2020")]
        # every citation link leads to an entry on its own page
        for page in (first, second):
            ids = set(re.findall(r'id="([^"]+)"', page))
            for href in re.findall(r'<span class="cite"[^>]*>.*?</span>', page):
                for target in re.findall(r'href="#([^"]+)"', href):
                    assert target in ids
        # backlinks from the references page reach existing citation anchors
        for href in re.findall(r'href="([^"#]*)#(c-[^"]+)"', refs):
            target = (site / lang / "demo/references" / href[0]).resolve() / "index.html"
            assert f'id="{href[1]}"' in target.read_text(encoding="utf-8")


def test_bibliography_lists_every_cited_entry_with_counts(tmp_path):
    project, result = build(tmp_path, {"content/demo/01-first.md": SEC1, "content/demo/02-second.md": SEC2})
    assert result.returncode == 0, result.stderr
    html = (project / "site/en/bibliography/index.html").read_text(encoding="utf-8")
    assert html.count('<li id="bib-') == 4  # epsilon2020 is never cited: the checker warns about it instead
    assert "(2×" in html and "EPSILON2020" not in html


def test_downloads_parse_back(tmp_path):
    from pybtex.database import parse_string
    project, result = build(tmp_path, {"content/demo/01-first.md": SEC1})
    assert result.returncode == 0, result.stderr
    bib = (project / "site/downloads/demo-references.bib").read_text(encoding="utf-8")
    assert set(parse_string(bib, "bibtex").entries.keys()) == {"gamma2020", "alpha2020", "beta2020"}
    ris = (project / "site/downloads/demo-references.ris").read_text(encoding="utf-8")
    assert ris.count("TY  - ") == 3 and ris.count("ER  - ") == 3


@pytest.mark.parametrize("zh,en,expected", [
    ("甲[@alpha202]。", "A [@alpha202].", "content/demo/01-first.md:7: unknown reference key '@alpha202' (did you mean @alpha2020"),
    ("甲[@Alpha2020]。", "A [@Alpha2020].", "content/demo/01-first.md:7: the reference key '@Alpha2020' differs from 'alpha2020' in refs.bib only in capital letters"),
    ("甲[@alpha2020, p twelve]。", "A [@alpha2020].", "content/demo/01-first.md:7: cannot read the locator 'p twelve'"),
    ("甲[@alpha2020]。", "A [@beta2020].", "content/demo/01-first.md:9: the Chinese block (line 6) and the English block (line 9) must cite the same references: only the Chinese (line 6) cites @alpha2020; only the English (line 9) cites @beta2020"),
])
def test_citation_errors_name_the_file_and_line_and_keep_the_old_site(tmp_path, zh, en, expected):
    text = f"---\nid: first\norder: 1\ntitle: {{zh: 一, en: One}}\n::: zh\n{zh}\n\n::: en\n{en}\n"
    text = text.replace("}\n::: zh", "}\n---\n::: zh")
    project, result = build(tmp_path, {"content/demo/01-first.md": text})
    out = (result.stdout + result.stderr).replace("error: ", "")
    out = re.sub(r"(\.md:\d+):\d+: ", r"\1: ", out)  # the build prints check's path:line:col; the line is what is tested
    assert result.returncode != 0
    assert expected in out, out


def test_duplicate_and_case_colliding_bib_keys_are_errors(tmp_path):
    project = make_project(tmp_path)
    (project / "refs.bib").write_text(BIB + "\n@article{Alpha2020, title = {X}, year = {2020}}\n", encoding="utf-8")
    result = run_build(project, project / "site")
    assert result.returncode != 0
    assert "refs.bib" in result.stderr and "differ only in capital letters" in result.stderr
