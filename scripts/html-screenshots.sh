#!/usr/bin/env bash
# Pictures of the HTML outputs for the book (book/src/html.md), with Debian's
# headless Chromium (apt-get install chromium):
# - a report at 1280 px (its tables) and at 390 px (a table scrolled
#   sideways with its row labels in view; a paragraph with web and e-mail
#   addresses);
# - the county workspace's index.html and its 问题清单 at 1280 and 390 px
#   (built from a copy with one error and one warning planted);
# then it prints every example's page to PDF and checks that table 三 is on
# one page (exit status 1 if not).
# The pages are shot from copies: a copy may hide the parts not shown and
# scroll a table (a line of script in the copy only; the published pages
# carry no script but the index's sorting and filter).
# Usage: scripts/html-screenshots.sh   (from the repository root)
# GXGEN=path/to/gxgen to use a binary already built.
set -euo pipefail
images=book/src/images
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -z "${GXGEN:-}" ]; then
  cargo build --quiet
  GXGEN=target/debug/gxgen
fi
"$GXGEN" build --only html examples/ankang-hanbin-2020/report.yaml -o "$work/report" >/dev/null 2>&1
# The county, with one error and one warning planted so that the index and
# the 问题清单 have something to show (as tests/suite/index.rs does).
cp -r examples/county "$work/county-src"
rm -rf "$work/county-src/2024/out"
sed -i 's/new:          \[7, 6, 3, 1, 2, 1, 20\]/new:          [7, 6, 3, 1, 2, 1, 21]/' "$work/county-src/2024/县公安局/report.yaml"
printf '\n\n【待填写】\n' >>"$work/county-src/2024/县民政局/overview.md"
"$GXGEN" build --only html "$work/county-src/2024" -o "$work/county" >/dev/null 2>&1 || true
report=$(ls "$work"/report/*.html)

shoot() { # width height page png
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --hide-scrollbars --virtual-time-budget=3000 \
    --force-device-scale-factor="${scale:-1}" \
    --window-size="$1,$2" --screenshot="$4" "file://$3" >/dev/null 2>&1
  echo "written: $4"
}
copies=0
# A copy of page $1 with $2 (HTML) added before </body>.
copy() {
  # Beside the page, so that its relative links resolve.
  local to
  to="$(dirname "$1")/copy-$((++copies)).html"
  local page
  page=$(cat "$1")
  printf '%s\n' "${page/<\/body>/$2</body>}" >"$to"
  echo "$to"
}
only() { # the sections to keep, as a CSS selector list
  echo "<style>.report > :not($1){display:none}</style>"
}
scroll_tables() { # pixels
  echo "<script>addEventListener('load',()=>document.querySelectorAll('.table-wrap').forEach(w=>w.scrollLeft=$1))</script>"
}

# Desktop: the tables use the window's width, headers on one line.
shoot 1280 1080 "$(copy "$report" "$(only '#applications, #review_litigation')")" "$images/html-1280-tables.png"
# Phone: table 三 scrolled by 160 px; its labels stay, the edge shadows and
# the hint say it scrolls.
scale=2 shoot 390 760 "$(copy "$report" "$(only '#applications')$(scroll_tables 160)")" "$images/html-390-table.png"
# Phone: the paragraph with an address, not stretched.
scale=2 shoot 390 760 "$(copy "$report" "$(only '#other_matters')")" "$images/html-390-text.png"

index="$work/county/index.html"
if [ -f "$index" ]; then
  shoot 1280 1400 "$index" "$images/index-1280.png"
  # Desktop: the table of agencies, with the change from last year.
  shoot 1280 900 "$(copy "$index" "<style>.charts, .totals, h1 { display: none }</style>")" "$images/index-1280-table.png"
  scale=2 shoot 390 1100 "$index" "$images/index-390.png"
  # Phone: the table of agencies, the name column staying in view.
  scale=2 shoot 390 700 "$(copy "$index" "<style>.charts, .totals, .counts, h1 { display: none }</style>")" "$images/index-390-table.png"
  findings="$work/county/问题清单.html"
  [ -f "$findings" ] && shoot 1280 900 "$findings" "$images/findings-1280.png"
fi

# Print (Ctrl+P): every example's page printed to PDF by Chromium; table 三
# (from its header note to its last row) must sit on one page. Needs
# poppler's pdfinfo and pdftotext (apt-get install poppler-utils).
if command -v pdftotext >/dev/null; then
  split=0
  for e in examples/*/report.yaml; do
    "$GXGEN" build --only html "$e" -o "$work/print" >/dev/null 2>&1
  done
  for page in "$work"/print/*.html; do
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync \
      --user-data-dir="$work/profile" --virtual-time-budget=3000 --no-pdf-header-footer \
      --print-to-pdf="$work/print.pdf" "file://$page" >/dev/null 2>&1
    pages=$(pdfinfo "$work/print.pdf" | awk '/^Pages:/ {print $2}')
    on=""
    for i in $(seq 1 "$pages"); do
      if pdftotext -f "$i" -l "$i" "$work/print.pdf" - | grep -qE '本列数据的勾稽关系|四、结转下年度继续办理'; then
        on="$on $i"
      fi
    done
    echo "printed: $(basename "$page"): $pages pages, table 三 on page(s)$on"
    [ "$(echo "$on" | wc -w)" -eq 1 ] || split=1
  done
  [ "$split" -eq 0 ] || { echo "table 三 split across pages in print" >&2; exit 1; }
fi
