//! The report workbook: one report as an .xlsx a clerk fills in Excel or
//! WPS. A sheet 基本信息 holds the report's metadata; each mandated table
//! is a sheet laid out exactly as the official table, from the same grid
//! the documents draw (`compose::layout`), so a new format file gets its
//! workbook with no code. Only data cells are unlocked (the sheets are
//! protected without a password); each data cell validates its kind; the
//! totals of the format's sum rules are formulas, which gxgen never trusts:
//! reading a workbook ([`read`]) recomputes them from the data cells.

pub mod read;

use std::collections::HashMap;

use crate::compose::{CellRole, Grid};
use crate::format::{Format, Kind, MoneyUnit, Owner};
use crate::model::{AgencyKind, Contact};

/// The sheet of the report's metadata.
pub const INFO_SHEET: &str = "基本信息";

/// Rows of the 基本信息 sheet: (meta key, label in column A, what to write).
pub const INFO_ROWS: &[(&str, &str, &str)] = &[
    ("agency", "机关全称", "与印章一致的机关全称"),
    ("year", "年度", "报告年度（由 gxgen new 写定，决定表格格式）"),
    ("format", "格式", "国家统一格式（由年度决定，不用改）"),
    ("kind", "机关类型", "政府部门、一级人民政府或乡镇、街道（从下拉列表选）"),
    ("publish_date", "发布日期", "例如 2025-01-20；不写时检查会提示"),
    ("website", "网站", "本报告电子版所在的网站（可不写）"),
    ("address", "联系地址", "可不写"),
    ("postcode", "邮编", "可不写"),
    ("phone", "联系电话", "可不写"),
    ("fax", "传真", "可不写"),
    ("email", "电子邮箱", "可不写"),
];

/// 机关类型 as the workbook writes it, in `AgencyKind` order.
pub const KIND_NAMES: &[&str] = &["政府部门", "一级人民政府", "乡镇、街道"];

/// Rows above a table's grid: the part's heading.
pub const TITLE_ROWS: u32 = 1;

/// One cell of a sheet's grid at its place (0-based row and column).
#[derive(Debug, Clone)]
pub struct Placed {
    pub row: u32,
    pub col: u16,
    pub rows: u32,
    pub cols: u16,
    pub cell: crate::compose::Cell,
}

/// A table's sheet: its name, the grid and where each cell sits.
#[derive(Debug, Clone)]
pub struct SheetLayout {
    pub name: String,
    /// The table (format index), or None for a facts block.
    pub table: Option<usize>,
    pub facts: Option<usize>,
    pub columns: u16,
    pub label_columns: u16,
    pub placed: Vec<Placed>,
    /// Data cells: format cell index → (row, col).
    pub data: HashMap<usize, (u32, u16)>,
}

/// The name Excel shows for a sheet: the section's label (三、收到和处理政府信息公开申请情况),
/// without the characters Excel forbids, at most 31 characters.
pub fn sheet_name(label: &str) -> String {
    let clean: String = label.chars().map(|c| if "[]:*?/\\".contains(c) { '、' } else { c }).collect();
    clean.chars().take(31).collect()
}

/// Every sheet of a format's workbook after 基本信息: one per table, one per
/// facts block, in the order of the report's sections.
pub fn layouts(format: &Format) -> Vec<SheetLayout> {
    let mut out = Vec::new();
    for sec in &format.sections {
        if let Some(t) = sec.table {
            out.push(table_layout(format, t, sheet_name(&sec.label)));
        }
        if let Some(f) = sec.facts {
            let name = if sec.table.is_some() {
                format!("{}（{}）", sec.label, format.facts[f].name)
            } else {
                sec.label.clone()
            };
            out.push(facts_layout(format, f, sheet_name(&name)));
        }
    }
    out
}

