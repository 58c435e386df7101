//! `gxgen fonts`

use std::collections::BTreeMap;

use super::{EXIT_FAILED, EXIT_OK, FontsArgs};
use crate::render::pdf::fonts::{FontLibrary, INSTALL_HINT, Resolved};

pub(super) fn run(args: FontsArgs) -> i32 {
    let lib = FontLibrary::shared(&args.fonts.options());
    let resolved = Resolved::resolve(&lib, &BTreeMap::new());
    let scope = if args.fonts.ignore_system_fonts { "--font-path 中" } else { "本机" };
    outln!("{scope}共 {} 个字体家族。", lib.families.len());
    outln!(
        "西文和数字：{}",
        resolved.latin.as_deref().unwrap_or("（没有找到匹配的西文衬线字体，使用中文字体自带的西文）")
    );
    for r in &crate::typography::get().roles {
        let (role, label) = (r.key.as_str(), &r.label);
        match resolved.cjk.get(role).cloned().flatten() {
            Some(f) => {
                let bold = if role == "title" && lib.has_bold(&f) { "（粗体）" } else { "" };
                outln!("{label}：{f}{bold}");
            }
            None => outln!("{label}：缺少中文字体"),
        }
    }
    if args.all {
        outln!("\n全部字体家族：");
        for f in &lib.families {
            outln!("  {f}");
        }
    }
    let missing = resolved.missing_roles();
    if missing.is_empty() {
        EXIT_OK
    } else {
        outln!("\n缺少中文字体，无法生成 PDF。{INSTALL_HINT}");
        EXIT_FAILED
    }
}
