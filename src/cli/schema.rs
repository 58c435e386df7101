//! `gxgen schema`

use super::{EXIT_OK, EXIT_USAGE, SchemaArgs};
use crate::{format, schema};

pub(super) fn run(args: SchemaArgs) -> i32 {
    let format = match args.year {
        Some(year) => match format::for_year(year) {
            Some(f) => f,
            None => {
                eprintln!("错误：没有适用于 {year} 年度的报告格式（gxgen 支持 2019 年度起的报告）");
                return EXIT_USAGE;
            }
        },
        None => format::all().last().expect("at least one format"),
    };
    let value = if args.workspace { schema::workspace(format) } else { schema::report(format) };
    let text = schema::to_text(&value);
    match args.out {
        None => {
            out!("{text}");
            EXIT_OK
        }
        Some(path) => match crate::output::write_atomic(&path, text.as_bytes()) {
            Ok(()) => {
                eprintln!("已写出 {}", crate::source::display_path(&path));
                EXIT_OK
            }
            Err(e) => {
                eprintln!("错误：无法写入 {}：{e}", crate::source::display_path(&path));
                EXIT_USAGE
            }
        },
    }
}
