"""Finding names in running text (generator/sources/names.py): the matching rules, and the index that keeps the
work proportional to the text rather than to texts x names."""

from __future__ import annotations

from generator.sources.names import NameIndex, normal


def test_spaces_and_hyphens_are_interchangeable_and_may_be_left_out():
    index = NameIndex(["CheckMate 040"])
    for text in ("in CheckMate 040,", "in CheckMate-040.", "in checkmate040 "):
        assert index.counts(text) == {"CheckMate 040": 1}, text


def test_names_match_whole_words_only():
    index = NameIndex(["EACH", "LEAP-012"])
    assert index.counts("EACHES and LEAP-0123") == {}
    assert index.counts("EACH (LEAP-012)") == {"EACH": 1, "LEAP-012": 1}


def test_acronyms_can_keep_their_case():
    index = NameIndex(["EACH", "lenvatinib"], acronyms_keep_case=True)
    assert index.counts("each patient got Lenvatinib") == {"lenvatinib": 1}
    assert index.counts("the EACH trial") == {"EACH": 1}


def test_chinese_names_are_found_inside_chinese_text():
    index = NameIndex(["仑伐替尼", "经动脉化疗栓塞"])
    assert index.counts("TACE联合仑伐替尼与仑伐替尼单药") == {"仑伐替尼": 2}


def test_the_longest_name_wins_where_names_overlap():
    index = NameIndex(["TACE plus lenvatinib", "TACE plus lenvatinib and pembrolizumab"])
    found = [m.name for m in index.longest_matches("TACE plus lenvatinib and pembrolizumab; TACE plus lenvatinib")]
    assert found == ["TACE plus lenvatinib and pembrolizumab", "TACE plus lenvatinib"]


def test_names_sharing_a_word_are_not_all_tried_on_a_text_naming_one_of_them():
    names = [f"CARES-{n:03d}" for n in range(200)]
    index = NameIndex(names)
    assert index.candidates("results of CARES-017 were") == ["CARES-017"]


def test_two_spellings_of_a_name_normalise_alike():
    assert normal("CheckMate-040") == normal("checkmate 040") == "checkmate040"
