//! Spreadsheet agencies: one row per agency, one column per table cell, in
//! CSV (UTF-8) or XLSX. A column is named by its cell key or by its official
//! label path (`三、收到和处理政府信息公开申请情况/一、本年新收政府信息公开申请数量/自然人`),
//! so the sheet an office already circulates can be used.
//!
//! Each row becomes the YAML of a report (with the column headers as
//! comments), checked like any report: a bad cell is a diagnostic that names
//! the file, the row's agency and the column.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::diag::{Diagnostic, codes};
use crate::format::{Format, Owner};
use crate::input::{Input, ReadFailure};
use crate::source::display_path;
use crate::workbook::column_letters;
use crate::writer::quote as yaml_str;

/// Columns for the report's metadata: (key, Chinese header).
const META: &[(&str, &str)] = &[("agency", "机关全称"), ("kind", "机关类型"), ("publish_date", "发布日期")];

/// The header of a cell: its official label path.
pub fn label_path(format: &Format, cell: usize) -> String {
    let c = &format.cells[cell];
    let section = &format.cell_section(cell).label;
    match c.owner {
        Owner::Facts(f) => format!("{section}/{}/{}", format.facts[f].name, c.col_labels.join("/")),
        Owner::Table { .. } if c.row_labels.is_empty() => format!("{section}/{}", c.col_labels.join("/")),
        Owner::Table { .. } => {
            format!("{section}/{}/{}", c.row_labels.join("/"), c.col_labels.last().cloned().unwrap_or_default())
        }
    }
}

/// Fold width and drop spaces, for matching headers people retyped.
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '：' => ':',
            '／' => '/',
            c => c,
        })
        .collect()
}

/// Header → what it names.
enum Column {
    Meta(&'static str),
    Cell(usize),
}

fn columns(format: &Format) -> HashMap<String, Column> {
    let mut m = HashMap::new();
    for (k, zh) in META {
        m.insert(fold(k), Column::Meta(k));
        m.insert(fold(zh), Column::Meta(k));
    }
    for (i, c) in format.cells.iter().enumerate() {
        m.insert(fold(&c.key), Column::Cell(i));
        m.insert(fold(&label_path(format, i)), Column::Cell(i));
    }
    m
}

/// One agency of a sheet, as report YAML.
#[derive(Debug, Clone)]
pub struct Row {
    /// Where it came from, e.g. `乡镇街道.xlsx 工作表“乡镇”第3行（城关镇）`:
    /// a path beside the sheet, used as the report's path and name in every
    /// diagnostic.
    pub path: PathBuf,
    /// The sheet file.
    pub sheet: PathBuf,
    /// The 机关全称 cell.
    pub agency: String,
    pub yaml: String,
}

/// A sheet as read: the worksheet's name (XLSX) and its cells as text,
/// header row first.
pub struct Table {
    pub worksheet: Option<String>,
    pub cells: Vec<Vec<String>>,
}

/// Read a CSV file, or a worksheet of a workbook (the first when none is
/// named).
pub fn read_table(input: &Arc<dyn Input>, path: &Path, worksheet: Option<&str>) -> Result<Table, Diagnostic> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    match ext.as_str() {
        "csv" => {
            if let Some(w) = worksheet {
                return Err(Diagnostic::new(
                    codes::WORKSPACE,
                    format!("{} 是 CSV 文件，没有工作表“{w}”", display_path(path)),
                )
                .note("只有 .xlsx 等工作簿才能用 worksheet 指定工作表"));
            }
            let mut sources = crate::source::Sources::with_input(input.clone());
            let id = crate::load::read::read_text(&mut sources, path).map_err(|e| e.diagnostic())?;
            Ok(Table { worksheet: None, cells: parse_csv(&sources.get(id).text) })
        }
        e if WORKBOOKS.contains(&e) => read_workbook(&**input, path, worksheet),
        _ => Err(Diagnostic::new(
            codes::WORKSPACE,
            format!("不认识的表格文件：{}（支持 .csv 和 .xlsx）", display_path(path)),
        )),
    }
}

/// Unknown headers of one sheet that get a "是不是…" suggestion.
const MAX_SUGGESTED_HEADERS: usize = 20;

/// Workbook file extensions (calamine reads them); besides these, CSV.
const WORKBOOKS: &[&str] = &["xlsx", "xlsm", "xls", "ods"];

/// Whether a path names a spreadsheet gxgen reads.
pub fn is_sheet(path: &str) -> bool {
    let ext = Path::new(path).extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    ext == "csv" || WORKBOOKS.contains(&ext.as_str())
}

/// The largest workbook read (a county's sheet is a few hundred kilobytes).
const MAX_WORKBOOK_BYTES: u64 = 64 * 1024 * 1024;

