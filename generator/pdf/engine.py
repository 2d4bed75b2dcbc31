"""WeasyPrint for the PDF export: one font configuration and one parse of the stylesheets for every PDF
of an export, only local files (no network), every missing glyph or unreachable resource a failure;
the Debian packages and fonts the export needs, checked before typesetting; a job (one PDF to make) and
its cache key."""

from __future__ import annotations

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

from . import fonts  # noqa: E402  (after the fallback base class, like the other imports of the package)

TEMPLATES = Path(__file__).parent / "templates"
SYSTEM_DEPS = Path("scripts", "system_deps.py")  # the project's one install list


class PdfError(_Base):
    """The PDF export failed (missing system packages, missing glyphs, unreachable resources...)."""


# ---------------------------------------------------------------------------------------------------------------
# Setup checks
# ---------------------------------------------------------------------------------------------------------------


def _system_deps(root: Path) -> Any:
    """``scripts/system_deps.py``, the project's one install list (None if the script is missing)."""
    # the project's own list, else (a project made of content alone) the one beside this package's sources
    candidates = [root, *Path(__file__).resolve().parents]
    script = next((p / SYSTEM_DEPS for p in candidates if (p / SYSTEM_DEPS).exists()), None)
    if script is None:  # pragma: no cover - the script is part of the project
        return None
    spec = importlib.util.spec_from_file_location("_system_deps", script)
    if spec is None or spec.loader is None:  # pragma: no cover
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def missing_packages(root: Path) -> list[str]:
    """The build's Debian packages that are missing, by the checks of ``scripts/system_deps.py``."""
    deps = _system_deps(root)
    checks: dict[str, Callable[[], bool]] = getattr(deps, "PACKAGES", {})
    return [name for name, present in checks.items() if not present()]


def check_system(root: Path, site_dir: Path | None = None) -> None:
    """Stop before typesetting when a package is missing or a font the stylesheets name would be replaced."""
    deps = _system_deps(root)
    font_packages: dict[str, str] = getattr(deps, "FONT_PACKAGES", {})
    css = stylesheet_paths(site_dir or root / "site", root)
    problems = fonts.missing_families(fonts.stylesheet_families(css), font_packages)
    missing = [name for name in missing_packages(root) if name not in font_packages.values()]
    if missing:
        problems.append(f"the PDF export needs the Debian packages {' '.join(missing)}: install them with "
                        f"'sudo apt-get install -y --no-install-recommends {' '.join(missing)}', or run "
                        "'make system-deps' as root")
    if problems:
        raise PdfError("\n".join(f"error: {p}" for p in problems))


def enabled() -> bool:
    """False when HCC_PDF=0 (the HTML build alone, e.g. for timing it)."""
    return os.environ.get("HCC_PDF", "1") != "0"


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
            # Tagged (PDF/UA-1: structure tree, reading order, alternative texts): measured on the six PDFs of
            # the project, one process, no cache, twice each: 22.2 s and 22.1 s untagged, 23.7 s and 24.0 s
            # tagged (+7.6 %; issue 21 allowed +20 %).
            data = doc.write_pdf(pdf_identifier=_identifier(job.htmls[0]), pdf_variant="pdf/ua-1")
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

    def key(self, css: list[Path], font_files: str = "") -> str:
        h = hashlib.sha256()
        for part in (version("weasyprint"), font_files, self.name, str(self.max_pages), *self.htmls):
            h.update(part.encode("utf-8"))
            h.update(b"\0")
        for path in [*css, *self.files]:  # (the files' addresses are in the HTML)
            h.update(path.read_bytes() if path.exists() else b"")
            h.update(b"\0")
        return h.hexdigest()[:24]


def _identifier(document_html: str) -> bytes:
    return hashlib.md5(document_html.encode("utf-8"), usedforsecurity=False).hexdigest().encode("ascii")
