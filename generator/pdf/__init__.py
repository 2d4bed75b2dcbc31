"""Stage 3b: the PDFs -- made with WeasyPrint from the built site. Independent of generator.site
(see generator/README.md)."""
