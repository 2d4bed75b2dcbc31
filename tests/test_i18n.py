"""The interface-string catalogs (generator/i18n/zh.yml and en.yml): every string in both languages."""

from __future__ import annotations

import string

import pytest

from generator import i18n

LANGS = ("zh", "en")


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("lang", LANGS)
def test_a_catalog_maps_keys_to_non_empty_text(lang):
    catalog = i18n.load_catalog(lang)
    assert catalog, f"{lang}.yml is empty"
    for key, text in catalog.items():
        assert isinstance(key, str) and key.isidentifier(), f"{lang}.yml: the key {key!r} is not a plain name"
        assert isinstance(text, str) and text.strip(), f"{lang}.yml: '{key}' has no text"


def test_every_key_has_both_languages():
    zh, en = i18n.load_catalog("zh"), i18n.load_catalog("en")
    assert sorted(set(zh) - set(en)) == [], "keys of zh.yml missing from en.yml"
    assert sorted(set(en) - set(zh)) == [], "keys of en.yml missing from zh.yml"


def test_both_languages_fill_in_the_same_fields():
    """A '{name}' the code fills in is in both texts; only English has the plural ending '{s}'."""
    zh, en = i18n.load_catalog("zh"), i18n.load_catalog("en")
    for key in zh:
        assert fields(zh[key]) - {"s"} == fields(en[key]) - {"s"}, key


def test_no_key_hides_behind_a_dict_method():
    """Templates read ``t.key`` from a dict: a key named like a dict method ('items', 'values') would give
    the method, not the text."""
    for key in i18n.load_catalog("en"):
        assert not hasattr(dict, key), key


def test_strings_and_t_read_the_catalogs():
    assert i18n.t("site_name", "zh") == i18n.load_catalog("zh")["site_name"]
    assert i18n.Strings("en").site_name == i18n.load_catalog("en")["site_name"]
    assert i18n.t("cited_times", "en", n=2, s="s") == "cited 2 times in this review"
