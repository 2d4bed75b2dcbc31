"""The HTML of each PDF, assembled from the built pages (cheap; the WeasyPrint work is pdf.engine's): a
review's cover, contents with page numbers, its sections' articles in review order and its complete
reference list in citation order; the regimen handout in each of its layouts."""

from __future__ import annotations

import datetime
import html
import os
import posixpath
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import unquote, urljoin, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..i18n import HTML_LANG, OTHER, Strings, t
from ..sources.content import Review
from ..urls import handout_pdf, review_pdf
from .article import REF_ID, REVIEW_META, ArticleRewriter, Built, Heading
from .engine import Job
from .handout import handout_data
from .linebreaks import keep_hyphenated_words, mark_long_links
from .model import Model

RUNNING_TITLE_MAX = {"zh": 48, "en": 95}
DENSITIES = ("", "denser")  # the handout's layouts, tried in turn until it fits on one page


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
        document_html = mark_long_links(keep_hyphenated_words(self.review_html(review, lang)))
        return Job(review_pdf(review.id, lang), [document_html], files=sorted(self.files))

    # handout -----------------------------------------------------------------------------------------
    def handout_html(self, lang: str, density: str, data: dict[str, Any]) -> str:
        return keep_hyphenated_words(self._handout_html(lang, density, data))

    def _handout_html(self, lang: str, density: str, data: dict[str, Any]) -> str:
        return self.env.get_template("handout.html.j2").render(
            html_lang=HTML_LANG[lang], t=Strings(lang), title=t("handout_title", lang), density=density,
            author=t("site_name", lang), subject=t("handout_intro", lang),
            keywords=data["keywords"], generator="hcc-reviews generator (WeasyPrint)", created=self.created,
            build_date=self.build_date, web_url=data["web_url"], groups=data["groups"], refs=data["refs"],
            legend=data["legend"], footnotes=data.get("footnotes", []),
            sep="；" if lang == "zh" else "; ", fsep="，" if lang == "zh" else ", ",
            open="（" if lang == "zh" else " (", close="）" if lang == "zh" else ")",
        )

    def handout_job(self, lang: str) -> Job | None:
        data = handout_data(self.model, self.site_dir, lang)
        if data is None:
            return None
        htmls = [self.handout_html(lang, density, data) for density in DENSITIES]
        return Job(handout_pdf(lang), htmls, max_pages=1)
