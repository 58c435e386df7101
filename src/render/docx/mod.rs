//! The Word renderer: one .docx after GB/T 9704, for Word and WPS, drawn
//! from the document model like the HTML and the PDF (same text, same
//! cells, same merges).
//!
//! WordprocessingML is written here directly and packed with the `zip`
//! crate: the page grid (`w:docGrid`), the merges (`w:gridSpan`, `w:vMerge`
//! with explicit continuation cells), the widths WPS reads (`w:gridCol`) and
//! those Word reads (`w:tcW`, `w:tblW`) and the bytes themselves (fixed
//! entry order, 1980-01-01 timestamps, no generated ids) are all ours to
//! decide. Font names come from `templates/typography.yaml` (the `word:`
//! names of each role), never from this code.
//!
//! Why not docx-rs (0.4.17, read before deciding): it brings a second zip
//! (0.6) beside ours, xml-rs, base64 and by default `image`; it stores parts
//! uncompressed and always writes comments, numbering, footnotes and custom
//! properties parts; and the grid's `charSpace`, explicit continuation cells
//! and the widths that must agree would still be ours to compute. Written
//! here, the package is eleven parts, about 14 kB for a whole report.

mod body;
mod xml;

use std::io::Write;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::compose::{CellRole, Document, Grid};
use crate::diag::{Diagnostic, codes};
use crate::typography;
use xml::esc;

/// The style ids of the document. Names users see are in [`STYLES`].
pub mod style {
    pub const BODY: &str = "Normal";
    pub const TITLE: &str = "Title";
    pub const HEADING: &str = "GxHeading1";
    pub const SUBHEADING: &str = "GxHeading2";
    pub const MINOR_HEADING: &str = "GxHeading3";
    pub const LIST: &str = "GxList";
    pub const QUOTE: &str = "GxQuote";
    pub const TABLE_TEXT: &str = "GxTableText";
    pub const SIGNATURE: &str = "GxSignature";
    pub const FOOTER: &str = "Footer";
    pub const STRONG: &str = "Strong";
    pub const EMPH: &str = "Emphasis";
}

/// Twips (1/20 pt) in a millimetre.
fn mm(v: f64) -> u32 {
    (v * 1440.0 / 25.4).round() as u32
}

/// The page as GB/T 9704 sets it (the same decisions as report.typ): A4,
/// margins 37/35/28/26 mm, 22 lines of 28 characters of 3号.
pub struct Page {
    pub width: u32,
    pub height: u32,
    pub top: u32,
    pub bottom: u32,
    pub left: u32,
    pub right: u32,
    /// Width of the text block.
    pub text_width: u32,
    /// One character of the body (3号).
    pub char_twips: u32,
    /// One line of the grid: 28.95 pt, 22 lines in the 225 mm text block.
    pub line_pitch: u32,
    /// `w:charSpace`: how much each of the 28 characters of a line is
    /// narrower than the body size, in 1/4096 pt.
    pub char_space: i32,
    /// How much the body's characters are condensed (`w:spacing`, twips) so
    /// that a 3号 character fits one cell of the character grid: Word and
    /// WPS squeeze a character a little wider than its cell, LibreOffice
    /// gives it two cells (half as many characters a line).
    pub condense: u32,
    /// One character of table text (五号), in twips.
    pub table_em: u32,
    /// One character of the page number (4号), in twips.
    pub footer_em: u32,
}

/// Page numbers in 4号.
const FOOTER_PT: f64 = 14.0;
/// 22 lines a page.
const PITCH_PT: f64 = 28.95;
const CHARS: u32 = 28;

impl Page {
    pub fn official(t: &typography::Typography) -> Page {
        let size = |k: &str| t.role(k).map_or(16.0, |r| r.size_pt);
        let (width, height) = (mm(210.0), mm(297.0));
        let (top, bottom, left, right) = (mm(37.0), mm(35.0), mm(28.0), mm(26.0));
        let text_width = width - left - right;
        let body = size("body");
        // 28.95 pt, as the PDF sets it: 22 lines fill the 225 mm block with
        // room for the last line's descent.
        let line_pitch = (PITCH_PT * 20.0).round() as u32;
        let char_pt = text_width as f64 / 20.0 / CHARS as f64;
        Page {
            width,
            height,
            top,
            bottom,
            left,
            right,
            text_width,
            char_twips: (body * 20.0).round() as u32,
            line_pitch,
            char_space: ((char_pt - body) * 4096.0).round() as i32,
            // LibreOffice rounds the cell down to whole twips (15.73 pt for
            // 15.79): one twip more than the difference.
            condense: ((body - char_pt).max(0.0) * 20.0).ceil() as u32 + 1,
            table_em: (size("table") * 20.0).round() as u32,
            footer_em: FOOTER_PT as u32 * 20,
        }
    }

