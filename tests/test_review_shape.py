"""The shape of a review's index.md front-matter shown in CONTRIBUTING.md (both languages) is one the loader
accepts as a review, has every field the schema knows, and is the real front-matter of a review (issue 19,
contributor try: a third review's index.md was not shown), so the guide cannot drift from the checker."""

from __future__ import annotations

import re
import textwrap

import pytest
import yaml

from generator.diagnostics import Report
from generator.sources.content import AUTHOR, REVIEW_SCHEMA, load_review
from sitekit import ROOT

GUIDE = ROOT / "CONTRIBUTING.md"
REAL = ROOT / "content" / "interventional-hcc" / "index.md"


def example(lang: str) -> str:
    guide = GUIDE.read_text(encoding="utf-8")
    m = re.search(rf"<!-- review-index:{lang} -->\n(.*?)\n\s*<!-- /review-index:{lang} -->", guide, re.DOTALL)
    assert m, f"CONTRIBUTING.md has lost its markers <!-- review-index:{lang} --> … <!-- /review-index:{lang} -->"
    block = textwrap.dedent(m.group(1))
    assert block.startswith("```yaml\n---\n") and block.endswith("\n---\n```"), block[:40]
    return block.removeprefix("```yaml\n").removesuffix("\n```")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_guides_review_front_matter_loads_as_a_review(lang, tmp_path):
    folder = tmp_path / "content" / "interventional-hcc"
    folder.mkdir(parents=True)
    (folder / "index.md").write_text(example(lang) + "\n::: zh\n摘要。\n\n::: en\nThe abstract.\n", encoding="utf-8")
    report = Report(root=tmp_path)
    review = load_review(folder, report)
    assert [d.format() for d in report] == []
    assert review is not None and review.authors and review.journal and review.year and review.dates


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_guides_review_front_matter_shows_every_field_of_the_schema(lang):
    text = example(lang)
    for key in [*REVIEW_SCHEMA, *AUTHOR, *REVIEW_SCHEMA["dates"].kind, *REVIEW_SCHEMA["keywords"].kind]:
        assert re.search(rf"(^|[\s{{,#-]){key}:", text, re.MULTILINE), f"the guide's example does not show '{key}'"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_guides_review_front_matter_is_a_real_review(lang):
    """No value of the example is made up: it is the second review's front-matter as it is."""
    real = REAL.read_text(encoding="utf-8").split("\n---\n", 1)[0].removeprefix("---\n")
    assert yaml.safe_load(example(lang).strip("-\n")) == yaml.safe_load(real)
