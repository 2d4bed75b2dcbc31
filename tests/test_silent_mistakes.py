"""Mistakes that were accepted silently or reported as something else (issue 19, item 1): each one message at
its line and column, the same from `check` and from `build`, with a non-zero exit."""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitekit import EPOCH, MINI_INDEX, add_records, make_project

SECTION = "content/demo/01-first.md"
HEAD = "---\nid: first\norder: 1\nnumber: \"1\"\ntitle:\n  zh: 第一节\n  en: First section\n---\n"  # 8 lines
CITED = "::: zh\n阿替利珠单抗[@finn2020imbrave150]。\n\n::: en\nAtezolizumab [@finn2020imbrave150].\n\n"  # lines 9-14
GLOSSARY = ("---\nid: glossary\ntitle: {zh: 术语表, en: Glossary}\nterms:\n  - abbr: HCC\n    zh: 肝细胞癌\n"
            "    en: hepatocellular carcinoma\n---\n::: zh\n本表列出缩写。\n\n::: en\nThe abbreviations used.\n")


def run(project: Path, command: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "HCC_PDF": "0", "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "generator", command, *args], cwd=project, capture_output=True,
                          text=True, env=env)


def problems(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in (result.stdout + result.stderr).splitlines() if ": error: " in line
            or ": warning: " in line]


def assert_reported(project: Path, expected: list[tuple[str, int, int, str]]) -> None:
    """`check` prints each problem at path:line:col, `build` at path:line; both exit 1 and print nothing else."""
    check = run(project, "check")
    assert check.returncode == 1, check.stdout + check.stderr
    assert problems(check) == [f"{p}:{line}:{col}: error: {m}" for p, line, col, m in expected]
    build = run(project, "build")
    assert build.returncode == 1
    assert problems(build) == [f"{p}:{line}:{col}: error: {m}" for p, line, col, m in expected]
    assert "Traceback" not in build.stderr + check.stderr
    assert not (project / "site").exists()


def section(body: str) -> dict[str, str]:
    return {SECTION: HEAD + CITED + body}


def test_chinese_text_in_an_english_block(tmp_path):
    project = make_project(tmp_path, section("::: zh\n这是第二段。\n\n::: en\n这是第二段（HCC），"
                                             "忘了翻译成英文。\n"))
    assert_reported(project, [(SECTION, 19, 1, "this English block is written in Chinese (12 Chinese characters, 0 "
                               "Latin letters): write the English translation below '::: en' (a Chinese word may stay "
                               "in quotes “…” or in parentheses)")])


def test_english_in_the_chinese_block_is_found_and_quoted_chinese_in_english_is_not(tmp_path):
    body = ("::: zh\nThe objective response rate was higher with the combination than with sorafenib.\n\n"
            "::: en\nThe review calls it “客观缓解率” (客观缓解率) and the response rate was higher.\n")
    project = make_project(tmp_path, section(body))
    assert_reported(project, [(SECTION, 16, 1, "this Chinese block has almost no Chinese text (0 Chinese characters, "
                               "65 letters of English words): the '::: zh' block holds the Chinese text of the source and the "
                               "'::: en' block after it the English; were they swapped?")])


def test_a_chinese_table_of_trial_names_is_chinese(tmp_path):
    table = "| 研究 | ORR |\n|---|---|\n" + "".join(f"| CheckMate-{n} IMbrave150 KEYNOTE | {n}% |\n" for n in range(40, 46))
    body = f"::: zh\n{table}\n::: en\n{table.replace('研究', 'Study')}"
    project = make_project(tmp_path, section(body))
    check = run(project, "check")
    assert check.returncode == 0, check.stdout


def test_tables_of_different_shapes(tmp_path):
    body = ("::: zh\n| 研究 | 例数 | 结果 |\n|---|---|---|\n| 甲 | 10 | 好 |\n\n"
            "::: en\n| Study | Patients |\n|---|---|\n| A | 10 |\n")
    project = make_project(tmp_path, section(body))
    assert_reported(project, [(SECTION, 20, 1, "the Chinese block (line 15) has a table of 2 rows and 3 columns and the "
                               "English block has a table of 2 rows and 2 columns: a table and its translation have "
                               "the same rows and columns (an empty cell is written '| |' or '—')")])


