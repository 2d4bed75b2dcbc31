"""Content is data, never code, in a real browser (issue 17).

* Every kind of page, in both languages, plus the root page and the 404 page, built with the published
  settings (HCC_SITE_URL, HCC_REPO_URL) and without them: no Content-Security-Policy violation, no request
  leaves 127.0.0.1, and the theme's scripts run (they are files now, not inline scripts).
* A script planted in a built page (as if it had got past the sanitizer) is blocked by the policy.
* The payloads of tests/fixtures/payloads, built with the checker bypassed (tests/unchecked_build.py):
  none runs (the DOM marker they would set stays unset), none loads anything from another host, and the
  pages hold no event handler, no script address and none of the removed elements.
"""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import browserkit as bk

ROOT = bk.ROOT
PUBLISHED = {"HCC_SITE_URL": "https://example.org/hcc-reviews/", "HCC_REPO_URL": "https://github.com/you/repo"}
PAYLOADS = ROOT / "tests" / "fixtures" / "payloads"
EXTRA_KINDS = {"root": "/", "status": "/{lang}/translation-status/", "changelog": "/{lang}/changelog/",
               "references-ici": "/{lang}/ici-hcc/references/"}
WATCH_CSP = ("window.__csp = []; document.addEventListener('securitypolicyviolation', "
             "e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile "
             "+ ':' + e.lineNumber));")


def build(project: Path, out: Path, *, unchecked: bool = False, unsanitized: bool = False,
          published: bool = True) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HCC_")}
    env.update({**(PUBLISHED if published else {}), "HCC_PDF": "0", "SOURCE_DATE_EPOCH": "1767225600", "NO_MKDOCS_2_WARNING": "1",
                "PYTHONPATH": str(ROOT)})
    if unchecked:
        cmd = [sys.executable, str(ROOT / "tests" / "unchecked_build.py"), str(project), str(out),
               *(["--unsanitized"] if unsanitized else [])]
    else:
        cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"), "-d", str(out)]
    result = subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr


class NotFoundServer(bk.SiteServer):
    """As GitHub Pages: an address the site does not have gets its 404.html (status 404), at any depth."""

    def __init__(self, directory: Path, prefix: str | None = None):
        super().__init__(directory, prefix)
        handler = self.httpd.RequestHandlerClass

        def send_error(self, code, message=None, explain=None):
            page = Path(self.directory) / "404.html"
            if code != 404 or not page.exists():
                return http.server.SimpleHTTPRequestHandler.send_error(self, code, message, explain)
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        handler.func.send_error = send_error  # functools.partial of the handler class


@pytest.fixture(scope="module")
def published_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("published") / "site"
    build(ROOT, out)
    return out


@pytest.fixture(scope="module", params=["published", "local"])
def settings(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def local_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local") / "site"
    build(ROOT, out, published=False)
    return out


@pytest.fixture(scope="module")
def built(settings, request) -> Path:
    """The real site with the published settings, or with none (served at the root of the host)."""
    return request.getfixturevalue("published_site" if settings == "published" else "local_site")


@pytest.fixture(scope="module")
def published(built, settings, browser):
    """(server, watch, page) of the real site as built for ``settings``."""
    server = NotFoundServer(built, None if settings == "published" else "")
    watch = bk.Watch(server.origin)
    context = browser.new_context(viewport=bk.DESKTOP, locale="en-US")
    context.add_init_script(WATCH_CSP)
    watch.attach_context(context)
    page = bk.open_page(context, watch)
    yield server, watch, page
    context.close()
    server.close()


def page_paths() -> list[tuple[str, str]]:
    out = []
    for kind in sorted({**bk.PAGE_KINDS, **EXTRA_KINDS}):
        for lang in ("zh", "en"):
            path = {**bk.PAGE_KINDS, **EXTRA_KINDS}[kind].format(lang=lang, query=bk.SEARCH_QUERY[lang])
            if kind != "root" or lang == "en":
                out.append((f"{kind}-{lang}" if kind != "root" else kind, path))
    out.append(("404", "/zh/no-such-page/deeper/"))
    return out


def load(page, watch, url: str) -> tuple[list[str], list[str], int]:
    """(CSP violations, requests to other hosts, HTTP status) of a fresh load of ``url``."""
    watch.clear()
    response = page.goto(url, wait_until="load")
    bk.settle(page)
    return page.evaluate("window.__csp || []"), list(watch.external), response.status if response else 0


@pytest.mark.parametrize("name,path", page_paths(), ids=[n for n, _ in page_paths()])
def test_every_kind_of_page_keeps_its_policy_and_its_host(published, built, settings, name, path):
    server, watch, page = published
    root = "/hcc-reviews/" if settings == "published" else "/"
    if not name.startswith(("404", "root")) and not (built / path.split("?")[0].lstrip("/")).exists():
        pytest.skip(f"the build has no {path}")
    violations, external, status = load(page, watch, server.url + path)
    assert violations == [], violations
    assert external == [], external
    assert status == (404 if name == "404" else 200)
    policy = page.eval_on_selector('meta[http-equiv="Content-Security-Policy"]', "m => m.content")
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    # the theme's scripts ran from their files: its scope is the site root, its search is wired
    assert page.evaluate("typeof __md_scope") == "object"
    assert page.evaluate("__md_scope.pathname") == root
    if name == "404":
        links = page.eval_on_selector_all("article a", "as => as.map(a => a.getAttribute('href'))")
        assert root + "zh/" in links and root + "en/" in links
        # the search of the 404 page loads the index of this host's root (it asked for "//en/", another host)
        assert page.evaluate("JSON.parse(document.getElementById('__config').textContent).base") == root
        assert page.locator("article").inner_text().count("404") == 1
        assert "页面不存在" in page.locator("article").inner_text()


def test_a_planted_inline_script_is_blocked(published, built):
    server, watch, page = published
    html = (built / "en" / "ici-hcc" / "index.html").read_text(encoding="utf-8")
    planted = html.replace("</article>", "<script>document.body.dataset.pwned = '1'</script></article>", 1)
    assert planted != html
    (built / "en" / "ici-hcc" / "planted.html").write_text(planted, encoding="utf-8")
    violations, external, status = load(page, watch, server.url + "/en/ici-hcc/planted.html")
    assert status == 200 and external == []
    assert page.evaluate("document.body.dataset.pwned") is None
    assert any(v.startswith("script-src") and " inline " in v for v in violations), violations
    assert page.evaluate("typeof __md_scope") == "object"  # the site's own scripts still run


# ---------------------------------------------------------------------------------------------------------------
# The payloads, past the checker
# ---------------------------------------------------------------------------------------------------------------

MANIFEST = yaml.safe_load((PAYLOADS / "payloads.yml").read_text(encoding="utf-8"))
REMOVED = "script, iframe, frame, object, embed, base, meta, link, style, svg, math, audio, video, picture, source, " \
          "input, form, button, template"


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory) -> Path:
    tools = bk.project_tools()
    tmp = tmp_path_factory.mktemp("payloads")
    project = tools.make_project(tmp)
    shutil.copytree(PAYLOADS / "content", project / "content", dirs_exist_ok=True)
    out = tmp / "site"
    build(project, out, unchecked=True)
    return out