fn read_workbook(input: &dyn Input, path: &Path, worksheet: Option<&str>) -> Result<Table, Diagnostic> {
    let err = |e: String| Diagnostic::new(codes::WORKSPACE, format!("无法读取表格 {}：{e}", display_path(path)));
    let bytes = input.read(path, MAX_WORKBOOK_BYTES).map_err(|e| {
        err(match e {
            ReadFailure::Io(e) => e.to_string(),
            ReadFailure::NotAFile(_) => "不是普通文件".into(),
            ReadFailure::TooLarge { len } => format!("文件太大（{len} 字节，上限 {MAX_WORKBOOK_BYTES} 字节）"),
        })
    })?;
    // The report workbook's reader: calamine under catch_unwind (the fuzz
    // harness found an arithmetic overflow in calamine on a damaged
    // .xlsx), after every part is inflated and counted.
    let book = crate::workbook::read::open(bytes).map_err(err)?;
    let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
    let sheet = match worksheet {
        Some(w) => book.sheets.iter().find(|s| s.name.trim() == w.trim()).ok_or_else(|| {
            err(format!("没有名为“{w}”的工作表")).note(format!(
                "这个工作簿中的工作表：{}",
                names.iter().map(|n| format!("“{n}”")).collect::<Vec<_>>().join("、")
            ))
        })?,
        None => book.sheets.first().ok_or_else(|| err("没有工作表".into()))?,
    };
    Ok(Table { worksheet: Some(sheet.name.clone()), cells: sheet.rows() })
}

/// RFC 4180 CSV: quotes, doubled quotes, commas and line breaks in quotes.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows.retain(|r| r.iter().any(|f| !f.trim().is_empty()));
    rows
}

type RowsKey = (PathBuf, Option<String>, &'static str);
type Stamp = (u64, Option<std::time::SystemTime>);
/// Rows read this run, by sheet, with the stamp they were read at.
type RowsCache = HashMap<RowsKey, (Stamp, Arc<Vec<Row>>)>;

/// Every agency row of a sheet, as report YAML for `format`. A sheet is
/// read once per process while unchanged on disk: this year's workspace and
/// every agency's look-up of last year's row share it.
pub fn rows(
    input: &Arc<dyn Input>,
    path: &Path,
    worksheet: Option<&str>,
    format: &'static Format,
) -> Result<Arc<Vec<Row>>, Vec<Diagnostic>> {
    static CACHE: OnceLock<Mutex<RowsCache>> = OnceLock::new();
    // Text in memory has no stamp: it is read afresh each time.
    let Some(stamp) = input.stamp(path) else { return read_rows(input, path, worksheet, format).map(Arc::new) };
    let key = (path.to_path_buf(), worksheet.map(str::to_string), format.id.as_str());
    let cache = CACHE.get_or_init(Default::default);
    if let Some((s, rows)) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key)
        && *s == stamp
    {
        return Ok(rows.clone());
    }
    let rows = Arc::new(read_rows(input, path, worksheet, format)?);
    cache.lock().unwrap_or_else(|e| e.into_inner()).insert(key, (stamp, rows.clone()));
    Ok(rows)
}

