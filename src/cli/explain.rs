//! `gxgen explain`

use super::{EXIT_OK, EXIT_USAGE, ExplainArgs};
use crate::diag::codes;
use crate::format;

pub(super) fn run(args: ExplainArgs) -> i32 {
    let Some(code) = args.code else {
        out!("{}", list());
        return EXIT_OK;
    };
    match explain(&code) {
        Some(text) => {
            out!("{text}");
            EXIT_OK
        }
        None => {
            eprintln!("错误：没有诊断代码“{code}”");
            eprintln!("用 gxgen explain（不带代码）列出全部代码");
            EXIT_USAGE
        }
    }
}

/// Every code with its title, one per line.
pub fn list() -> String {
    codes::catalogue().iter().map(|(code, i)| format!("{code}  {}  {}\n", i.severity.chinese(), i.title)).collect()
}

/// The explanation of one code, with the rule as each format defines it.
pub fn explain(code: &str) -> Option<String> {
    let code = code_name(code)?;
    let info = codes::info(&code)?;
    let mut out = format!("{code}：{}（{}）\n\n{}\n", info.title, info.severity.chinese(), info.explain.trim_end());
    for f in format::all() {
        let rules: Vec<_> = f.rules.iter().filter(|r| r.code == code).collect();
        if let Some(first) = rules.first() {
            out.push_str(&format!(
                "\n{} 格式（{}）：规则 {}，共 {} 处检查，例如：\n  {}\n",
                f.id,
                f.document,
                first.id,
                rules.len(),
                crate::reference::rule_text(f, first)
            ));
        }
    }
    // The wording the narrative rules read, as the formats define it.
    if code == codes::NARRATIVE_FIGURE || code == codes::NARRATIVE_NONE {
        for f in format::all() {
            out.push_str(&format!("\n{} 格式（{}）认得的说法：\n", f.id, f.document));
            for st in &f.statements {
                let cells: Vec<&str> = st.cells.iter().map(|&c| f.cells[c].key.as_str()).collect();
                let quoted = |v: &[String]| v.iter().map(|w| format!("“{w}”")).collect::<Vec<_>>().join("");
                let words = if code == codes::NARRATIVE_FIGURE {
                    format!("{} 后接数字和{}", quoted(&st.words), quoted(&st.units))
                } else {
                    quoted(&st.none)
                };
                out.push_str(&format!("  {}（{}）：{words}\n", st.what, cells.join(" + ")));
            }
        }
    }
    Some(out)
}

/// `GX0301`, `gx0301`, `0301`, `301` and `GX 0301` all name GX0301.
fn code_name(code: &str) -> Option<String> {
    let t: String = code.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let digits = t.strip_prefix("GX").unwrap_or(&t);
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Some(t);
    }
    Some(format!("GX{digits:0>4}"))
}
