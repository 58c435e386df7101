//! `gxgen build` for one report: check, compose, render, write. Errors stop
//! before anything is written; outputs are written atomically.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics, codes};
use crate::input::{Confined, Input, Kind, ReadFailure, confine};
use crate::render::{self, pdf};
use crate::source::{Sources, display_path};
use crate::{compose, output};

#[derive(Debug, Clone)]
pub struct Options {
    /// Output folder; default `out/` beside the data file.
    pub out_dir: Option<PathBuf>,
    /// A folder of page templates overriding the built-in ones.
    pub templates: Option<PathBuf>,
    /// Warnings stop the build too.
    pub deny_warnings: bool,
    /// The outputs to make, by renderer name (`render::RENDERERS`), in the
    /// order they are made.
    pub outputs: Vec<&'static str>,
    pub pdf_options: pdf::Options,
    /// Also write the typst inputs (`--emit typst`): `<stem>-typst/report.typ`
    /// and `document.json`, exactly what the PDF renderer compiles.
    pub emit_typst: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            out_dir: None,
            templates: None,
            deny_warnings: false,
            outputs: render::names(),
            pdf_options: pdf::Options::default(),
            emit_typst: false,
        }
    }
}

pub struct Built {
    pub sources: Sources,
    pub diagnostics: Diagnostics,
    pub io_failure: bool,
    /// Files written.
    pub outputs: Vec<PathBuf>,
    /// Time spent typesetting, when a PDF was made.
    pub pdf_timings: Option<pdf::Timings>,
    /// The report, when it could be loaded.
    pub report: Option<crate::model::Report>,
    /// Last year's report, as the check loaded it.
    pub previous: Option<crate::model::Report>,
    pub document: Option<compose::Document>,
}

/// The output file name of a report: stable, from year and agency.
pub fn output_stem(year: i32, agency: &str) -> String {
    format!("{year}-{}", output::safe_file_name(agency))
}

pub fn build(path: &Path, opts: &Options) -> Built {
    prewarm(opts);
    build_checked(path, crate::driver::check(path), opts)
}

/// When a PDF is asked for, start loading its fonts beside the check.
pub fn prewarm(opts: &Options) {
    if opts.outputs.contains(&"pdf") {
        pdf::prewarm_fonts(&opts.pdf_options);
    }
}

/// Build a report already checked (a workspace checks with its defaults).
pub fn build_checked(path: &Path, checked: crate::driver::Checked, opts: &Options) -> Built {
    let mut built = Built {
        sources: checked.sources,
        diagnostics: checked.diagnostics,
        io_failure: checked.io_failure,
        outputs: Vec::new(),
        document: None,
        pdf_timings: None,
        report: None,
        previous: checked.previous,
    };
    let Some(report) = checked.report else { return built };
    if built.diagnostics.has_errors() || (opts.deny_warnings && built.diagnostics.warnings() > 0) {
        built.report = Some(report);
        return built;
    }
    let report = built.report.insert(report);
    let written = render_report(report, checked.document, &built.sources, path, opts);
    built.diagnostics.extend(written.diagnostics);
    built.io_failure |= written.io_failure;
    built.outputs = written.outputs;
    built.pdf_timings = written.pdf_timings;
    built.document = written.document;
    built
}

/// What rendering and writing one report produced.
pub struct Written {
    pub diagnostics: Diagnostics,
    pub io_failure: bool,
    pub outputs: Vec<PathBuf>,
    pub pdf_timings: Option<pdf::Timings>,
    pub document: Option<compose::Document>,
}

