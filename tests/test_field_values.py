"""The allowed values of every enumerated field are listed in CONTRIBUTING.md, in both languages, exactly as the
schema has them (issue 19, item 5): the guide cannot drift from the checker."""

from __future__ import annotations

import pytest

from sitekit import ROOT
from generator.sources import fieldvalues
from generator.sources.records import MEASURES, SETTINGS, UNITS

GUIDE = ROOT / "CONTRIBUTING.md"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_guide_lists_the_allowed_values_of_the_schema(lang):
    listed = fieldvalues.current(GUIDE.read_text(encoding="utf-8"), lang)
    assert listed is not None, f"CONTRIBUTING.md has lost its markers {fieldvalues.markers(lang)}"
    assert listed == fieldvalues.table(lang), (
        "the allowed values in CONTRIBUTING.md differ from the schema: run "
        "`.venv/bin/python -m generator.sources.fieldvalues` and commit CONTRIBUTING.md")


def test_every_enumerated_field_and_value_is_in_the_list():
    table = fieldvalues.table("en")
    for name in ("`endpoints[].measure`", "`endpoints[].unit`", "`category`", "`settings`", "`design`", "`class`",
                 "`endpoints[].status.kind`", "`endpoints[].p`", "`translation`", "`license`"):
        assert name in table
    for value in [*MEASURES, *SETTINGS, *UNITS]:
        assert f"`{value}`" in table
    assert "`HR`（风险比）" in fieldvalues.table("zh")


def test_a_changed_vocabulary_makes_the_guide_out_of_date(monkeypatch):
    guide = GUIDE.read_text(encoding="utf-8")
    monkeypatch.setitem(SETTINGS["first-line"], "en", "1st line")
    assert fieldvalues.current(guide, "en") != fieldvalues.table("en")
    assert fieldvalues.current(fieldvalues.rewrite(guide), "en") == fieldvalues.table("en")
