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

Besides the styles, this module holds the helpers that turn BibTeX field values into rich text
(:func:`latex_to_rich`), person strings into :class:`pybtex.database.Person` objects (:func:`make_person`) and
identifiers into links (:func:`entry_links`); :mod:`generator.bibliography` uses them.
"""

from __future__ import annotations

import codecs
import re
from html import escape as _html_escape
from urllib.parse import quote, urlsplit

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
from pybtex.backends.html import Backend as _PybtexHtmlBackend
from pybtex.backends.plaintext import Backend as _PybtexTextBackend
from pybtex.database import Entry, Person
from pybtex.richtext import HRef, String, Tag, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle
from pybtex.style.template import FieldIsMissing, first_of, join, node, optional

__all__ = [
    "GBT7714Style",
    "HtmlBackend",
    "TextBackend",
    "VancouverStyle",
    "entry_links",
    "has_cjk",
    "is_chinese_entry",
    "is_registry_record",
    "latex_to_plain",
    "latex_to_rich",
    "make_person",
    "render_html",
    "render_text",
]

# Han ideographs (incl. extensions and compatibility forms), kana and hangul: names in these scripts are written
# family name first and are never abbreviated to initials.
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]")
CHINESE_LANGUAGES = {"chinese", "zh", "zh-cn", "zh-hans", "zh-hant", "zh-tw", "zh-hk", "cn", "中文", "mandarin"}


def has_cjk(text: str | None) -> bool:
    return bool(text) and _CJK.search(text) is not None


# ---------------------------------------------------------------------------------------------------------------
# Backends
# ---------------------------------------------------------------------------------------------------------------


class HtmlBackend(_PybtexHtmlBackend):
    """pybtex's HTML backend, minus two things we do not want.

    * Braced groups render as plain text: pybtex wraps them in ``<span class="bibtex-protected">`` because its
      styles change case; ours never do, so the braces only protect against other tools.
    * The ``href`` attribute is escaped (pybtex inserts the URL verbatim, so a ``"`` in a URL would break out of
      the attribute) and never opens a new window.
    """

    def format_protected(self, text):
        return text

    def format_href(self, url, text, external=False):
        return f'<a href="{_html_escape(url, quote=True)}">{text}</a>' if text else ""


class TextBackend(_PybtexTextBackend):
    """pybtex's plain-text backend (braced groups are already plain there)."""


_HTML = HtmlBackend()
_TEXT = TextBackend()


def render_html(text: Text) -> str:
    return text.render(_HTML)


def render_text(text: Text) -> str:
    return text.render(_TEXT)


# ---------------------------------------------------------------------------------------------------------------
# LaTeX field values -> pybtex rich text
# ---------------------------------------------------------------------------------------------------------------
#
# pybtex's own Text.from_latex() decodes accents with latexcodec and turns braces into Protected parts, but leaves
# every other command as literal text ("\textit in vivo"). We keep its first step (latexcodec) and replace the
# second with a small brace/command reader that knows the handful of formatting commands found in reference
# lists and drops any other command while keeping its argument.

_ITALIC_CMDS = {"textit", "emph", "textsl", "mathit", "textem"}
_BOLD_CMDS = {"textbf", "mathbf"}
_SUP_CMDS = {"textsuperscript", "sup"}
_SUB_CMDS = {"textsubscript", "sub"}
_ITALIC_SWITCHES = {"em", "it", "itshape", "sl", "slshape"}
_BOLD_SWITCHES = {"bf", "bfseries"}
_IGNORED_SWITCHES = {"rm", "sf", "tt", "sc", "normalfont", "upshape", "mdseries", "rmfamily", "sffamily",
                     "ttfamily", "scshape", "relax", "protect", "noopsort", "nocase", "small", "footnotesize",
                     "large", "Large", "normalsize"}
