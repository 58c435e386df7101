//! word/document.xml: the title, the opening, the six parts with their
//! blocks and mandated tables, the 落款, and the page setup. Only the
//! document model is drawn; its text reaches the file only as escaped run
//! text (`w:t`), never as a field, a hyperlink target or any other markup.

use super::xml::escape;
use super::{Page, style};
use crate::compose::{Block, Cell, CellRole, Document, Grid, Inline};

/// A table of at most this many rows is kept on one page, as in the PDF
/// (`max-rows-kept-whole` in report.typ): its rows are kept with the next.
const MAX_ROWS_KEPT_WHOLE: usize = 40;

/// Cell padding left and right (the PDF's 3 pt) and top and bottom: the
/// PDF's 4 pt is measured from the cap height, so Word's line box (which
/// holds the ascent and descent) needs about 1.5 pt for the same row.
pub const CELL_MARGIN_X: u32 = 60;
const CELL_MARGIN_Y: u32 = 30;

pub fn document(doc: &Document, page: &Page) -> String {
    let mut b = Body { out: String::new(), page };
    b.out.push_str(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        "\n",
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
        r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>"#
    ));
    // Title: 2号 小标宋, centred, broken between agency and the rest.
    b.open_p(style::TITLE, "");
    for (i, line) in doc.title_lines.iter().enumerate() {
        if i > 0 {
            b.out.push_str("<w:r><w:br/></w:r>");
        }
        b.run(line, "");
    }
    b.out.push_str("</w:p>");
    for bl in &doc.opening {
        b.block(bl, 0);
    }
    for s in &doc.sections {
        // 一、 headings in 黑体, kept with what follows.
        b.open_p(style::HEADING, "<w:keepNext/>");
        b.run(&s.heading, "");
        b.out.push_str("</w:p>");
        for bl in &s.blocks {
            b.block(bl, 0);
        }
    }
    b.closing(doc);
    b.out.push_str(&page.sect_pr());
    b.out.push_str("</w:body></w:document>");
    b.out
}

struct Body<'a> {
    out: String,
    page: &'a Page,
}

/// Display width of text in characters of its font size: CJK and
/// full-width characters one, others one half.
fn width_chars(s: &str) -> f64 {
    s.chars().map(|c| if (c as u32) < 0x2E80 { 0.5 } else { 1.0 }).sum()
}

