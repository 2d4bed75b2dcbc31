"""The offline copy's links: a folder becomes its index.html, everything else is left as it is."""

from __future__ import annotations

import json

import pytest

from generator.site import offline


@pytest.mark.parametrize("url, expected", [
    ("../zh/ici-hcc/", "../zh/ici-hcc/index.html"),
    ("./", "./index.html"),
    ("..", "../index.html"),
    (".", "./index.html"),
    ("en/trials/#imbrave150", "en/trials/index.html#imbrave150"),
    ("../search/?q=TACE", "../search/index.html?q=TACE"),
    ("#ref-5", "#ref-5"),
    ("../pdf/ici-hcc-zh.pdf", "../pdf/ici-hcc-zh.pdf"),
    ("../assets/stylesheets/site.css", "../assets/stylesheets/site.css"),
    ("https://doi.org/10.1056/NEJMoa1915745", "https://doi.org/10.1056/NEJMoa1915745"),
    ("mailto:editor@example.org", "mailto:editor@example.org"),
    ("", ""),
])
def test_links_to_folders_become_links_to_their_index_file(url, expected):
    assert offline.file_url(url) == expected


def test_search_results_of_the_offline_copy_point_at_files():
    script = offline.search_script(json.dumps({"config": {}, "docs": [
        {"location": "ici-hcc/introduction/#top", "title": "t", "text": ""}, {"location": "", "title": "home"}]}))
    assert script.startswith("var __index = ")
    data = json.loads(script[len("var __index = "):].rstrip(";\n"))
    assert [d["location"] for d in data["docs"]] == ["ici-hcc/introduction/index.html#top", "index.html"]
