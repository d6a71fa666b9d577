"""Regenerate the README's pictures of what a user gets, and the before/after pages of
issue 18, in docs/img/: page 1 of the sample W08 brief as PDF and as DOCX (opened by
LibreOffice), the HTML at 1280 and 390 px (headless Chromium), and each beside the same
page built by an earlier briefgen (a git revision, default: the one before issue 18).

    .venv/bin/python scripts/docs_images.py [REVISION]

Needs pdftoppm (poppler-utils), soffice (libreoffice-writer) and, for the HTML,
chromium with chromium-driver; a picture whose tool is missing is skipped, and said so.
Never run by the tests: pictures are for people.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parent.parent
IMG = REPO / "docs" / "img"
EDITION = "sources/nk-russia/2025-W08.yaml"
STEM = "2025-02-23-nk-russia"
BEFORE = "14ba2ad"
"""The last commit before issue 18's layout work."""
PYTHON = REPO / ".venv" / "bin" / "python"


def build(source: Path, out: Path) -> None:
    """Build W08 as PDF, DOCX and HTML with the briefgen of `source` (a checkout)."""
    env = {**os.environ, "PYTHONPATH": str(source)}
    code = "import sys; from briefgen.cli import main; sys.exit(main())"
    args = ["build", EDITION, "-o", str(out), "--force", "-f", "pdf", "-f", "docx", "-f", "html"]
    subprocess.run([str(PYTHON), "-c", code, *args], cwd=source, env=env, check=True,
                   capture_output=True)  # fmt: skip


def old_checkout(revision: str, into: Path) -> Path:
    """The repository at `revision`, unpacked (no work tree is touched)."""
    archive = subprocess.run(
        ["git", "archive", revision], cwd=REPO, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def pdf_page(pdf: Path, page: int = 1) -> Image.Image:
    out = pdf.with_name(f"{pdf.stem}-p{page}")
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(out)], check=True)  # fmt: skip
    return Image.open(f"{out}.png").convert("RGB")


def docx_page(docx: Path, work: Path, page: int = 1) -> Image.Image:
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{work}/lo", "--convert-to",
         "pdf", "--outdir", str(docx.parent / "lo"), str(docx)],
        check=True, capture_output=True,
    )  # fmt: skip
    return pdf_page(docx.parent / "lo" / f"{docx.stem}.pdf", page)


def html_shot(html: Path, width: int, height: int = 900) -> Image.Image:
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"):
        options.add_argument(flag)
    service = webdriver.ChromeService(shutil.which("chromedriver") or "chromedriver")
    driver = webdriver.Chrome(service=service, options=options)
    try:
        driver.set_window_size(width, height)
        inner = driver.execute_script("return window.innerWidth")
        driver.set_window_size(width + (width - inner), height)
        driver.get(html.as_uri())
        return Image.open(BytesIO(driver.get_screenshot_as_png())).convert("RGB")
    finally:
        driver.quit()


def side_by_side(left: Image.Image, right: Image.Image, labels: tuple[str, str]) -> Image.Image:
    """Two pictures on one canvas, each labelled above, scaled to the same height."""
    height = max(left.height, right.height)
    scaled = [im.resize((im.width * height // im.height, height)) for im in (left, right)]
    gap, band = 24, 28
    canvas = Image.new("RGB", (sum(im.width for im in scaled) + 3 * gap, height + band + gap),
                       "#dde2e8")  # fmt: skip
    draw = ImageDraw.Draw(canvas)
    x = gap
    for image, label in zip(scaled, labels, strict=True):
        draw.text((x, 8), label, fill="#1b1f24")
        canvas.paste(image, (x, band))
        x += image.width + gap
    return canvas


def save(image: Image.Image, name: str) -> None:
    path = IMG / name
    image.save(path, optimize=True)
    print(path.relative_to(REPO))


def main(revision: str) -> None:
    IMG.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        new, old = work / "new", work / "old"
        build(REPO, new)
        build(old_checkout(revision, work / "src"), old)
        pdfs = [d / f"{STEM}.pdf" for d in (old, new)]
        if shutil.which("pdftoppm"):
            for page in (1, 3):
                save(side_by_side(*(pdf_page(p, page) for p in pdfs), ("before", "after")),
                     f"before-after-pdf-p{page}.png")  # fmt: skip
            save(pdf_page(pdfs[1]), "brief-pdf.png")
        if shutil.which("soffice") and shutil.which("pdftoppm"):
            pages = [docx_page(d / f"{STEM}.docx", work) for d in (old, new)]
            save(side_by_side(*pages, ("before", "after")), "before-after-docx.png")
            save(pages[1], "brief-docx.png")
        if shutil.which("chromium") and shutil.which("chromedriver"):
            for width in (1280, 390):
                height = 900 if width > 600 else 844
                shots = [html_shot(d / f"{STEM}.html", width, height) for d in (old, new)]
                save(side_by_side(*shots, ("before", "after")), f"before-after-html-{width}.png")
                save(shots[1], f"brief-html-{width}.png")
        else:
            print("no chromium/chromedriver: the HTML pictures are left as they were")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else BEFORE)