def test_lists_of_different_structure(tmp_path):
    body = "::: zh\n要点：\n\n1. 甲药有效\n2. 乙药有效\n\n::: en\nKey points:\n\n1. Drug A works\n   - and drug B\n"
    project = make_project(tmp_path, section(body))
    assert_reported(project, [(SECTION, 21, 1, "the Chinese block (line 15) has a numbered list of 2 items and the "
                               "English block has a numbered list of 1 item and 1 nested: a list and its translation "
                               "have the same items, numbered or bulleted alike, nested alike")])


def test_full_width_citation_brackets_are_one_message_each_not_a_mismatch(tmp_path):
    body = "::: zh\n疗效显著【@finn2020imbrave150】。\n\n::: en\nIt works ［@finn2020imbrave150］.\n"
    project = make_project(tmp_path, section(body))
    message = ("'{0}@finn2020imbrave150{1}' is written with full-width brackets: write [@finn2020imbrave150] with "
               "the brackets '[' and ']' (in the Chinese text too)")
    assert_reported(project, [(SECTION, 16, 5, message.format("【", "】")),
                              (SECTION, 19, 10, message.format("［", "］"))])


def test_author_suppressed_citation_is_not_left_on_the_page(tmp_path):
    body = "::: zh\n如前所述[-@finn2020imbrave150]。\n\n::: en\nAs shown [@finn2020imbrave150].\n"
    project = make_project(tmp_path, section(body))
    assert_reported(project, [(SECTION, 16, 5, "'[-@finn2020imbrave150]': a citation without the author's name is "
                               "not supported (the site cites by number): write [@finn2020imbrave150]")])


def test_an_abbreviation_definition_may_not_override_the_glossary(tmp_path):
    body = "::: zh\nHCC 常见。\n\n*[HCC]: 肝癌\n\n::: en\nHCC is common.\n"
    project = make_project(tmp_path, {**section(body), "content/glossary.md": GLOSSARY})
    assert_reported(project, [(SECTION, 18, 1, "'*[HCC]: …' would replace the glossary's explanation of HCC "
                               "(hepatocellular carcinoma / 肝细胞癌) on this page: remove this line (to change the "
                               "explanation, edit its term in content/glossary.md)")])


def test_links_to_a_missing_anchor_on_a_trial_or_the_glossary_page(tmp_path):
    body = ("::: zh\n见[试验](../trials/alpha.md#result)与[术语](../glossary.md#abbr-hcc)。\n\n"
            "::: en\nSee [the trial](../trials/alpha.md#results) and [the term](../glossary.md#abbr-hhc).\n")
    project = add_records(make_project(tmp_path, {**section(body), "content/glossary.md": GLOSSARY}))
    assert_reported(project, [
        (SECTION, 16, 2, "broken link: there is no anchor '#result' in alpha.md (did you mean results?)"),
        (SECTION, 19, 49, "broken link: there is no anchor '#abbr-hhc' in glossary.md (did you mean abbr-hcc?)")])


def test_two_reviews_with_the_same_order(tmp_path):
    other = MINI_INDEX.replace("id: demo", "id: second")
    project = make_project(tmp_path, {"content/second/index.md": other,
                                      "content/second/01-first.md": HEAD + CITED})
    assert_reported(project, [("content/second/index.md", 3, 1, "order 1 is also the order of the review 'demo' "
                               "(demo/index.md): give each review its own position on the home page, e.g. the next "
                               "free number")])


def test_two_section_files_sharing_a_number(tmp_path):
    second = HEAD.replace("id: first", "id: second").replace("order: 1", "order: 2") + CITED
    project = make_project(tmp_path, {"content/demo/01-second.md": second})
    assert_reported(project, [("content/demo/01-second.md", 1, 1, "the number '01' is also the number of 01-first.md: "
                               "give each section file its own number; to insert this section after 01-first.md, name "
                               "it '01a-second.md' (its order 2 already places it after 01-first.md)")])


def test_the_name_and_order_suggested_for_an_inserted_section_fit_the_real_names(tmp_path):
    def sec(sid: str, order: str) -> str:
        return HEAD.replace("id: first", f"id: {sid}").replace("order: 1", f"order: {order}") + CITED
    project = make_project(tmp_path, {"content/demo/02-b.md": sec("b", "2"), "content/demo/03-c.md": sec("c", "3"),
                                      "content/demo/03a-d.md": sec("d", "3.2"), "content/demo/04-e.md": sec("e", "4"),
                                      "content/demo/03-new.md": sec("new", "9")})
    assert_reported(project, [("content/demo/03-new.md", 1, 1, "the number '03' is also the number of 03-c.md: give "
                               "each section file its own number; to insert this section after 03-c.md, name it "
                               "'03b-new.md' and give it an 'order' between 3 (03-c.md) and 3.2 (03a-d.md), e.g. 3.1")])


