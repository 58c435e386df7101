//! A narrative part written in Word (`overview: 总体情况.docx`): the .docx
//! is read through the input door, its zip members within the limits of
//! book/src/security.md (the importer's limits), and turned into markdown
//! text that takes the markdown path of every narrative — paragraphs, bold,
//! italic, bullet and numbered lists, （一）-style numbering, Word heading
//! styles, simple tables, line breaks. Each Word paragraph starts a place
//! (`总体情况.docx 第 12 段`) that diagnostics name. Nothing in the file is
//! run or fetched: fields keep the text Word shows, images, text boxes,
//! embedded objects and macros are left out with a hint, and external
//! relationships are never followed.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::input::{ZipFailure, open_zip, zip_member};

/// The largest .docx read as a narrative part (as `gxgen import`): 16 MiB.
pub const MAX_DOCX_BYTES: u64 = 16 * 1024 * 1024;
/// The most `word/document.xml` may inflate to (as `gxgen import`): 64 MiB.
pub const MAX_DOCUMENT_XML: u64 = 64 * 1024 * 1024;
/// The most any other member read (styles, numbering, relationships) may inflate to.
pub const MAX_PART_XML: u64 = 8 * 1024 * 1024;
/// The deepest element nesting read; real documents nest a dozen or two.
pub const MAX_XML_DEPTH: usize = 256;

/// Why a .docx could not be read (GX0921 damaged, GX0922 over a limit).
#[derive(Debug)]
pub enum Failure {
    Damaged(String),
    Limit(String),
}

/// Something left out, for a hint (GX0924) or a warning (GX0923).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Images, text boxes, fields, embedded objects, footnotes, macros:
    /// what, and the paragraph (1-based, 0 for the whole file).
    Ignored { what: &'static str, paragraph: usize },
    /// Relationships to outside the file (linked templates, images, frames).
    External { count: usize, first: String },
}

/// The markdown text of a .docx and where each paragraph starts in it.
#[derive(Debug, Default)]
pub struct Converted {
    pub text: String,
    /// (byte offset in `text`, paragraph number), in order.
    pub paragraphs: Vec<(usize, usize, bool)>,
    pub notices: Vec<Notice>,
}

fn zip_failure(member: &str, f: ZipFailure) -> Failure {
    match f {
        ZipFailure::Damaged(e) => Failure::Damaged(format!("不是完好的 Word 文件（.docx）：{e}")),
        ZipFailure::Missing => Failure::Damaged(format!("压缩包中没有 {member}，不是 Word 文件（.docx）")),
        ZipFailure::TooLarge { limit } => Failure::Limit(format!("{member} 解压后超过上限 {} MiB", limit >> 20)),
        ZipFailure::TooManyEntries(n) => Failure::Limit(format!("压缩包中有 {n} 个文件，不像一个 Word 文件")),
    }
}

/// Convert the bytes of a .docx.
pub fn convert(bytes: &[u8]) -> Result<Converted, Failure> {
    let mut zip = open_zip(bytes).map_err(|f| zip_failure("word/document.xml", f))?;
    let document =
        zip_member(&mut zip, "word/document.xml", MAX_DOCUMENT_XML).map_err(|f| zip_failure("word/document.xml", f))?;
    let optional = |zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, name: &str| -> Result<Option<String>, Failure> {
        match zip_member(zip, name, MAX_PART_XML) {
            Ok(b) => Ok(Some(String::from_utf8_lossy(&b).into_owned())),
            Err(ZipFailure::Missing) => Ok(None),
            Err(f) => Err(zip_failure(name, f)),
        }
    };
    let styles = optional(&mut zip, "word/styles.xml")?.map(|x| read_styles(&x)).transpose()?.unwrap_or_default();
    let numbering =
        optional(&mut zip, "word/numbering.xml")?.map(|x| read_numbering(&x)).transpose()?.unwrap_or_default();
    let names: Vec<String> = zip.file_names().filter_map(|n| n.ok().map(|n| n.into_owned())).collect();
    let mut external = Vec::new();
    for name in names.iter().filter(|n| n.ends_with(".rels")) {
        if let Some(x) = optional(&mut zip, name)? {
            external.extend(external_targets(&x)?);
        }
    }
    let macros = names.iter().any(|n| n.to_ascii_lowercase().ends_with("vbaproject.bin"));
    let xml = String::from_utf8(document).map_err(|_| Failure::Damaged("word/document.xml 不是 UTF-8 文本".into()))?;
    let mut out = Body::new(&styles, &numbering).read(&xml)?;
    if macros {
        out.notices.push(Notice::Ignored { what: "宏（VBA 代码，从不运行）", paragraph: 0 });
    }
    if let Some(first) = external.first() {
        out.notices.push(Notice::External { count: external.len(), first: first.clone() });
    }
    Ok(out)
}

