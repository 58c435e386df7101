//! load: a report folder (YAML data + markdown narrative) into the typed
//! model, with a located diagnostic for everything that does not fit.

mod cells;
pub mod docx;
mod habits;
mod meta;
mod narrative;

pub(crate) use narrative::read_docx;
pub mod read;
pub mod yaml;

use std::collections::HashMap;
use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics, codes};
use crate::format::{self, Format};
use crate::model::{Origin, Report, Slot};
use crate::source::Sources;
use yaml::{Node, Value};

/// The outcome of loading: the report when it could be built at all, and
/// every diagnostic found on the way.
pub struct Loaded {
    pub report: Option<Report>,
    pub diagnostics: Diagnostics,
    /// True when a file could not be read at all (exit status 2).
    pub io_failure: bool,
}

/// Load the report whose data file is `path`.
pub fn load_report(sources: &mut Sources, path: &Path) -> Loaded {
    load_report_with(sources, path, None)
}

/// Load a report, filling what it does not write from a workspace's
/// `defaults` node.
pub fn load_report_with(sources: &mut Sources, path: &Path, defaults: Option<&Node>) -> Loaded {
    match read::read_text(sources, path) {
        Ok(file) => load_file(sources, path, file, defaults),
        Err(e) => {
            let io_failure = matches!(e, read::ReadError::Io(_));
            let mut diags = Diagnostics::default();
            diags.push(e.diagnostic());
            Loaded { report: None, diagnostics: diags, io_failure }
        }
    }
}

/// Load a report whose data text is already in `sources` (a data file, or
/// the YAML gxgen writes for one row of a spreadsheet).
pub fn load_file(sources: &mut Sources, path: &Path, file: crate::source::FileId, defaults: Option<&Node>) -> Loaded {
    let mut diags = Diagnostics::default();
    let root = match yaml::parse_with_hints(file, sources.get(file)) {
        Ok((mut n, hints)) => {
            for h in hints {
                diags.push(h);
            }
            if let Some(d) = defaults {
                n.merge_defaults(d);
            }
            n
        }
        Err(d) => {
            diags.push(d);
            return Loaded { report: None, diagnostics: diags, io_failure: false };
        }
    };
    let Some(entries) = root.as_map() else {
        diags.push(
            Diagnostic::new(codes::WRONG_TYPE, format!("数据文件的最外层应为键值表，实际是{}", root.type_name()))
                .at(root.span, "这里应以 meta: 等键开始")
                .note("用 `gxgen new` 生成一份数据文件骨架作为参照"),
        );
        return Loaded { report: None, diagnostics: diags, io_failure: false };
    };

    let meta_node = root.get("meta");
    let Some(meta) = meta::read(meta_node, &root, &mut diags) else {
        return Loaded { report: None, diagnostics: diags, io_failure: false };
    };
    let Some(format) = meta::choose_format(&meta, &mut diags) else {
        return Loaded { report: None, diagnostics: diags, io_failure: false };
    };

    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut report = Report {
        path: path.to_path_buf(),
        file,
        format,
        meta,
        narrative: Vec::new(),
        cells: vec![Slot { value: None, origin: Origin::Omitted }; format.cells.len()],
        places: HashMap::new(),
        absent: Vec::new(),
        fonts: Default::default(),
    };

    let mut narrative_seen = false;
    for (key, node) in entries {
        match key.name.as_str() {
            "meta" => {}
            "fonts" => read_fonts(node, &mut report, &mut diags),
            "narrative" => {
                narrative_seen = true;
                narrative::read(sources, &dir, node, &mut report, &mut diags);
            }
            name => match format.tree.child(name) {
                Some(tree) => {
                    report.places.insert(name.to_string(), key.span);
                    cells::walk(&mut report, tree, name, node, &mut diags);
                }
                None => diags.push(unknown_key(format, "", key, top_level_names(format))),
            },
        }
    }
    if !narrative_seen {
        report.places.insert("narrative".into(), root.span);
    }
    narrative::require_sections(&report, root.span, &mut diags);
    cells::fill_omitted(&mut report);
    Loaded { report: Some(report), diagnostics: diags, io_failure: false }
}