@pytest.fixture(scope="module")
def payloads(payload_site, browser):
    server = bk.SiteServer(payload_site)
    watch = bk.Watch(server.origin)
    context = browser.new_context(viewport=bk.DESKTOP, locale="en-US")
    context.add_init_script(WATCH_CSP)
    watch.attach_context(context)
    page = bk.open_page(context, watch)
    yield server, watch, page
    context.close()
    server.close()


def payload_pages() -> list[tuple[str, str]]:
    out = []
    for item in MANIFEST:
        out.append((item["name"], f"/en/{item['page']}"))
        if item["file"].startswith("content/demo/"):
            out.append((item["name"] + "-parallel", f"/zh/{item['page']}parallel/"))
    return out


@pytest.mark.parametrize("name,path", payload_pages(), ids=[n for n, _ in payload_pages()])
def test_no_payload_runs_or_calls_out(payloads, payload_site, name, path):
    server, watch, page = payloads
    assert (payload_site / path.lstrip("/") / "index.html").exists(), path
    violations, external, status = load(page, watch, server.url + path)
    assert status == 200
    page.wait_for_timeout(200)  # a payload that waits for an event (focus, toggle, load of a media)
    assert page.evaluate("document.body.dataset.pwned") is None
    assert external == [], external
    assert violations == [], violations  # nothing was even attempted: the sanitizer removed it
    found = page.evaluate("""(removed) => {
        const bad = [];
        for (const el of document.querySelectorAll('article *, .md-nav *')) {
            for (const a of el.attributes) if (a.name.startsWith('on')) bad.push(el.tagName + ' ' + a.name);
            if (el.closest('.md-nav, .md-content__button, .md-icon')) continue;  // the theme's own icons and toggles
            if (el.matches(removed)) bad.push(el.tagName + ' in ' + el.parentElement.outerHTML.slice(0, 120));
            if (el.tagName === 'A' && el.href && !/^(https?|mailto):$/.test(el.protocol)) bad.push('a ' + el.href);
            if (el.tagName === 'IMG' && new URL(el.src, location).host !== location.host) bad.push('img ' + el.src);
            if (el.classList.contains('mermaid')) bad.push('mermaid');
        }
        return bad;
    }""", REMOVED)
    assert found == [], found


def test_the_payloads_are_seen_without_the_sanitizer(browser, tmp_path):
    """The control experiment: the same payloads built without the sanitizer. Their markup reaches the page,
    and the browser reports what they attempt (the policy blocks it: a second line of defence), so the test
    above, which finds no violation, would see them."""
    tools = bk.project_tools()
    project = tools.make_project(tmp_path)
    shutil.copytree(PAYLOADS / "content", project / "content", dirs_exist_ok=True)
    build(project, tmp_path / "site", unchecked=True, unsanitized=True)
    with bk.SiteServer(tmp_path / "site") as server:
        watch = bk.Watch(server.origin)
        context = browser.new_context(viewport=bk.DESKTOP)
        context.add_init_script(WATCH_CSP)
        watch.attach_context(context)
        page = bk.open_page(context, watch)
        try:
            for path, directive in (("/en/demo/details-ontoggle/", "script-src"),
                                    ("/en/trials/record-iframe/", "frame-src"),
                                    ("/en/trials/record-stylesheet/", "style-src"),
                                    ("/en/demo/remote-image/", "img-src")):
                violations, _, status = load(page, watch, server.url + path)
                page.wait_for_timeout(200)
                violations = page.evaluate("window.__csp")
                assert status == 200 and any(v.startswith(directive) for v in violations), (path, violations)
                assert page.evaluate("document.body.dataset.pwned") is None  # blocked by the policy
        finally:
            context.close()
