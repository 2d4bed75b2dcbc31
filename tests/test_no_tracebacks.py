"""A contributor never sees a traceback (issue 19): a dangling link in content/, a figure that is not a
number, a list nested hundreds deep, a full disk, a folder without write permission and any unforeseen
error each end in one line naming the file and what to do, with a non-zero exit and the previous site/
intact. And publishing the new site is one rename: nothing after it turns a published build into a failed
one, and folders left by killed builds are removed by the next build."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitekit import EPOCH, make_project
from generator import cli, pipeline
from generator.site import sitedir

SECTION = "content/demo/01-first.md"
HEAD = "---\nid: first\norder: 1\nnumber: \"1\"\ntitle:\n  zh: 第一节\n  en: First section\n---\n"  # 8 lines
TRIAL = ("---\nid: demo-trial\nname: DEMO\nendpoints:\n- measure: ORR\n  value: {value}\n  unit: '%'\n"
         "  quote: {{zh: ORR 为 36%, en: ORR 36%}}\n---\n")


def run(project: Path, command: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "HCC_PDF": "0", "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "generator", command, *args], cwd=project, capture_output=True,
                          text=True, env=env)


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr


def built(project: Path) -> Path:
    result = run(project, "build")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    (site / "marker-of-the-previous-site").write_text("old", encoding="utf-8")
    return site


# ---------------------------------------------------------------------------------------------------------------
# Problems in the sources: found by check, and the build stops with the same line
# ---------------------------------------------------------------------------------------------------------------


def test_a_dangling_symbolic_link_in_content(tmp_path):
    project = make_project(tmp_path)
    site = built(project)
    os.symlink("03-gone.md", project / "content/demo/02-link.md")
    expected = ("content/demo/02-link.md:1:1: error: this is a symbolic link to '03-gone.md', which does not "
                "exist: remove the link or restore the file it points to")
    result = run(project, "check")
    no_traceback(result)
    assert result.returncode == 1
    assert [line for line in result.stdout.splitlines() if ": error: " in line] == [expected]
    result = run(project, "build")
    no_traceback(result)
    assert result.returncode == 1
    assert expected in result.stderr  # the same line as check's, column included
    assert (site / "marker-of-the-previous-site").exists()


@pytest.mark.parametrize("value, shown", [(".inf", ".inf, which is not a figure"),
                                          ("-.inf", "-.inf, which is not a figure"),
                                          (".nan", ".nan, which is not a figure"),
                                          ("1e400", "'1e400', too large to be a figure")])
def test_a_figure_that_is_not_a_number(tmp_path, value, shown):
    """At the value's column, as written (a number too large for a float was shown as '.inf')."""
    project = make_project(tmp_path, {"content/trials/demo-trial.md": TRIAL.format(value=value)})
    result = run(project, "check")
    no_traceback(result)
    assert result.returncode == 1
    assert (f"content/trials/demo-trial.md:6:10: error: 'endpoints[1].value' is {shown}: "
            f"write the number as the source prints it (an unknown value is left out)") in result.stdout.splitlines()


def test_a_date_in_a_type_error_is_shown_as_written(tmp_path):
    project = make_project(tmp_path, {"content/trials/demo-trial.md": "---\nid: demo-trial\nname: 2024-01-01\n---\n"})
    out = run(project, "check").stdout
    assert "content/trials/demo-trial.md:3:1: error: 'name' must be text, not the date 2024-01-01 (put it in quotes)" \
        in out.splitlines(), out


def test_a_list_nested_200_deep(tmp_path):
    zh = "\n".join("  " * i + f"- 第{i}层" for i in range(200))
    en = "\n".join("  " * i + f"- level {i}" for i in range(200))
    project = make_project(tmp_path, {SECTION: HEAD + f"::: zh\n{zh}\n\n::: en\n{en}\n"})
    result = run(project, "check")
    no_traceback(result)
    assert result.returncode == 1
    message = ("error: this list is nested 11 levels deep; at most 10 can be shown (in the PDFs too): flatten it, "
               "or split it into separate lists")
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert errors == [f"{SECTION}:20:1: {message} (2 times in this file: also line 222)"]


def test_a_content_file_that_is_not_utf8_is_reported_at_the_bad_byte(tmp_path):
    project = make_project(tmp_path)
    (project / SECTION).write_bytes((HEAD + "::: zh\n中文\n::: en\nCaf").encode() + b"\xe9\n")
    out = [line for line in run(project, "check").stdout.splitlines() if ": error: " in line]
    assert out == [f"{SECTION}:12:4: error: the file is not UTF-8 text: the byte 0xE9 here is not a UTF-8 "
                   "character (save the file as UTF-8, then check this character)"]


