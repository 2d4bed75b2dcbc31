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
_QUOTE_CMDS = {"mkbibquote", "enquote"}
_ITALIC_SWITCHES = {"em", "it", "itshape", "sl", "slshape"}
_BOLD_SWITCHES = {"bf", "bfseries"}
_IGNORED_SWITCHES = {"rm", "sf", "tt", "sc", "normalfont", "upshape", "mdseries", "rmfamily", "sffamily",
                     "ttfamily", "scshape", "relax", "protect", "noopsort", "nocase", "small", "footnotesize",
                     "large", "Large", "normalsize"}
_LATEX_TOKEN = re.compile(r"\\([A-Za-z]+)[ \t\n]*|\\(.|\Z)|([{}])", re.S)
_MATH_SHIFT = re.compile(r"(?<!\\)\$")
_MATH_SCRIPT = re.compile(r"([\^_])(?:\{([^{}]*)\}|([A-Za-z0-9]))")
# Commands without an argument that stand for text (latexcodec leaves these as commands): rendered, not dropped.
_SYMBOLS = {
    "TeX": "TeX", "LaTeX": "LaTeX", "LaTeXe": "LaTeX2\u03b5", "BibTeX": "BibTeX", "XeTeX": "XeTeX",
    "XeLaTeX": "XeLaTeX", "LuaTeX": "LuaTeX", "LuaLaTeX": "LuaLaTeX", "AmSTeX": "AmSTeX", "ConTeXt": "ConTeXt",
    "dots": "\u2026", "ldots": "\u2026", "textellipsis": "\u2026", "textmu": "\u03bc", "micro": "\u00b5",
    "pm": "\u00b1", "textpm": "\u00b1", "mp": "\u2213", "times": "\u00d7", "texttimes": "\u00d7",
    "div": "\u00f7", "cdot": "\u00b7", "le": "\u2264", "leq": "\u2264", "ge": "\u2265", "geq": "\u2265",
    "neq": "\u2260", "ne": "\u2260", "approx": "\u2248", "sim": "\u223c", "infty": "\u221e",
    "to": "\u2192", "rightarrow": "\u2192", "leftarrow": "\u2190", "uparrow": "\u2191",
    "downarrow": "\u2193", "textdegree": "\u00b0", "degree": "\u00b0", "circ": "\u2218",
    "textless": "<", "textgreater": ">", "textbar": "|", "textbackslash": "\\", "textasciitilde": "~",
    "textasciicircum": "^", "textunderscore": "_", "textbraceleft": "{", "textbraceright": "}",
    "textquoteleft": "\u2018", "textquoteright": "\u2019", "textquotedblleft": "\u201c",
    "textquotedblright": "\u201d", "textquotesingle": "'", "textquotedbl": '"', "textendash": "\u2013",
    "textemdash": "\u2014", "textbullet": "\u2022", "textperiodcentered": "\u00b7", "textregistered": "\u00ae",
    "texttrademark": "\u2122", "textcopyright": "\u00a9", "copyright": "\u00a9", "S": "\u00a7",
    "P": "\u00b6", "euro": "\u20ac", "texteuro": "\u20ac", "pounds": "\u00a3", "textdollar": "$",
    "textpercent": "%", "textasteriskcentered": "*", "dag": "\u2020", "ddag": "\u2021",
    "guillemotleft": "\u00ab", "guillemotright": "\u00bb", "textsection": "\u00a7", "i": "\u0131",
    "j": "\u0237", "ss": "\u00df", "o": "\u00f8", "O": "\u00d8", "ae": "\u00e6", "AE": "\u00c6",
    "oe": "\u0153", "OE": "\u0152", "aa": "\u00e5", "AA": "\u00c5", "l": "\u0142", "L": "\u0141",
    "quad": " ", "qquad": " ", "space": " ", "enspace": " ", "thinspace": "\u2009", "nobreakspace": "\u00a0",
    "alpha": "\u03b1", "beta": "\u03b2", "gamma": "\u03b3", "delta": "\u03b4", "epsilon": "\u03b5",
    "varepsilon": "\u03b5", "zeta": "\u03b6", "eta": "\u03b7", "theta": "\u03b8", "iota": "\u03b9",
    "kappa": "\u03ba", "lambda": "\u03bb", "mu": "\u03bc", "nu": "\u03bd", "xi": "\u03be", "pi": "\u03c0",
    "rho": "\u03c1", "sigma": "\u03c3", "tau": "\u03c4", "upsilon": "\u03c5", "phi": "\u03c6",
    "varphi": "\u03c6", "chi": "\u03c7", "psi": "\u03c8", "omega": "\u03c9", "Gamma": "\u0393",
    "Delta": "\u0394", "Theta": "\u0398", "Lambda": "\u039b", "Xi": "\u039e", "Pi": "\u03a0",
    "Sigma": "\u03a3", "Upsilon": "\u03a5", "Phi": "\u03a6", "Psi": "\u03a8", "Omega": "\u03a9",
}
# Commands whose argument is kept (their formatting is not reproduced; nothing written is lost).
_ARGUMENT_KEPT = {"textsc", "textrm", "textsf", "texttt", "textup", "textmd", "textnormal", "mbox", "hbox",
                  "text", "mathrm", "mathsf", "mathtt", "mathcal", "mathbb", "emph", "uppercase", "lowercase",
                  "MakeUppercase", "MakeLowercase", "foreignlanguage", "hyphenation", "ensuremath", "url",
                  "href", "nolinkurl", "path", "textnormal", "enquote", "mkbibquote", "mkbibemph", "mkbibitalic",
                  "mkbibbold", "NoCaseChange", "noop", "lowercase", "underline", "textsubscript", "sub",
                  "textsuperscript", "sup", "mathit", "textit", "textsl", "textem", "textbf", "mathbf"}