    pub fn sect_pr(&self) -> String {
        // The footer: 7 mm below the text block, its line (4号) above that.
        let footer = self.bottom.saturating_sub(mm(7.0) + self.footer_em + 60);
        format!(
            "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId4\"/>\
             <w:footerReference w:type=\"even\" r:id=\"rId5\"/>\
             <w:pgSz w:w=\"{}\" w:h=\"{}\"/>\
             <w:pgMar w:top=\"{}\" w:right=\"{}\" w:bottom=\"{}\" w:left=\"{}\" w:header=\"851\" w:footer=\"{footer}\" w:gutter=\"0\"/>\
             <w:cols w:space=\"425\"/>\
             <w:docGrid w:type=\"linesAndChars\" w:linePitch=\"{}\" w:charSpace=\"{}\"/></w:sectPr>",
            self.width, self.height, self.top, self.right, self.bottom, self.left, self.line_pitch, self.char_space
        )
    }

    /// Column widths of a mandated table, summing to the text width. As in
    /// report.typ: a table with a vertical group label (table 三) has a
    /// narrow first column (1.6 em), narrow middle label columns (2.6 em),
    /// figures 2.9 em wide and the rest to the last label column; other
    /// tables give label columns the width of their longest label (at most
    /// a third of the line each) and share the rest among the figures.
    pub fn column_widths(&self, g: &Grid) -> Vec<u32> {
        let em = self.table_em as f64;
        let total = self.text_width;
        let data = g.columns - g.label_columns;
        let vertical = g.rows.iter().flat_map(|r| &r.cells).any(|c| c.vertical);
        let mut w: Vec<u32> = Vec::with_capacity(g.columns);
        if vertical && g.label_columns >= 2 {
            let fig = (2.9 * em).round() as u32;
            w.push((1.6 * em).round() as u32);
            for _ in 1..g.label_columns - 1 {
                w.push((2.6 * em).round() as u32);
            }
            let used: u32 = w.iter().sum::<u32>() + fig * data as u32;
            if used < total {
                w.push(total - used);
                w.extend(std::iter::repeat_n(fig, data));
                return w;
            }
            w.clear();
        }
        // Longest label starting in each label column (spanning one column).
        let mut label = vec![0.0f64; g.label_columns];
        for row in body::layout(g) {
            for s in row.iter().filter(|s| s.start && s.col < g.label_columns && s.cell.colspan == 1) {
                if matches!(s.cell.role, CellRole::RowHeader | CellRole::Corner) {
                    let chars: f64 = s.cell.text.chars().map(|c| if (c as u32) < 0x2E80 { 0.5 } else { 1.0 }).sum();
                    label[s.col] = label[s.col].max(chars);
                }
            }
        }
        for l in &label {
            let want = ((l.max(2.0) + 0.5) * em) as u32 + 2 * body::CELL_MARGIN_X;
            w.push(want.min(total / 3));
        }
        let used: u32 = w.iter().sum();
        if data == 0 {
            // No figures: the label columns share the line.
            return body::split(total, g.columns);
        }
        w.extend(body::split(total.saturating_sub(used), data));
        w
    }
}

/// A typesetting role as written into the Word file.
#[derive(Debug, Clone)]
pub struct RoleFont {
    /// East Asian font name, then its fallbacks.
    pub names: Vec<String>,
    /// Size in half-points.
    pub half_points: u32,
}

/// The roles' fonts: the `word:` names of typography.yaml, after any font
/// the report pins for the role (`fonts:`).
pub struct Styles {
    pub latin: String,
    pub roles: Vec<(String, RoleFont)>,
}

impl Styles {
    pub fn new(doc: &Document) -> Styles {
        let t = typography::get();
        let roles = t
            .roles
            .iter()
            .map(|r| {
                let mut names: Vec<String> =
                    doc.provenance.fonts.get(&r.key).map(|(v, _)| v.clone()).unwrap_or_default();
                for n in &r.word {
                    if !names.contains(n) {
                        names.push(n.clone());
                    }
                }
                (r.key.clone(), RoleFont { names, half_points: (r.size_pt * 2.0).round() as u32 })
            })
            .collect();
        Styles { latin: t.word_latin.clone(), roles }
    }

