"""Stage 3a: the site -- pages by kind, navigation, record pages, tables and charts, search, Markdown
extensions, publishing. Independent of generator.pdf (see generator/README.md)."""
