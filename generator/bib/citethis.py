"""'Cite this review': a formatted citation and its BibTeX, from a review's landing metadata.

The review itself is not an entry of refs.bib (it is what we publish, not what it
cites), so its citation is made here from the typed model. Nothing is invented: a
review whose source gives no authors or journal (review 000) says so instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..sources.content import Review

CJK_SEP = ", "


@dataclass
class CiteThis:
    text: str  # plain text; escaped by the template
    bibtex: str


def _family_given(en_name: str) -> tuple[str, str]:
    parts = en_name.split()
    return (parts[-1], " ".join(parts[:-1])) if len(parts) > 1 else (en_name, "")


def _initials(given: str) -> str:
    return "".join(p[0].upper() for p in given.replace("-", " ").split() if p)


def _bib_escape(value: str) -> str:
    return value.replace("\\", "").replace("{", "").replace("}", "").replace("&", r"\&").replace("%", r"\%")


def cite_this(review: Review, lang: str, page_url: str) -> CiteThis:
    key = f"{review.id}-{review.year}" if review.year else review.id
    title = review.title[lang]
    if not review.authors or not review.journal:
        return _incomplete(review, lang, key, title, page_url)
    journal = review.journal[lang]
    vol = f"{review.volume or ''}{f'({review.issue})' if review.issue else ''}"
    if lang == "zh":
        names = CJK_SEP.join(a.zh for a in review.authors)
        text = f"{names}. {title}[J]. {journal}, {review.year}"
        if vol:
            text += f", {vol}"
        if review.pages:
            text += f": {review.pages}"
        text += "."
        if review.doi:
            text += f" DOI: {review.doi}."
        author_field = " and ".join(a.zh for a in review.authors)
    else:
        names = ", ".join(f"{f} {_initials(g)}".strip() for f, g in (_family_given(a.en) for a in review.authors))
        text = f"{names}. {title}. {journal}. {review.year}"
        if vol:
            text += f";{vol}"
        if review.pages:
            text += f":{review.pages}"
        text += "."
        if review.doi:
            text += f" doi:{review.doi}"
        author_field = " and ".join(f"{f}, {g}" for f, g in (_family_given(a.en) for a in review.authors))
    fields = [("author", author_field), ("title", title), ("journal", journal), ("year", str(review.year or "")),
              ("volume", review.volume or ""), ("number", review.issue or ""),
              ("pages", (review.pages or "").replace("-", "--")), ("doi", review.doi or "")]
    if lang == "en":
        fields.append(("note", "In Chinese"))
    body = ",\n".join(f"  {k} = {{{_bib_escape(v)}}}" for k, v in fields if v)
    return CiteThis(text, f"@article{{{key},\n{body}\n}}\n")


_MISSING_WORDS = {"zh": {"authors": "作者", "journal": "期刊", "year": "年份"},
                  "en": {"authors": "authors", "journal": "journal", "year": "year"}}


def _missing_note(absent: list[str], lang: str) -> str:
    """'authors, journal and year not given in the source' naming only what is absent."""
    words = [_MISSING_WORDS[lang][a] for a in absent]
    if lang == "zh":
        listed = words[0] if len(words) == 1 else "、".join(words[:-1]) + "与" + words[-1]
        return f"原文未提供{listed}"
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return f"{listed} not given in the source"


def _incomplete(review: Review, lang: str, key: str, title: str, page_url: str) -> CiteThis:
    """A review whose source lacks authors or journal: what is given (authors, journal, year) and a note naming
    what is not, never an invented value."""
    absent = [name for name, value in (("authors", review.authors), ("journal", review.journal),
                                       ("year", review.year)) if not value]
    missing = _missing_note(absent, lang)
    if review.authors:
        names = (CJK_SEP.join(a.zh for a in review.authors) if lang == "zh" else
                 ", ".join(f"{f} {_initials(g)}".strip() for f, g in (_family_given(a.en) for a in review.authors)))
    else:
        names = ""
    journal = review.journal[lang] if review.journal else ""
    parts = [p for p in (names, title, journal, str(review.year or "")) if p]
    text = ". ".join(parts) + f" [{missing}]." + (f" {page_url}" if page_url else "")
    author_field = (" and ".join(a.zh for a in review.authors) if lang == "zh" else
                    " and ".join(f"{f}, {g}" for f, g in (_family_given(a.en) for a in review.authors)))
    note = f"{journal}; {missing}" if journal else missing
    fields = [("author", author_field), ("title", title),
              ("howpublished", f"\\url{{{page_url}}}" if page_url else ""), ("year", str(review.year or "")),
              ("note", note)]
    body = ",\n".join(f"  {k} = {{{v if k == 'howpublished' else _bib_escape(v)}}}" for k, v in fields if v)
    return CiteThis(text, f"@misc{{{key},\n{body}\n}}\n")
