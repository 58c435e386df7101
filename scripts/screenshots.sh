#!/usr/bin/env bash
# Screenshots of one example's HTML page for the book, at desktop and phone
# widths, with Debian's headless Chromium (apt-get install chromium).
# Usage: scripts/screenshots.sh   (from the repository root)
set -euo pipefail
example=examples/ankang-hanbin-2020/report.yaml
out=$(mktemp -d)
cargo run --quiet -- build "$example" -o "$out"
page=$(ls "$out"/*.html)
shoot() { # width height file
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$out/profile-$1" --hide-scrollbars --force-device-scale-factor=1 \
    --window-size="$1,$2" --screenshot="$3" "file://$page" 2>/dev/null
}
shoot 1280 1500 book/src/images/html-desktop.png
shoot 390 1500 book/src/images/html-phone.png
# The tables: a tall desktop shot, cropped to the part with the tables.
shoot 1280 9000 "$out/full.png"
python3 - "$out/full.png" book/src/images/html-tables.png <<'PY'
import sys
from PIL import Image
im = Image.open(sys.argv[1])
im.crop((180, 3950, 1100, 6400)).save(sys.argv[2], optimize=True)
PY
echo "written: book/src/images/html-{desktop,phone,tables}.png"
