//! `gxgen audit`: read published reports back (see `import`) and check them:
//! arithmetic the published figures break, labels that differ from the
//! official format, format/year mismatches, missing parts, the 2021 fee
//! statement, and narrative figures that contradict the tables where the
//! wording makes the link clear (the same rules `gxgen check` runs). One
//! row per problem, for a reviewer of many reports.
//!
//! What the audit reports, and how often:
//! * every import finding (its code and severity from `templates/codes.yaml`;
//!   none is dropped), except blank cells, which are summed up per table in
//!   one line ("“三、…”有 92 个空白单元格，应填 0");
//! * every diagnostic of `gxgen check` on the report as read, with printed
//!   blanks counted as 0 so that the rules run on what is there (a blank
//!   总计 beside numbers is an error giving the sum it should be), and a
//!   missing agency or year as a placeholder, so that the one finding that
//!   says so does not stop the rules;
//! * per table, one line for the rules that cannot be checked because
//!   their cells are not in the text (a truncated or missing table).

use std::path::Path;

use serde::Serialize;

use crate::diag::{Severity, codes};
use crate::format::{CellRef, Format};
use crate::import::{self, Finding, Imported, Options, Read};

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
    /// The line of the published text (1-based) the row is about, if known.
    pub line: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Audited {
    pub report: String,
    pub agency: Option<String>,
    pub year: Option<i32>,
    /// "2019" | "2021", as the tables follow.
    pub format: Option<String>,
    pub rows: Vec<Row>,
    /// The figures as read (the imported `report.yaml`), for the reviewer's page.
    #[serde(skip)]
    pub figures: String,
}

impl Audited {
    pub fn count(&self, severity: Severity) -> usize {
        self.rows.iter().filter(|r| r.severity == severity && r.rule != codes::IMPORT_UNCHECKED).count()
    }

    /// Lines saying that rules could not be checked.
    pub fn unchecked(&self) -> usize {
        self.rows.iter().filter(|r| r.rule == codes::IMPORT_UNCHECKED).count()
    }
}

/// Audit the text of one published report.
pub fn audit_text(name: &str, text: &str) -> Audited {
    audit_imported(name, import::import_text_with(text, &options(name)))
}

/// Audit a published report's bytes (text, HTML or .docx).
pub fn audit_bytes(name: &str, bytes: &[u8]) -> Audited {
    audit_imported(name, import::import_bytes_with(bytes, &options(name)))
}

/// Audit a file of a published report, within the import's size limit
/// (the same as `import`'s). The error says, in Chinese, why the file could
/// not be read.
pub fn audit_file(path: &Path) -> Result<Audited, String> {
    let bytes = import::input::read_file(path)?;
    Ok(audit_bytes(&crate::source::display_path(path), &bytes))
}

fn options(name: &str) -> Options {
    let stem = Path::new(name).file_stem().map(|s| s.to_string_lossy().into_owned());
    Options { file_stem: stem, for_audit: true, ..Options::default() }
}

fn row_of(name: &str, f: &Finding) -> Row {
    Row {
        report: name.to_string(),
        rule: f.code.to_string(),
        severity: codes::severity(f.code),
        message: f.message.clone(),
        table: f.table.clone().unwrap_or_default(),
        row: f.row.clone().unwrap_or_default(),
        column: f.column.clone().unwrap_or_default(),
        published: f.published.clone().unwrap_or_default(),
        expected: f.expected.clone().unwrap_or_default(),
        line: f.line,
    }
}

/// Import findings that say the same as a diagnostic of `gxgen check`
/// (which is kept, as `check` would show it): (import code, check code).
const SAID_BY_CHECK: &[(&str, &str)] =
    &[(codes::IMPORT_FACTS_MISSING, codes::MISSING_FACTS), (codes::IMPORT_FORMAT_MISMATCH, codes::FORMAT_YEAR)];