fn attr(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

fn xml_error(e: impl std::fmt::Display) -> Failure {
    Failure::Damaged(format!("XML 有误：{e}"))
}

/// Every element of an XML part, flat, with its depth checked.
fn each_element(xml: &str, mut f: impl FnMut(&BytesStart, bool)) -> Result<(), Failure> {
    let mut reader = Reader::from_str(xml);
    let mut depth = 0usize;
    loop {
        match reader.read_event().map_err(xml_error)? {
            Event::Start(e) => {
                depth += 1;
                if depth > MAX_XML_DEPTH {
                    return Err(too_deep());
                }
                f(&e, true);
            }
            Event::Empty(e) => f(&e, false),
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

fn too_deep() -> Failure {
    Failure::Limit(format!("XML 元素嵌套超过 {MAX_XML_DEPTH} 层"))
}

/// Relationship targets outside the file, other than hyperlinks (a
/// hyperlink's text is kept and its address never opened).
fn external_targets(xml: &str) -> Result<Vec<String>, Failure> {
    let mut out = Vec::new();
    each_element(xml, |e, _| {
        if e.local_name().as_ref() == b"Relationship"
            && attr(e, b"TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("external"))
            && !attr(e, b"Type").unwrap_or_default().ends_with("/hyperlink")
        {
            out.push(attr(e, b"Target").unwrap_or_default().chars().take(80).collect());
        }
    })?;
    Ok(out)
}

#[derive(Debug, Default, Clone)]
struct Style {
    heading: Option<u8>,
    num: Option<(String, usize)>,
}

/// Style id → what it means here: a heading level (`heading 1`, `标题 1`,
/// an outline level) and list numbering.
fn read_styles(xml: &str) -> Result<HashMap<String, Style>, Failure> {
    let mut styles = HashMap::new();
    let mut current: Option<(String, Style)> = None;
    each_element(xml, |e, _| match e.local_name().as_ref() {
        b"style" => {
            if let Some((id, s)) = current.take() {
                styles.insert(id, s);
            }
            current = attr(e, b"styleId").map(|id| (id, Style::default()));
        }
        b"name" => {
            if let Some((_, s)) = current.as_mut() {
                let name = attr(e, b"val").unwrap_or_default().to_lowercase();
                let level = name.strip_prefix("heading ").or_else(|| name.strip_prefix("标题 "));
                if let Some(n) = level.and_then(|l| l.trim().parse::<u8>().ok()) {
                    s.heading = Some(n.clamp(1, 6));
                }
            }
        }
        b"outlineLvl" => {
            if let Some((_, s)) = current.as_mut()
                && let Some(n) = attr(e, b"val").and_then(|v| v.parse::<u8>().ok())
                && n < 9
            {
                s.heading.get_or_insert((n + 1).min(6));
            }
        }
        b"numId" => {
            if let Some((_, s)) = current.as_mut() {
                let id = attr(e, b"val").unwrap_or_default();
                s.num = Some((id, s.num.as_ref().map_or(0, |n| n.1)));
            }
        }
        b"ilvl" => {
            if let Some((_, s)) = current.as_mut() {
                let lvl = attr(e, b"val").and_then(|v| v.parse().ok()).unwrap_or(0);
                s.num = Some((s.num.take().map(|n| n.0).unwrap_or_default(), lvl));
            }
        }
        _ => {}
    })?;
    if let Some((id, s)) = current {
        styles.insert(id, s);
    }
    Ok(styles)
}

#[derive(Debug, Clone, Default)]
struct Level {
    format: String,
    text: String,
    start: usize,
}

#[derive(Debug, Default)]
struct Numbering {
    /// numId → abstractNumId.
    nums: HashMap<String, String>,
    /// abstractNumId → levels by ilvl.
    abstracts: HashMap<String, Vec<Level>>,
}

fn read_numbering(xml: &str) -> Result<Numbering, Failure> {
    let mut n = Numbering::default();
    let mut abstract_id: Option<String> = None;
    let mut num_id: Option<String> = None;
    let mut level: Option<usize> = None;
    each_element(xml, |e, _| match e.local_name().as_ref() {
        b"abstractNum" => {
            abstract_id = attr(e, b"abstractNumId");
            num_id = None;
        }
        b"num" => {
            num_id = attr(e, b"numId");
            abstract_id = None;
        }
        b"abstractNumId" => {
            if let Some(id) = &num_id {
                n.nums.insert(id.clone(), attr(e, b"val").unwrap_or_default());
            }
        }
        b"lvl" => {
            level = attr(e, b"ilvl").and_then(|v| v.parse().ok()).filter(|&l: &usize| l < 9);
            if let (Some(a), Some(l)) = (&abstract_id, level) {
                let levels = n.abstracts.entry(a.clone()).or_default();
                if levels.len() <= l {
                    levels.resize(l + 1, Level { start: 1, ..Level::default() });
                }
            }
        }
        b"start" | b"numFmt" | b"lvlText" => {
            if let (Some(a), Some(l)) = (&abstract_id, level)
                && let Some(lv) = n.abstracts.get_mut(a).and_then(|v| v.get_mut(l))
            {
                let val = attr(e, b"val").unwrap_or_default();
                match e.local_name().as_ref() {
                    b"start" => lv.start = val.parse().unwrap_or(1),
                    b"numFmt" => lv.format = val,
                    _ => lv.text = val,
                }
            }
        }
        _ => {}
    })?;
    Ok(n)
}

impl Numbering {
    fn level(&self, num: &str, ilvl: usize) -> Option<&Level> {
        self.abstracts.get(self.nums.get(num)?)?.get(ilvl)
    }
}

/// `n` written in a Word number format, for labels such as （一）、①.
fn number_text(format: &str, n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match format {
        "chineseCounting" | "chineseCountingThousand" | "chineseLegalSimplified" | "ideographDigital" => {
            let tens = n / 10;
            let ones = n % 10;
            match (tens, ones) {
                (0, o) => DIGITS[o].to_string(),
                (1, 0) => "十".into(),
                (1, o) => format!("十{}", DIGITS[o]),
                (t, 0) if t < 10 => format!("{}十", DIGITS[t]),
                (t, o) if t < 10 => format!("{}十{}", DIGITS[t], DIGITS[o]),
                _ => n.to_string(),
            }
        }
        "ideographTraditional" => ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"]
            .get(n.wrapping_sub(1))
            .map_or(n.to_string(), |s| s.to_string()),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n as u32 - 1).map_or(n.to_string(), |c| c.to_string())
        }
        "lowerLetter" => letter(n, b'a'),
        "upperLetter" => letter(n, b'A'),
        "decimalFullWidth" => n.to_string().chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)).collect(),
        _ => n.to_string(),
    }
}

fn letter(n: usize, base: u8) -> String {
    if n == 0 { "0".into() } else { ((base + ((n - 1) % 26) as u8) as char).to_string() }
}

/// Backslash-escape what markdown would read as markup, so the Word text
/// is printed as written; bytes inside template tags (`{{ }}`, `{% %}`,
/// `{# #}`, `tags[i]`) stay as written: a reference to the tables works in
/// Word as in a .md file.
fn escape(text: &str, tags: &[bool]) -> String {
    let mut s = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let in_tag = tags.get(i).copied().unwrap_or(false);
        if !in_tag && matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '~' | '|' | '#') {
            s.push('\\');
        }
        s.push(c);
    }
    s
}

