"""One search index per language.

mkdocs-material's search plugin builds one index per build, and a merged index mixes
languages and breaks Chinese segmentation. Its plugin still parses every page (we
reuse that well-kept parser); here its entries are split by language into
``zh/search/search_index.json`` and ``en/search/search_index.json``, each with the
separator of its language, and the merged file is removed. The theme points each page
at its language's index (site_overrides/main.html sets ``base``).
"""

from __future__ import annotations

import json
from pathlib import Path

# mkdocs-material's own values for each language (partials/languages/{zh,en}.html).
SEARCH_CONFIG = {
    "zh": {"lang": ["en"], "separator": r"[\s\u200b\u3000\-、。，．？！；]+", "pipeline": ["stemmer"]},
    "en": {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": ["stopWordFilter"]},
}


def split_by_language(config) -> None:
    plugin = config.plugins.get("material/search")
    site = Path(config.site_dir)
    merged = site / "search" / "search_index.json"
    if plugin is None or not merged.exists():
        return
    data = json.loads(merged.read_text(encoding="utf-8"))
    for lang, cfg in SEARCH_CONFIG.items():
        prefix = f"{lang}/"
        docs = []
        for doc in data["docs"]:
            if doc["location"].startswith(prefix):
                docs.append({**doc, "location": doc["location"][len(prefix):]})
        out = {"config": {**data["config"], **cfg}, "docs": docs}
        target = site / lang / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(out, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
                          encoding="utf-8")
    merged.unlink()