@pytest.mark.parametrize("marker,shown", [(":::zh", "':::zh'"), (" ::: zh", "' ::: zh' (starts with a space)"),
                                          ("::: ZH", "'::: ZH'"), ("：：： zh", "'：：： zh'"),
                                          ("\t::: zh", "'::: zh' (starts with a tab)")])
def test_a_marker_typo_is_reported_as_what_it_is(tmp_path, marker, shown):
    body = f"{marker}\n第二段。\n\n::: en\nThe second paragraph.\n\n::: zh\n第三段。\n\n::: en\nThe third.\n"
    project = make_project(tmp_path, section(body))
    assert_reported(project, [(SECTION, 15, 1, f"{shown} is not a block marker: write '::: zh' (three "
                               "colons, a space, the language) at the very start of the line")])


def test_an_unclosed_code_fence_is_reported_as_what_it_is(tmp_path):
    body = ("::: zh\n示例：\n\n```\ncode\n\n::: en\nExample:\n\n```\ncode\n```\n\n"
            "::: zh\n第三段。\n\n::: en\nThe third.\n")
    project = make_project(tmp_path, section(body))
    assert_reported(project, [(SECTION, 18, 1, "this code fence (```) is never closed in its block (line 21 starts "
                               "the next block): end the code with a line '```' before the next '::: zh' / '::: en' "
                               "line")])


def test_one_untranslated_chinese_sentence_among_english_ones(tmp_path):
    body = ("::: zh\n第一句。第二句没有翻译。\n\n::: en\nThe first sentence is English. 这是第二句没有翻译。 "
            "The third is English again, and long enough to outweigh it.\n")
    project = make_project(tmp_path, section(body))
    assert_reported(project, [(SECTION, 19, 32, "this sentence of the English block is in Chinese (9 Chinese "
                               "characters, 0 Latin letters): '这是第二句没有翻译。': translate it (a Chinese word may "
                               "stay in quotes “…” or in parentheses)")])


def test_one_english_sentence_in_a_chinese_block(tmp_path):
    body = ("::: zh\n第一句是中文，而且足够长，足以让整段看起来是中文。The second sentence was left in English by mistake.\n\n"
            "::: en\nThe first sentence is Chinese. The second sentence was left in English by mistake.\n")
    project = make_project(tmp_path, section(body))
    assert_reported(project, [(SECTION, 16, 26, "this sentence of the Chinese block is in English (32 letters of "
                               "English words, no Chinese character): 'The second sentence was left in English…': "
                               "the '::: zh' block holds the Chinese text of the source, the English goes in the "
                               "'::: en' block after it (an English title may stay in quotes “…”)")])


def test_swapped_headings(tmp_path):
    body = "::: zh\n## 1.2 Results\n\n::: en\n## 1.2 结果\n\n::: zh\n结果见上。\n\n::: en\nSee above.\n"
    project = make_project(tmp_path, section(body))
    assert_reported(project, [(SECTION, 16, 1, "the headings of this pair are swapped: '1.2 Results' (English) is in "
                               "the '::: zh' block and '1.2 结果' (Chinese) in the '::: en' block (line 19): exchange "
                               "the two heading lines")])


def test_a_chinese_heading_in_the_english_block(tmp_path):
    body = "::: zh\n## 1.2 结果\n\n::: en\n## 1.2 结果\n\n::: zh\n结果见上。\n\n::: en\nSee above.\n"
    project = make_project(tmp_path, section(body))
    assert_reported(project, [(SECTION, 19, 8, "this English heading is in Chinese: '1.2 结果': write the English "
                               "heading below '::: en' (the Chinese heading goes in the '::: zh' block before it)")])


