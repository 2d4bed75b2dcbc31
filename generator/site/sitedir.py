"""Atomic publication of the built site.

The build writes into a staging folder beside ``site/``; only a build that finished
without error replaces ``site/``, in two renames. A failing build leaves the previous
site exactly as it was.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def staging_dir(site_dir: Path) -> Path:
    # One per process: two builds running at once never write into each other's folder.
    return site_dir.parent / f".{site_dir.name}.staging-{os.getpid()}"


def prepare(site_dir: Path) -> Path:
    staging = staging_dir(site_dir)
    discard(staging)
    staging.mkdir(parents=True)
    return staging


def publish(staging: Path, site_dir: Path) -> None:
    old = site_dir.parent / f".{site_dir.name}.old-{os.getpid()}"
    discard(old)
    if site_dir.exists():
        os.replace(site_dir, old)
    os.replace(staging, site_dir)
    discard(old)


def discard(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
