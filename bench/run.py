#!/usr/bin/env python
"""The benchmark harness: ``make bench`` (or ``.venv/bin/python bench/run.py``).

Writes ``BENCHMARKS.md`` (repository root) and ``bench/results.json``; the generated projects, the build
outputs, the logs and the profiles go to ``bench/work/`` (git-ignored). ``--out DIR`` writes all three into
DIR instead (the smoke test uses that).

What is measured, side by side in one run (each build a separate process, wall time, median of the runs;
peak RSS of the process from ``wait4``):

* for each corpus size (``real`` = the repository's content, ``small``, ``large``, ``large-x2``; see
  bench/corpus.py):
  - **floor**: plain ``mkdocs build`` with mkdocs-material (same theme overrides, same markdown
    extensions, same search plugin) over the pages *our* generator produced -- captured from a build
    with bench/hooks.py, so citations, record tables and charts are already expanded -- with the same
    nav, and no bilingual plugin;
  - **ours**: our full build (both languages, parallel views, record pages, data files); the PDF export
    is turned off in these builds and timed on its own (``pdf``);
  - **peer**: the same pages written as an author using mkdocs-bibtex (its pandoc-free pybtex path,
    ``[@key]`` citations against refs.bib) and mkdocs-static-i18n (``docs/zh``, ``docs/en``) would write
    them, as far as they can express them: section, landing, record, glossary pages; no parallel views,
    no reference pages;
  - **check**: ``python -m generator check``;
* the **citation case**: 50 pages with 4,000 citations against a 10,000-entry refs.bib, built without
  citation processing, with mkdocs-bibtex, and with ours (with the citations, and without them and
  with an empty refs.bib: the difference is our citation overhead);
* an **incremental rebuild** under ``mkdocs serve`` (127.0.0.1, a free port): the time from saving an
  edited section file until the server logs "Reloading browsers";
* the **PDF export** on its own (cold: no PDF cache).

Every measurement starts with a warm-up round (reported as "first run": for ours it runs with an empty
``.cache``, i.e. a cold bibliography cache); then ``--runs`` rounds, the variants in a rotating order so
that the machine's noise falls on all of them alike. Ratios are ratios of the medians of the same run.
A time budget (``--budget``, default 15 minutes) lowers the number of rounds of expensive sizes (never
below one); a build that exceeds ``--timeout`` is stopped and reported.

Targets missed are profiled with pyinstrument (bench/profiling.py) and summarised in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from queue import Empty, Queue
from typing import Any

import yaml

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402

PY = sys.executable
EPOCH = "1767225600"
PACKAGES = ["hcc-reviews-generator", "mkdocs", "mkdocs-material", "pymdown-extensions", "Markdown", "Jinja2",
            "PyYAML", "pybtex", "jieba", "weasyprint", "mkdocs-bibtex", "mkdocs-static-i18n", "pyinstrument",
            "watchdog"]
SIZE_ORDER = ["tiny", "real", "small", "large", "large-x2"]
GIB = 1024 ** 3

# ---------------------------------------------------------------------------------------------------------------
# Processes
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Sample:
    wall: float
    user: float
    sys: float
    rss_mb: float
    rc: int
    timed_out: bool = False
    log: str = ""

    @property
    def ok(self) -> bool:
        return self.rc == 0 and not self.timed_out


# Every build is measured as deployed: with the published addresses that mkdocs.yml takes from the
# environment (canonical and hreflang links, sitemaps, edit links all cost something).
DEPLOYED = {"HCC_SITE_URL": "https://example.org/hcc-reviews/", "HCC_REPO_URL": "https://example.org/hcc-reviews-source/"}


def bench_env(**extra: str) -> dict[str, str]:
    env = {**DEPLOYED, **os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}
    # As a user's machine runs it: modules compiled once and kept (a sandbox that sets this variable makes
    # every build compile our package, and any installed module without a .pyc, from source again).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(extra)
    return env


def run(cmd: list[str], cwd: Path, log: Path, *, env: dict[str, str] | None = None, timeout: float = 1200) -> Sample:
    """Run one process; wall time, CPU time and peak RSS of that process (its waited-for children included)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env or bench_env(),
                             stdin=subprocess.DEVNULL)
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            p.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, ru = os.wait4(p.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
    return Sample(wall=wall, user=ru.ru_utime, sys=ru.ru_stime, rss_mb=ru.ru_maxrss / 1024, rc=p.returncode,
                  timed_out=timed_out.is_set(), log=str(log))


def tail(path: str | Path, n: int = 12) -> str:
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(lines[-n:])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------------------------
# Projects: ours (bench config), the floor (from a capture), the peer
# ---------------------------------------------------------------------------------------------------------------


def plugin_has_pdf_option() -> str | None:
    """The name of the plugin option that turns the PDF export off, when the plugin has one."""
    try:
        from generator.plugin import BilingualConfig
    except Exception:
        return None
    for name in ("pdf", "pdf_export", "export_pdf"):
        if hasattr(BilingualConfig, name):
            return name
    return None


def load_config(path: Path) -> dict:
    """mkdocs.yml as MkDocs reads it (its ``!ENV`` tags resolved with the deployed addresses)."""
    from mkdocs.utils.yaml import yaml_load

    saved = {k: os.environ.get(k) for k in DEPLOYED}
    os.environ.update({k: v for k, v in DEPLOYED.items() if not os.environ.get(k)})
    try:
        return yaml_load(path.read_text(encoding="utf-8"))
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def write_bench_config(project: Path) -> Path:
    """mkdocs.bench.yml: the project's config, the PDF export off, bench/hooks.py loaded."""
    cfg = load_config(project / "mkdocs.yml")
    option = plugin_has_pdf_option()
    if option:
        plugins = []
        for p in cfg.get("plugins") or []:
            if p == "bilingual":
                p = {"bilingual": {option: False}}
            elif isinstance(p, dict) and "bilingual" in p:
                p = {"bilingual": {**(p["bilingual"] or {}), option: False}}
            plugins.append(p)
        cfg["plugins"] = plugins
    cfg["hooks"] = [*(cfg.get("hooks") or []), str(BENCH / "hooks.py")]
    target = project / "mkdocs.bench.yml"
    target.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def ours_env(**extra: str) -> dict[str, str]:
    return bench_env(**({} if plugin_has_pdf_option() else {"BENCH_NO_PDF": "1"}), **extra)


def capture(project: Path, dest: Path, logs: Path, timeout: float) -> Path:
    """Everything our plugin generates for ``project``, captured into ``dest`` (see bench/hooks.py)."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    s = run([PY, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.bench.yml", "-d", str(dest / "_site")], project,
            logs / "capture.log", env=ours_env(BENCH_CAPTURE_DIR=str(dest)), timeout=timeout)
    if not (dest / "done").exists():
        raise RuntimeError(f"capture of {project} failed (exit {s.rc}):\n{tail(s.log)}")
    for leftover in dest.glob("*_site*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in dest.glob("._site*"):
        shutil.rmtree(leftover, ignore_errors=True)
    return dest


def write_floor(project: Path, cap: Path, dest: Path) -> dict[str, int]:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copytree(cap / "docs", dest / "docs")
    cfg = load_config(project / "mkdocs.yml")
    cfg["docs_dir"] = "docs"
    cfg["site_dir"] = "site"
    cfg["plugins"] = [p for p in (cfg.get("plugins") or [])
                      if p != "bilingual" and not (isinstance(p, dict) and "bilingual" in p)]
    theme = cfg.get("theme") or {}
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str((project / theme["custom_dir"]).resolve())
    cfg["nav"] = json.loads((cap / "nav.json").read_text(encoding="utf-8"))
    not_in_nav = json.loads((cap / "not_in_nav.json").read_text(encoding="utf-8"))
    if not_in_nav:
        cfg["not_in_nav"] = "\n".join("/" + u for u in not_in_nav)
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    pages = sum(1 for _ in (dest / "docs").rglob("*.md"))
    return {"pages": pages, "files": sum(1 for p in (dest / "docs").rglob("*") if p.is_file())}


def _front(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        return (yaml.safe_load(text[4:end]) or {}), text[end + 4:]
    return {}, text


RECORDS_BLOCK = re.compile(r"^```records\n(.*?)\n```", re.M | re.S)


def _cites(keys: list[str]) -> str:
    keys = [k for k in keys if k]
    return "[" + "; ".join(f"@{k}" for k in keys) + "]" if keys else ""


def write_peer(project: Path, dest: Path) -> dict[str, int]:
    """The same content as an mkdocs-bibtex + mkdocs-static-i18n author would write it."""
    from generator import pipeline

    if dest.exists():
        shutil.rmtree(dest)
    docs = dest / "docs"
    docs.mkdir(parents=True)
    model = pipeline.load(project)
    content = project / "content"
    trials: dict[str, dict] = {}
    for kind in ("trials", "regimens", "drugs"):
        for path in sorted((content / kind).glob("*.md")) if (content / kind).is_dir() else []:
            data, _ = _front(path)
            data["_kind"], data["_path"] = kind, path
            if kind == "trials":
                trials[str(data.get("id"))] = data
    pages = 0

    def expand_records(text: str) -> str:
        def table(m: re.Match) -> str:
            try:
                spec = yaml.safe_load(m.group(1)) or {}
            except yaml.YAMLError:
                return ""
            rows = ["| Study | Phase | Patients | Ref. |", "|---|---|---:|---|"]
            for tid in spec.get("ids") or []:
                t = trials.get(tid)
                if t:
                    rows.append(f"| {t.get('name', tid)} | {t.get('phase', '')} | {t.get('patients', '')} | "
                                f"{_cites(list(t.get('refs') or []))} |")
            return "\n".join(rows)
        return RECORDS_BLOCK.sub(table, text)

    def write(rel: str, title: str, body: str) -> None:
        nonlocal pages
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n\n# {title}\n\n{body}\n",
                          encoding="utf-8")
        pages += 1

    for lang in ("zh", "en"):
        home = [f"- [{r.title[lang]}]({r.id}/index.md)" for r in model.project.reviews]
        write(f"{lang}/index.md", "肝细胞癌治疗文献综述" if lang == "zh" else "Reviews of HCC treatment", "\n".join(home))
        for review in model.project.reviews:
            for section in review.pages_in_order:
                blocks = []
                for pair in section.body.pairs:
                    text = expand_records(pair.text(lang) or pair.text("zh"))
                    if pair.kind == "heading":
                        text = f"{text.strip()} {{#{pair.anchor}}}"
                    blocks.append(text)
                if section.kind == "landing":
                    blocks.append("\n".join(f"1. [{s.full_title(lang)}]({s.id}.md)" for s in review.sections))
                    rel, title = f"{lang}/{review.id}/index.md", review.title[lang]
                else:
                    rel, title = f"{lang}/{review.id}/{section.id}.md", section.full_title(lang)
                write(rel, title, "\n\n".join(blocks))
        for t in trials.values():
            fields = [("Registry", ", ".join(t.get("registry") or [])), ("Phase", t.get("phase", "")),
                      ("Design", t.get("design", "")), ("Population", (t.get("population") or {}).get(lang, "")),
                      ("Patients", t.get("patients", "")),
                      ("Arms", "; ".join(f"[{a.get('regimen')}](../regimens/{a.get('regimen')}.md)"
                                         + (f" (n={a['n']})" if a.get("n") else "") for a in t.get("arms") or []))]
            body = ["| | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in fields if v != ""]
            body += ["", "## Endpoints", "", "| Measure | Arm | Value | 95% CI | Source |", "|---|---|---:|---|---|"]
            for e in t.get("endpoints") or []:
                ci = "–".join(str(x) for x in e.get("ci") or [])
                body.append(f"| {e.get('measure')} | {e.get('arm', '')} | {e.get('value')} {e.get('unit', '')} | {ci} | "
                            f"{_cites([e.get('source')])} |")
            if t.get("refs"):
                body += ["", "## References", "", _cites(list(t["refs"]))]
            _, notes_src = _front(t["_path"])
            notes = [ln for ln in notes_src.split("\n") if not ln.startswith(":::")]
            body += ["", "\n".join(notes).strip()]
            write(f"{lang}/trials/{t.get('id')}.md", str(t.get("name", t.get("id"))), "\n".join(body))
        for kind in ("regimens", "drugs"):
            for path in sorted((content / kind).glob("*.md")) if (content / kind).is_dir() else []:
                data, _ = _front(path)
                name = (data.get("name") or {}).get(lang, data.get("id"))
                rows = ["| | |", "|---|---|"]
                for k in ("components", "category", "settings", "class", "abbr"):
                    if data.get(k):
                        v = data[k]
                        rows.append(f"| {k} | {', '.join(v) if isinstance(v, list) else v} |")
                if data.get("trials"):
                    rows.append("| trials | " + ", ".join(f"[{x}](../trials/{x}.md)" for x in data["trials"]) + " |")
                write(f"{lang}/{kind}/{data.get('id')}.md", str(name), "\n".join(rows))
        g = model.project.glossary
        if g is not None:
            rows = ["| | |", "|---|---|"] + [f"| {t.abbr} | {t.zh if lang == 'zh' else t.en} |" for t in g.terms]
            write(f"{lang}/glossary.md", g.title[lang], "\n".join(rows))
    shutil.copy(project / "refs.bib", dest / "refs.bib")
    base = load_config(project / "mkdocs.yml")
    theme = {k: v for k, v in (base.get("theme") or {}).items() if k != "custom_dir"}
    cfg = {
        "site_name": base.get("site_name", "Reviews"), "site_url": base.get("site_url"), "docs_dir": "docs",
        "theme": theme,
        "plugins": [
            "search",
            {"i18n": {"docs_structure": "folder", "languages": [
                {"locale": "en", "default": True, "name": "English", "build": True},
                {"locale": "zh", "name": "中文", "build": True}]}},
            {"bibtex": {"bib_file": "refs.bib"}},
        ],
        "markdown_extensions": base.get("markdown_extensions") or [],
        "validation": {"nav": {"omitted_files": "ignore"}, "links": {"not_found": "ignore", "anchors": "ignore"}},
    }
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return {"pages": pages}


# ---------------------------------------------------------------------------------------------------------------
# Measurement
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Variant:
    name: str
    cmd: list[str]
    cwd: Path
    env: dict[str, str]
    site: Path | None = None  # removed before each run
    cold: Path | None = None  # a cache folder emptied before the first run


@dataclass
class Series:
    first: dict | None = None
    samples: list[dict] = field(default_factory=list)
    first_only: bool = False
    failures: list[str] = field(default_factory=list)

    def median(self, key: str = "wall") -> float | None:
        vals = [s[key] for s in self.samples]
        return statistics.median(vals) if vals else None

    def peak_rss(self) -> float | None:
        vals = [s["rss_mb"] for s in self.samples] + ([self.first["rss_mb"]] if self.first else [])
        return max(vals) if vals else None

    def summary(self) -> dict:
        return {"first_s": self.first["wall"] if self.first else None, "median_s": self.median(),
                "median_cpu_s": self.median("cpu"), "runs": len(self.samples),
                "walls_s": [round(s["wall"], 3) for s in self.samples], "peak_rss_mb": self.peak_rss(),
                "first_only": self.first_only,
                "failures": self.failures}


class Budget:
    def __init__(self, seconds: float):
        self.start = time.perf_counter()
        self.seconds = seconds

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def remaining(self) -> float:
        return max(0.0, self.seconds - self.elapsed())


def say(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def measure(variants: list[Variant], runs: int, budget: Budget, logs: Path, timeout: float,
            share: float = 0.5, warmup: bool = True) -> dict[str, Series]:
    """A warm-up round, then up to ``runs`` rounds in rotating order (fewer when the budget is short)."""
    out = {v.name: Series() for v in variants}

    def one(v: Variant, label: str) -> dict | None:
        if v.site is not None and v.site.exists():
            shutil.rmtree(v.site, ignore_errors=True)
        s = run(v.cmd, v.cwd, logs / f"{v.name}-{label}.log", env=v.env, timeout=timeout)
        if not s.ok:
            why = "timed out" if s.timed_out else f"exit {s.rc}"
            out[v.name].failures.append(f"{label}: {why}: {tail(s.log, 6)}")
            say(f"  {v.name} {label}: FAILED ({why}); log {s.log}")
            return None
        d = {"wall": s.wall, "cpu": s.user + s.sys, "rss_mb": s.rss_mb}
        say(f"  {v.name} {label}: {s.wall:.2f} s, {s.rss_mb:.0f} MB")
        return d

    t0 = time.perf_counter()
    for v in variants:
        if v.cold is not None and v.cold.exists():
            shutil.rmtree(v.cold, ignore_errors=True)
        out[v.name].first = one(v, "first")
        if not warmup and out[v.name].first is not None:
            out[v.name].samples.append(out[v.name].first)
    round_cost = time.perf_counter() - t0
    if not warmup:
        runs -= 1  # the first round counts
    n = runs
    if runs > 0 and budget.remaining() * share < round_cost * runs:
        n = min(runs, int(budget.remaining() * share // max(round_cost, 1e-6)))
        if n == 0 and warmup:
            if budget.remaining() > round_cost:
                n = 1
            else:  # not even one more round fits: the first run is the only sample
                for s in out.values():
                    if s.first is not None:
                        s.samples.append(s.first)
                        s.first_only = True
        say(f"  budget: {n} more round(s) instead of {runs} (a round takes {round_cost:.0f} s)")
    broken = {name for name, s in out.items() if s.first is None}
    for r in range(n):
        order = variants[r % len(variants):] + variants[:r % len(variants)]
        for v in order:
            if v.name in broken:
                continue
            d = one(v, f"run{r + 1}")
            if d is not None:
                out[v.name].samples.append(d)
            else:
                broken.add(v.name)
    return out


def serve_incremental(project: Path, config: str, env: dict[str, str], logs: Path, *, edits: int, timeout: float,
                      name: str) -> dict:
    """Start ``mkdocs serve`` on 127.0.0.1, edit one section ``edits`` times, time save -> 'Reloading browsers'."""
    port = free_port()
    log_path = logs / f"serve-{name}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    sections = sorted(p for p in (project / "content").glob("*/[0-9][0-9]-*.md"))
    if not sections:
        return {"error": "no section file to edit"}
    target = sections[len(sections) // 2]
    original = target.read_text(encoding="utf-8")
    cmd = [PY, "-m", "mkdocs", "serve", "-f", config, "-a", f"127.0.0.1:{port}", "--livereload"]
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                         stdin=subprocess.DEVNULL, text=True, encoding="utf-8", errors="replace")
    lines: Queue = Queue()
    log_file = open(log_path, "w", encoding="utf-8")

    def reader() -> None:
        assert p.stdout is not None
        for line in p.stdout:
            log_file.write(line)
            lines.put((time.perf_counter(), line))
        lines.put((time.perf_counter(), None))

    threading.Thread(target=reader, daemon=True).start()

    def wait_for(pattern: str, deadline: float, collect: list | None = None) -> float | None:
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                return None
            try:
                t, line = lines.get(timeout=min(left, 1.0))
            except Empty:
                continue
            if line is None:
                return None
            if collect is not None:
                collect.append(line)
            if pattern in line:
                return t

    result: dict[str, Any] = {"file": str(target.relative_to(project)), "port": port}
    try:
        ready = wait_for("Serving on", time.perf_counter() + timeout)
        if ready is None:
            result["error"] = "the server did not start in time"
            return result
        result["first_build_s"] = round(ready - t0, 3)
        rebuilds, builds = [], []
        for i in range(edits):
            time.sleep(0.6)  # let the polling observer settle
            text = target.read_text(encoding="utf-8")
            text = re.sub(r"(::: zh[^\n]*\n)([^\n]+)", lambda m: m.group(1) + m.group(2) + f"（修订{i + 1}）", text, count=1)
            text = re.sub(r"(::: en[^\n]*\n)([^\n]+)", lambda m: m.group(1) + m.group(2) + f" (revision {i + 1})", text, count=1)
            collected: list[str] = []
            t_edit = time.perf_counter()
            target.write_text(text, encoding="utf-8")
            done = wait_for("Reloading browsers", time.perf_counter() + timeout, collected)
            if done is None:
                result["error"] = f"no 'Reloading browsers' within {timeout:.0f} s after edit {i + 1}"
                break
            rebuilds.append(done - t_edit)
            for line in collected:
                m = re.search(r"Documentation built in ([\d.]+) seconds", line)
                if m:
                    builds.append(float(m.group(1)))
        result["rebuild_s"] = [round(x, 3) for x in rebuilds]
        result["median_rebuild_s"] = round(statistics.median(rebuilds), 3) if rebuilds else None
        result["mkdocs_build_s"] = builds
    finally:
        if p.poll() is None:
            p.send_signal(signal.SIGINT)
        killer = threading.Timer(20, p.kill)
        killer.start()
        try:
            _, status, ru = os.wait4(p.pid, 0)
            result["peak_rss_mb"] = round(ru.ru_maxrss / 1024, 1)
        except ChildProcessError:
            pass
        finally:
            killer.cancel()
        log_file.close()
        target.write_text(original, encoding="utf-8")
    result["log"] = _shown(log_path)
    return result


def _shown(path: Path) -> str:
    """A path as the report shows it: relative to the repository when inside it (no machine's folders)."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------------------------------------------------------
# Machine
# ---------------------------------------------------------------------------------------------------------------


def machine() -> dict:
    info: dict[str, Any] = {"cores": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                            "implementation": platform.python_implementation()}
    try:
        info["cores_usable"] = len(os.sched_getaffinity(0))
    except AttributeError:
        pass
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info["load_avg_start"] = [round(x, 2) for x in os.getloadavg()]
    versions = {}
    for pkg in PACKAGES:
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = None
    info["packages"] = versions
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", "generator",
                                "pyproject.toml", "mkdocs.yml", "site_overrides"], cwd=ROOT, capture_output=True,
                               text=True, timeout=10).stdout.strip()
        info["commit"] = commit or None
        info["generator_dirty"] = bool(dirty)
    except (OSError, subprocess.SubprocessError):
        info["commit"] = None
    return info


