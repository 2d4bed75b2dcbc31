"""Reference styles for the two languages of the site, as pybtex formatting plugins.

* :class:`VancouverStyle` (``vancouver``, English pages): ICMJE / NLM "Vancouver" style.
* :class:`GBT7714Style` (``gbt7714``, Chinese pages): GB/T 7714-2015, numeric system.

Both are ordinary :class:`pybtex.style.formatting.BaseStyle` subclasses built from pybtex's template nodes
(``join``, ``optional``, ``first_of``, ``href``, ``tag`` ...), so ``pybtex --style vancouver`` works too. They avoid
the traps of pybtex's built-in styles (see shared/notes/ecosystem-facts.md):

* titles keep their case exactly as written (the built-in styles lower-case them);
* ``and others`` becomes "et al." / "等" (the built-in styles print "others");
* ``\\textit{...}`` and ``\\emph{...}`` become italics (pybtex's ``Text.from_latex`` leaves the command as text);
* Chinese names keep family name first and are never reduced to initials;
* the HTML backend does not wrap braced groups in ``<span class="bibtex-protected">``.

Field values become rich text in generator/bib/richtext.py (:func:`latex_to_rich`); persons, fields and
identifiers are read in generator/bib/entries.py (:func:`make_person`, :func:`entry_links`). A new style is a
subclass of :class:`_ReferenceStyle` here, chosen by language in ``generator.bib.bibliography._style`` and
registered under ``pybtex.style.formatting`` in pyproject.toml.
"""

from __future__ import annotations

import re

from pybtex.database import Entry, Person
from pybtex.richtext import HRef, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle
from pybtex.style.template import FieldIsMissing, first_of, join, node, optional

from ..i18n import t

from .entries import (_clean_doi, _field, _field_or_none, _format_person, _issue, _pages, _person_lists, doi_url,
                      is_chinese_entry, is_registry_record, pubmed_url, safe_url)
from .richtext import latex_to_plain, latex_to_rich

__all__ = ["GBT7714Style", "VancouverStyle"]


# ---------------------------------------------------------------------------------------------------------------
# Template nodes shared by both styles
# ---------------------------------------------------------------------------------------------------------------


@node
def latex(children, context, name):
    """A field as rich text (LaTeX decoded, case kept)."""
    text = latex_to_rich(_field(context["entry"], name))
    if not text:
        raise FieldIsMissing(name, context["entry"])
    return text


@node
def plain(children, context, name):
    """A field as plain text (identifiers, numbers)."""
    return Text(latex_to_plain(_field(context["entry"], name)))


@node
def pages(children, context):
    return Text(_pages(context["entry"]))


@node
def volume_issue(children, context):
    """"382(20)", "382", "(20)"."""
    entry = context["entry"]
    volume = _field_or_none(entry, "volume")
    issue = _issue(entry)
    text = latex_to_plain(volume) if volume else ""
    if issue:
        text += f"({latex_to_plain(issue)})"
    if not text:
        raise FieldIsMissing("volume", entry)
    return Text(text)


@node
def persons(children, context, role, limit, et_al, sep=", ", suffix=None):
    """The names of a role, ``limit`` at most, then ``et_al``; ``and others`` counts as more names."""
    entry = context["entry"]
    style = context["style"]
    people, others = _person_lists(entry, role)
    if not people:
        raise FieldIsMissing(role, entry)
    names = [style.format_person(p) for p in people]
    more = others or len(names) > limit
    names = [n for n in names[:limit] if n]
    if not names:
        raise FieldIsMissing(role, entry)
    text = sep.join(names)
    if more:
        text += sep + (et_al(entry) if callable(et_al) else et_al)
    if suffix:
        text += suffix(len(people)) if callable(suffix) else suffix
    return Text(text)


@node
def doi_link(children, context, prefix="doi:"):
    doi = _clean_doi(_field(context["entry"], "doi"))
    if not doi:
        raise FieldIsMissing("doi", context["entry"])
    return Text(prefix, HRef(doi_url(doi), doi))


@node
def pmid_link(children, context, prefix="PMID: "):
    pmid = _field(context["entry"], "pmid")
    url = pubmed_url(pmid)
    return Text(prefix, HRef(url, pmid) if url else pmid)


@node
def url_link(children, context, prefix=""):
    raw = _field(context["entry"], "url")
    url = safe_url(raw)
    return Text(prefix, HRef(url, url) if url else latex_to_plain(raw))


