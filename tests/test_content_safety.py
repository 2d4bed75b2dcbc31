"""Content is data, never code (issue 17), without a browser (tests/browser/test_policy_and_payloads.py has the
browser's side): the payloads through `check` and `build`, the sanitizer's rules, titles, the open data,
the diagnostics and the bounds on YAML aliases and BibTeX macros."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from generator import pipeline
from generator.site import navigation, opendata
from generator.sources import htmlcheck, regions, sanitize
from generator.diagnostics import Diagnostic, SourceError
from sitekit import ROOT, make_project, run_build

PAYLOADS = ROOT / "tests" / "fixtures" / "payloads"
MANIFEST = yaml.safe_load((PAYLOADS / "payloads.yml").read_text(encoding="utf-8"))
SECTION = "content/demo/01-first.md"
HEAD = "---\nid: first\norder: 1\nnumber: \"1\"\ntitle:\n  zh: 第一节\n  en: First section\n---\n"  # 8 lines


def check(project: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "check"], cwd=project, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def with_payloads(tmp_path: Path) -> Path:
    project = make_project(tmp_path)
    shutil.copytree(PAYLOADS / "content", project / "content", dirs_exist_ok=True)
    return project


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------------------------------------------------------
# The payloads: check reports each at its place; build fails and keeps the old site
# ---------------------------------------------------------------------------------------------------------------


def test_the_fixture_set_has_one_file_per_payload():
    files = sorted(p.relative_to(PAYLOADS).as_posix() for p in (PAYLOADS / "content").rglob("*.md"))
    assert files == sorted(item["file"] for item in MANIFEST)
    assert len(MANIFEST) >= 37


@pytest.fixture(scope="module")
def payload_check(tmp_path_factory) -> subprocess.CompletedProcess:
    return check(with_payloads(tmp_path_factory.mktemp("payloads")))


@pytest.mark.parametrize("item", MANIFEST, ids=[i["name"] for i in MANIFEST])
def test_check_reports_each_payload_at_its_line(payload_check, item):
    assert payload_check.returncode == 1
    where = f"{item['file']}:{item['line']}:{item['col']}: error: {item['message']}"
    assert any(line.startswith(where) for line in payload_check.stdout.splitlines()), payload_check.stdout


def test_build_with_the_payloads_fails_and_keeps_the_old_site(tmp_path):
    project = make_project(tmp_path)
    site = tmp_path / "site"
    assert run_build(project, site).returncode == 0
    before = digest(site)
    shutil.copytree(PAYLOADS / "content", project / "content", dirs_exist_ok=True)
    result = run_build(project, site)
    assert result.returncode != 0
    out = result.stdout + result.stderr
    for item in MANIFEST:  # the build reports what check reports (one rule set)
        assert f"{item['file']}:{item['line']}:{item['col']}: error: {item['message']}" in out, item["name"]
    assert "Traceback" not in out
    assert digest(site) == before


def test_a_link_defined_in_another_block_is_checked_where_it_is_defined(tmp_path):
    text = (HEAD + "::: zh\n见[此处][x]。\n\n::: en\nSee [here][x].\n\n::: zh\n[x]: https://example.org/\n\n"
            "::: en\n[x]: javascript:document.body.dataset.pwned=1\n")
    project = make_project(tmp_path, {SECTION: text})
    result = check(project)
    assert result.returncode == 1
    assert ("content/demo/01-first.md:19:6: error: a 'javascript:' address is not allowed in content"
            in result.stdout), result.stdout


def test_kept_findings_are_reported_again_and_an_edit_is_checked_afresh(tmp_path):
    project = make_project(tmp_path)
    assert check(project).returncode == 0
    assert (project / ".cache" / "htmlcheck.json").exists()
    source = project / SECTION
    source.write_text(source.read_text(encoding="utf-8").replace("Atezolizumab plus bevacizumab",
                                                                 "Atezolizumab <b onclick=\"x()\">plus</b>"),
                      encoding="utf-8")
    for _ in range(2):  # checked, then from the kept findings
        result = check(project)
        assert result.returncode == 1
        assert "content/demo/01-first.md:14:14: error: the HTML attribute 'onclick'" in result.stdout, result.stdout


def test_the_build_refuses_a_page_whose_contributor_html_lost_something_past_the_checker(tmp_path):
    """The last guard: were the checker wrong, the build still fails on what the sanitizer removed from a page,
    at the source of the text."""
    project = make_project(tmp_path)
    model = pipeline.load(project)
    source = project / SECTION
    md = htmlcheck.converter(project)
    marked = model.regions.wrap("Text <b onclick=\"x()\">bold</b>", source, 12)
    html = md.convert(marked)
    with pytest.raises(SourceError) as caught:
        pipeline.sanitize(model, html, regions.expected(marked), SECTION)
    assert "content/demo/01-first.md:12:1: error: the HTML attribute 'onclick'" in caught.value.render()
    # and what it publishes is the sanitized HTML, the markers gone
    cleaned, problems = regions.clean_page(html, regions.expected(marked))
    assert cleaned.strip() == "<p>Text <b>bold</b></p>" and len(problems) == 1


def test_a_page_that_lost_its_markers_fails(tmp_path):
    marked = regions.Regions().wrap("Text", Path("x.md"), 1)
    html, problems = regions.clean_page("<p>Text</p>", regions.expected(marked))
    assert problems and "lost the markers" in problems[0].message


def test_contributor_text_cannot_end_its_region():
    """A forged marker is a comment like any other: removed (and reported), the text after it still sanitized."""
    forged = "<!--hcc-close-0123456789abcdef-->"
    marked = regions.Regions().wrap(f"{forged}<script>x()</script>", Path("x.md"), 1)
    cleaned, problems = regions.clean_page(marked, regions.expected(marked))
    assert "<script" not in cleaned and {p.removal.kind for p in problems} == {"comment", "tag"}


# ---------------------------------------------------------------------------------------------------------------
# The sanitizer: the generator's markup and Markdown's own markup come through unchanged
# ---------------------------------------------------------------------------------------------------------------

MARKDOWN = textwrap.dedent("""\
    ## A heading {#a-heading}

    Text with **bold**, *emphasis*, `code`, a [link](https://example.org/ "title"), a [page](../x/#p3),
    [mail](mailto:a@example.org), ~sub~ and an ![image](img/figure.png).

    | left | centre | right |
    |:-----|:------:|------:|
    | 1    | 2      | 3     |

    !!! note "A note"
        Inside.

    ??? warning "Details"
        Hidden.

    - one
    - two

    1. first
    2. second

    Term
    : Definition

    A claim.[^1]

    [^1]: A footnote.

    ```python
    x = 1
    ```

    > A quotation.
    """)


def test_markdown_comes_through_the_sanitizer_unchanged():
    md = htmlcheck.converter(ROOT)
    marked = regions.Regions().wrap(MARKDOWN, Path("x.md"), 1)
    html = md.convert(marked)
    cleaned, problems = regions.clean_page(html, regions.expected(marked))
    assert problems == []
    for kept in ('<h2 id="a-heading">', '<a href="https://example.org/" title="title">', '<a href="../x/#p3">',
                 '<a href="mailto:a@example.org">', 'src="img/figure.png"', 'class="align-center"',
                 '<div class="admonition note">', '<details class="warning">', '<dl>', 'class="footnote-ref"',
                 '<span class="n">x</span>', "<blockquote>"):
        assert kept in cleaned, kept
    assert "style=" not in cleaned  # table alignment is a class (the policy refuses inline styles)


def test_each_rule_names_what_to_write_instead():
    cases = {
        "<script>x()</script>": "raw HTML <script> is not allowed in content: it could run code",
        '<p onclick="x()">t</p>': "the HTML attribute 'onclick' (an event handler that runs code)",
        '<a href="javascript:x()">t</a>': "a 'javascript:' address is not allowed in content: link to an http(s)",
        '<img src="https://e.example/x.png" alt="x">': "remote image",
        '<pre class="mermaid">x</pre>': "the class 'mermaid' on <pre> is not allowed in content: it makes the theme",
        '<p id="__config">x</p>': "the id '__config' is not allowed in content",
        '<p style="color:red">x</p>': "the HTML attribute 'style' is not allowed in content",
        "<p>a<!-- b --></p>": "an HTML comment",
    }
    for fragment, message in cases.items():
        _, found = sanitize.inspect(fragment)
        assert [r.message for r in found if r.message.startswith(message)], (fragment, [r.message for r in found])


def test_the_generators_own_markup_is_not_sanitized(tmp_path):
    """Citations, charts and record tables are templates' markup: they keep their attributes in the pages."""
    project = make_project(tmp_path)
    model = pipeline.load(project)
    page = next(p for p in pipeline.pages(model) if p.uri == "en/demo/first.md")
    md = htmlcheck.converter(project)
    html = pipeline.sanitize(model, md.convert(page.markdown.split("---\n", 2)[2]), regions.expected(page.markdown),
                             SECTION)
    done = pipeline.finish(model, pipeline.fill(model, html))
    assert 'class="cite"' in done and "data-refs=" in done and 'aria-label="Reference 1"' in done


# ---------------------------------------------------------------------------------------------------------------
# Titles and front-matter text
# ---------------------------------------------------------------------------------------------------------------


def test_titles_are_text_in_the_navigation(tmp_path):
    project = make_project(tmp_path)
    model = pipeline.load(project)
    model.project.reviews[0].title["en"] = "Advances <img src=x onerror=alert(1)>"
    nav = navigation.nav_config(model)
    titles = [k for lang in nav for items in lang.values() for item in items if isinstance(item, dict) for k in item]
    assert "Advances &lt;img src=x onerror=alert(1)&gt;" in titles


def test_front_matter_text_never_becomes_a_link(tmp_path):
    """A title is escaped for HTML; its '[' would still start a markdown link on the home page and in headings."""
    index = textwrap.dedent("""\
        ---
        id: demo
        order: 1
        title:
          zh: 示例综述
          en: "Demo](javascript:document.body.dataset.pwned=1) [x"
        affiliation:
          zh: 单位
          en: "[click](javascript:document.body.dataset.pwned=1)"
        ---

        ::: zh
        这是摘要。

        ::: en
        This is the abstract.
        """)
    project = make_project(tmp_path, {"content/demo/index.md": index})
    assert check(project).returncode == 0
    assert run_build(project, tmp_path / "site").returncode == 0
    for page in ("en/index.html", "en/demo/index.html", "en/translation-status/index.html"):
        html = (tmp_path / "site" / page).read_text(encoding="utf-8")
        assert 'href="javascript' not in html, page


# ---------------------------------------------------------------------------------------------------------------
# Open data
# ---------------------------------------------------------------------------------------------------------------


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised():
    for text in ('=HYPERLINK("https://e.example","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert opendata.csv_cell(text) == "'" + text
    for kept in ("-5", "+1.5", "-0.3e2", 7, -7.5, "ORR", "—", "a=b"):
        assert opendata.csv_cell(kept) == kept
    assert opendata.csv_cell(None) == ""


def test_trials_csv_neutralises_a_formula_in_a_record(tmp_path):
    trial = "---\nid: alpha\nname: \"=HYPERLINK(\\\"https://e.example\\\",\\\"x\\\")\"\naliases: [\"@A1\"]\nzh_name: \"-2+3\"\n---\n"
    project = make_project(tmp_path, {"content/trials/alpha.md": trial})
    model = pipeline.load(project)
    assert model.report.errors == []
    text = opendata.trials_csv(model.records).decode("utf-8-sig")
    assert "'=HYPERLINK(" in text and ",'@A1," in text and ",'-2+3," in text
    assert '\n=' not in text and ',=' not in text


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_not_a_number_is_a_validation_error_at_its_line(tmp_path, value):
    trial = textwrap.dedent(f"""\
        ---
        id: alpha
        name: ALPHA
        refs: [finn2020imbrave150]
        endpoints:
          - measure: ORR
            value: {value}
            unit: "%"
            source: finn2020imbrave150
        ---
        """)
    project = make_project(tmp_path, {"content/trials/alpha.md": trial})
    result = check(project)
    assert result.returncode == 1
    assert "content/trials/alpha.md:7:12: error: 'endpoints[1].value' is " in result.stdout  # at the value
    assert "which is not a figure" in result.stdout
    model = pipeline.load(project)
    json.loads(opendata.data_files(model.records)["data/trials.json"])  # valid JSON: the record is left out


# ---------------------------------------------------------------------------------------------------------------
# Diagnostics cannot inject commands
# ---------------------------------------------------------------------------------------------------------------

INJECT = '"x\\n::error file=README.md,line=1::pwned\\n::add-mask::secret\\r\\n::warning::x"'


def ours(line: str) -> bool:
    """Our own GitHub annotation: one command on one line, its file name escaped (the message may quote '::', not
    at the start of a line)."""
    return re.fullmatch(r"::(error|warning) file=[^,:\s]+,line=\d+,col=\d+::[^\r\n]*", line) is not None


@pytest.mark.parametrize("github", [False, True])
def test_contributor_text_in_messages_cannot_start_a_workflow_command(tmp_path, github):
    text = HEAD.replace("order: 1\n", f"order: 1\n{INJECT}: 1\n") + "::: zh\n文字\n::: en\nText\n"
    project = make_project(tmp_path, {SECTION: text})
    result = check(project, {"GITHUB_ACTIONS": "true"} if github else {"GITHUB_ACTIONS": "false"})
    assert result.returncode == 1
    lines = (result.stdout + result.stderr).splitlines()
    assert any("unknown field 'x\\n::error file=README.md,line=1::pwned\\n::add-mask::secret\\r\\n" in ln
               for ln in lines), lines
    assert all(ours(ln) for ln in lines if ln.startswith("::")), [ln for ln in lines if ln.startswith("::")]
    assert any(ours(ln) for ln in lines) == github
    built = run_build(project, tmp_path / "site")
    assert built.returncode != 0
    assert not [ln for ln in (built.stdout + built.stderr).splitlines() if ln.lstrip().startswith("::")]


def test_a_path_cannot_start_a_command():
    d = Diagnostic("::error x.md", 1, 1, "error", "m")
    assert not d.format().startswith("::")
    assert d.github().startswith("::error file=%3A%3Aerror x.md,line=1,col=1::")


# ---------------------------------------------------------------------------------------------------------------
# Bounded inputs
# ---------------------------------------------------------------------------------------------------------------

YAML_BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f'{c}: &{c} [{", ".join("*" + p for _ in range(9))}]\n' for p, c in zip("abcdefgh", "bcdefghi"))


def test_a_yaml_alias_bomb_is_refused_naming_the_limit(tmp_path):
    text = "---\n" + YAML_BOMB + "---\n::: zh\n文字\n::: en\nText\n"
    project = make_project(tmp_path, {SECTION: text})
    result = check(project)  # minutes and gigabytes without the limit; a timeout of the helper guards a hang
    assert result.returncode == 1
    assert ("content/demo/01-first.md:2:1: error: the front-matter expands to more than 100,000 values (the limit "
            "on YAML aliases") in result.stdout, result.stdout


def test_yaml_aliases_within_the_limit_still_work():
    from generator.sources.limits import yaml_values

    node = yaml.compose("a: &x [1, 2, 3]\nb: *x\nc: *x\n")
    assert yaml_values(node) == 1 + 3 * (1 + 4)


def test_a_bibtex_macro_bomb_is_refused_naming_the_limit(tmp_path):
    project = make_project(tmp_path)
    bomb = '@string{a = "xxxxxxxxxx"}\n' + "".join(
        f'@string{{{c} = {" # ".join([p] * 8)}}}\n' for p, c in zip("abcdefghij", "bcdefghijk"))
    with open(project / "refs.bib", "a", encoding="utf-8") as f:
        f.write("\n" + bomb + "@misc{bomb2020, title = k, year = {2020}}\n")
    result = check(project)
    assert result.returncode == 1
    start = (project / "refs.bib").read_text(encoding="utf-8").count("\n", 0, (project / "refs.bib").read_text(
        encoding="utf-8").index("@string{f"))
    assert (f"refs.bib:{start + 1}:1: error: the @string 'f' expands to 327,680 characters, more than the limit "
            "of 100,000 for a field") in result.stdout, result.stdout
    assert "the field 'title' expands to at least 100,000,000 characters" in result.stdout