    pub fn role(&self, key: &str) -> RoleFont {
        self.roles
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, r)| r.clone())
            .unwrap_or(RoleFont { names: Vec::new(), half_points: 32 })
    }

    /// `w:rFonts` of a role: the Latin font in the Latin slots, the role's
    /// first name in the East Asian slot.
    fn fonts(&self, key: &str) -> String {
        let r = self.role(key);
        let ea = r.names.first().map(String::as_str).unwrap_or(&self.latin);
        let l = esc(&self.latin);
        format!(
            "<w:rFonts w:hint=\"eastAsia\" w:ascii=\"{l}\" w:hAnsi=\"{l}\" w:eastAsia=\"{}\" w:cs=\"{l}\"/>",
            esc(ea)
        )
    }

    fn size(&self, key: &str) -> String {
        let s = self.role(key).half_points;
        format!("<w:sz w:val=\"{s}\"/><w:szCs w:val=\"{s}\"/>")
    }
}

/// The Word renderer.
pub struct Docx;

impl super::Renderer for Docx {
    fn name(&self) -> &'static str {
        "docx"
    }

    fn render(&self, doc: &Document, _ctx: &super::Context) -> Result<super::Output, Vec<Diagnostic>> {
        render(doc).map(super::Output::bytes).map_err(|e| {
            vec![Diagnostic::new(codes::OUTPUT, format!("无法生成 Word 文件：{e}")).note("这是 gxgen 的缺陷，请报告")]
        })
    }
}

/// The package's parts, in the order they are written.
pub fn parts(doc: &Document) -> Vec<(&'static str, String)> {
    let styles = Styles::new(doc);
    let page = Page::official(typography::get());
    vec![
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("docProps/core.xml", core(doc)),
        ("docProps/app.xml", app()),
        ("word/document.xml", body::document(doc, &page)),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_string()),
        ("word/styles.xml", styles_xml(&styles, &page)),
        ("word/settings.xml", SETTINGS.to_string()),
        ("word/fontTable.xml", font_table(&styles)),
        ("word/footer1.xml", footer(&page, true)),
        ("word/footer2.xml", footer(&page, false)),
    ]
}

/// The .docx bytes: the same document gives the same bytes.
pub fn render(doc: &Document) -> Result<Vec<u8>, zip::result::ZipError> {
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::DEFAULT)
        .unix_permissions(0o644);
    for (name, text) in parts(doc) {
        zip.start_file(name, opts)?;
        zip.write_all(text.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const W_NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
                    xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

const CONTENT_TYPES: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">",
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>",
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>",
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>",
    "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>",
    "<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>",
    "<Override PartName=\"/word/fontTable.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>",
    "<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>",
    "<Override PartName=\"/word/footer2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>",
    "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>",
    "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>",
    "</Types>"
);

const ROOT_RELS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>",
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>",
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>",
    "</Relationships>"
);

/// Every relationship of the document is to a part inside the package:
/// no hyperlinks, no remote images, no altChunk.
const DOCUMENT_RELS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>",
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>",
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable\" Target=\"fontTable.xml\"/>",
    "<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>",
    "<Relationship Id=\"rId5\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer2.xml\"/>",
    "</Relationships>"
);

/// Odd and even pages have their own footers; the text snaps to the grid.
const SETTINGS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
    "<w:zoom w:percent=\"100\"/>",
    "<w:defaultTabStop w:val=\"420\"/>",
    "<w:evenAndOddHeaders/>",
    "<w:characterSpacingControl w:val=\"compressPunctuation\"/>",
    "<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>",
    "</w:settings>"
);

fn core(doc: &Document) -> String {
    let mut s = String::from(XML_HEAD);
    s.push_str(
        "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">",
    );
    s.push_str(&format!("<dc:title>{}</dc:title>", esc(&doc.title)));
    s.push_str(&format!("<dc:creator>{}</dc:creator>", esc(&doc.agency)));
    s.push_str(&format!("<cp:keywords>政府信息公开工作年度报告 {} {}</cp:keywords>", doc.year, esc(&doc.agency)));
    s.push_str("<dc:language>zh-CN</dc:language>");
    // Dated by the publication date, as the PDF: never by the clock.
    if let Some(d) = doc.provenance.publish_date {
        s.push_str(&format!("<dcterms:created xsi:type=\"dcterms:W3CDTF\">{d}T00:00:00Z</dcterms:created>"));
    }
    s.push_str("</cp:coreProperties>");
    s
}

