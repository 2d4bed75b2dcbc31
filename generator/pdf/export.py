"""The PDF export's entry points: :func:`export_all` (the plugin's post-build step and ``python -m generator
pdf``) and :func:`expected_files`. A PDF whose inputs are unchanged since the last export is copied from
``.cache/pdf``; the others are rendered in one process per CPU (see the package docstring)."""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import threading
import time
from pathlib import Path
from typing import Any

from ..urls import PDF_DIR, handout_pdf, review_pdf
from . import fonts
from .engine import Engine, Job, check_system, enabled, stylesheet_paths
from .model import Model
from .review import Exporter

log = logging.getLogger("mkdocs.plugins.bilingual.pdf")

LANGS = ("zh", "en")


def expected_files(model: Model) -> list[str]:
    out = [review_pdf(r.id, lang) for r in model.project.reviews for lang in LANGS]
    return out + [handout_pdf(lang) for lang in LANGS]


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
    if not enabled():  # e.g. timing the HTML build alone
        log.info("PDF export skipped (HCC_PDF=0)")
        return []
    started = time.perf_counter()
    cache = cache and os.environ.get("HCC_PDF_CACHE", "1") != "0"
    root = model.project.root
    site_dir = Path(site_dir).resolve()
    check_system(root, site_dir)
    out_dir = Path(out_dir) if out_dir is not None else site_dir / PDF_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    exporter = Exporter(model, site_dir)
    todo = [exporter.review_job(review, lang) for review in model.project.reviews for lang in LANGS]
    todo += [job for lang in LANGS if (job := exporter.handout_job(lang)) is not None]
    css = stylesheet_paths(site_dir, root)
    cache_dir = root / ".cache" / "pdf"
    font_files = fonts.fingerprint() if cache else ""  # installing or removing a font renders again
    keys = {job.name: job.key(css, font_files) for job in todo} if cache else {}
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