_LATEX_TOKEN = re.compile(r"\\([A-Za-z]+)[ \t\n]*|\\(.|\Z)|([{}])", re.S)
_SPACES = re.compile(r"[ \t\r\n]+")
# \\ (a line break), \, \; \<space> (spaces), \/ (italic correction), \- (hyphenation point), a lone final \
_ESCAPED = {"\\": " ", ",": "\u2009", ";": " ", " ": " ", "/": "", "-": "", "\n": " ", "": ""}


def _read_group(s: str, i: int, closing: bool) -> tuple[list, int]:
    """Read rich-text parts from ``s[i:]`` up to the matching ``}`` (when ``closing``) or the end."""
    parts: list = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            chunk = "".join(buf)
            buf.clear()
            if chunk:
                parts.append(String(chunk))

    n = len(s)
    while i < n:
        m = _LATEX_TOKEN.search(s, i)
        if m is None:
            buf.append(s[i:])
            i = n
            break
        buf.append(s[i:m.start()])
        i = m.end()
        brace, escaped, cmd = m.group(3), m.group(2), m.group(1)
        if brace == "{":
            flush()
            inner, i = _read_group(s, i, True)
            if inner:
                parts.append(Text(*inner))
        elif brace == "}":
            if closing:
                flush()
                return parts, i
            # an unmatched closing brace: drop it
        elif escaped is not None:
            # \{ \} \& \% \_ \# \$ and \\ (a line break), \, \; \  (spaces), \/ (italic correction), \- (hyphenation)
            buf.append(_ESCAPED.get(escaped, escaped))
        else:
            flush()
            has_arg = i < n and s[i] == "{"
            if cmd in _ITALIC_SWITCHES or cmd in _BOLD_SWITCHES:
                # {\em text}: the rest of the current group
                rest, i = _read_group(s, i, closing)
                if rest:
                    parts.append(Tag("em" if cmd in _ITALIC_SWITCHES else "strong", *rest))
                return parts, i
            if not has_arg:
                continue  # \relax, \LaTeX, an unknown symbol: drop the command
            if cmd == "href":
                # \href{url}{text}: keep the text
                _, i = _read_group(s, i + 1, True)
                if i < n and s[i] == "{":
                    inner, i = _read_group(s, i + 1, True)
                    parts.append(Text(*inner))
                continue
            inner, i = _read_group(s, i + 1, True)
            if not inner:
                continue
            if cmd in _ITALIC_CMDS:
                parts.append(Tag("em", *inner))
            elif cmd in _BOLD_CMDS:
                parts.append(Tag("strong", *inner))
            elif cmd in _SUP_CMDS:
                parts.append(Tag("sup", *inner))
            elif cmd in _SUB_CMDS:
                parts.append(Tag("sub", *inner))
            elif cmd == "url":
                # latexcodec turned "~" into a no-break space: undo that inside a URL
                parts.append(String(str(Text(*inner)).replace("\xa0", "~")))
            else:
                parts.append(Text(*inner))
    flush()
    return parts, i


_RICH_CACHE: dict[str, Text] = {}


def latex_to_rich(value: str | None) -> Text:
    """A BibTeX field value (LaTeX) as pybtex rich text: accents decoded, braces removed, case unchanged,
    ``\\textit``/``\\emph`` as ``<em>``. Never raises."""
    if not value:
        return Text()
    cached = _RICH_CACHE.get(value)
    if cached is not None:
        return cached
    try:
        decoded = codecs.decode(value, "ulatex")
    except Exception:  # latexcodec is lenient; a field must never stop the build
        decoded = value
    decoded = _SPACES.sub(" ", decoded).strip()
    parts, _ = _read_group(decoded, 0, False)
    result = Text(*parts)
    if len(_RICH_CACHE) < 50_000:
        _RICH_CACHE[value] = result
    return result


def latex_to_plain(value: str | None) -> str:
    return _SPACES.sub(" ", render_text(latex_to_rich(value))).strip()


# ---------------------------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------------------------


def _top_level_commas(name: str) -> int:
    depth = 0
    count = 0
    for ch in name:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            count += 1
    return count


