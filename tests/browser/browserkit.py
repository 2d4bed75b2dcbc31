"""Tools of the browser suite: a local server, Debian's Chromium, and the checks that both the
real site and the deliberately broken fixture site go through (so a check that passes on the
real site is known to fail on a broken one).

Nothing here reaches the network: the server listens on 127.0.0.1, Chromium is started with the
flags that keep it from calling out, and every request to another host is recorded and aborted.
"""

from __future__ import annotations

import csv
import functools
import http.server
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run",
                 # a request to any other host fails at once, without leaving the machine (Watch records it)
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
VNU_JAR = ROOT / ".cache" / "npm" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


# ---------------------------------------------------------------------------------------------------------------
# Kinds of pages: the representative page of each kind, in both languages
# ---------------------------------------------------------------------------------------------------------------

# kind -> path under the language root ("{lang}" is replaced); "?q=" opens the search dialog
PAGE_KINDS = {
    "home": "/{lang}/",
    "landing": "/{lang}/ici-hcc/",
    "section": "/{lang}/ici-hcc/combination-therapy/",
    "parallel": "/{lang}/ici-hcc/combination-therapy/parallel/",
    "references": "/{lang}/interventional-hcc/references/",
    "editor-notes": "/{lang}/interventional-hcc/editor-notes/",
    "glossary": "/{lang}/glossary/",
    "bibliography": "/{lang}/bibliography/",
    "trial-index": "/{lang}/trials/",
    "trial": "/{lang}/trials/leap-012/",
    "regimen-index": "/{lang}/regimens/",
    "regimen": "/{lang}/regimens/lenvatinib-pembrolizumab/",
    "drugs": "/{lang}/drugs/",
    "search": "/{lang}/ici-hcc/?q={query}",
}
SEARCH_QUERY = {"zh": "仑伐替尼", "en": "lenvatinib"}


def kind_path(kind: str, lang: str) -> str:
    return PAGE_KINDS[kind].format(lang=lang, query=SEARCH_QUERY[lang])


def kind_file(site: Path, kind: str, lang: str) -> Path:
    path = kind_path(kind, lang).split("?")[0]
    return site / path.lstrip("/") / "index.html"



