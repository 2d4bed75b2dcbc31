"""`check` and `build` run the same validation and agree under --strict (issue 19, item 3): a remote image is
found by check at its line; images beside a section (the documented way) give the build no warnings; an
uncited reference fails `build --strict` as it fails `check --strict`."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

from sitekit import EPOCH, make_project

SECTION = "content/demo/01-first.md"
HEAD = "---\nid: first\norder: 1\nnumber: \"1\"\ntitle:\n  zh: 第一节\n  en: First section\n---\n"  # 8 lines
CITED = "::: zh\n阿替利珠单抗[@finn2020imbrave150]。\n\n::: en\nAtezolizumab [@finn2020imbrave150].\n\n"  # lines 9-14


def run(project: Path, command: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "HCC_PDF": "0", "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "generator", command, *args], cwd=project, capture_output=True,
                          text=True, env=env)


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x00\x00\x00")) + chunk(b"IEND", b""))


def problems(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in (result.stdout + result.stderr).splitlines() if ": error: " in line
            or ": warning: " in line]


def test_a_remote_image_is_found_by_check_at_its_line(tmp_path):
    text = HEAD + CITED + "::: zh\n![图](https://example.org/fig.png)\n\n::: en\n![Figure](https://example.org/fig.png)\n"
    project = make_project(tmp_path, {SECTION: text})
    message = ("error: remote image 'https://example.org/fig.png': the site loads nothing from other servers and "
               "the PDFs cannot include it; save the image in the review's folder (e.g. img/figure-1.png) and "
               "write ![description](img/figure-1.png)")
    check = run(project, "check")
    assert check.returncode == 1
    twice = " (2 times in this file: also line 19)"
    assert problems(check) == [f"{SECTION}:16:6: {message}{twice}"]
    build = run(project, "build")
    assert build.returncode == 1
    assert problems(build) == [f"{SECTION}:16:6: {message}{twice}"]


def test_images_beside_a_section_pass_build_strict_as_they_pass_check_strict(tmp_path):
    text = HEAD + CITED + "::: zh\n![示意图](img/diagram.png \"图 1\")\n\n::: en\n![A diagram](img/diagram.png)\n"
    project = make_project(tmp_path, {SECTION: text})
    (project / "content/demo/img").mkdir()
    (project / "content/demo/img/diagram.png").write_bytes(png())
    check = run(project, "check", "--strict")
    assert check.returncode == 0, check.stdout
    build = run(project, "build", "--strict")
    assert build.returncode == 0, build.stderr
    assert "WARNING" not in build.stderr
    page = (project / "site/en/demo/first/index.html").read_text(encoding="utf-8")
    assert '<img alt="A diagram" src="../../../demo/img/diagram.png">' in page
    zh = (project / "site/zh/demo/first/index.html").read_text(encoding="utf-8")
    assert '<img alt="示意图" src="../../../demo/img/diagram.png" title="图 1">' in zh
    assert (project / "site/demo/img/diagram.png").read_bytes() == png()


def test_an_uncited_reference_fails_build_strict_as_it_fails_check_strict(tmp_path):
    project = make_project(tmp_path)
    with open(project / "refs.bib", "a", encoding="utf-8") as f:
        f.write("\n@article{lonely2020,\n  title = {Never cited},\n  journal = {J},\n  year = {2020}\n}\n")
    message = ("warning: the reference 'lonely2020' is never cited: cite it as [@lonely2020] in a section or a "
               "record, or remove it from refs.bib")
    check = run(project, "check", "--strict")
    assert check.returncode == 1
    assert problems(check) == [f"refs.bib:12:1: {message}"]
    build = run(project, "build", "--strict")
    assert build.returncode == 1
    assert f"refs.bib:12:1: {message}" in build.stderr
    assert run(project, "build").returncode == 0  # a warning only fails --strict


def test_a_crossref_parent_of_a_cited_entry_counts_as_cited(tmp_path):
    project = make_project(tmp_path)
    with open(project / "refs.bib", "a", encoding="utf-8") as f:
        f.write("\n@proceedings{conf,\n  title = {Liver Meeting},\n  year = {2020}\n}\n"
                "@inproceedings{talk,\n  author = {Roe, R.},\n  title = {A talk},\n  crossref = {conf}\n}\n"
                "@set{pair,\n  entryset = {talk,conf}\n}\n")
    text = HEAD + "::: zh\n甲[@finn2020imbrave150; @pair]。\n\n::: en\nA [@finn2020imbrave150; @pair].\n"
    (project / SECTION).write_text(text, encoding="utf-8")
    check = run(project, "check", "--strict")
    assert check.returncode == 0, check.stdout + check.stderr


def test_check_and_build_print_the_same_problems_and_the_same_count(tmp_path):
    """One count (diagnostics.tally): every place of a problem, a repeated problem shown once with its count; a
    failing build lists the warnings too, as check does."""
    project = make_project(tmp_path)
    with open(project / "refs.bib", "a", encoding="utf-8") as f:
        f.write("\n@article{lonely2020,\n  title = {Never cited},\n  journal = {J},\n  year = {2020}\n}\n")
    text = HEAD + "::: zh\n甲[@nokey]乙[@nokey]。\n\n::: en\nA [@nokey] B [@nokey].\n"
    (project / SECTION).write_text(text, encoding="utf-8")
    expected = [f"{SECTION}:10:2: error: unknown reference key '@nokey' (add its BibTeX entry to refs.bib) (4 times "
                "in this file: also line 13)",
                "refs.bib:1:1: warning: the reference 'finn2020imbrave150' is never cited: cite it as "
                "[@finn2020imbrave150] in a section or a record, or remove it from refs.bib",
                "refs.bib:12:1: warning: the reference 'lonely2020' is never cited: cite it as [@lonely2020] in a "
                "section or a record, or remove it from refs.bib"]
    check = run(project, "check")
    build = run(project, "build")
    assert check.returncode == build.returncode == 1
    assert problems(check) == problems(build) == expected
    assert "check failed: 4 errors, 2 warnings" in check.stderr
    assert "build failed: 4 errors, 2 warnings in the sources:" in build.stderr