_BARE_PERCENT = re.compile(r"(?<!\\)%")
_CONTROL_SPACE = re.compile(r"(\\[A-Za-z]+)\\ ")
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
            if cmd in _SYMBOLS:
                # TeX eats the spaces after a command: "The \\TeX book" is "The TeXbook" ("\\TeX\\ book" and
                # "\\TeX{} book" keep the space)
                buf.append(_SYMBOLS[cmd])
                continue
            if not has_arg:
                continue  # \relax, an unknown symbol (reported by unrendered_commands when refs.bib is read)
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
            elif cmd in _QUOTE_CMDS:
                parts.append(Text("\u201c", *inner, "\u201d"))
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
        decoded = codecs.decode(_prepare(value), "ulatex")
    except Exception:  # latexcodec is lenient; a field must never stop the build
        decoded = value
    decoded = _SPACES.sub(" ", _math_as_text(decoded)).strip()
    parts, _ = _read_group(decoded, 0, False)
    result = Text(*parts)
    if len(_RICH_CACHE) < 50_000:
        _RICH_CACHE[value] = result
    return result


def latex_to_plain(value: str | None) -> str:
    return _SPACES.sub(" ", render_text(latex_to_rich(value))).strip()


def _math_as_text(decoded: str) -> str:
    """``$...$`` left by latexcodec: the delimiters dropped, ``^{2}`` and ``_{50}`` as super- and subscripts."""
    if "$" not in decoded:
        return decoded
    pieces = _MATH_SHIFT.split(decoded)
    if len(pieces) % 2 == 0:
        return decoded  # an odd number of $: not math, kept as written
    for k in range(1, len(pieces), 2):
        pieces[k] = _MATH_SCRIPT.sub(
            lambda m: ("\\textsuperscript{" if m.group(1) == "^" else "\\textsubscript{")
            + (m.group(2) if m.group(2) is not None else m.group(3)) + "}", pieces[k])
    return "".join(pieces)


def literal_percent(value: str) -> str:
    """A bare ``%`` in a field is a percent sign, on the site as in the downloads (LaTeX would read the rest of
    the line as a comment; latexcodec does the same): it is read as ``\\%``."""
    return _BARE_PERCENT.sub(r"\\%", value) if "%" in value else value


def _prepare(value: str) -> str:
    """The value for latexcodec: bare ``%`` escaped, and a control space after a command ("\\TeX\\ book") kept
    as a space (latexcodec makes it a plain space, which the command would eat)."""
    value = literal_percent(value)
    if "\\ " in value:
        value = _CONTROL_SPACE.sub(r"\1{} ", value)
    return value


_COMMAND = re.compile(r"\\([A-Za-z]+)")


def unrendered_commands(value: str | None) -> list[tuple[str, bool]]:
    """The commands of a field value that are neither decoded, nor rendered, nor known for their argument, each
    name once, in order, with whether it has an argument (``\\foobar{x}``: the argument is shown as plain text;
    ``\\foo`` alone: the text it stands for is lost)."""
    if not value or "\\" not in value:
        return []
    try:
        decoded = codecs.decode(_prepare(value), "ulatex")
    except Exception:
        decoded = value
    out: dict[str, bool] = {}
    for m in _COMMAND.finditer(decoded):
        name = m.group(1)
        if (name in _SYMBOLS or name in _ARGUMENT_KEPT or name in _ITALIC_SWITCHES or name in _BOLD_SWITCHES
                or name in _IGNORED_SWITCHES or name in _ITALIC_CMDS or name in _BOLD_CMDS):
            continue
        rest = decoded[m.end():].lstrip(" \t\n")
        if name not in out:
            out[name] = rest.startswith("{") and not rest.startswith("{}")
    return list(out.items())