fn app() -> String {
    format!(
        "{XML_HEAD}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
         <Application>gxgen {}</Application></Properties>",
        env!("CARGO_PKG_VERSION")
    )
}

/// The paragraph and character styles, by (id, name shown in Word,
/// properties). Normal and Title are Word's own (中文版 Word and WPS show
/// them as 正文 and 标题), so they are what an office restyles.
fn styles_xml(st: &Styles, page: &Page) -> String {
    let pitch = page.line_pitch;
    let ch = page.char_twips;
    let no_indent = "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>";
    let exact = format!("<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"{pitch}\" w:lineRule=\"exact\"/>");
    let single =
        "<w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>";
    // Table text: lines 1.25 times 五号 apart, as the PDF's cells.
    let table_line = format!(
        "<w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"{}\" w:lineRule=\"exact\"/>",
        page.table_em * 5 / 4
    );
    let mut s = String::from(XML_HEAD);
    s.push_str(&format!("<w:styles {W_NS}>"));
    s.push_str(&format!(
        "<w:docDefaults><w:rPrDefault><w:rPr>{}<w:kern w:val=\"2\"/>{}\
         <w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr>{exact}</w:pPr></w:pPrDefault></w:docDefaults>",
        st.fonts("body"),
        st.size("body")
    ));
    // (type, id, name, basedOn, next, flags, pPr, rPr)
    // The title's lines 1.6 times its size apart (half-points × 10 × 1.6).
    let title_line = (st.role("title").half_points * 16).max(pitch);
    let defs: Vec<(&str, &str, &str, &str, &str, String, String)> = vec![
        (
            "paragraph",
            style::BODY,
            "Normal",
            "",
            "",
            // Lines 28.95 pt apart and characters condensed to 28 a line
            // match the grid without snapping to it: LibreOffice (7.4)
            // breaks lines that snap to a character grid after 13 to 15
            // characters; Word and WPS set the same 22 × 28 either way. No
            // extra space between Chinese and Latin letters or digits, as
            // in the PDF (cjk-latin-spacing: none).
            format!(
                "<w:autoSpaceDE w:val=\"0\"/><w:autoSpaceDN w:val=\"0\"/><w:snapToGrid w:val=\"0\"/>\
                 <w:ind w:firstLineChars=\"200\" w:firstLine=\"{}\"/><w:jc w:val=\"both\"/>",
                2 * ch
            ),
            format!("{}<w:spacing w:val=\"-{}\"/>{}", st.fonts("body"), page.condense, st.size("body")),
        ),
        (
            "paragraph",
            style::TITLE,
            "Title",
            style::BODY,
            style::BODY,
            format!(
                "<w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"{}\" w:line=\"{title_line}\" w:lineRule=\"exact\"/>{no_indent}<w:jc w:val=\"center\"/>",
                // Two lines below the title, measured as the PDF measures
                // them: from the last line's baseline, not its line box.
                (2 * pitch).saturating_sub(title_line - st.role("title").half_points * 10)
            ),
            format!("{}<w:spacing w:val=\"0\"/>{}", st.fonts("title"), st.size("title")),
        ),
        (
            "paragraph",
            style::HEADING,
            "一级标题",
            style::BODY,
            style::BODY,
            "<w:keepNext/><w:outlineLvl w:val=\"0\"/>".to_string(),
            format!("{}{}", st.fonts("heading"), st.size("heading")),
        ),
        (
            "paragraph",
            style::SUBHEADING,
            "二级标题",
            style::BODY,
            style::BODY,
            "<w:keepNext/><w:outlineLvl w:val=\"1\"/>".to_string(),
            format!("{}{}", st.fonts("subheading"), st.size("subheading")),
        ),
        (
            "paragraph",
            style::MINOR_HEADING,
            "三级标题",
            style::BODY,
            style::BODY,
            "<w:keepNext/><w:outlineLvl w:val=\"2\"/>".to_string(),
            format!("{}{}", st.fonts("heading"), st.size("heading")),
        ),
        ("paragraph", style::LIST, "列表", style::BODY, "", no_indent.to_string(), String::new()),
        ("paragraph", style::QUOTE, "引文", style::BODY, "", no_indent.to_string(), String::new()),
        (
            "paragraph",
            style::TABLE_TEXT,
            "表格文字",
            style::BODY,
            "",
            format!(
                "{table_line}<w:ind w:left=\"0\" w:right=\"0\" w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/>"
            ),
            format!("{}<w:spacing w:val=\"0\"/><w:kern w:val=\"0\"/>{}", st.fonts("table"), st.size("table")),
        ),
        (
            "paragraph",
            style::SIGNATURE,
            "落款",
            style::BODY,
            "",
            format!("{no_indent}<w:jc w:val=\"right\"/>"),
            String::new(),
        ),
        (
            "paragraph",
            style::FOOTER,
            "footer",
            style::BODY,
            "",
            format!("{single}{no_indent}"),
            format!(
                "{}<w:spacing w:val=\"0\"/><w:sz w:val=\"{fs}\"/><w:szCs w:val=\"{fs}\"/>",
                st.fonts("table"),
                fs = FOOTER_PT as u32 * 2
            ),
        ),
    ];
    s.push_str(
        "<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/>\
         <w:uiPriority w:val=\"1\"/><w:semiHidden/><w:unhideWhenUsed/></w:style>\
         <w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>\
         <w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/>\
         <w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>\
         <w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>",
    );
    for (ty, id, name, based, next, ppr, rpr) in defs {
        let default = if id == style::BODY { " w:default=\"1\"" } else { "" };
        s.push_str(&format!("<w:style w:type=\"{ty}\"{default} w:styleId=\"{id}\"><w:name w:val=\"{name}\"/>"));
        if !based.is_empty() {
            s.push_str(&format!("<w:basedOn w:val=\"{based}\"/>"));
        }
        if !next.is_empty() {
            s.push_str(&format!("<w:next w:val=\"{next}\"/>"));
        }
        s.push_str("<w:qFormat/>");
        if !ppr.is_empty() {
            s.push_str(&format!("<w:pPr>{ppr}</w:pPr>"));
        }
        if !rpr.is_empty() {
            s.push_str(&format!("<w:rPr>{rpr}</w:rPr>"));
        }
        s.push_str("</w:style>");
    }
    // Strong in 黑体 and emphasis in 楷体, as in the PDF: other fonts, not a
    // synthesised bold or italic.
    for (id, name, role) in [(style::STRONG, "Strong", "heading"), (style::EMPH, "Emphasis", "subheading")] {
        s.push_str(&format!(
            "<w:style w:type=\"character\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/><w:basedOn w:val=\"DefaultParagraphFont\"/>\
             <w:qFormat/><w:rPr>{}</w:rPr></w:style>",
            st.fonts(role)
        ));
    }
    s.push_str("</w:styles>");
    s
}

