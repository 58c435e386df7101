//! A mandated table as a grid of cells with their spans, laid out from the
//! table template exactly as the official format draws it: a caption row per
//! part (第二十条第（一）项), header rows from the column tree (a leaf that
//! sits higher than the deepest leaf spans down), the corner cell over the
//! row labels, row labels from the row tree (a group spans its rows, a leaf
//! label spans the remaining label columns), then one data cell per leaf
//! column. A part with fewer columns than the table stretches its last one.

use serde::Serialize;

use crate::format::{Format, HeadDef, Owner};
use crate::model::Report;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CellRole {
    /// A part caption spanning the table (第二十条第（一）项).
    Caption,
    /// The top-left cell over the row labels (信息内容, the 勾稽关系 note).
    Corner,
    /// A column header.
    ColumnHeader,
    /// A row label.
    RowHeader,
    /// A figure.
    Data,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub role: CellRole,
    pub text: String,
    pub rowspan: usize,
    pub colspan: usize,
    /// The cell key of a data cell.
    pub key: Option<String>,
    /// Printed one character per line (三、本年度办理结果).
    pub vertical: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// A header row (caption or column headers).
    pub header: bool,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Grid {
    pub key: String,
    /// The table's name, e.g. 收到和处理政府信息公开申请情况.
    pub caption: String,
    /// Columns of the whole table.
    pub columns: usize,
    /// Columns holding row labels.
    pub label_columns: usize,
    /// Rows of the header at the top of the table (repeated on every page).
    pub header_rows: usize,
    pub rows: Vec<Row>,
}

fn depth(heads: &[HeadDef]) -> usize {
    heads
        .iter()
        .map(|h| if h.children.is_empty() { usize::from(h.label.is_some()) } else { 1 + depth(&h.children) })
        .max()
        .unwrap_or(0)
}

fn leaf_count(h: &HeadDef) -> usize {
    if h.children.is_empty() { 1 } else { h.children.iter().map(leaf_count).sum() }
}

fn leaves(heads: &[HeadDef]) -> usize {
    heads.iter().map(leaf_count).sum()
}

fn cell(role: CellRole, text: &str, rowspan: usize, colspan: usize) -> Cell {
    Cell { role, text: text.to_string(), rowspan, colspan, key: None, vertical: false }
}

pub fn build(report: &Report, table: usize) -> Grid {
    layout(report.format, table, |c| {
        report.value(c).map(|v| v.display(&report.format.cells[c].kind)).unwrap_or_default()
    })
}

/// The grid of a table of `format` with each data cell's text given by
/// `text` (a cell index of the format): the layout every output shares,
/// the report workbook included.
pub fn layout(format: &Format, table: usize, text: impl Fn(usize) -> String) -> Grid {
    let t = &format.tables[table];
    let label_columns = t.parts.iter().map(|p| depth(&p.rows)).max().unwrap_or(0);
    let data_columns = t.parts.iter().map(|p| leaves(&p.columns)).max().unwrap_or(0);
    let columns = label_columns + data_columns;
    let mut rows = Vec::new();
    let mut header_rows = 0;
    for (pi, part) in t.parts.iter().enumerate() {
        if let Some(c) = &part.caption {
            rows.push(Row { header: true, cells: vec![cell(CellRole::Caption, c, 1, columns)] });
        }
        // Header rows from the column tree.
        let h = depth(&part.columns).max(1);
        let stretch = data_columns - leaves(&part.columns);
        let mut levels: Vec<Vec<Cell>> = vec![Vec::new(); h];
        if label_columns > 0 {
            levels[0].push(cell(CellRole::Corner, part.corner.as_deref().unwrap_or(""), h, label_columns));
        }
        let n = part.columns.len();
        for (i, c) in part.columns.iter().enumerate() {
            headers(c, 0, h, i + 1 == n, stretch, &mut levels);
        }
        for cells in levels {
            rows.push(Row { header: true, cells });
        }
        if pi == 0 && part.caption.is_none() {
            header_rows = h;
        }
        // Data cells of this part, in the order the format lists them.
        let cells: Vec<usize> =
            (0..format.cells.len()).filter(|&i| format.cells[i].owner == (Owner::Table { table, part: pi })).collect();
        let per_row = leaves(&part.columns);
        let mut next = cells.chunks(per_row);
        let mut row_cells: Vec<Vec<Cell>> = Vec::new();
        for r in &part.rows {
            body(r, 0, label_columns, &mut Vec::new(), &mut row_cells);
        }
        for mut labels in row_cells {
            let Some(chunk) = next.next() else { break };
            for (i, &c) in chunk.iter().enumerate() {
                let def = &format.cells[c];
                let text = text(c);
                let span = if i + 1 == chunk.len() { 1 + stretch } else { 1 };
                labels.push(Cell { key: Some(def.key.clone()), ..cell(CellRole::Data, &text, 1, span) });
            }
            rows.push(Row { header: false, cells: labels });
        }
    }
    Grid { key: t.key.clone(), caption: t.name.clone(), columns, label_columns, header_rows, rows }
}

/// Column header cells of `h` and below, at level `level` of `total` levels.
fn headers(h: &HeadDef, level: usize, total: usize, last: bool, stretch: usize, out: &mut [Vec<Cell>]) {
    let Some(label) = &h.label else {
        for (i, c) in h.children.iter().enumerate() {
            headers(c, level, total, last && i + 1 == h.children.len(), stretch, out);
        }
        return;
    };
    let extra = if last { stretch } else { 0 };
    if h.children.is_empty() {
        out[level].push(cell(CellRole::ColumnHeader, label, total - level, 1 + extra));
    } else {
        out[level].push(cell(CellRole::ColumnHeader, label, 1, leaf_count(h) + extra));
        let n = h.children.len();
        for (i, c) in h.children.iter().enumerate() {
            headers(c, level + 1, total, last && i + 1 == n, stretch, out);
        }
    }
}

/// Row label cells: one row per leaf, a group label on its first row.
fn body(h: &HeadDef, level: usize, label_columns: usize, pending: &mut Vec<Cell>, out: &mut Vec<Vec<Cell>>) {
    if h.children.is_empty() {
        let mut cells = std::mem::take(pending);
        if let Some(label) = &h.label {
            cells.push(cell(CellRole::RowHeader, label, 1, label_columns - level));
        }
        out.push(cells);
        return;
    }
    if let Some(label) = &h.label {
        pending.push(Cell { vertical: h.vertical, ..cell(CellRole::RowHeader, label, leaf_count(h), 1) });
    }
    for c in &h.children {
        body(c, level + usize::from(h.label.is_some()), label_columns, pending, out);
    }
}
