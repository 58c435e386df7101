#!/usr/bin/env bash
# Images of the report workbook for the book (book/src/workbook.md): a
# workbook filled with an example agency's 2024 figures (gxgen new --xlsx
# --from its report.yaml), opened in LibreOffice Calc headless and printed to
# PDF (soffice --convert-to pdf; apt-get install libreoffice-calc-nogui),
# pages rendered with poppler's pdftoppm (apt-get install poppler-utils).
# Usage: scripts/workbook-screenshots.sh   (from the repository root)
set -euo pipefail
gxgen=${GXGEN:-target/debug/gxgen}
[ -x "$gxgen" ] || cargo build --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$gxgen" new --xlsx --from "examples/county/2024/县教育体育局/report.yaml" "$out/report" 2>/dev/null
soffice -env:UserInstallation="file://$out/profile" --headless --convert-to pdf \
  --outdir "$out" "$out/report/report.xlsx" >/dev/null 2>&1
# One page per sheet: 基本信息, 二, 三, 四, 六（信息处理费）.
pdftoppm -r 110 -png "$out/report.pdf" "$out/page"
ls "$out"/page-*.png
cp "$out/page-1.png" book/src/images/workbook-info.png
cp "$out/page-2.png" book/src/images/workbook-active.png
cp "$out/page-3.png" book/src/images/workbook-applications.png
cp "$out/page-4.png" book/src/images/workbook-review.png
