"""Shared fixtures: builds of the real site and of small fixture projects."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitekit import ROOT, make_project, run_build  # noqa: F401  (re-exported for the fixtures' users)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once for the whole test session (its log beside it: build.log)."""
    out = tmp_path_factory.mktemp("real") / "site"
    result = run_build(ROOT, out, pdf=True)
    assert result.returncode == 0, result.stdout + result.stderr
    (out.parent / "build.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    return out


@pytest.fixture
def mini_project(tmp_path) -> Path:
    return make_project(tmp_path)
