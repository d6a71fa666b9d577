"""The fonts briefgen brings (templates/fonts/), registered with the PDF engine and with
matplotlib under family names of their own.

A brief must look the same and carry every character on any machine, whatever fonts it
has (a stock Debian image has no Hangul; a container may have no font at all). So the
PDF and the charts never ask the machine for a font: each face is registered from the
package under a "Briefgen …" family name, which no installed font can answer to, and the
stylesheet lists those families, one per script, in the order each character is sought.

The faces are registered in place rather than through CSS @font-face, which would copy
7.6 MB of fonts into a temporary folder for every process that renders (and leave it
behind when the process ends with os._exit, as briefgen's children do).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

FAMILIES: dict[str, tuple[str, ...]] = {
    "Briefgen Serif": tuple(
        f"NotoSerif-{style}.ttf" for style in ("Regular", "Bold", "Italic", "BoldItalic")
    ),
    "Briefgen Sans": tuple(
        f"NotoSans-{style}.ttf" for style in ("Regular", "Bold", "Italic", "BoldItalic")
    ),
    "Briefgen Arabic": ("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
    "Briefgen Hebrew": ("NotoSerifHebrew-Regular.ttf", "NotoSerifHebrew-Bold.ttf"),
    "Briefgen Hangul": ("NotoSansCJKkr-Regular-Hangul.ttf", "NotoSansCJKkr-Bold-Hangul.ttf"),
    "Briefgen Math": ("NotoSansMath-Regular-Symbols.ttf",),
    "Briefgen Shapes": ("NotoSansSymbols2-Regular-Shapes.ttf",),
}
"""Each family and its faces (weight and slant are the faces' own). Serif and Sans cover
Latin, Cyrillic and Greek; Math has ≈ ≤ ≥ →, Shapes ▲ ▼, which the text faces lack."""

SANS = ["Briefgen Sans", "Briefgen Arabic", "Briefgen Hebrew", "Briefgen Hangul"]
SANS += ["Briefgen Math", "Briefgen Shapes"]
"""brief.css's --sans."""

SERIF = ["Briefgen Serif", *SANS[1:]]
"""brief.css's --serif, the body face, which the charts use too."""

_SCAN_RULE = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><match target="scan">
<test name="file" compare="eq"><string>{path}</string></test>
<edit name="family" mode="prepend"><string>{family}</string></edit>
</match></fontconfig>"""
"""A fontconfig rule that gives the face at `path`, when scanned, this family name first
(prepended, as WeasyPrint does for @font-face: replacing the name upsets Pango)."""


def folder() -> Path:
    """Where the faces are: templates/fonts/ of the packaged default templates."""
    from briefgen.workspace import default_templates

    return default_templates() / "fonts"


def faces() -> list[tuple[str, Path]]:
    """Every (family, file) briefgen registers."""
    return [(family, folder() / name) for family, names in FAMILIES.items() for name in names]


def register(font_config: Any) -> None:
    """Add every face to a WeasyPrint FontConfiguration, read where it lies."""
    from weasyprint.text.ffi import ffi, fontconfig, pangoft2

    config = font_config._config  # the FcConfig WeasyPrint's own @font-face adds to
    for family, path in faces():
        name = os.fsencode(path)
        rule = _SCAN_RULE.format(path=escape(str(path)), family=escape(family))
        fontconfig.FcConfigParseAndLoadFromMemory(config, rule.encode(), True)
        if not fontconfig.FcConfigAppFontAddFile(config, name):
            raise OSError(f"the PDF engine could not load briefgen's font {path}")
    pangoft2.pango_fc_font_map_config_changed(ffi.cast("PangoFcFontMap *", font_config.font_map))


@functools.cache
def register_with_matplotlib() -> None:
    """Add the faces of the chart families to matplotlib's list, under the same names."""
    import dataclasses

    from matplotlib import font_manager

    for family, path in faces():
        if family in SANS or family in SERIF:
            entry = font_manager.ttfFontProperty(font_manager.get_font(path))
            font_manager.fontManager.ttflist.append(dataclasses.replace(entry, name=family))
