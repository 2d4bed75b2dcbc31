"""Glossary tooltips (generator/site/mdext.py) on small markdown examples: abbreviations glued to Chinese,
one keyboard stop per term, none inside a link, and the definition in the page's language."""

from __future__ import annotations

from dataclasses import dataclass

import markdown
import pytest

from generator.site.mdext import GlossaryExtension


@dataclass
class Term:
    abbr: str
    zh: str
    en: str


@dataclass
class Glossary:
    terms: list


@pytest.fixture
def convert():
    ext = GlossaryExtension(Glossary([Term("HCV", "丙型肝炎病毒", "hepatitis C virus"),
                                      Term("HCC", "肝细胞癌", "hepatocellular carcinoma")]))

    def run(text: str, lang: str = "en") -> str:
        ext.lang = lang
        return markdown.Markdown(extensions=[ext, "tables", "md_in_html"]).convert(text)
    return run


def test_abbreviations_are_no_keyboard_stops(convert):
    # issue 21: 37 tab stops on one page; the title is read out, shown on hover, and a tap opens it (site.js)
    html = convert("HCC and HCC again")
    assert "tabindex" not in html
    assert html.count("<abbr") == 2


def test_abbreviation_inside_a_raw_html_link_gets_no_tab_stop(convert):
    # generated tables link trial names with inline HTML: an element with tabindex inside <a> is invalid
    html = convert('| trial |\n|---|\n| <a href="x">Tremelimumab in HCC with HCV</a> then HCV |\n')
    inside = html[html.index('<a href="x">'):html.index("</a>")]
    assert "<abbr" in inside and "tabindex" not in inside
    after = html[html.index("</a>"):]
    assert '<abbr title="hepatitis C virus">HCV</abbr>' in after


def test_markdown_links_keep_their_text(convert):
    assert convert("[HCV](https://example.org/)") == '<p><a href="https://example.org/">HCV</a></p>'


def test_term_glued_to_chinese_is_found_with_the_chinese_definition(convert):
    html = convert("使用HCV治疗", lang="zh")
    assert '<abbr title="丙型肝炎病毒">HCV</abbr>' in html


def test_each_column_of_a_parallel_view_gets_definitions_in_its_own_language(convert):
    html = convert('<div lang="zh-CN" markdown>\n使用HCV治疗\n</div>\n\n<div lang="en" markdown>\nHCV therapy\n</div>\n',
                   lang="en")
    zh = html[:html.index('<div lang="en"')]
    en = html[html.index('<div lang="en"'):]
    assert 'title="丙型肝炎病毒">HCV</abbr>' in zh
    assert 'title="hepatitis C virus">HCV</abbr>' in en


def test_text_of_a_raw_svg_drawing_is_left_alone(convert):
    """A chart inside a section block: an <abbr> inside SVG <text> is invalid and the browser draws nothing of it."""
    html = convert('<div class="blk" markdown>\n\nHCC first.\n\n<figure class="chart">\n'
                   '<svg xmlns="http://www.w3.org/2000/svg"><text x="1">HCV in HCC</text><rect/></svg>\n'
                   '<figcaption>HCC chart</figcaption>\n</figure>\n\n</div>')
    assert '<text x="1">HCV in HCC</text>' in html
    assert html.count("<abbr") == 2  # the paragraph's and the caption's


def test_chinese_in_a_raw_svg_drawing_on_an_english_page_gets_no_span(convert):
    """A <span> inside SVG ends the drawing for the HTML parser (the zh column of an English parallel view)."""
    html = convert('<div class="blk" markdown>\n\n原文 quoted.\n\n<figure class="chart">\n'
                   '<svg xmlns="http://www.w3.org/2000/svg"><title>缓解率</title><text x="1">曲美木单抗</text></svg>\n'
                   '<figcaption>各研究的缓解率</figcaption>\n</figure>\n\n</div>', lang="en")
    assert "<title>缓解率</title><text x=\"1\">曲美木单抗</text>" in html
    assert '<span lang="zh-CN">原文</span>' in html and '<figcaption><span lang="zh-CN">各研究的缓解率</span>' in html