# ---------------------------------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------------------------------


def profile(cmd: list[str], cwd: Path, prefix: Path, env: dict[str, str], timeout: float) -> dict | None:
    s = run([PY, str(BENCH / "profiling.py"), str(prefix), *cmd], cwd, prefix.with_suffix(".log"), env=env,
            timeout=timeout)
    try:
        data = json.loads(prefix.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"error": f"profiling failed (exit {s.rc}): {tail(s.log, 6)}"}
    data["text_report"] = str(prefix.with_suffix(".txt"))
    data["profiled_wall_s"] = round(s.wall, 2)
    return data


class Harness:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.out = Path(args.out).resolve() if args.out else None
        self.work = (self.out / "work") if self.out else BENCH / "work"
        self.md_path = (self.out / "BENCHMARKS.md") if self.out else ROOT / "BENCHMARKS.md"
        self.json_path = (self.out / "results.json") if self.out else BENCH / "results.json"
        self.budget = Budget(args.budget)
        self.timeout = args.timeout
        self.results: dict[str, Any] = {"sizes": {}, "citations": None, "serve": {}, "pdf": {}, "profiles": {},
                                        "errors": []}
        self.projects: dict[str, Path] = {}

    # -- sizes ------------------------------------------------------------------------------------------------
    def size(self, size: str) -> None:
        say(f"size {size}: preparing")
        base = self.work / size
        logs = base / "logs"
        project = base / "project"
        t = time.perf_counter()
        counts = corpus.real(project) if size == "real" else corpus.generate(project, size, seed=self.args.seed)
        write_bench_config(project)
        self.projects[size] = project
        entry: dict[str, Any] = {"corpus": counts}
        only_ours = size == "large-x2" and not self.args.x2_all
        variants = [Variant("ours", [PY, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.bench.yml", "-d",
                                     str(base / "out" / "ours")], project, ours_env(), base / "out" / "ours",
                            project / ".cache")]
        if not only_ours:
            try:
                cap = capture(project, base / "capture", logs, self.timeout)
                entry["floor_project"] = write_floor(project, cap, base / "floor")
                variants.insert(0, Variant("floor", [PY, "-m", "mkdocs", "build", "-q", "-d", str(base / "out" / "floor")],
                                           base / "floor", bench_env(), base / "out" / "floor"))
            except Exception as exc:  # the floor needs a working capture
                self.error(f"{size}: floor not built: {exc}")
            if not self.args.no_peer:
                try:
                    entry["peer_project"] = write_peer(project, base / "peer")
                    variants.append(Variant("peer", [PY, "-m", "mkdocs", "build", "-q", "-d", str(base / "out" / "peer")],
                                            base / "peer", bench_env(), base / "out" / "peer"))
                except Exception as exc:
                    self.error(f"{size}: peer not built: {exc!r}")
        if size == "large-x2" and "large" in self.projects:
            # the doubling is a ratio of two sizes: build the large corpus again here, in the same rounds as
            # large-x2 (side by side), so that a machine slower or faster by the time large-x2 runs does not
            # show as growth
            variants.append(Variant("ours-large", [PY, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.bench.yml", "-d",
                                                   str(base / "out" / "ours-large")], self.projects["large"],
                                    ours_env(), base / "out" / "ours-large"))
        variants.append(Variant("check", [PY, "-m", "generator", "check"], project, bench_env()))
        entry["prepare_s"] = round(time.perf_counter() - t, 2)
        say(f"size {size}: {counts}; measuring {', '.join(v.name for v in variants)}")
        series = measure(variants, self.args.runs, self.budget, logs, self.timeout, share=self.share(size),
                         warmup=not self.args.no_warmup)
        entry["builds"] = {name: s.summary() for name, s in series.items()}
        site = base / "out" / "ours"
        entry["site_pages"] = sum(1 for _ in site.rglob("*.html")) if site.exists() else None
        self.results["sizes"][size] = entry
        self.save_partial()

    def share(self, size: str) -> float:
        # the fraction of the remaining budget a size may use for its rounds
        left = [s for s in self.sizes if s not in self.results["sizes"]]
        weights = {"tiny": 1, "real": 1, "small": 2, "large": 4, "large-x2": 4}
        total = sum(weights.get(s, 1) for s in left) + 2  # + citations, serve, pdf
        return min(0.9, weights.get(size, 1) / total * 1.5)

    # -- the citation case ------------------------------------------------------------------------------------
    def citations(self) -> None:
        say("citation case: preparing")
        base = self.work / "citations"
        logs = base / "logs"
        if self.args.tiny:
            spec = {"pages": 4, "citations": 80, "entries": 300}
        else:
            spec = {"pages": 50, "citations": 4000, "entries": 10000}
        projects = corpus.citation_case(base / "projects", seed=self.args.seed, **spec)
        for name in ("ours", "ours-nocite"):
            write_bench_config(projects[name])
        variants = [
            Variant("plain", [PY, "-m", "mkdocs", "build", "-q", "-d", str(base / "out" / "plain")], projects["plain"],
                    bench_env(), base / "out" / "plain"),
            Variant("bibtex", [PY, "-m", "mkdocs", "build", "-q", "-d", str(base / "out" / "bibtex")],
                    projects["bibtex"], bench_env(), base / "out" / "bibtex"),
            Variant("ours", [PY, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.bench.yml", "-d", str(base / "out" / "ours")],
                    projects["ours"], ours_env(), base / "out" / "ours", projects["ours"] / ".cache"),
            Variant("ours-nocite", [PY, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.bench.yml", "-d",
                                    str(base / "out" / "ours-nocite")], projects["ours-nocite"], ours_env(),
                    base / "out" / "ours-nocite", projects["ours-nocite"] / ".cache"),
        ]
        series = measure(variants, self.args.runs, self.budget, logs, self.timeout, share=0.25,
                         warmup=not self.args.no_warmup)
        self.results["citations"] = {"spec": spec, "builds": {n: s.summary() for n, s in series.items()}}
        self.projects["citations"] = projects["ours"]
        self.save_partial()

    # -- serve ------------------------------------------------------------------------------------------------
    def serve(self, size: str) -> None:
        project = self.projects.get(size)
        if project is None:
            return
        logs = self.work / size / "logs"
        edits = 1 if self.args.tiny else 3
        out = {}
        say(f"serve {size}: incremental rebuild, PDF export off")
        out["pdf_off"] = serve_incremental(project, "mkdocs.bench.yml", ours_env(), logs, edits=edits,
                                           timeout=self.timeout, name="pdf-off")
        say(f"  {out['pdf_off']}")
        if size == "real" and not self.args.tiny:
            say(f"serve {size}: as `make serve` runs it (mkdocs.yml, PDF export as the plugin does it)")
            out["as_is"] = serve_incremental(project, "mkdocs.yml", bench_env(), logs, edits=edits,
                                             timeout=self.timeout, name="as-is")
            say(f"  {out['as_is']}")
        self.results["serve"][size] = out
        self.save_partial()

    # -- PDF --------------------------------------------------------------------------------------------------
    def pdf(self, size: str) -> None:
        """Every PDF exported cold (no PDF cache), and beside it WeasyPrint's floor for the same documents
        (bench/pdf_floor.py: our HTML, a minimal stylesheet), alternately, ``--runs`` times (twice at least)."""
        project = self.projects.get(size)
        site = self.work / size / "out" / "ours"
        if project is None or not site.exists():
            return
        code = ("import sys, time; from pathlib import Path; from generator import pipeline, pdf\n"
                "root = Path(sys.argv[1]); model = pipeline.load(root, cache_dir=root / '.cache')\n"
                "out = pdf.export_all(model, Path(sys.argv[2]), out_dir=Path(sys.argv[3]), cache=False)\n"
                "print('PDFS', len(out), sum(p.stat().st_size for p in out))\n")
        out_dir = self.work / size / "out" / "pdf"
        logs = self.work / size / "logs"
        say(f"pdf {size}: export of every PDF, no PDF cache; WeasyPrint's floor beside it")
        export: list[Sample] = []
        floor: list[Sample] = []
        files = size_bytes = pages = None
        for i in range(max(2, self.args.runs)):
            shutil.rmtree(out_dir, ignore_errors=True)
            s = run([PY, "-c", code, str(project), str(site), str(out_dir)], project, logs / f"pdf-{i}.log",
                    env=bench_env(), timeout=self.timeout)
            export.append(s)
            m = re.search(r"PDFS (\d+) (\d+)", Path(s.log).read_text(encoding="utf-8", errors="replace"))
            if m:
                files, size_bytes = int(m.group(1)), int(m.group(2))
            f = run([PY, str(ROOT / "bench" / "pdf_floor.py"), str(project), str(site)], project,
                    logs / f"pdf-floor-{i}.log", env=bench_env(), timeout=self.timeout)
            floor.append(f)
            m = re.search(r"FLOOR (\d+) (\d+)", Path(f.log).read_text(encoding="utf-8", errors="replace"))
            if m:
                pages = int(m.group(2))
        ok = [s for s in export if s.ok]
        fok = [s for s in floor if s.ok]
        self.results["pdf"][size] = {
            "wall_s": round(statistics.median(s.wall for s in ok), 3) if ok else None,
            "cpu_s": round(statistics.median(s.user + s.sys for s in ok), 3) if ok else None,
            "walls": [round(s.wall, 3) for s in export],
            "peak_rss_mb": round(max(s.rss_mb for s in export), 1), "ok": bool(ok) and len(ok) == len(export),
            "pdfs": files, "bytes": size_bytes,
            "floor_wall_s": round(statistics.median(s.wall for s in fok), 3) if fok else None,
            "floor_cpu_s": round(statistics.median(s.user + s.sys for s in fok), 3) if fok else None,
            "floor_walls": [round(s.wall, 3) for s in floor], "floor_pages": pages,
            "error": None if len(ok) == len(export) else tail(next(s for s in export if not s.ok).log, 8),
            "floor_error": None if len(fok) == len(floor) else tail(next(s for s in floor if not s.ok).log, 8)}
        say(f"  {self.results['pdf'][size]}")
        self.save_partial()

    # -- targets ----------------------------------------------------------------------------------------------
    def med(self, size: str, variant: str) -> float | None:
        try:
            return self.results["sizes"][size]["builds"][variant]["median_s"]
        except KeyError:
            return None

    def targets(self) -> list[dict]:
        out: list[dict] = []

        def add(tid: str, text: str, value: float | None, limit: str, passed: bool | None, detail: str,
                profile_of: tuple | None = None) -> None:
            out.append({"id": tid, "target": text, "value": value, "limit": limit,
                        "result": "n/a" if passed is None else ("PASS" if passed else "FAIL"), "detail": detail,
                        "profile_of": profile_of})

        sizes = self.results["sizes"]
        main_sizes = ["tiny"] if self.args.tiny else ["real", "large"]
        for size in main_sizes:
            o, f = self.med(size, "ours"), self.med(size, "floor")
            r = o / f if o and f else None
            add(f"floor-{size}", f"ours ≤ 1.3× the floor ({size})", r, "≤ 1.30", None if r is None else r <= 1.3,
                f"ours {fmt(o)} s, floor {fmt(f)} s", ("build", size))
        big = "tiny" if self.args.tiny else "large"
        o, p = self.med(big, "ours"), self.med(big, "peer")
        r = o / p if o and p else None
        add(f"peer-{big}", f"ours faster than mkdocs-bibtex + mkdocs-static-i18n ({big})", r, "< 1.00",
            None if r is None else r < 1.0, f"ours {fmt(o)} s, peer {fmt(p)} s", ("build", big))
        c = self.results.get("citations")
        if c:
            b = c["builds"]
            ours, nocite, plain, bib = (b[k]["median_s"] for k in ("ours", "ours-nocite", "plain", "bibtex"))
            our_over = ours - nocite if ours is not None and nocite is not None else None
            bib_over = bib - plain if bib is not None and plain is not None else None
            add("cite-overhead", "citation overhead of ours < 1 s (citation case)", our_over, "< 1.00 s",
                None if our_over is None else our_over < 1.0,
                f"ours {fmt(ours)} s − ours without citations {fmt(nocite)} s", ("citations", "ours"))
            if our_over is not None and bib_over is not None:
                ratio = bib_over / our_over if our_over > 0 else float("inf")
                add("cite-ratio", "mkdocs-bibtex's citation overhead ≥ 10× ours", ratio, "≥ 10×", ratio >= 10,
                    f"mkdocs-bibtex {fmt(bib)} s − plain {fmt(plain)} s = {fmt(bib_over)} s; ours {fmt(our_over)} s",
                    ("citations", "ours"))
            else:
                add("cite-ratio", "mkdocs-bibtex's citation overhead ≥ 10× ours", None, "≥ 10×", None, "not measured")
        if not self.args.tiny:
            paired = self.med("large-x2", "ours-large")
            a, d = (paired if paired is not None else self.med("large", "ours")), self.med("large-x2", "ours")
            r = d / a if a and d else None
            add("growth", "doubling the large corpus ≤ 2.2× the time", r, "≤ 2.20", None if r is None else r <= 2.2,
                f"large {fmt(a)} s, large-x2 {fmt(d)} s" + (" (side by side, in the same rounds)" if paired else ""),
                ("build", "large-x2"))
        for size in (["tiny"] if self.args.tiny else ["real", "small", "large"]):
            ch, o = self.med(size, "check"), self.med(size, "ours")
            r = ch / o if ch and o else None
            add(f"check-{size}", f"checker < 10% of a full build ({size})", r, "< 0.10", None if r is None else r < 0.10,
                f"check {fmt(ch)} s, build {fmt(o)} s", ("check", size))
        real = "tiny" if self.args.tiny else "real"
        pdf = self.results.get("pdf", {}).get(real)
        build = sizes.get(real, {}).get("builds", {}).get("ours", {})
        if pdf and pdf.get("ok") and build.get("median_s"):
            r = pdf["wall_s"] / build["median_s"]
            cpu = (f"; CPU: PDFs {fmt(pdf['cpu_s'])} s, HTML build {fmt(build.get('median_cpu_s'))} s "
                   f"({fmt(pdf['cpu_s'] / build['median_cpu_s'])}×)") if build.get("median_cpu_s") else ""
            floor = (f"; WeasyPrint's floor for the same documents (no stylesheet of ours) {fmt(pdf['floor_wall_s'])} s, "
                     f"{fmt(pdf['floor_wall_s'] / build['median_s'])}× the HTML build") if pdf.get("floor_wall_s") else ""
            add(f"pdf-{real}", f"every PDF ({real}) costs no more than the HTML build (wall time)", r, "≤ 1.00",
                r <= 1.0, f"PDFs {fmt(pdf['wall_s'])} s ({pdf.get('pdfs')} files, cold, median of "
                f"{len(pdf.get('walls') or [1])}), HTML build {fmt(build['median_s'])} s{cpu}{floor}")
        rss = sizes.get(big, {}).get("builds", {}).get("ours", {}).get("peak_rss_mb")
        add(f"memory-{big}", f"peak memory of our build < 1 GiB ({big})", rss, "< 1024 MB",
            None if rss is None else rss < 1024, f"{fmt(rss, 0)} MB", ("build", big))
        return out

    def profile_misses(self, targets: list[dict]) -> None:
        """Profile each distinct miss once, the cheapest first; the dear ones only while the budget allows
        (the cheapest always). A skipped profile is recorded with the command that makes it."""
        wanted: dict[tuple, list[dict]] = {}
        for t in targets:
            if t["result"] == "FAIL" and t.get("profile_of") and not self.args.no_profile:
                wanted.setdefault(tuple(t["profile_of"]), []).append(t)

        def cost(what: tuple) -> float:
            kind, size = what
            if kind == "citations":
                b = (self.results.get("citations") or {}).get("builds", {}).get("ours", {})
                return (b.get("median_s") or 60) * 1.5
            base = self.med(size, "check" if kind == "check" else "ours") or 60
            return base * 1.5

        for i, what in enumerate(sorted(wanted, key=cost)):
            kind, size = what
            name = "-".join(what)
            project = self.projects.get("citations" if kind == "citations" else size)
            if project is None:
                continue
            if kind == "check":
                cmd = ["generator", "check"]
            else:
                cmd = ["mkdocs", "build", "-q", "-f", "mkdocs.bench.yml", "-d", str(self.work / "profiles" / "site")]
            prefix = self.work / "profiles" / name
            for t in wanted[what]:
                t["profile"] = name
            if i > 0 and self.budget.remaining() < cost(what):
                how = f"cd {project} && {PY} {BENCH / 'profiling.py'} {prefix} {' '.join(cmd)}"
                if kind != "check":
                    how = f"BENCH_NO_PDF=1 {how}"
                self.results["profiles"][name] = {"error": f"skipped (budget; about {cost(what):.0f} s): {how}"}
                say(f"profile {name}: skipped (budget)")
                continue
            say(f"profile {name} (pyinstrument)")
            self.results["profiles"][name] = profile(cmd, project, prefix, ours_env(), self.timeout * 3)
            shutil.rmtree(self.work / "profiles" / "site", ignore_errors=True)

    def error(self, msg: str) -> None:
        say("ERROR " + msg)
        self.results["errors"].append(msg)

    def save_partial(self) -> None:
        self.work.mkdir(parents=True, exist_ok=True)
        (self.work / "partial.json").write_text(json.dumps(self.results, indent=1, default=str), encoding="utf-8")

    # -- main -------------------------------------------------------------------------------------------------
    def report_only(self) -> int:
        """Write BENCHMARKS.md again from results.json, with the profiles found in work/profiles/ (made by hand
        with bench/profiling.py after a run whose budget skipped them)."""
        data = json.loads(self.json_path.read_text(encoding="utf-8"))
        self.results = data["latest"]
        self.sizes = [s for s in SIZE_ORDER if s in self.results["sizes"]]
        for path in sorted((self.work / "profiles").glob("*.json")):
            name = path.stem
            old = self.results["profiles"].get(name)
            if old is None or old.get("error"):
                prof = json.loads(path.read_text(encoding="utf-8"))
                prof["text_report"] = str(path.with_suffix(".txt"))
                self.results["profiles"][name] = prof
        data["latest"] = self.results
        self.json_path.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        self.write_markdown(data.get("history") or [])
        say(f"rewrote {self.md_path} from {self.json_path}")
        return 0

    def main(self) -> int:
        if self.args.report_only:
            return self.report_only()
        started = datetime.datetime.now(datetime.timezone.utc)
        self.results["machine"] = machine()
        sizes = ["tiny"] if self.args.tiny else [s.strip() for s in self.args.sizes.split(",") if s.strip()]
        self.sizes = sorted(sizes, key=SIZE_ORDER.index)
        cheap = [s for s in self.sizes if s in ("tiny", "real")]
        dear = [s for s in self.sizes if s not in cheap]
        for size in cheap:
            self.guard(self.size, size)
        if not self.args.no_citations:
            self.guard(self.citations)
        if not self.args.no_serve:
            for size in [s for s in self.sizes if s in ("tiny", "real", "small")]:
                if size == "small":
                    self.guard(self.size, size)
                    dear.remove(size)
                self.guard(self.serve, size)
        if not self.args.no_pdf:
            for size in [s for s in self.sizes if s in ("tiny", "real")]:
                self.guard(self.pdf, size)
        for size in dear:
            self.guard(self.size, size)
        targets = self.targets()
        self.guard(self.profile_misses, targets)
        self.results["targets"] = targets
        self.results["machine"]["load_avg_end"] = [round(x, 2) for x in os.getloadavg()]
        self.results["started"] = started.isoformat(timespec="seconds")
        self.results["duration_s"] = round(self.budget.elapsed(), 1)
        self.results["budget_s"] = self.args.budget
        self.results["runs_requested"] = self.args.runs
        self.results["label"] = self.args.label
        self.results["argv"] = sys.argv[1:]
        self.results["pdf_switch"] = plugin_has_pdf_option() or "bench/hooks.py (BENCH_NO_PDF)"
        history = self.write_json()
        self.write_markdown(history)
        say(f"done in {self.results['duration_s']:.0f} s: {self.md_path} and {self.json_path}")
        for t in targets:
            say(f"  {t['result']:4}  {t['target']}: {fmt(t['value'])} ({t['limit']})")
        return 1 if self.results["errors"] and self.args.tiny else 0

    def guard(self, fn, *args) -> None:
        try:
            fn(*args)
        except Exception as exc:  # one broken part must not lose the others
            import traceback
            self.error(f"{fn.__name__}{args}: {exc!r}\n{traceback.format_exc(limit=4)}")

    # -- output -----------------------------------------------------------------------------------------------
    def write_json(self) -> list[dict]:
        previous: dict = {}
        if self.json_path.exists():
            try:
                previous = json.loads(self.json_path.read_text(encoding="utf-8"))
            except ValueError:
                previous = {}
        history = list(previous.get("history") or [])
        history.append({
            "started": self.results["started"], "label": self.results["label"],
            "commit": self.results["machine"].get("commit"), "dirty": self.results["machine"].get("generator_dirty"),
            "duration_s": self.results["duration_s"],
            "medians_s": {size: {v: b["median_s"] for v, b in e.get("builds", {}).items()}
                          for size, e in self.results["sizes"].items()},
            "targets": {t["id"]: [t["value"], t["result"]] for t in self.results["targets"]},
        })
        history = history[-30:]
        data = {"schema": 1, "latest": self.results, "history": history}
        self.json_path.parent.mkdir(parents=True, exist_ok=True)
        self.json_path.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        return history

    def write_markdown(self, history: list[dict]) -> None:
        r = self.results
        m = r["machine"]
        L: list[str] = []
        L.append("# Benchmarks\n")
        L.append(f"Written by `make bench` (`bench/run.py`; method in its docstring and below). Run of "
                 f"{r['started']}, commit `{m.get('commit')}`{' with uncommitted changes to the generator' if m.get('generator_dirty') else ''}"
                 f"{', label: ' + r['label'] if r['label'] else ''}; it took {r['duration_s'] / 60:.1f} min "
                 f"(budget {r['budget_s'] / 60:.0f} min{', exceeded: the builds are slower than the budget assumes' if r['duration_s'] > r['budget_s'] * 1.1 else ''}). "
                 f"Machine-readable: `bench/results.json`.\n")
        L.append("## Machine\n")
        pk = m.get("packages", {})
        L.append(f"{m.get('cores')} cores ({m.get('cores_usable', '?')} usable), {m.get('memory_gib')} GiB memory, "
                 f"{m.get('cpu', '?')}; {m.get('implementation')} {m.get('python')} on {m.get('platform')}. Load average "
                 f"{m.get('load_avg_start')} at the start, {m.get('load_avg_end')} at the end (the machine is shared: "
                 f"compare ratios of one run, not seconds across runs).\n")
        L.append("Packages: " + ", ".join(f"{k} {v}" for k, v in pk.items() if v) + ".\n")
        L.append("## Targets\n")
        L.append("| Target | Measured | Limit | Result | Figures |")
        L.append("|---|---:|---|---|---|")
        for t in r["targets"]:
            v = t["value"]
            shown = "–" if v is None else (f"{v:.0f} MB" if t["id"].startswith("memory") else
                                           f"{v:.2f} s" if t["id"] == "cite-overhead" else
                                           "∞" if v == float("inf") else f"{v:.2f}×" if t["id"] != "cite-ratio" else f"{v:.1f}×")
            if t["id"].startswith("check"):
                shown = f"{v * 100:.1f}%" if v is not None else "–"
            L.append(f"| {t['target']} | {shown} | {t['limit']} | **{t['result']}** | {t['detail']} |")
        L.append("")
        L.append("## Builds\n")
        L.append("Median wall time in seconds of the runs (n), each build a fresh process (Python start-up and imports "
                 "included, as `mkdocs build` costs a user); \"first\" is the warm-up run (ours: empty `.cache`). "
                 "Peak RSS of the build process.\n")
        L.append("| Size | Sections | Trials | Refs | Pages (ours) | floor | ours | peer | check | ours/floor | ours/peer | "
                 "check/ours | ours first | RSS floor / ours / peer |")
        L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for size in self.sizes:
            e = r["sizes"].get(size)
            if not e:
                L.append(f"| {size} | – | – | – | – | not measured (see errors) | | | | | | | | |")
                continue
            c, b = e["corpus"], e.get("builds", {})

            def cell(v: str) -> str:
                x = b.get(v)
                if not x:
                    return "–"
                if x["median_s"] is None:
                    return "failed"
                return f"{x['median_s']:.2f} (n={x['runs']}{', first run only' if x.get('first_only') else ''})"

            def ratio(a: str, d: str) -> str:
                x, y = self.med(size, a), self.med(size, d)
                return f"{x / y:.2f}" if x and y else "–"

            rss = " / ".join(fmt((b.get(v) or {}).get("peak_rss_mb"), 0) for v in ("floor", "ours", "peer"))
            first = (b.get("ours") or {}).get("first_s")
            L.append(f"| {size} | {c.get('sections')} | {c.get('trials')} | {c.get('refs')} | {e.get('site_pages') or '–'} | "
                     f"{cell('floor')} | {cell('ours')} | {cell('peer')} | {cell('check')} | {ratio('ours', 'floor')} | "
                     f"{ratio('ours', 'peer')} | {ratio('check', 'ours')} | {fmt(first)} | {rss} MB |")
        L.append("")
        L.append("Each run's times: " + "; ".join(
            f"{size} {v} {b['walls_s']}" for size, e in r["sizes"].items() for v, b in e.get("builds", {}).items()) + ".\n")
        fails = [f"{size} {v}: {f}" for size, e in r["sizes"].items() for v, b in e.get("builds", {}).items()
                 for f in b.get("failures", [])]
        if fails:
            L.append("Failed builds:\n")
            L += [f"- `{x[:400]}`" for x in fails]
            L.append("")
        c = r.get("citations")
        if c:
            spec, b = c["spec"], c["builds"]
            L.append("## Citation case\n")
            L.append(f"{spec['pages']} pages carrying {spec['citations']:,} citations against a {spec['entries']:,}-entry "
                     f"refs.bib (reference figures measured elsewhere: about 0.4 s without citations, 11.8 s with "
                     f"mkdocs-bibtex). Ours writes the same text as {spec['pages'] // 2} bilingual sections (so "
                     f"{spec['pages']} language pages, plus their parallel views, references page and site bibliography, "
                     f"which also carry citations); its baseline is the same project without the citations and with an "
                     f"empty refs.bib.\n")
            L.append("| Build | Median (s) | n | First (s) | Peak RSS (MB) |")
            L.append("|---|---:|---:|---:|---:|")
            names = {"plain": "mkdocs-material, no citation processing", "bibtex": "mkdocs-bibtex (pybtex path)",
                     "ours": "ours, with citations", "ours-nocite": "ours, no citations, empty refs.bib"}
            for k, label in names.items():
                x = b.get(k, {})
                L.append(f"| {label} | {fmt(x.get('median_s'))} | {x.get('runs')} | {fmt(x.get('first_s'))} | "
                         f"{fmt(x.get('peak_rss_mb'), 0)} |")
            L.append("")
        if r["serve"]:
            L.append("## Incremental rebuild under `mkdocs serve`\n")
            L.append("`mkdocs serve --livereload` on 127.0.0.1; one section file edited (one sentence in both languages) "
                     "and saved; the time from the save to the server's \"Reloading browsers\" (it includes MkDocs' "
                     "0.5 s polling of the files and its 0.1 s settling delay). \"mkdocs build\" is the server's own "
                     "\"Documentation built in\" figure.\n")
            L.append("| Size | Config | First build (s) | Rebuilds after an edit (s) | Median | mkdocs build (s) | Peak RSS (MB) | Full build, median (s) |")
            L.append("|---|---|---:|---|---:|---|---:|---:|")
            for size, variants in r["serve"].items():
                for name, x in variants.items():
                    label = {"pdf_off": "PDF export off", "as_is": "as `make serve` (PDF export on)"}[name]
                    if x.get("error") and not x.get("rebuild_s"):
                        L.append(f"| {size} | {label} | {fmt(x.get('first_build_s'))} | {x['error']} | | | | |")
                        continue
                    L.append(f"| {size} | {label} | {fmt(x.get('first_build_s'))} | {x.get('rebuild_s')} | "
                             f"{fmt(x.get('median_rebuild_s'))} | {x.get('mkdocs_build_s')} | {fmt(x.get('peak_rss_mb'), 0)} | "
                             f"{fmt(self.med(size, 'ours'))} |")
            L.append("")
        if r["pdf"]:
            L.append("## PDF export (reported separately)\n")
            L.append(f"The builds above run with the PDF export off ({r['pdf_switch']}). Here every PDF of the size is "
                     "exported on its own from the built site, with no PDF cache (median wall and CPU time of the runs, "
                     "worker processes included in the CPU time; peak RSS of the exporting process). Beside it, "
                     "alternately, **WeasyPrint's floor** (`bench/pdf_floor.py`): the same documents, the same HTML and "
                     "the same number of worker processes, with a minimal stylesheet instead of ours (A4 pages and the "
                     "text fonts: no contents page numbers, running headers, table or note styling). The floor is what "
                     "WeasyPrint needs for these documents on this machine whatever our stylesheets do.\n")
            L.append("| Size | PDFs | MB | Wall (s) | CPU (s) | Runs (s) | Floor wall (s) | Floor CPU (s) | Floor runs (s) | "
                     "Peak RSS (MB) | Result |")
            L.append("|---|---:|---:|---:|---:|---|---:|---:|---|---:|---|")
            for size, x in r["pdf"].items():
                result = "ok" if x.get("ok") else "failed: " + str(x.get("error"))[-300:]
                if x.get("floor_error"):
                    result += "; floor failed: " + str(x.get("floor_error"))[-300:]
                mb = fmt(x["bytes"] / 1e6) if x.get("bytes") else "–"
                L.append(f"| {size} | {x.get('pdfs')} | {mb} | {fmt(x.get('wall_s'))} | {fmt(x.get('cpu_s'))} | "
                         f"{', '.join(fmt(w) for w in x.get('walls', []))} | {fmt(x.get('floor_wall_s'))} | "
                         f"{fmt(x.get('floor_cpu_s'))} | {', '.join(fmt(w) for w in x.get('floor_walls', []))} | "
                         f"{fmt(x.get('peak_rss_mb'), 0)} | {result} |")
            L.append("")
        if r["profiles"]:
            L.append("## Profiles of the misses\n")
            L.append("pyinstrument (5 ms sampling; profiling slows the run down, shares are what counts). Our functions by "
                     "inclusive time (share of the whole process), then the hottest functions of any module by self "
                     "time. Full reports: `bench/work/profiles/*.txt`.\n")
            for name, p in r["profiles"].items():
                if not p or p.get("error"):
                    L.append(f"### {name}\n\n{(p or {}).get('error')}\n")
                    continue
                L.append(f"### {name} (total {p['total_s']:.1f} s under the profiler)\n")
                L.append("| Our function (inclusive) | s | share |")
                L.append("|---|---:|---:|")
                for row in p["generator_inclusive"][:15]:
                    L.append(f"| `{row['function']}` | {row['seconds']:.2f} | {row['share'] * 100:.1f}% |")
                L.append("")
                lib = [row for row in p.get("library_inclusive", []) if not any(
                    x in row["function"] for x in ("runpy", "click/", "profiling.py", "importlib", "__main__",
                                                   "mkdocs/commands/build.py:build", "plugins.py:run_event",
                                                   "plugins.py:_run_event", "<module>"))]
                if lib:
                    L.append("| Library function (inclusive) | s | share |")
                    L.append("|---|---:|---:|")
                    for row in lib[:12]:
                        L.append(f"| `{row['function']}` | {row['seconds']:.2f} | {row['share'] * 100:.1f}% |")
                    L.append("")
                L.append("| Hotspot (self time) | s | share |")
                L.append("|---|---:|---:|")
                for row in p["self_hotspots"][:10]:
                    L.append(f"| `{row['function']}` | {row['seconds']:.2f} | {row['share'] * 100:.1f}% |")
                L.append("")
        if r["errors"]:
            L.append("## Errors of this run\n")
            L += [f"```\n{e[:1500]}\n```" for e in r["errors"]]
            L.append("")
        L.append("## Method\n")
        L.append(METHOD)
        L.append(self.preserved_changes())
        if len(history) > 1:
            L.append("## History\n")
            ids = list(dict.fromkeys(k for h in history for k in h.get("targets", {})))
            L.append("| Run | Label | Commit | " + " | ".join(ids) + " |")
            L.append("|---|---|---|" + "---|" * len(ids))
            for h in history[-12:]:
                cells = []
                for k in ids:
                    v = h.get("targets", {}).get(k)
                    cells.append("–" if not v or v[0] is None else f"{v[0]:.2f} {v[1]}")
                L.append(f"| {h['started']} | {h.get('label') or ''} | {h.get('commit')}{'+' if h.get('dirty') else ''} | "
                         + " | ".join(cells) + " |")
            L.append("")
        self.md_path.parent.mkdir(parents=True, exist_ok=True)
        self.md_path.write_text("\n".join(L) + "\n", encoding="utf-8")

    def preserved_changes(self) -> str:
        """The hand-kept section 'Changes and before/after' of the previous BENCHMARKS.md, kept as it is."""
        start, end = "<!-- changes:start -->", "<!-- changes:end -->"
        body = ("_Record here what was changed after a miss, with the before/after figures of the runs "
                "(the History table below has each run's headline figures)._\n")
        if self.md_path.exists():
            text = self.md_path.read_text(encoding="utf-8")
            if start in text and end in text:
                body = text.split(start, 1)[1].split(end, 1)[0].strip("\n") + "\n"
        return f"## Changes and before/after\n\n{start}\n{body}{end}\n"


METHOD = """\
- **Corpora** (`bench/corpus.py`, seeded, byte-for-byte deterministic): *real* is a copy of the repository's
  `content/` and `refs.bib`; *small* 50 sections, 100 trials, 500 references; *large* 200 sections, 500 trials,
  5,000 references; *large-x2* the large corpus written twice (ids, keys and registry numbers of the copy
  renamed). Sections hold paired `::: zh` / `::: en` blocks: paragraphs, headings, lists, pipe tables, record
  tables, admonitions, editor's notes and footnotes, with `[@key]`, `[@a; @b]` and `[@key, p. 12]` citations and
  trial names; trials follow the records schema (arms, endpoints with sources and CIs, registry numbers, status,
  notes) with their regimens and drugs; references mix articles, conference papers, books, chapters, theses,
  reports and registry records, with accented Latin names (UTF-8 and LaTeX), Chinese names with and without a
  space or comma, Chinese titles and `and others`.
- **Floor**: our plugin's output captured from a build (`bench/hooks.py`: each page's final markdown, every other
  generated file, the nav), built by plain MkDocs + mkdocs-material with the project's theme overrides, markdown
  extensions and search plugin, without our plugin. The difference ours − floor is what the generator adds:
  loading and checking the sources, rendering, glossary tooltips, per-language search indexes and sitemaps,
  atomic publication.
- **Peer**: the same section, landing, record and glossary pages written per language (`docs/zh`, `docs/en`) with
  `[@key]` citations, built with mkdocs-static-i18n (folder structure) and mkdocs-bibtex (`bib_file`, no CSL: its
  pandoc-free pybtex path) plus the search plugin; what they cannot express (parallel views, reference pages,
  the site bibliography, charts) is left out, which favours the peer.
- **Timing**: each build is a separate process (`os.wait4` gives its CPU time and peak RSS); a warm-up round
  first, then the rounds in rotating order; medians; ratios of medians of the same run. The PDF export is off in
  the timed builds and measured on its own, alternately with WeasyPrint's floor (`bench/pdf_floor.py`). The doubling compares large-x2 with the large corpus built again in
  the same rounds (side by side), not with the large size's own rounds minutes earlier.
- **Serve**: `mkdocs serve --livereload -a 127.0.0.1:<free port>`; an edit is one sentence appended in both
  languages of one section; bounded waits; the server is stopped with SIGINT and the file restored.
- **Options**: `--runs N` (rounds after the warm-up, default 3), `--sizes real,small,large,large-x2`,
  `--budget SECONDS` (default 900), `--timeout SECONDS` (per build), `--label TEXT` (names the run in the
  history), `--no-peer`, `--no-citations`, `--no-serve`, `--no-pdf`, `--no-profile`, `--x2-all` (also floor and
  peer for large-x2), `--no-warmup` (the first round counts), `--tiny` (a tiny corpus, for the smoke test),
  `--out DIR`, `--report-only` (measure nothing: rewrite BENCHMARKS.md from results.json, adding profiles
  made by hand with `bench/profiling.py` into `bench/work/profiles/`). When the budget leaves no room for a round after the warm-up, the warm-up run is the only
  sample (marked "first run only"; for ours that run had an empty `.cache`).
"""


def fmt(v: float | None, digits: int = 2) -> str:
    if v is None:
        return "–"
    if v == float("inf"):
        return "∞"
    return f"{v:.{digits}f}"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=3, help="timed rounds after the warm-up round (default 3)")
    p.add_argument("--sizes", default="real,small,large,large-x2", help="comma-separated: real,small,large,large-x2")
    p.add_argument("--tiny", action="store_true", help="a tiny corpus and citation case (smoke test)")
    p.add_argument("--out", help="write BENCHMARKS.md, results.json and work/ into this folder")
    p.add_argument("--budget", type=float, default=900, help="seconds the whole run should take (default 900)")
    p.add_argument("--timeout", type=float, default=1500, help="seconds one build may take (default 1500)")
    p.add_argument("--seed", type=int, default=20261121)
    p.add_argument("--label", default="", help="a name for this run in the history (e.g. 'after fixing X')")
    for flag in ("peer", "citations", "serve", "pdf", "profile"):
        p.add_argument(f"--no-{flag}", action="store_true", help=f"skip the {flag} measurement")
    p.add_argument("--x2-all", action="store_true", help="also build floor and peer for large-x2")
    p.add_argument("--no-warmup", action="store_true", help="count the first round (quick runs, the smoke test)")
    p.add_argument("--report-only", action="store_true",
                   help="measure nothing: write BENCHMARKS.md again from results.json (adds profiles made by hand)")
    args = p.parse_args(argv)
    unknown = [s for s in args.sizes.split(",") if s.strip() and s.strip() not in SIZE_ORDER]
    if unknown:
        p.error(f"unknown size(s) {unknown}: choose from {', '.join(SIZE_ORDER)}")
    if args.runs < 1:
        p.error("--runs must be at least 1")
    return args


if __name__ == "__main__":
    raise SystemExit(Harness(parse_args()).main())
