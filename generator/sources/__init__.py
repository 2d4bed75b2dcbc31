"""Stage 1: the sources -- files, front-matter, bilingual blocks, reviews, records and the records-table
directive, links, safety, git history, translation status. Imports nothing above it (see generator/README.md)."""
