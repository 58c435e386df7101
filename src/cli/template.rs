//! `gxgen template`

use std::path::PathBuf;

use super::{EXIT_OK, EXIT_USAGE, SheetKind, TemplateArgs};

pub(super) fn run(args: TemplateArgs) -> i32 {
    use crate::driver::workspace::sheet;
    let Some(format) = crate::format::for_year(args.year) else {
        eprintln!("错误：没有适用于 {} 年度的报告格式", args.year);
        return EXIT_USAGE;
    };
    let header = sheet::template_header(format);
    let (bytes, ext) = match args.kind {
        SheetKind::Csv => (Ok(sheet::write_csv(&header)), "csv"),
        SheetKind::Xlsx => (sheet::write_xlsx(&header), "xlsx"),
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            eprintln!("错误：无法生成表格：{e}");
            return EXIT_USAGE;
        }
    };
    let out = args.out.unwrap_or_else(|| PathBuf::from(format!("数据表-{}.{ext}", args.year)));
    if let Err(e) = crate::output::write_atomic(&out, &bytes) {
        eprintln!("错误：无法写入 {}：{e}", crate::source::display_path(&out));
        return EXIT_USAGE;
    }
    eprintln!(
        "已生成 {}：{} 列（{} 格式，{}）",
        crate::source::display_path(&out),
        header.len(),
        format.id,
        format.document
    );
    EXIT_OK
}
