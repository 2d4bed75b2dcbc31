"""The checker's HTML check converts only the blocks whose Markdown can become HTML the sanitizer changes (issue
19: `make check` on a cold cache, generator/sources/htmlcheck.py), and what it leaves out makes no difference:
a block using a definition in another block still makes its page converted whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import pipeline
from generator.sources import htmlcheck
from sitekit import make_project

SECTION = "content/demo/01-first.md"
HEAD = "---\nid: first\norder: 1\nnumber: \"1\"\ntitle:\n  zh: 第一节\n  en: First section\n---\n"  # 8 lines
PLAIN = ("::: zh\n{n}号普通段落，引用 [22][23] 与[@finn2020imbrave150]。\n\n"
         "::: en\nPlain paragraph {n}, [22][23] [@finn2020imbrave150].\n\n")
NOTE = "::: zh\n!!! editor\n    编者注 {n}。\n\n::: en\n!!! editor\n    Editor's note {n}.\n\n"


@pytest.fixture
def converted(monkeypatch):
    """The Markdown text the check converts, page by page."""
    seen: list[str] = []
    real = htmlcheck.converter

    def converter(*args, **kwargs):
        md = real(*args, **kwargs)
        convert = md.convert
        md.convert = lambda text: (seen.append(text), convert(text))[1]
        return md

    monkeypatch.setattr(htmlcheck, "converter", converter)
    return seen


def load(tmp_path: Path, body: str):
    project = make_project(tmp_path, {SECTION: HEAD + body})
    return pipeline.load(project, cache_dir=project / ".cache")


def test_plain_blocks_and_editor_notes_are_not_converted(tmp_path, converted):
    model = load(tmp_path, "".join(PLAIN.format(n=n) + NOTE.format(n=n) for n in range(3)))
    assert not model.report.errors
    assert not any("Plain paragraph" in text or "Editor's note" in text for text in converted)


def test_only_the_block_that_may_make_markup_is_converted(tmp_path, converted):
    body = (PLAIN.format(n=1) + "::: zh\n见<script>alert(1)</script>。\n\n"
            "::: en\nSee <b onclick=\"x()\">here</b>.\n\n" + PLAIN.format(n=2))
    model = load(tmp_path, body)
    assert [d.format() for d in model.report.errors] == [
        f"{SECTION}:16:2: error: " + next(d.message for d in model.report.errors if d.line == 16),
        f"{SECTION}:19:5: error: " + next(d.message for d in model.report.errors if d.line == 19),
    ]
    assert any("<script>" in text for text in converted)
    assert not any("Plain paragraph" in text or "普通段落" in text for text in converted)


def test_a_page_with_a_definition_is_converted_whole(tmp_path, converted):
    body = (PLAIN.format(n=1) + "::: zh\n见[此处][x]。\n\n::: en\nSee [here][x].\n\n"
            "::: zh\n[x]: https://example.org/\n\n::: en\n[x]: javascript:alert(1)\n")
    model = load(tmp_path, body)
    assert [(d.line, d.col) for d in model.report.errors] == [(25, 6)]
    assert "javascript:" in model.report.errors[0].message
    assert any("Plain paragraph 1" in text for text in converted)
