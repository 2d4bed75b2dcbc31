"""``python -m generator <command>``: the jobs that are not a page build.

    build   build the whole site into site/ (MkDocs with our plugin; atomic)
    check   validate every source without building pages
    pdf     make the PDFs of the reviews and the handouts from the built site
    offline a copy of the built site that works opened from disk (site-offline/)
    confirm FILE:LINE  an English block still matches its changed Chinese block (no longer 'possibly stale')
"""

from __future__ import annotations

import argparse
import errno
import sys
from pathlib import Path

from . import pipeline
from .diagnostics import Report, SourceError, grouped, in_github_actions, now_processing, summary, tally
from .site import offline
from .sources import confirmed
from .sources.content import Project
from .sources.history import read_history
from .sources.status import STALE, translation_status


def project_root() -> Path:
    here = Path.cwd().resolve()
    for p in (here, *here.parents):
        if (p / "mkdocs.yml").exists() and (p / "content").is_dir():
            return p
    return here


def cmd_build(args: argparse.Namespace) -> int:
    from click import ClickException  # (with mkdocs, which imports it anyway)
    from mkdocs.__main__ import cli  # here, not at the top: 35 ms of the checker's start-up (measured)

    root = project_root()
    argv = ["build", "--config-file", str(root / "mkdocs.yml")]
    if args.strict:
        argv.append("--strict")
    try:
        cli.main(args=argv, prog_name="mkdocs", standalone_mode=False)
    except ClickException as exc:  # mkdocs' Abort
        if exc.format_message() != "Aborted with a BuildError!":  # that one only repeats the error logged before it
            exc.show()
        return exc.exit_code or 1
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    root = project_root()
    model = pipeline.load(root, cache_dir=root / ".cache")
    report = model.report  # the same validation as the build's (pipeline.load), uncited references included
    items = report.sorted()
    for d in grouped(items):  # a repeated problem once, with its other lines
        print(d.format())
    if in_github_actions():
        for d in items:  # every place annotated on the diff
            print(d.github())
    errors, warnings = tally(items)  # the build's count too (SourceError)
    failing = errors + (warnings if args.strict else 0)
    print(("check failed: " if failing else "check passed: ") + summary(errors, warnings), file=sys.stderr)
    return 1 if failing else 0


def _stale_pairs(project: Project) -> set[tuple[str, int]]:
    """The pairs flagged "possibly stale translation": (file, line of the English block)."""
    root = project.root
    status = translation_status(project, read_history(root, root / ".cache"), Report(root=root))
    return {(s.section.path.resolve().relative_to(root.resolve()).as_posix(), p.pair.en.line)
            for rows in status.values() for s in rows for p in s.pairs if p.state == STALE and p.pair.en}


def cmd_confirm(args: argparse.Namespace) -> int:
    code, message = confirmed.confirm(project_root(), args.where, stale=_stale_pairs)
    print(message, file=sys.stdout if code == 0 else sys.stderr)
    return code


def cmd_pdf(args: argparse.Namespace) -> int:
    """The PDFs alone, from the built site in site/ (which is built first if it is missing)."""
    import logging  # here, not at the top: 8 ms of the checker's start-up, which logs nothing (measured)

    from . import pdf  # here, not at the top: 49 ms of the checker's start-up (measured)

    root = project_root()
    site = root / "site"
    out = logging.StreamHandler()
    out.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    pdf_log = logging.getLogger(pdf.log.name)
    pdf_log.addHandler(out)
    pdf_log.setLevel(logging.INFO)
    pdf_log.propagate = False
    model = pipeline.load(root, cache_dir=root / ".cache")
    try:
        model.report.raise_if_errors(strict=False)
    except SourceError as exc:
        print(exc.render("pdf"), file=sys.stderr)
        return 1
    if not all((site / lang / "index.html").exists() for lang in ("zh", "en")):
        print("site/ has no built site: building it first (the build makes the PDFs too)", file=sys.stderr)
        code = cmd_build(argparse.Namespace(strict=False))
        if code or all((site / name).exists() for name in pdf.expected_files(model)):
            return code
    try:
        written = pdf.export_all(model, site, cache=not args.no_cache, jobs=args.jobs)
    except pdf.PdfError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(path.relative_to(root) if path.is_relative_to(root) else path)
    return 0


def cmd_offline(args: argparse.Namespace) -> int:
    """site-offline/: the built site made to work from file:// (building site/ first if it is missing)."""
    root = project_root()
    site = root / "site"
    if not offline.is_built(site):
        print("site/ has no built site: building it first", file=sys.stderr)
        code = cmd_build(argparse.Namespace(strict=False))
        if code:
            return code
    out = offline.make_offline(site, offline.default_out(site),
                               warn=lambda message: print(f"warning: {message}", file=sys.stderr))
    print(f"Offline copy: open {(out / 'index.html').relative_to(root)} in a browser (no web server needed)")
    return 0


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
    p = sub.add_parser("pdf", help="make the PDFs (site/pdf/) from the built site, building it first if missing")
    p.add_argument("--no-cache", action="store_true", help="render every PDF, even unchanged ones")
    p.add_argument("--jobs", type=int, default=None, help="parallel processes (default: one per CPU)")
    p.set_defaults(func=cmd_pdf)
    p = sub.add_parser("confirm", help="confirm that the English block at FILE:LINE still matches its Chinese block")
    p.add_argument("where", metavar="FILE:LINE", help="e.g. content/ici-hcc/03-ici-monotherapy.md:53")
    p.set_defaults(func=cmd_confirm)
    p = sub.add_parser("offline", help="a copy of the built site that works opened from disk (site-offline/)")
    p.set_defaults(func=cmd_offline)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted: site/ is unchanged (the next build removes what this one left)", file=sys.stderr)
        return 130
    except OSError as exc:  # the machine, not the sources: a full disk, a folder without write permission
        print(os_error_message(exc), file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 -- a contributor never sees a traceback
        print(unexpected_error_message(exc), file=sys.stderr)
        return 1


def _shown(path: str) -> str:
    if not path:
        return ""
    p = Path(path)
    try:
        return p.resolve().relative_to(project_root()).as_posix() if p.is_absolute() else path
    except (ValueError, OSError):
        return path


def os_error_message(exc: OSError) -> str:
    """One line for an error of the machine (disk full, no permission, read-only disk)."""
    where = _shown(exc.filename or "") or _shown(now_processing()) or "a file"
    unchanged = "site/ was not changed"
    if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
        return (f"error: the disk is full (writing {where}): free some space (for example delete .cache/ or "
                f"site-offline/) and build again; {unchanged}")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return (f"error: permission denied for {where}: make it and its folder writable by you (or delete it) "
                f"and build again; {unchanged}")
    if exc.errno == errno.EROFS:
        return f"error: {where} is on a read-only disk: build in a writable folder; {unchanged}"
    return f"error: {exc.strerror or exc} ({where}); {unchanged}"


def unexpected_error_message(exc: BaseException) -> str:
    """One line for an error nobody foresaw: what, while processing which file, and where to report it."""
    where = _shown(now_processing()) or "the sources"
    what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return (f"error: unexpected problem while processing {where} ({what}). This is a fault of the generator, "
            f"not of your text: please report it (an issue with this line and the file), and meanwhile check "
            f"the last change to that file")
