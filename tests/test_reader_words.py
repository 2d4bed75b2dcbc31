"""What a reader of the built site reads in the interface: the page's own language (also in the theme's
strings), no words of the sources' machinery, Chinese punctuation in the generated Chinese, the site's own
icon. (The browser suite checks the header in Chromium: tests/browser/test_reader_header.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

INTERNAL = re.compile(r"综述 ?(?:ici-hcc|interventional-hcc)|[Rr]eview (?:ici-hcc|interventional-hcc|000)|refs\.bib ?键"
                      r"|refs\.bib key")


def pages(site: Path, lang: str | None = None) -> list[Path]:
    root = site / lang if lang else site
    return sorted(root.rglob("index.html"))


def test_the_theme_names_its_colour_toggle_in_the_page_language(built_site):
    for lang, expected, foreign in (("zh", "切换到深色模式", "Dark mode"), ("en", "Switch to dark mode", "切换到深色")):
        for path in pages(built_site, lang):
            text = path.read_text(encoding="utf-8")
            assert f'title="{expected}"' in text and f'title="{foreign}' not in text, path


def test_no_internal_words_reach_a_reader(built_site):
    for path in pages(built_site):
        text = re.sub(r"<script[^>]*>.*?</script>", "", path.read_text(encoding="utf-8"), flags=re.S)
        text = re.sub(r"<[^>]+>", "", text)
        assert not INTERNAL.search(text), (path, INTERNAL.search(text).group(0))


def test_generated_chinese_uses_full_width_punctuation(built_site):
    trial = (built_site / "zh/trials/imbrave150/index.html").read_text(encoding="utf-8")
    mentions = re.search(r'<ul class="record-mentions">.*?</ul>', trial, re.S).group(0)
    assert "</a>，<a" in mentions and "</a>, <a" not in mentions and "</a>: " not in mentions  # "…：第 1 处，第 2 处"
    assert "（据综述《<a" in trial and "(据综述" not in trial
    assert '<th scope="row">研究分期</th><td>3 期' in trial
    for path in pages(built_site, "zh"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"第 \d+ 步: |第 \d+ 处, ", text), path
    landing = (built_site / "zh/interventional-hcc/index.html").read_text(encoding="utf-8")
    assert '<span class="label">作者：</span>黄振' in landing and "发布日期：2026-05-19" in landing


def test_english_pages_give_the_phase_as_written(built_site):
    trial = (built_site / "en/trials/imbrave150/index.html").read_text(encoding="utf-8")
    assert '<th scope="row">Phase</th><td>3<' in trial


@pytest.mark.parametrize("lang,heading", [("zh", "章节"), ("en", "Sections")])
def test_the_review_home_lists_its_sections_once_numbered(built_site, lang, heading):
    text = (built_site / lang / "ici-hcc/index.html").read_text(encoding="utf-8")
    assert f'<h2 id="contents">{heading}</h2>' in text
    assert '<ol class="toc-sections">' not in text and '<ul class="toc-sections">' in text
    assert len(re.findall(r"<h2[^>]*>目录</h2>", text)) == 0


def test_unidentified_references_read_in_the_page_language(built_site):
    zh = (built_site / "zh/ici-hcc/references/index.html").read_text(encoding="utf-8")
    entries = re.findall(r'<span class="ref-text">(原综述参考文献[^<]*)', zh)
    assert len(entries) == 8 and not any("Cited" in e for e in entries), entries


def test_the_site_has_its_own_icon(built_site):
    ico = (built_site / "favicon.ico").read_bytes()
    assert ico[:4] == b"\x00\x00\x01\x00"  # an ICO file
    svg = (built_site / "assets/images/favicon.svg").read_text(encoding="utf-8")
    assert "prefers-color-scheme: dark" in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    for path in (built_site / "index.html", built_site / "zh/index.html", built_site / "en/ici-hcc/index.html"):
        text = path.read_text(encoding="utf-8")
        href = re.search(r'<link rel="icon" href="([^"]+)"', text).group(1)
        assert (path.parent / href).resolve() == (built_site / "assets/images/favicon.svg").resolve(), (path, href)
        assert 'class="hcc-logo"' in text and 'alt="logo"' not in text


def test_the_header_names_the_site_in_the_page_language(built_site):
    def header_name(path: Path) -> str:
        text = path.read_text(encoding="utf-8")
        return re.search(r'<div class="md-header__topic">\s*<span class="md-ellipsis">\s*([^<]*?)\s*</span>', text).group(1)

    assert header_name(built_site / "index.html") == "肝细胞癌治疗文献综述 · Reviews of HCC Treatment"
    for lang, name in (("zh", "肝细胞癌治疗文献综述"), ("en", "Reviews of HCC Treatment")):
        for path in pages(built_site, lang):
            assert header_name(path) == name, path


def test_the_downloads_name_the_reviews_in_reader_words(built_site):
    """The reference lists to download (BibTeX, RIS, CSL-JSON) say 'the immune checkpoint inhibitor review on
    this site', not the review's number in the sources ('review 000')."""
    files = sorted(p for p in (built_site / "downloads").rglob("*") if p.is_file() and p.suffix in (".bib", ".ris", ".json"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not INTERNAL.search(text), (path, INTERNAL.search(text).group(0))
    assert "Cited in the immune checkpoint inhibitor review on this site as reference [17]" in (
        built_site / "downloads/ici-hcc-references.ris").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang,name", [("zh", "肝细胞癌治疗文献综述"), ("en", "Reviews of Hepatocellular Carcinoma Treatment")])
def test_a_home_page_title_names_the_site_once(built_site, lang, name):
    html = (built_site / lang / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<title>([^<]*)</title>", html).group(1) == name
