"""Restyle a copy of the default Word template as an office would in Word: change styles.

    python docs/example/restyle_word.py templates/brief.docx

Every heading, list and caption of the brief uses a named Word style, so changing the
styles changes the whole document; the Jinja tags inside are left alone.
"""

import sys

from docx import Document
from docx.shared import RGBColor

CLARET = RGBColor(0x7A, 0x00, 0x19)


def restyle(path: str) -> None:
    document = Document(path)
    styles = document.styles
    for name in ("Title", "Heading 1", "Heading 2", "Label"):
        styles[name].font.color.rgb = CLARET
    for name in ("Title", "Heading 1", "Heading 2", "Subtitle"):
        styles[name].font.name = "Arial Narrow"
    styles["Normal"].font.name = "Georgia"
    document.save(path)


if __name__ == "__main__":
    restyle(sys.argv[1])
