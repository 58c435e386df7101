#!/usr/bin/env bash
# Images of one example report for the book (the HTML pages' pictures are
# made by scripts/html-screenshots.sh):
# - pages of its PDF (page 1 and the pages holding the tables), with
#   poppler's pdftoppm and pdftotext (apt-get install poppler-utils).
# Usage: scripts/screenshots.sh   (from the repository root)
set -euo pipefail
example=examples/ankang-hanbin-2020/report.yaml
out=$(mktemp -d)
cargo build --release --quiet
target/release/gxgen build "$example" -o "$out"
pdf=$(ls "$out"/*.pdf)

## HTML: scripts/html-screenshots.sh makes the pictures of the pages.

## PDF
# Page 1, and every page holding part of a table, found by text that only
# the tables print: 表二's 第二十条第（…）项 rows, 表三's header note (repeated
# on each page the table spans) and 表四's 未经复议直接起诉.
# book/src/building.md shows pdf-tables-6.png and pdf-tables-7.png by name:
# if the tables move to other pages, update it to the files written here.
pdftoppm -r 80 -png -f 1 -l 1 -singlefile "$pdf" book/src/images/pdf-page-1
rm -f book/src/images/pdf-tables-*.png
pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
for i in $(seq 1 "$pages"); do
  if pdftotext -f "$i" -l "$i" "$pdf" - 2>/dev/null | grep -qE '第二十条第（|本列数据的勾稽关系|未经复议直接起诉'; then
    pdftoppm -r 80 -png -f "$i" -l "$i" -singlefile "$pdf" "book/src/images/pdf-tables-$i"
    echo "written: book/src/images/pdf-tables-$i.png"
  fi
done
echo "written: book/src/images/pdf-page-1.png"
rm -rf "$out"
