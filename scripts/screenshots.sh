#!/bin/sh
# Regenerate docs/img/*.png: page 1 of the sample W08 brief, default and in the worked
# example's house style (docs/templates.md), as PDF and as DOCX opened by LibreOffice.
# Run through `make screenshots`; needs pdftoppm and soffice
# (apt-get install poppler-utils libreoffice-writer-nogui).
set -eu
for tool in pdftoppm soffice; do
  command -v "$tool" >/dev/null || { echo "make screenshots needs $tool (apt-get install poppler-utils libreoffice-writer-nogui)" >&2; exit 2; }
done
repo=$(cd "$(dirname "$0")/.." && pwd)
bin="$repo/.venv/bin"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
edition=sources/nk-russia/2025-W08.yaml
stem=2025-02-23-nk-russia

shoot() {  # shoot WORKSPACE NAME: page 1 of its PDF and of its DOCX
  pdftoppm -png -r 70 -f 1 -l 1 -singlefile "$1/out/$stem.pdf" "$repo/docs/img/$2-pdf"
  soffice --headless "-env:UserInstallation=file://$work/lo" --convert-to pdf \
    --outdir "$1/lo" "$1/out/$stem.docx" >/dev/null 2>&1
  pdftoppm -png -r 70 -f 1 -l 1 -singlefile "$1/lo/$stem.pdf" "$repo/docs/img/$2-docx"
}

mkdir -p "$work/default" "$work/house" "$repo/docs/img"
cp -r "$repo/sources" "$work/default/"
(cd "$work/default" && "$bin/briefgen" build "$edition" -o out >/dev/null)
shoot "$work/default" default

cp -r "$repo/sources" "$work/house/"
cp -r "$repo/docs/example/." "$work/house/"
cd "$work/house"
"$bin/briefgen" templates export defaults >/dev/null
cp defaults/brief.docx templates/brief.docx
"$bin/python" restyle_word.py templates/brief.docx
"$bin/briefgen" templates check
"$bin/briefgen" build "$edition" -o out >/dev/null
shoot "$work/house" house
ls "$repo"/docs/img/*.png
