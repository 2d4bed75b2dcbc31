"""The pages of a review, in each language: its landing page, its sections, the parallel (Chinese | English)
view of each, its complete reference list, and the editor's notes collected on their page. Each is a
function of the renderer (generator.site.render.Renderer), which renders the blocks, citations and
reference lists they are made of; generator/pipeline.py lists the pages of the site."""

from __future__ import annotations

from markupsafe import Markup, escape

from .. import i18n
from ..bib.citethis import cite_this
from ..i18n import Strings
from ..sources.bilingual import LANGS, Pair
from ..sources.content import Review, Section
from ..urls import page_uri, rel
from . import scholarly
from .downloads import reference_downloads
from .render import Page, Renderer, md_text
from .zhtypography import full_width


def editor_notes(r: Renderer, review: Review, lang: str) -> tuple[str, list[str]]:
    """Every editor's note of the review, by section, with a link to where it stands."""
    here = f"{lang}/{review.id}/editor-notes/"
    out = [f"## {i18n.t('editor_notes_all', lang)} {{#all-notes}}"]
    keys: list[str] = []
    if any(p.zh is not None and full_width(p.zh.text) != p.zh.text
           for section in review.pages_in_order for p in section.body.pairs):
        # the display of the Chinese text's punctuation (generator/site/zhtypography.py), said where the
        # editors account for every difference between the pages and the source
        out[:0] = [f"## {i18n.t('typography_heading', lang)} {{#typography}}",
                   f'<p class="typography-note">{i18n.t("typography_note", lang)}</p>']
    for section in review.pages_in_order:
        if section.kind == "editor-notes":
            continue
        notes = [p for p in section.body.pairs if p.kind == "editor" and p.translated(lang)]
        if not notes:
            continue
        title = review.title[lang] if section.kind == "landing" else section.full_title(lang)
        out.append(f"### {md_text(title)} {{#notes-{section.id}}}")
        for pair in notes:
            href = rel(here, section.url(lang) + f"#{pair.anchor}")
            text = r.block_text(review, section, pair, lang, id_prefix=f"n-{section.id}-", page_url=here)
            text = r.contributor(text, section.path, pair.block(lang))
            out.append(f'<div class="blk editor-note" markdown>\n\n<p class="note-where">'
                       f'<a href="{href}">{escape(i18n.t("in_section", lang))}{"：" if lang == "zh" else ": "}{md_text(title)}</a></p>\n\n'
                       f'{text}\n\n</div>')
            keys += r.keys_of(pair)
    return "\n\n".join(out), keys


def section_page(r: Renderer, review: Review, section: Section, lang: str) -> Page:
    url = section.url(lang)
    t = Strings(lang)
    blocks = [r.block_md(review, section, p, lang) for p in section.body.pairs]
    pending = section.pending and any(not p.translated(lang) for p in section.body.pairs)
    keys = r.keys_cited(section)
    appendix = ""
    if section.kind == "editor-notes":
        appendix, more = editor_notes(r, review, lang)
        keys += more
    md = r.env.get_template("section.md.j2").render(
        meta=r.meta(title=section.full_title(lang), lang=lang, review=review.id, section=section.id,
                    source=r.source_of(section),
                    kind=section.kind, **r.alternates(url, lang), **scholarly.metadata(r, review, section, lang, keys)),
        t=t, blocks=[Markup(b) for b in blocks], parallel_href="parallel/",
        downloads=r.section_downloads(review, lang, url),
        pending_notice=t.pending_page if pending else "", appendix=Markup(appendix),
        references=Markup(r.reflist(review, lang, keys, page_url=url, here=section.id)) if keys else "",
    )
    return Page(page_uri(url), md, r.source_of(section), lang)


def run_in(heading: Pair, pair: Pair) -> bool:
    """A heading that the source prints run-in, at the start of its paragraph ("4.4.1 经动脉栓塞治疗（TACE）是中期
    HCC 的……"): the paragraph after it continues its sentence, which shows in our English starting lower-case."""
    en = pair.block("en")
    return (heading.kind == "heading" and pair.kind == "text" and heading.translated("zh")
            and pair.translated("zh") and en is not None and en.text.lstrip()[:1].islower())


