"""The PDF export: the review PDFs and the handouts that the build puts into site/pdf/.

The site is built once for the session (``built_site``); the plugin's post-build step makes the PDFs.
The checks read the PDFs as a reader's tools do: pdftotext (extracted text), pdffonts (embedded fonts)
and pypdf (outline, links, metadata).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

pypdf = pytest.importorskip("pypdf")

from generator import i18n, pdf, pipeline  # noqa: E402
from generator.pdf.article import SVG_MAX_WIDTH, ArticleRewriter, Built  # noqa: E402
from generator.pdf.engine import Engine, Job, PdfError, check_system, missing_packages  # noqa: E402
from generator.pdf.review import Exporter, _running_title  # noqa: E402
from generator.urls import handout_pdf, review_pdf  # noqa: E402

from sitekit import EPOCH, ROOT  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
                                reason="poppler-utils (pdftotext, pdffonts) is not installed")

LANGS = ("zh", "en")


@pytest.fixture(scope="session")
def model() -> pipeline.Model:
    return pipeline.load(ROOT, cache_dir=ROOT / ".cache")


def review_ids(model: pipeline.Model) -> list[str]:
    return [r.id for r in model.project.reviews]


def pdf_path(site: Path, review_id: str, lang: str) -> Path:
    return site / review_pdf(review_id, lang)


def text_of(path: Path, first: int | None = None, last: int | None = None, layout: bool = False) -> str:
    cmd = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        cmd.append("-layout")
    if first is not None:
        cmd += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run([*cmd, str(path), "-"], capture_output=True, text=True, check=True).stdout


def squash(text: str) -> str:
    """Text without any whitespace: line breaks of the PDF and spaces around Latin words do not matter."""
    return re.sub(r"\s+", "", text)


def plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def article(site: Path, url: str) -> str:
    text = (site / url / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<article class="md-content__inner[^"]*">(.*?)</article>', text, re.S)
    assert m, url
    return m.group(1)


def outline(reader) -> list[tuple[int, str, int]]:
    """(level, title, page number from 1) of every bookmark, in order."""
    out: list[tuple[int, str, int]] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return out


def norm(title: str) -> str:
    return " ".join(title.split())


def top_index(marks: list[tuple[int, str, int]], title: str) -> int:
    return next(k for k, (level, t, _) in enumerate(marks) if level == 1 and norm(t) == norm(title))


# ---------------------------------------------------------------------------------------------------------------


def test_every_pdf_is_made(built_site, model):
    for name in pdf.expected_files(model):
        path = built_site / name
        assert path.exists(), f"{name} is missing from the built site"
        assert path.read_bytes().startswith(b"%PDF-")
    assert {p.name for p in (built_site / "pdf").iterdir()} >= {Path(n).name for n in pdf.expected_files(model)}


def test_chinese_text_copies_and_searches(built_site, model):
    """Title and a sentence of the text are found in the extracted text: right code points, no Kangxi radicals."""
    review = model.project.reviews[0]
    extracted = squash(text_of(pdf_path(built_site, review.id, "zh")))
    assert squash(review.title["zh"]) in extracted
    # a sentence of the first section as the site shows it, preferably one with 血 or 心 (full_fonts trap)
    body = article(built_site, review.sections[0].url("zh"))
    paragraphs = [plain(p) for p in re.findall(r"<p>(.*?)</p>", body, re.S)]
    sentences = [s + "。" for p in paragraphs for s in re.sub(r"\[[\d,\s\-–]+\]", "", p).split("。")
                 if len(s) >= 15 and re.search(r"[\u4e00-\u9fff]", s)]
    assert sentences, "no Chinese sentence found on the site page"
    sample = next((s for s in sentences if re.search("[血心]", s)), sentences[0])
    assert squash(sample) in extracted, f"sentence not found in the PDF text: {sample}"
    assert not re.search("[\u2f00-\u2fdf]", extracted), "Kangxi radicals in the extracted text (full_fonts?)"


@pytest.mark.parametrize("lang", LANGS)
def test_fonts_are_embedded_with_simplified_chinese(built_site, model, lang):
    for rid in review_ids(model):
        out = subprocess.run(["pdffonts", str(pdf_path(built_site, rid, lang))], capture_output=True, text=True,
                             check=True).stdout
        rows = [line for line in out.splitlines()[2:] if line.strip()]
        assert rows, out
        for row in rows:
            cols = row.split()
            emb = cols[-5]  # name type [type...] encoding emb sub uni object ID
            assert emb == "yes", f"font not embedded: {row}"
        names = [row.split()[0] for row in rows]
        assert any("CJK-SC" in n or "CJKsc" in n for n in names), f"no Simplified Chinese CJK font in {names}"
        assert not any("CJK-JP" in n or "CJK-TC" in n or "CJK-KR" in n for n in names), names


@pytest.mark.parametrize("lang, most", [("zh", 3), ("en", 1)])
def test_few_cjk_faces_are_embedded_so_the_files_stay_small(built_site, model, lang, most):
    """WeasyPrint keeps a font's glyph ids, so each embedded CJK face costs about 140 KB however few of its glyphs
    are used: Chinese bold is set in the sans face, notes in sans, nothing Chinese slanted, no monospaced CJK."""
    for rid in review_ids(model):
        out = subprocess.run(["pdffonts", str(pdf_path(built_site, rid, lang))], capture_output=True, text=True,
                             check=True).stdout
        cjk = sorted({row.split()[0].split("+", 1)[-1] for row in out.splitlines()[2:] if "CJK" in row})
        assert 1 <= len(cjk) <= most, f"{rid} ({lang}) embeds {len(cjk)} CJK faces: {cjk}"
        assert not any("Oblique" in n or "Italic" in n or "Mono" in n for n in cjk), cjk


@pytest.mark.parametrize("lang", LANGS)
def test_table_cells_do_not_break_inside_words(built_site, model, lang):
    """No 'Patient|s', 'Pha|se' or 'NCT01853|618' in a column too narrow for them: every Latin word and number
    of every table the PDF copies from the site is whole: no two consecutive words of the PDF make one."""
    exporter = Exporter(model, built_site)
    for review in model.project.reviews:
        document = exporter.review_job(review, lang).htmls[0]
        tables = " ".join(re.findall(r"<table\b.*?</table>", document, re.S))
        cells = html.unescape(re.sub(r"<[^>]+>", " ", tables))  # a <br> in a cell separates words
        tokens = set(re.findall(r"[A-Za-z0-9]{4,}", cells))
        assert tokens, f"{review.id} ({lang}): no table in the PDF?"
        bbox = subprocess.run(["pdftotext", "-bbox", str(pdf_path(built_site, review.id, lang)), "-"],
                              capture_output=True, text=True, check=True).stdout
        words = [html.unescape(w) for w in re.findall(r"<word [^>]*>([^<]*)</word>", bbox)]
        broken = set()
        for a, b in zip(words, words[1:]):
            tail, head = re.search(r"[A-Za-z0-9]*$", a).group(), re.match(r"[A-Za-z0-9]*", b).group()
            if tail and head and tail + head in tokens:
                broken.add(f"{tail}|{head}")
        broken = sorted(broken)
        assert not broken, f"{review.id} ({lang}): words broken across lines in a table: {broken}"


@pytest.mark.parametrize("lang", LANGS)
def test_outline_follows_the_headings(built_site, model, lang):
    for review in model.project.reviews:
        reader = pypdf.PdfReader(pdf_path(built_site, review.id, lang))
        marks = outline(reader)
        top = [norm(t) for level, t, _ in marks if level == 1]
        sections = [norm(s.full_title(lang)) for s in review.sections]
        # every section in review order, framed by the front matter and the reference list
        assert [t for t in top if t in sections] == sections
        assert top[-1] == i18n.t("references", lang)
        assert top.index(sections[0]) > 0  # the abstract (and the contents) come first
        # the second-level bookmarks of each section are its h2 headings on the site
        for section in review.sections:
            body = article(built_site, section.url(lang))
            h2 = [norm(plain(h)) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", body, re.S)]
            h2 = [h for h in h2 if h != i18n.t("references", lang)]
            i = top_index(marks, section.full_title(lang))
            children = []
            for level, t, _ in marks[i + 1:]:
                if level == 1:
                    break
                if level == 2:
                    children.append(norm(t))
            assert children == h2, section.id
        # bookmarks point at increasing pages
        pages = [p for _, _, p in marks]
        assert pages == sorted(pages)


def toc_entries(path: Path, toc_pages: range, skip: set[str]) -> list[tuple[str, int]]:
    """(title, page) of the contents, from the text of its pages (titles may wrap onto a second line)."""
    entries: list[tuple[str, int]] = []
    pending = ""
    for n in toc_pages:
        for line in text_of(path, n, n, layout=True).splitlines():
            line = norm(line)
            if not line or line in skip or re.fullmatch(r"\d+ / \d+", line):
                continue
            m = re.fullmatch(r"(.*?)\s*(?:\.\s?){3,}\s*(\d+)", line)
            if m:
                entries.append((norm(f"{pending} {m.group(1)}"), int(m.group(2))))
                pending = ""
            else:
                pending = f"{pending} {line}".strip()
    return entries


@pytest.mark.parametrize("lang", LANGS)
def test_contents_page_numbers_are_the_pages_of_the_headings(built_site, model, lang):
    for review in model.project.reviews:
        path = pdf_path(built_site, review.id, lang)
        reader = pypdf.PdfReader(path)
        marks = outline(reader)
        toc_page = next(p for level, t, p in marks if norm(t) == i18n.t("contents", lang))
        first_body = min(p for level, t, p in marks if level == 1 and p > toc_page)
        skip = {norm(i18n.t("contents", lang)), norm(_running_title(review.title[lang], lang))}
        entries = toc_entries(path, range(toc_page, first_body), skip)
        assert len(entries) >= len(review.sections) + 2
        by_title = {norm(t): p for _, t, p in marks}
        for title, page in entries:
            assert title in by_title, f"contents entry {title!r} has no bookmark"
            assert by_title[title] == page, f"{title!r}: contents say page {page}, the heading is on {by_title[title]}"
            # and the heading text is really printed on that page
            assert squash(title) in squash(text_of(path, page)), f"{title!r} is not on page {page}"


@pytest.mark.parametrize("lang", LANGS)
def test_handout_is_one_page(built_site, lang):
    path = built_site / handout_pdf(lang)
    reader = pypdf.PdfReader(path)
    assert len(reader.pages) == 1
    text = text_of(path)
    assert squash(i18n.t("handout_title", lang)) in squash(text)
    assert re.search(r"\[1\]", text), "the handout's reference list is missing"


@pytest.mark.parametrize("lang", LANGS)
def test_charts_of_the_sections_are_drawn_in_the_pdf_with_the_site_numbers(built_site, model, lang):
    """Every chart of a review's pages is in its PDF: title, the study labels with their reference numbers as
    the site draws them, and the numbers of the caption's sources."""
    seen = 0
    for review in model.project.reviews:
        extracted = squash(text_of(pdf_path(built_site, review.id, lang)))
        for section in review.sections:
            for figure in re.findall(r'<figure class="chart.*?</figure>', article(built_site, section.url(lang)), re.S):
                title = plain(re.search(r"<title[^>]*>(.*?)</title>", figure, re.S).group(1))
                labels = [plain(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", figure, re.S)
                          if re.search(r"\[\d+\]$", plain(t))]
                caption = plain(re.search(r"<figcaption>(.*?)</figcaption>", figure, re.S).group(1))
                for text in (title, *labels, caption):
                    assert squash(text) in extracted, f"{review.id} ({lang}): '{text}' is not in the PDF"
                seen += 1
    assert seen >= 3, "the reviews should have their charts (response, survival, treatment sequences)"


@pytest.mark.parametrize("lang", LANGS)
def test_reference_numbers_match_the_site(built_site, model, lang):
    for review in model.project.reviews:
        extracted = squash(text_of(pdf_path(built_site, review.id, lang)))
        checked = 0
        for section in review.sections:
            body = article(built_site, section.url(lang))
            for n, ref in re.findall(r'<li id="ref-(\d+)" value="\d+"[^>]*><span class="ref-text">(.*?)</span>', body,
                                     re.S):
                start = squash(plain(ref))[:30]
                assert f"[{n}]{start}" in extracted, f"reference {n} ({start}...) is not numbered {n} in the PDF"
                checked += 1
        assert checked, "no reference list found on the section pages"
        # the complete list: every reference of the review, in citation order
        numbering = model.citations.numbering[review.id]
        positions = [extracted.find(f"[{numbering.numbers[k]}]" + squash(model.bib.format(k, lang).text)[:20])
                     for k in numbering.ordered_keys()]
        assert all(p >= 0 for p in positions)
        assert positions == sorted(positions)


def test_metadata_and_links(built_site, model):
    review = model.project.reviews[-1]
    for lang in LANGS:
        reader = pypdf.PdfReader(pdf_path(built_site, review.id, lang))
        info = reader.metadata
        assert info.title == review.title[lang]
        assert info.author
        assert info.subject
        assert info["/CreationDate"].startswith("D:20260101")  # SOURCE_DATE_EPOCH of the test build
        assert reader.trailer["/Root"]["/Lang"] == ("zh-CN" if lang == "zh" else "en")
        uris, internal = 0, 0
        for page in reader.pages:
            for annot in page.get("/Annots") or []:
                a = annot.get_object()
                action = a.get("/A")
                if action is not None and "/URI" in action:
                    uris += 1
                    assert str(action["/URI"]).startswith(("http://", "https://", "mailto:")), action["/URI"]
                elif "/Dest" in a or (action is not None and "/D" in action):
                    internal += 1
        assert uris > 0 and internal > 0


def test_exports_are_byte_identical(built_site, model, tmp_path, monkeypatch):
    """A second export of the same site gives the same bytes as the build's (cache off: a real render)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    exporter = Exporter(model, built_site.resolve())
    engine = Engine(built_site.resolve(), model.project.root)
    for job in (exporter.review_job(model.project.reviews[0], "zh"), exporter.handout_job("en")):
        data, _, _ = engine.pdf(job)
        assert data == (built_site / job.name).read_bytes(), f"{job.name} differs between two exports"


def test_missing_glyph_fails(built_site, model):
    engine = Engine(built_site.resolve(), model.project.root)
    job = Job("pdf/glyph-test.pdf", ['<!DOCTYPE html><html lang="en"><body><p>\U00013000 \uE000</p></body></html>'])
    with pytest.raises(PdfError, match="glyph"):
        engine.pdf(job)


def test_no_network_resources(built_site, model):
    engine = Engine(built_site.resolve(), model.project.root)
    job = Job("pdf/net-test.pdf", ['<!DOCTYPE html><html lang="en"><body><img src="https://example.org/x.png">'
                                       '<p>x</p></body></html>'])
    with pytest.raises(PdfError, match="example.org"):
        engine.pdf(job)


def test_download_buttons_point_at_the_pdfs(built_site, model):
    """The landing page offers both review PDFs and the handout; every section page the review's PDF in its
    language. Each button is on the page and leads to a PDF the build made."""
    import posixpath

    for review in model.project.reviews:
        for lang in LANGS:
            pages = [(review.landing.url(lang), 3)] + [(s.url(lang), 1) for s in review.sections]
            for page_url, count in pages:
                page = (built_site / page_url / "index.html").read_text(encoding="utf-8")
                hrefs = re.findall(r'<a href="([^"]+\.pdf)" download>', page)
                assert len(hrefs) == count, (page_url, hrefs)
                for href in hrefs:
                    target = posixpath.normpath(posixpath.join(page_url, html.unescape(href)))
                    assert (built_site / target).is_file(), (page_url, href)
                assert hrefs[0].endswith(Path(review_pdf(review.id, lang)).name), (page_url, hrefs)


def test_rewriter_prefixes_ids_and_keeps_links_inside():
    rw = ArticleRewriter(
        "sec", link=lambda h: ((f"#{h[1:]}" if h.startswith("#ref-") else f"#sec--{h[1:]}"), False)
        if h.startswith("#") else ("https://example.org/" + h, True),
        src=lambda s: s, skip_heading_ids={"references"})
    out = rw.rewrite('<a class="md-content__button" href="e">edit</a><h1>2 标题</h1><p class="page-tools">x</p>'
                     '<div class="blk" id="p1"><p>文字<abbr title="t">HCC</abbr>结果'
                     '<span class="cite" id="c-p1-1">[<a href="#ref-3">3</a>]</span>。'
                     '<a href="#p1">同页</a> <a href="../x/">别页</a></p></div>'
                     '<h2 id="references">参考文献</h2><ol class="reflist"><li id="ref-3">x</li></ol>')
    assert "edit" not in out and "page-tools" not in out and "reflist" not in out
    assert 'id="sec--p1"' in out and 'href="#ref-3"' in out and 'href="#sec--p1"' in out
    assert "<abbr" not in out and "HCC" in out
    assert 'class="site-link"' in out and "https://example.org/../x/" in out
    assert '<span class="nobr">果<span class="cite"' in out and "]</span>。</span>" in out
    assert [(h.level, h.id, h.text) for h in rw.headings] == [(1, "sec--title", "2 标题")]


def test_a_citation_after_a_space_stays_on_the_line_of_the_word_before_it():
    rw = ArticleRewriter("sec", link=lambda h: (h, False), src=lambda s: s, skip_heading_ids=set())
    out = rw.rewrite('<p>the figure of the trial <span class="cite" id="c1">[<a href="#ref-5">5</a>]</span>. Then</p>')
    assert 'the figure of the tria<span class="nobr">l <span class="cite"' in out
    assert "]</span>.</span> Then" in out


def test_missing_system_packages_are_named(monkeypatch, tmp_path):
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    (scripts / "system_deps.py").write_text(
        "PACKAGES = {'fonts-noto-cjk': lambda: False, 'libharfbuzz-subset0': lambda: True}\n", encoding="utf-8")
    assert missing_packages(tmp_path) == ["fonts-noto-cjk"]
    with pytest.raises(PdfError, match="fonts-noto-cjk"):
        check_system(tmp_path)
    assert missing_packages(ROOT) == []


def test_cli_pdf_rebuilds_from_the_built_site(built_site, tmp_path, model):
    """`python -m generator pdf` uses an existing site (here: a copy of the session's build)."""
    import sys

    project = tmp_path / "p"
    project.mkdir()
    for name in ("mkdocs.yml", "refs.bib"):
        shutil.copy(ROOT / name, project / name)
    for name in ("content", "scripts", "site_overrides"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copytree(built_site, project / "site")
    for f in (project / "site" / "pdf").iterdir():
        f.unlink()
    if (ROOT / ".cache" / "pdf").is_dir():  # rendering is tested above: here the command's wiring
        shutil.copytree(ROOT / ".cache" / "pdf", project / ".cache" / "pdf")
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    result = subprocess.run([sys.executable, "-m", "generator", "pdf"], cwd=project, capture_output=True, text=True,
                            env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    for name in pdf.expected_files(model):
        assert (project / "site" / name).read_bytes() == (built_site / name).read_bytes(), name


@pytest.mark.parametrize("lang", LANGS)
def test_no_heading_at_the_foot_of_a_page(built_site, model, lang):
    """Every heading has text after it on its own page (headings are kept with what follows)."""
    for review in model.project.reviews:
        path = pdf_path(built_site, review.id, lang)
        pages: dict[int, list[str]] = {}
        for level, title, page in outline(pypdf.PdfReader(path)):
            if page not in pages:
                pages[page] = [squash(x) for x in text_of(path, page).splitlines() if x.strip()]
                pages[page] = [x for x in pages[page] if not re.fullmatch(r"\d+/\d+", x)]
            lines = pages[page]
            key = squash(title)
            end = None
            for i, line in enumerate(lines):  # the heading's lines: a start of the title, then the rest of it
                if line and key.startswith(line):
                    j, seen = i, line
                    while seen != key and j + 1 < len(lines) and key.startswith(seen + lines[j + 1]):
                        j += 1
                        seen += lines[j]
                    if seen == key:
                        end = j
                        break
            if end is None and any(line.startswith(key) and len(line) > len(key) for line in lines):
                continue  # a run-in heading (review 000, 4.4.1-4.4.3): its paragraph goes on on the heading's line
            assert end is not None, f"{title!r} not found on page {page}"
            assert end < len(lines) - 1, f"{title!r} stands alone at the foot of page {page}"


def test_charts_get_simplified_chinese_fonts_and_fit_the_page(built_site, model):
    """Inline SVG charts (generic 'sans-serif' on the web) are set in the SC fonts and sized to the text width."""
    pages = sorted((built_site / "zh" / "trials").glob("*/index.html"))
    page = next((p for p in pages if "<figure" in p.read_text(encoding="utf-8")), None)
    if page is None:
        pytest.skip("no chart in the built site")
    url = page.parent.relative_to(built_site).as_posix() + "/"
    rw = ArticleRewriter("t", link=lambda h: (None, False), src=lambda s: s, lang="zh")
    body = rw.rewrite(Built.read(built_site, url).article)
    for m in re.finditer(r"<svg\b[^>]*>", body):
        tag = m.group(0)
        assert "Noto Sans CJK SC" in tag and "height:auto" not in tag
        width = re.search(r'\swidth="([\d.]+)"', tag)
        assert width and float(width.group(1)) <= SVG_MAX_WIDTH
    doc = (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>t</title></head><body>'
           f'<main class="md-typeset"><section class="part">{body}</section></main></body></html>')
    engine = Engine(built_site.resolve(), model.project.root)
    data, _, _ = engine.pdf(Job("pdf/chart-test.pdf", [doc]))
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"chart-test-{os.getpid()}.pdf"
    out.write_bytes(data)
    try:
        fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    finally:
        out.unlink()
    assert "CJK-SC" in fonts and "CJK-JP" not in fonts and "DejaVu" not in fonts, fonts


def test_pdfs_are_tagged_for_screen_readers(built_site, model):
    """Issue 21: WeasyPrint's PDF/UA-1 variant (structure tree, marked content, the document's language);
    its cost was measured (generator/pdf/engine.py: +7.6 % export time)."""
    for review in model.project.reviews:
        for lang in ("zh", "en"):
            root = pypdf.PdfReader(pdf_path(built_site, review.id, lang)).trailer["/Root"]
            assert "/StructTreeRoot" in root, (review.id, lang)
            assert root["/MarkInfo"]["/Marked"], (review.id, lang)
            assert str(root["/Lang"]).startswith("zh" if lang == "zh" else "en"), (review.id, lang)
