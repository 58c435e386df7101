#!/usr/bin/env python3
"""Make tests/fixtures/import/ankang-hanbin-2020.docx: the example report as
a Word file with real merged cells (vertical and horizontal merges), from
gxgen's own HTML page. Needs python-docx. Run from the repository root:
    cargo run -- build examples/ankang-hanbin-2020/report.yaml --only html -o /tmp/docx-src
    python3 scripts/make_docx_fixture.py /tmp/docx-src/2020-安康市汉滨区人民政府.html
"""
import sys
from html.parser import HTMLParser
from docx import Document

class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.blocks, self.table, self.row, self.cell, self.text = [], None, None, None, None
        self.skip = 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("style", "script", "caption", "title"): self.skip += 1
        elif tag == "table": self.table = []
        elif tag == "tr": self.row = []
        elif tag in ("td", "th"): self.cell = [int(a.get("rowspan", 1)), int(a.get("colspan", 1)), ""]
        elif tag in ("p", "h1", "h2", "span") and self.table is None: self.text = ""
    def handle_endtag(self, tag):
        if tag in ("style", "script", "caption", "title"): self.skip -= 1
        elif tag == "table": self.blocks.append(("table", self.table)); self.table = None
        elif tag == "tr": self.table.append(self.row); self.row = None
        elif tag in ("td", "th"): self.row.append(self.cell); self.cell = None
        elif tag in ("p", "h1", "h2", "span") and self.text is not None and self.table is None:
            if self.text.strip(): self.blocks.append(("p", self.text.strip()))
            self.text = None
    def handle_data(self, d):
        if self.skip: return
        if self.cell is not None: self.cell[2] += d.strip()
        elif self.text is not None: self.text += d

p = Page(); p.feed(open(sys.argv[1], encoding="utf-8").read())
doc = Document()
for kind, x in p.blocks:
    if kind == "p":
        doc.add_paragraph(x)
        continue
    width = sum(c[1] for c in x[0]) if x else 0
    # Lay the cells out on a grid, then merge.
    taken = {}
    placed = []
    for r, row in enumerate(x):
        c = 0
        for rs, cs, text in row:
            while (r, c) in taken: c += 1
            for dr in range(rs):
                for dc in range(cs): taken[(r + dr, c + dc)] = True
            placed.append((r, c, rs, cs, text)); c += cs
    width = max(c for _, c in taken) + 1
    t = doc.add_table(rows=len(x), cols=width)
    for r, c, rs, cs, text in placed:
        cell = t.cell(r, c)
        if rs > 1 or cs > 1:
            cell = cell.merge(t.cell(r + rs - 1, c + cs - 1))
        cell.text = text
doc.save("tests/fixtures/import/ankang-hanbin-2020.docx")
print("written tests/fixtures/import/ankang-hanbin-2020.docx")
