"""A copy of the built site that works opened from disk (``file://``), without a web server.

The published site links folders (``../zh/ici-hcc/``): a web server answers them with the folder's
``index.html``, a browser reading files shows a folder listing. mkdocs-material's search loads its index
with a request a browser refuses for ``file://`` pages and runs in a Web Worker, which Chromium refuses
to start from a file. So the copy

- links ``…/index.html`` wherever the site links a folder (pages, language switcher, search results);
- has each search index also as a script (``search/search_index.js``, ``var __index = …``), which
  mkdocs-material's bundle loads instead of the JSON on ``file://`` pages;
- runs the search worker in a hidden frame of the page (``assets/javascripts/offline.js``, in
  site_overrides/, loaded by every page before the theme's bundle and inert on a web server).

mkdocs-material's own ``offline`` plugin does the first two by building the whole site again without
directory URLs, and the third with a script from a CDN; a rewrite of the finished site is a fraction of a
build and fetches nothing. The online site keeps its clean URLs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from . import sitedir

# href/src attributes of the finished pages (MkDocs and our templates always quote with ").
LINK = re.compile(r'(?P<attr>\b(?:href|src))="(?P<url>[^"]*)"')
FOLDER_URL = re.compile(r"(?P<path>[^?#]*)(?P<rest>[?#].*)?", re.S)


def file_url(url: str) -> str:
    """A site-relative link to a folder as a link to its ``index.html``; any other link unchanged."""
    if not url or url.startswith(("#", "/", "data:", "mailto:", "javascript:")) or urlsplit(url).scheme:
        return url
    m = FOLDER_URL.fullmatch(url)
    assert m is not None
    path, rest = m.group("path"), m.group("rest") or ""
    if path in ("", ".", "..") or path.endswith("/"):
        if not path:
            return url  # "?q=…" on the page itself
        return (path if path.endswith("/") else path + "/") + "index.html" + rest
    return url


def rewrite_page(text: str) -> str:
    return LINK.sub(lambda m: f'{m.group("attr")}="{file_url(m.group("url"))}"', text)


def search_script(index_json: str) -> str:
    """The search index as a script, its result addresses made file addresses."""
    data = json.loads(index_json)
    for doc in data.get("docs", []):
        if isinstance(doc.get("location"), str):
            doc["location"] = file_url(doc["location"]) if doc["location"] else "index.html"
    return "var __index = " + json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + ";\n"


def make_offline(site: Path, out: Path, warn: Callable[[str], None] | None = None) -> Path:
    """Copy ``site`` to ``out`` made to work from ``file://``; ``out`` is replaced whole, only when done.
    ``warn`` is told of an earlier copy that could not be removed (sitedir.not_removed_message)."""
    site, out = Path(site), Path(out)
    stuck = sitedir.clear_leftovers(out)
    staging = sitedir.prepare(out)
    try:
        shutil.copytree(site, staging, dirs_exist_ok=True)
        for path in sorted(staging.rglob("*.html")):
            text = path.read_text(encoding="utf-8")
            new = rewrite_page(text)
            if new != text:
                path.write_text(new, encoding="utf-8")
        for index in sorted(staging.rglob("search/search_index.json")):
            index.with_suffix(".js").write_text(search_script(index.read_text(encoding="utf-8")),
                                                encoding="utf-8")
        left = sitedir.publish(staging, out)
    except BaseException:
        sitedir.discard(staging)
        raise
    for u in [*stuck, *([left] if left is not None else [])]:
        if warn is not None:
            warn(sitedir.not_removed_message(u, out))
    return out


def default_out(site: Path) -> Path:
    """``site-offline/`` beside ``site/`` (git-ignored)."""
    return site.parent / f"{site.name}-offline"


def is_built(site: Path) -> bool:
    return all((site / lang / "index.html").exists() for lang in ("zh", "en")) and os.path.isdir(site)
