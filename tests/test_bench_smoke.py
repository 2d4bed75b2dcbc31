"""The benchmark harness on a tiny corpus, so that `make bench` cannot rot (the benchmark itself is not run).

The harness is run once, as a user runs it (bench/run.py in a subprocess), with every part that fits in
a few seconds: the tiny corpus, the floor (captured from our build), ours, the mkdocs-bibtex +
mkdocs-static-i18n peer, the checker and an incremental rebuild under `mkdocs serve`. The citation case
is checked for its projects only (building them costs too much for a smoke test).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


def _missing(*modules: str) -> list[str]:
    return [m for m in modules if importlib.util.find_spec(m) is None]


def test_corpus_is_deterministic_and_valid(tmp_path):
    sys.path.insert(0, str(BENCH))
    try:
        import corpus
    finally:
        sys.path.remove(str(BENCH))
    a, b = tmp_path / "a", tmp_path / "b"
    corpus.generate(a, "tiny")
    corpus.generate(b, "tiny")
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    assert (a / "refs.bib").read_text(encoding="utf-8").count("\n@") == corpus.SIZES["tiny"]["refs"]
    assert len(list((a / "content" / "trials").glob("*.md"))) == corpus.SIZES["tiny"]["trials"]
    check = subprocess.run([sys.executable, "-m", "generator", "check"], cwd=a, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    cases = corpus.citation_case(tmp_path / "cite", pages=4, citations=80, entries=50)
    plain = "".join(p.read_text(encoding="utf-8") for p in (cases["plain"] / "docs").glob("*-*.md"))
    assert plain.count("@") == 80
    assert "[@" not in "".join(p.read_text(encoding="utf-8") for p in (cases["ours-nocite"] / "content").rglob("*.md"))


def test_harness_runs_on_a_tiny_corpus(tmp_path):
    out = tmp_path / "bench"
    # without the bench extras (make test installs only the test extras) the peer is left out
    peer = not _missing("mkdocs_bibtex", "mkdocs_static_i18n")
    cmd = [sys.executable, str(BENCH / "run.py"), "--tiny", "--runs", "1", "--no-warmup", "--no-profile", "--no-pdf",
           "--no-citations", "--timeout", "120", "--out", str(out), *([] if peer else ["--no-peer"])]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    latest = data["latest"]
    assert latest["errors"] == []
    assert latest["machine"]["cores"] and latest["machine"]["packages"]["mkdocs"]
    builds = latest["sizes"]["tiny"]["builds"]
    for variant in ("floor", "ours", "check", *(["peer"] if peer else [])):
        assert builds[variant]["median_s"] and builds[variant]["median_s"] > 0, (variant, builds[variant])
        assert not builds[variant]["failures"], builds[variant]["failures"]
    assert builds["ours"]["peak_rss_mb"] > 0
    serve = latest["serve"]["tiny"]["pdf_off"]
    assert serve.get("median_rebuild_s"), serve
    ids = {t["id"] for t in latest["targets"]}
    assert {"floor-tiny", "peer-tiny", "check-tiny", "memory-tiny"} <= ids  # peer-tiny is n/a without the peer
    md = (out / "BENCHMARKS.md").read_text(encoding="utf-8")
    for heading in ("## Machine", "## Targets", "## Builds", "## Incremental rebuild", "## Method"):
        assert heading in md
    assert "PASS" in md or "FAIL" in md
    # the floor is built from what our plugin generated: the same page files
    floor_docs = out / "work" / "tiny" / "floor" / "docs"
    assert (floor_docs / "zh" / "index.md").exists() and (floor_docs / "en" / "index.md").exists()
    assert not any("[@" in p.read_text(encoding="utf-8") for p in floor_docs.rglob("*.md"))
