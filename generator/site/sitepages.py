"""The pages of the site outside the reviews, in each language: the root (language choice) and home pages,
the glossary, the bibliography, the translation status and the changelog. Each is a function of the renderer
(generator.site.render.Renderer); generator/pipeline.py lists the pages of the site."""

from __future__ import annotations

from markupsafe import Markup

from .. import i18n
from ..i18n import Strings
from ..sources.bilingual import LANGS, slugify
from ..sources.records import DRUG_CLASSES
from ..urls import page_uri, rel
from .recordtext import drug_name, regimen_name
from .render import Page, Renderer


def bibliography_page(r: Renderer, lang: str) -> Page:
    url = f"{lang}/bibliography/"
    t = Strings(lang)
    entries = []
    # Every entry the site cites (the reviews' text, their tables, the records); an entry nobody cites
    # is the checker's warning, and formatting all of a large refs.bib would cost every build.
    cited = r.cindex.all_cited()
    for key in (k for k in r.bib if k in cited):
        uses = []
        for review in r.project.reviews:
            numbering = r.cindex.numbering[review.id]
            if key not in numbering.numbers:
                continue
            places = []
            for k, place in enumerate(numbering.places.get(key, []), 1):
                section = r.section_by_id(review, place.page)
                target = section.url(lang) + f"#{place.cite_id}"
                places.append({"href": rel(url, target), "text": str(k),
                               "label": f"{section.full_title(lang) or review.title[lang]} ({k})"})
            uses.append({"review": review.title[lang], "n": numbering.numbers[key],
                         "href": rel(url, f"{lang}/{review.id}/references/#ref-{numbering.numbers[key]}"),
                         "places": places})
        f = r.bib.format(key, lang)
        order = min(((rv.order, r.cindex.numbering[rv.id].numbers[key]) for rv in r.project.reviews
                     if key in r.cindex.numbering[rv.id].numbers), default=(10**6, 0))
        entries.append({"key": key, "html": Markup(f.html), "links": f.links, "uses": uses, "order": order})
    entries.sort(key=lambda e: (e["order"], e["key"]))
    md = r.env.get_template("bibliography.md.j2").render(
        # not searched, like the references pages: search is for the reviews and the records; every
        # citation leads to its entry, and the browser's find-in-page searches this page
        meta=r.meta(title=t.bibliography, lang=lang, kind="bibliography", source="refs.bib",
                    search={"exclude": True}, **r.alternates(url, lang)),
        t=t, listing=r.defer(r.env.get_template("biblist.html").render(t=t, entries=entries), late=True))
    return Page(page_uri(url), md, "refs.bib", lang)


def status_page(r: Renderer, lang: str) -> Page:
    url = f"{lang}/translation-status/"
    reviews = []
    for review in r.project.reviews:
        rows = []
        for st in (r.status or {}).get(review.id, []):
            s = st.section
            title = review.title[lang] if s.kind == "landing" else s.full_title(lang)
            attention = [{"state": p.state, "href": rel(url, s.url(lang) + f"#{p.pair.anchor}"),
                          "line": (p.pair.en or p.pair.zh).line, "anchor": p.pair.anchor}
                         for p in st.pairs if p.state != "complete"]
            rows.append({"title": title, "href": rel(url, s.url(lang)), "source": r.source_of(s),
                         "total": len(st.pairs), "complete": st.count("complete"),
                         "pending": st.count("pending"), "stale": st.count("stale"), "attention": attention})
        reviews.append({"title": review.title[lang], "rows": rows})
    md = r.env.get_template("status.md.j2").render(
        meta=r.meta(title=i18n.t("status_title", lang), lang=lang, kind="status",
                    **r.alternates(url, lang)),
        t=Strings(lang), reviews=reviews, git=bool(r.history and r.history.available))
    return Page(page_uri(url), md, None, lang)


def changelog_page(r: Renderer, lang: str) -> Page:
    """A reader's changelog: one entry a day, in the page's language. It says what changed in the words of
    the commits' ``Changelog-zh:``/``Changelog-en:`` trailers (CONTRIBUTING, "The changelog") and links the
    pages whose sources changed, by their titles; commit messages, hashes and file paths are for contributors
    and are not shown."""
    url = f"{lang}/changelog/"
    pages = _changed_pages(r, lang)
    days: dict[str, dict] = {}
    for change in (r.history.changes if r.history else []):  # newest first
        day = days.setdefault(change.date, {"date": change.date, "notes": [], "groups": {}, "hrefs": set()})
        for note in change.notes.get(lang, []):
            if note not in day["notes"]:
                day["notes"].append(note)
        for f in change.files:
            target = pages.get(f)
            if target is not None and target[2] not in day["hrefs"]:
                day["hrefs"].add(target[2])
                day["groups"].setdefault(target[0], []).append({"title": target[1], "href": rel(url, target[2])})
    entries = [{"date": d["date"], "notes": d["notes"],
                "groups": [{"label": k, "pages": v} for k, v in sorted(d["groups"].items(), key=lambda kv: (kv[0] == "", kv[0]))]}
               for d in days.values() if d["notes"] or d["groups"]]
    md = r.env.get_template("changelog.md.j2").render(
        meta=r.meta(title=i18n.t("changelog", lang), lang=lang, kind="changelog",
                    **r.alternates(url, lang)),
        t=Strings(lang), entries=entries, git=bool(r.history and r.history.available))
    return Page(page_uri(url), md, None, lang)


