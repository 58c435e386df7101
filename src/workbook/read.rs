//! Reading a report workbook back: every sheet through calamine (under
//! `catch_unwind`, as the workspace's sheet reader does), the labels of
//! each table checked against the format's (retyped ones matched by the
//! importer's label matching, with a warning), and the figures written out
//! as the report's YAML: one line per cell, each line naming its place as
//! Excel shows it (`三、收到和处理政府信息公开申请情况!E12`) and the cell's official
//! row and column labels, so that every diagnostic the loader and the rules
//! give points at the sheet and cell. Totals that are formulas are left
//! out (gxgen computes them from the data cells); their cached values are
//! kept to say when they disagree.

use std::collections::HashMap;

use super::{INFO_ROWS, INFO_SHEET, KIND_NAMES, SheetLayout, cell_name, layouts, total_formulas};
use crate::compose::CellRole;
use crate::diag::{Diagnostic, codes};
use crate::format::{self, Format};
use crate::import::suggest::{LabelMatch, workbook_label};
use crate::writer::{quote, with_comment};

/// The largest report workbook read (one report's is about 20 KB).
pub const MAX_BYTES: u64 = 16 * 1024 * 1024;

/// A workbook as read: its sheets, each cell as text, and the formulas.
#[derive(Debug, Default)]
pub struct Book {
    pub sheets: Vec<Sheet>,
}

#[derive(Debug, Default)]
pub struct Sheet {
    pub name: String,
    pub values: HashMap<(u32, u16), String>,
    pub formulas: HashMap<(u32, u16), String>,
}

impl Sheet {
    fn text(&self, row: u32, col: u16) -> &str {
        self.values.get(&(row, col)).map_or("", |s| s.trim())
    }

    /// The used range as rows of text, from its first used row and column
    /// (as calamine's range gives them).
    pub fn rows(&self) -> Vec<Vec<String>> {
        let (Some(r0), Some(r1)) = (self.values.keys().map(|k| k.0).min(), self.values.keys().map(|k| k.0).max())
        else {
            return Vec::new();
        };
        let c0 = self.values.keys().map(|k| k.1).min().unwrap_or(0);
        let c1 = self.values.keys().map(|k| k.1).max().unwrap_or(0);
        (r0..=r1).map(|r| (c0..=c1).map(|c| self.values.get(&(r, c)).cloned().unwrap_or_default()).collect()).collect()
    }
}

impl Book {
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        let n = fold(name);
        self.sheets.iter().find(|s| fold(&s.name) == n)
    }
}

/// The most a report workbook may inflate to, all its parts together,
/// measured while inflating (a small zip must not expand to gigabytes).
pub const MAX_INFLATED_BYTES: u64 = 64 * 1024 * 1024;

/// Parse workbook bytes. A panic in the parser (a dependency fed hostile
/// bytes) is a damaged-file message, never a crash.
pub fn open(bytes: Vec<u8>) -> Result<Book, String> {
    inflated_within_limit(&bytes)?;
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parse(bytes)))
        .unwrap_or_else(|_| Err("文件已损坏，无法解析（请用 Excel 或 WPS 打开后另存为 .xlsx 再试）".into()))
}

/// Inflate every part of the zip once, counting, before the parser sees it.
fn inflated_within_limit(bytes: &[u8]) -> Result<(), String> {
    use std::io::Read;
    // Not a zip: the parser says what it is not.
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else { return Ok(()) };
    let mut total = 0u64;
    for i in 0..zip.len() {
        let Ok(mut part) = zip.by_index(i) else { continue };
        let n = std::io::copy(&mut (&mut part).take(MAX_INFLATED_BYTES - total + 1), &mut std::io::sink()).unwrap_or(0);
        total += n;
        if total > MAX_INFLATED_BYTES {
            return Err(format!("解压后超过上限 {} MiB，拒绝读取", MAX_INFLATED_BYTES >> 20));
        }
    }
    Ok(())
}

