"""PDF export: each review in each language, and a one-page regimen handout per language.

Made with WeasyPrint from the site's own HTML, so that the web page and the PDF never
disagree: the article of every BUILT page of a review (``site/<lang>/<review>/<section>/
index.html``, the ``<article class="md-content__inner">`` part) is taken in review order,
its ids are made unique per section and its links are pointed inside the PDF (or, for the
rest of the site, at the published address), and the parts are put into a print template
(``templates/pdf/review.html.j2``, autoescaped) with a cover, a table of contents with page
numbers and the review's complete reference list in citation order. The styles are the
site's print stylesheet (``assets/stylesheets/print.css``, also used when a reader prints a
page from the browser) and ``templates/pdf/pdf.css`` for pages, cover, contents and fonts.

Chinese typesetting: explicit Simplified Chinese families (Noto Serif/Sans CJK SC) with
``lang="zh-CN"``; WeasyPrint's default font subsetting (``full_fonts`` maps 血 to a Kangxi
radical in the extracted text); every missing glyph (``.notdef``) or unreachable resource is
a build failure. Reproducible: the dates come from ``SOURCE_DATE_EPOCH`` (else the last
commit), the file identifier from the content, so two exports of one site are identical.

Output, with stable names: ``site/pdf/<review>-<lang>.pdf`` and
``site/pdf/handout-regimens-<lang>.pdf``. Entry points: :func:`export_all` (the plugin's
post-build step and ``python -m generator pdf``) and :func:`downloads` (the landing page's
download buttons).

Cost: the HTML of every PDF is assembled first (cheap); a PDF whose inputs are unchanged since
the last export is copied from ``.cache/pdf``; the others are rendered, one WeasyPrint render
each, with the stylesheets parsed once, in one process per CPU (forked; one process when the
caller runs threads, as ``mkdocs serve`` does). Environment: ``HCC_PDF=0`` skips the export
(e.g. to time the HTML build alone), ``HCC_PDF_CACHE=0`` renders every PDF, ``HCC_PDF_JOBS=n``
sets the number of processes, ``HCC_PDF_DEBUG=1`` prints each render's CPU time.
"""

from __future__ import annotations

import ctypes.util
import datetime
import gc
import hashlib
import html
import importlib.util
import logging
import multiprocessing
import os
import posixpath
import re
import subprocess
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from importlib.metadata import version
from typing import Any, Callable, Protocol
from urllib.parse import unquote, urljoin, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..bib.bibliography import Bibliography
from ..bib.numbering import CitationIndex
from ..diagnostics import Report
from ..i18n import HTML_LANG, OTHER, Strings, t
from ..sources.content import Project, Review
from ..sources.records import CATEGORIES, MEASURES, SETTINGS, UNITS, Records, format_number, load_records
from ..urls import PDF_DIR, handout_pdf, review_pdf

try:  # a failed export stops `mkdocs build` with a message, not a traceback
    from mkdocs.exceptions import PluginError as _Base
except ImportError:  # pragma: no cover
    _Base = Exception

log = logging.getLogger("mkdocs.plugins.bilingual.pdf")


class Model(Protocol):
    """What the export reads of the build's model (generator.pipeline.Model, a stage above, has it)."""
    project: Project
    bib: Bibliography
    citations: CitationIndex
    records: Records | None

LANGS = ("zh", "en")
TEMPLATES = Path(__file__).parent / "templates"
# The Debian packages the export cannot do without (checked as scripts/system_deps.py checks them)
REQUIRED_PACKAGES = ("fonts-noto-cjk", "libharfbuzz-subset0")

RUNNING_TITLE_MAX = {"zh": 48, "en": 95}
DENSITIES = ("", "denser")  # the handout's layouts, tried in turn until it fits on one page


class PdfError(_Base):
    """The PDF export failed (missing system packages, missing glyphs, unreachable resources...)."""


def expected_files(model: Model) -> list[str]:
    out = [review_pdf(r.id, lang) for r in model.project.reviews for lang in LANGS]
    return out + [handout_pdf(lang) for lang in LANGS]


# ---------------------------------------------------------------------------------------------------------------
# Setup checks, dates
# ---------------------------------------------------------------------------------------------------------------


