"""WeasyPrint for the PDF export: one font configuration and one parse of the stylesheets for every PDF
of an export, only local files (no network), every missing glyph or unreachable resource a failure;
the Debian packages the export needs; a job (one PDF to make) and its cache key."""

from __future__ import annotations

import ctypes.util
import hashlib
import importlib.util
import logging
import os
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any, Callable
from urllib.parse import unquote, urlsplit

try:  # a failed export stops `mkdocs build` with a message, not a traceback
    from mkdocs.exceptions import PluginError as _Base
except ImportError:  # pragma: no cover
    _Base = Exception

TEMPLATES = Path(__file__).parent / "templates"
# The Debian packages the export cannot do without (checked as scripts/system_deps.py checks them)
REQUIRED_PACKAGES = ("fonts-noto-cjk", "libharfbuzz-subset0")


class PdfError(_Base):
    """The PDF export failed (missing system packages, missing glyphs, unreachable resources...)."""


# ---------------------------------------------------------------------------------------------------------------
# Setup checks
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
    from weasyprint.urls import URLFetcher  # on first render: see Engine.__init__

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
        from weasyprint import HTML  # on first render: see Engine.__init__

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


def _identifier(document_html: str) -> bytes:
    return hashlib.md5(document_html.encode("utf-8"), usedforsecurity=False).hexdigest().encode("ascii")