def make_person(raw: str) -> Person:
    """A :class:`Person` from a name as written in the .bib.

    BibTeX reads "张 三" (no comma) as given name 张, family name 三. A Chinese (Japanese, Korean) name is written
    family name first, so without a comma the first word is taken as the family name ("张 三" -> 张 + 三).
    """
    raw = raw.strip()
    if has_cjk(raw) and _top_level_commas(raw) == 0:
        words = raw.split()
        if len(words) > 1:
            return Person(last=words[0], first=" ".join(words[1:]))
    return Person(raw)


def _is_others(person: Person) -> bool:
    return (
        person.last_names == ["others"]
        and not person.first_names
        and not person.middle_names
        and not person.prelast_names
        and not person.lineage_names
    )


def _plain_parts(parts: list[str]) -> list[str]:
    return [p for p in (latex_to_plain(x) for x in parts) if p]


def _initials(given_parts: list[str], sep: str) -> str:
    """"R. S." -> "RS" / "R S"; "Ann-Lii" -> "AL" / "A L"; "RS" (already initials) stays "RS" / "R S"."""
    letters: list[str] = []
    for part in given_parts:
        plain = latex_to_plain(part)
        # initials written together without periods ("RS"): keep every letter
        bare = plain.replace(".", "")
        if bare.isalpha() and bare.isupper() and 1 < len(bare) <= 3 and "." not in plain[:-1]:
            letters.extend(bare)
            continue
        for piece in re.split(r"[-\u2010\u2011.\s]+", plain):
            for ch in piece:
                if ch.isalnum():
                    letters.append(ch.upper())
                    break
    return sep.join(letters)


def _format_person(person: Person, initials_sep: str) -> str:
    """Family name (with von part and Jr), then initials; CJK names whole, family name first, no space."""
    last = _plain_parts(person.last_names)
    prelast = _plain_parts(person.prelast_names)
    given = person.first_names + person.middle_names
    lineage = _plain_parts(person.lineage_names)
    everything = " ".join(person.prelast_names + person.last_names + given + person.lineage_names)
    if has_cjk(everything):
        return "".join(prelast + last + _plain_parts(given) + lineage).replace(" ", "")
    family = " ".join(prelast + last)
    parts = [family] if family else []
    initials = _initials(given, initials_sep)
    if initials:
        parts.append(initials)
    parts.extend(lineage)
    # a corporate author written in braces ({SIR Foundation}) has no given names: it is printed verbatim
    return " ".join(parts)


def _person_lists(entry: Entry, role: str) -> tuple[list[Person], bool]:
    """The real persons of a role and whether the list ends in ``and others``."""
    persons = list(entry.persons.get(role, []))
    others = any(_is_others(p) for p in persons)
    return [p for p in persons if not _is_others(p)], others


# ---------------------------------------------------------------------------------------------------------------
# Entry properties shared by both styles
# ---------------------------------------------------------------------------------------------------------------


def _field(entry: Entry, name: str) -> str:
    value = entry.fields.get(name)
    if value is None or not str(value).strip():
        raise FieldIsMissing(name, entry)
    return str(value).strip()


def _field_or_none(entry: Entry, name: str) -> str | None:
    value = entry.fields.get(name)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def is_chinese_entry(entry: Entry) -> bool:
    """A Chinese-language entry: CJK characters in the title, journal or names, or language/langid Chinese."""
    for name in ("language", "langid"):
        lang = _field_or_none(entry, name)
        if lang and lang.strip().lower() in CHINESE_LANGUAGES:
            return True
    for name in ("title", "journal", "booktitle"):
        if has_cjk(_field_or_none(entry, name)):
            return True
    for persons in entry.persons.values():
        for p in persons:
            if has_cjk(" ".join(p.first_names + p.middle_names + p.prelast_names + p.last_names)):
                return True
    return False


_NCT = re.compile(r"^NCT\d{8}$", re.I)