def missing_packages(root: Path) -> list[str]:
    """The required Debian packages that are missing, by the checks of ``scripts/system_deps.py``."""
    script = root / "scripts" / "system_deps.py"
    checks: dict[str, Callable[[], bool]] = {}
    if script.exists():
        spec = importlib.util.spec_from_file_location("_system_deps", script)
        if spec is not None and spec.loader is not None:
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            checks = getattr(module, "PACKAGES", {})
    if not checks:  # pragma: no cover - the script is part of the project
        checks = {
            "fonts-noto-cjk": lambda: Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc").exists(),
            "libharfbuzz-subset0": lambda: ctypes.util.find_library("harfbuzz-subset") is not None,
        }
    return [name for name in REQUIRED_PACKAGES if name in checks and not checks[name]()]


def check_system(root: Path) -> None:
    missing = missing_packages(root)
    if missing:
        raise PdfError(
            "The PDF export needs these Debian packages: " + " ".join(missing) + " (fonts-noto-cjk gives the "
            "Simplified Chinese fonts, libharfbuzz-subset0 fast font subsetting). Install them with\n"
            f"  sudo apt-get install -y {' '.join(missing)}\nor run 'make system-deps'.")


def build_epoch(root: Path) -> int:
    """SOURCE_DATE_EPOCH if set, else the time of the last commit, else now."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return int(value)
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True,
                             timeout=5)
        if out.returncode == 0 and out.stdout.strip().isdigit():
            return int(out.stdout.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    return int(time.time())


# ---------------------------------------------------------------------------------------------------------------
# Reading the built pages
# ---------------------------------------------------------------------------------------------------------------

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
                "reflist", "cite-card"}
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


# ---------------------------------------------------------------------------------------------------------------
# WeasyPrint: one font configuration and one parse of the stylesheets for the whole export
# ---------------------------------------------------------------------------------------------------------------


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _local_fetcher(roots: list[Path]):
    from weasyprint.urls import URLFetcher  # on first render: see Engine

    allowed = [str(r.resolve()) for r in roots]

    class LocalFetcher(URLFetcher):
        """Files of the site and of the templates only: no network, nothing from elsewhere."""

        def fetch(self, url: str, headers: Any = None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = os.path.realpath(unquote(urlsplit(url).path))
                if any(path == r or path.startswith(r + os.sep) for r in allowed):
                    return super().fetch(url, headers)
            raise ValueError(f"the PDF may only use files of the site, not {url}")

    return LocalFetcher()


def stylesheet_paths(site_dir: Path, root: Path) -> list[Path]:
    """The site's print stylesheet (as published, else its source) and the PDF's own."""
    print_css = site_dir / "assets" / "stylesheets" / "print.css"
    if not print_css.exists():
        print_css = root / "site_overrides" / "assets" / "stylesheets" / "print.css"
    return [p for p in (print_css, TEMPLATES / "pdf.css") if p.exists()]


class Engine:
    """WeasyPrint with one font configuration and the stylesheets parsed once, for every PDF of an export."""

    def __init__(self, site_dir: Path, root: Path):
        # WeasyPrint is imported when a PDF is rendered, not at the top: its import takes 0.9 s (measured), which
        # a build whose PDFs are all unchanged (taken from .cache/pdf) and the checker never pay.
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.fetcher = _local_fetcher([site_dir, TEMPLATES])
        self.font_config = FontConfiguration()
        self.stylesheets = [CSS(filename=str(path), font_config=self.font_config, url_fetcher=self.fetcher)
                            for path in stylesheet_paths(site_dir, root)]
        self.base_url = site_dir.resolve().as_uri() + "/"

    def pdf(self, job: "Job") -> tuple[bytes, int, list[str]]:
        """One WeasyPrint render (a handout may need a denser layout to keep to one page): the PDF, its number
        of pages and WeasyPrint's warnings. Missing glyphs and unreachable resources raise :class:`PdfError`."""
        from weasyprint import HTML  # on first render: see __init__

        collect = _Collect()
        wlog = logging.getLogger("weasyprint")
        wlog.addHandler(collect)
        propagate, wlog.propagate = wlog.propagate, False  # reported through our logger, once
        try:
            for document_html in job.htmls:
                collect.records.clear()
                doc = HTML(string=document_html, base_url=self.base_url, url_fetcher=self.fetcher).render(
                    stylesheets=self.stylesheets, font_config=self.font_config)
                if job.max_pages is None or len(doc.pages) <= job.max_pages:
                    break
            data = doc.write_pdf(pdf_identifier=_identifier(job.htmls[0]))
        finally:
            wlog.removeHandler(collect)
            wlog.propagate = propagate
        return data, len(doc.pages), _judge(job.name, collect.records)


