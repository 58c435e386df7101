//! `gxgen audit`: read published reports back (see `import`) and check them:
//! arithmetic the published figures break, labels that differ from the
//! official format, format/year mismatches, missing parts, the 2021 fee
//! statement, and narrative figures that contradict the tables where the
//! wording makes the link clear (the same rules `gxgen check` runs). One
//! row per finding, for a reviewer of many reports.

use std::path::Path;

use serde::Serialize;

use crate::diag::Severity;
use crate::import::{self, Imported};

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub report: String,
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub table: String,
    pub row: String,
    pub column: String,
    pub published: String,
    pub expected: String,
}

pub struct Audited {
    pub agency: Option<String>,
    pub year: Option<i32>,
    pub rows: Vec<Row>,
}

/// Import findings that are problems of the published report, and how bad.
fn finding_severity(code: &str) -> Option<Severity> {
    match code {
        "label_repaired" | "label_unknown" | "heading_variant" | "blank_cell" | "cells_lost" | "title_missing"
        | "header_missing" => Some(Severity::Warning),
        "table_missing" | "section_missing" | "row_missing" | "format_mismatch" | "truncated" | "bad_value" => {
            Some(Severity::Error)
        }
        // D-7: the period is customary, not mandated; a period of another
        // year than the title's is a slip worth a warning.
        "year_conflict" => Some(Severity::Warning),
        "period_missing" => Some(Severity::Info),
        _ => None,
    }
}

/// Audit the text of one published report.
pub fn audit_text(name: &str, text: &str) -> Audited {
    audit_imported(name, import::import_text(text))
}

fn audit_imported(name: &str, imported: Imported) -> Audited {
    let mut rows: Vec<Row> = imported
        .findings
        .iter()
        .filter_map(|f| {
            Some(Row {
                report: name.to_string(),
                rule: format!("import:{}", f.code),
                severity: finding_severity(f.code)?,
                message: f.message.clone(),
                table: f.table.clone().unwrap_or_default(),
                row: f.row.clone().unwrap_or_default(),
                column: f.column.clone().unwrap_or_default(),
                published: f.published.clone().unwrap_or_default(),
                expected: f.expected.clone().unwrap_or_default(),
            })
        })
        .collect();
    // Check the report as read, in memory: every rule of the format.
    let checked = check_imported(&imported);
    for d in &checked.diagnostics.list {
        let (table, row, column) = match (&checked.report, &d.cell) {
            (Some(r), Some(k)) => match r.format.cell(k) {
                Some(c) => {
                    let def = &r.format.cells[c];
                    (r.format.cell_section(c).label.clone(), def.row_labels.join(" › "), def.col_labels.join(" › "))
                }
                None => Default::default(),
            },
            _ => Default::default(),
        };
        rows.push(Row {
            report: name.to_string(),
            rule: d.code.clone(),
            severity: d.severity,
            message: d.message.clone(),
            table,
            row,
            column,
            published: d.actual.clone().unwrap_or_default(),
            expected: d.expected.clone().unwrap_or_default(),
        });
    }
    Audited { agency: imported.agency.clone(), year: imported.year, rows }
}

/// Check an imported report in memory, through the door of text in hand:
/// nothing is written to disk.
pub fn check_imported(imported: &Imported) -> super::Checked {
    let dir = std::path::Path::new("导入");
    let mut memory = crate::input::Memory::new();
    for (name, text) in imported.files() {
        memory.insert(dir.join(name), text);
    }
    let sources = crate::source::Sources::with_input(std::sync::Arc::new(memory));
    super::check_with(sources, &dir.join("report.yaml"), None)
}

/// Audit a file of published text.
pub fn audit_file(path: &Path) -> Result<Audited, crate::diag::Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| crate::load::read::io_error(&crate::source::display_path(path), &e))?;
    Ok(audit_imported(&crate::source::display_path(path), import::import_bytes(&bytes)))
}

/// CSV of audit rows (UTF-8 with BOM, for Excel).
pub fn csv(rows: &[Row]) -> String {
    let q =
        |s: &str| if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() };
    let mut out = String::from("\u{feff}报告,规则,级别,说明,表格,行,列,公布值,应为\r\n");
    for r in rows {
        let f = [
            r.report.as_str(),
            &r.rule,
            r.severity.chinese(),
            &r.message,
            &r.table,
            &r.row,
            &r.column,
            &r.published,
            &r.expected,
        ];
        out.push_str(&f.iter().map(|x| q(x)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}
