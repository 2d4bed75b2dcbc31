"""Profile one command under pyinstrument and summarise where the time goes.

    python bench/profiling.py OUT_PREFIX mkdocs build -f mkdocs.bench.yml -d /tmp/site
    python bench/profiling.py OUT_PREFIX generator check

Writes ``OUT_PREFIX.txt`` (pyinstrument's text report, library frames shown) and ``OUT_PREFIX.json``:
the total time, the generator's functions by inclusive time (each call path counted once, so a recursive
function is not counted twice) and the hottest functions of any module by self time, each with its share
of the total.
"""

from __future__ import annotations

import json
import runpy
import sys
from collections import defaultdict
from pathlib import Path


def _key(frame) -> str:
    path = frame.file_path or ""
    short = path
    for marker in ("/site-packages/", "/generator/", "/lib/python3"):
        if marker in path:
            short = ("generator/" if marker == "/generator/" else "") + path.split(marker, 1)[1]
            break
    return f"{short}:{frame.function}"


def summarise(root, top: int = 25) -> dict:
    if root is None:
        return {"total_s": 0.0, "generator_inclusive": [], "self_hotspots": []}
    total = root.time or 1e-9
    inclusive: dict[str, float] = defaultdict(float)
    inclusive_lib: dict[str, float] = defaultdict(float)
    self_time: dict[str, float] = defaultdict(float)

    def synthetic(frame) -> bool:
        return frame.function in ("[self]", "[await]") or bool(getattr(frame, "is_synthetic", False))

    def walk(frame, open_keys: frozenset) -> None:
        key = _key(frame)
        own = "/generator/" in (frame.file_path or "")
        if key not in open_keys:
            (inclusive if own else inclusive_lib)[key] += frame.time
        real = [c for c in frame.children if not synthetic(c)]
        self_time[key] += frame.time - sum(c.time for c in real)
        nxt = open_keys | {key}
        for child in real:
            walk(child, nxt)

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
    walk(root, frozenset())
    incl = sorted(inclusive.items(), key=lambda kv: -kv[1])[:top]
    hot = sorted(self_time.items(), key=lambda kv: -kv[1])[:top]
    return {
        "total_s": round(total, 3),
        "generator_inclusive": [{"function": k, "seconds": round(v, 3), "share": round(v / total, 4)} for k, v in incl],
        "library_inclusive": [{"function": k, "seconds": round(v, 3), "share": round(v / total, 4)}
                              for k, v in sorted(inclusive_lib.items(), key=lambda kv: -kv[1])[:60]],
        "self_hotspots": [{"function": k, "seconds": round(v, 3), "share": round(v / total, 4)} for k, v in hot],
    }


def main(argv: list[str]) -> int:
    from pyinstrument import Profiler

    prefix = Path(argv[0])
    cmd = argv[1:]
    module = {"mkdocs": "mkdocs", "generator": "generator"}[cmd[0]]
    sys.argv = [module, *cmd[1:]]
    profiler = Profiler(interval=0.005)
    profiler.start()
    code = 0
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        profiler.stop()
    prefix.parent.mkdir(parents=True, exist_ok=True)
    prefix.with_suffix(".txt").write_text(profiler.output_text(unicode=True, color=False, show_all=False,
                                                               timeline=False), encoding="utf-8")
    session = profiler.last_session
    summary = summarise(session.root_frame())
    summary["exit_code"] = code
    summary["command"] = cmd
    prefix.with_suffix(".json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
