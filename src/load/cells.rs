//! Table cells, walked along the format's key tree. A row may be written as
//! a map by column key or as a list in the official column order; an omitted
//! cell is 0 and an omitted total is computed.

use super::unknown_key;
use super::yaml::{Node, Value};
use crate::diag::{Diagnostic, Diagnostics, codes};
use crate::format::{Format, KeyNode, Kind, MoneyUnit};
use crate::model::{Origin, Report, Slot};
use crate::value::{CellValue, Decimal, ValueError, parse_cell};

pub fn walk(report: &mut Report, tree: &KeyNode, path: &str, node: &Node, diags: &mut Diagnostics) {
    let format = report.format;
    if let Some(cell) = tree.cell {
        read_cell(report, cell, node, diags);
        return;
    }
    report.places.insert(path.to_string(), node.span);
    match &node.value {
        Value::Null => {}
        Value::Map(entries) => {
            for (key, value) in entries {
                let child_path = format!("{path}.{}", key.name);
                match tree.child(&key.name) {
                    Some(child) => {
                        report.places.insert(child_path.clone(), key.span);
                        walk(report, child, &child_path, value, diags);
                    }
                    None => {
                        let candidates = tree.children.iter().map(|(k, _)| k.clone()).collect();
                        diags.push(unknown_key(format, path, key, candidates));
                    }
                }
            }
        }
        Value::Seq(items) if tree.is_row() => read_row(report, tree, path, node, items, diags),
        _ => {
            let expected =
                if tree.is_row() { "键值表（按列的键）或按官方列顺序的列表" } else { "键值表" };
            let mut d =
                Diagnostic::new(codes::WRONG_TYPE, format!("“{path}”应为{expected}，实际是{}", node.type_name()))
                    .at(node.span, format!("这里应为{expected}"));
            let keys: Vec<&str> = tree.children.iter().map(|(k, _)| k.as_str()).collect();
            d = d.note(format!("“{path}”下可以写：{}", keys.join("、")));
            diags.push(d);
        }
    }
}

/// Cells that are computed when omitted: the totals of sum rules.
pub fn computed(format: &Format, cell: usize) -> bool {
    format.rules.iter().any(|r| r.total() == Some(cell))
}

fn read_row(report: &mut Report, tree: &KeyNode, path: &str, node: &Node, items: &[Node], diags: &mut Diagnostics) {
    let format = report.format;
    let cells: Vec<usize> = tree.children.iter().filter_map(|(_, n)| n.cell).collect();
    let leading = cells.iter().take_while(|&&c| !computed(format, c)).count();
    let trailing_computed = cells[leading..].iter().all(|&c| computed(format, c));
    if items.len() == cells.len() || (trailing_computed && leading < cells.len() && items.len() == leading) {
        for (item, &cell) in items.iter().zip(&cells) {
            read_cell(report, cell, item, diags);
        }
        return;
    }
    let labels: Vec<String> =
        cells.iter().map(|&c| format.cells[c].col_labels.last().cloned().unwrap_or_default()).collect();
    let allowed = if trailing_computed && leading < cells.len() {
        format!("{} 个（含合计）或 {} 个（不含合计，由 gxgen 计算）", cells.len(), leading)
    } else {
        format!("{} 个", cells.len())
    };
    let row = format.cells[cells[0]].row_labels.join(" › ");
    diags.push(
        Diagnostic::new(codes::ROW_LENGTH, format!("“{path}”（{row}）写了 {} 个数，应为 {allowed}", items.len()))
            .at(node.span, format!("这一行有 {} 个数", items.len()))
            .note(format!("列的顺序：{}", labels.join("、")))
            .note("数不清时可以改用键值表写法，例如 natural_person: 3"),
    );
}

fn read_cell(report: &mut Report, cell: usize, node: &Node, diags: &mut Diagnostics) {
    let format = report.format;
    let def = &format.cells[cell];
    let describe = || format.describe(cell);
    // Marked as written but without a value until it parses, so that a bad
    // value is reported once and not again by the arithmetic.
    report.cells[cell] = Slot { value: None, origin: Origin::Given(node.span) };
    let text = match &node.value {
        Value::Number(s) | Value::Str(s) => s.clone(),
        Value::Null => {
            diags.push(
                Diagnostic::new(codes::BLANK, format!("{}是空白", describe()))
                    .at(node.span, "空白不等于 0")
                    .note("没有数据请填 0；不填这个键也按 0 处理，但留空会被当作遗漏")
                    .cell(&def.key),
            );
            return;
        }
        _ => {
            diags.push(bad_value(format, cell, node, &ValueError::NotANumber));
            return;
        }
    };
    match parse_cell(&text, &def.kind) {
        Ok(v) => {
            report.cells[cell] = Slot { value: Some(v), origin: Origin::Given(node.span) };
        }
        Err(ValueError::MissingUnit(_)) if Decimal::parse(&text).is_some_and(|d| d.is_zero()) => {
            // Zero needs no unit.
            report.cells[cell] =
                Slot { value: Some(CellValue::count(Decimal::ZERO)), origin: Origin::Given(node.span) };
        }
        Err(e) => diags.push(bad_value(format, cell, node, &e)),
    }
}