fn parse(bytes: Vec<u8>) -> Result<Book, String> {
    use calamine::{Data, Reader, open_workbook_auto_from_rs};
    let mut wb = open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut book = Book::default();
    for name in wb.sheet_names() {
        let mut sheet = Sheet { name: name.clone(), ..Sheet::default() };
        let range = wb.worksheet_range(&name).map_err(|e| e.to_string())?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, row) in range.rows().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let text = match v {
                    Data::Empty => continue,
                    Data::String(s) => s.clone(),
                    Data::Int(i) => i.to_string(),
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                    Data::Float(f) => format!("{f}"),
                    Data::Bool(b) => b.to_string(),
                    Data::DateTime(d) => {
                        crate::model::Date::from_unix_days(d.as_f64().floor() as i64 - 25_569).to_string()
                    }
                    Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                    Data::Error(e) => format!("#{e:?}"),
                };
                sheet.values.insert((r0 + r as u32, (c0 as usize + c) as u16), text);
            }
        }
        if let Ok(f) = wb.worksheet_formula(&name) {
            let (r0, c0) = f.start().unwrap_or((0, 0));
            for (r, row) in f.rows().enumerate() {
                for (c, v) in row.iter().enumerate() {
                    if !v.trim().is_empty() {
                        sheet.formulas.insert((r0 + r as u32, (c0 as usize + c) as u16), v.clone());
                    }
                }
            }
        }
        book.sheets.push(sheet);
    }
    Ok(book)
}

/// Width, spaces and case folded, for comparing labels and sheet names.
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '：' => ':',
            '，' => ',',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// A formula as compared: no `=`, `$`, spaces or sheet quotes, upper case.
fn fold_formula(s: &str) -> String {
    s.trim_start_matches('=').chars().filter(|c| !c.is_whitespace() && *c != '$').collect::<String>().to_uppercase()
}

/// What reading found, at a line of the YAML written for the workbook.
#[derive(Debug)]
pub struct Finding {
    pub line: usize,
    pub diagnostic: Diagnostic,
}

/// A workbook read as the report's YAML.
#[derive(Debug, Default)]
pub struct Reading {
    pub yaml: String,
    /// The place of each line that holds a cell: `'sheet'!E12` and labels.
    pub places: HashMap<usize, String>,
    pub findings: Vec<Finding>,
    /// Totals given as formulas: (cell, the value the file had cached, line).
    pub cached: Vec<(usize, String, usize)>,
    /// The format the workbook was read with.
    pub format: Option<&'static Format>,
    /// The line of each cell (format index) in the YAML.
    pub cells: HashMap<usize, usize>,
    lines: usize,
}

impl Reading {
    fn line(&mut self, text: &str) -> usize {
        self.yaml.push_str(text);
        self.yaml.push('\n');
        self.lines += 1;
        self.lines - 1
    }

    fn find(&mut self, line: usize, d: Diagnostic) {
        self.findings.push(Finding { line, diagnostic: d });
    }
}

/// The place of a cell as a message names it: `三、…情况!E12（行「…」，列「…」）`.
pub fn place_text(format: &Format, sheet: &str, row: u32, col: u16, cell: usize) -> String {
    let c = &format.cells[cell];
    let mut s = format!("{sheet}!{}", cell_name(row, col));
    let rows = c.row_labels.join(" › ");
    let cols = c.col_labels.join(" › ");
    match (rows.is_empty(), cols.is_empty()) {
        (false, false) => s.push_str(&format!("（行「{rows}」，列「{cols}」）")),
        (true, false) => s.push_str(&format!("（「{cols}」）")),
        _ => {}
    }
    s
}

