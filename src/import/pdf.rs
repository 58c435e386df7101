//! A PDF written by gxgen, read back through the report's data attached to
//! it (`gxgen-data.json`, the JSON the HTML page carries): every cell
//! exactly, without reading the printed text. Any other PDF is refused with
//! one diagnostic saying to import the HTML page or .docx file instead.
//!
//! The reader is deliberately small: it follows the attachment's file
//! specification (found by its name) to the embedded file stream and
//! inflates that one stream within [`input::MAX_INFLATED_BYTES`]. A general
//! PDF parser (lopdf) would load and inflate every object and object stream
//! of a hostile file without a bound; gxgen's own PDFs keep the file
//! specification and the stream as plain objects, which is all this needs.

use std::io::Read as _;

use serde_json::Value;

use super::tables::Read;
use super::{Finding, Imported, Options, emit, input};
use crate::diag::codes;
use crate::format::{self, Kind, MoneyUnit};
use crate::value::{CellValue, Decimal};

/// The attachment's name, as the PDF renderer writes it
/// (`render::pdf::ATTACHMENT`; import may not use render, so it is repeated
/// here, and `tests/suite/pdf.rs` reads every example's PDF back).
const ATTACHMENT: &str = "gxgen-data.json";

/// Whether the bytes are a PDF file.
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-")
}

/// Import a PDF: through gxgen's attached data, or one refusal.
pub fn import(bytes: &[u8], options: &Options) -> Imported {
    let data = match attachment(bytes) {
        Ok(Some(d)) => d,
        Ok(None) => {
            return refused(
                codes::IMPORT_PDF_NOT_GXGEN,
                "这个 PDF 中没有 gxgen 嵌入的报告数据：gxgen import 目前只读 gxgen 生成的 PDF".into(),
            );
        }
        Err(why) => return refused(codes::IMPORT_PDF_DATA, format!("PDF 中嵌入的报告数据无法读取：{why}")),
    };
    let text = String::from_utf8_lossy(&data).into_owned();
    let json: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => return refused(codes::IMPORT_PDF_DATA, format!("PDF 中嵌入的报告数据不是有效的 JSON：{e}")),
    };
    match from_json(&json, options) {
        Ok(mut imported) => {
            imported.text = text;
            imported
        }
        Err(why) => refused(codes::IMPORT_PDF_DATA, format!("PDF 中嵌入的报告数据不完整：{why}")),
    }
}

fn refused(code: &'static str, message: String) -> Imported {
    let mut imported = super::refused(message);
    imported.findings[0].code = code;
    imported
}

/// The report built from the attached data: every cell as it was built.
fn from_json(json: &Value, options: &Options) -> Result<Imported, String> {
    let generator = json["generator"].as_str().unwrap_or_default();
    if !generator.starts_with("gxgen") {
        return Err("没有 generator: gxgen".into());
    }
    let id = json["format"].as_str().ok_or("没有 format")?;
    let format = format::by_id(id).ok_or_else(|| format!("不认识的格式“{id}”"))?;
    let agency = options.agency.clone().or_else(|| json["agency"].as_str().map(str::to_string)).ok_or("没有 agency")?;
    let year = json["year"].as_i64().and_then(|y| i32::try_from(y).ok()).ok_or("没有 year")?;
    let publish_date = json["publish_date"].as_str();
    let cells_json = json["cells"].as_object().ok_or("没有 cells")?;
    let mut cells = Vec::with_capacity(format.cells.len());
    for def in &format.cells {
        let v = cells_json.get(&def.key).unwrap_or(&Value::Null);
        let read = match (v, &def.kind) {
            (Value::Null, _) => Read::Blank(String::new()),
            (Value::Number(n), Kind::Count | Kind::Signed) => {
                let n = n.as_i64().ok_or_else(|| format!("{} 不是整数", def.key))?;
                Read::Value(CellValue::count(Decimal::parse(&n.to_string()).ok_or("数字无效")?))
            }
            (Value::String(s), Kind::Money(unit)) => {
                let number = Decimal::parse(s).ok_or_else(|| format!("{} 的金额“{s}”无效", def.key))?;
                let unit = match unit {
                    MoneyUnit::Fixed(_) => None,
                    MoneyUnit::InCell(_) => json["units"][&def.key].as_str().map(str::to_string),
                };
                Read::Value(CellValue { number, unit })
            }
            _ => return Err(format!("{} 的值类型不对", def.key)),
        };
        cells.push(read);
    }
    let title = format.title.replace("{agency}", &agency).replace("{year}", &year.to_string());
    let kind = super::meta::kind_of(&agency);
    let notes = vec!["数字来自 gxgen 生成的 PDF 中嵌入的报告数据（与原报告完全相同）；正文没有导入".to_string()];
    let head = emit::Head {
        format,
        title,
        agency: Some((&agency, "PDF 中嵌入的数据")),
        year: Some((year, "PDF 中嵌入的数据")),
        format_note: "PDF 中嵌入的数据",
        kind: Some(kind),
        publish_date,
        narratives: &[],
        notes: &notes,
        left_out: &[],
        row_notes: &[],
    };
    let yaml = emit::yaml(&head, &cells);
    Ok(Imported {
        agency: Some(agency.clone()),
        year: Some(year),
        format_id: Some(format.id.clone()),
        yaml,
        narratives: Vec::new(),
        findings: vec![Finding::new(
            codes::IMPORT_PDF_DATA_READ,
            format!("从 gxgen 嵌入 PDF 的报告数据读取了全部 {} 个单元格；正文没有导入", format.cells.len()),
        )],
        cells,
        text: String::new(),
        past_cut: Vec::new(),
    })
}

