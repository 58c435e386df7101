//! Writing the imported report as a `report.yaml` in the style of
//! `examples/*/report.yaml`: rows of seven or more cells as lists, short
//! rows as flow maps, and rows with a blank cell as block maps whose blank
//! keys have no value (which `gxgen check` reports as blank, never 0).

use std::fmt::Write;

use super::tables::Read;
use crate::format::{Format, KeyNode, Kind, MoneyUnit, Owner};

/// Everything written besides the cells.
pub struct Head<'a> {
    pub format: &'static Format,
    pub title: String,
    pub agency: Option<(&'a str, &'a str)>,
    pub year: Option<(i32, &'a str)>,
    pub format_note: &'a str,
    pub kind: Option<&'a str>,
    pub publish_date: Option<&'a str>,
    /// (section key, file name) of the narratives written.
    pub narratives: &'a [(String, String)],
    /// Lines of the leading comment (findings).
    pub notes: &'a [String],
    /// Tables and facts blocks not found (top-level keys left out), with why.
    pub left_out: &'a [(String, String)],
    /// Notes on rows the import had to judge, by official row label path.
    pub row_notes: &'a [(String, String)],
}

use crate::writer::{quote as quoted, with_comment};

pub fn yaml(head: &Head, cells: &[Read]) -> String {
    let format = head.format;
    let mut s = String::new();
    let _ = writeln!(s, "# {} — 数据文件", head.title);
    let _ =
        writeln!(s, "# 由 gxgen import 从已发布的原文导入；数字与正文照原文录入，原文空白的单元格留空（不当作 0）。");
    for n in head.notes {
        let _ = writeln!(s, "# {n}");
    }
    s.push_str("meta:\n");
    match head.agency {
        Some((a, how)) => s.push_str(&with_comment(&format!("  agency: {}", quoted(a)), how)),
        None => s.push_str("  # agency: 原文未写明机关全称，请补上"),
    }
    s.push('\n');
    match head.year {
        Some((y, how)) => s.push_str(&with_comment(&format!("  year: {y}"), how)),
        None => s.push_str("  # year: 原文未写明报告年度，请补上"),
    }
    s.push('\n');
    let _ = writeln!(s, "{}", with_comment(&format!("  format: \"{}\"", format.id), head.format_note));
    if let Some(k) = head.kind {
        let _ = writeln!(s, "{}", with_comment(&format!("  kind: {k}"), "据机关名称推断"));
    }
    if let Some(d) = head.publish_date {
        let _ = writeln!(s, "{}", with_comment(&format!("  publish_date: {d}"), "文末落款日期"));
    }
    if !head.narratives.is_empty() {
        s.push_str("narrative:\n");
        for (key, file) in head.narratives {
            let label = format.section(key).map_or("", |x| x.label.as_str());
            let _ = writeln!(s, "{}", with_comment(&format!("  {key}: {file}"), label));
        }
    }
    for (top, node) in &format.tree.children {
        if let Some((_, why)) = head.left_out.iter().find(|(k, _)| k == top) {
            let _ = writeln!(s, "# {top}: 未写入 — {why}");
            continue;
        }
        let label = top_label(format, node);
        if node.is_row() {
            let ctx = Ctx { format, cells, notes: head.row_notes };
            write_row(&ctx, node, &format!("{top}:"), "", &label, &mut s);
            continue;
        }
        let _ = writeln!(s, "{}", with_comment(&format!("{top}:"), &label));
        if let Some(order) = list_order(format, node) {
            let _ = writeln!(s, "  # {order}");
        }
        write_node(&Ctx { format, cells, notes: head.row_notes }, node, 1, &mut s, &mut None);
    }
    s
}

/// What writing the cells needs.
struct Ctx<'a> {
    format: &'a Format,
    cells: &'a [Read],
    notes: &'a [(String, String)],
}

impl Ctx<'_> {
    /// The comment of a key: its official label, with the notes on its row.
    fn comment(&self, node: &KeyNode, label: &str) -> String {
        let path = row_path(self.format, node);
        let notes: Vec<&str> =
            self.notes.iter().filter(|(p, _)| !path.is_empty() && *p == path).map(|(_, n)| n.as_str()).collect();
        if notes.is_empty() { label.to_string() } else { format!("{label}（{}）", notes.join("；")) }
    }
}

/// The row label path its cells share (empty when they have none).
fn row_path(format: &Format, node: &KeyNode) -> String {
    let cells = cells_of(node);
    let mut common = format.cells[cells[0]].row_labels.clone();
    for &c in &cells[1..] {
        let n = common.iter().zip(&format.cells[c].row_labels).take_while(|(a, b)| a == b).count();
        common.truncate(n);
    }
    common.join(" › ")
}

/// The YAML scalar for a read cell; None for a blank.
fn scalar(read: &Read, kind: &Kind) -> Option<String> {
    match read {
        Read::Value(v) => Some(match kind {
            Kind::Money(MoneyUnit::InCell(_)) => quoted(&v.display(kind)),
            Kind::Money(MoneyUnit::Fixed(_)) if v.unit.is_some() => quoted(&v.display(kind)),
            _ => v.number.to_string(),
        }),
        Read::Invalid(t) => Some(quoted(t)),
        Read::Absent | Read::Missing | Read::Blank(_) => None,
    }
}

