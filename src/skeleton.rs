//! `gxgen new`: a complete, commented report skeleton for one year, written
//! from the format's templates (every key with its official label).

use std::fmt::Write;

use crate::format::{Format, KeyNode, Kind, MoneyUnit};
use crate::model::AgencyKind;

/// The marker of text still to be written; `gxgen check` warns about it.
pub const PLACEHOLDER: &str = "【待填写】";

/// Files of a new report folder: (file name, contents).
pub fn files(format: &Format, year: i32, agency: &str, kind: AgencyKind) -> Vec<(String, String)> {
    let mut files = vec![("report.yaml".to_string(), report_yaml(format, year, agency, kind))];
    for sec in format.sections.iter().filter(|s| s.narrative) {
        files.push((format!("{}.md", file_stem(&sec.key)), narrative_md(format, &sec.key, kind)));
    }
    files
}

fn file_stem(section: &str) -> &str {
    match section {
        "other_matters" => "other",
        s => s,
    }
}

fn yaml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn report_yaml(format: &Format, year: i32, agency: &str, kind: AgencyKind) -> String {
    let mut s = String::new();
    let title = format.title.replace("{agency}", agency).replace("{year}", &year.to_string());
    let _ = writeln!(s, "# {title} — 数据文件");
    let _ = writeln!(s, "# 格式：{}（{}），适用于 {}", format.name, format.document, format.years_text());
    s.push_str("# 每个键后的注释是官方表格中的名称。不写的单元格按 0 处理；合计可以不写（由 gxgen 计算），\n# 写了就会被校验。写好后运行：gxgen check report.yaml\n\n");
    s.push_str("meta:\n");
    let _ = writeln!(s, "  agency: {}            # 机关全称", yaml_str(agency));
    let _ = writeln!(s, "  year: {year}                # 报告年度");
    let _ = writeln!(s, "  format: \"{}\"              # 报告格式（可不写，按年度自动选择）", format.id);
    let kind_name = AgencyKind::NAMES[kind as usize];
    let _ = writeln!(s, "  kind: {kind_name}          # 机关类型：department 政府部门 / government 一级人民政府 / township 乡镇、街道");
    let _ = writeln!(s, "  # publish_date: {}-01-20  # 发布日期", year + 1);
    s.push_str("  # website: https://         # 网站\n  # contact:                   # 联系方式\n  #   address: \n  #   postcode: \"\"\n  #   phone: \"\"\n  #   email: \n\n");
    s.push_str("narrative:                     # 正文（markdown 文件，与本文件放在同一文件夹）\n");
    for sec in format.sections.iter().filter(|x| x.narrative) {
        let _ = writeln!(s, "  {}: {}.md{}# {}", sec.key, file_stem(&sec.key), pad(sec.key.len() + file_stem(&sec.key).len() + 5, 28), sec.label);
    }
    for (top, node) in &format.tree.children {
        s.push('\n');
        let first = first_cell(node);
        let section = &format.cell_section(first).label;
        let _ = writeln!(s, "# {section}");
        let _ = writeln!(s, "{top}:");
        write_node(format, node, 1, &mut s, &mut None);
    }
    s
}

fn first_cell(node: &KeyNode) -> usize {
    let mut v = Vec::new();
    node.cells(&mut v);
    v[0]
}

