"""`make serve` while the sources have errors: a page with the diagnostics at every address.

MkDocs' development server holds every request until a build succeeds, so a source error used to leave the
browser waiting until the file was fixed. Under `serve` the plugin builds no pages while the sources have
errors and writes this page as ``404.html``, which the server answers every address with; the page asks for
its address again every second and reloads once the build has succeeded.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined


def page(diagnostics: list[str]) -> str:
    env = Environment(loader=PackageLoader("generator.site", "templates/serve"), autoescape=True,
                      undefined=StrictUndefined, keep_trailing_newline=True)
    return env.get_template("errors.html.j2").render(lines=diagnostics, count=len(diagnostics))


def write(site_dir: Path, diagnostics: list[str]) -> None:
    """The diagnostics page as the served site's 404.html (the only page of a build that had errors)."""
    (Path(site_dir) / "404.html").write_text(page(diagnostics), encoding="utf-8")
