"""The fonts of the PDFs: the families the print stylesheets name, verified before typesetting.

WeasyPrint takes every face from fontconfig, and fontconfig answers a request for a family the
machine lacks with whatever it has (Liberation Serif becomes DejaVu Serif, or a CJK face for
Latin text) without a word. So before the export each named family must resolve to itself;
otherwise the build stops and names the Debian package to install (the table of families and
packages is ``FONT_PACKAGES`` in ``scripts/system_deps.py``, the project's one install list).

The PDF cache key includes :func:`fingerprint`, the identity (path, size, modification time) of
every font file fontconfig offers: installing or removing a font renders the PDFs again instead
of serving PDFs made with the fonts the machine used to have. It covers all font files, not only
the named families, because a character missing from them is taken from any other font.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

# Families that are not font names but categories, keywords or variables.
GENERIC = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "math", "emoji", "fangsong",
           "inherit", "initial", "unset", "revert"}
COMMENT = re.compile(r"/\*.*?\*/", re.S)
DECLARATION = re.compile(r"font-family\s*:\s*(?P<value>[^;}]+)")


@dataclass(frozen=True)
class Named:
    """A font family named in a stylesheet, with where it is first named."""
    family: str
    path: Path
    line: int


def stylesheet_families(paths: list[Path]) -> list[Named]:
    """Every font family the stylesheets name (first mention of each), generic families left out."""
    found: dict[str, Named] = {}
    for path in paths:
        text = COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), path.read_text(encoding="utf-8"))
        for m in DECLARATION.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            for item in m.group("value").split(","):
                name = item.strip().strip("\"'").strip()
                if not name or name.lower() in GENERIC or name.startswith(("var(", "ui-", "-")):
                    continue
                found.setdefault(name, Named(name, path, line))
    return list(found.values())


def resolve(family: str) -> tuple[str, Path | None]:
    """What fontconfig gives for a family: the family it picked and its file (None without fontconfig)."""
    if shutil.which("fc-match") is None:
        return "", None
    out = subprocess.run(["fc-match", "-f", "%{family}\t%{file}", family], capture_output=True, text=True,
                         check=False)
    picked, _, file = out.stdout.partition("\t")
    return picked, Path(file) if file else None


def missing_families(named: list[Named], packages: dict[str, str]) -> list[str]:
    """One message per named family that fontconfig resolves to another family (or that has no package)."""
    problems = []
    for n in named:
        picked, _ = resolve(n.family)
        package = packages.get(n.family)
        if package is None:
            problems.append(f"{n.path.name}:{n.line}: the stylesheet names the font '{n.family}', which no "
                            "package of scripts/system_deps.py provides: add it to FONT_PACKAGES there with its "
                            "Debian package, or name a font that is listed")
        elif n.family not in [p.strip() for p in picked.split(",")]:
            instead = f" (fontconfig would use '{picked.split(',')[0]}' instead)" if picked else ""
            problems.append(f"the PDF needs the font '{n.family}' (Debian package {package}){instead}: install it "
                            f"with 'sudo apt-get install {package}', or run 'make system-deps' as root")
    return problems


def fingerprint() -> str:
    """A digest of every font file fontconfig offers: path, size and modification time."""
    h = hashlib.sha256()
    if shutil.which("fc-list") is not None:
        out = subprocess.run(["fc-list", "--format", "%{file}\n"], capture_output=True, text=True, check=False)
        for name in sorted(set(out.stdout.split("\n")) - {""}):
            try:
                st = Path(name).stat()
            except OSError:
                continue
            h.update(f"{name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]
