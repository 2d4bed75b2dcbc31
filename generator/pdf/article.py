"""One built page of the site, read for the PDF: its article (``<article class="md-content__inner">``) and
its published address (:class:`Built`), and the article re-emitted for the PDF (:class:`ArticleRewriter`):
web-only parts dropped, ids made unique per section, links pointed inside the PDF (or, for the rest of
the site, at the published address), images at local files, citations glued to the text before them,
charts sized to the page with the text's fonts."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Callable

from .engine import PdfError

ARTICLE = re.compile(r'<article\b[^>]*class="[^"]*\bmd-content__inner\b[^"]*"[^>]*>(?P<body>.*?)</article>', re.S)
CANONICAL = re.compile(r'<link\b[^>]*rel="canonical"[^>]*href="(?P<href>[^"]+)"|'
                       r'<link\b[^>]*href="(?P<href2>[^"]+)"[^>]*rel="canonical"')
REVIEW_META = re.compile(r'<div class="review-meta">(?P<body>.*?)</div>', re.S)
HEADING = re.compile(r"h[1-6]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
        "param"}
# Web-only parts of an article: the edit button, page tools (parallel view, downloads), permalinks,
# the landing page's metadata (it goes on the cover) and section list (the PDF has its own contents),
# and each page's partial reference list (the PDF has the complete one).
SKIP_CLASSES = {"md-content__button", "page-tools", "headerlink", "md-source-file", "review-meta", "toc-sections",
                "reflist", "cite-card", "chart-narrow", "chart-hint"}  # a chart's phone drawing: the wide one is printed
REF_ID = re.compile(r"ref-\d+")
# Elements whose tags are dropped but whose text is kept: an abbreviation's title is a tooltip on the
# web, nothing on paper, and each <abbr> costs WeasyPrint a separate inline box in the line breaking.
UNWRAP = {"abbr"}
# Charts are inline SVG with a generic font family: with it fontconfig picks DejaVu and the Japanese
# shapes of the CJK fonts. In the PDF they get the explicit families of the text.
SVG_FONTS = {"zh": "'Noto Sans CJK SC', sans-serif", "en": "'Liberation Sans', 'Noto Sans CJK SC', sans-serif"}
SVG_MAX_WIDTH = 640.0  # CSS px: the text width of an A4 page with 20 mm margins (170 mm)
# Punctuation that must not start a line: it stays with the citation before it.
CLOSING = set("，。、；：！？）》」』】〕,.;:!?)]")


@dataclass
class Built:
    """One built page of the site: its article HTML and its published address."""
    url: str  # site-relative, 'zh/ici-hcc/ici-monotherapy/'
    article: str
    canonical: str | None

    @classmethod
    def read(cls, site_dir: Path, url: str) -> "Built":
        path = site_dir / url / "index.html"
        if not path.exists():
            raise PdfError(f"the built page {path} is missing: build the site first (python -m generator build)")
        text = path.read_text(encoding="utf-8")
        m = ARTICLE.search(text)
        if m is None:
            raise PdfError(f"{path} has no <article class=\"md-content__inner\">: the theme template changed?")
        c = CANONICAL.search(text)
        canonical = html.unescape(c.group("href") or c.group("href2")) if c else None
        return cls(url, m.group("body"), canonical)


@dataclass
class Heading:
    level: int
    id: str
    text: str


class ArticleRewriter(HTMLParser):
    """One page's article, re-emitted for the PDF: web-only parts dropped, ids prefixed with the part's
    name (``p1`` of every section would clash), links pointed inside the PDF, images at local files."""

    def __init__(self, prefix: str, *, link: Callable[[str], tuple[str | None, bool]],
                 src: Callable[[str], str], skip_heading_ids: set[str] = frozenset(), drop_h1: bool = False,
                 replace_from: dict[str, str] | None = None, lang: str = "en"):
        super().__init__(convert_charrefs=True)
        self.lang = lang
        self._svg = 0  # depth inside inline SVG
        self.prefix = prefix
        self.link = link
        self.src = src
        self.skip_heading_ids = skip_heading_ids
        self.drop_h1 = drop_h1
        self.out: list[str] = []
        self.headings: list[Heading] = []
        self._skip: list[Any] = []  # [tag, depth] while inside a dropped element
        self._heading: list[Any] | None = None  # [level, id, text parts]
        self._raw = False
        self._count = 0
        self._ids: set[str] = set()
        self._cite: int = 0  # span depth inside a citation being glued to the text around it
        self._glue_after = False  # a citation was just closed: the next punctuation joins it
        self.replace_from = replace_from or {}  # heading id -> HTML that replaces the rest of the article
        self._stopped = False
        self._replacement: str | None = None

    # ids -----------------------------------------------------------------------------------------
    def pid(self, value: str) -> str:
        return f"{self.prefix}--{value}"

    def _frag(self, value: str) -> str:
        return re.sub(r"url\(#([^)\s]+)\)", lambda m: f"url(#{self.pid(m.group(1))})", value)

    def _skipped(self, tag: str, attrs: dict[str, str | None]) -> bool:
        classes = set((attrs.get("class") or "").split())
        if classes & SKIP_CLASSES or tag == "script":
            return True
        if HEADING.fullmatch(tag) and (attrs.get("id") or "") in self.skip_heading_ids:
            return True
        return self.drop_h1 and tag == "h1"

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> str:
        original = self.get_starttag_text() or ""
        changed = False
        new: list[tuple[str, str | None]] = []
        extra_class = ""
        for name, value in attrs:
            if value is None:
                new.append((name, value))
                continue
            v = value
            if name == "id":
                v = self.pid(value)
                if v in self._ids:  # a page's duplicate id: the second one would not be a link target anyway
                    v = f"{v}-{len(self._ids)}"
                self._ids.add(v)
            elif name == "for":
                v = self.pid(value)
            elif name in ("aria-labelledby", "aria-describedby", "headers"):
                v = " ".join(self.pid(x) for x in value.split())
            elif name in ("href", "xlink:href"):
                target, site = self.link(value)
                if target is None:
                    changed = True
                    continue
                v = target
                if site:
                    extra_class = "site-link"
            elif name == "download":
                changed = True
                continue
            elif name == "src" and tag != "script":
                v = self.src(value)
            elif name == "font-family" and (self._svg or tag == "svg"):
                v = SVG_FONTS.get(self.lang, SVG_FONTS["en"])
            elif tag == "svg" and not self._svg and name in ("width", "height", "style") and _svg_box(attrs):
                # an explicit size that fits the text width: WeasyPrint draws a chart with 'height: auto' in
                # a box of the original height, the caption far below it
                w, h = _svg_box(attrs)
                scale = min(1.0, SVG_MAX_WIDTH / w)
                if name == "style":
                    changed = True
                    continue
                v = f"{(w if name == 'width' else h) * scale:.1f}"
            elif "url(#" in value:
                v = self._frag(value)
            changed |= v != value
            new.append((name, v))
        if HEADING.fullmatch(tag) and not any(n == "id" for n, _ in new):
            self._count += 1
            new.append(("id", self.pid("title" if tag == "h1" else f"h{self._count}")))
            changed = True
        if extra_class:
            for i, (n, v) in enumerate(new):
                if n == "class":
                    new[i] = (n, f"{v} {extra_class}")
                    break
            else:
                new.append(("class", extra_class))
            changed = True
        if not changed:
            return original
        attr_text = "".join(f" {n}" if v is None else f' {n}="{html.escape(v, quote=True)}"' for n, v in new)
        return f"<{tag}{attr_text}{' /' if closed else ''}>"

    # parser events ---------------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if self._stopped:
            return
        if self._skip:
            if tag == self._skip[0] and not closed and tag not in VOID:
                self._skip[1] += 1
            return
        if tag in UNWRAP:
            return
        d = dict(attrs)
        if self._skipped(tag, d):
            if not closed and tag not in VOID:
                self._skip = [tag, 1]
            return
        self._unglue()
        if HEADING.fullmatch(tag) and d.get("id") in self.replace_from:
            self._replacement = self.replace_from[d["id"] or ""]  # after this heading, the rest is replaced
        text = self._tag(tag, attrs, closed)
        if self._cite:
            self._cite += tag == "span" and not closed
        elif tag == "span" and "cite" in (d.get("class") or "").split():
            self._glue_before()
            self._cite = 1
        self.out.append(text)
        if tag == "svg" and not closed:
            self._svg += 1
        self._raw = tag in ("style",) and not closed
        if HEADING.fullmatch(tag) and not closed:
            hid = re.search(r'\sid="([^"]*)"', text)
            self._heading = [int(tag[1]), html.unescape(hid.group(1)) if hid else "", []]

    def handle_endtag(self, tag: str) -> None:
        if self._stopped:
            return
        if self._skip:
            if tag == self._skip[0]:
                self._skip[1] -= 1
                if self._skip[1] == 0:
                    self._skip = []
            return
        if tag in VOID or tag in UNWRAP:
            return
        self._unglue()
        self._raw = False
        if self._heading is not None and HEADING.fullmatch(tag):
            level, hid, parts = self._heading
            self.headings.append(Heading(level, hid, " ".join("".join(parts).split())))
            self._heading = None
            if self._replacement is not None:
                self.out.append(f"</{tag}>\n{self._replacement}")
                self._stopped = True
                return
        self.out.append(f"</{tag}>")
        if tag == "svg" and self._svg:
            self._svg -= 1
        if self._cite and tag == "span":
            self._cite -= 1
            if not self._cite:
                self._glue_after = True

    def _glue_before(self) -> None:
        """Open a no-break span around the last character before a citation, and the space after it if any:
        neither '...格局[4-7]' nor '...of the trial [5].' breaks before the citation."""
        if self.out and not self.out[-1].startswith("<"):
            text = self.out[-1]
            m = re.search(r"(&[a-z]+;|&#\d+;|[^\s<>&])(\s*)$", text)
            if m:
                self.out[-1] = text[: m.start()]
                self.out.append(f'<span class="nobr">{m.group(1)}{" " if m.group(2) else ""}')
                return
        self.out.append('<span class="nobr">')

    def _unglue(self) -> None:
        if self._glue_after:
            self._glue_after = False
            self.out.append("</span>")

    def handle_data(self, data: str) -> None:
        if self._skip or self._stopped:
            return
        if self._heading is not None:
            self._heading[2].append(data)
        if self._glue_after:
            self._glue_after = False
            n = 0
            while n < len(data) and data[n] in CLOSING:
                n += 1
            self.out.append(html.escape(data[:n], quote=False) + "</span>")
            data = data[n:]
        self.out.append(self._frag(data) if self._raw else html.escape(data, quote=False))

    def handle_comment(self, data: str) -> None:
        pass

    def rewrite(self, text: str) -> str:
        self.feed(text)
        self.close()
        self._unglue()
        return "".join(self.out).strip()


def _svg_box(attrs: list[tuple[str, str | None]]) -> tuple[float, float] | None:
    """The width and height of an <svg> given in plain numbers (CSS px), else None."""
    d = dict(attrs)
    try:
        w, h = float(d.get("width") or ""), float(d.get("height") or "")
    except ValueError:
        return None
    return (w, h) if w > 0 and h > 0 else None
