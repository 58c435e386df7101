//! `gxgen build` of a workspace: every agency, the index and the summary.

use std::path::Path;

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::diag::{Style, render_human};
use crate::driver::build;
use crate::driver::workspace::{self, Status};
use crate::source::display_path;

pub(super) fn run(manifest: &Path, opts: build::Options, jobs: usize, style: Style) -> i32 {
    let fonts = opts.pdf_options.fonts.clone();
    let progress = std::io::IsTerminal::is_terminal(&std::io::stderr()) && std::env::var_os("CI").is_none();
    let wopts = workspace::Options { build: opts, jobs, style, progress };
    let outcome = match workspace::build(manifest, &wopts) {
        Ok(o) => o,
        Err((sources, diags)) => {
            eprint!("{}", render_human(&sources, &diags.list, style));
            return EXIT_USAGE;
        }
    };
    for a in &outcome.agencies {
        eprint!("{}", a.rendered);
    }
    eprint!("{}", render_human(&outcome.sources, &outcome.diagnostics.list, style));
    eprintln!("\n工作区 {}：", display_path(manifest.parent().unwrap_or(Path::new("."))));
    for a in &outcome.agencies {
        let name = a.report.as_ref().map_or_else(|| display_path(&a.path), |r| r.meta.agency.value.clone());
        let detail = match a.status {
            Status::Failed => format!("（{} 个错误，{} 个警告）", a.errors, a.warnings),
            Status::BuiltWithWarnings => format!("（{} 个警告）", a.warnings),
            Status::Built => String::new(),
        };
        eprintln!("  {}  {name}{detail}", a.status.chinese());
    }
    let failed = outcome.agencies.iter().filter(|a| a.status == Status::Failed).count();
    for p in &outcome.summary_outputs {
        eprintln!("汇总：{}", display_path(p));
    }
    if !outcome.removed.is_empty() {
        let names: Vec<String> = outcome.removed.iter().map(|p| display_path(p)).collect();
        eprintln!("已删除上次生成、这次没有生成的文件：{}", names.join("、"));
    }
    if let Some(i) = &outcome.index {
        eprintln!("目录：{}", display_path(i));
        let findings = i.with_file_name(workspace::FINDINGS_PAGE);
        if findings.is_file() {
            eprintln!("问题清单：{}", display_path(&findings));
        }
    }
    eprintln!("共 {} 个单位：{} 个未生成", outcome.agencies.len(), failed);
    if let Some(hint) = super::fonts::substitute_hint(&fonts) {
        eprintln!("{hint}");
    }
    if failed > 0 || outcome.diagnostics.has_errors() { EXIT_FAILED } else { EXIT_OK }
}
