//! `gxgen import`

use super::{EXIT_OK, EXIT_USAGE, ImportArgs, OutputFormat};

pub(super) fn run(args: ImportArgs) -> i32 {
    let bytes = match crate::import::input::read_file(&args.file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("错误：{e}");
            return EXIT_USAGE;
        }
    };
    let options = crate::import::Options {
        agency: args.agency.clone(),
        file_stem: args.file.file_stem().map(|s| s.to_string_lossy().into_owned()),
        ..Default::default()
    };
    let imported = crate::import::import_bytes_with(&bytes, &options);
    if imported.unreadable() {
        for f in imported.findings.iter().filter(|f| f.severity() == crate::diag::Severity::Error) {
            let shown = crate::source::display_path(&args.file);
            eprintln!("错误[{}]：{}（{shown}），没有写入任何文件", f.code, f.message);
            if f.code == crate::diag::codes::IMPORT_PDF_NOT_GXGEN {
                eprintln!("  = 请改为导入同一份报告的网页（.html）或 .docx 文件（或复制出的文本）");
            }
        }
        return EXIT_USAGE;
    }
    let mut files: Vec<(String, Vec<u8>)> = imported.files().into_iter().map(|(n, t)| (n, t.into_bytes())).collect();
    if args.xlsx {
        match imported_workbook(&files, &args.out) {
            Ok(bytes) => {
                files.retain(|(n, _)| n != "report.yaml");
                files.insert(0, ("report.xlsx".to_string(), bytes));
            }
            Err(e) => {
                eprintln!("错误：{e}，没有写入任何文件；不加 --xlsx 时写成 report.yaml，可以先修改再转换");
                return EXIT_USAGE;
            }
        }
    }
    if !args.force
        && let Some((name, _)) = files.iter().find(|(n, _)| args.out.join(n).exists())
    {
        eprintln!(
            "错误：{} 已存在，没有写入任何文件；换一个文件夹，或加 --force 覆盖",
            crate::source::display_path(&args.out.join(name))
        );
        return EXIT_USAGE;
    }
    let written = std::fs::create_dir_all(&args.out)
        .and_then(|_| files.iter().try_for_each(|(n, t)| crate::output::write_atomic(&args.out.join(n), t)));
    if let Err(e) = written {
        eprintln!("错误：无法写入 {}：{e}", crate::source::display_path(&args.out));
        return EXIT_USAGE;
    }
    match args.format {
        OutputFormat::Json => outln!("{}", serde_json::to_string_pretty(&imported).unwrap_or_default()),
        OutputFormat::Human => {
            outln!(
                "已读入：{} {} 年度（{} 格式），写到 {}/",
                imported.agency.as_deref().unwrap_or("（未找到机关名称）"),
                imported.year.map_or("？".to_string(), |y| y.to_string()),
                imported.format_id.as_deref().unwrap_or("？"),
                crate::source::display_path(&args.out)
            );
            for f in &imported.findings {
                let place: Vec<&str> =
                    [f.table.as_deref(), f.row.as_deref(), f.column.as_deref()].into_iter().flatten().collect();
                let mut place = if place.is_empty() { String::new() } else { format!("（{}）", place.join(" › ")) };
                if let Some(l) = f.line {
                    place.push_str(&format!("（原文第 {l} 行）"));
                }
                outln!("  [{}] {}{place}", f.code, f.message);
            }
            outln!(
                "共 {} 处需要留意的地方。下一步：gxgen check {}/{}",
                imported.findings.len(),
                crate::source::display_path(&args.out),
                if args.xlsx { "report.xlsx" } else { "report.yaml" }
            );
        }
    }
    EXIT_OK
}

/// The imported report as a workbook: its report.yaml loaded in memory
/// (with the narrative files beside it) and written by the workbook writer.
fn imported_workbook(files: &[(String, Vec<u8>)], out: &std::path::Path) -> Result<Vec<u8>, String> {
    let mut memory = crate::input::Memory::new();
    for (n, t) in files {
        memory.insert(out.join(n), t.clone());
    }
    let sources = crate::source::Sources::with_input(std::sync::Arc::new(memory));
    let checked = crate::driver::check_with(sources, &out.join("report.yaml"), None);
    let report = checked.report.ok_or("读入的报告缺少年度或机关名称，无法写成工作簿")?;
    crate::driver::workbook::write_report(&report).map_err(|e| format!("无法生成工作簿：{e}"))
}
