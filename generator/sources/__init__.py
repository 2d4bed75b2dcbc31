"""Stage 1: the sources -- files, front-matter, bilingual blocks, reviews, records and the records-table
directive, links, the HTML sanitizer and its checks, bounded inputs, git history, translation status. Imports nothing above it (see generator/README.md)."""
