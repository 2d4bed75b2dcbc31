"""``python -m generator <command>``: the jobs that are not a page build.

    build   build the whole site into site/ (MkDocs with our plugin; atomic)
    check   validate every source without building pages
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .diagnostics import in_github_actions


def project_root() -> Path:
    here = Path.cwd().resolve()
    for p in (here, *here.parents):
        if (p / "mkdocs.yml").exists() and (p / "content").is_dir():
            return p
    return here


def cmd_build(args: argparse.Namespace) -> int:
    from mkdocs.__main__ import cli

    root = project_root()
    argv = ["build", "--config-file", str(root / "mkdocs.yml")]
    if args.strict:
        argv.append("--strict")
    try:
        cli.main(args=argv, prog_name="mkdocs", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from . import pipeline

    root = project_root()
    model = pipeline.load(root, cache_dir=root / ".cache")
    report = model.report
    items = report.sorted()
    for d in items:
        print(d.format())
    if in_github_actions():
        for d in items:
            print(d.github())
    errors = len(report.errors)
    warnings = len(report.warnings)
    failing = errors + (warnings if args.strict else 0)
    summary = f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
    print(("check failed: " if failing else "check passed: ") + summary, file=sys.stderr)
    return 1 if failing else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="build the site into site/")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.set_defaults(func=cmd_build)
    p = sub.add_parser("check", help="validate the sources without building")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.set_defaults(func=cmd_check)
    args = parser.parse_args(argv)
    return args.func(args)
