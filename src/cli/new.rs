//! `gxgen new`

use std::path::PathBuf;

use super::{EXIT_OK, EXIT_USAGE, KindArg, NewArgs};
use crate::model::AgencyKind;
use crate::{format, skeleton};

pub(super) fn run(args: NewArgs) -> i32 {
    let Some(format) = format::for_year(args.year) else {
        eprintln!("错误：没有适用于 {} 年度的报告格式（gxgen 支持 2019 年度起的报告）", args.year);
        return EXIT_USAGE;
    };
    let agency = args.agency.trim();
    if agency.is_empty() {
        eprintln!("错误：--agency 不能为空，请写机关全称");
        return EXIT_USAGE;
    }
    let kind = match args.kind {
        KindArg::Department => AgencyKind::Department,
        KindArg::Government => AgencyKind::Government,
        KindArg::Township => AgencyKind::Township,
    };
    let dir =
        args.dir.unwrap_or_else(|| PathBuf::from(format!("{}-{}", crate::output::safe_file_name(agency), args.year)));
    let mut files: Vec<(String, Vec<u8>)> =
        skeleton::files(format, args.year, agency, kind).into_iter().map(|(n, t)| (n, t.into_bytes())).collect();
    if args.xlsx {
        match crate::driver::workbook::write_new(format, args.year, agency, kind) {
            Ok(bytes) => files[0] = ("report.xlsx".to_string(), bytes),
            Err(e) => {
                eprintln!("错误：无法生成工作簿：{e}");
                return EXIT_USAGE;
            }
        }
    }
    if !args.force
        && let Some((name, _)) = files.iter().find(|(n, _)| dir.join(n).exists())
    {
        eprintln!("错误：{} 已存在，没有写入任何文件", crate::source::display_path(&dir.join(name)));
        eprintln!("换一个文件夹，或加 --force 覆盖");
        return EXIT_USAGE;
    }
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("错误：无法创建文件夹 {}：{e}", crate::source::display_path(&dir));
        return EXIT_USAGE;
    }
    for (name, text) in &files {
        if let Err(e) = crate::output::write_atomic(&dir.join(name), text) {
            eprintln!("错误：无法写入 {}：{e}", crate::source::display_path(&dir.join(name)));
            return EXIT_USAGE;
        }
    }
    let shown = crate::source::display_path(&dir);
    eprintln!("已生成 {} 年度报告骨架（{} 格式，{}）：{shown}/", args.year, format.id, format.document);
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
