"""The shape of the package holds: import-linter checks the contracts of pyproject.toml ([tool.importlinter]):
the stages import one way, down (plugin/cli -> pipeline -> site | pdf -> bib -> sources -> leaves), the site
and the PDFs are independent, and no modules of a package import each other in a circle."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contract_is_kept():
    beside = Path(sys.executable).with_name("lint-imports")
    command = str(beside) if beside.exists() else shutil.which("lint-imports")
    assert command, "lint-imports is missing: install the test extras (make test does)"
    result = subprocess.run([command, "--config", str(ROOT / "pyproject.toml"), "--no-cache", "--no-logo"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout, result.stdout