fn table_layout(format: &Format, table: usize, name: String) -> SheetLayout {
    let grid = crate::compose::layout(format, table, |_| String::new());
    let (placed, data) = place(format, &grid, TITLE_ROWS);
    SheetLayout {
        name,
        table: Some(table),
        facts: None,
        columns: grid.columns as u16,
        label_columns: grid.label_columns as u16,
        placed,
        data,
    }
}

/// A facts block (信息处理费) as a small table: item, figure, unit.
fn facts_layout(format: &Format, facts: usize, name: String) -> SheetLayout {
    let f = &format.facts[facts];
    let cell = |role, text: &str| crate::compose::Cell {
        role,
        text: text.to_string(),
        rowspan: 1,
        colspan: 1,
        key: None,
        vertical: false,
    };
    let mut placed = vec![Placed { row: TITLE_ROWS, col: 0, rows: 1, cols: 1, cell: cell(CellRole::Corner, &f.name) }];
    placed.push(Placed { row: TITLE_ROWS, col: 1, rows: 1, cols: 1, cell: cell(CellRole::ColumnHeader, "数值") });
    let mut data = HashMap::new();
    let cells: Vec<usize> = (0..format.cells.len()).filter(|&i| format.cells[i].owner == Owner::Facts(facts)).collect();
    for (i, &c) in cells.iter().enumerate() {
        let row = TITLE_ROWS + 1 + i as u32;
        let label = format.cells[c].col_labels.join(" › ");
        placed.push(Placed { row, col: 0, rows: 1, cols: 1, cell: cell(CellRole::RowHeader, &label) });
        let mut d = cell(CellRole::Data, "");
        d.key = Some(format.cells[c].key.clone());
        placed.push(Placed { row, col: 1, rows: 1, cols: 1, cell: d });
        data.insert(c, (row, 1));
    }
    SheetLayout { name, table: None, facts: Some(facts), columns: 2, label_columns: 1, placed, data }
}

/// Places the cells of a grid as an HTML table places them (a cell takes
/// the next free column of its row; spans cover the cells below and right).
fn place(format: &Format, grid: &Grid, top: u32) -> (Vec<Placed>, HashMap<usize, (u32, u16)>) {
    let mut taken: Vec<Vec<bool>> = vec![vec![false; grid.columns]; grid.rows.len()];
    let mut placed = Vec::new();
    let mut data = HashMap::new();
    for (r, row) in grid.rows.iter().enumerate() {
        let mut c = 0;
        for cell in &row.cells {
            while c < grid.columns && taken[r][c] {
                c += 1;
            }
            if c >= grid.columns {
                break;
            }
            for line in taken.iter_mut().skip(r).take(cell.rowspan) {
                for t in line.iter_mut().skip(c).take(cell.colspan) {
                    *t = true;
                }
            }
            let (row, col) = (top + r as u32, c as u16);
            if let Some(i) = cell.key.as_deref().and_then(|k| format.cell(k)) {
                data.insert(i, (row, col));
            }
            placed.push(Placed { row, col, rows: cell.rowspan as u32, cols: cell.colspan as u16, cell: cell.clone() });
            c += cell.colspan;
        }
    }
    (placed, data)
}