def test_an_abbreviation_definition_of_a_term_not_in_the_glossary(tmp_path):
    body = "::: zh\nXYZ 常见。\n\n::: en\nXYZ is common.\n\n*[XYZ]: a made-up term\n"
    project = make_project(tmp_path, {**section(body), "content/glossary.md": GLOSSARY})
    assert_reported(project, [(SECTION, 21, 1, "'*[XYZ]: …' defines an abbreviation on this page only: abbreviations "
                               "live in the glossary, content/glossary.md, in both languages: add XYZ there as a term "
                               "('- abbr: XYZ' with its 'zh:' and 'en:') and remove this line")])


def test_invisible_characters_are_named_where_they_are(tmp_path):
    body = ("::: zh\n乙[@finn2020\u200bimbrave150]。\n\n::: en\u200b\nB [@\u3000finn2020imbrave150].\n")
    project = make_project(tmp_path, section(body))
    assert_reported(project, [
        (SECTION, 16, 12, "the reference key '@finn2020\\u200bimbrave150' contains a zero-width space (U+200B) at "
                          "col 12: delete it (write '@finn2020imbrave150')"),
        (SECTION, 18, 7, "the block marker '::: en\\u200b' contains a zero-width space (U+200B) at col 7: delete it"),
        (SECTION, 19, 5, "the citation '[@\\u3000finn2020imbrave150]' contains a full-width space (U+3000) at col 5: "
                         "delete it")])


def test_an_english_heading_in_the_chinese_block(tmp_path):
    body = "::: zh\n## 1.2 Results and discussion\n\n::: en\n## 1.2 Results and discussion\n\n::: zh\n结果见上。\n\n::: en\nSee above.\n"
    project = make_project(tmp_path, section(body))
    assert_reported(project, [(SECTION, 16, 8, "this Chinese heading has no Chinese text: '1.2 Results and discussion': "
                               "the '::: zh' block holds the source's Chinese heading (the English heading goes in the "
                               "'::: en' block after it)")])


def test_a_chinese_heading_of_trial_names_is_chinese(tmp_path):
    body = "::: zh\n## 1.2 CheckMate 040\n\n::: en\n## 1.2 CheckMate 040\n\n::: zh\n结果见上。\n\n::: en\nSee above.\n"
    project = make_project(tmp_path, section(body))
    assert run(project, "check").returncode == 0


def test_a_real_swap_of_headings_in_the_real_content_is_named_a_swap(tmp_path):
    root = Path(__file__).resolve().parents[1]
    project = tmp_path / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "refs.bib"):
        shutil.copy(root / name, project / name)
    for name in ("content", "site_overrides"):
        shutil.copytree(root / name, project / name)
    rel = "content/ici-hcc/05-combination-therapy.md"
    src = project / rel
    zh, en = "### 4.2.1 ICIs 联合抗 VEGF 抑制剂", "### 4.2.1 ICIs combined with anti-VEGF agents"
    text = src.read_text(encoding="utf-8")
    pair = f"::: zh\n{zh}\n\n::: en\n{en}\n"
    assert pair in text
    src.write_text(text.replace(pair, f"::: zh\n{en}\n\n::: en\n{zh}\n"), encoding="utf-8")
    line = text[:text.index(pair)].count("\n") + 2
    assert_reported(project, [(rel, line, 1, "the headings of this pair are swapped: '4.2.1 ICIs combined with "
                               "anti-VEGF agents' (English) is in the '::: zh' block and '4.2.1 ICIs 联合抗 VEGF 抑制剂' "
                               f"(Chinese) in the '::: en' block (line {line + 3}): exchange the two heading lines")])


def test_a_review_index_with_several_mistakes_reports_them_all_at_once(tmp_path):
    index = ("---\nid: demox\ntitel:\n  zh: 示例综述\n  en: A demo review\nyear: twenty\n---\n\n"
             "::: zh\n这是摘要。\n\n::: en\nThis is the abstract.\n")
    project = make_project(tmp_path, {"content/demo/index.md": index,
                                      SECTION: HEAD + "::: zh\n阿替利珠单抗[@finn2020imbrave150]。\n"})
    rel = "content/demo/index.md"
    assert_reported(project, [
        (SECTION, 9, 1, "this Chinese block has no English counterpart: add a '::: en' block with its translation "
                        "right after it (or mark the section 'translation: pending')"),
        (rel, 1, 1, "'order' is missing"),
        (rel, 2, 1, "the review id 'demox' must equal its folder name 'demo'"),
        (rel, 3, 1, "unknown field 'titel' (did you mean title?)"),
        (rel, 6, 1, "'year' must be a whole number, not 'twenty'")])