fn cells_of(node: &KeyNode) -> Vec<usize> {
    let mut v = Vec::new();
    node.cells(&mut v);
    v
}

fn write_node(ctx: &Ctx, node: &KeyNode, depth: usize, s: &mut String, caption: &mut Option<String>) {
    let (format, cells) = (ctx.format, ctx.cells);
    let indent = "  ".repeat(depth);
    let width = node.children.iter().map(|(k, _)| k.len()).max().unwrap_or(0) + 1;
    for (key, child) in &node.children {
        let first = &format.cells[cells_of(child)[0]];
        if let Some(c) = part_caption(format, first.owner)
            && caption.as_deref() != Some(c.as_str())
        {
            let _ = writeln!(s, "{indent}# {c}");
            *caption = Some(c.clone());
        }
        let head = format!("{indent}{:width$}", format!("{key}:"));
        let label = ctx.comment(child, &label_for(format, child));
        if let Some(c) = child.cell {
            let line = match scalar(&cells[c], &format.cells[c].kind) {
                Some(v) => format!("{head} {v}"),
                None => head.trim_end().to_string(),
            };
            let _ = writeln!(s, "{}", with_comment(&line, &label));
        } else if child.is_row() {
            write_row(ctx, child, &head, &indent, &label, s);
        } else {
            let _ = writeln!(s, "{}", with_comment(&format!("{indent}{key}:"), &label));
            write_node(ctx, child, depth + 1, s, caption);
        }
    }
}

/// The caption of the table part a cell is in (第二十条第（一）项 …).
fn part_caption(format: &Format, owner: Owner) -> Option<&String> {
    match owner {
        Owner::Table { table, part } => format.tables[table].parts[part].caption.as_ref(),
        Owner::Facts(_) => None,
    }
}

/// A row: a list or flow map when every cell has a value, else a block map
/// with the blank cells as keys without value.
fn write_row(ctx: &Ctx, row: &KeyNode, head: &str, indent: &str, label: &str, s: &mut String) {
    let (format, cells) = (ctx.format, ctx.cells);
    let values: Vec<(String, Option<String>)> = row
        .children
        .iter()
        .filter_map(|(k, n)| n.cell.map(|c| (k.clone(), scalar(&cells[c], &format.cells[c].kind))))
        .collect();
    if values.iter().all(|(_, v)| v.is_some()) {
        let line = if values.len() >= crate::format::LIST_ROW {
            let list: Vec<&str> = values.iter().map(|(_, v)| v.as_deref().unwrap_or_default()).collect();
            format!("{head} [{}]", list.join(", "))
        } else {
            let map: Vec<String> =
                values.iter().map(|(k, v)| format!("{k}: {}", v.as_deref().unwrap_or_default())).collect();
            format!("{head} {{{}}}", map.join(", "))
        };
        let _ = writeln!(s, "{}", with_comment(&line, label));
        return;
    }
    let _ = writeln!(s, "{}", with_comment(head.trim_end(), &format!("{label}（有空白单元格）")));
    let width = values.iter().map(|(k, _)| k.len()).max().unwrap_or(0) + 1;
    for ((k, v), (_, n)) in values.iter().zip(&row.children) {
        let col = n.cell.map(|c| format.cells[c].col_labels.join(" › ")).unwrap_or_default();
        let key = format!("{indent}  {:width$}", format!("{k}:"));
        let line = match v {
            Some(v) => format!("{key} {v}"),
            None => key.trim_end().to_string(),
        };
        let _ =
            writeln!(s, "{}", with_comment(&line, &if v.is_some() { col } else { format!("{col}：原文空白或缺失") }));
    }
}

/// For a table whose rows are written as lists, the column order, once.
fn list_order(format: &Format, node: &KeyNode) -> Option<String> {
    let labels = format.list_columns(node)?;
    Some(format!("每行 {} 个数：[{}]", labels.len(), labels.join(", ")))
}

/// The comment of a top-level key: a facts block is named with its section.
fn top_label(format: &Format, node: &KeyNode) -> String {
    let first = &format.cells[cells_of(node)[0]];
    match first.owner {
        Owner::Facts(f) => format!("{}（{}）", format.sections[format.facts[f].section].label, format.facts[f].name),
        Owner::Table { .. } => label_for(format, node),
    }
}

/// The official label a key stands for: a leaf's column label; for a group,
/// what its cells share (see `Format::group_label`), else its section or
/// facts block.
fn label_for(format: &Format, node: &KeyNode) -> String {
    if let Some(c) = node.cell {
        return format.cells[c].col_labels.last().cloned().unwrap_or_default();
    }
    format.group_label(node).unwrap_or_else(|| match format.cells[cells_of(node)[0]].owner {
        Owner::Facts(f) => format.facts[f].name.clone(),
        Owner::Table { table, .. } => format.sections[format.tables[table].section].label.clone(),
    })
}