/// The letters Excel names a column by: 0 → A, 25 → Z, 26 → AA.
pub fn column_letters(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// A cell's name as Excel shows it: `E12` for row 11, column 4 (0-based).
pub fn cell_name(row: u32, col: u16) -> String {
    format!("{}{}", column_letters(col as usize), row + 1)
}

/// A reference to a cell of another sheet inside a formula.
fn sheet_ref(sheet: &str, row: u32, col: u16) -> String {
    format!("'{}'!{}", sheet.replace('\'', "''"), cell_name(row, col))
}

/// The metadata a workbook holds.
#[derive(Debug, Clone, Default)]
pub struct MetaValues {
    pub agency: String,
    pub year: i32,
    pub kind: Option<AgencyKind>,
    pub publish_date: Option<String>,
    pub website: Option<String>,
    pub contact: Contact,
}

impl MetaValues {
    pub fn of(meta: &crate::model::Meta) -> MetaValues {
        MetaValues {
            agency: meta.agency.value.clone(),
            year: meta.year.value,
            kind: meta.kind.as_ref().map(|k| k.value),
            publish_date: meta.publish_date.as_ref().map(|d| d.value.to_string()),
            website: meta.website.clone(),
            contact: meta.contact.clone(),
        }
    }

    fn get(&self, key: &str, format: &Format) -> Option<String> {
        let c = &self.contact;
        match key {
            "agency" => Some(self.agency.clone()),
            "year" => Some(self.year.to_string()),
            "format" => Some(format!("{}（{}）", format.id, format.document)),
            "kind" => self.kind.map(|k| KIND_NAMES[k as usize].to_string()),
            "publish_date" => self.publish_date.clone(),
            "website" => self.website.clone(),
            "address" => c.address.clone(),
            "postcode" => c.postcode.clone(),
            "phone" => c.phone.clone(),
            "fax" => c.fax.clone(),
            "email" => c.email.clone(),
            _ => None,
        }
    }
}

/// The formula of a total (a sum rule's total), in the cells of the
/// workbook: `=D5+E5+F5` (terms on other sheets named with their sheet).
pub fn total_formulas(format: &Format, sheets: &[SheetLayout]) -> HashMap<usize, String> {
    let mut at: HashMap<usize, (usize, u32, u16)> = HashMap::new();
    for (si, s) in sheets.iter().enumerate() {
        for (&c, &(r, col)) in &s.data {
            at.insert(c, (si, r, col));
        }
    }
    let mut out = HashMap::new();
    for rule in &format.rules {
        let Some(total) = rule.total() else { continue };
        if out.contains_key(&total) || rule.previous {
            continue;
        }
        let Some(&(ts, _, _)) = at.get(&total) else { continue };
        let mut f = String::from("=");
        let mut ok = !rule.right.is_empty();
        for (i, term) in rule.right.iter().enumerate() {
            let crate::format::CellRef::This(c) = term.cell else {
                ok = false;
                break;
            };
            let Some(&(s, r, col)) = at.get(&c) else {
                ok = false;
                break;
            };
            if term.negate {
                f.push('-');
            } else if i > 0 {
                f.push('+');
            }
            if s == ts { f.push_str(&cell_name(r, col)) } else { f.push_str(&sheet_ref(&sheets[s].name, r, col)) }
        }
        if ok {
            out.insert(total, f);
        }
    }
    out
}

/// Write a report workbook for `format`: `values[c]` is the text of cell
/// c as a data file writes it (None: left empty).
pub fn write(format: &Format, meta: &MetaValues, values: &[Option<String>]) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{
        Color, DataValidation, Format as XFormat, FormatAlign, FormatBorder, Formula, ProtectionOptions, Workbook,
    };
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut wb = Workbook::new();
    let border = XFormat::new().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::VerticalCenter);
    let header = border.clone().set_align(FormatAlign::Center).set_bold();
    let label = border.clone();
    let vertical = header.clone().set_rotation(270);
    let title = XFormat::new().set_bold().set_font_size(14);
    let data = border.clone().set_unlocked().set_align(FormatAlign::Center).set_background_color(Color::RGB(0xFFF9E5));
    let signed = data.clone().set_num_format("+0;-0;0");
    let total = border.clone().set_align(FormatAlign::Center).set_background_color(Color::RGB(0xEDEDED));
    let note = XFormat::new().set_font_color(Color::RGB(0x666666)).set_text_wrap();
    let protection = ProtectionOptions {
        format_columns: true,
        format_rows: true,
        select_locked_cells: true,
        select_unlocked_cells: true,
        ..ProtectionOptions::default()
    };

    // 基本信息
    let info_data = border.clone().set_unlocked().set_background_color(Color::RGB(0xFFF9E5));
    let info_fixed = border.clone().set_background_color(Color::RGB(0xEDEDED));
    {
        let ws = wb.add_worksheet();
        ws.set_name(INFO_SHEET).map_err(e)?;
        ws.write_string_with_format(0, 0, "项目", &header).map_err(e)?;
        ws.write_string_with_format(0, 1, "填写内容", &header).map_err(e)?;
        ws.write_string_with_format(0, 2, "说明", &header).map_err(e)?;
        ws.set_column_width(0, 14).map_err(e)?;
        ws.set_column_width(1, 44).map_err(e)?;
        ws.set_column_width(2, 50).map_err(e)?;
        for (i, (key, zh, hint)) in INFO_ROWS.iter().enumerate() {
            let r = 1 + i as u32;
            ws.write_string_with_format(r, 0, *zh, &label).map_err(e)?;
            let fixed = matches!(*key, "year" | "format");
            let fmt = if fixed { &info_fixed } else { &info_data };
            match meta.get(key, format) {
                Some(v) if *key == "year" => ws.write_number_with_format(r, 1, v.parse::<f64>().unwrap_or(0.0), fmt),
                Some(v) => ws.write_string_with_format(r, 1, v, fmt),
                None => ws.write_blank(r, 1, fmt),
            }
            .map_err(e)?;
            ws.write_string_with_format(r, 2, *hint, &note).map_err(e)?;
            if *key == "kind" {
                let v = DataValidation::new()
                    .allow_list_strings(KIND_NAMES)
                    .map_err(e)?
                    .set_error_title("机关类型")
                    .map_err(e)?
                    .set_error_message("请从下拉列表中选择：政府部门、一级人民政府、乡镇、街道")
                    .map_err(e)?;
                ws.add_data_validation(r, 1, r, 1, &v).map_err(e)?;
            }
        }
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        ws.protect_with_options(&protection);
    }

    let sheets = layouts(format);
    let formulas = total_formulas(format, &sheets);
    for s in &sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&s.name).map_err(e)?;
        let heading = match (s.table, s.facts) {
            (Some(t), _) => format.sections[format.tables[t].section].label.clone(),
            (_, Some(f)) => format!("{}：{}", format.sections[format.facts[f].section].label, format.facts[f].name),
            _ => String::new(),
        };
        ws.write_string_with_format(0, 0, &heading, &title).map_err(e)?;
        ws.set_row_height(0, 24).map_err(e)?;
        // Column widths: label columns by their longest single-column text.
        let mut widths = Vec::new();
        for col in 0..s.columns {
            let width = if col < s.label_columns {
                let longest = s
                    .placed
                    .iter()
                    .filter(|p| p.col == col && p.cols == 1 && p.cell.role == CellRole::RowHeader && !p.cell.vertical)
                    .map(|p| p.cell.text.chars().count())
                    .max();
                match longest {
                    None => 5.0,
                    Some(n) => (n as f64 * 2.1 + 2.0).clamp(8.0, 48.0),
                }
            } else {
                12.0
            };
            ws.set_column_width(col, width).map_err(e)?;
            widths.push(width);
        }
        // Row heights: enough lines for the longest wrapped label of each row
        // (a spreadsheet does not grow rows by itself for merged cells).
        let mut heights: HashMap<u32, f64> = HashMap::new();
        for p in s.placed.iter().filter(|p| p.rows == 1 && p.cell.role != CellRole::Data) {
            let room: f64 = widths[p.col as usize..(p.col + p.cols) as usize].iter().sum::<f64>() - 1.0;
            let need: f64 = p.cell.text.chars().map(|c| if c.is_ascii() { 1.0 } else { 2.0 }).sum();
            let lines = (need / room.max(1.0)).ceil().max(1.0);
            let h = heights.entry(p.row).or_insert(15.0);
            *h = h.max(15.0 * lines + 1.0);
        }
        for (r, h) in heights {
            ws.set_row_height(r, h).map_err(e)?;
        }
        for p in &s.placed {
            let (r2, c2) = (p.row + p.rows - 1, p.col + p.cols - 1);
            if p.cell.role == CellRole::Data {
                let Some(c) = p.cell.key.as_deref().and_then(|k| format.cell(k)) else { continue };
                let kind = &format.cells[c].kind;
                let text = values.get(c).cloned().flatten();
                let fmt = if formulas.contains_key(&c) {
                    &total
                } else if *kind == Kind::Signed {
                    &signed
                } else {
                    &data
                };
                if p.cols > 1 {
                    // A part narrower than the table stretches its last cell:
                    // one merged cell, its value written into the first.
                    ws.merge_range(p.row, p.col, r2, c2, "", fmt).map_err(e)?;
                }
                if let Some(f) = formulas.get(&c) {
                    let mut formula = Formula::new(f);
                    if let Some(t) = &text {
                        formula = formula.set_result(t.trim_start_matches('+'));
                    }
                    ws.write_formula_with_format(p.row, p.col, formula, fmt).map_err(e)?;
                } else {
                    match text.as_deref().map(str::trim) {
                        None | Some("") => ws.write_blank(p.row, p.col, fmt),
                        Some(t) => match number(t) {
                            Some(n) => ws.write_number_with_format(p.row, p.col, n, fmt),
                            None => ws.write_string_with_format(p.row, p.col, t, fmt),
                        },
                    }
                    .map_err(e)?;
                    ws.add_data_validation(p.row, p.col, p.row, p.col, &validation(kind).map_err(e)?).map_err(e)?;
                }
                continue;
            }
            let fmt = match p.cell.role {
                _ if p.cell.vertical => &vertical,
                CellRole::RowHeader => &label,
                _ => &header,
            };
            if p.rows > 1 || p.cols > 1 {
                ws.merge_range(p.row, p.col, r2, c2, &p.cell.text, fmt).map_err(e)?;
            } else {
                ws.write_string_with_format(p.row, p.col, &p.cell.text, fmt).map_err(e)?;
            }
        }
        ws.set_freeze_panes(TITLE_ROWS, s.label_columns).map_err(e)?;
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        ws.protect_with_options(&protection);
    }
    wb.save_to_buffer().map_err(e)
}

