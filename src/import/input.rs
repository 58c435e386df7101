//! Other inputs than UTF-8 text: GBK/GB18030 files and HTML saved from a
//! government site. Both become the plain text `import_text` reads: an HTML
//! table row becomes one tab-separated line (a merged cell appears once, in
//! its first row, as when a table is copied from a browser), `&nbsp;` cells
//! become blank cells, paragraphs and headings become lines.

use crate::diag::codes;
use scraper::{ElementRef, Html, Node};

use super::Finding;

/// The largest published report `import` and `audit` read, of any kind
/// (text, HTML page, .docx file): 16 MiB. A real report is well under 1 MiB.
pub const MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

/// The largest text a .docx may inflate to (its `word/document.xml`):
/// 64 MiB, checked while inflating, so that a small zip that inflates to
/// gigabytes is refused without using that memory.
pub const MAX_INFLATED_BYTES: u64 = 64 * 1024 * 1024;

/// The deepest element nesting of an HTML page that is read: 500. Real
/// report pages nest a few dozen deep; the tree walk stays far from the
/// stack's end.
pub const MAX_HTML_DEPTH: usize = 500;

/// Elements that never hold others, or that the HTML parser closes by
/// itself; they do not count towards the nesting depth.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "p",
    "li", "td", "th", "tr", "dt", "dd", "option", "!doctype", "!--",
];

/// Read a published report from disk within [`MAX_INPUT_BYTES`] (never
/// more is read into memory); the message in Chinese.
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let shown = crate::source::display_path(path);
    let file = std::fs::File::open(path).map_err(|e| format!("无法读取 {shown}：{e}"))?;
    let meta = file.metadata().map_err(|e| format!("无法读取 {shown}：{e}"))?;
    if !meta.is_file() {
        return Err(format!("{shown} 不是普通文件"));
    }
    let too_big = || format!("{shown} 太大，超过上限 {} MiB，不像一份年度报告", MAX_INPUT_BYTES >> 20);
    if meta.len() > MAX_INPUT_BYTES as u64 {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES as u64 + 1).read_to_end(&mut bytes).map_err(|e| format!("无法读取 {shown}：{e}"))?;
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(too_big());
    }
    Ok(bytes)
}

/// The deepest nesting of elements, read from the tags alone (before the
/// page is parsed): every opening tag of an element that can hold others
/// goes one level down, a closing tag one up.
pub fn html_depth(html: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(off) = bytes[i..].iter().position(|&b| b == b'<') {
        i += off + 1;
        let closing = bytes.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let end = bytes[start..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'!' || *b == b'-'))
            .map_or(bytes.len(), |p| start + p);
        let name = html[start..end].to_ascii_lowercase();
        if !closing && (name == "script" || name == "style") {
            // Their text is not markup: skip to the closing tag.
            let close = format!("</{name}");
            let rest = html[end..].to_ascii_lowercase();
            i = rest.find(&close).map_or(bytes.len(), |p| end + p + close.len());
            continue;
        }
        if name.is_empty() || NOT_NESTING.contains(&name.as_str()) || name.starts_with("!") {
            continue;
        }
        let gt = bytes[end..].iter().position(|&b| b == b'>').map_or(bytes.len(), |p| end + p);
        let self_closing = gt > 0 && bytes.get(gt - 1) == Some(&b'/');
        if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closing {
            depth += 1;
            max = max.max(depth);
        }
        i = gt.min(bytes.len());
    }
    max
}

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
    let f = Finding::new(codes::IMPORT_ENCODING, format!("文件不是 UTF-8，按 {} 编码读取", enc.name()));
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

/// The text of an HTML page's `<title>`, if it has one (read from the tags
/// alone, before parsing).
pub fn html_title(html: &str) -> Option<String> {
    let cut = (0..=html.len().min(64 * 1024)).rev().find(|&i| html.is_char_boundary(i)).unwrap_or(0);
    let lower = html[..cut].to_ascii_lowercase();
    let open = lower.find("<title")?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find("</title")?;
    let t = html.get(start..end)?.replace("&nbsp;", " ");
    let t = t.trim();
    (!t.is_empty()).then(|| t.to_string())
}

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
        // This table's own rows: a row of a table nested in a cell belongs
        // to that table, and a cell holding a table is written as that
        // table after its row (a layout table around the real one), never
        // flattened into one cell — flattening copied the text of every
        // deeper table into every level above it.
        let own = |x: &ElementRef| {
            x.ancestors().filter_map(ElementRef::wrap).find(|a| a.value().name() == "table") == Some(e)
        };
        for tr in e.descendants().filter_map(ElementRef::wrap).filter(|x| x.value().name() == "tr" && own(x)) {
            let mut nested = Vec::new();
            let cells: Vec<String> = tr
                .children()
                .filter_map(ElementRef::wrap)
                .filter(|c| matches!(c.value().name(), "td" | "th"))
                .map(|c| {
                    if c.descendants().filter_map(ElementRef::wrap).any(|d| d.value().name() == "table") {
                        nested.push(c);
                        String::new()
                    } else {
                        cell_text(c)
                    }
                })
                .collect();
            if cells.iter().any(|c| !c.is_empty()) || nested.is_empty() {
                out.push('\t');
                out.push_str(&cells.join("\t"));
                out.push('\n');
            }
            for c in nested {
                walk(c, out);
            }
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
    use crate::input::{ZipFailure, open_zip, zip_member};
    use quick_xml::Reader;
    use quick_xml::events::Event;
    let too_big = || format!("正文（word/document.xml）解压后超过上限 {} MiB，拒绝读取", MAX_INFLATED_BYTES >> 20);
    let failed = |f: ZipFailure| match f {
        ZipFailure::Damaged(e) => e,
        ZipFailure::Missing => "压缩包中没有 word/document.xml".to_string(),
        ZipFailure::TooLarge { .. } => too_big(),
        ZipFailure::TooManyEntries(n) => format!("压缩包中有 {n} 个文件，不像一个 Word 文件"),
    };
    let mut zip = open_zip(bytes).map_err(failed)?;
    // The declared size may lie: the limit is kept while inflating.
    let raw = zip_member(&mut zip, "word/document.xml", MAX_INFLATED_BYTES).map_err(failed)?;
    let xml = String::from_utf8(raw).map_err(|_| "word/document.xml 不是 UTF-8 文本".to_string())?;
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
