"""Fixtures of the browser suite: the real site (built once, tests/conftest.py's ``built_site``) served
on 127.0.0.1, one Chromium for the whole session, one reusable page.

A kind of page (browserkit.PAGE_KINDS) whose page the build does not produce is skipped with its reason.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import browserkit as bk  # noqa: E402

@pytest.fixture(scope="session")
def site(request) -> Path:
    """The real site, built for this session; HCC_TEST_SITE=<dir> reuses a site built before (to iterate
    on the tests)."""
    prebuilt = os.environ.get("HCC_TEST_SITE")
    if prebuilt:
        return Path(prebuilt).resolve()
    return request.getfixturevalue("built_site")


@pytest.fixture(scope="session")
def server(site):
    """The site, with search indexes without documents (browserkit.SiteServer): for every test that
    does not search."""
    with bk.SiteServer(site, empty_search=True) as srv:
        yield srv


@pytest.fixture(scope="session")
def search_server(site):
    """The site as it is, real search indexes included."""
    with bk.SiteServer(site) as srv:
        yield srv


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    b = bk.launch(playwright_instance)
    yield b
    b.close()


@pytest.fixture(scope="session")
def watch(server) -> bk.Watch:
    return bk.Watch(server.origin)


@pytest.fixture(scope="session")
def context(browser, watch):
    ctx = browser.new_context(viewport=bk.DESKTOP, locale="en-US", color_scheme="light")
    watch.attach_context(ctx)
    yield ctx
    ctx.close()


@pytest.fixture(scope="session")
def shared_page(context, watch):
    return bk.open_page(context, watch)


@pytest.fixture(scope="session")
def search_watch(search_server) -> bk.Watch:
    return bk.Watch(search_server.origin)


@pytest.fixture(scope="session")
def search_context(browser, search_watch):
    ctx = browser.new_context(viewport=bk.DESKTOP, locale="en-US", color_scheme="light")
    search_watch.attach_context(ctx)
    yield ctx
    ctx.close()


@pytest.fixture(scope="session")
def _search_page(search_context, search_watch):
    return bk.open_page(search_context, search_watch)


@pytest.fixture
def search_page(_search_page, search_watch):
    """The session's page on ``search_server`` (reused: its worker has built the index)."""
    _search_page.set_viewport_size(bk.DESKTOP)
    search_watch.clear()
    yield _search_page


@pytest.fixture
def page(shared_page, watch):
    """The session's page, reset to desktop size, light colours and a blank state."""
    shared_page.set_viewport_size(bk.DESKTOP)
    shared_page.emulate_media(color_scheme="light")
    watch.clear()
    yield shared_page


@pytest.fixture(scope="session")
def dark_page(browser, server, search_server):
    """A page of its own context, whose system prefers dark colours (mkdocs-material remembers the
    scheme of the first visit in localStorage, so dark mode needs a context of its own)."""
    watch = bk.Watch(server.origin, also=(search_server.origin,))
    ctx = browser.new_context(viewport=bk.DESKTOP, locale="en-US", color_scheme="dark")
    watch.attach_context(ctx)
    page = bk.open_page(ctx, watch)
    yield page
    ctx.close()


@pytest.fixture
def require_kind(site):
    def check(kind: str, lang: str = "en") -> None:
        if not bk.kind_file(site, kind, lang).exists():
            pytest.skip(f"the build has no {kind} page ({bk.kind_path(kind, lang)})")
    return check
