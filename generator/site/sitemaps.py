"""One sitemap per language (``zh/sitemap.xml``, ``en/sitemap.xml``), with hreflang pairs.

mkdocs-material's bundle reads ``<language root>/sitemap.xml``; the per-language files
also tell search engines which page is the other language's counterpart.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
HREFLANG = {"zh": "zh-CN", "en": "en"}


def write_language_sitemaps(site_dir: Path, site_url: str) -> None:
    src = site_dir / "sitemap.xml"
    if not src.exists() or not site_url:
        return
    ET.register_namespace("", NS)
    ET.register_namespace("xhtml", XHTML)
    root = ET.parse(src).getroot()
    entries = [(u.findtext(f"{{{NS}}}loc") or "", u.findtext(f"{{{NS}}}lastmod")) for u in root.findall(f"{{{NS}}}url")]
    for lang, other in (("zh", "en"), ("en", "zh")):
        out = ET.Element(f"{{{NS}}}urlset")
        for loc, lastmod in entries:
            path = loc[len(site_url):] if loc.startswith(site_url) else None
            if path is None or not path.startswith(f"{lang}/"):
                continue
            url = ET.SubElement(out, f"{{{NS}}}url")
            ET.SubElement(url, f"{{{NS}}}loc").text = loc
            if lastmod:
                ET.SubElement(url, f"{{{NS}}}lastmod").text = lastmod
            for code, target in ((lang, path), (other, other + path[len(lang):])):
                ET.SubElement(url, f"{{{XHTML}}}link", rel="alternate", hreflang=HREFLANG[code],
                              href=site_url + target)
        target = site_dir / lang / "sitemap.xml"
        target.parent.mkdir(parents=True, exist_ok=True)
        ET.ElementTree(out).write(target, encoding="utf-8", xml_declaration=True)
