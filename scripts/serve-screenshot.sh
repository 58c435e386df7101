#!/usr/bin/env bash
# The picture of the `gxgen serve` preview page in book/src/clerks.md
# (book/src/images/serve-preview.png): an example whose 总体情况 is a Word
# file stating a figure the tables contradict, previewed, and the page shot
# with Debian's headless Chromium (apt-get install chromium). The .docx is
# written with Python's zipfile (one run per paragraph).
# Usage: scripts/serve-screenshot.sh   (from the repository root)
set -euo pipefail
work=$(mktemp -d)
report="$work/report"
mkdir "$report"
cp examples/hongsibu-shenpi-2021/* "$report/"
python3 - "$report" <<'PY'
import html, sys, zipfile
d = sys.argv[1]
paras = [p.strip() for p in open(d + "/overview.md", encoding="utf-8").read().split("\n\n") if p.strip()]
paras.insert(1, "本年度共收到政府信息公开申请99件。")
w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
body = "".join('<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>' % html.escape(p, quote=False) for p in paras)
z = zipfile.ZipFile(d + "/总体情况.docx", "w", zipfile.ZIP_DEFLATED)
z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
z.writestr("word/document.xml", '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="%s"><w:body>%s<w:sectPr/></w:body></w:document>' % (w, body))
z.close()
PY
sed -i 's/overview: overview.md/overview: 总体情况.docx/' "$report/report.yaml"
rm "$report/overview.md"
cargo build --quiet
target/debug/gxgen serve --port 0 "$report" > "$work/url" 2> "$work/log" &
pid=$!
for _ in $(seq 1 300); do grep -q http "$work/url" 2>/dev/null && break; sleep 0.2; done
url=$(grep -o 'http://[0-9.:]*' "$work/url")
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --user-data-dir="$work/profile" --hide-scrollbars --force-device-scale-factor=1 \
  --window-size=1400,860 --virtual-time-budget=4000 \
  --screenshot="$PWD/book/src/images/serve-preview.png" "$url/" > /dev/null 2>&1
kill -INT "$pid"
wait "$pid"
rm -rf "$work"
echo "book/src/images/serve-preview.png"
