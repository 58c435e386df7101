//! `gxgen new`

use std::path::PathBuf;

use super::{EXIT_OK, EXIT_USAGE, KindArg, NewArgs};
use crate::model::AgencyKind;
use crate::{format, skeleton};

pub(super) fn run(args: NewArgs) -> i32 {
    if let Some(from) = &args.from {
        return convert(from, &args);
    }
    let year = args.year.unwrap_or_default();
    let Some(format) = format::for_year(year) else {
        eprintln!("错误：没有适用于 {year} 年度的报告格式（gxgen 支持 2019 年度起的报告）");
        return EXIT_USAGE;
    };
    let agency = args.agency.as_deref().unwrap_or_default().trim();
    if agency.is_empty() {
        eprintln!("错误：--agency 不能为空，请写机关全称");
        return EXIT_USAGE;
    }
    let kind = match args.kind {
        KindArg::Department => AgencyKind::Department,
        KindArg::Government => AgencyKind::Government,
        KindArg::Township => AgencyKind::Township,
    };
    let dir = args.dir.clone().unwrap_or_else(|| default_dir(agency, year));
    let mut files: Vec<(String, Vec<u8>)> =
        skeleton::files(format, year, agency, kind).into_iter().map(|(n, t)| (n, t.into_bytes())).collect();
    if args.xlsx {
        match crate::driver::workbook::write_new(format, year, agency, kind) {
            Ok(bytes) => files[0] = ("report.xlsx".to_string(), bytes),
            Err(e) => {
                eprintln!("错误：无法生成工作簿：{e}");
                return EXIT_USAGE;
            }
        }
    }
    if !write_files(&dir, &files, args.force) {
        return EXIT_USAGE;
    }
    let shown = crate::source::display_path(&dir);
    eprintln!("已生成 {year} 年度报告骨架（{} 格式，{}）：{shown}/", format.id, format.document);
    for (name, _) in &files {
        eprintln!("  {shown}/{name}");
    }
    if args.xlsx {
        eprintln!(
            "下一步：用 Excel 或 WPS 在 report.xlsx 中填数（只有浅黄色的单元格可以填），写好正文，然后运行  gxgen check {shown}"
        );
    } else {
        eprintln!("下一步：填写数据和正文，然后运行  gxgen check {shown}/report.yaml");
    }
    EXIT_OK
}

fn default_dir(agency: &str, year: i32) -> PathBuf {
    PathBuf::from(format!("{}-{year}", crate::output::safe_file_name(agency)))
}

/// Write a new report folder; nothing when a file is there (without --force).
fn write_files(dir: &std::path::Path, files: &[(String, Vec<u8>)], force: bool) -> bool {
    if !force && let Some((name, _)) = files.iter().find(|(n, _)| dir.join(n).exists()) {
        eprintln!("错误：{} 已存在，没有写入任何文件", crate::source::display_path(&dir.join(name)));
        eprintln!("换一个文件夹，或加 --force 覆盖");
        return false;
    }
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("错误：无法创建文件夹 {}：{e}", crate::source::display_path(dir));
        return false;
    }
    for (name, text) in files {
        if let Err(e) = crate::output::write_atomic(&dir.join(name), text) {
            eprintln!("错误：无法写入 {}：{e}", crate::source::display_path(&dir.join(name)));
            return false;
        }
    }
    true
}

/// `gxgen new --xlsx --from report.yaml`: an existing report as a workbook,
/// its narrative parts copied as .md files beside it.
fn convert(from: &std::path::Path, args: &NewArgs) -> i32 {
    let checked = crate::driver::check(from);
    let Some(report) = checked.report else {
        let style = crate::diag::Style::Plain;
        eprint!("{}", crate::diag::render_human(&checked.sources, &checked.diagnostics.list, style));
        eprintln!("错误：{} 读不出报告，没有生成工作簿", crate::source::display_path(from));
        return super::EXIT_FAILED;
    };
    let bytes = match crate::driver::workbook::write_report(&report) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("错误：无法生成工作簿：{e}");
            return EXIT_USAGE;
        }
    };
    let mut files = vec![("report.xlsx".to_string(), bytes)];
    for sec in report.format.sections.iter().filter(|s| s.narrative) {
        if let Some(n) = report.narrative(&sec.key) {
            files.push((sec.file.clone(), n.text.clone().into_bytes()));
        }
    }
    let dir = args.dir.clone().unwrap_or_else(|| default_dir(&report.meta.agency.value, report.meta.year.value));
    if !write_files(&dir, &files, args.force) {
        return EXIT_USAGE;
    }
    let shown = crate::source::display_path(&dir);
    eprintln!("已把 {} 转成报告工作簿：{shown}/", crate::source::display_path(from));
    for (name, _) in &files {
        eprintln!("  {shown}/{name}");
    }
    eprintln!("下一步：gxgen check {shown}");
    EXIT_OK
}