/// The attached `gxgen-data.json`, inflated: `Ok(None)` when the PDF has
/// no such attachment.
fn attachment(pdf: &[u8]) -> Result<Option<Vec<u8>>, String> {
    let name = format!("({ATTACHMENT})");
    let Some(at) = find(pdf, name.as_bytes(), 0) else { return Ok(None) };
    // The file specification: `/EF<</F 414 0 R …>>` after the name.
    let end = find(pdf, b"endobj", at).unwrap_or(pdf.len());
    let Some(ef) = find(&pdf[..end], b"/EF", at) else { return Ok(None) };
    let Some(f) = find(&pdf[..end], b"/F", ef + 3) else { return Ok(None) };
    let Some((num, gen_)) = reference(&pdf[f + 2..end]) else { return Ok(None) };
    // The stream object `414 0 obj <<…>> stream … endstream`.
    let head = format!("{num} {gen_} obj");
    let mut from = 0;
    let obj = loop {
        let Some(i) = find(pdf, head.as_bytes(), from) else { return Err("找不到嵌入文件的数据流".into()) };
        if i == 0 || pdf[i - 1].is_ascii_whitespace() {
            break i + head.len();
        }
        from = i + 1;
    };
    let Some(stream) = find(pdf, b"stream", obj) else { return Err("找不到嵌入文件的数据流".into()) };
    let dict = &pdf[obj..stream];
    let length = number_after(dict, b"/Length").ok_or("数据流没有直接写出的长度")?;
    let mut start = stream + b"stream".len();
    if pdf.get(start) == Some(&b'\r') {
        start += 1;
    }
    if pdf.get(start) == Some(&b'\n') {
        start += 1;
    }
    let raw = pdf.get(start..start.saturating_add(length)).ok_or("数据流被截断")?;
    if find(dict, b"/Filter", 0).is_none() {
        return Ok(Some(raw.to_vec()));
    }
    if find(dict, b"/FlateDecode", 0).is_none() {
        return Err("数据流的压缩方式不是 FlateDecode".into());
    }
    let limit = input::MAX_INFLATED_BYTES;
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(raw).take(limit + 1).read_to_end(&mut out).map_err(|e| format!("解压失败：{e}"))?;
    if out.len() as u64 > limit {
        return Err(format!("解压后超过上限 {} MiB", limit >> 20));
    }
    Ok(Some(out))
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|i| i + from)
}

/// `414 0 R` at the start of `s` (after spaces).
fn reference(s: &[u8]) -> Option<(u64, u64)> {
    let text = String::from_utf8_lossy(&s[..s.len().min(40)]).into_owned();
    let mut it = text.split(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>').filter(|t| !t.is_empty());
    let num = it.next()?.parse().ok()?;
    let gen_ = it.next()?.parse().ok()?;
    (it.next()? == "R").then_some((num, gen_))
}

/// The integer after a key in a dictionary (`/Length 1336`), when direct.
fn number_after(dict: &[u8], key: &[u8]) -> Option<usize> {
    let i = find(dict, key, 0)? + key.len();
    let digits: Vec<u8> =
        dict[i..].iter().skip_while(|b| b.is_ascii_whitespace()).take_while(|b| b.is_ascii_digit()).copied().collect();
    let n: usize = std::str::from_utf8(&digits).ok()?.parse().ok()?;
    // An indirect length (`/Length 12 0 R`) is not followed.
    let rest = &dict[i..];
    let after = rest.iter().position(|b| b.is_ascii_digit())? + digits.len();
    let tail: Vec<u8> = rest[after..].iter().take(6).copied().collect();
    if tail.trim_ascii_start().first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    Some(n)
}
