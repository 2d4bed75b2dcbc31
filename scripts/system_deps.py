"""Check (and where possible install) the Debian packages the build and tests need.

WeasyPrint needs fonts with Simplified Chinese glyphs (fonts-noto-cjk) and, for speed,
HarfBuzz's subsetter (libharfbuzz-subset0); the tests read PDFs with poppler-utils and
drive Debian's Chromium. ``--tests`` adds what only the tests need: Java for the Nu Html
Checker, Node.js and npm for installing it and for running the site's search worker. As root with apt-get available we install what is missing;
otherwise we stop and print the exact command to run.
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

PACKAGES = {
    "fonts-noto-cjk": lambda: any(Path(p).exists() for p in (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")),
    "libharfbuzz-subset0": lambda: ctypes.util.find_library("harfbuzz-subset") is not None,
    "poppler-utils": lambda: shutil.which("pdftotext") is not None and shutil.which("pdffonts") is not None,
    "chromium": lambda: Path("/usr/bin/chromium").exists(),
}
TEST_PACKAGES = {
    "default-jre-headless": lambda: shutil.which("java") is not None,
    "nodejs": lambda: shutil.which("node") is not None,
    "npm": lambda: shutil.which("npm") is not None,
}


def main(argv: list[str]) -> int:
    packages = {**PACKAGES, **(TEST_PACKAGES if "--tests" in argv else {})}
    missing = [name for name, present in packages.items() if not present()]
    if not missing:
        return 0
    cmd = ["apt-get", "install", "-y", "--no-install-recommends", *missing]
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"Installing system packages: {' '.join(missing)}", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        if subprocess.run(cmd, env=env).returncode == 0:
            still = [name for name, present in packages.items() if not present()]
            if not still:
                return 0
            missing = still
    print("These system packages are needed and could not be installed automatically:\n"
          f"  {' '.join(missing)}\n"
          "Install them with:\n"
          f"  sudo apt-get install -y {' '.join(missing)}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
