"""What the PDF export reads of the build's model. generator.pipeline.Model has it; the pipeline is a
stage above the export, so the export says what it needs instead of importing it."""

from __future__ import annotations

from typing import Protocol

from ..bib.bibliography import Bibliography
from ..bib.numbering import CitationIndex
from ..sources.content import Project
from ..sources.records import Records


class Model(Protocol):
    project: Project
    bib: Bibliography
    citations: CitationIndex
    records: Records | None