fn bad_value(format: &Format, cell: usize, node: &Node, e: &ValueError) -> Diagnostic {
    let def = &format.cells[cell];
    let written = node.scalar_text().map_or_else(|| node.type_name().to_string(), |s| format!("“{s}”"));
    let what = format.describe(cell);
    let d = match (&def.kind, e) {
        (Kind::Count, ValueError::Negative) => {
            Diagnostic::new(codes::COUNT, format!("{what}不能是负数，实际填写 {written}")).at(node.span, "件数不能为负")
        }
        (Kind::Count, _) => Diagnostic::new(codes::COUNT, format!("{what}应为非负整数，实际填写 {written}"))
            .at(node.span, "应为 0、1、2 …这样的整数"),
        (Kind::Signed, _) => {
            Diagnostic::new(codes::SIGNED, format!("{what}应为整数（可带 + 或 - 号），实际填写 {written}"))
                .at(node.span, "应为 +3、-2、0 这样的整数")
        }
        (Kind::Money(_), ValueError::MissingUnit(units)) => Diagnostic::new(
            codes::MONEY_UNIT,
            format!("{what}需要写明单位（{}），实际填写 {written}", units.join("或")),
        )
        .at(node.span, "缺少单位")
        .note(format!("例如：\"16800{}\"（带单位的金额要加引号）", units[0])),
        (Kind::Money(unit), ValueError::Negative) => {
            Diagnostic::new(codes::MONEY, format!("{what}不能是负数，实际填写 {written}"))
                .at(node.span, "金额不能为负")
                .note(unit_note(unit))
        }
        (Kind::Money(unit), _) => Diagnostic::new(codes::MONEY, format!("{what}应为金额数字，实际填写 {written}"))
            .at(node.span, "应为 0、12.5 这样的数")
            .note(unit_note(unit)),
    };
    d.cell(&def.key)
}

fn unit_note(unit: &MoneyUnit) -> String {
    match unit {
        MoneyUnit::Fixed(u) => format!("单位是{u}；可以写小数，gxgen 按十进制精确计算，不会有舍入误差"),
        MoneyUnit::InCell(us) => format!("金额后写单位（{}），例如 \"251000元\"", us.join("或")),
    }
}

/// Omitted cells: totals stay empty for the arithmetic stage to compute,
/// everything else is 0. Records tables and facts blocks not written at all.
pub fn fill_omitted(report: &mut Report) {
    let format = report.format;
    for f in &format.facts {
        if !report.places.contains_key(&f.prefix) {
            report.absent.push(f.prefix.clone());
        }
    }
    for t in &format.tables {
        let mut keys = Vec::new();
        for c in &format.cells {
            if matches!(c.owner, crate::format::Owner::Table { table, .. } if format.tables[table].key == t.key) {
                let top = c.key.split('.').next().unwrap_or_default().to_string();
                if !keys.contains(&top) {
                    keys.push(top);
                }
            }
        }
        if keys.iter().all(|k| !report.places.contains_key(k)) {
            report.absent.push(t.key.clone());
        }
    }
    // Facts not stated at all stay unknown (not 0), so that no rule reasons
    // from them; their absence is reported on its own.
    let unknown = |key: &str| {
        report.absent.iter().any(|p| key.starts_with(&format!("{p}.")))
            && format.facts.iter().any(|f| key.starts_with(&format!("{}.", f.prefix)))
    };
    let unknown: Vec<bool> = format.cells.iter().map(|c| unknown(&c.key)).collect();
    for (i, slot) in report.cells.iter_mut().enumerate() {
        if slot.value.is_none() && slot.origin == Origin::Omitted && !unknown[i] {
            if computed(format, i) {
                slot.origin = Origin::Computed;
            } else {
                slot.value = Some(CellValue::count(Decimal::ZERO));
            }
        }
    }
}