def parallel_page(r: Renderer, review: Review, section: Section, lang: str) -> Page:
    url = section.parallel_url(lang)
    t = Strings(lang)
    rows: list[dict] = []
    pairs = section.body.pairs
    for i, pair in enumerate(pairs):
        cells = {}
        for side in LANGS:
            if pair.translated(side):
                text = r.block_text(review, section, pair, side, id_prefix=f"{side}-",
                                    page_url=section.parallel_url(lang))
                if pair.kind == "heading":
                    text = f"{text.strip()} {{#{side}-{pair.anchor}}}"
                cells[side] = Markup(r.contributor(text, section.path, pair.block(side)))
            else:
                cells[side] = Markup(f'<p class="pending-note">{escape(i18n.t("pending", side))}</p>')
        if i and run_in(pairs[i - 1], pair) and rows:
            # a run-in heading: its paragraph goes into the heading's row, so that the sentence reads whole as
            # the source printed it; the paragraph's anchor stays (an empty element at the start of the row)
            head = rows[-1]
            for side in LANGS:
                head[side] = (Markup('<div class="run-in" markdown>\n\n') + head[side] + Markup("\n\n")
                              + cells[side] + Markup("\n\n</div>"))
            head["also"].append(pair.anchor)
            continue
        rows.append({"anchor": pair.anchor, "also": [], **cells})
    keys = r.keys_cited(section)
    title = t.parallel_title + section.full_title(lang)
    md = r.env.get_template("parallel.md.j2").render(
        meta=r.meta(title=title, lang=lang, review=review.id, section=section.id, kind="parallel",
                    source=r.source_of(section),
                    hide=["toc"], search={"exclude": True}, **r.alternates(url, lang)),
        t=t, rows=rows, back_href="../", title=title,
        references=Markup(r.reflist(review, lang, keys, page_url=url, here=section.id, prefix=f"{lang}-"))
        if keys else "",
    )
    return Page(page_uri(url), md, r.source_of(section), lang)


def landing_page(r: Renderer, review: Review, lang: str) -> Page:
    section = review.landing
    url = section.url(lang)
    t = Strings(lang)
    journal = review.journal[lang] if review.journal else ""
    source = ""
    if journal:
        bits = [journal, str(review.year or "")]
        vol = f"{review.volume or ''}{f'({review.issue})' if review.issue else ''}"
        source = ", ".join(b for b in bits if b)
        if vol:
            source += f", {vol}"
        if review.pages:
            source += f": {review.pages}"
    dates = " · ".join(f"{i18n.t(k, lang)}{i18n.t('punct_colon', lang)}{v.isoformat()}" for k, v in review.dates.items())
    sections = [{"href": rel(url, s.url(lang)), "title": s.full_title(lang)} for s in review.sections]
    keys = r.keys_cited(section)
    md = r.env.get_template("landing.md.j2").render(
        meta=r.meta(title=review.title[lang], lang=lang, review=review.id, section="index", kind="landing",
                    source=r.source_of(section),
                    **r.alternates(url, lang),
                    **scholarly.metadata(r, review, section, lang, r.cindex.numbering[review.id].ordered_keys())),
        t=t, review=review, lang=lang, source=source, dates=dates, license=review.license_name_url(),
        blocks=[Markup(r.block_md(review, section, p, lang)) for p in section.body.pairs],
        sections=sections, sep="；" if lang == "zh" else "; ", parallel_href="parallel/",
        downloads=[d for provider in r.download_providers for d in provider(review, lang, url)],
        cite=cite_this(review, lang, r.site_url + url if r.site_url else ""), references=Markup(r.reflist(review, lang, keys, page_url=url, here=section.id)) if keys else "",
    )
    return Page(page_uri(url, index=True), md, r.source_of(section), lang)


def references_page(r: Renderer, review: Review, lang: str) -> Page:
    url = f"{lang}/{review.id}/references/"
    keys = r.cindex.numbering[review.id].ordered_keys()
    t = Strings(lang)
    downloads = " · ".join(f'<a href="{escape(d["href"])}" download>{escape(d["label"])}</a>'
                           for d in reference_downloads(review, lang, url))
    body = (Markup(f'{escape(t.references_intro)}\n\n<p class="page-tools">{downloads}</p>\n\n')
            + r.reflist(review, lang, keys, page_url=url, backlinks=True))
    md = r.env.get_template("plain.md.j2").render(
        # not searched (nor is the bibliography): see bibliography_page
        meta=r.meta(title=t.all_references, lang=lang, review=review.id, kind="references", source="refs.bib",
                    search={"exclude": True}, **r.alternates(url, lang)), body=Markup(body))
    return Page(page_uri(url), md, "refs.bib", lang)