fn audit_imported(name: &str, imported: Imported) -> Audited {
    let format = imported.format_id.as_deref().and_then(crate::format::by_id);
    let mut audited = Audited {
        report: name.to_string(),
        agency: imported.agency.clone(),
        year: imported.year,
        format: imported.format_id.clone(),
        rows: Vec::new(),
        figures: imported.yaml.clone(),
    };
    let checked = match (imported.unreadable(), format) {
        (false, Some(_)) => check_diagnostics(name, &imported),
        _ => Vec::new(),
    };
    let said = |code: &str| SAID_BY_CHECK.iter().any(|(i, c)| *i == code && checked.iter().any(|r: &Row| r.rule == *c));
    // Import findings; blank cells and rows completed by arithmetic summed
    // up per table.
    let mut blanks: Vec<(String, usize)> = Vec::new();
    let mut inferred: Vec<(String, usize)> = Vec::new();
    let count = |list: &mut Vec<(String, usize)>, f: &Finding| {
        let table = f.table.clone().unwrap_or_default();
        match list.iter_mut().find(|(t, _)| *t == table) {
            Some((_, n)) => *n += 1,
            None => list.push((table, 1)),
        }
    };
    for f in &imported.findings {
        match f.code {
            codes::IMPORT_BLANK_CELL => count(&mut blanks, f),
            codes::IMPORT_CELL_INFERRED => count(&mut inferred, f),
            code if said(code) => {}
            _ => audited.rows.push(row_of(name, f)),
        }
    }
    // Findings of one kind are said once per table, with their count.
    let per_table = |code: &str, table: String, message: String, published: String, expected: &str| Row {
        report: name.to_string(),
        rule: code.to_string(),
        severity: codes::severity(code),
        message,
        table,
        row: String::new(),
        column: String::new(),
        published,
        expected: expected.to_string(),
        line: None,
    };
    for (table, n) in inferred {
        let message = format!("“{table}”有 {n} 行在复制时丢失了单元格，已按表格的算术关系推定（只有一种放法）");
        audited.rows.push(per_table(codes::IMPORT_CELL_INFERRED, table, message, String::new(), ""));
    }
    for (table, n) in blanks {
        let message = format!("“{table}”有 {n} 个空白单元格，应填 0（核对算术时按 0 计）");
        audited.rows.push(per_table(codes::IMPORT_BLANKS, table, message, format!("{n} 个空白"), "0"));
    }
    audited.rows.extend(checked);
    if let Some(format) = format
        && !imported.unreadable()
    {
        audited.rows.extend(unchecked(name, format, &imported.cells));
    }
    audited
}

/// Whether the import read a cell (a value, or a printed blank counted as 0).
fn is_read(cells: &[Read], c: usize) -> bool {
    matches!(cells.get(c), Some(Read::Value(_) | Read::Blank(_)))
}