impl Body<'_> {
    /// Open a paragraph of a style, with extra paragraph properties (already
    /// in schema order after pStyle: keepNext, … ind, jc).
    fn open_p(&mut self, style: &str, extra: &str) {
        self.out.push_str("<w:p><w:pPr><w:pStyle w:val=\"");
        self.out.push_str(style);
        self.out.push_str("\"/>");
        self.out.push_str(extra);
        self.out.push_str("</w:pPr>");
    }

    /// A run of text with run properties; tabs and line feeds become
    /// `w:tab` and `w:br`.
    fn run(&mut self, text: &str, rpr: &str) {
        if text.is_empty() {
            return;
        }
        self.out.push_str("<w:r>");
        if !rpr.is_empty() {
            self.out.push_str("<w:rPr>");
            self.out.push_str(rpr);
            self.out.push_str("</w:rPr>");
        }
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.out.push_str("<w:br/>");
            }
            for (j, piece) in line.split('\t').enumerate() {
                if j > 0 {
                    self.out.push_str("<w:tab/>");
                }
                let piece = piece.trim_end_matches('\r');
                if !piece.is_empty() {
                    self.out.push_str("<w:t xml:space=\"preserve\">");
                    escape(piece, &mut self.out);
                    self.out.push_str("</w:t>");
                }
            }
        }
        self.out.push_str("</w:r>");
    }

    fn inlines(&mut self, v: &[Inline], rpr: &str) {
        for i in v {
            match i {
                Inline::Text { text } => self.run(text, rpr),
                // As in the PDF: strong in 黑体, emphasis in 楷体, never a
                // synthesised bold or italic; character styles, so an office
                // can restyle them.
                Inline::Strong { inlines } => {
                    self.inlines(inlines, &format!("<w:rStyle w:val=\"{}\"/>", style::STRONG))
                }
                Inline::Emph { inlines } => self.inlines(inlines, &format!("<w:rStyle w:val=\"{}\"/>", style::EMPH)),
                Inline::Strike { inlines } => self.inlines(inlines, &format!("{rpr}<w:strike/>")),
                Inline::Code { text } => self.run(text, rpr),
                // A link is its text with the address after it in brackets:
                // plain text, no hyperlink relationship, no field.
                Inline::Link { url, inlines } => {
                    self.inlines(inlines, rpr);
                    let shown: String = plain(inlines);
                    if shown.trim() != url.trim() {
                        self.run(&format!("（{url}）"), rpr);
                    }
                }
                Inline::Break => self.out.push_str("<w:r><w:br/></w:r>"),
                Inline::SoftBreak => {}
            }
        }
    }

    /// A paragraph of inlines; `indent` is the list or quote depth.
    fn para(&mut self, style: &str, v: &[Inline], indent: usize, prefix: &str) {
        let extra = if indent > 0 || !prefix.is_empty() {
            // Indented by two characters per level, no first-line indent.
            let chars = 200 * indent;
            let tw = self.page.char_twips * indent as u32;
            format!("<w:ind w:leftChars=\"{chars}\" w:left=\"{tw}\" w:firstLineChars=\"0\" w:firstLine=\"0\"/>")
        } else {
            String::new()
        };
        self.open_p(style, &extra);
        self.run(prefix, "");
        self.inlines(v, "");
        self.out.push_str("</w:p>");
    }

    fn block(&mut self, b: &Block, indent: usize) {
        match b {
            Block::Paragraph { inlines } => self.para(style::BODY, inlines, indent, ""),
            Block::Heading { level, inlines } => {
                // （一） headings in 楷体, deeper ones in 黑体 (as the PDF).
                let s = if *level <= 2 { style::SUBHEADING } else { style::MINOR_HEADING };
                self.open_p(s, "<w:keepNext/>");
                self.inlines(inlines, "");
                self.out.push_str("</w:p>");
            }
            Block::List { ordered, start, items } => {
                for (n, item) in items.iter().enumerate() {
                    let marker = if *ordered { format!("{}. ", start + n) } else { "• ".to_string() };
                    let mut marked = false;
                    for b in item {
                        match b {
                            Block::Paragraph { inlines } if !marked => {
                                self.para(style::LIST, inlines, indent + 1, &marker);
                                marked = true;
                            }
                            other => {
                                if !marked {
                                    self.para(style::LIST, &[], indent + 1, &marker);
                                    marked = true;
                                }
                                self.block(other, indent + 1);
                            }
                        }
                    }
                    if !marked {
                        self.para(style::LIST, &[], indent + 1, &marker);
                    }
                }
            }
            Block::Quote { blocks } => {
                for b in blocks {
                    match b {
                        Block::Paragraph { inlines } => self.para(style::QUOTE, inlines, indent + 1, ""),
                        other => self.block(other, indent + 1),
                    }
                }
            }
            Block::Code { text } => {
                for line in text.trim_end_matches('\n').split('\n') {
                    self.para(style::QUOTE, &[Inline::Text { text: line.to_string() }], indent + 1, "");
                }
            }
            Block::Rule => {
                self.open_p(
                    style::BODY,
                    "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"1\" w:color=\"000000\"/></w:pBdr>",
                );
                self.out.push_str("</w:p>");
            }
            Block::TextTable { header, rows } => self.text_table(header, rows),
            Block::Table { grid } => self.grid(grid),
        }
    }

    /// The 落款 as the PDF places it: a block at the right margin, one line
    /// below the text, agency over date, each line centred in the block.
    fn closing(&mut self, doc: &Document) {
        let mut lines = vec![doc.closing.agency.as_str()];
        if let Some(d) = &doc.closing.date {
            lines.push(d);
        }
        let w = lines.iter().map(|l| width_chars(l)).fold(0.0, f64::max);
        for (i, l) in lines.iter().enumerate() {
            let right = (w - width_chars(l)) / 2.0;
            let chars = (right * 100.0).round() as u32;
            let tw = (right * self.page.char_twips as f64).round() as u32;
            let before =
                if i == 0 { format!("<w:spacing w:before=\"{}\"/>", self.page.line_pitch) } else { String::new() };
            self.open_p(style::SIGNATURE, &format!("{before}<w:ind w:rightChars=\"{chars}\" w:right=\"{tw}\"/>"));
            self.run(l, "");
            self.out.push_str("</w:p>");
        }
    }

    fn table_open(&mut self, caption: &str, widths: &[u32]) {
        let total: u32 = widths.iter().sum();
        let b = |side: &str| format!("<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>");
        self.out.push_str("<w:tbl><w:tblPr>");
        self.out.push_str(&format!("<w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>"));
        self.out.push_str("<w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblBorders>");
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            self.out.push_str(&b(side));
        }
        self.out.push_str("</w:tblBorders><w:tblLayout w:type=\"fixed\"/>");
        self.out.push_str(&format!(
            "<w:tblCellMar><w:top w:w=\"{y}\" w:type=\"dxa\"/><w:left w:w=\"{x}\" w:type=\"dxa\"/>\
             <w:bottom w:w=\"{y}\" w:type=\"dxa\"/><w:right w:w=\"{x}\" w:type=\"dxa\"/></w:tblCellMar>",
            x = CELL_MARGIN_X,
            y = CELL_MARGIN_Y
        ));
        self.out.push_str("<w:tblLook w:val=\"0000\" w:firstRow=\"0\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/>");
        if !caption.is_empty() {
            self.out.push_str("<w:tblCaption w:val=\"");
            escape(caption, &mut self.out);
            self.out.push_str("\"/>");
        }
        self.out.push_str("</w:tblPr><w:tblGrid>");
        for w in widths {
            self.out.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
        }
        self.out.push_str("</w:tblGrid>");
    }

    /// One cell: `start` false is the continuation of a vertical merge.
    #[allow(clippy::too_many_arguments)]
    fn cell(
        &mut self,
        width: u32,
        colspan: usize,
        vmerge: Option<bool>,
        vertical: bool,
        align: &str,
        keep: bool,
        body: impl FnOnce(&mut Self),
    ) {
        self.out.push_str(&format!("<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>"));
        if colspan > 1 {
            self.out.push_str(&format!("<w:gridSpan w:val=\"{colspan}\"/>"));
        }
        match vmerge {
            Some(true) => self.out.push_str("<w:vMerge w:val=\"restart\"/>"),
            Some(false) => self.out.push_str("<w:vMerge/>"),
            None => {}
        }
        if vertical {
            // Vertical East Asian text: characters upright, top to bottom.
            self.out.push_str("<w:textDirection w:val=\"tbRl\"/>");
        }
        self.out.push_str("<w:vAlign w:val=\"center\"/></w:tcPr>");
        let keep = if keep { "<w:keepNext/>" } else { "" };
        self.open_p(style::TABLE_TEXT, &format!("{keep}<w:jc w:val=\"{align}\"/>"));
        body(self);
        self.out.push_str("</w:p></w:tc>");
    }

    fn grid(&mut self, g: &Grid) {
        let widths = self.page.column_widths(g);
        self.table_open(&g.caption, &widths);
        let keep_whole = g.rows.len() <= MAX_ROWS_KEPT_WHOLE;
        for (ri, row) in layout(g).iter().enumerate() {
            self.out.push_str("<w:tr><w:trPr><w:cantSplit/>");
            if ri < g.header_rows {
                self.out.push_str("<w:tblHeader/>");
            }
            self.out.push_str("</w:trPr>");
            let keep = keep_whole && ri + 1 < g.rows.len();
            for slot in row {
                let c = slot.cell;
                let width = widths[slot.col..(slot.col + c.colspan).min(widths.len())].iter().sum();
                let vmerge = (c.rowspan > 1).then_some(slot.start);
                let align = match c.role {
                    CellRole::Caption => "left",
                    CellRole::RowHeader if !c.vertical => "left",
                    _ => "center",
                };
                let rpr = match c.role {
                    CellRole::Caption => format!("<w:rStyle w:val=\"{}\"/>", style::STRONG),
                    CellRole::Corner => "<w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>".to_string(),
                    _ => String::new(),
                };
                let text = if slot.start { c.text.as_str() } else { "" };
                self.cell(width, c.colspan, vmerge, c.vertical, align, keep, |b| b.run(text, &rpr));
            }
            self.out.push_str("</w:tr>");
        }
        self.out.push_str("</w:tbl>");
        // A paragraph after the table keeps two tables apart.
        self.out.push_str(&format!("<w:p><w:pPr><w:pStyle w:val=\"{}\"/></w:pPr></w:p>", style::TABLE_TEXT));
    }

    fn text_table(&mut self, header: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>]) {
        let n = header.len().max(rows.iter().map(Vec::len).max().unwrap_or(0)).max(1);
        let widths = split(self.page.text_width, n);
        self.table_open("", &widths);
        let strong = format!("<w:rStyle w:val=\"{}\"/>", style::STRONG);
        for (ri, r) in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)).enumerate() {
            self.out.push_str("<w:tr><w:trPr><w:cantSplit/>");
            if ri == 0 {
                self.out.push_str("<w:tblHeader/>");
            }
            self.out.push_str("</w:trPr>");
            for (ci, w) in widths.iter().enumerate() {
                let content = r.get(ci).map(Vec::as_slice).unwrap_or_default();
                let rpr = if ri == 0 { strong.as_str() } else { "" };
                self.cell(*w, 1, None, false, "left", false, |b| b.inlines(content, rpr));
            }
            self.out.push_str("</w:tr>");
        }
        self.out.push_str("</w:tbl>");
        self.out.push_str(&format!("<w:p><w:pPr><w:pStyle w:val=\"{}\"/></w:pPr></w:p>", style::TABLE_TEXT));
    }
}