def _judge(name: str, records: list[logging.LogRecord]) -> list[str]:
    """Missing glyphs and unreachable resources fail the export; other WeasyPrint warnings are returned."""
    fatal: list[str] = []
    warnings: list[str] = []
    for r in records:
        msg = r.getMessage().strip()
        if ".notdef" in msg:
            fatal.append(f"a character has no glyph in the fonts ({msg}): use a font that has it, or look for "
                         "a stray control character in the source")
        elif r.levelno >= logging.ERROR and not msg.startswith("No anchor"):  # a dead link is a warning
            fatal.append(msg)
        else:
            warnings.append(msg)
    if fatal:
        raise PdfError(f"PDF export of {name} failed:\n  " + "\n  ".join(dict.fromkeys(fatal)))
    return list(dict.fromkeys(warnings))


@dataclass
class Job:
    """One PDF to make: its site path and its HTML (a handout: one HTML per density, tried in turn)."""
    name: str
    htmls: list[str]
    max_pages: int | None = None
    files: list[Path] = field(default_factory=list)  # local files the HTML uses (part of the cache key)

    def key(self, css: list[Path]) -> str:
        h = hashlib.sha256()
        for part in (version("weasyprint"), self.name, str(self.max_pages), *self.htmls):
            h.update(part.encode("utf-8"))
            h.update(b"\0")
        for path in [*css, *self.files]:  # (the files' addresses are in the HTML)
            h.update(path.read_bytes() if path.exists() else b"")
            h.update(b"\0")
        return h.hexdigest()[:24]


# ---------------------------------------------------------------------------------------------------------------
# Review PDFs
# ---------------------------------------------------------------------------------------------------------------


