#!/usr/bin/env bash
# Images of one example's Word file for the book: the .docx rendered by
# LibreOffice (apt-get install libreoffice-writer-nogui) beside the PDF gxgen
# typesets, page 1 and the page of table 三, with poppler's pdftoppm and
# Pillow (apt-get install poppler-utils python3-pil).
# Usage: scripts/docx-screenshots.sh   (from the repository root)
set -euo pipefail
example=examples/ankang-hanbin-2020/report.yaml
out=$(mktemp -d)
cargo build --quiet
target/debug/gxgen build "$example" --only pdf,docx -o "$out" 2>/dev/null
soffice -env:UserInstallation="file://$out/profile" --headless --convert-to pdf --outdir "$out/lo" "$out"/*.docx >/dev/null
# The page holding table 三: the one with its 勾稽关系 note.
page_of() { # pdf
  local n; n=$(pdfinfo "$1" | awk '/^Pages:/ {print $2}')
  for i in $(seq 1 "$n"); do
    pdftotext -f "$i" -l "$i" "$1" - | grep -q 勾稽关系 && { echo "$i"; return; }
  done
}
docx_pdf="$out/lo/$(basename "$out"/*.docx .docx).pdf"
pdf=$(ls "$out"/*.pdf)
for which in 1 table; do
  a=1; b=1
  if [ "$which" = table ]; then a=$(page_of "$docx_pdf"); b=$(page_of "$pdf"); fi
  pdftoppm -png -r 60 -f "$a" -l "$a" -singlefile "$docx_pdf" "$out/docx-$which"
  pdftoppm -png -r 60 -f "$b" -l "$b" -singlefile "$pdf" "$out/pdf-$which"
done
/usr/bin/python3 - "$out" book/src/images <<'PY'
import sys
from PIL import Image, ImageDraw, ImageOps
src, dst = sys.argv[1], sys.argv[2]
for which in ["1", "table"]:
    a = ImageOps.expand(Image.open(f"{src}/docx-{which}.png").convert("RGB"), border=1, fill="#888")
    b = ImageOps.expand(Image.open(f"{src}/pdf-{which}.png").convert("RGB"), border=1, fill="#888")
    gap = 24
    im = Image.new("RGB", (a.width + b.width + gap, max(a.height, b.height)), "white")
    im.paste(a, (0, 0))
    im.paste(b, (a.width + gap, 0))
    im.save(f"{dst}/docx-beside-pdf-{which}.png", optimize=True)
PY
echo "written: book/src/images/docx-beside-pdf-{1,table}.png (left: .docx in LibreOffice, right: PDF)"
