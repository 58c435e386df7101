//! `gxgen audit`

use super::{AuditArgs, AuditFormat, EXIT_FAILED, EXIT_OK, EXIT_USAGE};

pub(super) fn run(args: AuditArgs) -> i32 {
    let mut rows = Vec::new();
    let mut status = EXIT_OK;
    for f in &args.files {
        match crate::driver::audit::audit_file(f) {
            Ok(a) => {
                if args.format == AuditFormat::Human {
                    let errors = a.rows.iter().filter(|r| r.severity == crate::diag::Severity::Error).count();
                    outln!(
                        "{}（{} {} 年度）：{} 个错误，{} 个警告",
                        crate::source::display_path(f),
                        a.agency.as_deref().unwrap_or("未找到机关名称"),
                        a.year.map_or("？".into(), |y| y.to_string()),
                        errors,
                        a.rows.len() - errors
                    );
                    for r in &a.rows {
                        let place: Vec<&str> = [r.table.as_str(), r.row.as_str(), r.column.as_str()]
                            .into_iter()
                            .filter(|s| !s.is_empty())
                            .collect();
                        let place =
                            if place.is_empty() { String::new() } else { format!("（{}）", place.join(" › ")) };
                        outln!("  {} [{}] {}{place}", r.severity.chinese(), r.rule, r.message);
                    }
                }
                rows.extend(a.rows);
            }
            Err(d) => {
                eprintln!("错误：{}（{}）", d.message, crate::source::display_path(f));
                status = EXIT_USAGE;
            }
        }
    }
    match args.format {
        AuditFormat::Csv => out!("{}", crate::driver::audit::csv(&rows)),
        AuditFormat::Json => outln!("{}", serde_json::to_string_pretty(&rows).unwrap_or_default()),
        AuditFormat::Human => {}
    }
    if status == EXIT_OK && rows.iter().any(|r| r.severity == crate::diag::Severity::Error) {
        status = EXIT_FAILED;
    }
    status
}