@node
def bare(children, context):
    """A block that :func:`blocks` does not end with a period (a URL)."""
    return join[children].format_data(context)


@node
def blocks(children, context, period=True):
    """Join the children with spaces, each ending with a period; a child with a missing field is left out."""
    out = []
    for child in children:
        try:
            text = child.format_data(context) if hasattr(child, "format_data") else Text(child)
        except FieldIsMissing:
            continue
        if not text:
            continue
        if period and getattr(child, "name", None) != "bare" and not text.endswith("。"):
            text = text.add_period()
        out.append(text)
    return Text(" ").join(out)


UNVERIFIED_FIELDS = ("authors", "title", "journal", "year", "volume", "pages")


def unverified_words(value: str, lang: str) -> str:
    """refs.bib 'unverified = {authors, title}' in the reader's language: 'Authors and title not verified' /
    '作者和题名未经核实' (a name outside UNVERIFIED_FIELDS is written as given)."""
    names = [n.strip().lower() for n in re.split(r"[,;]|\band\b", value) if n.strip()]
    words = [t(f"unverified_{n}", lang) if n in UNVERIFIED_FIELDS else n for n in names]
    if not words:
        return ""
    fields = words[0] if len(words) == 1 else (
        t("unverified_list_sep", lang).join(words[:-1]) + t("unverified_list_and", lang) + words[-1])
    text = t("unverified_sentence", lang, fields=fields)
    return text[:1].upper() + text[1:]


@node
def unverified_note(children, context, lang="en"):
    """The fields of the reference that were not verified (the 'unverified' field), in the style's language: a
    Chinese sentence ends with a full-width full stop (not the style's ASCII one, which :func:`blocks` then leaves off)."""
    raw = _field_or_none(context["entry"], "unverified")
    if not raw:
        raise FieldIsMissing("unverified", context["entry"])
    words = unverified_words(latex_to_plain(raw), lang)
    return Text(words + t("punct_period", lang) if lang == "zh" and words else words)


@node
def unidentified_note(children, context, translated=None):
    """What the source review cites the unidentified reference for: the ``translated`` field (``note_zh``: the
    note in the page's language) where the entry has one, else ``note``."""
    note = (_field_or_none(context["entry"], translated) if translated else None) or _field_or_none(context["entry"], "note")
    if not note:
        raise FieldIsMissing("note", context["entry"])
    return latex_to_rich(note)


class _ReferenceStyle(BaseStyle):
    """Common dispatch: unidentified entries, registry records, then one template per entry type."""

    default_label_style = "number"
    default_name_style = "plain"
    default_sorting_style = "none"

    initials_sep = ""

    def format_person(self, person: Person) -> str:
        return _format_person(person, self.initials_sep)

    def format_entry(self, label, entry, bib_data=None):
        context = {"entry": entry, "style": self, "bib_data": bib_data}
        if _field_or_none(entry, "unidentified"):
            template = self.get_unidentified_template(entry)
        elif is_registry_record(entry):
            template = self.get_registry_template(entry)
        else:
            getter = getattr(self, f"get_{entry.type}_template", None) or self.get_misc_template
            template = getter(entry)
        text = template.format_data(context)
        if not text:
            text = Text(entry.key or "")
        return FormattedEntry(entry.key, text, label)


# ---------------------------------------------------------------------------------------------------------------
# Vancouver (ICMJE / NLM)
# ---------------------------------------------------------------------------------------------------------------


@node
def vancouver_source(children, context):
    """"2020;382(20):1894-1905" with whatever is present: "2021", "2020:580241", "382(20):1894-1905"."""
    entry = context["entry"]
    text = ""
    year = _field_or_none(entry, "year")
    if year:
        text = latex_to_plain(year)
        month = _field_or_none(entry, "month")
        if month:
            text += " " + latex_to_plain(month)[:3]
    try:
        vi = str(volume_issue.format_data(context))
    except FieldIsMissing:
        vi = ""
    if vi:
        text = f"{text};{vi}" if text else vi
    try:
        pg = _pages(entry)
    except FieldIsMissing:
        pg = ""
    if pg:
        text = f"{text}:{pg}" if text else pg
    if not text:
        raise FieldIsMissing("year", entry)
    return Text(text)