/// For each byte of `text`, whether it is inside a template tag.
fn template_tags(text: &str) -> Vec<bool> {
    let mut mask = vec![false; text.len()];
    let mut i = 0;
    while let Some(off) = text[i..].find('{') {
        let start = i + off;
        let close = match text[start + 1..].chars().next() {
            Some('{') => "}}",
            Some('%') => "%}",
            Some('#') => "#}",
            _ => {
                i = start + 1;
                continue;
            }
        };
        match text[start + 2..].find(close) {
            Some(e) => {
                let end = start + 2 + e + 2;
                mask[start..end].iter_mut().for_each(|m| *m = true);
                i = end;
            }
            None => break,
        }
    }
    mask
}

/// What would start a block at the beginning of a line: a list marker,
/// a heading underline, a thematic break.
fn escape_line_start(line: &str) -> String {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && matches!(line[digits..].chars().next(), Some('.' | ')')) {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    match line.chars().next() {
        Some('-' | '+' | '=') => format!("\\{line}"),
        _ => line.to_string(),
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Marks {
    bold: bool,
    italic: bool,
}

#[derive(Debug, Default)]
struct Para {
    style: Option<String>,
    num: Option<(String, usize)>,
    heading: Option<u8>,
    /// Runs of text with their marks; `\n` is a line break.
    runs: Vec<(String, Marks)>,
}

impl Para {
    fn push(&mut self, text: &str, marks: Marks) {
        match self.runs.last_mut() {
            Some((t, m)) if *m == marks => t.push_str(text),
            _ => self.runs.push((text.to_string(), marks)),
        }
    }

    /// The paragraph as one markdown line (line breaks as hard breaks).
    fn markdown(&self) -> String {
        let plain: String = self.runs.iter().map(|(t, _)| t.as_str()).collect();
        let tags = template_tags(&plain);
        let mut s = String::new();
        let mut base = 0;
        for (text, marks) in &self.runs {
            let mut at = base;
            for (i, piece) in text.split('\n').enumerate() {
                if i > 0 {
                    s.push_str("\\\n");
                    at += 1;
                }
                let core = piece.trim_matches(|c: char| c == ' ' || c == '\t');
                let lead_len = piece.find(core).unwrap_or(0);
                if core.is_empty() {
                    s.push_str(&" ".repeat(piece.len().min(1)));
                    at += piece.len();
                    continue;
                }
                let mark = match (marks.bold, marks.italic) {
                    (true, true) => "***",
                    (true, false) => "**",
                    (false, true) => "*",
                    (false, false) => "",
                };
                s.push_str(&piece[..lead_len]);
                s.push_str(mark);
                let from = at + lead_len;
                s.push_str(&escape(core, &tags[from.min(tags.len())..]));
                s.push_str(mark);
                s.push_str(&piece[lead_len + core.len()..]);
                at += piece.len();
            }
            base += text.len();
        }
        // Indentation typed as spaces (half- or full-width) is Word layout,
        // not text; markdown would read four spaces as code.
        let s = s.trim_start_matches([' ', '\t', '\u{3000}']).trim_end_matches([' ', '\t', '\u{3000}']);
        s.split('\n').map(|l| escape_line_start(l.trim_start_matches([' ', '\t']))).collect::<Vec<_>>().join("\n")
    }
}

#[derive(Debug, Default)]
struct Table {
    rows: Vec<Vec<String>>,
    row: Vec<String>,
    cell: String,
    span: usize,
    continued: bool,
}

struct Body<'a> {
    styles: &'a HashMap<String, Style>,
    numbering: &'a Numbering,
    out: Converted,
    /// Paragraphs counted so far (the number of the next is this + 1).
    count: usize,
    /// Counters of numbered paragraphs: (numId, ilvl) → last number.
    counters: HashMap<String, Vec<usize>>,
    /// The list (numId) the last block written was an item of: items of
    /// one list stay together.
    in_list: Option<String>,
}

/// Elements whose content is not printed: (local name, what it is, for the hint).
const LEFT_OUT: &[(&[u8], &str)] = &[
    (b"drawing", "图片"),
    (b"pict", "图片"),
    (b"object", "嵌入的对象"),
    (b"txbxContent", "文本框"),
    (b"altChunk", "嵌入的其他文档"),
    (b"footnoteReference", "脚注"),
    (b"endnoteReference", "尾注"),
    (b"instrText", "域代码（只取 Word 显示的结果）"),
    (b"fldSimple", "域代码（只取 Word 显示的结果）"),
];

impl<'a> Body<'a> {
    fn new(styles: &'a HashMap<String, Style>, numbering: &'a Numbering) -> Self {
        Body { styles, numbering, out: Converted::default(), count: 0, counters: HashMap::new(), in_list: None }
    }

    fn notice(&mut self, what: &'static str) {
        let paragraph = self.count + 1;
        if !self.out.notices.iter().any(|n| matches!(n, Notice::Ignored { what: w, .. } if *w == what)) {
            self.out.notices.push(Notice::Ignored { what, paragraph });
        }
    }

    fn read(mut self, xml: &str) -> Result<Converted, Failure> {
        let mut reader = Reader::from_str(xml);
        let mut depth = 0usize;
        // Depth at which skipped content (a deleted run, a text box, a
        // fallback copy) ends.
        let mut skip: Option<usize> = None;
        let mut para: Option<Para> = None;
        let mut tables: Vec<Table> = Vec::new();
        let mut marks = Marks::default();
        let mut in_ppr = false;
        let mut in_rpr = false;
        let mut in_text = false;
        loop {
            let event = reader.read_event().map_err(xml_error)?;
            let (e, empty) = match &event {
                Event::Start(e) => {
                    depth += 1;
                    if depth > MAX_XML_DEPTH {
                        return Err(too_deep());
                    }
                    (Some(e.clone()), false)
                }
                Event::Empty(e) => (Some(e.clone()), true),
                _ => (None, false),
            };
            if let Some(e) = e {
                let name = e.local_name();
                let name = name.as_ref();
                if skip.is_some() {
                    continue;
                }
                if let Some((_, what)) = LEFT_OUT.iter().find(|(n, _)| *n == name) {
                    self.notice(what);
                    // A simple field's result runs are inside it: keep them.
                    if name != b"fldSimple" && name != b"instrText" && !empty {
                        skip = Some(depth);
                    }
                    continue;
                }
                match name {
                    b"del" | b"Fallback" | b"moveFrom" if !empty => skip = Some(depth),
                    b"p" => {
                        para = Some(Para::default());
                        if empty {
                            para = None;
                        }
                    }
                    b"pPr" => in_ppr = !empty,
                    b"rPr" => in_rpr = !empty,
                    b"r" => marks = Marks::default(),
                    b"pStyle" if in_ppr && !in_rpr => {
                        if let Some(p) = para.as_mut() {
                            p.style = attr(&e, b"val");
                        }
                    }
                    b"outlineLvl" if in_ppr && !in_rpr => {
                        if let (Some(p), Some(n)) = (para.as_mut(), attr(&e, b"val").and_then(|v| v.parse::<u8>().ok()))
                            && n < 9
                        {
                            p.heading = Some((n + 1).min(6));
                        }
                    }
                    b"numId" if in_ppr && !in_rpr => {
                        if let Some(p) = para.as_mut() {
                            let id = attr(&e, b"val").unwrap_or_default();
                            p.num = Some((id, p.num.as_ref().map_or(0, |n| n.1)));
                        }
                    }
                    b"ilvl" if in_ppr && !in_rpr => {
                        if let Some(p) = para.as_mut() {
                            let lvl = attr(&e, b"val").and_then(|v| v.parse().ok()).unwrap_or(0usize).min(8);
                            p.num = Some((p.num.take().map(|n| n.0).unwrap_or_default(), lvl));
                        }
                    }
                    b"b" if in_rpr && !in_ppr => marks.bold = on(&e),
                    b"i" if in_rpr && !in_ppr => marks.italic = on(&e),
                    b"t" if !empty => in_text = true,
                    b"tab" if !in_ppr => {
                        if let Some(p) = para.as_mut() {
                            p.push(" ", marks);
                        }
                    }
                    b"br" | b"cr" => {
                        let page = attr(&e, b"type").is_some_and(|t| t == "page" || t == "column");
                        if let (Some(p), false) = (para.as_mut(), page) {
                            p.push("\n", marks);
                        }
                    }
                    b"noBreakHyphen" => {
                        if let Some(p) = para.as_mut() {
                            p.push("-", marks);
                        }
                    }
                    b"tbl" if !empty => {
                        if tables.is_empty() {
                            self.end_list();
                        }
                        tables.push(Table::default());
                    }
                    b"tr" if !empty => {
                        if let Some(t) = tables.last_mut() {
                            t.row.clear();
                        }
                    }
                    b"tc" if !empty => {
                        if let Some(t) = tables.last_mut() {
                            t.cell.clear();
                            t.span = 1;
                            t.continued = false;
                        }
                    }
                    b"gridSpan" => {
                        if let Some(t) = tables.last_mut() {
                            t.span = attr(&e, b"val").and_then(|v| v.parse().ok()).unwrap_or(1usize).clamp(1, 64);
                        }
                    }
                    b"vMerge" => {
                        if let Some(t) = tables.last_mut() {
                            t.continued = attr(&e, b"val").is_none_or(|v| v != "restart");
                        }
                    }
                    _ => {}
                }
                continue;
            }
            match event {
                Event::Text(t) if in_text && skip.is_none() => {
                    let s = t.decode().map_err(xml_error)?;
                    let s = quick_xml::escape::unescape(&s).map_err(xml_error)?;
                    if let Some(p) = para.as_mut() {
                        p.push(&s, marks);
                    }
                }
                Event::GeneralRef(r) if in_text && skip.is_none() => {
                    let name = r.decode().map_err(xml_error)?;
                    let c = match &*name {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        n => n
                            .strip_prefix("#x")
                            .and_then(|h| u32::from_str_radix(h, 16).ok())
                            .or_else(|| n.strip_prefix('#').and_then(|d| d.parse().ok()))
                            .and_then(char::from_u32),
                    };
                    if let (Some(p), Some(c)) = (para.as_mut(), c) {
                        p.push(c.encode_utf8(&mut [0; 4]), marks);
                    }
                }
                Event::End(e) => {
                    let closing = depth;
                    depth = depth.saturating_sub(1);
                    if let Some(d) = skip {
                        if closing == d {
                            skip = None;
                        }
                        continue;
                    }
                    match e.local_name().as_ref() {
                        b"t" => in_text = false,
                        b"pPr" => in_ppr = false,
                        b"rPr" => in_rpr = false,
                        b"p" => {
                            if let Some(p) = para.take() {
                                match tables.last_mut() {
                                    Some(t) => {
                                        let md = p.markdown().replace("\\\n", " ").replace('\n', " ");
                                        if !md.is_empty() {
                                            if !t.cell.is_empty() {
                                                t.cell.push(' ');
                                            }
                                            t.cell.push_str(&md);
                                        }
                                    }
                                    None => self.paragraph(p),
                                }
                            }
                        }
                        b"tc" => {
                            if let Some(t) = tables.last_mut() {
                                let cell = if t.continued { String::new() } else { std::mem::take(&mut t.cell) };
                                t.row.push(cell);
                                for _ in 1..t.span {
                                    t.row.push(String::new());
                                }
                            }
                        }
                        b"tr" => {
                            if let Some(t) = tables.last_mut() {
                                let row = std::mem::take(&mut t.row);
                                t.rows.push(row);
                            }
                        }
                        b"tbl" => {
                            if let Some(t) = tables.pop() {
                                match tables.last_mut() {
                                    // A table inside a cell: its text joins the cell.
                                    Some(outer) => {
                                        let text: Vec<String> =
                                            t.rows.iter().flatten().filter(|c| !c.is_empty()).cloned().collect();
                                        if !outer.cell.is_empty() && !text.is_empty() {
                                            outer.cell.push(' ');
                                        }
                                        outer.cell.push_str(&text.join(" "));
                                    }
                                    None => self.table(t),
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(self.out)
    }

    fn start_block(&mut self, table: bool) {
        self.count += 1;
        let at = self.out.text.len();
        self.out.paragraphs.push((at, self.count, table));
    }

    fn end_list(&mut self) {
        if self.in_list.take().is_some() {
            self.out.text.push('\n');
        }
    }

    fn paragraph(&mut self, p: Para) {
        let style = p.style.as_ref().and_then(|s| self.styles.get(s)).cloned().unwrap_or_default();
        let text = p.markdown();
        let num = p.num.clone().or(style.num.clone()).filter(|(id, _)| !id.is_empty() && id != "0");
        if text.is_empty() {
            return;
        }
        let heading = p.heading.or(style.heading);
        if let Some((id, ilvl)) = num
            && let Some(level) = self.numbering.level(&id, ilvl).cloned()
        {
            let counters = self.counters.entry(id.clone()).or_default();
            if counters.len() <= ilvl {
                counters.resize(ilvl + 1, 0);
            }
            counters[ilvl] = if counters[ilvl] == 0 { level.start } else { counters[ilvl] + 1 };
            for c in counters.iter_mut().skip(ilvl + 1) {
                *c = 0;
            }
            let n = counters[ilvl];
            let own = format!("%{}", ilvl + 1);
            let plain_number = level.text == format!("{own}.") || level.text == format!("{own})");
            let marker = match level.format.as_str() {
                "bullet" => Some("-".to_string()),
                "decimal" if plain_number && heading.is_none() => Some(format!("{n}.")),
                _ => None,
            };
            if let Some(marker) = marker {
                if self.in_list.as_ref() != Some(&id) {
                    self.end_list();
                    self.blank_line();
                }
                self.start_block(false);
                let indent = "    ".repeat(ilvl);
                self.out.text.push_str(&format!("{indent}{marker} {text}\n"));
                self.in_list = Some(id);
                return;
            }
            // （一）、一、①、1. in a heading: the number is part of the text.
            let mut label = level.text.clone();
            for (l, c) in counters.iter().enumerate() {
                let f = self.numbering.level(p.num.as_ref().or(style.num.as_ref()).map_or("", |n| &n.0), l);
                let fmt = f.map_or("decimal", |f| f.format.as_str());
                label = label.replace(&format!("%{}", l + 1), &number_text(fmt, *c));
            }
            let text = format!("{}{}", escape(&label, &[]), text);
            self.block(heading, &text);
            return;
        }
        self.block(heading, &text);
    }

    fn blank_line(&mut self) {
        if !self.out.text.is_empty() && !self.out.text.ends_with("\n\n") {
            self.out.text.push('\n');
        }
    }

    fn block(&mut self, heading: Option<u8>, text: &str) {
        self.end_list();
        self.blank_line();
        self.start_block(false);
        if let Some(h) = heading {
            self.out.text.push_str(&"#".repeat(h as usize));
            self.out.text.push(' ');
            // A heading is one line.
            self.out.text.push_str(&text.replace("\\\n", " "));
        } else {
            self.out.text.push_str(text);
        }
        self.out.text.push('\n');
    }

    fn table(&mut self, t: Table) {
        let width = t.rows.iter().map(Vec::len).max().unwrap_or(0);
        if width == 0 {
            return;
        }
        self.end_list();
        self.blank_line();
        self.start_block(true);
        for (i, row) in t.rows.iter().enumerate() {
            let mut line = String::from("|");
            for c in 0..width {
                let cell = row.get(c).map_or("", String::as_str);
                line.push(' ');
                line.push_str(if cell.is_empty() { " " } else { cell });
                line.push_str(" |");
            }
            self.out.text.push_str(&line);
            self.out.text.push('\n');
            if i == 0 {
                self.out.text.push('|');
                self.out.text.push_str(&"---|".repeat(width));
                self.out.text.push('\n');
            }
        }
    }
}

/// `<w:b/>`, `<w:b w:val="1"/>` are on; `w:val="0"`/`"false"` off.
fn on(e: &BytesStart) -> bool {
    attr(e, b"val").is_none_or(|v| !matches!(v.as_str(), "0" | "false" | "off"))
}
