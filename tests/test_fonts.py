"""The PDFs' fonts are declared, verified and what the PDFs embed; their text searches and copies whole.

A family the print stylesheets name but the machine lacks used to be replaced without a word (Liberation
Serif by DejaVu Serif), and the PDF cache went on serving PDFs made with whatever fonts a machine had.
"""

from __future__ import annotations

import html
import importlib.util
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from generator import pipeline
from generator.pdf import fonts
from generator.pdf.engine import TEMPLATES, Job
from generator.pdf.review import Exporter
from generator.urls import handout_pdf, review_pdf

from sitekit import ROOT, make_project, run_build

pytestmark = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils is not installed")

PRINT_CSS = ROOT / "site_overrides" / "assets" / "stylesheets" / "print.css"
STYLESHEETS = [PRINT_CSS, TEMPLATES / "pdf.css"]
LANGS = ("zh", "en")


def system_deps():
    spec = importlib.util.spec_from_file_location("_system_deps", ROOT / "scripts" / "system_deps.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def model() -> pipeline.Model:
    return pipeline.load(ROOT, cache_dir=ROOT / ".cache")


def embedded_families(path: Path) -> set[str]:
    """The families a PDF embeds, as pdffonts names them ('ABCDEF+Liberation-Serif-Bold' -> 'LiberationSerif')."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    names = {row.split()[0].split("+", 1)[-1] for row in out.splitlines()[2:] if row.strip()}
    return {re.sub(r"-(Regular|Bold|Italic|BoldItalic|Oblique|BoldOblique)$", "", n).replace("-", "") for n in names}


def key(family: str) -> str:
    return family.replace(" ", "").replace("-", "")


# --- the declaration: every family the stylesheets name is in the install list --------------------------


def test_every_font_family_the_print_stylesheets_name_has_its_package_in_the_build_install_list():
    """Static: fails on any machine, including one where the font happens to be installed."""
    deps = system_deps()
    named = fonts.stylesheet_families(STYLESHEETS)
    assert {n.family for n in named} >= {"Liberation Serif", "Noto Serif CJK SC"}
    for n in named:
        assert n.family in deps.FONT_PACKAGES, f"{n.path.name}:{n.line}: '{n.family}' has no package in FONT_PACKAGES"
        package = deps.FONT_PACKAGES[n.family]
        assert package in deps.PACKAGES, f"{package} ('{n.family}') is not in the build's list (PACKAGES)"


def test_build_needs_and_test_needs_are_separate_lists():
    deps = system_deps()
    assert {"fonts-liberation", "fonts-noto-cjk", "libharfbuzz-subset0"} <= set(deps.PACKAGES)
    assert {"poppler-utils", "chromium", "default-jre-headless", "nodejs"} <= set(deps.TEST_PACKAGES)
    assert not set(deps.PACKAGES) & set(deps.TEST_PACKAGES)


def test_generic_families_comments_and_variables_are_not_font_names(tmp_path):
    css = tmp_path / "a.css"
    css.write_text(textwrap.dedent("""\
        /* font-family: "Commented Out"; */
        p { font-family: "Liberation Serif", 'Noto Serif CJK SC', serif; }
        code { font-family: var(--mono), monospace; }
        """), encoding="utf-8")
    named = fonts.stylesheet_families([css])
    assert [(n.family, n.line) for n in named] == [("Liberation Serif", 2), ("Noto Serif CJK SC", 2)]


# --- verified before typesetting ----------------------------------------------------------------------


def test_a_font_that_resolves_to_another_family_is_an_error_naming_its_package(monkeypatch):
    monkeypatch.setattr(fonts, "resolve", lambda family: ("DejaVu Serif", Path("/x/DejaVuSerif.ttf"))
                        if family == "Liberation Serif" else (family, Path("/x/f.ttf")))
    named = [fonts.Named("Liberation Serif", Path("pdf.css"), 29), fonts.Named("Noto Serif CJK SC", Path("pdf.css"), 30)]
    problems = fonts.missing_families(named, {"Liberation Serif": "fonts-liberation", "Noto Serif CJK SC": "fonts-noto-cjk"})
    assert problems == ["the PDF needs the font 'Liberation Serif' (Debian package fonts-liberation) (fontconfig "
                        "would use 'DejaVu Serif' instead): install it with 'sudo apt-get install fonts-liberation', "
                        "or run 'make system-deps' as root"]


def test_the_build_stops_on_a_missing_font_and_keeps_the_old_site(tmp_path):
    """End to end: a stylesheet names a family this machine does not have; the build fails before any page
    is written, with the message and a non-zero exit, and the site built before is left as it was."""
    project = make_project(tmp_path)
    site = tmp_path / "site"
    first = run_build(project, site, pdf=True)
    assert first.returncode == 0, first.stdout + first.stderr
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    css = project / "site_overrides" / "assets" / "stylesheets" / "print.css"
    css.write_text(css.read_text(encoding="utf-8") + '\n@media print { h6 { font-family: "Nowhere Sans", sans-serif; } }\n',
                   encoding="utf-8")
    scripts = project / "scripts"
    scripts.mkdir()
    deps = (ROOT / "scripts" / "system_deps.py").read_text(encoding="utf-8")
    (scripts / "system_deps.py").write_text(
        deps.replace('FONT_PACKAGES: dict[str, str] = {', 'FONT_PACKAGES: dict[str, str] = {\n    "Nowhere Sans": "fonts-nowhere",'),
        encoding="utf-8")
    second = run_build(project, site, pdf=True)
    out = second.stdout + second.stderr
    assert second.returncode != 0
    assert "error: the PDF needs the font 'Nowhere Sans' (Debian package fonts-nowhere)" in out
    assert "sudo apt-get install fonts-nowhere" in out
    assert "Traceback" not in out
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before


def test_the_pdf_cache_key_changes_when_a_font_file_is_added(tmp_path, monkeypatch):
    """Installing (or removing) a font renders the PDFs again rather than serving the cached ones."""
    src = Path(fonts.resolve("Liberation Serif")[1] or "")
    if not src.is_file():
        pytest.skip("fontconfig finds no font file")
    fontdir = tmp_path / "fonts"
    fontdir.mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>{fontdir}</dir>'
                    f'<cachedir>{tmp_path / "cache"}</cachedir></fontconfig>', encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    empty = fonts.fingerprint()
    shutil.copy(src, fontdir / src.name)
    with_font = fonts.fingerprint()
    assert with_font != empty
    job = Job("pdf/x.pdf", ["<html></html>"])
    assert job.key([], empty) != job.key([], with_font)


# --- what the PDFs embed ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_pdfs_embed_only_the_declared_families_and_their_text_faces(built_site, model, lang):
    declared = {key(n.family) for n in fonts.stylesheet_families(STYLESHEETS)}
    body = {"zh": "NotoSerifCJKSC", "en": "LiberationSerif"}[lang]
    names = [review_pdf(r.id, lang) for r in model.project.reviews] + [handout_pdf(lang)]
    for name in names:
        path = built_site / name
        if not path.exists():
            continue
        embedded = {key(f) for f in embedded_families(path)}
        assert embedded <= declared, f"{name} embeds fonts no stylesheet names: {sorted(embedded - declared)}"
        if "handout" not in name:
            assert body in embedded, f"{name}: the body face {body} is not embedded ({sorted(embedded)})"


# --- text that searches and copies ------------------------------------------------------------------------


def words_of(document: str) -> set[str]:
    text = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<(svg|style|script)\b.*?</\1>", " ", document, flags=re.S)))
    return set(re.findall(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*", text))


@pytest.mark.parametrize("review_index", [0, 1])
def test_english_pdf_text_has_no_word_split_across_lines(built_site, model, review_index):
    """pdftotext gives 'immunotherapy', never 'immuno- therapy'; 'EMERALD-1' and 'T-cell' whole, never 'Tcell'."""
    review = model.project.reviews[review_index]
    document = Exporter(model, built_site).review_job(review, "en").htmls[0]
    vocabulary = words_of(document)
    words = {w for w in vocabulary if len(w) >= 9}
    assert len(words) > 200
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(built_site / review_pdf(review.id, "en")), "-"],
                          capture_output=True, text=True, check=True).stdout
    tokens = text.split()
    ends = [line for line in text.splitlines() if re.search(r"[A-Za-z]{2}[-\u2010\u00ad]$", line.rstrip())]
    assert not ends, f"lines end inside a word: {ends[:5]}"
    joined = {w.replace("-", "") for w in words if "-" in w}
    split = sorted({f"{a} {b}" for a, b in zip(tokens, tokens[1:])
                    if a[-1:].isalnum() and b[:1].isalnum() and (a + b).strip(".,;:()[]") in words
                    and not (a.strip("([") in vocabulary and b.strip(".,;:)]") in vocabulary)})
    assert not split, f"words split across lines: {split[:10]}"
    glued = sorted({t for t in tokens if t.strip(".,;:()[]") in joined and t.strip(".,;:()[]") not in words})
    assert not glued, f"hyphenated words that lost their hyphen at a line end: {glued[:10]}"
    trial_names = {"EMERALD-1", "LEAP-012", "IMbrave150", "CheckMate", "HIMALAYA"} & words
    for name in trial_names:
        assert name in text, f"{name} is not whole in the PDF text"


@pytest.mark.parametrize("lang", LANGS)
def test_dois_in_the_pdf_reference_lists_copy_whole(built_site, model, lang):
    """A DOI split across two lines ('doi:10.1' / '016/S1470-…') cannot be copied or searched."""
    from urllib.parse import unquote

    exporter = Exporter(model, built_site)
    for review in model.project.reviews:
        document = exporter.review_job(review, lang).htmls[0]
        dois = {html.unescape(unquote(d)) for d in re.findall(r'href="https://doi\.org/([^"]+)"', document)}
        assert dois, f"{review.id}: no DOI in the reference list?"
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(built_site / review_pdf(review.id, lang)), "-"],
                              capture_output=True, text=True, check=True).stdout
        split = sorted(d for d in dois if d not in text)
        assert not split, f"{review.id} ({lang}): DOIs not whole on one line: {split}"


@pytest.mark.parametrize("lang", LANGS)
def test_the_cover_text_is_what_the_cover_shows(built_site, model, lang):
    """The running header's source is not drawn: its text used to lie invisibly over the cover's first line
    ('Reviews ofinHepatocellular')."""
    for review in model.project.reviews:
        cover = subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", "1", "-l", "1",
                                str(built_site / review_pdf(review.id, lang)), "-"],
                               capture_output=True, text=True, check=True).stdout
        site_name = {"zh": "肝细胞癌治疗文献综述", "en": "Reviews of Hepatocellular Carcinoma Treatment"}[lang]
        assert cover.lstrip().startswith(site_name), cover[:200]
        title = re.sub(r"\s+", "", review.title[lang])
        assert re.sub(r"\s+", "", cover).count(title) == 1, f"{review.id} ({lang}): the title is on the cover more than once"
