"""Site paths that every layer shares: where a page or a file is published, and the relative link
from one page to another. A leaf module: it imports nothing of the generator.

Site paths are relative to the site root, without a leading slash: 'zh/ici-hcc/ici-monotherapy/' (a
page, with directory URLs), 'pdf/ici-hcc-zh.pdf' (a file).
"""

from __future__ import annotations

import functools
import posixpath

PDF_DIR = "pdf"


def rel(from_url: str, to_url: str) -> str:
    """Relative link between two site URLs ('zh/a/b/' -> 'en/a/b/#x' gives '../../../en/a/b/#x')."""
    path, _, frag = to_url.partition("#")
    return _rel_path(from_url, path) + (f"#{frag}" if frag else "")


@functools.lru_cache(maxsize=65536)  # backlinks and citations ask for the same few pages thousands of times
def _rel_path(from_url: str, path: str) -> str:
    if not path:
        return ""
    base = posixpath.dirname(from_url.rstrip("/") + "/x") if from_url.endswith("/") else posixpath.dirname(from_url)
    out = posixpath.relpath(path, base or ".")
    if path.endswith("/") and out != "." and not out.endswith("/"):
        out += "/"
    return "./" if out == "." else out


def page_uri(url: str, *, index: bool = False) -> str:
    """'zh/ici-hcc/x/' -> 'zh/ici-hcc/x.md'; with ``index`` 'zh/ici-hcc/' -> 'zh/ici-hcc/index.md'."""
    url = url.strip("/")
    if not url:
        return "index.md"
    return f"{url}/index.md" if index else f"{url}.md"


def trial_url(lang: str, trial_id: str) -> str:
    return f"{lang}/trials/{trial_id}/"


def regimen_url(lang: str, regimen_id: str) -> str:
    return f"{lang}/regimens/{regimen_id}/"


def review_pdf(review_id: str, lang: str) -> str:
    """The site path of a review's PDF: 'pdf/ici-hcc-zh.pdf'."""
    return f"{PDF_DIR}/{review_id}-{lang}.pdf"


def handout_pdf(lang: str) -> str:
    return f"{PDF_DIR}/handout-regimens-{lang}.pdf"