/// Render a checked report's outputs and write them (only when every output
/// rendered); `doc` is its composed document when the check made one.
/// `path` locates template overrides.
pub fn render_report(
    report: &crate::model::Report,
    doc: Option<compose::Document>,
    sources: &Sources,
    path: &Path,
    opts: &Options,
) -> Written {
    let mut w = Written {
        diagnostics: Diagnostics::default(),
        io_failure: false,
        outputs: Vec::new(),
        pdf_timings: None,
        document: None,
    };
    let mut doc = match doc {
        Some(d) => d,
        None => {
            let (doc, diags) = compose::compose(report, sources);
            w.diagnostics.extend(diags);
            let Some(doc) = doc else { return w };
            doc
        }
    };

    // A renderer that checks glyphs names the place of a character no font has.
    doc.provenance.chars = compose::char_places(report, sources);
    let dirs = template_dirs(sources.input(), path, opts.templates.as_deref());
    let templates = match read_templates(sources.input(), &dirs) {
        Ok(t) => t,
        Err(d) => {
            w.diagnostics.push(d);
            return w;
        }
    };
    let ctx = render::Context { templates, pdf: opts.pdf_options.clone() };
    // Render everything first; write only when every output succeeded.
    let mut files: Vec<(&str, Vec<u8>)> = Vec::new();
    for name in &opts.outputs {
        let Some(renderer) = render::find(name) else { continue };
        match renderer.render(&doc, &ctx) {
            Ok(out) => {
                w.diagnostics.list.extend(out.warnings);
                if out.timings.is_some() {
                    w.pdf_timings = out.timings;
                }
                files.push((renderer.name(), out.bytes));
            }
            Err(ds) => {
                w.diagnostics.list.extend(ds);
                return w;
            }
        }
    }
    let out_dir = opts.out_dir.clone().unwrap_or_else(|| path.parent().unwrap_or(Path::new(".")).join("out"));
    let stem = output_stem(report.meta.year.value, &report.meta.agency.value);
    let mut files: Vec<(PathBuf, Vec<u8>)> =
        files.into_iter().map(|(ext, bytes)| (out_dir.join(format!("{stem}.{ext}")), bytes)).collect();
    if opts.emit_typst {
        match render::typst_emit::emit(&doc, &ctx) {
            Ok(pair) => {
                let dir = out_dir.join(render::typst_emit::folder_name(&stem));
                files.extend(pair.into_iter().map(|(name, bytes)| (dir.join(name), bytes)));
            }
            Err(ds) => {
                w.diagnostics.list.extend(ds);
                return w;
            }
        }
    }
    for (target, bytes) in files {
        let dir = target.parent().unwrap_or(&out_dir);
        match std::fs::create_dir_all(dir).and_then(|_| output::write_atomic(&target, &bytes)) {
            Ok(()) => w.outputs.push(target),
            Err(e) => {
                w.io_failure = true;
                w.diagnostics.push(
                    Diagnostic::new(codes::OUTPUT, format!("无法写出 {}：{e}", display_path(&target)))
                        .note("请检查输出文件夹（-o）是否可写"),
                );
                return w;
            }
        }
    }
    w.document = Some(doc);
    w
}

/// The folders of page templates that apply to a report: `templates/`
/// beside the data file, then `--templates` (which wins).
pub fn template_dirs(input: &dyn Input, report_path: &Path, cli: Option<&Path>) -> Vec<PathBuf> {
    let mut v = Vec::new();
    if let Some(dir) = report_path.parent() {
        let t = dir.join("templates");
        if input.kind(&t) == Kind::Dir {
            v.push(t);
        }
    }
    if let Some(c) = cli {
        v.push(c.to_path_buf());
    }
    v
}

/// The user's page templates, read through the door. Each must be a
/// regular file inside its folder: a link that leads out is refused, so a
/// report folder cannot publish a file from elsewhere on the machine.
pub fn read_templates(input: &dyn Input, dirs: &[PathBuf]) -> Result<Vec<render::Template>, Diagnostic> {
    let mut out = Vec::new();
    for dir in dirs {
        for name in render::template_names() {
            let path = dir.join(name);
            if input.kind(&path) == Kind::Missing {
                continue;
            }
            let shown = display_path(&path);
            let refuse = |why: &str| {
                Diagnostic::new(codes::PAGE_TEMPLATE, format!("页面模板 {shown} {why}，不读取"))
                    .note("模板文件必须是模板文件夹中的普通文件（不能是指向文件夹以外的链接）")
            };
            if confine(input, dir, name) != Confined::Inside(crate::source::normalize(&path)) {
                return Err(refuse("链接到模板文件夹以外"));
            }
            let bytes = match input.read(&path, crate::load::yaml::MAX_FILE_BYTES as u64) {
                Ok(b) => b,
                Err(ReadFailure::NotAFile(_)) => return Err(refuse("不是普通文件")),
                Err(ReadFailure::TooLarge { len }) => return Err(refuse(&format!("太大（{len} 字节）"))),
                Err(ReadFailure::Io(e)) => {
                    return Err(Diagnostic::new(codes::PAGE_TEMPLATE, format!("无法读取页面模板 {shown}：{e}")));
                }
            };
            let Ok(text) = String::from_utf8(bytes) else {
                return Err(Diagnostic::new(codes::PAGE_TEMPLATE, format!("页面模板 {shown} 不是 UTF-8 编码"))
                    .note("请用编辑器另存为 UTF-8 编码"));
            };
            out.push(render::Template { name: name.to_string(), text, origin: shown });
        }
    }
    Ok(out)
}
