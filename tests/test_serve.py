"""`make serve` with an error in the sources: every address answers at once with the diagnostics (it used to
wait until the file was fixed), and the pages come back once the file is fixed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from sitekit import MINI_SECTION, make_project


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=20) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


def wait_for(predicate, timeout: float = 60.0, step: float = 0.3):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return None


@pytest.fixture
def broken_project(tmp_path):
    broken = MINI_SECTION.replace("[@finn2020imbrave150]。", "[@nosuchkey2020<script>]。", 1)
    return make_project(tmp_path, {"content/demo/01-first.md": broken})


def test_serve_shows_the_diagnostics_at_every_address_and_reloads_when_fixed(broken_project):
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "HCC_PDF": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}",
                             "-f", str(broken_project / "mkdocs.yml")], cwd=broken_project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"

        def up():
            try:
                return get(base + "/zh/demo/first/")
            except OSError:
                return None

        status, body = wait_for(up) or (None, "")
        assert status == 404, body[:300]
        assert "源文件有错误" in body and "The sources have errors" in body
        assert "content/demo/01-first.md:" in body and "nosuchkey2020" in body
        listed = body.split("<ol>")[1].split("</ol>")[0]
        assert "<script" not in listed and "<b>" not in listed  # the messages are text, escaped
        started = time.monotonic()
        assert get(base + "/en/")[0] == 404  # every address, at once: nothing waits for a fix
        assert time.monotonic() - started < 5
        # fix the file: the page is served again
        (broken_project / "content/demo/01-first.md").write_text(MINI_SECTION, encoding="utf-8")
        fixed = wait_for(lambda: (r := get(base + "/zh/demo/first/"))[0] == 200 and r, timeout=90)
        assert fixed, "the page did not come back after the fix"
        assert "阿替利珠单抗" in fixed[1]
    finally:
        proc.terminate()
        try:
            out, _ = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
    assert "Traceback" not in out, out[-2000:]