def test_cite_this_uses_the_year_given_without_authors_or_journal(tmp_path):
    index = MINI_INDEX.replace("order: 1\n", "order: 1\nyear: 2025\n")
    project = make_project(tmp_path, {"content/demo/index.md": index})
    assert run(project, "build").returncode == 0
    page = html.unescape((project / "site/en/demo/index.html").read_text(encoding="utf-8"))
    assert "A demo review. 2025 [authors and journal not given in the source]." in page
    assert "year = {2025}" in page
    assert "authors, journal and year" not in page
    zh = html.unescape((project / "site/zh/demo/index.html").read_text(encoding="utf-8"))
    assert "示例综述. 2025 [原文未提供作者与期刊]." in zh


def test_markdown_files_the_generator_never_reads_are_errors_and_not_copied(tmp_path):
    text = "---\nid: x\n---\n"
    project = make_project(tmp_path, {"content/trials/rescue2.markdown": text, "content/trials/new/rescue3.md": text,
                                      "content/demo/07-extra.MD": text})
    assert_reported(project, [
        ("content/demo/07-extra.MD", 1, 1, "this file is not read: only files ending in '.md' are read; rename it to "
         "'07-extra.md'"),
        ("content/trials/new/rescue3.md", 1, 1, "this file is not read: a record in a subfolder is ignored; move it to "
         "content/trials/rescue3.md"),
        ("content/trials/rescue2.markdown", 1, 1, "this file is not read: only files ending in '.md' are read; rename "
         "it to 'rescue2.md'"),
    ])


def test_a_count_of_patients_must_be_a_positive_whole_number(tmp_path):
    project = add_records(make_project(tmp_path))
    alpha = project / "content/trials/alpha.md"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("patients: 104", "patients: -190")
                     .replace("  n: 104", "  n: 0", 1), encoding="utf-8")
    assert_reported(project, [
        ("content/trials/alpha.md", 13, 11, "a count of patients must be a positive whole number, not -190 (leave the "
         "field out when the source gives no count)"),
        ("content/trials/alpha.md", 16, 6, "a count of patients must be a positive whole number, not 0 (leave the "
         "field out when the source gives no count)"),
    ])


def test_a_nan_limit_of_a_confidence_interval_is_reported_once(tmp_path):
    project = add_records(make_project(tmp_path))
    alpha = project / "content/trials/alpha.md"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("ci: [4.7, 19.4]", "ci: [.nan, 46.6]"),
                     encoding="utf-8")
    check = run(project, "check")
    assert check.returncode == 1
    found = problems(check)
    assert len(found) == 1 and found[0].startswith("content/trials/alpha.md:30:") and ".nan" in found[0], found
    assert "outside its confidence interval" not in check.stdout + check.stderr
    build = run(project, "build")
    assert build.returncode == 1 and problems(build) == found


def test_an_order_clash_is_reported_beside_a_field_error_of_the_index(tmp_path):
    other = MINI_INDEX.replace("id: demo", "id: second").replace("  en: A demo review\n", "  en: 5\n")
    project = make_project(tmp_path, {"content/second/index.md": other,
                                      "content/second/01-first.md": HEAD + CITED})
    assert_reported(project, [
        ("content/second/index.md", 3, 1, "order 1 is also the order of the review 'demo' (demo/index.md): give each "
         "review its own position on the home page, e.g. the next free number"),
        ("content/second/index.md", 6, 1, "'title.en' must be text, not 5 (put it in quotes)"),
    ])


def test_a_site_address_copied_from_the_browser_names_the_source_file_to_link(tmp_path):
    body = "::: zh\n见[试验](/zh/trials/alpha/)。\n\n::: en\nSee [the trial](/en/trials/alpha/) and [x](/en/nowhere/).\n"
    project = add_records(make_project(tmp_path, section(body)))
    head = ("is an address of the built site, not a source file: link to the source .md file, relative to this file "
            "(the link then leads to the page in each reader's language)")
    assert_reported(project, [
        (SECTION, 16, 2, f"broken link: '/zh/trials/alpha/' {head}: write '../trials/alpha.md'"),
        (SECTION, 19, 5, f"broken link: '/en/trials/alpha/' {head}: write '../trials/alpha.md'"),
        (SECTION, 19, 40, f"broken link: '/en/nowhere/' {head}, e.g. '../trials/reflect.md'"),
    ])