fn read_rows(
    input: &Arc<dyn Input>,
    path: &Path,
    worksheet: Option<&str>,
    format: &Format,
) -> Result<Vec<Row>, Vec<Diagnostic>> {
    let table = read_table(input, path, worksheet).map_err(|d| vec![d])?;
    let sheet_name = table.worksheet.as_ref().map(|w| format!(" 工作表“{w}”")).unwrap_or_default();
    let Some((header, data)) = table.cells.split_first() else {
        return Err(vec![Diagnostic::new(codes::WORKSPACE, format!("表格 {}{sheet_name} 是空的", display_path(path)))]);
    };
    let cols = columns(format);
    let mut mapped = Vec::new();
    let mut errors = Vec::new();
    for (i, h) in header.iter().enumerate() {
        if h.trim().is_empty() {
            mapped.push(None);
            continue;
        }
        match cols.get(&fold(h)) {
            Some(c) => mapped.push(Some(c)),
            None => {
                let mut d = Diagnostic::new(
                    codes::WORKSPACE,
                    format!(
                        "表格 {}{sheet_name} 第 {} 列的表头“{}”不是 {} 格式的单元格",
                        display_path(path),
                        i + 1,
                        h.trim(),
                        format.id
                    ),
                );
                // Matching a header against every label is the slow part:
                // suggestions for the first few unknown headers, of a
                // label's length, are enough (garbage headers stay fast).
                let suggest = errors.len() < MAX_SUGGESTED_HEADERS && h.chars().count() <= 200;
                if let Some(c) = suggest
                    .then(|| crate::import::suggest::cell_for_header(format, h, |c| label_path(format, c)))
                    .flatten()
                {
                    d = d.note(format!(
                        "是不是“{}”（键 {}）？请改用官方名称或键",
                        label_path(format, c),
                        format.cells[c].key
                    ));
                }
                errors.push(
                    d.note("表头写单元格的键（如 applications.new.natural_person）或官方名称路径；用 gxgen template csv --year 年度 生成带全部表头的空表"),
                );
                mapped.push(None);
            }
        }
    }
    if !mapped.iter().any(|c| matches!(c, Some(Column::Meta("agency")))) {
        errors.push(Diagnostic::new(
            codes::WORKSPACE,
            format!("表格 {}{sheet_name} 没有“机关全称”列", display_path(path)),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut out = Vec::new();
    for (r, values) in data.iter().enumerate() {
        let line = r + 2;
        let get = |name: &str| {
            mapped
                .iter()
                .position(|c| matches!(c, Some(Column::Meta(k)) if *k == name))
                .and_then(|i| values.get(i))
                .map(|s| s.trim().to_string())
        };
        let agency = get("agency").unwrap_or_default();
        let mut y =
            format!("# {}{sheet_name} 第 {line} 行\nmeta:\n  agency: {}\n", display_path(path), yaml_str(&agency));
        if let Some(k) = get("kind").filter(|k| !k.is_empty()) {
            let k = match k.as_str() {
                "部门" | "政府部门" => "department",
                "政府" | "人民政府" | "一级人民政府" => "government",
                "乡镇" | "街道" | "乡镇街道" => "township",
                other => other,
            };
            y.push_str(&format!("  kind: {}\n", yaml_str(k)));
        }
        if let Some(d) = get("publish_date").filter(|d| !d.is_empty()) {
            y.push_str(&format!("  publish_date: {}\n", yaml_str(&d)));
        }
        // Cells, nested by key, in the format's order.
        // Each cell remembers where it is in the sheet, as Excel names it.
        let sheet = table
            .worksheet
            .clone()
            .unwrap_or_else(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default());
        let mut cells: Vec<(usize, String, String)> = Vec::new();
        for (i, c) in mapped.iter().enumerate() {
            if let Some(Column::Cell(cell)) = c {
                cells.push((
                    *cell,
                    values.get(i).map(|s| s.trim().to_string()).unwrap_or_default(),
                    format!("{sheet}!{}{line}，列：{}", column_letters(i), header[i].trim()),
                ));
            }
        }
        cells.sort_by_key(|c| c.0);
        let mut open: Vec<String> = Vec::new();
        for (cell, value, head) in cells {
            let key = &format.cells[cell].key;
            let segs: Vec<&str> = key.split('.').collect();
            let common = open.iter().zip(&segs).take_while(|(a, b)| a.as_str() == **b).count();
            open.truncate(common);
            for (depth, s) in segs.iter().enumerate().take(segs.len() - 1).skip(common) {
                y.push_str(&format!("{}{s}:\n", "  ".repeat(depth)));
                open.push(s.to_string());
            }
            let v = if value.is_empty() { String::new() } else { format!(" {}", yaml_str(&value)) };
            let line = format!("{}{}:{v}", "  ".repeat(segs.len() - 1), segs[segs.len() - 1]);
            y.push_str(&crate::writer::with_comment(&line, &head));
            y.push('\n');
        }
        // A name beside the sheet that says where the row is; path
        // separators in an agency's name must not make folders of it.
        let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let who = if agency.is_empty() { String::new() } else { format!("（{agency}）") };
        let name = format!("{file}{sheet_name} 第{line}行{who}").replace(['/', '\\'], "／");
        out.push(Row { path: path.with_file_name(name), sheet: path.to_path_buf(), agency, yaml: y });
    }
    Ok(out)
}

/// An empty sheet for `format`: every column in official order.
pub fn template_header(format: &Format) -> Vec<String> {
    let mut h: Vec<String> = META.iter().map(|(_, zh)| zh.to_string()).collect();
    h.extend((0..format.cells.len()).map(|i| label_path(format, i)));
    h
}

pub fn write_csv(header: &[String]) -> Vec<u8> {
    // A byte-order mark, so that Excel on Windows reads UTF-8.
    let mut s = String::from("\u{feff}");
    let line: Vec<String> = header
        .iter()
        .map(|h| if h.contains([',', '"', '\n']) { format!("\"{}\"", h.replace('"', "\"\"")) } else { h.clone() })
        .collect();
    s.push_str(&line.join(","));
    s.push_str("\r\n");
    s.into_bytes()
}

pub fn write_xlsx(header: &[String]) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format as XFormat, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("各单位").map_err(|e| e.to_string())?;
    let bold = XFormat::new().set_bold().set_text_wrap();
    for (i, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, h, &bold).map_err(|e| e.to_string())?;
        ws.set_column_width(i as u16, if i == 0 { 28 } else { 14 }).map_err(|e| e.to_string())?;
    }
    ws.set_freeze_panes(1, 1).map_err(|e| e.to_string())?;
    wb.save_to_buffer().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn excel_column_letters() {
        let l: Vec<String> = [0, 25, 26, 51, 52, 701, 702].into_iter().map(crate::workbook::column_letters).collect();
        assert_eq!(l, ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]);
    }
}