/// `fonts:` — a family (or list of families) per typesetting role.
fn read_fonts(node: &Node, report: &mut Report, diags: &mut Diagnostics) {
    let roles: Vec<String> = crate::typography::get().keys().map(str::to_string).collect();
    let Some(entries) = node.as_map() else {
        diags.push(Diagnostic::new(codes::BAD_FONTS, "fonts 应为键值表：用途: 字体名").at(node.span, "应为键值表"));
        return;
    };
    for (key, value) in entries {
        if !roles.contains(&key.name) {
            let mut d = Diagnostic::new(codes::BAD_FONTS, format!("fonts 下没有“{}”这种用途", key.name))
                .at(key.span, "未知的用途");
            if let Some(s) = did_you_mean(&key.name, &roles) {
                d = d.note(format!("是不是想写“{s}”？"));
            }
            diags.push(d.note(format!("可以设置的用途：{}", roles.join("、"))));
            continue;
        }
        let name = |n: &Node| match &n.value {
            Value::Str(s) => Some(s.clone()),
            _ => None,
        };
        let families: Option<Vec<String>> = match &value.value {
            Value::Seq(items) => items.iter().map(name).collect(),
            _ => name(value).map(|s| vec![s]),
        };
        match families.filter(|f| !f.is_empty() && f.iter().all(|s| !s.trim().is_empty())) {
            Some(f) => {
                report
                    .fonts
                    .insert(key.name.clone(), (f.into_iter().map(|s| s.trim().to_string()).collect(), value.span));
            }
            None => diags.push(
                Diagnostic::new(codes::BAD_FONTS, format!("fonts.{} 应为字体家族名或其列表", key.name))
                    .at(value.span, "应为字体名"),
            ),
        }
    }
}

fn top_level_names(format: &Format) -> Vec<String> {
    let mut v = vec!["meta".to_string(), "narrative".to_string(), "fonts".to_string()];
    v.extend(format.tree.children.iter().map(|(k, _)| k.clone()));
    v
}

/// An unknown key: did-you-mean among `candidates`, or "this belongs to
/// another format" when another format knows the key path.
pub(crate) fn unknown_key(format: &Format, parent: &str, key: &yaml::Key, candidates: Vec<String>) -> Diagnostic {
    let path = if parent.is_empty() { key.name.clone() } else { format!("{parent}.{}", key.name) };
    if let Some(other) = format::all()
        .iter()
        .find(|f| f.id != format.id && f.cells.iter().any(|c| c.key == path || c.key.starts_with(&format!("{path}."))))
    {
        let label = match other.cell(&path) {
            Some(c) => other.describe(c),
            None => {
                // A group of cells: name the rows (or columns) it holds.
                let cells: Vec<&crate::format::Cell> =
                    other.cells.iter().filter(|c| c.key.starts_with(&format!("{path}."))).collect();
                let first = cells[0];
                let section = &other.cell_section(other.cell(&first.key).unwrap_or(0)).label;
                let rows: Vec<String> = cells
                    .iter()
                    .filter(|c| !c.row_labels.is_empty())
                    .map(|c| c.row_labels.join(" › "))
                    .fold(Vec::new(), |mut v, r| {
                        if !v.contains(&r) {
                            v.push(r);
                        }
                        v
                    });
                if rows.is_empty() {
                    format!("「{section}」{}", first.col_labels.first().cloned().unwrap_or_default())
                } else {
                    format!("「{section}」行「{}」", rows.join("、"))
                }
            }
        };
        return Diagnostic::new(
            codes::OTHER_FORMAT_KEY,
            format!(
                "“{path}”是 {} 格式（{}）的键，本报告使用 {} 格式（{}）",
                other.id,
                other.years_text(),
                format.id,
                format.years_text()
            ),
        )
        .at(key.span, format!("{} 格式没有这一项", format.id))
        .note(format!("它在 {} 格式中是{label}", other.id))
        .note("请按本年度适用的格式填写；用 `gxgen new --year 年度` 可以生成该格式的完整骨架");
    }
    let mut d = Diagnostic::new(codes::UNKNOWN_KEY, format!("未知的键“{path}”")).at(key.span, "这里不认识这个键");
    if let Some(s) = did_you_mean(&key.name, &candidates) {
        d = d.note(format!("是不是想写“{s}”？"))
    }
    if !candidates.is_empty() {
        d = d.note(format!("这一层可以写的键：{}", candidates.join("、")));
    }
    d
}

pub(crate) use crate::diag::did_you_mean;

/// A scalar that must be text.
pub(crate) fn text_of(node: &Node) -> Option<String> {
    match &node.value {
        Value::Str(s) | Value::Number(s) => Some(s.clone()),
        _ => None,
    }
}