/// The text of inlines, without markup.
fn plain(v: &[Inline]) -> String {
    let mut s = String::new();
    for i in v {
        match i {
            Inline::Text { text } | Inline::Code { text } => s.push_str(text),
            Inline::Strong { inlines } | Inline::Emph { inlines } | Inline::Strike { inlines } => {
                s.push_str(&plain(inlines))
            }
            Inline::Link { inlines, .. } => s.push_str(&plain(inlines)),
            Inline::Break | Inline::SoftBreak => {}
        }
    }
    s
}

/// `total` split into `n` integer widths that sum to it exactly.
pub fn split(total: u32, n: usize) -> Vec<u32> {
    let n32 = n.max(1) as u32;
    (0..n32).map(|i| total / n32 + u32::from(i < total % n32)).collect()
}

/// A cell placed in the table grid: where a merged cell begins, or one of
/// the rows it continues into (Word needs an explicit cell there).
pub struct Slot<'a> {
    pub cell: &'a Cell,
    pub start: bool,
    pub col: usize,
}

/// The rows of a grid with every column position filled: each cell where it
/// begins, and a continuation in each further row a row-spanning cell covers.
pub fn layout(g: &Grid) -> Vec<Vec<Slot<'_>>> {
    let mut carry: Vec<Option<(usize, &Cell)>> = vec![None; g.columns];
    let mut out = Vec::with_capacity(g.rows.len());
    for row in &g.rows {
        let mut slots = Vec::new();
        let mut cells = row.cells.iter();
        let mut col = 0;
        while col < g.columns {
            if let Some((left, c)) = carry[col] {
                slots.push(Slot { cell: c, start: false, col });
                carry[col] = (left > 1).then_some((left - 1, c));
                col += c.colspan.max(1);
                continue;
            }
            let Some(c) = cells.next() else { break };
            slots.push(Slot { cell: c, start: true, col });
            if c.rowspan > 1 {
                carry[col] = Some((c.rowspan - 1, c));
            }
            col += c.colspan.max(1);
        }
        out.push(slots);
    }
    out
}
