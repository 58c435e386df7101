//! Reference text generated from the table templates and the code
//! catalogue: the book's 数据文件参考 and 校验规则 pages, and the rule
//! descriptions of `gxgen explain`. A test keeps the book pages in step.

use std::fmt::Write;

use crate::diag::codes;
use crate::format::{self, CellRef, Check, Format, Kind, MoneyUnit, Owner, Rule, Term};

fn term_text(f: &Format, t: &Term, group: &[usize]) -> String {
    let name = match &t.cell {
        CellRef::This(c) => f.relative_label(*c, group),
        CellRef::Previous(key) => format!("上年报告的 {key}"),
    };
    if t.negate { format!("− {name}") } else { name }
}

fn terms_text(f: &Format, terms: &[Term], group: &[usize]) -> String {
    if terms.is_empty() {
        return "0".into();
    }
    let mut s = String::new();
    for (i, t) in terms.iter().enumerate() {
        let x = term_text(f, t, group);
        if i == 0 {
            s.push_str(&x);
        } else if let Some(rest) = x.strip_prefix("− ") {
            let _ = write!(s, " − {rest}");
        } else {
            let _ = write!(s, " + {x}");
        }
    }
    s
}

/// One rule instance in words, with official labels.
pub fn rule_text(f: &Format, r: &Rule) -> String {
    let group: Vec<usize> = r
        .terms()
        .filter_map(|t| match t.cell {
            CellRef::This(c) => Some(c),
            CellRef::Previous(_) => None,
        })
        .collect();
    let anchor = group.first().copied().unwrap_or(0);
    let g = group.as_slice();
    match r.check {
        Check::Sum => format!("{} = {}", f.describe(anchor), terms_text(f, &r.right, g)),
        Check::Equal => {
            format!("{}{} = {}", f.shared_context(g), terms_text(f, &r.left, g), terms_text(f, &r.right, g))
        }
        Check::Le => format!("{}{} ≤ {}", f.shared_context(g), terms_text(f, &r.left, g), terms_text(f, &r.right, g)),
        Check::Differ => format!(
            "{}{} ≠ {}（同为 0 时除外）",
            f.shared_context(g),
            terms_text(f, &r.left, g),
            terms_text(f, &r.right, g)
        ),
    }
}

fn kind_text(k: &Kind) -> String {
    match k {
        Kind::Count => "非负整数".into(),
        Kind::Signed => "整数，可带 +/- 号".into(),
        Kind::Money(MoneyUnit::Fixed(u)) => format!("金额（{u}），精确小数"),
        Kind::Money(MoneyUnit::InCell(us)) => format!("金额，带单位（{}）", us.join("或")),
    }
}

