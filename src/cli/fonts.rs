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
                let sub =
                    if r.is_true_style(&f) { String::new() } else { format!("——替代字体，不是{}", r.style) };
                outln!("{label}：{f}{bold}{sub}");
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
    let subs = resolved.substitutes();
    if !subs.is_empty() {
        outln!("\n以下用途没有找到该字体，PDF 中用替代字体排版（可以生成，但字形与公文要求不同）：");
        for (r, f) in &subs {
            outln!("  {}：现用 {f}。安装：{}", r.label, r.install_here().unwrap_or("见手册“生成 PDF（字体与版式）”"));
        }
        outln!("安装后重新运行 gxgen fonts 确认；字体文件也可以放进一个文件夹，用 --font-path 文件夹 指定。");
    }
    let missing = resolved.missing_roles();
    if missing.is_empty() {
        EXIT_OK
    } else {
        outln!("\n缺少中文字体，无法生成 PDF。{INSTALL_HINT}");
        EXIT_FAILED
    }
}

/// One line for `build` when some role is served by a substitute font: said
/// once per run, not per report, and only when this run typeset a PDF (an
/// unchanged workspace scans no fonts, and is not made to).
pub(super) fn substitute_hint(opts: &crate::render::pdf::FontOptions) -> Option<String> {
    let lib = FontLibrary::if_scanned(opts)?;
    let subs = Resolved::resolve(&lib, &BTreeMap::new()).substitutes();
    if subs.is_empty() {
        return None;
    }
    let list: Vec<String> = subs.iter().map(|(r, f)| format!("{}用了 {f}", r.style)).collect();
    Some(format!("提示：本机缺少公文字体，PDF 中{}（替代字体）；运行 gxgen fonts 查看该装什么", list.join("，")))
}
