"""Search quality: the checked-in queries (tests/search_queries.yml) against the built indexes.

The queries are answered by the search worker the site ships (mkdocs-material's lunr worker,
``assets/javascripts/workers/search.*.min.js``), run in Node by tests/browser/worker_harness.js:
the same tokenizer, query rewriting and ranking as in the reader's browser, without a browser.
tests/browser/test_search_ui.py checks in Chromium that the browser gives the same answers.

Recall: the share of expected pages (or page sections) found among the first 10 result items
of the search dialog, per language of the query and per language site; each must be >= 0.95.

Run ``python tests/test_search_quality.py [site-dir]`` for the full report on a built site.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "search_queries.yml"
HARNESS = HERE / "browser" / "worker_harness.js"
TOP = 10
MIN_RECALL = 0.95
HAN = re.compile(r"[\u3400-\u9fff]")


@dataclass
class Query:
    q: str
    site: str
    expect: list[str]
    why: str = ""

    @property
    def language(self) -> str:
        return "zh" if HAN.search(self.q) else "en"


@dataclass
class Outcome:
    query: Query
    groups: list[list[str]]  # the result items: locations of the page and its sections, best first
    found: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)


def load_queries(path: Path = QUERIES) -> list[Query]:
    return [Query(**item) for item in yaml.safe_load(path.read_text(encoding="utf-8"))]


def worker_script(site: Path) -> Path:
    found = sorted((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    assert found, f"no search worker in {site}"
    return found[0]


def run_worker(site: Path, lang: str, queries: list[str]) -> list[list[list[str]]]:
    """For each query, the result items (lists of locations) in the order the search dialog shows them."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed to run the site's search worker (apt install nodejs)")
    index = site / lang / "search" / "search_index.json"
    proc = subprocess.run([node, str(HARNESS), str(worker_script(site)), str(index)],
                          input=json.dumps(queries), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return [[[doc["location"] for doc in group] for group in r["groups"]] for r in json.loads(proc.stdout)]


def judge(query: Query, groups: list[list[str]]) -> Outcome:
    out = Outcome(query, groups)
    top = groups[:TOP]
    for want in query.expect:
        page = want.split("#")[0]
        ok = any(loc.split("#")[0] == page and (want == page or want in group) for group in top for loc in group[:1])
        (out.found if ok else out.missed).append(want)
    return out


def evaluate(site: Path, queries: list[Query]) -> list[Outcome]:
    outcomes: dict[int, Outcome] = {}
    for lang in ("zh", "en"):
        mine = [(i, q) for i, q in enumerate(queries) if q.site == lang]
        if not mine:
            continue
        results = run_worker(site, lang, [q.q for _, q in mine])
        for (i, q), groups in zip(mine, results):
            outcomes[i] = judge(q, groups)
    return [outcomes[i] for i in sorted(outcomes)]


def recall(outcomes: list[Outcome]) -> float:
    want = sum(len(o.query.expect) for o in outcomes)
    return sum(len(o.found) for o in outcomes) / want if want else 1.0


def report(outcomes: list[Outcome]) -> tuple[str, dict[str, float]]:
    figures = {}
    lines = [f"Search recall@{TOP} over {len(outcomes)} queries "
             f"({sum(len(o.query.expect) for o in outcomes)} expected pages):"]
    for label, pick in (("Chinese queries", lambda o: o.query.language == "zh"),
                        ("English queries", lambda o: o.query.language == "en"),
                        ("on the Chinese site", lambda o: o.query.site == "zh"),
                        ("on the English site", lambda o: o.query.site == "en")):
        group = [o for o in outcomes if pick(o)]
        figures[label] = recall(group)
        lines.append(f"  {label:<22} {figures[label]:.3f}  ({sum(len(o.found) for o in group)}"
                     f"/{sum(len(o.query.expect) for o in group)}, {len(group)} queries)")
    for o in outcomes:
        if o.missed:
            first = [g[0] for g in o.groups[:TOP]]
            lines.append(f"  MISSED [{o.query.site}] {o.query.q!r}: {', '.join(o.missed)}\n      top: {first}")
    return "\n".join(lines), figures


# -------------------------------------------------------------------------------------------------------------
# Tests
# -------------------------------------------------------------------------------------------------------------


def test_query_set_is_large_and_bilingual():
    queries = load_queries()
    assert len(queries) >= 60
    zh = [q for q in queries if q.language == "zh"]
    en = [q for q in queries if q.language == "en"]
    assert min(len(zh), len(en)) >= 30, (len(zh), len(en))
    assert all(q.site in ("zh", "en") and q.expect for q in queries)
    for q in queries:  # an expectation names a page of the site the query is typed into
        assert all(not e.startswith(("zh/", "en/", "/")) for e in q.expect), q


def test_expected_pages_exist(built_site):
    for q in load_queries():
        index = json.loads((built_site / q.site / "search" / "search_index.json").read_text(encoding="utf-8"))
        locations = {d["location"] for d in index["docs"]}
        for want in q.expect:
            assert want in locations, f"{q.q!r}: {want} is not in the {q.site} index (renamed page or heading?)"


def test_recall_per_language(built_site, request):
    outcomes = evaluate(built_site, load_queries())
    text, figures = report(outcomes)
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line("\n" + text)
    out = HERE.parent / "test-artifacts"
    out.mkdir(exist_ok=True)
    (out / "search-quality.txt").write_text(text + "\n", encoding="utf-8")
    low = {k: v for k, v in figures.items() if v < MIN_RECALL}
    assert not low, text


def test_results_stay_in_their_language(built_site):
    """Each language's index holds only that language's pages (a merged index was the old failure)."""
    for lang, other in (("zh", "en"), ("en", "zh")):
        index = json.loads((built_site / lang / "search" / "search_index.json").read_text(encoding="utf-8"))
        assert index["docs"], lang
        assert not any(d["location"].startswith(f"{other}/") for d in index["docs"])
    assert not (built_site / "search" / "search_index.json").exists()
    zh_text = json.loads((built_site / "zh" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert sum(bool(HAN.search(d["text"])) for d in zh_text["docs"]) > len(zh_text["docs"]) / 2


def index_terms(index: dict) -> set[str]:
    """Every term of an index, as the worker's tokenizer makes them (lower case, sentinel removed)."""
    sep = re.compile(index["config"]["separator"])
    terms = set()
    for d in index["docs"]:
        for f in index["config"]["fields"]:
            value = d.get(f, "")
            value = " ".join(value) if isinstance(value, list) else value
            terms.update(t.lower().rstrip("\u2060") for t in sep.split(re.sub(r"<[^>]+>", " ", value)) if t)
    return terms


def test_drug_names_stay_whole_and_parts_are_found(built_site):
    index = json.loads((built_site / "zh" / "search" / "search_index.json").read_text(encoding="utf-8"))
    terms = index_terms(index)
    for word in ("帕博利珠单抗", "仑伐替尼", "肝动脉灌注化疗", "经动脉化疗栓塞"):
        assert word in terms, word
    assert "帕" not in terms and "仑" not in terms and "帕博" not in terms  # not cut into pieces
    assert any(t.startswith("化疗栓塞") for t in terms) and any(t.startswith("栓塞") for t in terms)
    assert "lenvatinib" in terms and "nct03006926" in terms and "imbrave150" in terms
    # no Chinese term is the beginning of a Chinese query: the worker keeps Chinese queries whole
    han_terms = [d for d in index["docs"] if re.search(r"[\u4e00-\u9fff](?![\u4e00-\u9fff\u2060])",
                                                     re.sub(r"<[^>]+>", "", d.get("text", "")))]
    assert not han_terms, han_terms[0]["location"]


@pytest.fixture(scope="module")
def builder():
    from generator.site import search
    from generator.site import searchdict
    return search.IndexBuilder(searchdict.load(HERE.parent / "content"))


def test_builder_segments_with_the_records_lexicon(builder):
    from generator.site.search import SENTINEL
    text, runs = builder.segment("<p>帕博利珠单抗联合仑伐替尼（LEAP-012）治疗低血糖</p>")
    words = [w.rstrip(SENTINEL) for w in re.split(r"[\u200b\s<>/p（）()]+", text) if w]
    assert "帕博利珠单抗" in words and "仑伐替尼" in words, words
    assert all(w.endswith(SENTINEL) for w in re.findall(r"[\u4e00-\u9fff]+\u2060?", text))
    assert runs == ["帕博利珠单抗联合仑伐替尼", "治疗低血糖"]
    parts = builder.parts(runs).split()
    assert "血糖" + SENTINEL in parts and "仑伐替尼" + SENTINEL in parts  # 血糖 finds 低血糖


def test_builder_adds_the_other_names(builder):
    zh = builder.entry({"location": "zh/x/#s", "title": "经动脉栓塞治疗（TACE）",
                        "text": "<p>TACE 联合仑伐替尼，见 NCT03006926。</p>"}, "zh", "x/#s")
    for name in ("经动脉化疗栓塞", "lenvatinib", "KEYNOTE-524", "transarterial chemoembolization"):
        assert name in zh["names"].replace("\u2060", "").replace("\u200b", ""), (name, zh["names"])
    assert "transarterial" in zh["tnames"]
    en = builder.entry({"location": "en/x/", "title": "Lenvatinib", "text": "<p>TACE plus lenvatinib</p>"},
                       "en", "x/")
    assert "transarterial chemoembolization" in en["names"] and not HAN.search(en["names"])
    assert en["aka"] == "lenvatinib"  # the page is about lenvatinib
    assert builder.entry({"location": "zh/trials/", "title": "临床研究", "text": "<p>引言</p> 表格"},
                         "zh", "trials/")["text"] == "<p>引言\u2060</p>"


def test_the_five_queries_of_the_issue(built_site):
    checks = [
        ("zh", "仑伐替尼", "ici-hcc/combination-therapy/#4-2-2-icis-combined-with-tkis-acting-mainly-against-vegfr"),
        ("zh", "经动脉化疗栓塞", "ici-hcc/combination-therapy/#4-4-1-transarterial-chemoembolization-tace"),
        ("zh", "lenvatinib", "ici-hcc/combination-therapy/#4-2-2-icis-combined-with-tkis-acting-mainly-against-vegfr"),
        ("en", "lenvatinib", "ici-hcc/combination-therapy/#4-2-2-icis-combined-with-tkis-acting-mainly-against-vegfr"),
        ("zh", "HAIC", "interventional-hcc/clinical-progress/#4-3-advances-in-hepatic-arterial-infusion-chemotherapy-haic-combined-with-targeted-therapy-and-immunotherapy"),
        ("en", "HAIC", "interventional-hcc/clinical-progress/#4-3-advances-in-hepatic-arterial-infusion-chemotherapy-haic-combined-with-targeted-therapy-and-immunotherapy"),
        ("zh", "LEAP-012", "trials/leap-012/"),
        ("en", "LEAP-012", "trials/leap-012/"),
        ("zh", "NCT03006926", "trials/nct03006926/"),
        ("zh", "栓塞", "ici-hcc/combination-therapy/#4-4-1-transarterial-chemoembolization-tace"),
    ]
    for lang in ("zh", "en"):
        mine = [(q, want) for site_lang, q, want in checks if site_lang == lang]
        for (q, want), groups in zip(mine, run_worker(built_site, lang, [q for q, _ in mine])):
            assert any(want in g for g in groups[:TOP]), (lang, q, [g[0] for g in groups[:TOP]])


if __name__ == "__main__":
    site = Path(sys.argv[1] if len(sys.argv) > 1 else HERE.parent / "site")
    text, figures = report(evaluate(site, load_queries()))
    print(text)
    sys.exit(0 if all(v >= MIN_RECALL for v in figures.values()) else 1)
