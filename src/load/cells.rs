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
                        let candidates: Vec<String> = tree.children.iter().map(|(k, _)| k.clone()).collect();
                        let d = unknown_key(format, path, key, candidates.clone());
                        // A Chinese label as key (`属于国家机密:`): the driver
                        // names the key with the importer's label matching;
                        // here, the one row of this level not written is
                        // the one meant.
                        let unwritten: Vec<&String> = tree
                            .children
                            .iter()
                            .filter(|(k, _)| !entries.iter().any(|(e, _)| &e.name == k))
                            .map(|(k, _)| k)
                            .collect();
                        let meant = if key.name.is_ascii() {
                            super::did_you_mean(&key.name, &candidates).map(str::to_string)
                        } else {
                            (unwritten.len() == 1).then(|| unwritten[0].clone())
                        };
                        // The cells the author meant are not 0: they are not
                        // known, so no rule reasons from them (no cascade).
                        if let Some(child) = meant.as_deref().and_then(|m| tree.child(m)) {
                            let mut cells = Vec::new();
                            child.cells(&mut cells);
                            for c in cells {
                                if report.cells[c].origin == Origin::Omitted {
                                    report.cells[c] = Slot { value: None, origin: Origin::Given(key.span) };
                                }
                            }
                        }
                        diags.push(d);
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
        if items.len() < cells.len() && leading >= 3 {
            total_or_missing(report, path, node, &cells[..leading], diags);
        }
        return;
    }
    // The row's cells are not known: no rule may reason from them.
    for &c in &cells {
        report.cells[c] = Slot { value: None, origin: Origin::Given(node.span) };
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

/// A row written without its total whose last number is the sum of the
/// others: the author may have written the total and left a cell out.
/// The row is read as written (parts, total computed); say what the other
/// reading would give.
fn total_or_missing(report: &Report, path: &str, node: &Node, parts: &[usize], diags: &mut Diagnostics) {
    let values: Option<Vec<Decimal>> = parts.iter().map(|&c| report.value(c).map(|v| v.number)).collect();
    let Some(values) = values else { return };
    let (last, others) = values.split_last().expect("a row has cells");
    let Some(sum_others) = Decimal::sum(others) else { return };
    if last.is_zero() || *last != sum_others {
        return;
    }
    let Some(total) = Decimal::sum(&values) else { return };
    let format = report.format;
    let labels: Vec<String> =
        parts.iter().map(|&c| format.cells[c].col_labels.last().cloned().unwrap_or_default()).collect();
    diags.push(
        Diagnostic::new(
            codes::ROW_LENGTH,
            format!(
                "“{path}”写了 {} 个数，按“不含合计”读取（{}是 {last}，合计算作 {total}）；但最后一个数 {last} 恰好等于前 {} 个数之和，像是合计",
                values.len(),
                labels.last().cloned().unwrap_or_default(),
                others.len()
            ),
        )
        .severity(crate::diag::Severity::Warning)
        .at(node.span, format!("合计按 {total} 计算"))
        .note(format!(
            "如果 {last} 是合计，那么中间漏写了一列（共应有 {} 个数）：请把漏掉的那一列补上 0 或实际数",
            values.len() + 1
        ))
        .note(format!("列的顺序：{}、合计", labels.join("、")))
        .cell(&format.cells[parts[parts.len() - 1]].key),
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
            if matches!(def.kind, Kind::Count | Kind::Signed) && text.contains(['.', '．']) {
                diags.push(
                    Diagnostic::new(
                        codes::NUMBER_FORM,
                        format!("{}写成了“{}”，按 {} 读取", describe(), text.trim(), v.number),
                    )
                    .at(node.span, format!("请写 {}", v.number))
                    .note("件数都是整数；“12.0”多是从电子表格带出来的小数格式，值是明确的，所以照读并提示")
                    .cell(&def.key),
                );
            }
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
    let notation = node.scalar_text().and_then(radix_note);
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
    match notation {
        Some(n) => d.note(n).cell(&def.key),
        None => d.cell(&def.key),
    }
}

/// `0x1F` (= 31), `0o17`, `0b11`, `1_000`: not how a count is written.
fn radix_note(s: &str) -> Option<String> {
    let t = s.trim().trim_start_matches(['+', '-']);
    let (radix, name) = match t.get(..2) {
        Some("0x" | "0X") => (16, "十六进制"),
        Some("0o" | "0O") => (8, "八进制"),
        Some("0b" | "0B") => (2, "二进制"),
        _ if t.contains('_') && t.replace('_', "").bytes().all(|b| b.is_ascii_digit()) => {
            return Some(format!("“{t}”里的下划线不是件数的写法：请写成 {}", t.replace('_', "")));
        }
        _ => return None,
    };
    let value = i64::from_str_radix(&t[2..].replace('_', ""), radix).ok()?;
    Some(format!("“{t}”是{name}写法（等于 {value}），报告里的数都用十进制：请直接写 {value} 或实际的数"))
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
