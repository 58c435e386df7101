//! `gxgen audit`

use super::{AuditArgs, AuditFormat, EXIT_FAILED, EXIT_OK, EXIT_USAGE};

pub(super) fn run(args: AuditArgs) -> i32 {
    use crate::diag::Severity;
    if args.format == AuditFormat::Html && args.out.is_none() {
        eprintln!("错误：--format html 须用 -o 指定写出的文件，例如 -o 审核.html");
        return EXIT_USAGE;
    }
    let mut reports = Vec::new();
    let mut status = EXIT_OK;
    let mut human = String::new();
    for f in &args.files {
        match crate::driver::audit::audit_file(f) {
            Ok(a) => {
                if args.format == AuditFormat::Human {
                    human.push_str(&format!(
                        "{}（{} {} 年度）：{} 个错误，{} 个警告，{} 处无法核对\n",
                        crate::source::display_path(f),
                        a.agency.as_deref().unwrap_or("未找到机关名称"),
                        a.year.map_or("？".into(), |y| y.to_string()),
                        a.count(Severity::Error),
                        a.count(Severity::Warning),
                        a.unchecked()
                    ));
                    for r in &a.rows {
                        let place: Vec<&str> = [r.table.as_str(), r.row.as_str(), r.column.as_str()]
                            .into_iter()
                            .filter(|s| !s.is_empty())
                            .collect();
                        let mut place =
                            if place.is_empty() { String::new() } else { format!("（{}）", place.join(" › ")) };
                        if let Some(l) = r.line {
                            place.push_str(&format!("（原文第 {l} 行）"));
                        }
                        human.push_str(&format!("  {} [{}] {}{place}\n", r.severity.chinese(), r.rule, r.message));
                    }
                }
                reports.push(a);
            }
            Err(message) => {
                eprintln!("错误：{message}");
                status = EXIT_USAGE;
            }
        }
    }
    let rows: Vec<crate::driver::audit::Row> = reports.iter().flat_map(|a| a.rows.iter().cloned()).collect();
    let text = match args.format {
        AuditFormat::Csv => crate::driver::audit::csv(&rows),
        AuditFormat::Json => serde_json::to_string_pretty(&rows).unwrap_or_default() + "\n",
        AuditFormat::Html => crate::driver::audit::html(&reports),
        AuditFormat::Human => human,
    };
    match &args.out {
        Some(out) => {
            if let Err(e) = crate::output::write_atomic(out, text.as_bytes()) {
                eprintln!("错误：无法写入 {}：{e}", crate::source::display_path(out));
                return EXIT_USAGE;
            }
            if args.format != AuditFormat::Human {
                outln!("已写出 {}（{} 份报告）", crate::source::display_path(out), reports.len());
            }
        }
        None => out!("{text}"),
    }
    if status == EXIT_OK && rows.iter().any(|r| r.severity == Severity::Error) {
        status = EXIT_FAILED;
    }
    status
}
