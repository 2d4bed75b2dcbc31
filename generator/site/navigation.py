"""Navigation from the front-matter: one tree per language, in the reviews' order."""

from __future__ import annotations

import posixpath
import re
from typing import Any

from markupsafe import Markup, escape

from ..i18n import LANG_LABEL, t
from ..urls import page_uri
from . import recordpages


def nav_config(model) -> list[dict[str, Any]]:
    """The ``nav`` setting MkDocs expects: a section per language, a subsection per review."""
    out: list[dict[str, Any]] = []
    for lang in ("zh", "en"):
        items: list[Any] = [f"{lang}/index.md"]
        for review in model.project.reviews:
            pages = [page_uri(review.landing.url(lang), index=True)]
            pages += [page_uri(s.url(lang)) for s in review.sections]
            pages.append(f"{lang}/{review.id}/references.md")
            items.append({str(escape(review.title[lang])): pages})  # the theme writes nav titles unescaped
        items += recordpages.nav_uris(model.records, lang)
        if model.project.glossary is not None:
            items.append(f"{lang}/glossary.md")
        items.append(f"{lang}/bibliography.md")
        items.append(f"{lang}/translation-status.md")
        items.append(f"{lang}/changelog.md")
        out.append({LANG_LABEL[lang]: items})
    return out


def uris(nav: Any) -> list[str]:
    """Every page file named in a ``nav`` setting."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [u for v in nav.values() for u in uris(v)]
    if isinstance(nav, list):
        return [u for v in nav for u in uris(v)]
    return []


def language_of(page) -> str:
    return page.file.src_uri.split("/", 1)[0]


def label_homes(nav) -> None:
    """The navigation names a language's home page "首页"/"Home": its title is the site's name, which the
    navigation already shows above the list (mkdocs-material's nav-item.html prefers ``typeset.title``, the
    place its typeset plugin puts a navigation label; the page's own title, used in <title>, stays)."""
    for section in nav.items:
        home = section.children[0] if getattr(section, "children", None) else None
        if home is not None and getattr(home, "is_page", False):
            home.typeset = {"title": t("nav_home", language_of(home))}


def link_within_language(nav) -> None:
    """Previous/next links never cross from the Chinese pages to the English ones."""
    pages = nav.pages
    for i, page in enumerate(pages):
        prev = pages[i - 1] if i > 0 else None
        nxt = pages[i + 1] if i + 1 < len(pages) else None
        page.previous_page = prev if prev is not None and language_of(prev) == language_of(page) else None
        page.next_page = nxt if nxt is not None and language_of(nxt) == language_of(page) else None


class NavMemo:
    """Navigation HTML rendered once and reused: mkdocs-material renders the whole navigation into every
    page, so without this the build's time grows with pages x navigation entries (quadratically with the
    corpus: the navigation of the large benchmark corpus doubled cost 3.8 times that of the large one).

    - Pages outside the navigation (record pages, parallel views): none of its entries is active, so on
      all of them the navigation of one language is the same but for its links, which are relative to the
      page. The first such page renders it; the others reuse it (``__call__``). Pages with navigation
      entries below their own address are rendered as usual.
    - Pages in the navigation: each top-level entry that the page is not in (a review the reader is not
      reading) is likewise the same on every page but for its links (``entry``); only the entry that
      holds the page is rendered for it.

    A reused rendering has its links resolved to site paths, and every page gets them prefixed with its
    own way up to the site root ('../../zh/trials/' where a rendering would write '../'; the same target,
    and one string replacement per page instead of a rendering). The theme
    (site_overrides/partials/nav.html) asks this memo."""

    _LINK = re.compile(r'(\s(?:href|src)=")([^"#:]*)(#[^"]*)?"')

    def __init__(self, nav) -> None:
        self.html: dict[str, str] = {}  # key -> a rendering with site paths ("\ue003zh/trials/")
        self.prefixes: set[str] = set()
        for page in nav.pages:
            parts = page.url.split("/")
            self.prefixes.update("/".join(parts[:i]) + "/" for i in range(len(parts)))

    def __call__(self, page, render):
        """The whole navigation of a page outside it."""
        url = page.url
        if page.parent is not None or not url or url.rstrip("/") + "/" in self.prefixes:
            return render()
        return self._reuse(page, "nav:" + (page.meta or {}).get("lang", "en"), render)

    def entry(self, page, key: str, render, *args):
        """A top-level navigation entry (``render(*args)``) on a page that is not in it; ``key`` names the
        entry (its language and position)."""
        if not page.url:
            return render(*args)
        return self._reuse(page, "entry:" + key, lambda: render(*args))

    def _reuse(self, page, key: str, render):
        folder = page.url if page.url.endswith("/") else posixpath.dirname(page.url) + "/"
        if key not in self.html:
            self.html[key] = self._LINK.sub(lambda m: f'{m.group(1)}{_SITE}{_site_path(folder, m.group(2))}'
                                                      f'{m.group(3) or ""}"', str(render()))
        return Markup(self.html[key].replace(_SITE, "../" * folder.count("/")))


_SITE = "\ue003"  # marks a site path in a memorised navigation


def _site_path(base: str, link: str) -> str:
    """The site path of a relative ``link`` on a page in folder ``base`` ('zh/trials/x/', '../../' -> 'zh/')."""
    if not link:
        return base
    path = posixpath.normpath(posixpath.join(base, link))
    path = "" if path == "." else path
    return path + "/" if (link.endswith("/") or link in (".", "..")) and path else path
