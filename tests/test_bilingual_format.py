"""The bilingual source format: pairing, anchors, and the messages contributors see."""

from __future__ import annotations

from pathlib import Path

from generator.sources.bilingual import parse_body, slugify
from generator.sources.content import load_project
from generator.diagnostics import Report

P = Path("content/demo/01-first.md")


def parse(body: str, start: int = 10, pending_ok: bool = False):
    report = Report(root=Path("."))
    result = parse_body(body, start, P, report, pending_ok=pending_ok)
    return result, [d.format(with_col=False) for d in report.sorted()]


def test_blocks_pair_chinese_with_following_english():
    body, errors = parse("::: zh\n中文。\n\n::: en\nEnglish.\n\n::: zh\n第二段。\n::: en\nSecond.\n")
    assert errors == []
    assert [(p.zh.text, p.en.text) for p in body.pairs] == [("中文。", "English."), ("第二段。", "Second.")]


def test_chinese_block_without_english_is_an_error_with_its_line():
    _, errors = parse("::: zh\n中文。\n\n::: zh\n又一段。\n::: en\nAnother.\n", start=10)
    assert errors == ["content/demo/01-first.md:10: error: this Chinese block has no English counterpart: add a "
                      "'::: en' block with its translation right after it (or mark the section 'translation: pending')"]


def test_english_block_without_chinese_is_an_error_with_its_line():
    _, errors = parse("::: zh\n中文。\n::: en\nEnglish.\n::: en\nStray.\n", start=5)
    assert errors == ["content/demo/01-first.md:9: error: this English block has no Chinese counterpart: put the "
                      "'::: zh' block with the Chinese text right before it"]


def test_text_before_the_first_marker_is_reported():
    _, errors = parse("Loose text\n::: zh\n中文\n::: en\nEnglish\n", start=7)
    assert errors[0].startswith("content/demo/01-first.md:7: error: text outside a language block")


def test_pending_section_lets_chinese_stand_alone():
    body, errors = parse("::: zh\n中文。\n", pending_ok=True)
    assert errors == []
    assert body.pairs[0].en is None and not body.pairs[0].translated("en")


def test_heading_anchor_comes_from_the_english_heading_and_is_shared():
    body, errors = parse("::: zh\n## 2.1 PD-1/PD-L1 轴抑制剂\n::: en\n## 2.1 PD-1/PD-L1 axis inhibitors\n"
                         "::: zh\n段落\n::: en\nParagraph\n")
    assert errors == []
    assert body.pairs[0].kind == "heading" and body.pairs[0].anchor == "2-1-pd-1-pd-l1-axis-inhibitors"
    assert body.pairs[1].anchor == "2-1-pd-1-pd-l1-axis-inhibitors-1"


def test_explicit_anchor_wins():
    body, errors = parse("::: zh #cm040\n## 标题\n::: en\n## Title\n")
    assert errors == [] and body.pairs[0].anchor == "cm040"


def test_heading_levels_must_match():
    _, errors = parse("::: zh\n## 标题\n::: en\n### Title\n", start=3)
    assert any("different levels" in e for e in errors)


def test_heading_inside_a_paragraph_block_is_reported():
    _, errors = parse("::: zh\n段落\n\n## 标题\n::: en\nPara\n\n## Title\n", start=3)
    assert any(":6: error: a heading must stand alone in its block" in e for e in errors)


def test_editor_notes_are_recognised():
    body, _ = parse("::: zh\n!!! editor\n    原文有误。\n::: en\n!!! editor\n    The source is wrong.\n")
    assert body.pairs[0].kind == "editor"


def test_marker_inside_a_code_fence_is_text():
    body, errors = parse("::: zh\n```\n::: en\n```\n::: en\nEnglish\n")
    assert errors == [] and len(body.pairs) == 1 and "::: en" in body.pairs[0].zh.text


def test_unknown_marker_option_is_reported():
    _, errors = parse("::: zh draft\n中文\n::: en\nEnglish\n", start=2)
    assert errors[0].startswith("content/demo/01-first.md:2: error: unknown option 'draft'")


def test_slugify_is_ascii():
    assert slugify("4.2.1 ICIs + anti-VEGF") == "4-2-1-icis-anti-vegf"


def write(root: Path, rel: str, text: str) -> None:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")


INDEX = "---\nid: demo\norder: 1\ntitle:\n  zh: 示例\n  en: Demo\n---\n::: zh\n摘要\n::: en\nAbstract\n"


def test_missing_title_is_reported_at_the_front_matter(tmp_path):
    write(tmp_path, "content/demo/index.md", INDEX)
    write(tmp_path, "content/demo/01-a.md", "---\nid: a\norder: 1\n---\n::: zh\n文\n::: en\nText\n")
    report = Report(root=tmp_path)
    load_project(tmp_path, report)
    assert [d.format(with_col=False) for d in report.sorted()] == [
        "content/demo/01-a.md:1: error: 'title' is missing: the section title in both languages (zh: ... / en: ...)"]


def test_malformed_yaml_is_reported_with_its_line(tmp_path):
    write(tmp_path, "content/demo/index.md", INDEX)
    write(tmp_path, "content/demo/01-a.md", "---\nid: a\norder: 1\ntitle:\n  zh: 甲\n   en: [A\n---\n::: zh\n文\n::: en\nT\n")
    report = Report(root=tmp_path)
    load_project(tmp_path, report)
    msgs = [d.format(with_col=False) for d in report.sorted()]
    assert len(msgs) == 1 and msgs[0].startswith("content/demo/01-a.md:6: error: the front-matter is not valid YAML")


def test_misspelt_field_gets_a_suggestion(tmp_path):
    write(tmp_path, "content/demo/index.md", INDEX)
    write(tmp_path, "content/demo/01-a.md", "---\nid: a\norder: 1\ntitel:\n  zh: 甲\n  en: A\n---\n::: zh\n文\n::: en\nT\n")
    report = Report(root=tmp_path)
    load_project(tmp_path, report)
    msgs = [d.format(with_col=False) for d in report.sorted()]
    assert "content/demo/01-a.md:4: error: unknown field 'titel' (did you mean title?)" in msgs
