"""Bilingual literature-review site generator (MkDocs plugin + CLI)."""

__version__ = "0.1.0"
