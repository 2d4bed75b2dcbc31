"""The one list of the Debian packages the project needs; checks them and, as root, installs what is missing.

    python3 scripts/system_deps.py           what `make build` needs (the site and its PDFs)
    python3 scripts/system_deps.py --tests   that, plus what only `make test` needs

Build needs: WeasyPrint's libraries (Pango, HarfBuzz's subsetter for fast font subsetting),
fontconfig, and the font families the PDF stylesheets name (FONT_PACKAGES: a family named in
a stylesheet but missing here would be replaced silently by another font, so the PDF export
checks every family against this table and stops, and a test checks the stylesheets against it).
Test needs: poppler-utils (pdftotext, pdffonts read the PDFs), Debian's Chromium (the browser
suite), Java (the Nu Html Checker), Node.js and npm (installing that checker, running the
site's search worker).

As root with apt-get available the missing packages are installed; otherwise the script stops
and prints the exact command. Each check looks for what the package provides (a library, a
program, a font family), so a package under another name that provides the same passes.
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable


def _program(name: str) -> Callable[[], bool]:
    return lambda: shutil.which(name) is not None


def _library(name: str) -> Callable[[], bool]:
    return lambda: ctypes.util.find_library(name) is not None


def family_present(family: str) -> bool:
    """Whether fontconfig knows a font of exactly this family (not a substitute)."""
    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(["fc-list", family, "family"], capture_output=True, text=True, check=False)
    return any(family in line.split(",") for line in out.stdout.splitlines())


# The font families the print stylesheets (site_overrides/.../print.css, the PDF's pdf.css) name,
# with the Debian package of each. Generic families (serif, sans-serif, monospace) are not listed.
FONT_PACKAGES: dict[str, str] = {
    "Liberation Serif": "fonts-liberation",
    "Liberation Sans": "fonts-liberation",
    "Liberation Mono": "fonts-liberation",
    "Noto Serif CJK SC": "fonts-noto-cjk",
    "Noto Sans CJK SC": "fonts-noto-cjk",
}


def _fonts_of(package: str) -> Callable[[], bool]:
    families = [f for f, p in FONT_PACKAGES.items() if p == package]
    return lambda: all(family_present(f) for f in families)


# What `make build` needs.
PACKAGES: dict[str, Callable[[], bool]] = {
    "fontconfig": _program("fc-match"),
    "libpango-1.0-0": _library("pango-1.0"),
    "libpangoft2-1.0-0": _library("pangoft2-1.0"),
    "libharfbuzz-subset0": _library("harfbuzz-subset"),
    "fonts-noto-cjk": _fonts_of("fonts-noto-cjk"),
    "fonts-liberation": _fonts_of("fonts-liberation"),
}
# What only `make test` needs, on top of PACKAGES.
TEST_PACKAGES: dict[str, Callable[[], bool]] = {
    "poppler-utils": lambda: shutil.which("pdftotext") is not None and shutil.which("pdffonts") is not None,
    "chromium": lambda: Path("/usr/bin/chromium").exists(),
    "default-jre-headless": _program("java"),
    "nodejs": _program("node"),
    "npm": _program("npm"),
}


def needed(tests: bool) -> dict[str, Callable[[], bool]]:
    return {**PACKAGES, **(TEST_PACKAGES if tests else {})}


def missing(tests: bool = False) -> list[str]:
    return [name for name, present in needed(tests).items() if not present()]


def main(argv: list[str]) -> int:
    if {"-h", "--help"} & set(argv):
        print(__doc__.strip())
        return 0
    unknown = [a for a in argv if a != "--tests"]
    if unknown:
        print(f"system_deps.py: unknown option {unknown[0]!r} (use --tests, or nothing)", file=sys.stderr)
        return 2
    tests = "--tests" in argv
    absent = missing(tests)
    if not absent:
        return 0
    cmd = ["apt-get", "install", "-y", "--no-install-recommends", *absent]
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"Installing system packages: {' '.join(absent)}", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        if subprocess.run(cmd, env=env).returncode == 0:
            if shutil.which("fc-cache"):  # new fonts known to fontconfig at once
                subprocess.run(["fc-cache"], check=False)
            absent = missing(tests)
            if not absent:
                return 0
    print("These system packages are needed and could not be installed automatically:\n"
          f"  {' '.join(absent)}\n"
          "Install them with:\n"
          f"  sudo apt-get install -y --no-install-recommends {' '.join(absent)}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
