"""Stage 2: the bibliography -- refs.bib, the two reference styles, citation numbering, exports.
Imports only generator.sources below it (see generator/README.md)."""