/// Read `book` as report YAML. `narrative` names the file of each
/// narrative part of a format (key, file name).
pub fn to_yaml(book: &Book, shown: &str, narrative: impl Fn(&Format) -> Vec<(String, String)>) -> Reading {
    let mut out = Reading::default();
    out.line(&format!("# 由工作簿 {shown} 读出：每一行是一个单元格（工作表!单元格）"));
    let Some(info) = book.sheet(INFO_SHEET) else {
        let l = out.line("meta: {}");
        let names: Vec<String> = book.sheets.iter().map(|s| format!("“{}”", s.name)).collect();
        out.find(
            l,
            Diagnostic::new(codes::WB_SHEET_MISSING, format!("工作簿 {shown} 没有“{INFO_SHEET}”工作表"))
                .note(format!("工作簿中的工作表：{}", names.join("、")))
                .note("报告工作簿用 gxgen new --xlsx 生成；不要删除或改名工作表"),
        );
        return out;
    };
    // 基本信息: column A names the item, column B holds it.
    let mut meta: HashMap<&str, (String, u32)> = HashMap::new();
    let labels: Vec<String> = INFO_ROWS.iter().map(|(_, zh, _)| zh.to_string()).collect();
    let mut rows: Vec<u32> = info.values.keys().filter(|(_, c)| *c == 0).map(|(r, _)| *r).collect();
    rows.sort();
    for r in rows {
        let label = info.text(r, 0);
        let hit = INFO_ROWS.iter().find(|(k, zh, _)| fold(zh) == fold(label) || fold(k) == fold(label)).or_else(|| {
            crate::diag::did_you_mean(label, &labels).and_then(|l| INFO_ROWS.iter().find(|(_, zh, _)| *zh == l))
        });
        if let Some((key, _, _)) = hit {
            meta.entry(key).or_insert((info.text(r, 1).to_string(), r));
        }
    }
    out.line("meta:");
    let info_place = |r: u32| format!("{INFO_SHEET}!B{}", r + 1);
    let mut contact = Vec::new();
    for (key, zh, _) in INFO_ROWS {
        let Some((value, r)) = meta.get(key) else { continue };
        if value.is_empty() || *key == "format" {
            continue;
        }
        let v = match *key {
            "kind" => {
                let k = KIND_NAMES.iter().position(|n| fold(n) == fold(value)).or(match value.as_str() {
                    "部门" | "政府部门" => Some(0),
                    "政府" | "人民政府" => Some(1),
                    "乡镇" | "街道" | "乡镇街道" => Some(2),
                    _ => None,
                });
                quote(k.map_or(value.as_str(), |k| crate::model::AgencyKind::NAMES[k]))
            }
            "year" => value.clone(),
            _ => quote(value),
        };
        let comment = format!("{}，{zh}", info_place(*r));
        if ["address", "postcode", "phone", "fax", "email"].contains(key) {
            contact.push((key, v, comment));
            continue;
        }
        let l = out.line(&with_comment(&format!("  {key}: {v}"), &comment));
        out.places.insert(l, info_place(*r));
    }
    if !contact.is_empty() {
        out.line("  contact:");
        for (key, v, comment) in contact {
            let l = out.line(&with_comment(&format!("    {key}: {v}"), &comment));
            out.places.insert(l, comment);
        }
    }
    let year = meta.get("year").and_then(|(v, _)| v.trim().parse::<i32>().ok());
    let Some(format) = year.and_then(format::for_year) else {
        // The loader says what is wrong with the year; no cells are read.
        return out;
    };
    out.format = Some(format);
    let parts = narrative(format);
    if !parts.is_empty() {
        out.line("narrative:");
        for (key, file) in parts {
            out.line(&format!("  {key}: {}", quote(&file)));
        }
    }
    let sheets = layouts(format);
    let formulas = total_formulas(format, &sheets);
    // Every cell's text and place, in the format's order.
    let mut cells: Vec<(usize, Option<String>, String)> = Vec::new();
    let mut pending: Vec<(usize, Diagnostic)> = Vec::new(); // (cell, finding) placed at the cell's line
    let mut header_findings: Vec<(String, String, Diagnostic)> = Vec::new();
    let mut cached: Vec<(usize, String)> = Vec::new();
    for layout in &sheets {
        let Some(sheet) = book.sheet(&layout.name) else {
            header_findings.push((
                String::new(),
                String::new(),
                Diagnostic::new(codes::WB_SHEET_MISSING, format!("工作簿 {shown} 没有“{}”工作表", layout.name))
                    .note("这张表的数据没有读到；不要删除或改名工作表（用 gxgen new --xlsx 重新生成一份可对照）"),
            ));
            continue;
        };
        check_labels(format, layout, sheet, &mut header_findings);
        let facts_empty = layout.facts.is_some() && layout.data.values().all(|&(r, c)| sheet.text(r, c).is_empty());
        if facts_empty {
            continue;
        }
        let mut data: Vec<(&usize, &(u32, u16))> = layout.data.iter().collect();
        data.sort();
        for (&c, &(r, col)) in data {
            let place = place_text(format, &layout.name, r, col, c);
            let text = sheet.text(r, col).to_string();
            let formula = sheet.formulas.get(&(r, col));
            match (formulas.get(&c), formula) {
                (Some(expected), Some(f)) => {
                    if fold_formula(f) != fold_formula(expected) {
                        pending.push((
                            c,
                            Diagnostic::new(
                                codes::WB_FORMULA_EDITED,
                                format!(
                                    "{place}的合计公式被改成了“={}”，官方的计算关系是“{expected}”",
                                    f.trim_start_matches('=')
                                ),
                            )
                            .note("gxgen 不用工作簿中的公式和它保存的结果，按官方计算关系从各数据单元格重新计算合计")
                            .cell(&format.cells[c].key),
                        ));
                    }
                    cached.push((c, text));
                    cells.push((c, None, place));
                }
                (Some(_), None) if text.is_empty() => cells.push((c, None, place)),
                (None, Some(f)) => {
                    pending.push((
                        c,
                        Diagnostic::new(
                            codes::WB_FORMULA_IN_DATA,
                            format!("{place}填的是公式“={}”，不是数", f.trim_start_matches('=')),
                        )
                        .note("gxgen 不计算数据单元格中的公式，也不采用它保存的结果：请直接填写数字")
                        .cell(&format.cells[c].key),
                    ));
                    cells.push((c, Some(String::new()), place));
                }
                _ => cells.push((c, Some(text), place)),
            }
        }
    }
    cells.sort_by_key(|c| c.0);
    let mut open: Vec<String> = Vec::new();
    let mut line_of: HashMap<usize, usize> = HashMap::new();
    for (cell, value, place) in cells {
        let key = &format.cells[cell].key;
        let segs: Vec<&str> = key.split('.').collect();
        let common = open.iter().zip(&segs).take_while(|(a, b)| a.as_str() == **b).count();
        open.truncate(common);
        for (depth, s) in segs.iter().enumerate().take(segs.len() - 1).skip(common) {
            out.line(&format!("{}{s}:", "  ".repeat(depth)));
            open.push(s.to_string());
        }
        let leaf = format!("{}{}:", "  ".repeat(segs.len() - 1), segs[segs.len() - 1]);
        let line = match value {
            // A total left to gxgen: a comment keeps its place in the listing.
            None => with_comment(
                &format!("{}# {}: 由 gxgen 计算", "  ".repeat(segs.len() - 1), segs[segs.len() - 1]),
                &place,
            ),
            Some(v) if v.is_empty() => with_comment(&leaf, &place),
            Some(v) => with_comment(&format!("{leaf} {}", quote(&v)), &place),
        };
        let l = out.line(&line);
        out.places.insert(l, place);
        line_of.insert(cell, l);
    }
    out.cells = line_of.clone();
    for (c, d) in pending {
        let l = line_of.get(&c).copied().unwrap_or(0);
        out.find(l, d);
    }
    // Each finding about the sheets gets a line of its own: the place and
    // what the sheet holds there.
    for (place, written, d) in header_findings {
        let l = if place.is_empty() { 0 } else { out.line(&format!("# {place}: {}", quote(&written))) };
        if !place.is_empty() {
            out.places.insert(l, place);
        }
        out.find(l, d);
    }
    for (c, v) in cached {
        let l = line_of.get(&c).copied().unwrap_or(0);
        out.cached.push((c, v, l));
    }
    out
}