fn pad(used: usize, width: usize) -> String {
    " ".repeat(width.saturating_sub(used).max(1))
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
    for (key, child) in &node.children {
        let first = first_cell(child);
        let cell = &format.cells[first];
        if let Some(c) = cell.row_labels.first().filter(|c| c.starts_with("第") && cell.row_labels.len() > 1) {
            if caption.as_deref() != Some(c.as_str()) {
                let _ = writeln!(s, "{indent}# {c}");
                *caption = Some(c.clone());
            }
        }
        if let Some(c) = child.cell {
            let label = format.cells[c].col_labels.join(" › ");
            let used = indent.len() + key.len() + 2 + zero(&format.cells[c].kind).len();
            let _ = writeln!(s, "{indent}{key}: {}{}# {label}", zero(&format.cells[c].kind), pad(used, 34));
            continue;
        }
        let row_label = label_for_group(format, child);
        if child.is_row() && child.children.len() >= 6 {
            let cells: Vec<usize> = child.children.iter().filter_map(|(_, n)| n.cell).collect();
            let zeros = vec!["0"; cells.len()].join(", ");
            let used = indent.len() + key.len() + 4 + zeros.len();
            let _ = writeln!(s, "{indent}{key}: [{zeros}]{}# {row_label}", pad(used, 34));
        } else {
            let used = indent.len() + key.len() + 1;
            let _ = writeln!(s, "{indent}{key}:{}# {row_label}", pad(used, 34));
            if child.is_row() {
                // Block map: one cell per line.
            } else if let Some(order) = list_order_comment(format, child) {
                let _ = writeln!(s, "{indent}  # {order}");
            }
            write_node(format, child, depth + 1, s, caption);
        }
    }
}

/// For groups whose rows are written as lists, say the column order once.
fn list_order_comment(format: &Format, node: &KeyNode) -> Option<String> {
    let mut v = Vec::new();
    node.cells(&mut v);
    let any_list_row = node.children.iter().any(|(_, n)| n.is_row() && n.children.len() >= 6);
    if !any_list_row {
        return None;
    }
    let row = node.children.iter().find(|(_, n)| n.is_row() && n.children.len() >= 6)?;
    let labels: Vec<String> = row
        .1
        .children
        .iter()
        .filter_map(|(_, n)| n.cell)
        .map(|c| format.cells[c].col_labels.last().cloned().unwrap_or_default())
        .collect();
    Some(format!("每行 {} 个数，依次为：{}（合计可以不写）", labels.len(), labels.join("、")))
}

/// The label a group of cells stands for: the row label (or column group).
fn label_for_group(format: &Format, node: &KeyNode) -> String {
    let mut cells = Vec::new();
    node.cells(&mut cells);
    let first = &format.cells[cells[0]];
    let all_same_row = cells.iter().all(|&c| format.cells[c].row_labels == first.row_labels);
    if all_same_row && !first.row_labels.is_empty() {
        return first.row_labels.last().cloned().unwrap_or_default();
    }
    // Common prefix of row labels, else of column labels.
    let common = |get: &dyn Fn(usize) -> Vec<String>| -> Vec<String> {
        let mut p = get(cells[0]);
        for &c in &cells[1..] {
            let l = get(c);
            let n = p.iter().zip(&l).take_while(|(a, b)| a == b).count();
            p.truncate(n);
        }
        p
    };
    let rows = common(&|c| format.cells[c].row_labels.clone());
    if let Some(l) = rows.last() {
        return l.clone();
    }
    let cols = common(&|c| format.cells[c].col_labels.clone());
    cols.join(" › ")
}

fn narrative_md(format: &Format, section: &str, kind: AgencyKind) -> String {
    let label = format.section(section).map(|s| s.label.as_str()).unwrap_or_default();
    let mut s = format!("<!-- “{label}”部分的正文。标题由 gxgen 生成，这里只写正文；用空行分段。 -->\n\n");
    match section {
        "overview" => {
            for t in ["（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）政府信息公开平台建设", "（五）监督保障"] {
                let _ = write!(s, "{t}。{PLACEHOLDER}\n\n");
            }
            if kind == AgencyKind::Government {
                let _ = write!(s, "（监督保障部分还应说明工作考核、社会评议和责任追究结果情况。）{PLACEHOLDER}\n");
            }
        }
        "problems" => {
            let _ = write!(s, "存在的主要问题：{PLACEHOLDER}\n\n改进情况（含上年度报告所列问题的整改情况）：{PLACEHOLDER}\n");
        }
        _ => {
            let _ = write!(s, "{PLACEHOLDER}（其他需要报告的事项；没有时写“无”。）\n");
        }
    }
    s
}
