//! `gxgen build` for one report: check, compose, render, write. Errors stop
//! before anything is written; outputs are written atomically.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics, codes};
use crate::render::html;
use crate::source::{Sources, display_path};
use crate::{compose, output};

#[derive(Debug, Default, Clone)]
pub struct Options {
    /// Output folder; default `out/` beside the data file.
    pub out_dir: Option<PathBuf>,
    /// A folder of page templates overriding the built-in ones.
    pub templates: Option<PathBuf>,
}

pub struct Built {
    pub sources: Sources,
    pub diagnostics: Diagnostics,
    pub io_failure: bool,
    /// Files written.
    pub outputs: Vec<PathBuf>,
    pub document: Option<compose::Document>,
}

/// The output file name of a report: stable, from year and agency.
pub fn output_stem(year: i32, agency: &str) -> String {
    format!("{year}-{}", output::safe_file_name(agency))
}

pub fn build(path: &Path, opts: &Options) -> Built {
    let checked = crate::check(path);
    let mut built = Built {
        sources: checked.sources,
        diagnostics: checked.diagnostics,
        io_failure: checked.io_failure,
        outputs: Vec::new(),
        document: None,
    };
    let Some(report) = checked.report else { return built };
    if built.diagnostics.has_errors() {
        return built;
    }
    let (doc, diags) = compose::compose(&report, &built.sources);
    built.diagnostics.extend(diags);
    let Some(doc) = doc else { return built };

    let dirs = html::override_dirs(path, opts.templates.as_deref());
    let page = html::Templates::load(&dirs).and_then(|t| html::render(&doc, &t));
    let page = match page {
        Ok(p) => p,
        Err(d) => {
            built.diagnostics.push(d);
            return built;
        }
    };
    let out_dir = opts
        .out_dir
        .clone()
        .unwrap_or_else(|| path.parent().unwrap_or(Path::new(".")).join("out"));
    let target = out_dir.join(format!("{}.html", output_stem(report.meta.year.value, &report.meta.agency.value)));
    match std::fs::create_dir_all(&out_dir).and_then(|_| output::write_atomic(&target, page.as_bytes())) {
        Ok(()) => built.outputs.push(target),
        Err(e) => {
            built.io_failure = true;
            built.diagnostics.push(
                Diagnostic::new(codes::OUTPUT, format!("无法写出 {}：{e}", display_path(&target)))
                    .note("请检查输出文件夹（-o）是否可写"),
            );
        }
    }
    built.document = Some(doc);
    built
}