def _changed_pages(r: Renderer, lang: str) -> dict[str, tuple[str, str, str]]:
    """Source file (relative to the project) -> (group, title, site URL) of the page a reader sees it on; the
    group is the review's title for its pages, "studies and regimens" for the records, empty for the rest."""
    root = r.project.root.resolve()
    out: dict[str, tuple[str, str, str]] = {}

    def add(path, group: str, title: str, target: str) -> None:
        try:
            out[path.resolve().relative_to(root).as_posix()] = (group, title, target)
        except ValueError:
            pass

    for review in r.project.reviews:
        for s in review.pages_in_order:
            title = i18n.t("changelog_review_home", lang) if s.kind == "landing" else s.full_title(lang)
            add(s.path, review.title[lang], title, s.url(lang))
    if r.project.glossary is not None:
        add(r.project.glossary.path, "", i18n.t("glossary", lang), f"{lang}/glossary/")
    records_group = i18n.t("changelog_records", lang)
    records = r.records
    if records is not None:
        for kind in ("trials", "regimens"):
            for rid, rec in getattr(records, kind).items():
                # a trial by its name in the page's language, as its page calls it
                name = rec.display_name(lang) if kind == "trials" else regimen_name(records, rid, lang)
                add(r.project.content_dir / kind / f"{rid}.md", records_group, name, f"{lang}/{kind}/{rid}/")
        for did in records.drugs:
            add(r.project.content_dir / "drugs" / f"{did}.md", records_group, drug_name(records, did, lang),
                f"{lang}/drugs/#drug-{did}")
    out["refs.bib"] = ("", i18n.t("bibliography", lang), f"{lang}/bibliography/")
    return out


def home_page(r: Renderer, lang: str) -> Page:
    url = f"{lang}/"
    t = Strings(lang)
    reviews = []
    for rv in r.project.reviews:
        names = ", ".join(a.zh if lang == "zh" else a.en for a in rv.authors)
        byline = names or i18n.t("no_authors", lang)
        # a link to the page's source as MkDocs knows it, so MkDocs validates it
        reviews.append({"title": rv.title[lang], "href": f"{rv.id}/index.md", "id": rv.id,
                        "byline": byline})
    md = r.env.get_template("home.md.j2").render(
        meta=r.meta(title=i18n.t("site_name", lang), lang=lang, kind="home", **r.alternates(url, lang)),
        t=t, reviews=reviews)
    return Page(f"{lang}/index.md", md, None, lang)


def root_page(r: Renderer) -> Page:
    md = r.env.get_template("root.md.j2").render(
        meta=r.meta(title="肝细胞癌治疗文献综述 · Reviews of HCC Treatment", lang="en", kind="root", hide=["navigation", "toc", "footer"]),
        titles={lang: i18n.t("site_name", lang) for lang in LANGS})
    return Page("index.md", md, None, "en")


def glossary_page(r: Renderer, lang: str) -> Page | None:
    g = r.project.glossary
    if g is None:
        return None
    url = f"{lang}/glossary/"
    blocks = []
    for pair in g.body.pairs:
        if pair.translated(lang):
            text = r.contributor(pair.text(lang), g.path, pair.block(lang))
            blocks.append(Markup(f'<div class="blk" id="{pair.anchor}" markdown>\n\n{text}\n\n</div>'))
    terms = [{"abbr": term.abbr, "zh": term.zh, "en": term.en, "slug": slugify(term.abbr)}
             for term in sorted(g.terms, key=lambda x: x.abbr.lower())]
    drugs = []
    if r.records is not None:
        for d in sorted(r.records.drugs.values(), key=lambda d: (d.is_procedure, d.name.en.lower())):
            drugs.append({"inn": d.inn or d.name.en, "zh": d.name.zh or "—", "cls": DRUG_CLASSES[d.cls][lang],
                          "href": rel(url, f"{lang}/drugs/#drug-{d.id}"),
                          "aliases_zh": d.aliases.zh, "aliases_en": d.aliases.en})
    md = r.env.get_template("glossary.md.j2").render(
        meta=r.meta(title=g.title[lang], lang=lang, kind="glossary", source=r.source_of_path(g.path), **r.alternates(url, lang)),
        t=Strings(lang), blocks=blocks, terms=terms, drugs=drugs)
    return Page(f"{lang}/glossary.md", md, r.source_of_path(g.path), lang)
