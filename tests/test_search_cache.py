"""The search entry cache (generator/site/search.py, EntryCache): a rebuild takes unchanged entries from
the cache, gives the same index as a build without it, and rewrites only what changed."""

from __future__ import annotations

import json

import pytest

from sitekit import ROOT
from generator.site import search
from generator.site import searchdict


@pytest.fixture(scope="module")
def lexicon():
    return searchdict.load(ROOT / "content")


def merged(*texts: str) -> dict:
    docs = [{"location": f"zh/s/#p{i}", "title": f"第{i}节", "text": f"<p>{t}</p>"} for i, t in enumerate(texts)]
    docs += [{"location": f"en/s/#p{i}", "title": f"Part {i}", "text": "<p>TACE plus lenvatinib</p>"}
             for i in range(len(texts))]
    return {"config": {"lang": ["en"], "separator": "[\\s]+"}, "docs": docs}


def test_a_rebuild_from_the_cache_gives_the_same_index(tmp_path, lexicon, monkeypatch):
    data = merged("TACE联合仑伐替尼", "帕博利珠单抗")
    fresh = search.build_indexes(data, lexicon)  # no cache
    first = search.build_indexes(data, lexicon, tmp_path)
    assert json.dumps(first, sort_keys=True) == json.dumps(fresh, sort_keys=True)

    def must_not_run(*args, **kwargs):
        raise AssertionError("an unchanged entry was rewritten again")
    monkeypatch.setattr(search.IndexBuilder, "entry", must_not_run)
    again = search.build_indexes(data, lexicon, tmp_path)
    assert json.dumps(again, sort_keys=True) == json.dumps(fresh, sort_keys=True)


def test_only_changed_entries_are_rewritten_and_removed_ones_are_forgotten(tmp_path, lexicon, monkeypatch):
    search.build_indexes(merged("TACE联合仑伐替尼", "帕博利珠单抗"), lexicon, tmp_path)
    rewritten = []
    real = search.IndexBuilder.entry

    def counting(self, doc, lang, location):
        rewritten.append(location)
        return real(self, doc, lang, location)
    monkeypatch.setattr(search.IndexBuilder, "entry", counting)
    search.build_indexes(merged("TACE联合仑伐替尼"), lexicon, tmp_path)  # the second part was removed
    assert rewritten == []
    search.build_indexes(merged("经动脉化疗栓塞"), lexicon, tmp_path)  # the first part was edited
    assert rewritten == ["s/#p0"]
    (cache,) = tmp_path.glob("search-*.json")
    assert len(json.loads(cache.read_text(encoding="utf-8"))) == 2  # the edited part in both languages
