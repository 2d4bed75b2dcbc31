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
        missing = {"zh": "原文未提供作者、期刊与年份", "en": "authors, journal and year not given in the source"}[lang]
        text = f"{title} [{missing}]." + (f" {page_url}" if page_url else "")
        howpublished = f"  howpublished = {{\\url{{{page_url}}}}},\n" if page_url else ""
        bib = (f"@misc{{{key},\n  title = {{{_bib_escape(title)}}},\n{howpublished}"
               f"  note = {{{_bib_escape(missing)}}}\n}}\n")
        return CiteThis(text, bib)
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
