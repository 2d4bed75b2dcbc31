"""LinkChecker's command line, with two shortcuts that keep its answers and make it fit a test run.

With anchor checking on, LinkChecker treats every ``page#anchor`` as a page of its own: it
downloads it, parses it, looks for the anchor and recurses into its links again. This site links
to thousands of anchors (citations, tables of contents, the parallel view), which took over ten
minutes. Here a page's anchors are collected once per page (LinkChecker's own collector, the
same list for every anchor of that page) and a page is recursed into once (every ``page#anchor``
has the same links as ``page``). Every link and every anchor is still checked and reported by
LinkChecker's loggers. Run as ``python linkcheck_run.py <linkchecker arguments>``.
"""

import sys
import threading
from urllib.parse import urldefrag

from linkcheck.checker import urlbase
from linkcheck.command.linkchecker import linkchecker
from linkcheck.htmlutil import linkparse
from linkcheck.plugins import anchorcheck

_lock = threading.Lock()
_anchors: dict = {}
_recursed: set = set()


def check(self, url_data):
    base = urldefrag(url_data.url)[0]
    with _lock:
        found = _anchors.get(base)
    if found is None:
        collector = anchorcheck.UrlAnchorCheck()
        linkparse.find_links(url_data.get_soup(), collector.add_anchor, linkparse.AnchorTags)
        found = collector.anchors
        with _lock:
            _anchors[base] = found
    checker = anchorcheck.UrlAnchorCheck()
    checker.anchors = found
    checker.check_anchor(url_data)


_allows_recursion = urlbase.UrlBase.allows_recursion


def allows_recursion(self):
    base = urldefrag(self.url)[0]
    with _lock:
        if base in _recursed:
            return False
    if not _allows_recursion(self):
        return False
    with _lock:
        if base in _recursed:
            return False
        _recursed.add(base)
    return True


anchorcheck.AnchorCheck.check = check
urlbase.UrlBase.allows_recursion = allows_recursion

if __name__ == "__main__":
    sys.argv[0] = "linkchecker"
    sys.exit(linkchecker())