/// Every font the styles name, each first name with its fallback as
/// `w:altName` (Word and WPS substitute it when the first is missing).
fn font_table(st: &Styles) -> String {
    let mut s = String::from(XML_HEAD);
    s.push_str(&format!("<w:fonts {W_NS}>"));
    let mut seen: Vec<&str> = Vec::new();
    s.push_str(&format!(
        "<w:font w:name=\"{}\"><w:charset w:val=\"00\"/><w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/></w:font>",
        esc(&st.latin)
    ));
    seen.push(&st.latin);
    for (_, r) in &st.roles {
        for (i, n) in r.names.iter().enumerate() {
            if seen.contains(&n.as_str()) {
                continue;
            }
            seen.push(n);
            s.push_str(&format!("<w:font w:name=\"{}\">", esc(n)));
            if let Some(alt) = r.names.get(i + 1) {
                s.push_str(&format!("<w:altName w:val=\"{}\"/>", esc(alt)));
            }
            s.push_str("<w:charset w:val=\"86\"/><w:family w:val=\"auto\"/><w:pitch w:val=\"variable\"/></w:font>");
        }
    }
    s.push_str("</w:fonts>");
    s
}

/// "— N —" in 4号 宋体, a PAGE field: odd pages at the right, even pages at
/// the left, one character in from the edge of the text block.
fn footer(page: &Page, odd: bool) -> String {
    let ind = if odd { "right" } else { "left" };
    let jc = if odd { "right" } else { "left" };
    let one = page.footer_em;
    format!(
        "{XML_HEAD}<w:ftr {W_NS}><w:p><w:pPr><w:pStyle w:val=\"{}\"/><w:ind w:{ind}Chars=\"100\" w:{ind}=\"{one}\"/>\
         <w:jc w:val=\"{jc}\"/></w:pPr>\
         <w:r><w:t xml:space=\"preserve\">— </w:t></w:r>\
         <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
         <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
         <w:r><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>",
        style::FOOTER
    )
}
