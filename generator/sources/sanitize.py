"""Contributor HTML: the one allowlist, applied by nh3 and described to the contributor.

Content is data, never code. Everything a contributor writes that becomes HTML (the blocks of the
sections, landing pages and glossary, the notes of the records, their footnotes, headings, admonition
titles, attribute lists, tables) is converted by Markdown and then passed through :func:`clean`: nh3,
the Python binding of the Rust sanitizer ammonia, with the allowlist below. The generator's own markup
(citations, charts, tables of the records, reference lists) is made by templates and never passes
through here (generator/sources/regions.py says where contributor HTML starts and ends in a page).

Nothing is stripped silently: :func:`inspect` says what :func:`clean` removes, with what to write
instead, and both the checker (``python -m generator check``) and the build report it as an error.
The allowlist is written once, here; nh3 enforces it and :func:`removals` describes it, reading the
HTML with an HTML5 parser (tinyhtml5, which WeasyPrint already brings) the way a browser does.

The rules, and why:

* tags: text structure only (paragraphs, lists, tables, emphasis, code, quotations, details,
  footnotes, images). Nothing that runs code (script), loads another page or media (iframe, object,
  embed, audio, video, picture/source), changes where the page's links and scripts come from (base),
  reloads or redirects (meta), styles (style, link), submits (form, input), or draws (svg, math: the
  records draw charts; foreign content is where sanitizer bypasses live);
* attributes: no event handlers, no ``style`` (a style can load a file with ``url()``, and the site's
  Content-Security-Policy refuses inline styles), nothing that loads a file besides ``<img src>``
  (``srcset``, ``poster``, ``background``, ``data``...), no ``name`` and no ``data-*`` (the theme's
  script reads those);
* addresses: a link (``<a href>``) goes to ``http``, ``https``, ``mailto`` or a page of this site; an
  image (``<img src>``) is a file of this site (or a PNG, JPEG, GIF or WebP written out as a ``data:``
  address): a reader's browser never asks another site for anything;
* classes: those Markdown itself writes (admonitions, details, footnotes, highlighted code); never one
  that makes the theme load a script (``mermaid``: mkdocs-material fetches Mermaid from unpkg.com);
* ids: start with a letter or a digit (the theme's own ids start with ``_``: ``__config`` holds its
  settings, and an element of the text with that id would replace them).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

from ..diagnostics import printable

# ---------------------------------------------------------------------------------------------------------------
# The allowlist
# ---------------------------------------------------------------------------------------------------------------

TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
    "var", "wbr",
})
# Removed with everything inside them (their content is code, another document, or a drawing).
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "template", "noscript", "iframe", "noembed", "noframes", "xmp", "textarea", "title",
    "svg", "math", "object", "select",
})
GLOBAL_ATTRIBUTES = frozenset({"id", "title", "lang", "dir", "class"})
ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "abbr": frozenset({"tabindex"}),  # the glossary's tooltips: one keyboard stop per term
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "th": frozenset({"colspan", "rowspan", "scope"}),
    "td": frozenset({"colspan", "rowspan"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "time": frozenset({"datetime"}),
    "details": frozenset({"open"}),
}
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
URL_SCHEMES = LINK_SCHEMES | {"data"}  # nh3's first filter; data: only for an image (attribute_value)

ADMONITIONS = frozenset({
    "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important", "success", "check", "done",
    "question", "help", "faq", "warning", "caution", "attention", "failure", "fail", "missing", "danger", "error",
    "bug", "example", "quote", "cite", "editor", "inline", "end",
})
# Pygments' short token classes (highlighted code in fenced blocks).
_PYGMENTS = frozenset(
    "bp c c1 ch cm cp cpf cs dl err esc fm g gd ge ges gh gi go gp gr gs gt gu hll il k kc kd kn kp kr kt l ld m "
    "mb mf mh mi mo n na nb nc nd ne nf ni nl nn no nt nv nx o ow p pm py s s1 s2 sa sb sc sd se sh si sr ss sx "
    "vc vg vi vm w x".split())
CLASSES: dict[str, frozenset[str]] = {
    "div": ADMONITIONS | {"admonition", "footnote", "highlight"},
    "details": ADMONITIONS,
    "p": frozenset({"admonition-title"}),
    "a": frozenset({"footnote-ref", "footnote-backref"}),
    "span": _PYGMENTS,
    "th": frozenset({"align-left", "align-center", "align-right"}),  # table alignment (regions.TableAlign)
    "td": frozenset({"align-left", "align-center", "align-right"}),
}
_CODE_LANGUAGE = re.compile(r"language-[a-z0-9_+#.-]+")
SCRIPTED_CLASSES = {"mermaid": "it makes the theme load the Mermaid script from another site (unpkg.com)"}

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]*")
_LANG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
_NUMBER = re.compile(r"[0-9]{1,4}")
_VALUES = {
    "dir": {"ltr", "rtl", "auto"},
    "scope": {"row", "col", "rowgroup", "colgroup"},
    "type": {"1", "a", "A", "i", "I"},
    "tabindex": {"0"},
}


# ---------------------------------------------------------------------------------------------------------------
# Values: one function, used by nh3 (attribute_filter) and by the description alike
# ---------------------------------------------------------------------------------------------------------------

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,", re.I)


def url_of(value: str) -> str:
    """An address as a browser reads it: spaces and control characters around it dropped, tabs and line
    breaks inside it removed (so that 'java&#9;script:' is 'javascript:')."""
    return re.sub(r"[\t\n\r]", "", value.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f"
                                                "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "))


def scheme_of(value: str) -> str | None:
    m = _SCHEME.match(url_of(value))
    return m.group(1).lower() if m else None


def off_site(value: str) -> bool:
    """'//host/x' (and its backslash spellings) has no scheme but leads to another host."""
    return url_of(value)[:2].replace("\\", "/") == "//"


def class_tokens(tag: str, value: str) -> tuple[list[str], list[str]]:
    """(kept, refused) class names of an element."""
    kept, refused = [], []
    allowed = CLASSES.get(tag, frozenset())
    for token in value.split():
        ok = token in allowed or (tag == "code" and _CODE_LANGUAGE.fullmatch(token) and "mermaid" not in token)
        (kept if ok else refused).append(token)
    return kept, refused


def attribute_value(tag: str, attr: str, value: str) -> str | None:
    """The value an allowed attribute keeps, or None when it is removed."""
    if attr == "class":
        kept, _ = class_tokens(tag, value)
        return " ".join(kept) if kept else None
    if attr == "href":
        scheme = scheme_of(value)
        ok = scheme in LINK_SCHEMES if scheme else not off_site(value)
        return value if ok else None
    if attr == "src":  # images are files of this site, or pictures written out (data:, no request)
        if scheme_of(value) == "data":
            return value if _DATA_IMAGE.match(url_of(value)) else None
        return value if scheme_of(value) is None and not off_site(value) else None
    if attr == "id":
        return value if _ID.fullmatch(value) else None
    if attr == "lang":
        return value if _LANG.fullmatch(value) else None
    if attr in ("width", "height", "start", "value", "colspan", "rowspan", "span"):
        return value if _NUMBER.fullmatch(value) else None
    if attr in _VALUES:
        return value if value in _VALUES[attr] else None
    return value  # title, alt, datetime, open, reversed: text


def allowed_attribute(tag: str, attr: str) -> bool:
    return attr in GLOBAL_ATTRIBUTES or attr in ATTRIBUTES.get(tag, ())


def _relative(url: str) -> str | None:
    return None if off_site(url) else url


_CLEANER = nh3.Cleaner(
    tags=set(TAGS), clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={"*": set(GLOBAL_ATTRIBUTES), **{t: set(a) for t, a in ATTRIBUTES.items()}},
    attribute_filter=attribute_value, url_schemes=set(URL_SCHEMES), url_relative=_relative,
    link_rel=None, strip_comments=True,
)


def clean(fragment: str) -> str:
    """Contributor HTML as it may be published."""
    return _CLEANER.clean(fragment)


_TEXT_CLEANER = nh3.Cleaner(tags=set(), clean_content_tags=set(DROPPED_WITH_CONTENT), attributes={},
                            link_rel=None, strip_comments=True)


def clean_text(fragment: str) -> str:
    """HTML that may hold text only (a title in the navigation or the table of contents)."""
    return _TEXT_CLEANER.clean(fragment)


# ---------------------------------------------------------------------------------------------------------------
# What clean() removes, and what to write instead
# ---------------------------------------------------------------------------------------------------------------

_TAG_HINTS = {
    **dict.fromkeys(("script", "noscript", "template"), "it could run code; write the text in Markdown"),
    **dict.fromkeys(("iframe", "frame", "frameset", "object", "embed", "applet", "audio", "video", "picture",
                     "source", "track", "canvas", "portal", "noembed", "noframes"),
                    "it would load another site's page or media in the reader's browser; link to it instead: "
                    "[text](https://...)"),
    **dict.fromkeys(("svg", "math"), "a drawing in the text is not allowed; a chart of the records is a "
                    "```records block with 'chart:', a picture is a file of the site: ![description](img/file.png)"),
    **dict.fromkeys(("style", "link"), "it could run code or load another site's page; the look of the "
                    "text comes from the site's stylesheet: write the text in Markdown"),
    **dict.fromkeys(("base", "meta"), "it could run code or load another site's page (it changes where the "
                    "page's links and scripts come from, or sends the reader elsewhere); remove it"),
    **dict.fromkeys(("form", "input", "button", "select", "textarea", "option", "label", "fieldset", "output",
                     "dialog"), "forms and controls could run code or send the reader's input elsewhere; remove it"),
}
_LOADING = {"srcset", "poster", "background", "data", "codebase", "formaction", "action", "xlink:href", "ping",
            "lowsrc", "dynsrc", "longdesc", "manifest", "cite", "usemap", "imagesrcset", "preload"}


@dataclass(frozen=True)
class Removal:
    """One thing :func:`clean` removes. ``kind``: tag | endtag | attribute | url | class | value | comment |
    rewrite."""
    kind: str
    tag: str = ""
    attr: str = ""
    value: str = ""

    @property
    def message(self) -> str:
        tag, attr, value = self.tag, self.attr, self.value
        shown = printable(value, 60)
        if self.kind == "tag":
            hint = _TAG_HINTS.get(tag, "the HTML allowed in content is listed in CONTRIBUTING.md; write the text "
                                       "in Markdown")
            return f"raw HTML <{tag}> is not allowed in content: {hint}"
        if self.kind == "endtag":
            return (f"the end tag </{tag}> closes no element and is not published: remove it, or write it as text "
                    f"in backticks (`</{tag}>`) or as &lt;/{tag}&gt;")
        if self.kind == "comment":
            return ("an HTML comment (<!-- ... -->) is not published: remove it (notes to other editors belong in "
                    "the pull request)")
        if self.kind == "attribute":
            if attr.startswith("on"):
                return (f"the HTML attribute '{attr}' (an event handler that runs code) is not allowed in content: "
                        "remove it")
            if attr == "style":
                return ("the HTML attribute 'style' is not allowed in content: the look of the text comes from the "
                        "site's stylesheet (a style can load files from other sites with url()); remove it")
            if attr in _LOADING or attr.startswith("xlink:"):
                return (f"the HTML attribute '{attr}' on <{tag}> is not allowed in content: it would make the "
                        "reader's browser load a file, possibly from another site; show a picture with "
                        "![description](img/file.png)")
            allowed = sorted(GLOBAL_ATTRIBUTES | ATTRIBUTES.get(tag, frozenset()))
            return (f"the HTML attribute '{attr}' on <{tag}> is not allowed in content: remove it "
                    f"(allowed on <{tag}>: {', '.join(allowed)})")
        if self.kind == "url":
            scheme = scheme_of(value)
            if attr == "src":
                return (f"remote image '{shown}': the site loads nothing from other servers and the PDFs cannot "
                        "include it; save the image in the review's folder (e.g. img/figure-1.png) and write "
                        "![description](img/figure-1.png)")
            if scheme:
                return (f"a '{scheme}:' address is not allowed in content: link to an http(s) page or to another "
                        "section instead")
            return (f"the address '{shown}' leads to another site without saying how: write the whole address, "
                    "https://...")
        if self.kind == "class":
            why = SCRIPTED_CLASSES.get(value, "classes come from Markdown itself (admonitions, footnotes, code)")
            return f"the class '{printable(value, 40)}' on <{tag}> is not allowed in content: {why}; remove it"
        if self.kind == "value":
            if attr == "id":
                return (f"the id '{shown}' is not allowed in content: an id starts with a letter or a digit and "
                        "holds letters, digits, '-', '_', '.' or ':' (ids starting with '_' belong to the theme)")
            return f"the value '{shown}' of the HTML attribute '{attr}' on <{tag}> is not allowed in content"
        return ("this HTML is not well-formed: the sanitizer would rewrite it; close every tag you open, or write "
                "the text in Markdown")


def _local(tag) -> str | None:
    if not isinstance(tag, str):
        return None  # a comment
    return tag.rsplit("}", 1)[-1].lower()


def _foreign(tag: str) -> bool:
    return tag.startswith("{") and not tag.startswith("{http://www.w3.org/1999/xhtml}")


def _fragment(text: str) -> etree.Element:
    # here, not at the top: the checker with a warm cache parses no HTML, and importing tinyhtml5 is 11-14 ms
    # of its CPU (measured)
    from tinyhtml5.parser import HTMLParser as HTML5Parser

    return HTML5Parser(namespace_html_elements=False).parse_fragment(text, container="div")


def removals(fragment: str) -> list[Removal]:
    """What :func:`clean` removes from ``fragment``, in document order, read as a browser reads HTML."""
    out: list[Removal] = []

    def walk(el: etree.Element) -> None:
        for child in el:
            name = _local(child.tag)
            if name is None:
                out.append(Removal("comment"))
                continue
            if name not in TAGS:
                out.append(Removal("tag", name))
                if name not in DROPPED_WITH_CONTENT and not _foreign(child.tag):
                    walk(child)
                continue
            for attr, value in child.attrib.items():
                attr = attr.rsplit("}", 1)[-1].lower() if attr.startswith("{") else attr.lower()
                if not allowed_attribute(name, attr):
                    out.append(Removal("attribute", name, attr, value))
                    continue
                if attr == "class":
                    out.extend(Removal("class", name, attr, tok) for tok in class_tokens(name, value)[1])
                elif attribute_value(name, attr, value) is None:
                    out.append(Removal("url" if attr in ("href", "src") else "value", name, attr, value))
            walk(child)

    walk(_fragment(fragment))
    return out


# ---------------------------------------------------------------------------------------------------------------
# Did clean() change anything? (cheap first, exact when needed)
# ---------------------------------------------------------------------------------------------------------------

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


class _Tokens(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[tuple] = []

    def _text(self, data: str) -> None:
        if self.out and self.out[-1][0] == "t":
            self.out[-1] = ("t", self.out[-1][1] + data)
        else:
            self.out.append(("t", data))

    def handle_starttag(self, tag, attrs):
        self.out.append(("s", tag, tuple(sorted((k, v or "") for k, v in attrs))))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag not in _VOID:
            self.out.append(("e", tag))

    def handle_data(self, data):
        self._text(data)

    def handle_comment(self, data):
        self.out.append(("c", data))

    def unknown_decl(self, data):
        self.out.append(("d", data))

    def handle_decl(self, decl):
        self.out.append(("d", decl))

    def handle_pi(self, data):
        self.out.append(("d", data))


def _tokens(text: str) -> list[tuple]:
    p = _Tokens()
    p.feed(text)
    p.close()
    return p.out


def _tree(text: str) -> list[tuple]:
    out: list[tuple] = []

    def walk(el: etree.Element) -> None:
        if el.text:
            out.append(("t", el.text))
        for child in el:
            if isinstance(child.tag, str):
                out.append(("s", child.tag, tuple(sorted(child.attrib.items()))))
                walk(child)
                out.append(("e", child.tag))
            else:
                out.append(("c", child.text))
            if child.tail:
                out.append(("t", child.tail))

    walk(_fragment(text))
    merged: list[tuple] = []
    for item in out:
        if item[0] == "t" and merged and merged[-1][0] == "t":
            merged[-1] = ("t", merged[-1][1] + item[1])
        else:
            merged.append(item)
    return merged


def inspect(fragment: str) -> tuple[str, list[Removal]]:
    """(the fragment as :func:`clean` publishes it, what that removed)."""
    cleaned = clean(fragment)
    if cleaned == fragment or _tokens(cleaned) == _tokens(fragment):
        return cleaned, []
    found = removals(fragment)
    if not found:
        found = stray_end_tags(fragment, cleaned)
    if not found and _tree(cleaned) != _tree(fragment):
        found = [Removal("rewrite")]
    return cleaned, found


def stray_end_tags(fragment: str, cleaned: str) -> list[Removal]:
    """End tags that close nothing: a browser ignores them, so the HTML5 tree (:func:`removals`) does not
    show them, but :func:`clean` drops them from the text ('P <details/open>x</details>' loses its
    '</details>'). One removal per end tag dropped, in document order."""
    kept = Counter(t[1] for t in _tokens(cleaned) if t[0] == "e")
    out: list[Removal] = []
    for t in _tokens(fragment):
        if t[0] != "e":
            continue
        if kept[t[1]] > 0:
            kept[t[1]] -= 1
        else:
            out.append(Removal("endtag", t[1]))
    return out


# ---------------------------------------------------------------------------------------------------------------
# Titles: text only
# ---------------------------------------------------------------------------------------------------------------


def text_markup(text: str) -> bool:
    """Whether a text field (a title) holds HTML markup, which it would show as code instead of text."""
    return html.unescape(clean_text(text)) != html.unescape(text)


def title_problem(value: object) -> str | None:
    """A title (of a review, a section, the glossary) is text: markup in it is shown as code."""
    if isinstance(value, str) and text_markup(value):
        return (f"the title holds HTML markup ('{printable(value, 80)}'): a title is plain text, shown "
                "as written in the navigation, the headings and the PDFs; remove the markup")
    return None


# ---------------------------------------------------------------------------------------------------------------
# Text fields of the records: plain text
# ---------------------------------------------------------------------------------------------------------------

_MD_LINK = re.compile(r"!?\[[^\]\n]*\]\([^)\n]*\)")
_ATTRIBUTE = re.compile(r"[\"'][\s/]*[A-Za-z][\w:-]*\s*=\s*[\"']")


def plain_text_problem(value: object) -> str | None:
    """A text field of a record (a name, a population, a status...) is plain text, shown escaped as written:
    markup in it would reach the reader as code. None when the value is plain text (or not text)."""
    if not isinstance(value, str):
        return None
    if text_markup(value):
        what = "HTML markup"
    elif _ATTRIBUTE.search(value):
        what = "HTML attribute markup (quote, name=, quote)"
    elif _MD_LINK.search(value):
        what = "a Markdown link"
    else:
        return None
    return (f"this text holds {what} ('{printable(value, 80)}'): the text fields of a record are plain text, "
            "shown as written (no HTML tags, no attributes, no Markdown links); write the words alone (a link "
            "or a source belongs in refs.bib, cited from the record's notes)")
