"""The search-quality set (tests/search_queries.yml) run against a built site, and its figures.

Used by tests/test_search_quality.py (the thresholds), tests/browser/test_search_ui.py (Chromium must
answer as Node does) and bench/run.py (``make bench`` prints the figures).

The queries are answered by the search worker the site ships (assets/javascripts/workers/hcc-search.js,
which reads the query and hands it to mkdocs-material's lunr worker), run in Node by
tests/browser/worker_harness.js: the same code as in the reader's browser, without a browser.

Figures:

* **rank**: the position of the first relevant result item in the search dialog (1 = the first item);
  for a *name query* (one with an ``answer``: the record page an exact trial, drug or regimen name must
  bring first) the position of that page; 0 = not found at all.
* **recall@10**: the share of the expected pages (and sections) found among the first 10 items.
* **rank-1 share**: the share of name queries whose answer is the first item.
* **MRR**: the mean of 1/rank over all queries (0 for a query that finds nothing relevant).
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "search_queries.yml"
HARNESS = HERE / "browser" / "worker_harness.js"
TOP = 10
MIN_RECALL = 0.95  # recall@10 of every language group, and of the queries that are not name queries
MIN_RANK1 = 0.95  # share of name queries answered first
SITES = ("zh", "en", "root")
KINDS = ("name", "alias", "run-together", "cross-language", "topic")
HAN = re.compile(r"[\u3400-\u9fff]")


@dataclass
class Query:
    q: str
    site: str
    expect: list[str] = field(default_factory=list)
    answer: str = ""
    kind: str = "topic"
    why: str = ""

    @property
    def language(self) -> str:
        return "zh" if HAN.search(self.q) else "en"

    @property
    def relevant(self) -> list[str]:
        """What must be among the first 10 items: the answer, then the expected pages."""
        return ([self.answer] if self.answer else []) + [e for e in self.expect if e != self.answer]


@dataclass
class Outcome:
    query: Query
    groups: list[list[str]]  # the result items: locations of the page and its sections, best first
    read: str = ""  # the query as lunr got it
    found: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    rank: int = 0


def load_queries(path: Path = QUERIES) -> list[Query]:
    return [Query(**item) for item in yaml.safe_load(path.read_text(encoding="utf-8"))]


def index_path(site: Path, lang: str) -> Path:
    """The index a page of ``lang`` loads ('root': the root page's, which names both languages')."""
    return site / "search" / "search_index.json" if lang == "root" else site / lang / "search" / "search_index.json"


def run_worker(site: Path, lang: str, queries: list[str], *, read_only: bool = False) -> list[dict]:
    """For each query, {query, read, groups}: the result items (lists of {location, score, title, tags,
    terms}) in the order the search dialog shows them; with ``read_only`` only how the query was read."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("Node.js is needed to run the site's search worker (apt install nodejs)")
    proc = subprocess.run([node, str(HARNESS), *(["--read"] if read_only else []), str(site),
                           str(index_path(site, lang))],
                          input=json.dumps(queries), capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr)
    return json.loads(proc.stdout)


def locations(result: dict) -> list[list[str]]:
    return [[doc["location"] for doc in group] for group in result["groups"]]


def item_rank(want: str, groups: list[list[str]]) -> int:
    """The position (from 1) of the first item that is ``want`` (a page, or 'page#anchor': that page's
    item listing that section); 0 if none is."""
    page = want.split("#")[0]
    for i, group in enumerate(groups, 1):
        if group and group[0].split("#")[0] == page and (want == page or want in group):
            return i
    return 0


def judge(query: Query, groups: list[list[str]], read: str = "") -> Outcome:
    out = Outcome(query, groups, read)
    for want in query.relevant:
        r = item_rank(want, groups)
        (out.found if 0 < r <= TOP else out.missed).append(want)
    ranks = [item_rank(w, groups) for w in ([query.answer] if query.answer else query.expect)]
    out.rank = min((r for r in ranks if r), default=0)
    return out


