//! `gxgen new`: a complete, commented report skeleton for one year, written
//! from the format's templates (every key with its official label).

use std::fmt::Write;

use crate::format::{Format, KeyNode, Kind, MoneyUnit};
use crate::model::AgencyKind;
use crate::writer::with_comment;

/// The marker of text still to be written; `gxgen check` warns about it.
pub use crate::model::PLACEHOLDER;

/// Files of a new report folder: (file name, contents).
pub fn files(format: &Format, year: i32, agency: &str, kind: AgencyKind) -> Vec<(String, String)> {
    // The schema beside the data file, named on its first line: an editor
    // with yaml-language-server completes keys and shows official labels.
    let yaml = format!(
        "{}\n{}",
        crate::schema::modeline(crate::schema::REPORT_SCHEMA_FILE),
        report_yaml(format, year, agency, kind)
    );
    let mut files = vec![
        ("report.yaml".to_string(), yaml),
        (crate::schema::REPORT_SCHEMA_FILE.to_string(), crate::schema::to_text(&crate::schema::report(format))),
    ];
    for sec in format.sections.iter().filter(|s| s.narrative) {
        files.push((sec.file.clone(), narrative_md(sec, kind)));
    }
    files
}

pub(crate) use crate::writer::quote as yaml_str;

fn report_yaml(format: &Format, year: i32, agency: &str, kind: AgencyKind) -> String {
    let mut s = String::new();
    let title = format.title.replace("{agency}", agency).replace("{year}", &year.to_string());
    let _ = writeln!(s, "# {title} — 数据文件");
    let _ = writeln!(s, "# 格式：{}（{}），适用于 {}", format.name, format.document, format.years_text());
    s.push_str("# 每个键后的注释是官方表格中的名称。不写的单元格按 0 处理；合计可以不写（由 gxgen 计算），\n# 写了就会被校验。写好后运行：gxgen check report.yaml\n\n");
    s.push_str("meta:\n");
    let kind_name = AgencyKind::NAMES[kind as usize];
    for (line, comment) in [
        (format!("  agency: {}", yaml_str(agency)), "机关全称".to_string()),
        (format!("  year: {year}"), "报告年度".into()),
        (format!("  format: \"{}\"", format.id), "报告格式（可不写，按年度自动选择）".into()),
        (
            format!("  kind: {kind_name}"),
            "机关类型：department 政府部门 / government 一级人民政府 / township 乡镇、街道".into(),
        ),
        (format!("  # publish_date: {}-01-20", year + 1), "发布日期".into()),
        ("  # website: https://".into(), "网站".into()),
        ("  # contact:".into(), "联系方式".into()),
    ] {
        let _ = writeln!(s, "{}", with_comment(&line, &comment));
    }
    s.push_str("  #   address: \n  #   postcode: \"\"\n  #   phone: \"\"\n  #   email: \n\n");
    s.push_str("# 正文：与本文件放在同一文件夹的 markdown 文件（标题由 gxgen 生成，文件里只写正文，用空行分段）\n");
    let _ = writeln!(s, "{}", with_comment("narrative:", "也可以直接写文字：overview: |"));
    for sec in format.sections.iter().filter(|x| x.narrative) {
        let line = format!("  {}: {}", sec.key, sec.file);
        let _ = writeln!(s, "{}", with_comment(&line, &sec.label));
    }
    let mut last_section = String::new();
    for (top, node) in &format.tree.children {
        let section = format.cell_section(first_cell(node)).label.clone();
        s.push('\n');
        if section != last_section {
            let _ = writeln!(s, "# {section}");
            last_section = section;
        }
        let label = label_for_group(format, node);
        let _ = writeln!(s, "{}", with_comment(&format!("{top}:"), &label));
        if let Some(order) = list_order_comment(format, node) {
            let _ = writeln!(s, "  # {order}");
        }
        write_node(format, node, 1, &mut s, &mut None);
    }
    s
}

fn first_cell(node: &KeyNode) -> usize {
    let mut v = Vec::new();
    node.cells(&mut v);
    v[0]
}

fn zero(kind: &Kind) -> &'static str {
    match kind {
        Kind::Money(MoneyUnit::InCell(_)) => "\"0万元\"",
        _ => "0",
    }
}

/// Write the children of `node` at `depth`. `caption` tracks the part
/// caption last printed (第二十条第（一）项).
fn write_node(format: &Format, node: &KeyNode, depth: usize, s: &mut String, caption: &mut Option<String>) {
    let indent = "  ".repeat(depth);
    let width = node.children.iter().map(|(k, _)| k.len()).max().unwrap_or(0) + 1;
    for (key, child) in &node.children {
        let cell = &format.cells[first_cell(child)];
        if let Some(c) = cell.row_labels.first().filter(|c| c.starts_with('第') && cell.row_labels.len() > 1)
            && caption.as_deref() != Some(c.as_str())
        {
            let _ = writeln!(s, "{indent}# {c}");
            *caption = Some(c.clone());
        }
        let head = format!("{indent}{:width$}", format!("{key}:"));
        if let Some(c) = child.cell {
            let label = leaf_comment(format, c);
            let line = format!("{head} {}", zero(&format.cells[c].kind));
            let _ = writeln!(s, "{}", with_comment(&line, &label));
        } else if child.is_row() && child.children.len() >= crate::format::LIST_ROW {
            let zeros = vec!["0"; child.children.len()].join(", ");
            let line = format!("{head} [{zeros}]");
            let _ = writeln!(s, "{}", with_comment(&line, &label_for_group(format, child)));
        } else {
            let line = format!("{indent}{key}:");
            let _ = writeln!(s, "{}", with_comment(&line, &label_for_group(format, child)));
            write_node(format, child, depth + 1, s, caption);
        }
    }
}

/// For a table whose rows are written as lists, say the column order once.
fn list_order_comment(format: &Format, node: &KeyNode) -> Option<String> {
    let labels = format.list_columns(node)?;
    Some(format!("每行 {} 个数，依次为：{}（合计可以不写，由 gxgen 计算）", labels.len(), labels.join("、")))
}

/// The label a group of cells stands for (see `Format::group_label`), else
/// the name of its table or facts block.
fn label_for_group(format: &Format, node: &KeyNode) -> String {
    format.group_label(node).unwrap_or_else(|| match format.cells[first_cell(node)].owner {
        crate::format::Owner::Facts(f) => format.facts[f].name.clone(),
        crate::format::Owner::Table { table, .. } => format.tables[table].name.clone(),
    })
}

/// A leaf's comment: its column label, with the unit where the label has none.
fn leaf_comment(format: &Format, cell: usize) -> String {
    let c = &format.cells[cell];
    let label = c.col_labels.last().cloned().unwrap_or_default();
    match &c.kind {
        Kind::Money(MoneyUnit::Fixed(u)) if !label.contains(u.as_str()) => format!("{label}（单位：{u}）"),
        Kind::Money(MoneyUnit::InCell(us)) => format!("{label}（金额后写单位：{}）", us.join("或")),
        _ => label,
    }
}

/// A narrative part as `gxgen new` writes it, from the format file.
fn narrative_md(sec: &crate::format::Section, kind: AgencyKind) -> String {
    let mut paragraphs: Vec<&str> = sec.skeleton.iter().map(String::as_str).collect();
    if kind == AgencyKind::Government {
        paragraphs.extend(sec.skeleton_government.iter().map(String::as_str));
    }
    if paragraphs.is_empty() {
        return format!("{PLACEHOLDER}\n");
    }
    format!("{}\n", paragraphs.join("\n\n").replace("{placeholder}", PLACEHOLDER))
}