/// A plain decimal written as a number in the sheet; anything else (a
/// money with its unit) stays text.
fn number(t: &str) -> Option<f64> {
    let d = crate::value::Decimal::parse(t)?;
    if t.contains(',') {
        return None;
    }
    d.to_string().parse().ok()
}

/// The data validation of a cell of `kind`: what Excel/WPS refuses as
/// it is typed (gxgen checks again when it reads the workbook).
fn validation(kind: &Kind) -> Result<rust_xlsxwriter::DataValidation, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{DataValidation, DataValidationRule};
    let v = DataValidation::new();
    Ok(match kind {
        Kind::Count => v
            .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
            .set_input_title("件数")?
            .set_input_message("填写 0 或正整数；没有就填 0")?
            .set_error_title("应为非负整数")?
            .set_error_message("件数是 0、1、2 …这样的整数，不能有小数，不能为负")?,
        Kind::Signed => v
            .allow_whole_number(DataValidationRule::Between(-1_000_000_000, 1_000_000_000))
            .set_input_title("本年增/减")?
            .set_input_message("填写整数：增加写正数，减少写负数（如 -2），不变写 0")?
            .set_error_title("应为整数")?
            .set_error_message("本年增/减是整数，可以为负，不能有小数")?,
        Kind::Money(MoneyUnit::Fixed(u)) => v
            .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
            .set_input_title("金额")?
            .set_input_message(format!("单位：{u}；可以有小数"))?
            .set_error_title("应为金额")?
            .set_error_message(format!("金额是不小于 0 的数，单位是{u}，不要写单位"))?,
        Kind::Money(MoneyUnit::InCell(units)) => v
            .allow_any_value()
            .set_input_title("金额（带单位）")?
            .set_input_message(format!("金额后写单位（{}），例如 16800{}；没有就填 0", units.join("或"), units[0]))?,
    })
}
