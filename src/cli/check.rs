//! `gxgen check`

use super::{CheckArgs, Deny, EXIT_FAILED, EXIT_OK, EXIT_USAGE, OutputFormat};
use crate::diag::{render_human, to_json_value};

pub(super) fn run(args: CheckArgs) -> i32 {
    let style = args.color.style(std::io::IsTerminal::is_terminal(&std::io::stdout()));
    let deny_warnings = args.deny == Some(Deny::Warnings);
    let mut status = EXIT_OK;
    let mut json_reports = Vec::new();
    let (mut total_errors, mut total_warnings) = (0, 0);
    for path in &args.files {
        let checked = crate::check(path);
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
                print!("{}", render_human(&checked.sources, &d.list, style));
                let name = crate::source::display_path(path);
                let who = checked
                    .report
                    .as_ref()
                    .map(|r| format!("（{} {} 年度，{} 格式）", r.meta.agency.value, r.meta.year.value, r.format.id))
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
                println!("{name}{who}：{verdict}，{errors} 个错误，{warnings} 个警告{infos}");
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
            println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
        OutputFormat::Human if args.files.len() > 1 => {
            println!("共 {} 份报告：{total_errors} 个错误，{total_warnings} 个警告", args.files.len());
        }
        OutputFormat::Human => {}
    }
    status
}