/// The official labels of a table sheet against what the sheet holds:
/// a retyped label the importer's matching recognises is a warning (read
/// as the official one); one it does not, or one that names another row,
/// is an error (the figures beside it cannot be trusted to be that row's).
fn check_labels(format: &Format, layout: &SheetLayout, sheet: &Sheet, found: &mut Vec<(String, String, Diagnostic)>) {
    let mut out: Vec<Diagnostic> = Vec::new();
    let table_key = match (layout.table, layout.facts) {
        (Some(t), _) => format.tables[t].key.clone(),
        _ => String::new(),
    };
    // Leaf row labels (a row label ending at the last label column) with
    // their row keys, and leaf column labels with their column keys.
    let mut leaf_rows: Vec<(usize, String, String)> = Vec::new();
    let mut leaf_cols: Vec<(usize, String, String)> = Vec::new();
    for (i, p) in layout.placed.iter().enumerate() {
        let key_at = |row: Option<u32>, col: Option<u16>| {
            layout
                .placed
                .iter()
                .filter(|q| q.cell.role == CellRole::Data)
                .find(|q| row.is_none_or(|r| q.row == r) && col.is_none_or(|c| q.col == c))
                .and_then(|q| q.cell.key.as_deref())
                .and_then(|k| format.cell(k))
        };
        match p.cell.role {
            CellRole::RowHeader if p.col + p.cols == layout.label_columns && p.rows == 1 => {
                let key = key_at(Some(p.row), None).map(|c| format.cells[c].row_key.clone()).unwrap_or_default();
                leaf_rows.push((i, p.cell.text.clone(), key));
            }
            CellRole::ColumnHeader => {
                let below = layout.placed.iter().any(|q| {
                    q.cell.role == CellRole::ColumnHeader
                        && q.row == p.row + p.rows
                        && q.col >= p.col
                        && q.col < p.col + p.cols
                });
                if !below {
                    let key = key_at(None, Some(p.col)).map(|c| format.cells[c].col_key.clone()).unwrap_or_default();
                    leaf_cols.push((i, p.cell.text.clone(), key));
                }
            }
            _ => {}
        }
    }
    let rows: Vec<(String, String)> = leaf_rows.iter().map(|(_, t, k)| (t.clone(), k.clone())).collect();
    let cols: Vec<(String, String)> = leaf_cols.iter().map(|(_, t, k)| (t.clone(), k.clone())).collect();
    for (i, p) in layout.placed.iter().enumerate() {
        if p.cell.role == CellRole::Data || p.cell.text.is_empty() {
            continue;
        }
        let written = sheet.text(p.row, p.col);
        if fold(written) == fold(&p.cell.text) {
            continue;
        }
        let place = format!("{}!{}", layout.name, cell_name(p.row, p.col));
        let what = match p.cell.role {
            CellRole::RowHeader => "行名",
            CellRole::ColumnHeader => "列名",
            _ => "表头",
        };
        let (list, rows_kind, at) = if let Some(j) = leaf_rows.iter().position(|(k, _, _)| *k == i) {
            (&rows, true, j)
        } else if let Some(j) = leaf_cols.iter().position(|(k, _, _)| *k == i) {
            (&cols, false, j)
        } else {
            (&Vec::new(), true, 0)
        };
        let single = [(p.cell.text.clone(), String::new())];
        let (cands, at) = if list.is_empty() { (&single[..], 0) } else { (&list[..], at) };
        let before = out.len();
        let hit = if written.is_empty() {
            None
        } else {
            workbook_label(format, &table_key, rows_kind, written, cands, |k| k == at)
        };
        let official = &p.cell.text;
        match hit {
            Some(LabelMatch::Exact(k) | LabelMatch::Repaired(k, _)) if k != at => out.push(
                Diagnostic::new(
                    codes::WB_LABEL_UNKNOWN,
                    format!("{place}的{what}写成了“{written}”，那是另一{}“{}”；这里应是“{official}”", if rows_kind { "行" } else { "列" }, cands[k].0),
                )
                .note("行或列的顺序被改动了，旁边的数不能确定属于哪一项：请恢复官方的行名和顺序（用 gxgen new --xlsx 生成一份可对照）"),
            ),
            Some(LabelMatch::Exact(_)) => out.push(
                Diagnostic::new(codes::WB_LABEL_REPAIRED, format!("{place}的{what}“{written}”与官方写法“{official}”略有不同，已按官方名称读取"))
                    .note("发布的报告按官方名称印出；可以把这个单元格改回官方写法"),
            ),
            Some(LabelMatch::Repaired(_, reasons)) => {
                let why = if reasons.is_empty() { String::new() } else { format!("（{}）", reasons.join("，")) };
                out.push(
                    Diagnostic::new(
                        codes::WB_LABEL_REPAIRED,
                        format!("{place}的{what}被改成了“{written}”，已按官方名称“{official}”读取{why}"),
                    )
                    .note("发布的报告按官方名称印出；可以把这个单元格改回官方写法"),
                );
            }
            None => out.push(
                Diagnostic::new(
                    codes::WB_LABEL_UNKNOWN,
                    format!("{place}的{what}应是“{official}”，工作簿中是“{written}”，认不出是哪一项"),
                )
                .note("旁边的数不能确定属于哪一项：请恢复官方的名称（用 gxgen new --xlsx 生成一份可对照）"),
            ),
        }
        for d in out.drain(before..) {
            found.push((place.clone(), written.to_string(), d));
        }
    }
}
