"""Helpers shared by the tests: building a project, small fixture projects.

(Not in conftest.py: tests/browser has a conftest of its own, and a plain
``import conftest`` would find either.)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "seeds"  # the source reviews as received (see tests/seeds/README.md)
EPOCH = "1767225600"  # 2026-01-01, fixed so that builds compare byte for byte
# The published addresses, which mkdocs.yml reads from the environment (the deploy workflow sets them).
# The tests build as deployed unless they test the build without them.
DEPLOYED = {"HCC_SITE_URL": "https://example.org/hcc-reviews/", "HCC_REPO_URL": "https://example.org/hcc-reviews-source/"}


def run_build(project: Path, site_dir: Path | None = None, *extra: str, pdf: bool = False,
              deployed: bool = True) -> subprocess.CompletedProcess:
    """``mkdocs build`` of ``project``; PDFs only when asked for (they take most of the time)."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml")]
    if site_dir is not None:
        cmd += ["--site-dir", str(site_dir)]
    cmd += list(extra)
    env = {k: v for k, v in os.environ.items() if k not in DEPLOYED}
    env.update({**(DEPLOYED if deployed else {}), "SOURCE_DATE_EPOCH": EPOCH, "HCC_PDF": "1" if pdf else "0",
                "NO_MKDOCS_2_WARNING": "1"})
    return subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=env)


MINI_BIB = textwrap.dedent("""\
    @article{finn2020imbrave150,
      author = {Finn, Richard S. and Qin, Shukui and Ikeda, Masafumi},
      title = {Atezolizumab plus Bevacizumab in Unresectable Hepatocellular Carcinoma},
      journal = {N Engl J Med},
      year = {2020},
      volume = {382},
      number = {20},
      pages = {1894--1905},
      doi = {10.1056/NEJMoa1915745}
    }
    """)

MINI_INDEX = textwrap.dedent("""\
    ---
    id: demo
    order: 1
    title:
      zh: 示例综述
      en: A demo review
    ---

    ::: zh
    这是摘要。

    ::: en
    This is the abstract.
    """)

MINI_SECTION = textwrap.dedent("""\
    ---
    id: first
    order: 1
    number: "1"
    title:
      zh: 第一节
      en: First section
    ---

    ::: zh
    阿替利珠单抗联合贝伐珠单抗[@finn2020imbrave150]。

    ::: en
    Atezolizumab plus bevacizumab [@finn2020imbrave150].

    ::: zh
    ## 1.1 小节

    ::: en
    ## 1.1 A subsection
    """)


def make_project(tmp: Path, files: dict[str, str] | None = None) -> Path:
    """A small project using the real theme overrides and configuration."""
    project = tmp / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "site_overrides", project / "site_overrides")
    (project / "refs.bib").write_text(MINI_BIB, encoding="utf-8")
    content = {"content/demo/index.md": MINI_INDEX, "content/demo/01-first.md": MINI_SECTION}
    content.update(files or {})
    for rel, text in content.items():
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return project



def add_records(project: Path) -> Path:
    """The project with the valid trial/regimen/drug records of tests/fixtures/records, their refs.bib and a
    section holding a records table (content/demo/02-table.md)."""
    records = Path(__file__).resolve().parent / "fixtures" / "records"
    shutil.copytree(records / "valid", project / "content", dirs_exist_ok=True)
    shutil.copy(records / "refs.bib", project / "refs.bib")
    shutil.copy(records / "tables" / "valid.md", project / "content/demo/02-table.md")
    return project

def commit(project: Path, message: str, date: str) -> None:
    """Commit everything in a fixture project's git repository at that date (history-dependent checks)."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "add", "-A"], cwd=project, check=True, capture_output=True, env=env)
    subprocess.run(["git", "commit", "-qm", message], cwd=project, check=True, capture_output=True, env=env)
