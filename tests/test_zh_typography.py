"""ASCII ``, ; : ( )`` after Chinese characters in the Chinese source text are displayed full-width
(generator/site/zhtypography.py): a normalization of the display, said on the editor's-notes pages, leaving
numbers, English runs, code, links and citations alone."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser

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
    ("研究院(山东省肿瘤医院), 山东第一医科大学", "研究院（山东省肿瘤医院），山东第一医科大学"),  # after its bracket
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
        parallel = _article_text(built_site / lang / "interventional-hcc/clinical-progress/parallel/index.html")
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


class _GeneratedText(HTMLParser):
    """The text of a page's article that the generator writes around the sources' words: without the review's
    own text (.blk: shown as extracted, normalized by zhtypography), quotations, references as their style
    formats them, code, scripts and anything marked English. Block elements end a run of text."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    BLOCK = {"p", "li", "td", "th", "tr", "div", "br", "h1", "h2", "h3", "h4", "caption", "figcaption", "dt", "dd"}
    SKIP_TAGS = {"script", "style", "code", "pre", "q", "svg"}
    SKIP_CLASSES = {"blk", "ref-text", "cite-this__text", "cite"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.in_article = 0
        self.runs: list[str] = [""]

    def _skipping(self) -> bool:
        return any(s for _, s in self.stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "article":
            self.in_article += 1
        if tag in self.BLOCK:
            self.runs.append("")
        if tag in self.VOID:
            return
        skip = (tag in self.SKIP_TAGS or (a.get("lang") or "").startswith("en")
                or bool(self.SKIP_CLASSES & set((a.get("class") or "").split())))
        self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        if tag == "article":
            self.in_article -= 1
        if tag in self.BLOCK:
            self.runs.append("")
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self.in_article and not self._skipping():
            self.runs[-1] += data


ASCII_BY_HAN = re.compile(r"[\u4e00-\u9fff†‡§]\s*[():]|[():]\s*[\u4e00-\u9fff†‡§]")


def test_generated_chinese_text_uses_full_width_brackets_and_colons(built_site):
    """Every zh page: the words the generator adds (a drug's class, a figure's caveat, the review a figure is
    from, 'cited in', 'seen in') are bracketed and introduced with full-width marks, not ASCII ones."""
    found = []
    for path in sorted((built_site / "zh").rglob("index.html")):
        parser = _GeneratedText()
        parser.feed(path.read_text(encoding="utf-8"))
        for run in parser.runs:
            m = ASCII_BY_HAN.search(run)
            if m:
                found.append((path.relative_to(built_site).as_posix(), run[max(0, m.start() - 20):m.end() + 20]))
    assert not found, found[:20]
    regimen = (built_site / "zh/regimens/camrelizumab-apatinib/index.html").read_text(encoding="utf-8")
    assert '<span class="sub">（PD-1 抑制剂）</span>' in regimen
    bib = (built_site / "zh/bibliography/index.html").read_text(encoding="utf-8")
    assert "引用于：" in bib and "引用于: " not in bib and "作者未经核实." not in bib


def test_the_chinese_handout_brackets_a_regimen_label_full_width(built_site):
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(built_site / "pdf/handout-regimens-zh.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    assert "（STRIDE）" in out and "(STRIDE)" not in out


def test_a_chinese_charts_description_uses_chinese_punctuation(built_site):
    """The words a screen reader reads for a chart (its <desc>) on a Chinese page: '中位总生存期，… 索拉非尼：14.7 个月
    （未给出 CI）', not ASCII commas, colons and brackets between Chinese words."""
    bad = []
    for path in sorted((built_site / "zh").rglob("index.html")):
        for desc in re.findall(r"<desc[^>]*>(.*?)</desc>", path.read_text(encoding="utf-8"), flags=re.S):
            bad += [(path.relative_to(built_site).as_posix(), m.group(0))
                    for m in re.finditer(r"[\u4e00-\u9fff][,:(]|[,:(] ?[\u4e00-\u9fff]", desc)]
    assert bad == [], bad[:10]
