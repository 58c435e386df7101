//! Other inputs than UTF-8 text: GBK/GB18030 files and HTML saved from a
//! government site. Both become the plain text `import_text` reads: an HTML
//! table row becomes one tab-separated line (a merged cell appears once, in
//! its first row, as when a table is copied from a browser), `&nbsp;` cells
//! become blank cells, paragraphs and headings become lines.

use scraper::{ElementRef, Html, Node};

use super::Finding;

/// Decode a file: UTF-8 (with or without BOM), else the charset an HTML page
/// declares, else GB18030 (a superset of GBK and GB2312).
pub fn decode(bytes: &[u8]) -> (String, Option<Finding>) {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_string(), None);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    let label = head.split("charset=").nth(1).map(|r| {
        r.trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect::<String>()
    });
    let enc =
        label.as_deref().and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes())).unwrap_or(encoding_rs::GB18030);
    let (text, _, _) = enc.decode(bytes);
    let f = Finding::new("encoding", format!("文件不是 UTF-8，按 {} 编码读取", enc.name()));
    (text.into_owned(), Some(f))
}

/// Whether the text is an HTML page.
pub fn is_html(text: &str) -> bool {
    let t = text.trim_start().get(..512).unwrap_or(text.trim_start()).to_ascii_lowercase();
    t.starts_with("<!doctype html") || t.starts_with("<html") || (t.starts_with('<') && text.contains("<table"))
}

const BLOCKS: &[&str] = &[
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "header", "footer", "br", "tr",
    "caption", "title",
];
const SKIP: &[&str] = &["script", "style", "head", "noscript", "template"];

/// An HTML page as the plain text of a copied report.
pub fn html_to_text(html: &str) -> String {
    let doc = Html::parse_document(html);
    let mut out = String::new();
    walk(doc.root_element(), &mut out);
    // Collapse runs of blank lines.
    let mut text = String::new();
    let mut blank = 0;
    for line in out.lines() {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

fn cell_text(e: ElementRef) -> String {
    let t: String = e.text().collect::<Vec<_>>().join("");
    let t = t.replace('\u{a0}', " ");
    t.split_whitespace().collect::<Vec<_>>().join("")
}

fn walk(e: ElementRef, out: &mut String) {
    let name = e.value().name();
    if SKIP.contains(&name) {
        return;
    }
    if name == "table" {
        out.push('\n');
        for tr in e.descendants().filter_map(ElementRef::wrap).filter(|x| x.value().name() == "tr") {
            let cells: Vec<String> = tr
                .children()
                .filter_map(ElementRef::wrap)
                .filter(|c| matches!(c.value().name(), "td" | "th"))
                .map(cell_text)
                .collect();
            out.push('\t');
            out.push_str(&cells.join("\t"));
            out.push('\n');
        }
        out.push('\n');
        return;
    }
    let block = BLOCKS.contains(&name);
    if block {
        out.push('\n');
    }
    for child in e.children() {
        match child.value() {
            Node::Text(t) => out.push_str(&t.replace('\u{a0}', " ").replace(['\n', '\r'], "")),
            Node::Element(_) => {
                if let Some(c) = ElementRef::wrap(child) {
                    walk(c, out);
                }
            }
            _ => {}
        }
    }
    if block {
        out.push('\n');
    }
}

/// Whether the bytes are a Word .docx (a zip with word/document.xml).
pub fn is_docx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// A .docx as the plain text of a copied report: paragraphs as lines, a
/// table row per tab-separated line; a cell continuing a vertical merge is
/// left out (the merged cell appears once, in its first row).
pub fn docx_to_text(bytes: &[u8]) -> Result<String, String> {
    use quick_xml::Reader;
    use quick_xml::events::Event;
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut xml = String::new();
    zip.by_name("word/document.xml").map_err(|e| e.to_string())?.read_to_string(&mut xml).map_err(|e| e.to_string())?;
    let mut reader = Reader::from_str(&xml);
    let mut out = String::new();
    let mut para = String::new();
    let mut cell = String::new();
    let mut row: Vec<String> = Vec::new();
    let mut table_depth = 0;
    let mut in_text = false;
    let mut continued = false;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"tbl" => {
                table_depth += 1;
                out.push('\n');
            }
            Event::Start(e) => match e.local_name().as_ref() {
                b"t" => in_text = true,
                b"tc" => {
                    cell.clear();
                    continued = false;
                }
                b"vMerge" => continued = !vmerge_restarts(&e),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                b"vMerge" => continued = !vmerge_restarts(&e),
                b"br" | b"cr" => para.push('\n'),
                b"tab" => para.push('\t'),
                _ => {}
            },
            Event::Text(t) if in_text => {
                let s = t.decode().map_err(|e| e.to_string())?;
                para.push_str(&quick_xml::escape::unescape(&s).map_err(|e| e.to_string())?);
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => {
                    let p = std::mem::take(&mut para);
                    if table_depth > 0 {
                        cell.push_str(p.trim());
                    } else {
                        out.push_str(p.trim_end());
                        out.push('\n');
                    }
                }
                b"tc" if !continued => {
                    row.push(std::mem::take(&mut cell).split_whitespace().collect());
                }
                b"tr" => {
                    out.push('\t');
                    out.push_str(&row.join("\t"));
                    out.push('\n');
                    row.clear();
                }
                b"tbl" => {
                    table_depth -= 1;
                    out.push('\n');
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// `<w:vMerge w:val="restart"/>` starts a merge; a bare `<w:vMerge/>` continues one.
fn vmerge_restarts(e: &quick_xml::events::BytesStart) -> bool {
    e.attributes().flatten().any(|a| a.key.local_name().as_ref() == b"val" && a.value.as_ref() == b"restart")
}