def evaluate(site: Path, queries: list[Query]) -> list[Outcome]:
    outcomes: dict[int, Outcome] = {}
    for lang in SITES:
        mine = [(i, q) for i, q in enumerate(queries) if q.site == lang]
        if not mine:
            continue
        for (i, q), result in zip(mine, run_worker(site, lang, [q.q for _, q in mine])):
            outcomes[i] = judge(q, locations(result), result["read"])
    return [outcomes[i] for i in sorted(outcomes)]


def recall(outcomes: list[Outcome]) -> float:
    want = sum(len(o.query.relevant) for o in outcomes)
    return sum(len(o.found) for o in outcomes) / want if want else 1.0


def figures(outcomes: list[Outcome]) -> dict[str, float]:
    names = [o for o in outcomes if o.query.answer]
    rest = [o for o in outcomes if not o.query.answer]
    out = {
        "queries": len(outcomes),
        "name queries": len(names),
        "rank-1 share of name queries": sum(o.rank == 1 for o in names) / len(names) if names else 1.0,
        "recall@10 of the other queries": recall(rest),
        "recall@10 of all queries": recall(outcomes),
        "MRR": sum(1 / o.rank for o in outcomes if o.rank) / len(outcomes) if outcomes else 0.0,
    }
    return out


GROUPS = (("Chinese queries", lambda o: o.query.language == "zh"),
          ("English queries", lambda o: o.query.language == "en"),
          ("on the Chinese site", lambda o: o.query.site == "zh"),
          ("on the English site", lambda o: o.query.site == "en"),
          ("on the root page", lambda o: o.query.site == "root"))


def report(outcomes: list[Outcome]) -> tuple[str, dict[str, float]]:
    """The figures as text (with every query's rank), and the recall of each language group."""
    fig = figures(outcomes)
    lines = [f"Search quality over {fig['queries']} queries ({sum(len(o.query.relevant) for o in outcomes)} "
             f"expected pages; {fig['name queries']} name queries):",
             f"  name queries answered first  {fig['rank-1 share of name queries']:.3f}",
             f"  recall@{TOP} of the others      {fig['recall@10 of the other queries']:.3f}",
             f"  recall@{TOP} of all             {fig['recall@10 of all queries']:.3f}",
             f"  mean reciprocal rank         {fig['MRR']:.3f}",
             f"Recall@{TOP} by group:"]
    groups = {}
    for label, pick in GROUPS:
        group = [o for o in outcomes if pick(o)]
        if not group:
            continue
        groups[label] = recall(group)
        lines.append(f"  {label:<22} {groups[label]:.3f}  ({sum(len(o.found) for o in group)}"
                     f"/{sum(len(o.query.relevant) for o in group)}, {len(group)} queries)")
    lines.append("By kind (queries, MRR):")
    for kind in KINDS:
        group = [o for o in outcomes if o.query.kind == kind]
        if group:
            mrr = sum(1 / o.rank for o in group if o.rank) / len(group)
            lines.append(f"  {kind:<16} {len(group):4}  {mrr:.3f}")
    lines.append("Rank of the first relevant item (name queries: of the answer), per query:")
    for o in outcomes:
        mark = "" if (o.rank == 1 or not o.query.answer) and not o.missed else "  <--"
        lines.append(f"  {o.rank or '-':>3}  [{o.query.site}] {o.query.kind:<14} {o.query.q}{mark}")
    for o in outcomes:
        if o.missed or (o.query.answer and o.rank != 1):
            first = [g[0] for g in o.groups[:TOP]]
            lines.append(f"  MISSED [{o.query.site}] {o.query.q!r} (read {o.read!r}): {', '.join(o.missed) or '-'}"
                         f"{'' if o.rank == 1 or not o.query.answer else f'; answer at {o.rank}'}\n      top: {first}")
    return "\n".join(lines), groups


def sizes(site: Path) -> dict[str, dict[str, int]]:
    """Bytes (and gzip -9 bytes) of each index and of the site's search worker script."""
    files = {"zh index": index_path(site, "zh"), "en index": index_path(site, "en"),
             "root index": index_path(site, "root"),
             "query reader (hcc-search.js)": site / "assets" / "javascripts" / "workers" / "hcc-search.js"}
    return {name: {"bytes": p.stat().st_size, "gzip": len(gzip.compress(p.read_bytes(), 9, mtime=0))}
            for name, p in files.items() if p.exists()}
