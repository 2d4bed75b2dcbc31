"""MkDocs glue: the table of contents of the build. The work is done elsewhere.

MkDocs 1.6 is the last release with plugins; everything MkDocs-specific lives in this
file so that moving to a successor touches only this file.
"""

from __future__ import annotations

import logging
import posixpath
import re
from pathlib import Path

import material.plugins.search.plugin as material_search
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import CountHandler

from . import i18n, pdf, pipeline
from .diagnostics import SourceError, grouped, processing
from .site import navigation, render, search, searchview, serveerrors, sitedir, sitemaps
from .site.fragments import strip_inline
from .site.mdext import GlossaryExtension
from .sources import mdregions, regions, sanitize
from .sources.confirmed import FILE as CONFIRMED_FILE
from .sources.content import PUBLISHED_AS_IS

log = logging.getLogger("mkdocs.plugins.bilingual")
_PAGES_LOGGER = "mkdocs.structure.pages"
# MkDocs (1.6) words its note on a relative link it cannot match to a source file like this (mkdocs/structure/pages.py)
_UNRECOGNIZED_LINK = re.compile(r"Doc file '(?P<src>[^']+)' contains an unrecognized relative link '(?P<link>[^']+)'")


class BilingualConfig(Config):
    cache_dir = c.Type(str, default=".cache")
    atomic = c.Type(bool, default=True)
    pdf = c.Type(bool, default=True)  # PDF handouts after the pages (not under `mkdocs serve`)


