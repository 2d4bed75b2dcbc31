"""ASCII ``, ; : ( )`` after Chinese characters in the Chinese source text are displayed full-width
(generator/site/zhtypography.py): a normalization of the display, said on the editor's-notes pages, leaving
numbers, English runs, code, links and citations alone."""

from __future__ import annotations

import re

import pytest

from generator.site.fragments import INLINE_CLOSE, INLINE_OPEN
from generator.site.zhtypography import full_width

CITE = f"{INLINE_OPEN}3{INLINE_CLOSE}"


@pytest.mark.parametrize("text,shown", [
    ("由于早期症状不典型, 很多患者", "由于早期症状不典型，很多患者"),
    ("创造条件; 若先行", "创造条件；若先行"),
    ("整合策略: 研究中", "整合策略：研究中"),
    ("来看,HCC有", "来看，HCC有"),
    ("肝细胞癌(HCC)是", "肝细胞癌（HCC）是"),
    (f"数量最多{CITE}, 早期", f"数量最多{CITE}，早期"),  # the sentence's comma after a citation
])
def test_ascii_marks_after_chinese_characters_are_shown_full_width(text, shown):
    assert full_width(text) == shown


@pytest.mark.parametrize("text", ["1,000 例", "比例 3:1", "Smith, Jones (2020)", "see https://example.org/a:b",
                                  f"HCC{CITE}, and", "IMbrave150 (atezolizumab)"])
def test_numbers_english_runs_and_urls_are_left_alone(text):
    assert full_width(text) == text


def _article_text(path) -> str:
    html = path.read_text(encoding="utf-8")
    html = re.sub(r"<(script|style|code|pre)\b.*?</\1>", "", html, flags=re.S)
    html = re.sub(r'<p class="cite-this__text">.*?</p>', "", html, flags=re.S)  # a reference, as the style has it
    article = re.search(r"<article\b.*?</article>", html, re.S).group(0)
    return re.sub(r"<[^>]+>", "", article)


def test_the_interventional_review_reads_with_chinese_punctuation(built_site):
    pages = sorted((built_site / "zh/interventional-hcc").glob("*/index.html")) + [
        built_site / "zh/interventional-hcc/index.html"]
    for path in pages:
        if path.parent.name == "references":
            continue
        text = _article_text(path)
        assert not re.search(r"[\u4e00-\u9fff\]][,;:]\s|[\u4e00-\u9fff]\(", text), (
            path, re.search(r".{8}[\u4e00-\u9fff\]][,;:(].{8}", text))
    landing = _article_text(built_site / "zh/interventional-hcc/index.html")
    assert "肝细胞癌（HCC）是原发性肝癌中最常见的病理类型" in landing
    assert "由于早期症状不典型，很多患者" in landing
    progress = _article_text(built_site / "zh/interventional-hcc/clinical-progress/index.html")
    assert "早期研究主要集中在 TACE 联合靶向治疗，近几年" in progress
    assert re.search(r"数量最多\[20-28\]，早期", progress)
    # the parallel view's Chinese column too, on both sites
    for lang in ("zh", "en"):
        parallel = (built_site / lang / "interventional-hcc/clinical-progress/parallel/index.html").read_text(
            encoding="utf-8")
        assert "早期研究主要集中在 TACE 联合靶向治疗，近几年" in parallel


def test_the_source_files_keep_the_text_as_extracted():
    from pathlib import Path
    src = (Path(__file__).resolve().parent.parent / "content/interventional-hcc/index.md").read_text(encoding="utf-8")
    assert "肝细胞癌(HCC)是" in src


@pytest.mark.parametrize("lang,heading,words", [
    ("zh", "中文标点的显示方式", "这只是显示上的排版统一，不改动原文措辞"),
    ("en", "How the Chinese text&#39;s punctuation is shown", "not a change of wording"),
])
def test_the_editors_notes_page_says_the_punctuation_is_normalized(built_site, lang, heading, words):
    html = (built_site / lang / "interventional-hcc/editor-notes/index.html").read_text(encoding="utf-8")
    assert re.search(rf'<h2 id="typography">{re.escape(heading)}', html) or heading.replace("&#39;", "'") in html
    assert words in html
