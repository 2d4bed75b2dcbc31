"""MkDocs hooks used by the benchmark only (loaded through ``hooks:`` in a project's mkdocs.bench.yml).

Environment switches (set by bench/run.py for one build):

``BENCH_NO_PDF=1``        the PDF export of the build does nothing (PDFs are timed separately). Used only
                          while the plugin has no option to turn the export off.
``BENCH_CAPTURE_DIR=dir`` capture what our plugin generated -- every page's final markdown (front-matter
                          included; the finished HTML the plugin puts in by placeholder put back in),
                          every other generated file, the nav and the pages left out of it --
                          into ``dir``, then stop the build (exit 0) before any page is rendered. The
                          floor project is made from this capture.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import yaml
from mkdocs.plugins import event_priority
from mkdocs.structure.files import InclusionLevel

if os.environ.get("BENCH_NO_PDF"):
    try:
        import generator.pdf as _pdf

        _pdf.export_all = lambda *args, **kwargs: []  # noqa: E731
    except Exception:  # pragma: no cover - no PDF module: nothing to turn off
        pass

_CAPTURE = os.environ.get("BENCH_CAPTURE_DIR")


def _out() -> Path:
    assert _CAPTURE is not None
    return Path(_CAPTURE)


@event_priority(-1000)  # after every plugin
def on_files(files, *, config):
    if not _CAPTURE:
        return files
    docs = _out() / "docs"
    docs_dir = Path(config.docs_dir).resolve()
    not_in_nav = []
    for f in files:
        src = Path(f.abs_src_path).resolve() if f.abs_src_path else None
        mine = bool(f.generated_by) or (src is not None and docs_dir in src.parents)
        if not mine:
            continue  # theme files: the floor's theme has them too
        if f.inclusion == InclusionLevel.NOT_IN_NAV:
            not_in_nav.append(f.src_uri)
        if f.is_documentation_page():
            continue  # written with its final markdown in on_page_markdown
        target = docs / f.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(f.content_bytes)
    (_out() / "nav.json").write_text(json.dumps(config.nav, ensure_ascii=False), encoding="utf-8")
    (_out() / "not_in_nav.json").write_text(json.dumps(not_in_nav, ensure_ascii=False), encoding="utf-8")
    return files


def _finished(markdown: str, config) -> str:
    """The markdown with the finished HTML our plugin keeps apart (generator/site/fragments.py: reference
    lists, the bibliography, citations) put back in: the floor converts it as plain markdown."""
    plugin = config.plugins.get("bilingual")
    model = getattr(plugin, "model", None)
    fragments = getattr(model, "fragments", None)
    if fragments is None or not hasattr(fragments, "at_end"):
        return markdown
    return fragments.at_end(fragments.after_markdown(markdown))


@event_priority(-1000)
def on_page_markdown(markdown, *, page, config, files):
    if not _CAPTURE:
        return markdown
    target = _out() / "docs" / page.file.src_uri
    target.parent.mkdir(parents=True, exist_ok=True)
    meta = yaml.safe_dump(dict(page.meta), allow_unicode=True, sort_keys=False) if page.meta else ""
    target.write_text((f"---\n{meta}---\n\n" if meta else "") + _finished(markdown, config), encoding="utf-8")
    return markdown


@event_priority(-1000)
def on_env(env, *, config, files):
    if _CAPTURE:
        (_out() / "done").write_text("ok", encoding="utf-8")
        raise SystemExit(0)  # everything is captured: skip rendering
    return env