/// The 数据文件参考 page.
pub fn data_file_page() -> String {
    let mut s = String::new();
    s.push_str("<!-- 本页由 gxgen 根据 templates/tables/ 自动生成，请勿手工修改；更新方法：GXGEN_BLESS=1 cargo test --test suite reference -->\n\n");
    s.push_str("# 数据文件参考\n\n");
    s.push_str("一份报告是一个文件夹：数据文件 `report.yaml` 加上若干 markdown 正文文件。本页列出数据文件中可以写的每一个键，以及它在官方表格中的名称。\n\n");
    s.push_str("## meta：基本信息\n\n| 键 | 含义 | 必填 |\n|---|---|---|\n");
    for (k, m, r) in [
        ("agency", "机关全称", "是"),
        ("year", "报告年度，例如 2024", "是"),
        ("format", "报告格式：\"2019\" 或 \"2021\"；不写时按年度自动选择，写了必须与年度相符", "否"),
        ("kind", "机关类型：department 政府部门、government 一级人民政府、township 乡镇/街道", "否"),
        ("publish_date", "发布日期，YYYY-MM-DD", "否"),
        ("website", "网站地址", "否"),
        (
            "（顶层）fonts",
            "PDF 各排版用途的字体：title、body、heading、subheading、table，各写一个字体家族名或按优先顺序的列表（见 gxgen explain GX0108）",
            "否",
        ),
        ("previous", "上一年度同一机关报告的数据文件（相对路径，例如 ../2023/report.yaml），用于跨年度核对", "否"),
        (
            "carry_over_note",
            "本年与上年报告不衔接的原因（例如机构改革中合并、分设）；写了它，跨年度核对的结果只作提示",
            "否",
        ),
        ("contact.address / postcode / phone / fax / email", "联系地址、邮编、电话、传真、电子邮箱", "否"),
    ] {
        let _ = writeln!(s, "| `{k}` | {m} | {r} |");
    }
    s.push_str("\n## narrative：正文\n\n每一项可以直接写 markdown 文字，也可以写同一文件夹内 `.md`、`.txt` 或 Word（`.docx`）文件的相对路径（不能指向报告文件夹以外）。\n\n| 键 | 部分 |\n|---|---|\n");
    let latest = format::all().last().expect("at least one format");
    for sec in latest.sections.iter().filter(|x| x.narrative) {
        let _ = writeln!(s, "| `narrative.{}` | {} |", sec.key, sec.label);
    }
    s.push_str("\n## 表格数据\n\n表格的每个单元格有一个固定的键。一行可以写成键值表（`natural_person: 3`），也可以按官方列顺序写成列表（`[3, 0, 0, 0, 0, 0, 3]`）。不写的单元格按 0 处理；合计（总计）可以不写，由 gxgen 计算，写了就会被校验，绝不会被悄悄改掉。空白（`natural_person:` 后面什么也不写）不等于 0，会报错。\n");
    for f in format::all() {
        let _ = write!(s, "\n### {} 格式：{}（{}，适用于 {}）\n", f.id, f.name, f.document, f.years_text());
        let mut last_owner = None;
        for (i, c) in f.cells.iter().enumerate() {
            let owner_title = match c.owner {
                Owner::Table { table, .. } => f.sections[f.tables[table].section].label.clone(),
                Owner::Facts(x) => format!("{}（{}）", f.facts[x].name, f.sections[f.facts[x].section].label),
            };
            if last_owner.as_ref() != Some(&owner_title) {
                let _ = write!(s, "\n#### {owner_title}\n\n| 键 | 行 | 列 | 类型 |\n|---|---|---|---|\n");
                last_owner = Some(owner_title);
            }
            let computed = if f.rules.iter().any(|r| r.total() == Some(i)) { "；合计，可不写" } else { "" };
            let _ = writeln!(
                s,
                "| `{}` | {} | {} | {}{computed} |",
                c.key,
                if c.row_labels.is_empty() { "—".to_string() } else { c.row_labels.join(" › ") },
                c.col_labels.join(" › "),
                kind_text(&c.kind)
            );
        }
    }
    s
}

/// Join the catalogue's hard-wrapped lines: in Chinese text a line break
/// inside a paragraph must not become a space. List items stay lines.
fn unwrap_lines(text: &str) -> String {
    let mut out = String::new();
    for line in text.trim_end().lines() {
        let item = line.starts_with("- ") || line.starts_with("  ");
        if !out.is_empty() && (item || out.ends_with('：') || out.ends_with('\n')) {
            out.push('\n');
        }
        out.push_str(line);
    }
    out
}

/// The 校验规则 page.
pub fn rules_page() -> String {
    let mut s = String::new();
    s.push_str("<!-- 本页由 gxgen 根据 templates/codes.yaml 和 templates/tables/ 自动生成，请勿手工修改；更新方法：GXGEN_BLESS=1 cargo test --test suite reference -->\n\n");
    s.push_str("# 校验规则\n\n`gxgen check` 报告的每个问题都有一个固定的代码。错误使检查不通过（退出状态 1）；警告只提醒，加 `--deny warnings` 时也算不通过。命令行中可以用 `gxgen explain 代码` 查看同样的说明。\n");
    for (code, info) in codes::catalogue() {
        let _ = write!(
            s,
            "\n## {code} {}\n\n级别：{}\n\n{}\n",
            info.title,
            info.severity.chinese(),
            unwrap_lines(&info.explain)
        );
        for f in format::all() {
            let rules: Vec<&Rule> = f.rules.iter().filter(|r| &r.code == code).collect();
            if rules.is_empty() {
                continue;
            }
            let _ = write!(s, "\n{} 格式（规则 {}，{} 处检查）：\n\n", f.id, rules[0].id, rules.len());
            for r in rules {
                let sev =
                    if r.severity != info.severity { format!("（{}）", r.severity.chinese()) } else { String::new() };
                let _ = writeln!(s, "- {}{sev}", rule_text(f, r));
            }
        }
    }
    s
}