# ---------------------------------------------------------------------------------------------------------------
# Problems of the machine, and the unforeseen (in-process builds with a failure injected)
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture
def inprocess(tmp_path, monkeypatch):
    project = make_project(tmp_path)
    site = built(project)
    monkeypatch.chdir(project)
    monkeypatch.setenv("HCC_PDF", "0")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return project, site


def _fail_with(error: BaseException):
    def fail(*args, **kwargs):
        raise error
    return fail


def test_a_full_disk(inprocess, monkeypatch, capsys):
    project, site = inprocess
    monkeypatch.setattr(sitedir, "publish", _fail_with(
        OSError(errno.ENOSPC, "No space left on device", str(project / "site/en/index.html"))))
    assert cli.main(["build"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == ("error: the disk is full (writing site/en/index.html): free some space (for example delete "
                       ".cache/ or site-offline/) and build again; site/ was not changed")
    assert (site / "marker-of-the-previous-site").exists()
    assert not list(project.glob(".site.staging-*"))


def test_a_site_folder_without_write_permission(inprocess, monkeypatch, capsys):
    project, site = inprocess
    monkeypatch.setattr(sitedir, "prepare", _fail_with(PermissionError(errno.EACCES, "Permission denied",
                                                                       str(project / "site"))))
    assert cli.main(["build"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == ("error: permission denied for site: make it and its folder writable by you (or delete it) "
                       "and build again; site/ was not changed")
    assert (site / "marker-of-the-previous-site").exists()


def test_an_unforeseen_error_is_one_line_naming_the_file(inprocess, monkeypatch, capsys):
    project, site = inprocess
    monkeypatch.setattr(pipeline, "fill", _fail_with(RuntimeError("boom")))
    assert cli.main(["build"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("error: unexpected problem while processing the page index.md (RuntimeError: "
                              "boom). This is a fault of the generator, not of your text: please report it")
    assert (site / "marker-of-the-previous-site").exists()
    assert not list(project.glob(".site.staging-*"))


# ---------------------------------------------------------------------------------------------------------------
# Atomic publication
# ---------------------------------------------------------------------------------------------------------------


def _with_an_undeletable_file(monkeypatch):
    """shutil.rmtree as it goes for a non-root builder when site/ holds a folder of another user: every
    file goes but ``locked/page.html``, whose removal is refused even after the retry."""
    real_rmtree = shutil.rmtree

    def refuse(name):
        raise PermissionError(errno.EACCES, "Permission denied", name)

    def rmtree(path, onerror=None, **kwargs):
        locked = Path(path) / "locked"
        for child in Path(path).iterdir():
            if child != locked:
                real_rmtree(child) if child.is_dir() else child.unlink()
        if locked.exists():
            try:
                refuse(str(locked / "page.html"))
            except OSError:
                onerror(refuse, str(locked / "page.html"), sys.exc_info())
            return
        real_rmtree(path)

    monkeypatch.setattr(sitedir.shutil, "rmtree", rmtree)


def _warnings(capsys) -> list[str]:
    return [line.removeprefix("WARNING -  ") for line in capsys.readouterr().err.splitlines()
            if line.startswith("WARNING")]


def test_an_old_site_that_cannot_be_removed_is_a_warning_of_a_published_build(inprocess, monkeypatch, capsys):
    project, site = inprocess
    (site / "locked").mkdir()
    (site / "locked" / "page.html").write_text("old", encoding="utf-8")
    with monkeypatch.context() as m:
        _with_an_undeletable_file(m)
        assert cli.main(["build", "--strict"]) == 0, capsys.readouterr().err  # published: 0, even when strict
    assert not (site / "marker-of-the-previous-site").exists()  # the new site is published
    assert (site / "en" / "index.html").exists()
    old = f".site.old-{os.getpid()}"
    assert [p.name for p in project.glob(".site.old-*")] == [old]
    assert _warnings(capsys) == [
        f"{old}: could not remove this folder of an earlier site ({old}/locked/page.html: Permission denied); "
        f"the new site is published in site/. Make it removable (chmod -R u+w {old}; if another user owns it, "
        f"ask them or an administrator) or delete it: the next build tries again"]
    # the next build (another process: this one's folder is a leftover of a build that is gone) removes it
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    os.replace(project / old, project / f".site.old-{dead}")
    assert cli.main(["build"]) == 0
    assert _warnings(capsys) == []
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site.")) == []


def test_a_leftover_that_still_cannot_be_removed_is_warned_about_again(inprocess, monkeypatch, capsys):
    project, site = inprocess
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    (project / f".site.old-{dead}" / "locked").mkdir(parents=True)
    (project / f".site.old-{dead}" / "locked" / "page.html").write_text("old", encoding="utf-8")
    _with_an_undeletable_file(monkeypatch)
    assert cli.main(["build"]) == 0
    warnings = _warnings(capsys)
    assert len(warnings) == 1
    assert warnings[0].startswith(f".site.old-{dead}: could not remove this folder of an earlier site "
                                  f"(.site.old-{dead}/locked/page.html: Permission denied); the new site is "
                                  f"published in site/.")
    assert (site / "en" / "index.html").exists()


def test_an_old_offline_copy_that_cannot_be_removed_is_a_warning(inprocess, monkeypatch, capsys):
    project, site = inprocess
    assert cli.main(["offline"]) == 0
    (project / "site-offline" / "locked").mkdir()
    (project / "site-offline" / "locked" / "page.html").write_text("old", encoding="utf-8")
    capsys.readouterr()
    _with_an_undeletable_file(monkeypatch)
    assert cli.main(["offline"]) == 0
    old = f".site-offline.old-{os.getpid()}"
    assert [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning")] == [
        f"warning: {old}: could not remove this folder of an earlier site ({old}/locked/page.html: Permission "
        f"denied); the new site is published in site-offline/. Make it removable (chmod -R u+w {old}; if another "
        f"user owns it, ask them or an administrator) or delete it: the next build tries again"]
    assert (project / "site-offline" / "index.html").exists()


def test_folders_left_by_killed_builds_are_removed_by_the_next_build(tmp_path):
    project = make_project(tmp_path)
    built(project)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    for name in (f".site.staging-{dead}", f".site.old-{dead}"):
        (project / name / "en").mkdir(parents=True)
        (project / name / "en" / "index.html").write_text("half", encoding="utf-8")
    alive = project / f".site.staging-{os.getpid()}"  # a build still running (this process) is left alone
    alive.mkdir()
    result = run(project, "build")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site.")) == [alive.name]


def test_folders_left_by_killed_builds_are_removed_by_a_build_stopped_by_a_source_error(tmp_path):
    project = make_project(tmp_path)
    built(project)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    (project / f".site.staging-{dead}" / "en").mkdir(parents=True)
    section = project / "content/demo/01-first.md"
    section.write_text(section.read_text(encoding="utf-8").replace("::: en", "::: EN", 1), encoding="utf-8")
    result = run(project, "build")
    assert result.returncode == 1
    assert "'::: EN' is not a block marker" in result.stderr
    assert "Aborted with a BuildError!" not in result.stderr + result.stdout  # MkDocs' line repeats nothing useful
    assert not [p.name for p in project.iterdir() if p.name.startswith(".site.")]
    assert (project / "site/en/index.html").exists()  # the previous site intact


def test_publishing_swaps_the_folders_in_one_rename(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    (site / "a").write_text("old", encoding="utf-8")
    staging = sitedir.prepare(site)
    (staging / "a").write_text("new", encoding="utf-8")
    renames = []
    real_replace = os.replace
    monkeypatch.setattr(sitedir.os, "replace", lambda a, b: (renames.append((a, b)), real_replace(a, b))[1])
    sitedir.publish(staging, site)
    assert (site / "a").read_text(encoding="utf-8") == "new"
    # the only rename touching site/ is the exchange (renameat2); os.replace only moves the old site aside
    assert all(Path(b) != site for _, b in renames)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_publishing_without_the_exchange_and_without_a_previous_site(tmp_path, monkeypatch):
    monkeypatch.setattr(sitedir, "_exchange", lambda a, b: False)  # another system, or another file system
    site = tmp_path / "site"
    staging = sitedir.prepare(site)
    (staging / "a").write_text("first", encoding="utf-8")
    sitedir.publish(staging, site)  # no previous site: one rename
    assert (site / "a").read_text(encoding="utf-8") == "first"
    staging = sitedir.prepare(site)
    (staging / "a").write_text("second", encoding="utf-8")
    sitedir.publish(staging, site)
    assert (site / "a").read_text(encoding="utf-8") == "second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_failed_rename_puts_the_previous_site_back(tmp_path, monkeypatch):
    monkeypatch.setattr(sitedir, "_exchange", lambda a, b: False)
    site = tmp_path / "site"
    site.mkdir()
    (site / "a").write_text("old", encoding="utf-8")
    staging = sitedir.prepare(site)
    real_replace = os.replace

    def replace(a, b):
        if Path(a) == staging:
            raise OSError(errno.ENOSPC, "No space left on device", str(b))
        return real_replace(a, b)

    monkeypatch.setattr(sitedir.os, "replace", replace)
    with pytest.raises(OSError):
        sitedir.publish(staging, site)
    assert (site / "a").read_text(encoding="utf-8") == "old"