/// `gxgen check` on the report as read (blanks as 0, placeholders for a
/// missing agency or year), in memory. Diagnostics about cells the text does
/// not hold are left to the 无法核对 summary.
fn check_diagnostics(name: &str, imported: &Imported) -> Vec<Row> {
    let mut rows = Vec::new();
    let checked = check_imported(imported);
    for d in &checked.diagnostics.list {
        let cell = match (&checked.report, &d.cell) {
            (Some(r), Some(k)) => r.format.cell(k).map(|c| (r.format, c)),
            _ => None,
        };
        // A part missing because the text was cut: said once by the import.
        if d.code == codes::MISSING_SECTION && imported.past_cut.iter().any(|l| d.message.contains(l.as_str())) {
            continue;
        }
        // A blank or missing-cell diagnostic about a cell not in the text.
        if (d.code == codes::BLANK || d.code == codes::MISSING_FIELD)
            && cell.is_some_and(|(_, c)| !matches!(imported.cells.get(c), Some(Read::Value(_))))
        {
            continue;
        }
        let (table, row, column) = match cell {
            Some((format, c)) => {
                let def = &format.cells[c];
                (format.cell_section(c).label.clone(), def.row_labels.join(" › "), def.col_labels.join(" › "))
            }
            None => Default::default(),
        };
        let mut message = d.message.clone();
        let mut published = d.actual.clone().unwrap_or_default();
        if let Some((_, c)) = cell
            && matches!(imported.cells.get(c), Some(Read::Blank(_)))
        {
            message.push_str("（原文此格空白，按 0 核对）");
            published = "空白".into();
        }
        rows.push(Row {
            report: name.to_string(),
            rule: d.code.clone(),
            severity: d.severity,
            message,
            table,
            row,
            column,
            published,
            expected: d.expected.clone().unwrap_or_default(),
            line: None,
        });
    }
    rows
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

/// Per table, one line for the rules that involve a cell the text does
/// not hold (a truncated or missing table): they cannot be checked.
fn unchecked(name: &str, format: &Format, cells: &[Read]) -> Vec<Row> {
    let mut rows = Vec::new();
    for (t, table) in format.tables.iter().enumerate() {
        let in_table =
            |c: usize| matches!(format.cells[c].owner, crate::format::Owner::Table { table, .. } if table == t);
        let mut open = 0;
        let mut absent = true;
        for rule in format.rules.iter().filter(|r| !r.previous) {
            let here: Vec<usize> = rule
                .terms()
                .filter_map(|term| match term.cell {
                    CellRef::This(c) if in_table(c) => Some(c),
                    _ => None,
                })
                .collect();
            if here.is_empty() {
                continue;
            }
            if here.iter().any(|&c| !is_read(cells, c)) {
                open += 1;
            }
            if here.iter().any(|&c| is_read(cells, c)) {
                absent = false;
            }
        }
        if open == 0 {
            continue;
        }
        let label = format.sections[table.section].label.clone();
        let message = match absent {
            true => format!("原文没有“{label}”的数据，这张表的 {open} 条算术规则无法核对"),
            false => format!("“{label}”不完整（原文被截断或缺行），涉及缺失单元格的 {open} 条算术规则无法核对"),
        };
        rows.push(Row {
            report: name.to_string(),
            rule: codes::IMPORT_UNCHECKED.to_string(),
            severity: codes::severity(codes::IMPORT_UNCHECKED),
            message,
            table: label,
            row: String::new(),
            column: String::new(),
            published: String::new(),
            expected: String::new(),
            line: None,
        });
    }
    rows
}

/// One CSV field. A field that Excel or WPS would read as a formula (it
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a
/// leading apostrophe, so that it is shown as text and never evaluated
/// (the published figure `-167` is written `'-167`).
pub fn csv_field(s: &str) -> String {
    let s = match s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        true => format!("'{s}"),
        false => s.to_string(),
    };
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

/// CSV of audit rows (UTF-8 with BOM, for Excel).
pub fn csv(rows: &[Row]) -> String {
    let mut out = String::from("\u{feff}报告,规则,级别,说明,表格,行,列,公布值,应为,原文行号\r\n");
    for r in rows {
        let line = r.line.map_or(String::new(), |l| l.to_string());
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
            &line,
        ];
        out.push_str(&f.iter().map(|x| csv_field(x)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// Escape text for HTML (element content and attribute values).
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// How many problems the summary table names per report.
const TOP: usize = 3;

/// The reviewer's page: one self-contained HTML file (no network; readable
/// without script, a small optional script sorts the summary table). A
/// table with one row per report, then a section per report with its
/// findings by table.
pub fn html(reports: &[Audited]) -> String {
    let mut s = String::new();
    s.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    s.push_str("<title>政府信息公开工作年度报告审核结果</title>\n<style>\n");
    s.push_str(STYLE);
    s.push_str("</style>\n</head>\n<body>\n<h1>政府信息公开工作年度报告审核结果</h1>\n");
    let errors: usize = reports.iter().map(|a| a.count(Severity::Error)).sum();
    let with_errors = reports.iter().filter(|a| a.count(Severity::Error) > 0).count();
    s.push_str(&format!(
        "<p>共审核 {} 份报告，其中 {with_errors} 份有错误（共 {errors} 个错误）。点表头可排序；点机关名称看这份报告的全部发现。</p>\n",
        reports.len()
    ));
    s.push_str("<table id=\"summary\">\n<thead><tr><th>报告</th><th>机关</th><th>年度</th><th>格式</th><th>错误</th><th>警告</th><th>无法核对</th><th>主要问题</th></tr></thead>\n<tbody>\n");
    for (i, a) in reports.iter().enumerate() {
        let top: Vec<String> = a
            .rows
            .iter()
            .filter(|r| r.severity == Severity::Error)
            .chain(a.rows.iter().filter(|r| r.severity == Severity::Warning))
            .take(TOP)
            .map(|r| format!("<li>{}</li>", esc(&r.message)))
            .collect();
        s.push_str(&format!(
            "<tr><td>{}</td><td><a href=\"#r{i}\">{}</a></td><td>{}</td><td>{}</td><td class=\"n{}\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td><ul>{}</ul></td></tr>\n",
            esc(&a.report),
            esc(a.agency.as_deref().unwrap_or("（未找到机关名称）")),
            a.year.map_or("？".to_string(), |y| y.to_string()),
            esc(a.format.as_deref().unwrap_or("？")),
            if a.count(Severity::Error) > 0 { " bad" } else { "" },
            a.count(Severity::Error),
            a.count(Severity::Warning),
            a.unchecked(),
            top.join("")
        ));
    }
    s.push_str("</tbody>\n</table>\n");
    for (i, a) in reports.iter().enumerate() {
        s.push_str(&format!(
            "<section id=\"r{i}\">\n<h2>{}（{} {} 年度，{} 格式）</h2>\n<p class=\"file\">{}</p>\n",
            esc(a.agency.as_deref().unwrap_or("（未找到机关名称）")),
            esc(&a.report),
            a.year.map_or("？".to_string(), |y| y.to_string()),
            esc(a.format.as_deref().unwrap_or("？")),
            esc(&a.report)
        ));
        if a.rows.is_empty() {
            s.push_str("<p>没有发现问题。</p>\n");
        }
        let mut tables: Vec<&str> = Vec::new();
        for r in &a.rows {
            if !tables.contains(&r.table.as_str()) {
                tables.push(&r.table);
            }
        }
        tables.sort_by_key(|t| !t.is_empty());
        for t in tables {
            s.push_str(&format!("<h3>{}</h3>\n<table>\n<thead><tr><th>级别</th><th>代码</th><th>说明</th><th>位置</th><th>公布值</th><th>应为</th></tr></thead>\n<tbody>\n", if t.is_empty() { "整份报告".to_string() } else { esc(t) }));
            for r in a.rows.iter().filter(|r| r.table == t) {
                let line = r.line.map(|l| format!("原文第 {l} 行"));
                let place: Vec<&str> = [r.row.as_str(), r.column.as_str(), line.as_deref().unwrap_or("")]
                    .into_iter()
                    .filter(|x| !x.is_empty())
                    .collect();
                s.push_str(&format!(
                    "<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                    match r.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                        Severity::Info => "info",
                    },
                    r.severity.chinese(),
                    esc(&r.rule),
                    esc(&r.message),
                    esc(&place.join(" › ")),
                    esc(&r.published),
                    esc(&r.expected)
                ));
            }
            s.push_str("</tbody>\n</table>\n");
        }
        if !a.figures.is_empty() {
            s.push_str(&format!(
                "<details id=\"f{i}\"><summary>读出的数据（report.yaml，原文空白的格留空）</summary>\n<pre>{}</pre>\n</details>\n",
                esc(&a.figures)
            ));
        }
        s.push_str("</section>\n");
    }
    s.push_str("<script>\n");
    s.push_str(SORT_SCRIPT);
    s.push_str("</script>\n</body>\n</html>\n");
    s
}

const STYLE: &str = "body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\",sans-serif;margin:2em;line-height:1.5;color:#222}
table{border-collapse:collapse;margin:0.5em 0 1.5em;width:100%}
th,td{border:1px solid #bbb;padding:0.25em 0.5em;vertical-align:top;text-align:left}
th{background:#eee}
#summary th{cursor:pointer}
td.n{text-align:right}
td.n.bad{text-align:right;color:#b00;font-weight:bold}
tr.error td:first-child{color:#b00;font-weight:bold}
tr.warning td:first-child{color:#a60}
tr.info td:first-child{color:#567}
ul{margin:0;padding-left:1.2em}
p.file{color:#666;font-size:0.9em}
section{border-top:2px solid #888;margin-top:2em}
pre{background:#f6f6f6;padding:0.5em;overflow-x:auto;font-size:0.85em}
";

/// Optional: sorting the summary table by a click on its header. The page
/// is complete without it.
const SORT_SCRIPT: &str = "document.querySelectorAll('#summary th').forEach(function(th,i){th.addEventListener('click',function(){var tb=document.querySelector('#summary tbody');var rows=Array.prototype.slice.call(tb.rows);var up=th.dataset.up!=='1';th.dataset.up=up?'1':'0';rows.sort(function(a,b){var x=a.cells[i].textContent,y=b.cells[i].textContent;var nx=parseFloat(x),ny=parseFloat(y);var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y,'zh');return up?c:-c;});rows.forEach(function(r){tb.appendChild(r);});});});
";
