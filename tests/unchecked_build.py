"""``python tests/unchecked_build.py PROJECT SITE_DIR [--unsanitized]``: build PROJECT with the checker bypassed.

What a sanitizer is for: text that got past every check. The checks of contributor HTML (the checker's
conversion of each block, markup in titles, and the build's own error on what the sanitizer removed) are
switched off here, so that the build publishes what the sanitizer keeps of every payload
(tests/fixtures/payloads) and the browser tests can load it. The sanitizer itself is not touched, but with
``--unsanitized`` (the control experiment, which shows that the browser test would see a payload that ran).
"""

from __future__ import annotations

import sys

from generator import pipeline
from generator.sources import regions, sanitize


def main(project: str, site_dir: str, *options: str) -> int:
    pipeline.check_blocks = pipeline.check_bodies = lambda *args, **kwargs: None
    sanitize.text_markup = lambda text: False
    pipeline.sanitize = lambda model, html, expect, source: regions.clean_page(html, expect)[0]
    if "--unsanitized" in options:  # the control experiment: the payloads as they are (tests only)
        pipeline.sanitize = lambda model, html, expect, source: regions.MARKER.sub("", html)
    from mkdocs.__main__ import cli

    try:
        cli.main(args=["build", "-f", f"{project}/mkdocs.yml", "-d", site_dir], prog_name="mkdocs",
                 standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
