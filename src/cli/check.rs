//! `gxgen check`

use super::{CheckArgs, Deny, EXIT_FAILED, EXIT_OK, EXIT_USAGE, OutputFormat};
use std::path::PathBuf;

use crate::diag::{render_human, to_json_value};

/// What the paths given name: data files, report folders (holding a
/// report.yaml) and workspaces (a folder holding gxgen.yaml, or the manifest
/// itself; none given means the current folder's). A workspace whose
/// manifest is broken is reported here and leaves the status at 2.
fn reports(args: &CheckArgs, style: crate::diag::Style, status: &mut i32) -> Vec<(PathBuf, crate::driver::Checked)> {
    use crate::driver::workspace::manifest;
    let given: Vec<PathBuf> = if args.files.is_empty() { vec![PathBuf::from(".")] } else { args.files.clone() };
    let mut out = Vec::new();
    for path in given {
        if let Some(m) = manifest::find(&path) {
            let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
            match crate::driver::workspace::check(&m, jobs) {
                Ok(list) => out.extend(list),
                Err((sources, diags)) => {
                    out!("{}", render_human(&sources, &diags.list, style));
                    *status = EXIT_USAGE;
                }
            }
        } else if args.files.is_empty() {
            eprintln!("错误：没有给出数据文件，当前文件夹也不是工作区（没有 gxgen.yaml）");
            eprintln!("用法：gxgen check report.yaml，或 gxgen check 工作区文件夹");
            *status = EXIT_USAGE;
        } else {
            let file = if path.is_dir() { crate::driver::workbook::data_file(&path).unwrap_or(path) } else { path };
            let checked = crate::driver::check(&file);
            out.push((file, checked));
        }
    }
    out
}

pub(super) fn run(args: CheckArgs) -> i32 {
    let style = args.color.style(std::io::IsTerminal::is_terminal(&std::io::stdout()));
    let deny_warnings = args.deny == Some(Deny::Warnings);
    let mut status = EXIT_OK;
    let mut json_reports = Vec::new();
    let (mut total_errors, mut total_warnings) = (0, 0);
    let reports = reports(&args, style, &mut status);
    for (path, checked) in &reports {
        let d = &checked.diagnostics;
        let (errors, warnings) = (d.errors(), d.warnings());
        total_errors += errors;
        total_warnings += warnings;
        if checked.io_failure {
            status = EXIT_USAGE;
        } else if (errors > 0 || (deny_warnings && warnings > 0)) && status == EXIT_OK {
            status = EXIT_FAILED;
        }
        match args.format {
            OutputFormat::Human => {
                out!("{}", render_human(&checked.sources, &d.list, style));
                let name = crate::source::display_path(path);
                let who = checked
                    .report
                    .as_ref()
                    .map(|r| {
                        // A sheet row's name already ends with its agency.
                        let agency = &r.meta.agency.value;
                        let agency = if name.ends_with(&format!("（{agency}）")) {
                            String::new()
                        } else {
                            format!("{agency} ")
                        };
                        format!("（{agency}{} 年度，{} 格式）", r.meta.year.value, r.format.id)
                    })
                    .unwrap_or_default();
                let verdict = if errors > 0 || checked.io_failure {
                    "未通过"
                } else if warnings > 0 && deny_warnings {
                    "未通过（--deny warnings）"
                } else {
                    "通过"
                };
                let infos = match d.infos() {
                    0 => String::new(),
                    n => format!("，{n} 个提示"),
                };
                outln!("{name}{who}：{verdict}，{errors} 个错误，{warnings} 个警告{infos}");
            }
            OutputFormat::Json => {
                let list: Vec<_> = d.list.iter().map(|x| to_json_value(&checked.sources, x)).collect();
                json_reports.push(serde_json::json!({
                    "file": crate::source::display_path(path),
                    "agency": checked.report.as_ref().map(|r| r.meta.agency.value.clone()),
                    "year": checked.report.as_ref().map(|r| r.meta.year.value),
                    "format": checked.report.as_ref().map(|r| r.format.id.clone()),
                    "errors": errors,
                    "warnings": warnings,
                    "infos": d.infos(),
                    "diagnostics": list,
                }));
            }
        }
    }
    match args.format {
        OutputFormat::Json => {
            let doc = serde_json::json!({
                "reports": json_reports,
                "errors": total_errors,
                "warnings": total_warnings,
                "ok": status == EXIT_OK,
            });
            outln!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
        OutputFormat::Human if reports.len() > 1 => {
            let failed = reports.iter().filter(|(_, c)| c.io_failure || c.diagnostics.has_errors()).count();
            outln!("共 {} 份报告：{failed} 份未通过，{total_errors} 个错误，{total_warnings} 个警告", reports.len());
        }
        OutputFormat::Human => {}
    }
    status
}
