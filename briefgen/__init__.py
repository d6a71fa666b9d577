"""briefgen: sourced notes in; a dated policy brief out, every line linked to its source."""

__version__ = "0.1.0"

FORMATS = ("pdf", "docx", "html")
"""The formats `briefgen build` writes."""
