//! The report's figures as data: the nested context that narrative
//! templates see (`{{ applications.new.total }}`), and the normalised JSON
//! embedded in outputs for machine readers.

use serde_json::{Map, Value, json};

use crate::format::Kind;
use crate::model::Report;

/// One cell as JSON: integers as numbers, money as an exact decimal string.
pub fn cell_json(report: &Report, cell: usize) -> Value {
    let def = &report.format.cells[cell];
    match report.value(cell) {
        None => Value::Null,
        Some(v) => match &def.kind {
            Kind::Money(_) => Value::String(v.number.to_string()),
            _ => v.number.to_i64().map_or(Value::Null, Value::from),
        },
    }
}

fn insert_path(root: &mut Map<String, Value>, key: &str, value: Value) {
    let mut segs = key.split('.').peekable();
    let mut node = root;
    while let Some(seg) = segs.next() {
        if segs.peek().is_none() {
            node.insert(seg.to_string(), value);
            return;
        }
        let entry = node.entry(seg.to_string()).or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        node = entry.as_object_mut().expect("object");
    }
}

/// What narrative templates can use: every cell by its key (nested), plus
/// `agency`, `year`, `next_year`.
pub fn template_context(report: &Report) -> Value {
    let mut root = Map::new();
    for i in 0..report.format.cells.len() {
        insert_path(&mut root, &report.format.cells[i].key, cell_json(report, i));
    }
    group_totals(report, &report.format.tree, "", &mut root);
    root.insert("agency".into(), Value::from(report.meta.agency.value.clone()));
    root.insert("year".into(), Value::from(report.meta.year.value));
    root.insert("next_year".into(), Value::from(report.meta.year.value + 1));
    Value::Object(root)
}

/// Subtotals of groups of rows that the tables do not print, so that a text
/// can state them: `applications.results.denied.total` (（三）不予公开, the
/// sum of its eight rows) and the same per column
/// (`applications.results.denied.natural_person`). Keys a group already has
/// are left alone; a subtotal with a blank part is null.
fn group_totals(report: &Report, node: &crate::format::KeyNode, path: &str, root: &mut Map<String, Value>) {
    for (key, child) in &node.children {
        let child_path = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
        let rows: Vec<&crate::format::KeyNode> = child.children.iter().map(|(_, n)| n).collect();
        if !child.is_row() && child.cell.is_none() && !rows.is_empty() && rows.iter().all(|r| r.is_row()) {
            for (col, _) in &rows[0].children {
                let full = format!("{child_path}.{col}");
                if report.format.cell(&full).is_some() || child.child(col).is_some() {
                    continue;
                }
                let parts: Option<Vec<crate::value::Decimal>> = rows
                    .iter()
                    .map(|r| r.child(col).and_then(|n| n.cell).and_then(|c| report.value(c)).map(|v| v.number))
                    .collect();
                let sum = parts.and_then(|p| crate::value::Decimal::sum(&p)).and_then(|d| d.to_i64());
                insert_path(root, &full, sum.map_or(Value::Null, Value::from));
            }
        }
        if child.cell.is_none() {
            group_totals(report, child, &child_path, root);
        }
    }
}

/// The normalised data embedded in every output.
pub fn data_json(report: &Report) -> Value {
    let mut cells = Map::new();
    for i in 0..report.format.cells.len() {
        cells.insert(report.format.cells[i].key.clone(), cell_json(report, i));
    }
    let m = &report.meta;
    json!({
        "generator": format!("gxgen {}", env!("CARGO_PKG_VERSION")),
        "format": report.format.id,
        "format_document": report.format.document,
        "agency": m.agency.value,
        "year": m.year.value,
        "publish_date": m.publish_date.as_ref().map(|d| d.value.to_string()),
        "units": units(report),
        "cells": cells,
    })
}

/// Units of money cells, by key.
fn units(report: &Report) -> Value {
    let mut u = Map::new();
    for (i, c) in report.format.cells.iter().enumerate() {
        if let Kind::Money(unit) = &c.kind {
            let unit = match unit {
                crate::format::MoneyUnit::Fixed(u) => Some(u.clone()),
                crate::format::MoneyUnit::InCell(_) => report.value(i).and_then(|v| v.unit.clone()),
            };
            u.insert(c.key.clone(), unit.map_or(Value::Null, Value::from));
        }
    }
    Value::Object(u)
}
