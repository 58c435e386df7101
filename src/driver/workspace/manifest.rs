//! `gxgen.yaml`: a workspace of reports (a county's departments, townships
//! and the government itself) built together from shared settings.
//!
//! ```yaml
//! year: 2024                  # every agency's report year
//! region: 某某县
//! defaults:                   # anything a report.yaml may write; a report overrides it
//!   meta: {publish_date: 2025-01-20, kind: department}
//!   narrative: {problems: shared/problems.md}
//! agencies: [教育局, 城关镇]  # report folders (default: every subfolder with a report.yaml)
//! summary: {agency: 某某县各部门汇总}
//! ```

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics, codes};
use crate::load::read::{self, ReadError};
use crate::load::yaml::{self, Key, Node, Value};
use crate::source::{Sources, Span, display_path};

pub const MANIFEST: &str = "gxgen.yaml";
const KEYS: &[&str] = &["year", "region", "defaults", "agencies", "summary"];

/// Where one agency's data is.
#[derive(Debug, Clone)]
pub enum Source {
    File(PathBuf),
    /// A spreadsheet row, as report YAML.
    Row(super::sheet::Row),
}

impl Source {
    pub fn path(&self) -> &Path {
        match self {
            Source::File(p) | Source::Row(super::sheet::Row { path: p, .. }) => p,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Manifest {
    pub path: PathBuf,
    pub dir: PathBuf,
    /// The manifest text: every agency's sources hold it first, so that the
    /// spans of `defaults` stay valid.
    pub text: String,
    pub region: Option<String>,
    pub defaults: Option<Node>,
    /// The agencies, in order: report files and spreadsheet rows.
    pub agencies: Vec<(Source, Span)>,
    /// Name of the summed report.
    pub summary: Option<String>,
    /// The summed report is the government's own 本级 report: its kind and
    /// narrative texts, read from files beside the manifest.
    pub summary_kind: Option<crate::model::AgencyKind>,
    pub summary_narrative: Vec<(String, String)>,
    /// The workspace's year, when given.
    pub year: Option<i32>,
}

/// The manifest a path names: `DIR` (holding gxgen.yaml) or the file.
impl Manifest {
    /// The spreadsheet rows of the agency whose 机关全称 is `agency`.
    pub fn sheet_rows<'a>(&'a self, agency: &'a str) -> impl Iterator<Item = &'a super::sheet::Row> + 'a {
        self.agencies.iter().filter_map(move |(s, _)| match s {
            Source::Row(r) if r.agency == agency && !agency.is_empty() => Some(r),
            _ => None,
        })
    }
}

pub fn find(path: &Path) -> Option<PathBuf> {
    if path.is_dir() {
        let m = path.join(MANIFEST);
        return m.is_file().then_some(m);
    }
    (path.file_name().is_some_and(|n| n == MANIFEST) && path.is_file()).then(|| path.to_path_buf())
}

/// Load the manifest into `sources` (as its first file).
pub fn load(sources: &mut Sources, path: &Path) -> Result<Manifest, Diagnostics> {
    let mut diags = Diagnostics::default();
    let file = match read::read_text(sources, path) {
        Ok(f) => f,
        Err(ReadError::Io(d) | ReadError::Content(d)) => {
            diags.push(d);
            return Err(diags);
        }
    };
    let text = sources.get(file).text.clone();
    let root = yaml::parse(file, sources.get(file)).map_err(|d| {
        let mut ds = Diagnostics::default();
        ds.push(d);
        ds
    })?;
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut m = Manifest {
        path: path.to_path_buf(),
        dir: dir.clone(),
        text,
        region: None,
        defaults: None,
        agencies: Vec::new(),
        summary: None,
        summary_kind: None,
        summary_narrative: Vec::new(),
        year: None,
    };
    let Some(entries) = root.as_map() else {
        diags.push(Diagnostic::new(codes::WORKSPACE, "gxgen.yaml 的最外层应为键值表").at(root.span, "这里"));
        return Err(diags);
    };
    let mut year: Option<Node> = None;
    let mut listed: Option<&Node> = None;
    let mut summary_listed = None;
    for (key, value) in entries {
        match key.name.as_str() {
            "year" => year = Some(value.clone()),
            "region" => m.region = value.scalar_text().map(str::to_string),
            "defaults" => match value.value {
                Value::Map(_) => m.defaults = Some(value.clone()),
                Value::Null => {}
                _ => diags.push(
                    Diagnostic::new(codes::WORKSPACE, "defaults 应为键值表，写法与 report.yaml 相同")
                        .at(value.span, "应为键值表"),
                ),
            },
            "agencies" => listed = Some(value),
            "summary" => {
                m.summary = value.get("agency").and_then(Node::scalar_text).map(str::to_string);
                m.summary_kind =
                    value.get("kind").and_then(Node::scalar_text).and_then(crate::model::AgencyKind::parse);
                // Read once the year (and so the parts' titles) is known.
                summary_listed = value.get("narrative").and_then(Node::as_map);
            }
            _ => {
                let candidates: Vec<String> = KEYS.iter().map(|s| s.to_string()).collect();
                let mut d = Diagnostic::new(codes::WORKSPACE, format!("gxgen.yaml 中未知的键“{}”", key.name))
                    .at(key.span, "这里不认识这个键");
                if let Some(s) = crate::diag::did_you_mean(&key.name, &candidates) {
                    d = d.note(format!("是不是想写“{s}”？"));
                }
                diags.push(d.note(format!("可以写的键：{}", KEYS.join("、"))));
            }
        }
    }
    if let Some(y) = &year {
        // `year:` is a default of every report's meta.
        let meta =
            Node { value: Value::Map(vec![(Key { name: "year".into(), span: y.span }, y.clone())]), span: y.span };
        let wrap = Node { value: Value::Map(vec![(Key { name: "meta".into(), span: y.span }, meta)]), span: y.span };
        let mut d = m.defaults.take().unwrap_or(Node { value: Value::Map(Vec::new()), span: y.span });
        d.merge_defaults(&wrap);
        m.defaults = Some(d);
    }
    m.year = year.as_ref().and_then(|y| y.scalar_text()).and_then(|t| t.trim().parse().ok());
    let format = m.year.and_then(crate::format::for_year);
    for (k, v) in summary_listed.into_iter().flatten() {
        let label = format.and_then(|f| f.section(&k.name)).map_or(k.name.as_str(), |s| s.label.as_str());
        if let Some(text) = summary_narrative(sources, &dir, (&k.name, label), v, &mut diags) {
            m.summary_narrative.push((k.name.clone(), text));
        }
    }
    if let Some(list) = listed {
        agencies(&sources.shared_input(), &dir, list, format, &mut m, &mut diags);
    } else {
        // Every subfolder holding a report.yaml, by name.
        let input = sources.input();
        let found: Vec<PathBuf> = input.list(&dir).into_iter().filter_map(|p| data_file(input, &p)).collect();
        m.agencies = found.into_iter().map(|p| (Source::File(p), root.span)).collect();
    }
    if m.agencies.is_empty() && !diags.has_errors() {
        diags.push(
            Diagnostic::new(codes::WORKSPACE, format!("工作区 {} 中没有报告", display_path(&dir)))
                .at(root.span, "agencies 为空")
                .note("每个单位一个文件夹，其中放 report.yaml；或在 agencies: 中列出这些文件夹"),
        );
    }
    if diags.has_errors() { Err(diags) } else { Ok(m) }
}

/// A folder or spreadsheet that `agencies:` lists: inside the workspace
/// folder, links included (last year's workspace is found by its year
/// folder, never through `agencies:`).
fn inside_workspace(
    input: &dyn crate::input::Input,
    dir: &Path,
    rel: &str,
    at: crate::source::Span,
    diags: &mut Diagnostics,
) -> Option<PathBuf> {
    match crate::input::confine(input, dir, rel) {
        crate::input::Confined::Inside(p) => Some(p),
        how => {
            let why = if how == crate::input::Confined::LinksOut {
                "链接到工作区以外"
            } else {
                "不在工作区文件夹内"
            };
            diags.push(
                Diagnostic::new(codes::BAD_PATH, format!("agencies 中的“{rel}”{why}"))
                    .at(at, "不允许指向工作区以外")
                    .note("每个单位的文件夹（或表格）要放在 gxgen.yaml 所在的文件夹里，写相对路径，例如 城关镇 或 乡镇街道.xlsx"),
            );
            None
        }
    }
}

/// One `summary.narrative` file: confined to the workspace folder and read
/// through the door, like a report's narrative files; a Word file (.docx)
/// is read as a report's Word part is (`load::read_docx`).
fn summary_narrative(
    sources: &mut Sources,
    dir: &Path,
    part: (&str, &str),
    v: &Node,
    diags: &mut Diagnostics,
) -> Option<String> {
    let Some(rel) = v.scalar_text() else {
        diags.push(
            Diagnostic::new(
                codes::WORKSPACE,
                "summary.narrative 下每一项应为 .md、.txt 或 Word（.docx）文件的相对路径",
            )
            .at(v.span, "这里"),
        );
        return None;
    };
    let path = match crate::input::confine(sources.input(), dir, rel) {
        crate::input::Confined::Inside(p) => p,
        _ => {
            diags.push(
                Diagnostic::new(codes::BAD_PATH, format!("汇总的叙述文件“{rel}”不在工作区文件夹内"))
                    .at(v.span, "不允许指向工作区以外")
                    .note("把文件放进工作区文件夹（或其子文件夹），写相对于 gxgen.yaml 的路径，例如 汇总/总体情况.md"),
            );
            return None;
        }
    };
    if sources.input().kind(&path) == crate::input::Kind::Missing {
        diags.push(
            Diagnostic::new(codes::BAD_PATH, format!("找不到汇总的叙述文件“{rel}”"))
                .at(v.span, "这个文件不存在")
                .note(format!("路径相对于 gxgen.yaml 所在的文件夹：{}", display_path(dir))),
        );
        return None;
    }
    if rel.to_lowercase().ends_with(".docx") {
        return crate::load::read_docx(sources, &path, dir, part, rel, v.span, diags).map(|n| n.text);
    }
    match read::read_text(sources, &path) {
        Ok(f) => Some(sources.get(f).text.clone()),
        Err(e) => {
            diags.push(e.diagnostic());
            None
        }
    }
}

fn agencies(
    input: &std::sync::Arc<dyn crate::input::Input>,
    dir: &Path,
    value: &Node,
    format: Option<&'static crate::format::Format>,
    m: &mut Manifest,
    diags: &mut Diagnostics,
) {
    let Value::Seq(items) = &value.value else {
        diags.push(Diagnostic::new(codes::WORKSPACE, "agencies 应为文件夹列表").at(value.span, "应为列表"));
        return;
    };
    for item in items {
        if let Some(sheet) = item
            .get("sheet")
            .and_then(Node::scalar_text)
            .or_else(|| item.scalar_text().filter(|t| super::sheet::is_sheet(t)))
        {
            let worksheet = item.get("worksheet").and_then(Node::scalar_text);
            let Some(format) = format else {
                diags.push(
                    Diagnostic::new(codes::WORKSPACE, "用表格提供单位数据时，gxgen.yaml 要写 year（报告年度）")
                        .at(item.span, "这个表格"),
                );
                continue;
            };
            let Some(sheet) = inside_workspace(&**input, dir, sheet, item.span, diags) else { continue };
            match super::sheet::rows(input, &sheet, worksheet, format) {
                Ok(rows) => m.agencies.extend(rows.iter().map(|r| (Source::Row(r.clone()), item.span))),
                Err(ds) => {
                    for d in ds {
                        diags.push(d.at(item.span, "这个表格"));
                    }
                }
            }
            continue;
        }
        // `workbook: 城关镇/report.xlsx` — a report workbook (one report), not a sheet of rows.
        let rel = item
            .scalar_text()
            .or_else(|| item.get("path").and_then(Node::scalar_text))
            .or_else(|| item.get("workbook").and_then(Node::scalar_text));
        let Some(rel) = rel else {
            diags
                .push(Diagnostic::new(codes::WORKSPACE, "agencies 的每一项应为报告文件夹的路径").at(item.span, "这里"));
            continue;
        };
        let Some(p) = inside_workspace(&**input, dir, rel, item.span, diags) else { continue };
        let file = if input.kind(&p) == crate::input::Kind::Dir {
            data_file(&**input, &p).unwrap_or_else(|| p.join("report.yaml"))
        } else {
            p
        };
        // A listed report that is not there fails on its own, like a broken
        // one (`super::missing`): the other agencies are still built.
        m.agencies.push((Source::File(file), item.span));
    }
}

/// The data file of a report folder: its report.yaml, else its report
/// workbook (report.xlsx).
fn data_file(input: &dyn crate::input::Input, dir: &Path) -> Option<PathBuf> {
    ["report.yaml", "report.xlsx"].iter().map(|n| dir.join(n)).find(|p| input.kind(p) == crate::input::Kind::File)
}
