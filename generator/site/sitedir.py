"""Atomic publication of the built site.

The build writes into a staging folder beside ``site/`` (``.site.staging-<pid>``, one per process); only a
build that finished without error publishes it, and publishing is one rename: on Linux the staging folder
and ``site/`` are exchanged in one system call (``renameat2`` with ``RENAME_EXCHANGE``), so a reader or a web
server sees the old site or the new one, never none or half of one. (Elsewhere, or on a file system without
the exchange, ``site/`` is moved aside and the staging folder renamed in its place: two renames.) The old
site is then removed as far as it can be; what cannot be removed (a file in a folder the builder may not
change, say one made by another user) stays as ``.site.old-<pid>`` and never turns a published build into a
failed one: ``publish`` returns it and the build warns (``not_removed_message``). A failing build leaves the
previous site exactly as it was.

Folders left by builds that were killed (their process is gone), or that could not be removed, are removed
by the next build, which warns again about those it still cannot remove (``clear_leftovers``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100
_LEFTOVER = re.compile(r"\.(?P<name>.+)\.(?:staging|old)-(?P<pid>\d+)(?:-\d+)?")


def staging_dir(site_dir: Path) -> Path:
    # One per process: two builds running at once never write into each other's folder.
    return site_dir.parent / f".{site_dir.name}.staging-{os.getpid()}"


def old_dir(site_dir: Path) -> Path:
    return site_dir.parent / f".{site_dir.name}.old-{os.getpid()}"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    except OSError:
        return True
    return True


def leftovers(site_dir: Path) -> list[Path]:
    """Staging and old folders of ``site_dir`` whose build process is gone."""
    out = []
    try:
        names = sorted(os.listdir(site_dir.parent))
    except OSError:
        return out
    for name in names:
        m = _LEFTOVER.fullmatch(name)
        if m and m.group("name") == site_dir.name and not _alive(int(m.group("pid"))):
            out.append(site_dir.parent / name)
    return out


def clear_leftovers(site_dir: Path) -> list[Undeletable]:
    """Remove the leftovers of earlier builds; those that could not be removed."""
    return [u for u in map(try_discard, leftovers(site_dir)) if u is not None]


def prepare(site_dir: Path) -> Path:
    """The empty staging folder (leftovers of earlier builds removed as far as they can be)."""
    clear_leftovers(site_dir)
    staging = staging_dir(site_dir)
    discard(staging)
    staging.mkdir(parents=True)
    return staging


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one rename (Linux); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # this file system (or kernel) cannot exchange
    raise OSError(err, os.strerror(err), str(b))


def publish(staging: Path, site_dir: Path) -> Undeletable | None:
    """Put the staging folder in the place of ``site_dir``. Raises OSError only when nothing was published;
    returns the previous site's folder when it could not be removed."""
    old = old_dir(site_dir)
    if try_discard(old) is not None:  # this process's earlier build left it: move this old site beside it
        old = _free_name(old)
    if site_dir.is_dir() and not site_dir.is_symlink() and _exchange(staging, site_dir):
        # published; the old site is now where the staging folder was
        try:
            os.replace(staging, old)
        except OSError:
            old = staging
    else:
        moved = site_dir.exists() or site_dir.is_symlink()
        if moved:
            os.replace(site_dir, old)
        try:
            os.replace(staging, site_dir)
        except OSError:
            if moved:
                os.replace(old, site_dir)  # put the previous site back
            raise
    return try_discard(old)


def _free_name(path: Path) -> Path:
    n = 2
    while path.with_name(f"{path.name}-{n}").exists():
        n += 1
    return path.with_name(f"{path.name}-{n}")


def discard(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


@dataclass(frozen=True)
class Undeletable:
    """A folder that could not be removed, and the first thing in it that could not be."""

    folder: Path
    culprit: str  # the path of the file or folder
    reason: str  # the system's words (e.g. 'Permission denied')


def try_discard(path: Path) -> Undeletable | None:
    """Remove what can be removed (making read-only folders writable); what is left, or None. Never raises."""
    failures: list[OSError] = []

    def retry_writable(func, name, exc_info):
        try:
            os.chmod(os.path.dirname(name) or ".", 0o700)  # a read-only folder of ours: its entries can go
            if os.path.isdir(name) and not os.path.islink(name):
                os.chmod(name, 0o700)
            func(name)
        except OSError as exc:
            failures.append(exc)

    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, onerror=retry_writable)
        elif path.exists() or path.is_symlink():
            path.unlink()
    except OSError as exc:
        failures.append(exc)
    if not (path.exists() or path.is_symlink()):
        return None
    first = failures[0] if failures else OSError(errno.ENOTEMPTY, os.strerror(errno.ENOTEMPTY), str(path))
    return Undeletable(path, str(first.filename or path), first.strerror or str(first))


def discard_quietly(path: Path) -> bool:
    """Remove what can be removed; True when nothing is left. Never raises."""
    return try_discard(path) is None


def not_removed_message(u: Undeletable, site_dir: Path) -> str:
    """The build's warning about a folder left behind: where, why, and what to do."""
    base = site_dir.parent

    def shown(p: str | Path) -> str:
        p = Path(p)
        return p.relative_to(base).as_posix() if p.is_absolute() and p.is_relative_to(base) else str(p)

    folder = shown(u.folder)
    return (f"{folder}: could not remove this folder of an earlier site ({shown(u.culprit)}: {u.reason}); "
            f"the new site is published in {site_dir.name}/. Make it removable (chmod -R u+w {folder}; if "
            f"another user owns it, ask them or an administrator) or delete it: the next build tries again")
