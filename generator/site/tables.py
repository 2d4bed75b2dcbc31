"""The ``records`` tables and charts drawn in a page (generator.sources.tablespec finds and checks them).

When a page is rendered, :meth:`TableRenderer.expand` (a ``Renderer.directives`` entry) replaces each
records block by an HTML table in the page's language, or by its chart (generator.site.charts).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
from typing import Any, Iterator

from markupsafe import Markup, escape

from ..i18n import Strings, t
from ..sources.records import chart_sources, sequenced
from ..sources.regions import generated
from ..sources.tablespec import RecordTables, TableSpec, cite, find, is_measure
from .charts import forest_chart, response_chart, timeline_chart
from .recordtext import cell_items, measure_label
from .render import jinja_env


class TableRenderer:
    """The records tables of a project (:class:`RecordTables`), drawn."""

    def __init__(self, tables: RecordTables):
        self.tables = tables
        self.records = tables.records
        self._page_url: str | None = None

    @functools.cached_property
    def env(self):
        """The templates, set up when a table is first rendered."""
        env = jinja_env()
        env.trim_blocks = True
        env.lstrip_blocks = True
        # '[' is written as an entity in generated text, so that text of a record never reads as a citation
        env.finalize = lambda v: v if isinstance(v, Markup) else Markup(str(escape(v)).replace("[", "&#91;"))
        return env

    @functools.cached_property
    def _tpl(self):
        return self.env.get_template("records/table.html.j2")

    @contextlib.contextmanager
    def page(self, url: str) -> Iterator[None]:
        """Render for a page other than the section's own (the parallel view): links relative to ``url``."""
        old, self._page_url = self._page_url, url
        try:
            yield
        finally:
            self._page_url = old

    def expand(self, text: str, lang: str, review: Any, section: Any, page_url: str | None = None) -> str:
        """The ``Renderer.directives`` hook: every records block of ``text`` becomes an HTML table."""
        found = find(text)
        if not found:
            return text
        url = page_url or self._page_url or section.url(lang)
        out, pos = [], 0
        for k, f in enumerate(found):
            out.append(text[pos:f.start])
            spec = self.tables.spec_of(f.source)
            if spec is None:
                html = f'<p class="records-error">{escape(t("table_error", lang))}</p>'
            elif spec.chart:
                block = hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:6]
                html = self.render_chart(spec, lang, review, f"chart-{section.id}-{block}-{k + 1}-{lang}", url)
            else:
                html = self.render(spec, lang, url)
            out.append(generated(html))  # the generator's markup: not sanitized as the text around it
            pos = f.end
        out.append(text[pos:])
        return "".join(out)

    def render(self, spec: TableSpec, lang: str, page_url: str) -> str:
        headers = [{"label": self.header(spec.type, col, lang),
                    "title": measure_label(col, lang, long=True) if is_measure(spec.type, col) else ""}
                   for col in spec.columns]
        rows = [[self.cell(spec, rec, col, lang, page_url) for col in spec.columns] for rec in self.tables.rows(spec)]
        caption = spec.caption[lang] if spec.caption else ""
        label = caption or t("trials_title" if spec.type == "trials" else "regimens_title", lang)
        return self._tpl.render(headers=headers, rows=rows, caption=caption, label=label,
                                missing=t("missing", lang), t=Strings(lang)).strip("\n")

    def render_chart(self, spec: TableSpec, lang: str, review: Any, cid: str, page_url: str | None = None) -> str:
        """A chart in a review: the reference numbers in the drawing are the review's (``RecordTables.number``), and the
        caption cites every source (a marker that the citation machinery renders like any other)."""
        trials = self.tables.rows(spec)
        keys = chart_sources(spec.chart or "", trials)
        sources = Markup(escape(t("chart_sources", lang))) + cite(keys) if keys else None

        def label(key: str) -> str:
            n = self.tables.number(review.id, key) if self.tables.number else None
            return f"[{n}]" if n else ""

        if spec.chart == "response":
            charts = [response_chart(self.records, trials, lang, label, cid, sources=sources, page_url=page_url)]
        elif spec.chart == "forest":
            charts = [forest_chart(self.records, trials, lang, label, cid, sources=sources, page_url=page_url)]
        else:  # a timeline per trial, the sources once, under the last
            seq = sequenced(trials)
            charts = [timeline_chart(self.records, t, lang, f"{cid}-{i}", sources=sources if t is seq[-1] else None)
                      for i, t in enumerate(seq)]
        return "\n".join(str(c) for c in charts if c)

    @staticmethod
    def header(kind: str, col: str, lang: str) -> str:
        if is_measure(kind, col):
            return measure_label(col, lang)
        if col == "name":
            return t("name" if kind == "trials" else "regimen", lang)
        return t(col, lang)

    def cell(self, spec: TableSpec, rec: Any, col: str, lang: str, page_url: str) -> list[dict[str, Any]]:
        """A cell as a list of items {text, href, sub, cite}; an empty list shows '—'."""
        return cell_items(self.records, spec.type, rec, col, lang, page_url,
                          figures=self.tables.figures(spec, rec, col) if is_measure(spec.type, col) else None)