@node
def vancouver_publication(children, context, sep="; "):
    """"Address: Publisher; Year"."""
    entry = context["entry"]
    place = join(sep=": ")[optional[latex("address")], first_of[
        optional[latex("publisher")], optional[latex("school")], optional[latex("institution")],
        optional[latex("organization")]]].format_data(context)
    return join(sep=sep)[place, optional[plain("year")]].format_data(context) or _missing(entry)


def _missing(entry):
    raise FieldIsMissing("publisher", entry)


def _editors_suffix(n: int) -> str:
    return ", editors" if n > 1 else ", editor"


class VancouverStyle(_ReferenceStyle):
    """ICMJE "Vancouver" style (NLM Citing Medicine), as used for the English pages.

    ``Finn RS, Qin S, Ikeda M, et al. Title. N Engl J Med. 2020;382(20):1894-1905. doi:10.1056/NEJMoa1915745.``
    """

    initials_sep = ""
    max_names = 6

    def _who(self):
        return first_of[
            optional[persons("author", self.max_names, "et al.")],
            optional[persons("editor", self.max_names, "et al.", suffix=_editors_suffix)],
            optional[latex("organization")],
        ]

    def _ids(self):
        return [optional[latex("note")], optional[unverified_note(lang="en")], doi_link(), pmid_link(),
                bare["Available from: ", url_link()]]

    def get_article_template(self, e):
        return blocks[self._who(), latex("title"), latex("journal"), vancouver_source(), *self._ids()]

    def get_book_template(self, e):
        return blocks[self._who(), latex("title"), join[latex("edition"), " ed"], vancouver_publication(),
                      join["p. ", pages()], *self._ids()]

    def get_inproceedings_template(self, e):
        return blocks[self._who(), latex("title"), join["In: ", latex("booktitle")], vancouver_publication(),
                      join["p. ", pages()], *self._ids()]

    get_conference_template = get_inproceedings_template

    def get_incollection_template(self, e):
        return blocks[
            optional[persons("author", self.max_names, "et al.")], latex("title"),
            join["In: ", join(sep=". ")[
                optional[persons("editor", self.max_names, "et al.", suffix=_editors_suffix)],
                latex("booktitle")]],
            vancouver_publication(), join["p. ", pages()], *self._ids()]

    get_inbook_template = get_incollection_template

    def get_phdthesis_template(self, e):
        return blocks[self._who(), join[latex("title"), " [dissertation]"], vancouver_publication(), *self._ids()]

    def get_mastersthesis_template(self, e):
        return blocks[self._who(), join[latex("title"), " [master's thesis]"], vancouver_publication(),
                      *self._ids()]

    def get_thesis_template(self, e):
        return self.get_phdthesis_template(e)

    def get_techreport_template(self, e):
        return blocks[self._who(), latex("title"), vancouver_publication(), join["Report No.: ", latex("number")],
                      *self._ids()]

    get_report_template = get_techreport_template

    def get_misc_template(self, e):
        # a title in another language is followed by its English rendering, if given (Vancouver: 'Title [English]')
        title = join[latex("title"), optional[join[" [", latex("title_en"), "]"]]]
        return blocks[self._who(), title, latex("journal"), latex("howpublished"),
                      first_of[optional[vancouver_publication()], optional[plain("year")]], *self._ids()]

    def get_registry_template(self, e):
        # ClinicalTrials.gov. Title. Available from: URL
        return blocks[first_of[optional[latex("organization")], optional[self._who()], Text("ClinicalTrials.gov")],
                      latex("title"), doi_link(), bare["Available from: ", url_link()]]

    def get_unidentified_template(self, e):
        n = latex_to_plain(_field(e, "unidentified"))
        return blocks[Text(f"Reference [{n}] of the source review, not identified"), unidentified_note(),
                      doi_link(), pmid_link(), bare["Available from: ", url_link()]]


# ---------------------------------------------------------------------------------------------------------------
# GB/T 7714-2015
# ---------------------------------------------------------------------------------------------------------------

DOCUMENT_CODES = {
    "article": "J",
    "book": "M",
    "inbook": "M",
    "incollection": "M",
    "inproceedings": "C",
    "conference": "C",
    "proceedings": "C",
    "phdthesis": "D",
    "mastersthesis": "D",
    "thesis": "D",
    "techreport": "R",
    "report": "R",
}


def document_code(entry: Entry) -> str:
    """[J] article, [M] book, [C] conference paper, [D] thesis, [R] report, [EB/OL] online misc, [Z] other."""
    code = DOCUMENT_CODES.get(entry.type)
    if code:
        return code
    if entry.type in ("misc", "online", "electronic", "www") and safe_url(_field_or_none(entry, "url")):
        return "EB/OL"
    return "Z"