def _jinja() -> Environment:
    return Environment(loader=PackageLoader("generator.pdf", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=False)


def _running_title(title: str, lang: str) -> str:
    limit = RUNNING_TITLE_MAX[lang]
    if len(title) <= limit:
        return title
    cut = title[:limit]
    if lang == "en" and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:，；：") + "…"


@dataclass
class Part:
    id: str
    html: Markup
    headings: list[Heading]
    landing: bool = False


@dataclass
class Exporter:
    """Assembles the HTML of each PDF (cheap; the WeasyPrint work is done by :class:`Engine`)."""
    model: Model
    site_dir: Path
    env: Environment = field(init=False)
    created: str = field(init=False)
    build_date: str = field(init=False)
    files: set[Path] = field(init=False, default_factory=set)

    def __post_init__(self) -> None:
        root = self.model.project.root
        self.env = _jinja()
        moment = datetime.datetime.fromtimestamp(build_epoch(root), tz=datetime.timezone.utc)
        self.created = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        self.build_date = moment.strftime("%Y-%m-%d")

    # links -------------------------------------------------------------------------------------------
    def _linker(self, review: Review, lang: str, page: Built, prefix: str,
                prefixes: dict[str, str]) -> Callable[[str], tuple[str | None, bool]]:
        fake = "http://site.invalid/"
        refs_url = f"{lang}/{review.id}/references/"

        def link(href: str) -> tuple[str | None, bool]:
            href = href.strip()
            if href.startswith("#"):
                frag = href[1:]
                if not frag:
                    return None, False
                return (f"#{frag}" if REF_ID.fullmatch(frag) else f"#{prefix}--{frag}"), False
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                return href, False
            absolute = urljoin(fake + page.url, href)
            path, _, frag = absolute[len(fake):].partition("#") if absolute.startswith(fake) else ("", "", "")
            if path.endswith("index.html"):
                path = path[: -len("index.html")]
            if path and not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
                path += "/"
            if frag and REF_ID.fullmatch(frag) and (path in prefixes or path == refs_url):
                return f"#{frag}", False
            if path in prefixes:
                target = prefixes[path]
                return (f"#{target}--{frag}" if frag else f"#part-{target}"), False
            if path == refs_url:
                return "#references", False
            if page.canonical:
                return urljoin(page.canonical, href), True
            return None, False

        return link

    def _src(self, page: Built) -> Callable[[str], str]:
        def src(value: str) -> str:
            parts = urlsplit(value)
            if parts.scheme or parts.netloc:
                return value  # data: stays; anything remote is refused by the fetcher
            rel_path = posixpath.normpath(posixpath.join(page.url, unquote(parts.path)))
            local = (self.site_dir / rel_path).resolve()
            if not local.exists():
                return value
            self.files.add(local)
            return local.as_uri()

        return src

    # assembly ----------------------------------------------------------------------------------------
    def review_parts(self, review: Review, lang: str) -> tuple[Built, list[Part]]:
        pages = [(s, Built.read(self.site_dir, s.url(lang))) for s in review.pages_in_order]
        prefixes = {s.url(lang): ("index" if s.kind == "landing" else s.id) for s in review.pages_in_order}
        parts: list[Part] = []
        landing_page = pages[0][1]
        for section, page in pages:
            landing = section.kind == "landing"
            prefix = prefixes[section.url(lang)]
            # The editor's-notes page ends with every note of the review again: on the web the notes are
            # spread over the pages, in the PDF they are all in the one document already.
            replace = {"all-notes": f'<p class="notes-in-place">{html.escape(t("notes_in_place", lang))}</p>'} \
                if section.kind == "editor-notes" else None
            rw = ArticleRewriter(prefix, link=self._linker(review, lang, page, prefix, prefixes),
                                 src=self._src(page), skip_heading_ids={"references", "contents"},
                                 drop_h1=landing, replace_from=replace, lang=lang)
            body = rw.rewrite(page.article)
            parts.append(Part(prefix, Markup(body), rw.headings, landing))
        return landing_page, parts

    @staticmethod
    def toc(parts: list[Part]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for part in parts:
            top = 2 if part.landing else 1
            for h in part.headings:
                if h.level == top:
                    out.append({"id": h.id, "text": h.text, "children": []})
                elif h.level == top + 1 and out and not part.landing:
                    out[-1]["children"].append({"id": h.id, "text": h.text})
        return out

    def review_html(self, review: Review, lang: str) -> str:
        landing_page, parts = self.review_parts(review, lang)
        meta = REVIEW_META.search(landing_page.article)
        numbering = self.model.citations.numbering[review.id]
        refs = []
        for key in numbering.ordered_keys():
            f = self.model.bib.format(key, lang)
            refs.append({"n": numbering.numbers[key], "html": Markup(f.html), "unidentified": f.unidentified})
        toc = self.toc(parts)
        toc.append({"id": "references", "text": t("references", lang), "children": []})
        other = OTHER[lang]
        authors = [a.zh if lang == "zh" else a.en for a in review.authors] or [t("site_name", lang)]
        keywords = review.keywords.get(lang) or []
        return self.env.get_template("review.html.j2").render(
            html_lang=HTML_LANG[lang], lang=lang, t=Strings(lang), title=review.title[lang],
            other_title=review.title[other] if review.title[other] != review.title[lang] else "",
            other_lang=HTML_LANG[other], running_title=_running_title(review.title[lang], lang),
            authors=authors, keywords=keywords,
            subject=f"{t('site_name', lang)}{'：' if lang == 'zh' else ': '}{review.title[lang]}",
            generator="hcc-reviews generator (WeasyPrint)", created=self.created, build_date=self.build_date,
            web_url=landing_page.canonical or "", meta_html=Markup(meta.group("body").strip()) if meta else "",
            toc=toc, parts=parts, refs=refs,
        )

    def review_job(self, review: Review, lang: str) -> Job:
        self.files = set()
        document_html = self.review_html(review, lang)
        return Job(review_pdf(review.id, lang), [document_html], files=sorted(self.files))

    # handout -----------------------------------------------------------------------------------------
    def handout_html(self, lang: str, density: str, data: dict[str, Any]) -> str:
        return self.env.get_template("handout.html.j2").render(
            html_lang=HTML_LANG[lang], t=Strings(lang), title=t("handout_title", lang), density=density,
            author=t("site_name", lang), subject=t("handout_intro", lang),
            keywords=data["keywords"], generator="hcc-reviews generator (WeasyPrint)", created=self.created,
            build_date=self.build_date, web_url=data["web_url"], groups=data["groups"], refs=data["refs"],
            legend=data["legend"],
            sep="；" if lang == "zh" else "; ", fsep="，" if lang == "zh" else ", ",
            open="（" if lang == "zh" else " (", close="）" if lang == "zh" else ")",
        )

    def handout_job(self, lang: str) -> Job | None:
        data = handout_data(self.model, self.site_dir, lang)
        if data is None:
            return None
        htmls = [self.handout_html(lang, density, data) for density in DENSITIES]
        return Job(handout_pdf(lang), htmls, max_pages=1)


# ---------------------------------------------------------------------------------------------------------------
# Handout: the regimens side by side, from the trial and regimen records
# ---------------------------------------------------------------------------------------------------------------

_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def _records(model: Model) -> Any:
    records = getattr(model, "records", None)
    if records is not None:
        return records
    report = Report(root=model.project.root)  # problems are reported by the build and the check, not here
    return load_records(model.project.content_dir, report, bib=model.bib,
                        review_ids={r.id for r in model.project.reviews})


_LATEX = [(re.compile(r"\\([&%$#_])"), r"\1"), (re.compile(r"---"), "—"), (re.compile(r"--"), "–"),
          (re.compile(r"\\[a-zA-Z]+\s*"), ""), (re.compile(r"[{}]"), "")]


def _latex_text(value: str) -> str:
    """A BibTeX field as plain text (braces, escapes and dashes): enough for journal names and page ranges."""
    for rx, repl in _LATEX:
        value = rx.sub(repl, value)
    return " ".join(value.split())


def short_reference(model: Model, key: str, lang: str) -> tuple[str, str | None]:
    """A one-line reference for the handout: 'El-Khoueiry A B, et al. The Lancet, 2017, 389: 2492-2502', and the
    address of the publication (DOI, PubMed or URL) if it has one."""
    f = model.bib.format(key, lang)
    href = f.links[0][1] if f.links else None
    if f.unidentified:
        first = re.split(r"(?<=[。.])\s*", f.text, maxsplit=1)[0]
        return first.rstrip("。."), href
    fields = {k.lower(): _latex_text(v) for k, v in model.bib.entry(key).fields.items()}
    persons = model.bib.entry(key).persons.get("author") or []
    who = ""
    if persons:
        who = re.split(r",\s|\.\s", f.text, maxsplit=1)[0].strip()  # the first author as the style writes it
        if len(persons) > 1 or "others" in str(persons[-1]).lower():
            who += f", {t('et_al', lang)}"
    where = next((fields[k] for k in ("journal", "booktitle", "organization", "publisher") if fields.get(k)), "")
    if not persons and not fields.get("journal") and fields.get("title"):
        where = fields["title"]
    bits = [where] if where else []
    year = fields.get("year", "")
    detail = year
    if fields.get("volume"):
        detail += (", " if lang == "zh" else ";") + fields["volume"]
    if fields.get("pages"):
        detail += (": " if lang == "zh" else ":") + fields["pages"]
    if detail:
        bits.append(detail)
    # GB/T 7714 'The Lancet, 2017, 389: 2492-2502' / Vancouver 'The Lancet. 2017;389:2492-2502'
    text = ". ".join(b.rstrip(".") for b in [who, *([", ".join(bits)] if lang == "zh" else bits)] if b)
    return text or f.text, href


def _figure(e: Any, lang: str) -> str:
    number = f"{e.qualifier or ''}{format_number(e.value)}"
    if e.measure == "patients":
        return f"n = {number}"
    if e.label is not None:
        name = e.label[lang]
    else:
        spec = MEASURES.get(e.measure)
        name = (spec["short"][0 if lang == "zh" else 1]) if spec else e.measure
    value = f"{number}%" if e.unit == "%" else f"{number} {UNITS.get(e.unit, {}).get(lang, e.unit)}"
    extra = []
    if len(e.ci) == 2:
        extra.append(f"95% CI {format_number(e.ci[0])}–{format_number(e.ci[1])}")
    if e.criteria:
        extra.append(e.criteria)
    text = f"{name} {value}"
    if extra:
        text += f"（{'；'.join(extra)}）" if lang == "zh" else f" ({'; '.join(extra)})"
    return text


def handout_data(model: Model, site_dir: Path, lang: str) -> dict[str, Any] | None:
    """The rows of the regimen comparison, grouped by category, and its numbered short reference list."""
    records = _records(model)
    if records is None or not records.regimens:
        return None
    numbers: dict[str, int] = {}
    used_measures: list[str] = []
    groups = []
    for cat, names in CATEGORIES.items():
        regimens = sorted((r for r in records.regimens.values() if r.category == cat), key=lambda r: r.id)
        if not regimens:
            continue
        rows = []
        for r in regimens:
            trials = []
            for tid in r.trials:
                trial = records.trials.get(tid)
                if trial is None:
                    continue
                figures, keys = [], []
                for e in trial.endpoints:
                    if e.arm == r.id or (e.arm is None and trial.arm_regimens == [r.id]):
                        figures.append(_figure(e, lang))
                        if e.measure not in used_measures and e.measure != "patients" and e.label is None:
                            used_measures.append(e.measure)
                        if e.source not in keys:
                            keys.append(e.source)
                for k in keys:
                    numbers.setdefault(k, len(numbers) + 1)
                trials.append({"name": trial.name, "figures": figures, "refs": [numbers[k] for k in keys]})
            labels = [x for x in r.labels if bool(_CJK.search(x)) == (lang == "zh") or not _CJK.search(x)]
            page = site_dir / lang / "regimens" / r.id / "index.html"
            rows.append({
                "name": r.name[lang] if r.name else r.id,
                "labels": ("、" if lang == "zh" else ", ").join(labels),
                "settings": _join([SETTINGS.get(s, {}).get(lang, s) for s in r.settings], lang),
                "trials": trials,
                "page": page.exists(),
                "url": f"{lang}/regimens/{r.id}/",
            })
        groups.append({"label": names[lang], "regimens": rows})
    web_url = _site_url(site_dir)
    for g in groups:
        for row in g["regimens"]:
            row["href"] = (web_url + row["url"]) if web_url and row["page"] else ""
    refs = []
    for key, n in sorted(numbers.items(), key=lambda kv: kv[1]):
        text, href = short_reference(model, key, lang)
        refs.append({"n": n, "text": text, "href": href})
    legend = [f"{MEASURES[m]['short'][0 if lang == 'zh' else 1]}{'：' if lang == 'zh' else ': '}"
              f"{MEASURES[m]['long'][0 if lang == 'zh' else 1]}" for m in used_measures if m in MEASURES]
    return {"groups": groups, "refs": refs, "legend": legend, "web_url": web_url + f"{lang}/" if web_url else "",
            "keywords": [t("handout_title", lang)]}


def _join(items: list[str], lang: str) -> str:
    """'一线、二线' / 'First line, second line' (a capital only where a list starts; acronyms kept)."""
    if lang == "zh":
        return "、".join(items)
    return ", ".join(x if i == 0 or not x[1:2].islower() else x[:1].lower() + x[1:] for i, x in enumerate(items))


def _site_url(site_dir: Path) -> str:
    """The published address of the site, from the built home page's canonical link."""
    for candidate in (site_dir / "zh" / "index.html", site_dir / "en" / "index.html"):
        if candidate.exists():
            c = CANONICAL.search(candidate.read_text(encoding="utf-8"))
            if c:
                href = html.unescape(c.group("href") or c.group("href2"))
                return href.rsplit("/", 2)[0] + "/" if href.endswith("/") else ""
    return ""


def _identifier(document_html: str) -> bytes:
    return hashlib.md5(document_html.encode("utf-8"), usedforsecurity=False).hexdigest().encode("ascii")


# ---------------------------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------------------------


_ENGINE: Engine | None = None
_ENGINE_ARGS: tuple[Any, ...] | None = None


def _engine(site_dir: Path, root: Path) -> Engine:
    """The engine of the last export when nothing it depends on changed (``mkdocs serve`` rebuilds)."""
    global _ENGINE, _ENGINE_ARGS
    args = (site_dir, root, *((p, p.stat().st_mtime_ns) for p in stylesheet_paths(site_dir, root)))
    if _ENGINE is None or _ENGINE_ARGS != args:
        _ENGINE, _ENGINE_ARGS = Engine(site_dir, root), args
    return _ENGINE


def _work(job: Job) -> tuple[str, bytes, int, list[str]]:
    """A worker process's task (the engine comes with the fork, ready)."""
    assert _ENGINE is not None
    c = time.process_time()
    data, pages, warnings = _ENGINE.pdf(job)
    if os.environ.get("HCC_PDF_DEBUG"):
        print(f"[pdf {os.getpid()}] {job.name}: {pages} pages, {time.process_time() - c:.2f} s CPU", flush=True)
    return job.name, data, pages, warnings


def _workers(requested: int | None, pending: int) -> int:
    if requested is None:
        env = os.environ.get("HCC_PDF_JOBS", "").strip()
        requested = int(env) if env.isdigit() else (os.cpu_count() or 1)
    # fork only from a single-threaded process (``mkdocs serve`` runs a server thread): else one process
    if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(requested, pending))


def export_all(model: Model, site_dir: Path, *, out_dir: Path | None = None, jobs: int | None = None,
               cache: bool = True) -> list[Path]:
    """Every PDF of the site into ``site_dir/pdf`` (or ``out_dir``), from the built pages in ``site_dir``.

    A PDF whose HTML, stylesheets, images and WeasyPrint version are unchanged since the last export is
    taken from ``.cache/pdf`` (the output is reproducible, so it is the same file); the others are
    rendered, in parallel processes when there are several CPUs.
    """
    if os.environ.get("HCC_PDF", "1") == "0":  # e.g. timing the HTML build alone
        log.info("PDF export skipped (HCC_PDF=0)")
        return []
    started = time.perf_counter()
    cache = cache and os.environ.get("HCC_PDF_CACHE", "1") != "0"
    root = model.project.root
    check_system(root)
    site_dir = Path(site_dir).resolve()
    out_dir = Path(out_dir) if out_dir is not None else site_dir / PDF_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    exporter = Exporter(model, site_dir)
    todo = [exporter.review_job(review, lang) for review in model.project.reviews for lang in LANGS]
    todo += [job for lang in LANGS if (job := exporter.handout_job(lang)) is not None]
    css = stylesheet_paths(site_dir, root)
    cache_dir = root / ".cache" / "pdf"
    keys = {job.name: job.key(css) for job in todo} if cache else {}
    written: list[Path] = []
    pending: list[Job] = []
    for job in todo:
        target = out_dir / Path(job.name).name
        cached = cache_dir / f"{Path(job.name).stem}.{keys[job.name]}.pdf" if cache else None
        if cached is not None and cached.exists():
            _write(target, cached.read_bytes())
            written.append(target)
        else:
            pending.append(job)
    results: list[tuple[str, bytes, int, list[str]]] = []
    workers = 1
    if pending:
        _engine(site_dir, root)  # fonts and stylesheets once, inherited by the worker processes
        workers = _workers(jobs, len(pending))
        pending.sort(key=lambda j: -sum(len(h) for h in j.htmls[:1]))  # the longest first
        if workers > 1:
            ctx = multiprocessing.get_context("fork")
            gc.freeze()  # the workers' garbage collections must not copy the whole parent (MkDocs, jieba...)
            try:
                with ctx.Pool(workers) as pool:
                    results = list(pool.imap_unordered(_work, pending, chunksize=1))
            finally:
                gc.unfreeze()
        else:
            results = [_work(job) for job in pending]
    for name, data, pages, warnings in sorted(results):
        for w in warnings:
            log.warning(f"{name}: {w}")
        if name.startswith(f"{PDF_DIR}/handout-") and pages > 1:
            log.warning(f"{name}: the regimen comparison takes {pages} pages even in the densest layout; "
                        "shorten the records shown or the handout's columns")
        target = out_dir / Path(name).name
        _write(target, data)
        written.append(target)
        if cache:
            stem = Path(name).stem
            cache_dir.mkdir(parents=True, exist_ok=True)
            for old in cache_dir.glob(f"{stem}.*.pdf"):
                if old.name.count(".") == 2:
                    old.unlink()
            _write(cache_dir / f"{stem}.{keys[name]}.pdf", data)
    log.info(f"PDF export: {len(written)} files ({len(results)} rendered"
             f"{f' by {workers} processes' if results and workers > 1 else ''}, {len(written) - len(results)} "
             f"unchanged) in {time.perf_counter() - started:.2f} s")
    return sorted(written)


def _write(target: Path, data: bytes) -> None:
    if not target.exists() or target.read_bytes() != data:
        target.write_bytes(data)
