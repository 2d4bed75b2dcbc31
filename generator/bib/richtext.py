"""BibTeX field values as pybtex rich text, and rich text as HTML or plain text.

pybtex's own ``Text.from_latex()`` leaves every command but accents as literal text ("\\textit in vivo");
:func:`latex_to_rich` reads the formatting commands found in reference lists (italics, bold, super- and
subscripts) and drops any other command while keeping its argument. The HTML backend does not wrap
braced groups in ``<span class="bibtex-protected">`` (our styles never change case) and escapes link
addresses. Also: :func:`has_cjk`, whether a text is written in Chinese (Japanese, Korean) script.
"""

from __future__ import annotations

import codecs
import re
from html import escape as _html_escape

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
from pybtex.backends.html import Backend as _PybtexHtmlBackend
from pybtex.backends.plaintext import Backend as _PybtexTextBackend
from pybtex.richtext import String, Tag, Text

# Han ideographs (incl. extensions and compatibility forms), kana and hangul: names in these scripts are written
# family name first and are never abbreviated to initials.
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]")


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
