"""Make the fonts briefgen ships in templates/fonts/ from Debian's Noto packages.

    apt-get download fonts-noto-core fonts-noto-cjk
    for f in fonts-noto-*.deb; do dpkg-deb -x "$f" noto; done
    .venv/bin/python scripts/make_fonts.py noto/usr/share/fonts templates/fonts

Why these fonts, and why shipped in the package rather than taken from the machine: a
brief must look the same and carry every character on any machine, and a stock Debian
image has only DejaVu (no Hangul). Noto is under the SIL Open Font License 1.1 with no
Reserved Font Name, so it may be subset and redistributed; OFL.txt travels with it.

What is done to them, and why:
- hinting dropped (PDF viewers do not use TrueType hinting at print sizes; it is a third
  of each file and slows WeasyPrint's font subsetting when HarfBuzz's is not installed);
- Noto Sans CJK KR keeps Hangul (syllables, jamo) and CJK punctuation only: the full
  face is 16 MB with Chinese characters, which Korean desks rarely need in a brief;
- the symbol faces keep only arrows, mathematical operators and geometric shapes, which
  the brief prints (≈ ≤ ≥ → ▲ ▼) and the text faces lack;
- the Hangul faces are converted from CFF to TrueType outlines: WeasyPrint subsets a font
  for every PDF, and without HarfBuzz's subsetter (not on a stock Debian image) fontTools
  took 0.8-1.2 s a render for the CFF face and 0.3-0.4 s for the TrueType one;
- every face keeps the space characters: text shaping sets a space in the face of the
  word before it, and a face without one shows a box;
- the head table's modified date is set to the source font's, so that running this script
  twice gives the same bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

ALL = None  # keep every character the face has

SPACES = [(0x0020, 0x0020), (0x00A0, 0x00A0)]
"""Every face keeps the spaces: text shaping sets a space in the face of the word before it."""
HANGUL = [
    (0x0020, 0x007E),  # ASCII: digits and punctuation inside Korean text
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3130, 0x318F),  # Hangul compatibility jamo
    (0x3200, 0x321E),  # parenthesised Hangul
    (0x3260, 0x327F),  # circled Hangul
    (0xA960, 0xA97F),  # Hangul Jamo Extended-A
    (0xAC00, 0xD7A3),  # Hangul syllables
    (0xD7B0, 0xD7FF),  # Hangul Jamo Extended-B
    (0xFF01, 0xFF60),  # fullwidth forms
]
SYMBOLS = [
    *SPACES,
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators
    (0x25A0, 0x25FF),  # geometric shapes
    (0x27F0, 0x27FF),  # supplemental arrows
]

# output file, source file (relative to the fonts folder), face index in a collection, ranges
FACES: list[tuple[str, str, int, list[tuple[int, int]] | None]] = (
    [
        (f"NotoSerif-{style}.ttf", f"truetype/noto/NotoSerif-{style}.ttf", 0, ALL)
        for style in ("Regular", "Bold", "Italic", "BoldItalic")
    ]
    + [
        (f"NotoSans-{style}.ttf", f"truetype/noto/NotoSans-{style}.ttf", 0, ALL)
        for style in ("Regular", "Bold", "Italic", "BoldItalic")
    ]
    + [
        (f"NotoNaskhArabic-{w}.ttf", f"truetype/noto/NotoNaskhArabic-{w}.ttf", 0, ALL)
        for w in ("Regular", "Bold")
    ]
    + [
        (f"NotoSerifHebrew-{w}.ttf", f"truetype/noto/NotoSerifHebrew-{w}.ttf", 0, ALL)
        for w in ("Regular", "Bold")
    ]
    + [
        (f"NotoSansCJKkr-{w}-Hangul.ttf", f"opentype/noto/NotoSansCJK-{w}.ttc", 1, HANGUL)
        for w in ("Regular", "Bold")
    ]
    + [
        ("NotoSansMath-Regular-Symbols.ttf", "truetype/noto/NotoSansMath-Regular.ttf", 0, SYMBOLS),
        (
            "NotoSansSymbols2-Regular-Shapes.ttf",
            "truetype/noto/NotoSansSymbols2-Regular.ttf",
            0,
            SYMBOLS,
        ),
    ]
)


def _open(path: Path, index: int) -> TTFont:
    if path.suffix == ".ttc":
        return TTCollection(path, lazy=False).fonts[index]
    return TTFont(path, lazy=False)


def _codepoints(font: TTFont, ranges: list[tuple[int, int]] | None) -> list[int]:
    have = set(font.getBestCmap())
    if ranges is None:
        return sorted(have)
    return sorted(c for c in have if any(lo <= c <= hi for lo, hi in ranges))


def make(source: Path, target: Path, index: int, ranges: list[tuple[int, int]] | None) -> None:
    """Subset one face: every feature and name kept, hinting and signature dropped."""
    font = _open(source, index)
    modified = font["head"].modified
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.hinting = False
    options.notdef_outline = True
    options.glyph_names = False
    options.drop_tables += ["DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_codepoints(font, ranges))
    subsetter.subset(font)
    if "CFF " in font:
        _to_truetype(font)
    font["head"].modified = modified
    font.recalcTimestamp = False
    font.save(target)


def _to_truetype(font: TTFont) -> None:
    """Replace CFF (cubic) outlines with TrueType (quadratic) ones, within 1 font unit."""
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"


def main(fonts: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, relative, index, ranges in FACES:
        make(fonts / relative, out / name, index, ranges)
        print(f"{name}: {(out / name).stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