class BilingualPlugin(BasePlugin[BilingualConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.model: pipeline.Model | None = None
        self.final_site: Path | None = None
        self.staging: Path | None = None
        self.glossary_ext: GlossaryExtension | None = None
        self.warnings: CountHandler | None = None
        self.jinja_cache = None
        self.cache_dir: Path | None = None
        self.nav_memo: navigation.NavMemo | None = None
        self.serve_errors: list[str] = []  # under `serve`: the sources' errors, shown instead of the pages
        self.page_html: str | None = None
        self.expected: dict[str, object] = {}  # page -> the contributor regions of its markdown
        self.page_links = _PageLinks()  # on MkDocs' page logger from on_files to the end of the build

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command  # defining on_startup keeps this object across `serve` rebuilds

    # 1. load -> validate -> model
    def on_config(self, config):
        root = Path(config.config_file_path).resolve().parent
        self.cache_dir = root / self.config.cache_dir
        self.jinja_cache = render.use_bytecode_cache(self.cache_dir / "jinja")
        self.serve_errors = []
        if self.command == "build" and self.config.atomic:
            # folders left by killed builds go first, also when the sources then stop this build
            for stuck in sitedir.clear_leftovers(Path(config.site_dir).resolve()):
                log.warning(sitedir.not_removed_message(stuck, Path(config.site_dir).resolve()))
        try:
            self.model = pipeline.load(root, cache_dir=root / self.config.cache_dir)
            self.model.site_url = config.site_url or ""
            if not config.repo_url:  # no address of the sources (mkdocs.yml): no dangling "edit" links
                config.edit_uri = None
            self.model.report.raise_if_errors(strict=bool(config.strict))
        except SourceError as exc:
            if self.command != "serve":
                raise PluginError(exc.render()) from None
            # serve: the server would hold every request until a build succeeds; show the errors instead
            self.serve_errors = [d.format() for d in exc.diagnostics]
            log.error("\n".join([exc.render().splitlines()[0], *self.serve_errors]))
            self.model = None
            return config
        for d in grouped(self.model.report.warnings):  # a repeated warning once, with its other lines
            log.warning(d.format())
        # mkdocs-material's search plugin cuts Chinese with jieba while it collects the pages; our
        # search module cuts the text again with the records' lexicon (generator/site/search.py), so the
        # first cut is wasted work (about a quarter of a build): switch it off.
        material_search.jieba = None
        # 2. markdown: glossary tooltips (Python-Markdown's abbr misses terms glued to Chinese text)
        self.glossary_ext = GlossaryExtension(self.model.project.glossary)
        config.markdown_extensions.append(self.glossary_ext)
        config.markdown_extensions.append(mdregions.RegionExtension())  # footnotes are contributor HTML too
        if config.strict:
            self.warnings = CountHandler()
            self.warnings.setLevel(logging.WARNING)
            logging.getLogger("mkdocs").addHandler(self.warnings)
        # the PDFs' fonts and packages, checked before any page is built rather than after
        if self.command == "build" and self.config.pdf and pdf.enabled():
            pdf.check_system(root)
        # 3. atomic output: build into a staging folder, publish on success
        if self.command == "build" and self.config.atomic:
            self.final_site = Path(config.site_dir).resolve()
            self.staging = sitedir.prepare(self.final_site)
            config.site_dir = str(self.staging)
        return config

    # 4. pages: generated in memory from the bilingual sources
    def on_files(self, files: Files, *, config) -> Files:
        docs = Path(config.docs_dir).resolve()  # content/ (the theme's files come from elsewhere)
        for f in list(files):
            if f.is_documentation_page() and not f.generated_by:
                files.remove(f)  # a bilingual source, not a page
            elif f.src_uri.lower().endswith((".md", ".markdown", ".mdown", ".mkdn", ".mkd")) and not f.generated_by:
                files.remove(f)  # '07-extra.MD': a source the checker reports as not read, never copied raw
            elif f.src_uri == CONFIRMED_FILE:
                files.remove(f)  # the translations confirmed (sources/confirmed.py): data of the checker, not of the site
            elif (not f.generated_by and f.abs_src_path and Path(f.abs_src_path).is_relative_to(docs)
                  and not f.src_uri.lower().endswith(PUBLISHED_AS_IS)):
                files.remove(f)  # 'notes.txt' beside a section: reported by the checker, never published
        if self.model is None:  # serve with errors in the sources: no pages, the diagnostics (on_post_build)
            config.nav = []
            return files
        config.nav = navigation.nav_config(self.model)
        in_nav = set(navigation.uris(config.nav))
        for page in pipeline.pages(self.model):
            f = File.generated(config, page.uri, content=page.markdown)
            f.edit_uri = page.source
            if page.uri not in in_nav:
                f.inclusion = InclusionLevel.NOT_IN_NAV  # linked from other pages (parallel views, records)
            files.append(f)
        for path, data in pipeline.static_files(self.model).items():
            files.append(File.generated(config, path, content=data))
        self.page_links.know(files)
        logging.getLogger(_PAGES_LOGGER).addFilter(self.page_links)
        return files

    def on_env(self, env, *, config, files):
        env.bytecode_cache = self.jinja_cache  # the theme's templates too
        env.globals["hcc_nav_memo"] = self.nav_memo  # site_overrides/partials/nav.html
        env.globals["hcc_ui"] = i18n.CATALOGS  # our interface strings for the theme's (site_overrides/partials/palette.html)
        return env

    def on_nav(self, nav, *, config, files):
        if self.model is None:
            return nav
        navigation.link_within_language(nav)
        navigation.label_homes(nav)
        self.nav_memo = navigation.NavMemo(nav)
        return nav

    def on_page_markdown(self, markdown, *, page, config, files):
        processing(page.file.edit_uri if page.file.edit_uri and page.file.edit_uri.startswith("content/")
                   else f"the page {page.file.src_uri}")
        if self.glossary_ext is not None:
            self.glossary_ext.lang = page.meta.get("lang", "en")
        self.expected[page.file.src_uri] = regions.expected(markdown)
        return markdown

    def on_page_content(self, html, *, page, config, files):
        # contributor HTML through the sanitizer, before anything else reads the page (search, theme, PDF)
        try:
            html = pipeline.sanitize(self.model, html, self.expected.pop(page.file.src_uri, None), page.file.edit_uri)
        except SourceError as exc:
            raise PluginError(exc.render()) from None
        for item in _toc_items(page.toc):  # the theme writes these titles unescaped: text only
            item.title = sanitize.clean_text(strip_inline(item.title))
        return pipeline.fill(self.model, html)

    # mkdocs-material's search reads the page in its on_page_context (priority 0): it is given the page
    # as search should read it (generator/site/searchview.py), the reader the page as it was
    @event_priority(100)
    def _page_for_search(self, context, *, page, config, nav):
        page.meta.setdefault("source_path", page.file.edit_uri)
        self.page_html = page.content
        page.content = searchview.search_view(page.content)
        return context

    @event_priority(-100)
    def _page_for_reader(self, context, *, page, config, nav):
        if self.page_html is not None:  # without the search's markers, as mkdocs-material leaves a page
            page.content = searchview.MATERIAL_SEARCH_ATTRS.sub("", self.page_html)
            self.page_html = None
        return context

    on_page_context = CombinedEvent(_page_for_search, _page_for_reader)

    @event_priority(-100)  # after every other plugin has seen the page
    def on_post_page(self, output, *, page, config):
        lang = page.meta.get("lang") if page.meta.get("kind") != "root" else None
        return pipeline.finish(self.model, output, lang=lang, site_name=config.site_name)

    def on_post_template(self, output_content, *, template_name, config):  # 404.html
        return pipeline.finish_template(output_content)

    # 5. after the pages (and after other plugins' post_build): per-language search, then publish
    @event_priority(-100)
    def on_post_build(self, *, config) -> None:
        logging.getLogger(_PAGES_LOGGER).removeFilter(self.page_links)
        if self.model is None:
            serveerrors.write(Path(config.site_dir), self.serve_errors)
            return
        self.model.bib.save_formatted()
        search.split_by_language(config, self.cache_dir)
        sitemaps.write_language_sitemaps(Path(config.site_dir), config.site_url or "")
        if self.config.pdf and self.command != "serve":  # serve reloads fast; `python -m generator pdf` on demand
            processing("the PDFs (site/pdf/)")
            pdf.export_all(self.model, Path(config.site_dir))
        if self.warnings is not None and self.warnings.get_counts():
            return  # strict mode: MkDocs aborts right after this event; keep the old site
        if self.staging is not None and self.final_site is not None:
            processing(f"{self.final_site.name}/ (publishing the new site)")
            stuck = sitedir.publish(self.staging, self.final_site)  # one rename; nothing after it can fail the build
            self.staging = None
            if stuck is not None:
                _warn_uncounted(sitedir.not_removed_message(stuck, self.final_site))

    def on_build_error(self, *, error: Exception) -> None:
        logging.getLogger(_PAGES_LOGGER).removeFilter(self.page_links)
        if self.staging is not None:
            sitedir.discard_quietly(self.staging)
            self.staging = None

    def on_serve(self, server, *, config, builder):
        root = Path(config.config_file_path).resolve().parent
        for extra in ("refs.bib", "site_overrides"):
            if (root / extra).exists():
                server.watch(str(root / extra))
        return server


class _PageLinks(logging.Filter):
    """Drops MkDocs' note on an "unrecognized relative link" when the link is one of the links the generator
    wrote to a page of this site, and only then.

    Links in contributor text are checked against the sources by the checker (a broken one is an error
    before MkDocs runs) and written for each page as the address of the target page relative to the address
    of the page (``../../trials/reflect/`` from ``zh/interventional-hcc/introduction/``), which is what the
    reader's browser resolves. MkDocs resolves a relative link against the page's *file* name instead
    (``zh/interventional-hcc/introduction.md``), finds no file there, and says so at INFO for every such link:
    noise a contributor reads as problems. A link that does not reach a page of the site is still reported."""

    def __init__(self) -> None:
        super().__init__()
        self.url_of: dict[str, str] = {}  # source file of a page -> its address
        self.urls: set[str] = set()

    def know(self, files: Files) -> None:
        pages = [f for f in files if f.is_documentation_page()]
        self.url_of = {f.src_uri: f.url for f in pages}
        self.urls = {f.url for f in pages}

    def filter(self, record: logging.LogRecord) -> bool:
        m = _UNRECOGNIZED_LINK.match(record.getMessage()) if record.levelno == logging.INFO else None
        if m is None or m.group("src") not in self.url_of:
            return True
        here = self.url_of[m.group("src")]
        base = here if here.endswith("/") or not here else posixpath.dirname(here)
        target = posixpath.normpath(posixpath.join(base, m.group("link").partition("#")[0]))
        return not (target + "/" in self.urls or target in self.urls)


def _warn_uncounted(message: str) -> None:
    """A warning after the new site is published: shown, but not counted by ``--strict`` (MkDocs would
    then exit 1 for a build whose site is published, and the exit code must say what happened)."""
    root = logging.getLogger("mkdocs")
    counters = [h for h in root.handlers if isinstance(h, CountHandler)]
    for h in counters:
        root.removeHandler(h)
    try:
        log.warning(message)
    finally:
        for h in counters:
            root.addHandler(h)


def _toc_items(toc):
    for item in toc or []:
        yield item
        yield from _toc_items(item.children)