def test_a_symbolic_link_to_itself_is_reported_as_a_loop(tmp_path):
    project = make_project(tmp_path)
    (project / "content/demo/02-loop.md").symlink_to("02-loop.md")
    assert_reported(project, [("content/demo/02-loop.md", 1, 1, "this is a symbolic link to '02-loop.md', which leads "
                               "back to itself (a loop): replace the link with the file itself, or point it at an "
                               "existing file")])


def test_make_confirm_without_at_says_what_to_write(tmp_path):
    root = Path(__file__).resolve().parent.parent
    # -o: the virtualenv's stamp counts as up to date (the test never installs anything)
    result = subprocess.run(["make", "-s", "-o", ".venv/.installed", "confirm"], cwd=root, capture_output=True,
                            text=True)
    assert result.returncode != 0
    assert "write: make confirm AT=content/<file>.md:LINE" in result.stderr
    assert "usage:" not in result.stdout + result.stderr


def test_a_file_that_is_no_source_nor_picture_is_an_error_not_published_as_it_is(tmp_path):
    """'notes.txt' beside a section would be copied to the site as it is (a private draft, published); a '.md'
    at the top of content/ would be ignored; a picture stays a file of the site."""
    project = make_project(tmp_path, {"content/demo/notes.txt": "private draft\n", "content/stray.md": "x\n",
                                      "content/demo/img/figure-1.png": ""})
    assert_reported(project, [
        ("content/demo/notes.txt", 1, 1, "this file is not a source of the site and would be published as it is: "
         "content/ holds the '.md' sources and the pictures they show (png, jpg, jpeg, gif, svg, webp); move it "
         "out of content/"),
        ("content/stray.md", 1, 1, "this file is not read: the top of content/ holds only glossary.md; a section goes "
         "in its review's folder (content/<review>/NN-name.md), a record in content/trials/, content/regimens/ or "
         "content/drugs/"),
    ])


def test_a_symbolic_link_loop_among_records_is_reported_not_a_fault(tmp_path):
    project = make_project(tmp_path)
    (project / "content/trials").mkdir(parents=True, exist_ok=True)
    (project / "content/trials/a.md").symlink_to("b.md")
    (project / "content/trials/b.md").symlink_to("a.md")
    assert_reported(project, [
        ("content/trials/a.md", 1, 1, "this is a symbolic link to 'b.md', which leads back to itself (a loop): replace "
         "the link with the file itself, or point it at an existing file"),
        ("content/trials/b.md", 1, 1, "this is a symbolic link to 'a.md', which leads back to itself (a loop): replace "
         "the link with the file itself, or point it at an existing file"),
    ])


def test_a_marker_naming_its_language_is_one_message_not_a_cascade(tmp_path):
    project = make_project(tmp_path, section("::: zh\n这是第二段。\n\n::: english\nThis is the second paragraph.\n"))
    assert_reported(project, [(SECTION, 18, 1, "'::: english' is not a block marker: write '::: en' (three colons, a "
                               "space, the language) at the very start of the line")])


def test_a_control_character_in_the_text_is_an_error_where_it_is(tmp_path):
    """Issue 19 (contributor's re-try nit): a NUL copied into a paragraph was published as an invisible box."""
    project = make_project(tmp_path, section("::: zh\n第二段\x00。\n\n::: en\nSecond paragraph.\n"))
    assert_reported(project, [(SECTION, 16, 4, "a control character (U+0000) in the text: readers see a box or "
                               "nothing; delete it (it usually comes with copied text)")])


@pytest.mark.parametrize("char,name", [("\u200b", "a zero-width space"), ("\ufeff", "a zero-width no-break space "
                                       "(byte-order mark)"), ("\u2060", "a word joiner")])
def test_a_zero_width_character_in_the_text_is_a_warning_where_it_is(tmp_path, char, name):
    """Issue 19 (contributor's re-try nit): a zero-width character inside a drug's name was accepted silently,
    and the word could no longer be found by search."""
    project = make_project(tmp_path, section(f"::: zh\n仑伐{char}替尼。\n\n::: en\nLenvatinib.\n"))
    check = run(project, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert problems(check) == [f"{SECTION}:16:3: warning: {name} (U+{ord(char):04X}) in the text: nobody can see "
                               "it, and it splits the word around it for search; delete it"]
