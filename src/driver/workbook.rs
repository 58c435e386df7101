//! A report whose data is a workbook (report.xlsx): read through the
//! input door, turned into the report's YAML by `workbook::read` (one line
//! per cell, naming its sheet and cell), then loaded and checked like any
//! data file. What reading found is located at the cell's line; every
//! diagnostic on the listing also names the sheet and cell; a total's
//! cached formula value is compared with the recomputed one, never used.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics, codes};
use crate::input::{Kind, ReadFailure};
use crate::load::{self, Loaded};
use crate::model::Report;
use crate::source::{FileId, Sources, Span, display_path};
use crate::workbook::read::{self, MAX_BYTES};

/// Extensions of report workbooks.
pub const EXTENSIONS: &[&str] = &["xlsx", "xlsm"];

/// Whether `path` names a report workbook.
pub fn is_workbook(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// The data file of a report folder: report.yaml, else report.xlsx.
pub fn data_file(dir: &Path) -> Option<PathBuf> {
    ["report.yaml", "report.xlsx"].iter().map(|n| dir.join(n)).find(|p| p.is_file())
}

/// What the check needs after loading a workbook.
pub struct Listing {
    pub file: FileId,
    pub places: HashMap<usize, String>,
    pub cached: Vec<(usize, String, usize)>,
    /// The line of each cell (format index) in the listing.
    pub cells: HashMap<usize, usize>,
}

fn line_span(sources: &Sources, file: FileId, line: usize) -> Span {
    let f = sources.get(file);
    let starts = f.line_starts();
    let start = starts.get(line).copied().unwrap_or(0);
    let end = starts.get(line + 1).map_or(f.text.len(), |e| e - 1);
    let text = &f.text[start..end];
    let indent = text.len() - text.trim_start().len();
    // The key and value, not the comment naming the place.
    let body = text[indent..].find("  #").map_or(text.trim_end().len(), |i| text[..indent + i].trim_end().len());
    Span::new(file, start + indent, start + body.max(indent))
}

/// Load the report whose data is the workbook at `path`.
pub fn load(sources: &mut Sources, path: &Path, defaults: Option<&load::yaml::Node>) -> (Loaded, Option<Listing>) {
    load_as(sources, path, path, defaults, true)
}

/// Load the workbook at `path` as the report `report_path` (itself, or the
/// report.yaml naming it); `narrative`: the workbook's folder gives the
/// narrative parts (else the data file's `narrative:` does).
fn load_as(
    sources: &mut Sources,
    path: &Path,
    report_path: &Path,
    defaults: Option<&load::yaml::Node>,
    narrative: bool,
) -> (Loaded, Option<Listing>) {
    let shown = display_path(path);
    let fail = |d: Diagnostic, io: bool| {
        let mut diags = Diagnostics::default();
        diags.push(d);
        (Loaded { report: None, diagnostics: diags, io_failure: io }, None)
    };
    let bytes = match sources.input().read(path, MAX_BYTES) {
        Ok(b) => b,
        Err(ReadFailure::Io(e)) => return fail(load::read::io_error(&shown, &e), true),
        Err(ReadFailure::NotAFile(_)) => {
            return fail(Diagnostic::new(codes::IO, format!("“{shown}”不是普通文件，不读取")), true);
        }
        Err(ReadFailure::TooLarge { len }) => {
            return fail(
                Diagnostic::new(
                    codes::WB_UNREADABLE,
                    format!("工作簿 {shown} 太大（{len} 字节），超过上限 {MAX_BYTES} 字节"),
                )
                .note("一份报告的工作簿通常只有二三十 KB；请确认没有选错文件"),
                false,
            );
        }
    };
    let book = match read::open(bytes) {
        Ok(b) => b,
        Err(e) => {
            return fail(
                Diagnostic::new(codes::WB_UNREADABLE, format!("无法读取工作簿 {shown}：{e}"))
                    .note("请用 Excel 或 WPS 打开后另存为 Excel 工作簿（.xlsx）再试"),
                false,
            );
        }
    };
    // Narrative files are relative to the data file (the workbook, or the report.yaml naming it).
    let dir = report_path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let input = sources.shared_input();
    let reading = read::to_yaml(&book, &shown, |format| {
        if !narrative {
            return Vec::new();
        }
        format
            .sections
            .iter()
            .filter(|s| s.narrative)
            .filter_map(|s| {
                // The .md part, or a Word file of the same name when only
                // that is there; a part with neither is left to the
                // workspace's defaults (or reported missing).
                let docx = Path::new(&s.file).with_extension("docx").to_string_lossy().into_owned();
                [s.file.clone(), docx]
                    .into_iter()
                    .find(|f| input.kind(&dir.join(f)) == Kind::File)
                    .map(|f| (s.key.clone(), f))
            })
            .collect()
    });
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let file = sources.add(&path.with_file_name(format!("{name}（单元格清单）")), reading.yaml.clone());
    let mut loaded = load::load_file(sources, report_path, file, defaults);
    let mut found = Diagnostics::default();
    for f in reading.findings {
        let span = line_span(sources, file, f.line);
        let label = if f.line == 0 { "工作簿".to_string() } else { "这个单元格".to_string() };
        found.push(f.diagnostic.at(span, label));
    }
    found.extend(std::mem::take(&mut loaded.diagnostics));
    loaded.diagnostics = found;
    (loaded, Some(Listing { file, places: reading.places, cached: reading.cached, cells: reading.cells }))
}

/// After validation: say where cached totals disagree with the data, and
/// name the sheet and cell in every diagnostic on the listing.
pub fn finish(listing: &Listing, report: Option<&Report>, sources: &Sources, diags: &mut Diagnostics) {
    if let Some(r) = report {
        for (cell, cached, line) in &listing.cached {
            let Some(v) = r.value(*cell) else { continue };
            let computed = v.display(&r.format.cells[*cell].kind);
            let same = crate::value::Decimal::parse(cached).is_some_and(|c| c == v.number);
            if !same {
                let place = listing.places.get(line).cloned().unwrap_or_default();
                let shown = if cached.is_empty() { "空白".to_string() } else { format!("“{cached}”") };
                diags.push(
                    Diagnostic::new(
                        codes::WB_CACHED_STALE,
                        format!("{place}：工作簿中保存的合计是{shown}，按各数据单元格计算是 {computed}；以计算结果为准"),
                    )
                    .at(line_span(sources, listing.file, *line), format!("gxgen 计算为 {computed}"))
                    .note("工作簿保存的公式结果可能没有重新计算（文件由别的程序保存，或 Excel 设成了手动计算）；gxgen 从不采用它")
                    .cell(&r.format.cells[*cell].key),
                );
            }
        }
    }
    let listed = &sources.get(listing.file).name;
    let book = listed.strip_suffix("（单元格清单）").unwrap_or(listed);
    for d in &mut diags.list {
        let Some((span, _)) = d.primary else { continue };
        if span.file != listing.file {
            continue;
        }
        if d.code == codes::MISSING_SECTION
            && let Some(key) = d.primary.as_ref().and_then(|(_, l)| l.strip_prefix("narrative 下应有 "))
            && let Some(sec) = report.and_then(|r| r.format.section(key))
        {
            // The folder of a workbook holds its narrative parts as files.
            d.notes = vec![
                format!("在工作簿旁边放正文文件 {}（用 gxgen new --xlsx 生成的文件夹里已有）", sec.file),
                "没有需要报告的内容时也应写明，例如“无”".to_string(),
            ];
            continue;
        }
        // The cell the diagnostic is about, else the line it points at.
        let of_cell = d.cell.as_deref().and_then(|k| report?.format.cell(k)).and_then(|c| listing.cells.get(&c));
        let line = of_cell.copied().unwrap_or_else(|| sources.get(listing.file).line_col(span.start).0 - 1);
        if let Some(place) = listing.places.get(&line) {
            let cell = place.split('（').next().unwrap_or(place);
            // The location the clerk reads first: the workbook and sheet!cell.
            d.place = Some(format!("{book} {cell}"));
            if !d.message.contains(cell) {
                d.notes.insert(0, format!("在工作簿中：{place}"));
            }
        }
    }
}

/// The report workbook of a loaded report: its metadata and every cell
/// as the report holds it (totals as formulas whose saved result is the
/// report's total). `gxgen import --xlsx` writes imported reports with it.
pub fn write_report(report: &Report) -> Result<Vec<u8>, String> {
    let values: Vec<Option<String>> = (0..report.format.cells.len())
        .map(|c| report.value(c).map(|v| v.display(&report.format.cells[c].kind)))
        .collect();
    crate::workbook::write(report.format, &crate::workbook::MetaValues::of(&report.meta), &values)
}

/// A new, empty report workbook (`gxgen new --xlsx`): every cell 0, as
/// `gxgen new` writes report.yaml.
pub fn write_new(
    format: &crate::format::Format,
    year: i32,
    agency: &str,
    kind: crate::model::AgencyKind,
) -> Result<Vec<u8>, String> {
    let values = vec![Some("0".to_string()); format.cells.len()];
    let meta = crate::workbook::MetaValues { agency: agency.to_string(), year, kind: Some(kind), ..Default::default() };
    crate::workbook::write(format, &meta, &values)
}

/// The key of report.yaml that names the report's workbook.
pub const KEY: &str = "workbook";

/// Load a data file; one that names a workbook (`workbook: report.xlsx`)
/// takes its figures and metadata from the workbook, and from itself what
/// a workbook does not hold (narrative, fonts, meta.previous, …).
pub fn load_yaml(sources: &mut Sources, path: &Path, defaults: Option<&load::yaml::Node>) -> (Loaded, Option<Listing>) {
    let Ok(file) = load::read::read_text(sources, path) else {
        return (load::load_report_with(sources, path, defaults), None);
    };
    // Parsed twice only when it may name a workbook.
    if !sources.get(file).text.contains(KEY) {
        return (load::load_file(sources, path, file, defaults), None);
    }
    let root = match load::yaml::parse(file, sources.get(file)) {
        Ok(r) if r.get(KEY).is_some() => r,
        _ => return (load::load_file(sources, path, file, defaults), None),
    };
    let node = root.get(KEY).expect("checked");
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let fail = |d: Diagnostic| {
        let mut diags = Diagnostics::default();
        diags.push(d);
        (Loaded { report: None, diagnostics: diags, io_failure: false }, None)
    };
    let Some(rel) = node.scalar_text().filter(|t| is_workbook(Path::new(t.trim()))) else {
        return fail(
            Diagnostic::new(codes::BAD_PATH, "workbook 应为报告工作簿（.xlsx）的文件名，例如 workbook: report.xlsx")
                .at(node.span, "这里"),
        );
    };
    let wb = match crate::input::confine(sources.input(), &dir, rel) {
        crate::input::Confined::Inside(p) => p,
        _ => {
            return fail(
                Diagnostic::new(codes::BAD_PATH, format!("workbook “{rel}”不在数据文件所在的文件夹内"))
                    .at(node.span, "只能指向本文件夹及其子文件夹中的工作簿"),
            );
        }
    };
    // The data file's own keys fill what the workbook does not write.
    let mut own = root.clone();
    if let load::yaml::Value::Map(entries) = &mut own.value {
        entries.retain(|(k, _)| k.name != KEY);
    }
    if let Some(d) = defaults {
        own.merge_defaults(d);
    }
    let narrative = root.get("narrative").is_none();
    let (mut loaded, listing) = load_as(sources, &wb, path, Some(&own), narrative);
    if let Some(l) = &listing {
        twice(sources, l.file, &root, &mut loaded.diagnostics);
    }
    (loaded, listing)
}

/// Items written both in the data file and in the workbook it names.
fn twice(sources: &Sources, listing: FileId, root: &load::yaml::Node, diags: &mut Diagnostics) {
    let Ok(written) = load::yaml::parse(listing, sources.get(listing)) else { return };
    let Some(entries) = root.as_map() else { return };
    for (key, value) in entries {
        let both: Vec<&load::yaml::Key> = match key.name.as_str() {
            "meta" => value
                .as_map()
                .map(|m| {
                    m.iter()
                        .filter(|(k, _)| written.get("meta").and_then(|w| w.get(&k.name)).is_some())
                        .map(|(k, _)| k)
                        .collect()
                })
                .unwrap_or_default(),
            name if written.get(name).is_some() && name != "narrative" => vec![key],
            _ => Vec::new(),
        };
        for k in both {
            diags.push(
                Diagnostic::new(codes::WB_TWICE, format!("“{}”在数据文件和工作簿中都写了", k.name))
                    .at(k.span, "工作簿中也有这一项")
                    .note("表格的数和基本信息只写在工作簿中；数据文件里只写工作簿没有的内容（narrative、fonts、meta.previous 等）"),
            );
        }
    }
}