def project_tools():
    """tests/sitekit.py (make_project, run_build)."""
    spec = importlib.util.spec_from_file_location("_hcc_tests_sitekit", ROOT / "tests" / "sitekit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------------------------------------------------------
# Serving
# ---------------------------------------------------------------------------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml"}
    prefix = ""  # the path of site_url ("/hcc-reviews"): the site is served there, as in production
    empty_search = False  # serve the search indexes without their documents (see SiteServer)

    def do_GET(self):
        if self.empty_search and self.path.split("?")[0].endswith("/search/search_index.json"):
            real = Path(self.translate_path(self.path.split("?")[0]))
            if real.exists():
                config = json.loads(real.read_text(encoding="utf-8"))["config"]
                body = json.dumps({"config": config, "docs": []}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
        super().do_GET()

    def translate_path(self, path):
        if self.prefix:
            if path == self.prefix or path.startswith(self.prefix + "/") or path.startswith(self.prefix + "?"):
                path = path[len(self.prefix):] or "/"
            else:
                return str(Path(self.directory) / "\0not-under-the-prefix")
        return super().translate_path(path)

    def end_headers(self):
        # A server that answers with this header lets LinkChecker check it at full speed (it otherwise
        # waits 0.1-0.6 s between two requests to one host: over 15 minutes for this site).
        self.send_header("LinkChecker", "unthrottled")
        if not self.path.split("?")[0].endswith(("/", ".html")):
            self.send_header("Cache-Control", "max-age=3600")  # assets, as a host would serve them
        super().end_headers()

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # clients that close early (a link checker reading headers only) are not errors
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def site_prefix() -> str:
    """The path of the site_url the tests build with ("/hcc-reviews", sitekit.DEPLOYED), where the site is
    served; "" for the root."""
    return urlsplit(project_tools().DEPLOYED["HCC_SITE_URL"]).path.rstrip("/")


class SiteServer:
    """A built site served on 127.0.0.1 at a free port, in a thread, under the path of its site_url.
    ``url`` is the site's root without the final slash (http://127.0.0.1:PORT/hcc-reviews);
    ``origin`` the server's (http://127.0.0.1:PORT).

    ``empty_search``: the search indexes are served without documents. mkdocs-material builds its
    language's index in a web worker as soon as a page loads, about a second of CPU for the Chinese
    one: the tests that do not search are twice as fast without it."""

    def __init__(self, directory: Path, prefix: str | None = None, *, empty_search: bool = False):
        prefix = site_prefix() if prefix is None else prefix
        handler = type("Handler", (_Handler,), {"prefix": prefix, "empty_search": empty_search})
        self.httpd = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.url = self.origin + prefix
        self.directory = directory
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> "SiteServer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def html_pages(site: Path) -> list[str]:
    """Every HTML page of a built site, as URL paths ('/zh/ici-hcc/', '/404.html')."""
    out = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        out.append("/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return out


# ---------------------------------------------------------------------------------------------------------------
# Browser
# ---------------------------------------------------------------------------------------------------------------


def launch(playwright):
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"Chromium is needed at {CHROMIUM} (Debian package 'chromium')")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


@dataclass
class Watch:
    """What the pages of a browser context did that they should not: requests to other hosts (which the
    browser fails at once, see CHROMIUM_ARGS), console errors, uncaught exceptions, failed local requests.
    Events only, no request interception: interception would switch off the browser's cache."""
    origin: str
    also: tuple[str, ...] = ()  # other local servers' origins
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def clear(self) -> None:
        self.external.clear()
        self.errors.clear()

    def attach_context(self, context) -> None:
        context.on("request", self._request)

    def attach_page(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"exception: {exc}"))
        page.on("requestfailed", self._failed)
        page.on("response", lambda r: r.status >= 400 and self.local(r.url)
                and self.errors.append(f"HTTP {r.status}: {r.url}"))

    def local(self, url: str) -> bool:
        scheme = urlsplit(url).scheme
        return (scheme in ("data", "blob", "about")
                or any(url.startswith(o + "/") or url == o for o in (self.origin, *self.also)))

    def _request(self, request) -> None:
        if not self.local(request.url):
            self.external.append(request.url)

    def _console(self, msg) -> None:
        # a request to another host is reported as such; its failure message is not a second problem
        if msg.type != "error" or "net::ERR_NAME_NOT_RESOLVED" in msg.text:
            return
        # The pages' Content-Security-Policy refuses a load from another host before any request is made: the
        # attempt is reported as the request it would have been (and the refusal is not a second problem).
        refused = _REFUSED.match(msg.text)
        if refused and not self.local(refused.group("url")):
            self.external.append(refused.group("url"))
            return
        self.errors.append(f"console: {msg.text}")

    def _failed(self, request) -> None:
        if self.local(request.url) and request.failure not in ("net::ERR_ABORTED",):
            self.errors.append(f"request failed ({request.failure}): {request.url}")


_REFUSED = re.compile(r"Refused to (?:load|connect to|frame|apply|execute)[^']*'(?P<url>[a-z][a-z0-9+.-]*://[^']+)'")


def open_page(context, watch: Watch):
    page = context.new_page()
    watch.attach_page(page)
    return page


def visit(page, url: str, *, wait: str = "load") -> None:
    """Load ``url`` afresh (also when the page is at that address already, which would only scroll)."""
    response = page.goto(url, wait_until=wait)
    if response is None:  # same document, another anchor: no load happened
        response = page.reload(wait_until=wait)
    assert response is not None and response.ok, f"{url}: HTTP {response.status if response else '?'}"


def settle(page) -> None:
    """Wait until the page's own scripts have run and the search worker has loaded its index."""
    page.wait_for_load_state("networkidle")


# ---------------------------------------------------------------------------------------------------------------
# Checks shared by the real site and the broken fixture
# ---------------------------------------------------------------------------------------------------------------


def clean_load(page, watch: Watch, url: str) -> list[str]:
    """Load a page; the problems: requests to other hosts, console errors, exceptions."""
    watch.clear()
    visit(page, url)
    settle(page)
    return [f"request to another host: {u}" for u in watch.external] + list(watch.errors)


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """axe-core (bundled by axe-playwright-python, injected into the page: no CDN) on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in impacts]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [", ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"]) for n in v["nodes"]]
        lines.append(f"{v['impact']}: {v['id']} ({v['help']}) x{len(v['nodes'])}: {'; '.join(targets[:4])}")
    return "\n".join(lines)


def linkcheck(base_url: str, out_dir: Path) -> list[dict]:
    """LinkChecker over the served site: internal links only (no --check-extern), anchors checked
    (its AnchorCheck plugin), run by linkcheck_run.py. The broken links and anchors, as dicts
    (url, parent, result, warning); LinkChecker's full CSV report is written to ``out_dir``."""
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    out_dir.chmod(0o755)  # LinkChecker drops root privileges to "nobody", who must read the configuration
    config = out_dir / "linkcheckerrc"
    config.write_text("[checking]\nthreads=8\nmaxrequestspersecond=10000\n\n[filtering]\ncheckextern=0\n\n"
                      "[AnchorCheck]\n", encoding="utf-8")
    config.chmod(0o644)
    runner = Path(__file__).resolve().parent / "linkcheck_run.py"
    proc = subprocess.run([sys.executable, str(runner), "-f", str(config), "--no-status", "-o", "csv", "-v",
                           "--no-robots", "-r", "-1", base_url + "/"],
                          capture_output=True, text=True, timeout=900, cwd=out_dir)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"linkchecker failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    (out_dir / "linkchecker.csv").write_text(proc.stdout, encoding="utf-8")
    # LinkChecker's comments start with "# "; a link's row starts with its text as written, "#anchor;..."
    rows = [line for line in proc.stdout.splitlines() if line and not line.startswith("# ")]
    problems = []
    for row in csv.DictReader(io.StringIO("\n".join(rows)), delimiter=";"):
        anchor = "anchor" in (row.get("warningstring") or "").lower()
        if row.get("valid") == "False" or anchor:
            problems.append({"url": row.get("url"), "parent": row.get("parentname"),
                             "result": row.get("result"), "warning": (row.get("warningstring") or "")[:200]})
    if not rows:
        raise RuntimeError(f"linkchecker checked nothing:\n{proc.stderr[-3000:]}")
    return problems


class Vnu:
    """The Nu Html Checker (npm vnu-jar, run with the machine's Java) over a set of files, started in
    the background (it can run while other checks do)."""

    def __init__(self, paths: list[Path]):
        java = shutil.which("java")
        if java is None:
            raise RuntimeError("Java is needed for the Nu Html Checker")
        if not VNU_JAR.exists():
            raise RuntimeError(f"the Nu Html Checker is missing: run 'make test' (npm install --prefix .cache/npm "
                               f"vnu-jar) or install it there ({VNU_JAR})")
        self.proc = subprocess.Popen([java, "-Xss1m", "-jar", str(VNU_JAR), "--format", "json",
                                      *[str(p) for p in paths]],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def result(self) -> tuple[list[dict], list[dict]]:
        """(errors, warnings)."""
        out, err = self.proc.communicate(timeout=900)
        data = json.loads(err or out or '{"messages": []}')
        errors, warnings = [], []
        for m in data.get("messages", []):
            kind = m.get("type")
            if kind in ("error", "non-document-error"):
                errors.append(m)
            elif kind == "info" and m.get("subType") == "warning":
                warnings.append(m)
        return errors, warnings


def vnu(paths: list[Path]) -> tuple[list[dict], list[dict]]:
    return Vnu(paths).result()


def summarize_vnu(messages: list[dict], root: Path, examples: int = 3) -> str:
    """The messages grouped by text: count, then a few places."""
    groups: dict[str, list[dict]] = {}
    for m in messages:
        groups.setdefault(m.get("message", ""), []).append(m)
    out = []
    for text, ms in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        out.append(f"{len(ms)} x {text}")
        out += ["    " + line for line in describe_vnu(ms[:examples], root).splitlines()]
    return "\n".join(out)


def describe_vnu(messages: list[dict], root: Path) -> str:
    lines = []
    for m in messages:
        where = m.get("url", "")
        if where.startswith("file:"):
            where = str(Path(where[5:]).relative_to(root)) if Path(where[5:]).is_relative_to(root) else where
        lines.append(f"{where}:{m.get('lastLine', '?')}: {m.get('message')}  [{(m.get('extract') or '').strip()[:80]}]")
    return "\n".join(lines)