def is_registry_record(entry: Entry) -> bool:
    """A ClinicalTrials.gov registry record (a @misc pointing at clinicaltrials.gov)."""
    if entry.type not in ("misc", "online", "electronic", "www"):
        return False
    for name in ("organization", "howpublished", "publisher", "institution"):
        value = _field_or_none(entry, name)
        if value and "clinicaltrials.gov" in value.lower():
            return True
    url = _field_or_none(entry, "url")
    if url and "clinicaltrials.gov" in url.lower():
        return True
    registry = _field_or_none(entry, "registry")
    return bool(registry and _NCT.match(registry))


def _clean_doi(doi: str) -> str:
    doi = doi.strip()
    doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.I)
    return doi


def doi_url(doi: str) -> str:
    return "https://doi.org/" + quote(_clean_doi(doi), safe="/:;()[]._-~!$&'*+,=@")


def pubmed_url(pmid: str) -> str | None:
    pmid = pmid.strip()
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid.isdigit() else None


def _pmc_url(pmcid: str) -> str | None:
    pmcid = pmcid.strip().upper()
    if not pmcid.startswith("PMC"):
        pmcid = "PMC" + pmcid
    return f"https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/" if pmcid[3:].isdigit() else None


def safe_url(url: str | None) -> str | None:
    """The URL when it is an http(s) or ftp address (never ``javascript:`` and the like), else None."""
    if not url:
        return None
    url = url.strip()
    m = re.fullmatch(r"\\url\{(.*)\}", url)
    if m:
        url = m.group(1)
    url = url.replace(" ", "%20")
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https", "ftp") or not parts.netloc:
        return None
    return url


def _url_label(url: str) -> str:
    host = urlsplit(url).netloc.lower()
    if host == "clinicaltrials.gov" or host.endswith(".clinicaltrials.gov"):
        return "ClinicalTrials.gov"
    return "URL"


def entry_links(entry: Entry) -> list[tuple[str, str]]:
    """[("DOI", url), ("PubMed", url), ("PMC", url), ("ClinicalTrials.gov" | "URL", url)] for the entry."""
    links: list[tuple[str, str]] = []
    doi = _field_or_none(entry, "doi")
    if doi and _clean_doi(doi):
        links.append(("DOI", doi_url(doi)))
    pmid = _field_or_none(entry, "pmid")
    if pmid and pubmed_url(pmid):
        links.append(("PubMed", pubmed_url(pmid)))
    pmcid = _field_or_none(entry, "pmcid")
    if pmcid and _pmc_url(pmcid):
        links.append(("PMC", _pmc_url(pmcid)))
    url = safe_url(_field_or_none(entry, "url"))
    if url:
        links.append((_url_label(url), url))
    else:
        registry = _field_or_none(entry, "registry")
        if registry and _NCT.match(registry):
            links.append(("ClinicalTrials.gov", f"https://clinicaltrials.gov/study/{registry.upper()}"))
    return links


def _pages(entry: Entry) -> str:
    """Page range with a plain hyphen ("1894--1905" -> "1894-1905")."""
    value = latex_to_plain(_field(entry, "pages"))
    value = re.sub(r"\s*[\u2010-\u2015\u2212-]+\s*", "-", value)
    if not value:
        raise FieldIsMissing("pages", entry)
    return value


def _issue(entry: Entry) -> str | None:
    return _field_or_none(entry, "number") or _field_or_none(entry, "issue")


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
        if period and getattr(child, "name", None) != "bare":
            text = text.add_period()
        out.append(text)
    return Text(" ").join(out)


@node
def unidentified_note(children, context):
    note = _field_or_none(context["entry"], "note")
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
        return [optional[latex("note")], doi_link(), pmid_link(), bare["Available from: ", url_link()]]

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
        return blocks[self._who(), latex("title"), latex("journal"), latex("howpublished"),
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
        return [optional[latex("note")], doi_link(prefix="DOI: "), pmid_link(), url_link()]

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
        # "原综述参考文献 [12]，未能识别。" then the note as written (English in our .bib), nothing added to it
        return blocks[bare[Text(f"原综述参考文献 [{n}]，未能识别。"), optional[unidentified_note()]],
                      doi_link(prefix="DOI: "), pmid_link(), url_link()]