def _gbt_et_al(entry: Entry) -> str:
    return "等" if is_chinese_entry(entry) else "et al."


@node
def gbt_title(children, context, after=None):
    """"Title[J]" (and "//Booktitle" for a part of a book or proceedings)."""
    entry = context["entry"]
    title = latex_to_rich(_field(entry, "title"))
    if not title:
        raise FieldIsMissing("title", entry)
    text = Text(title, f"[{document_code(entry)}]")
    if after is not None:
        try:
            container = after.format_data(context)
        except FieldIsMissing:
            container = Text()
        if container:
            text = Text(text, "//", container)
    return text


@node
def gbt_source(children, context):
    """"N Engl J Med, 2020, 382(20): 1894-1905" with whatever is present."""
    entry = context["entry"]
    head = join(sep=", ")[optional[latex("journal")], optional[plain("year")], optional[volume_issue()]]
    return _then_pages(head.format_data(context), entry, "journal")


@node
def gbt_publication(children, context):
    """"Address: Publisher, Year: Pages"."""
    entry = context["entry"]
    place = join(sep=": ")[optional[latex("address")], first_of[
        optional[latex("publisher")], optional[latex("school")], optional[latex("institution")],
        optional[latex("organization")]]].format_data(context)
    return _then_pages(join(sep=", ")[place, optional[plain("year")]].format_data(context), entry, "publisher")


def _then_pages(text, entry, required: str):
    """'<text>: <pages>' with whatever is present; nothing at all is a missing ``required`` field."""
    try:
        pg = _pages(entry)
    except FieldIsMissing:
        pg = ""
    if pg:
        text = Text(text, ": ", pg) if text else Text(pg)
    if not text:
        raise FieldIsMissing(required, entry)
    return text


class GBT7714Style(_ReferenceStyle):
    """GB/T 7714-2015 (numeric), as used for the Chinese pages.

    ``Finn R S, Qin S, Ikeda M, et al. Title[J]. N Engl J Med, 2020, 382(20): 1894-1905. DOI: 10.1056/...``
    """

    initials_sep = " "
    max_names = 3

    def _who(self):
        return first_of[
            optional[persons("author", self.max_names, _gbt_et_al)],
            optional[persons("editor", self.max_names, _gbt_et_al)],
            optional[latex("organization")],
        ]

    def _ids(self):
        return [optional[unidentified_note(translated="note_zh")], optional[unverified_note(lang="zh")],
                doi_link(prefix="DOI: "), pmid_link(),
                url_link()]

    def get_article_template(self, e):
        return blocks[self._who(), gbt_title(), gbt_source(), *self._ids()]

    def get_book_template(self, e):
        return blocks[self._who(), gbt_title(), latex("edition"), gbt_publication(), *self._ids()]

    def get_inproceedings_template(self, e):
        return blocks[self._who(), gbt_title(after=latex("booktitle")), gbt_publication(), *self._ids()]

    get_conference_template = get_inproceedings_template
    get_incollection_template = get_inproceedings_template
    get_inbook_template = get_inproceedings_template

    def get_phdthesis_template(self, e):
        return blocks[self._who(), gbt_title(), gbt_publication(), *self._ids()]

    get_mastersthesis_template = get_phdthesis_template
    get_thesis_template = get_phdthesis_template
    get_techreport_template = get_phdthesis_template
    get_report_template = get_phdthesis_template

    def get_misc_template(self, e):
        return blocks[self._who(), gbt_title(), first_of[optional[latex("journal")], optional[latex("howpublished")]],
                      first_of[optional[gbt_publication()], optional[plain("year")]], *self._ids()]

    def get_registry_template(self, e):
        # ClinicalTrials.gov. Title[EB/OL]. URL.
        return blocks[first_of[optional[latex("organization")], optional[self._who()], Text("ClinicalTrials.gov")],
                      gbt_title(), doi_link(prefix="DOI: "), url_link()]

    def get_unidentified_template(self, e):
        n = latex_to_plain(_field(e, "unidentified"))
        # "原综述参考文献 [12]，未能识别。" then the note in Chinese (note_zh; the English note where there is none)
        return blocks[bare[Text(f"原综述参考文献 [{n}]，未能识别。"), optional[unidentified_note(translated="note_zh")]],
                      doi_link(prefix="DOI: "), pmid_link(), url_link()]
