//! Label matching for the checker: a Chinese label written as a data-file
//! key, or a label variant in a spreadsheet header, named by its key and
//! official label. Uses the importer's label matching (`labels`), so a
//! variant the importer repairs is recognised here too.

use crate::diag::Diagnostic;
use crate::format::{Format, KeyNode};

/// Add "the key is …" to an unknown-key diagnostic (GX0101) whose key is a
/// Chinese label of a child of its parent.
pub fn name_label_key(format: &Format, d: &mut Diagnostic) {
    if d.code != crate::diag::codes::UNKNOWN_KEY {
        return;
    }
    let Some(path) = d.message.split('“').nth(1).and_then(|s| s.split('”').next()) else { return };
    let (parent, name) = path.rsplit_once('.').unwrap_or(("", path));
    let mut tree = &format.tree;
    for seg in parent.split('.').filter(|s| !s.is_empty()) {
        match tree.child(seg) {
            Some(t) => tree = t,
            None => return,
        }
    }
    if let Some((child, label)) = label_match(format, tree, name) {
        d.notes.retain(|n| !n.starts_with("是不是想写"));
        d.notes.insert(0, format!("“{name}”是官方名称“{label}”，它的键是“{child}”：请写 {child}:"));
    }
}

/// A key written as its Chinese label (`属于国家机密:`, `予以公开:`): the
/// child of `tree` whose official label (or a variant the importer knows)
/// it is, with that label. Uses the importer's label matching.
fn label_match(format: &Format, tree: &KeyNode, name: &str) -> Option<(String, String)> {
    use super::labels::{self, Label};
    if name.is_ascii() {
        return None;
    }
    let cells_of = |n: &KeyNode| {
        let mut v = Vec::new();
        n.cells(&mut v);
        v
    };
    let labels_of = |c: usize| {
        let cell = &format.cells[c];
        cell.row_labels.iter().chain(&cell.col_labels).cloned().collect::<Vec<String>>()
    };
    let common = |cells: &[usize]| -> Vec<String> {
        let mut it = cells.iter().map(|&c| labels_of(c));
        let first = it.next().unwrap_or_default();
        it.fold(first, |acc, l| acc.iter().zip(&l).take_while(|(a, b)| a == b).map(|(a, _)| a.clone()).collect())
    };
    let parent = common(&cells_of(tree));
    let mut found: Vec<(String, Label)> = Vec::new();
    for (key, child) in &tree.children {
        let cells = cells_of(child);
        let Some(&first) = cells.first() else { continue };
        let Some(label) = common(&cells).get(parent.len()).cloned() else { continue };
        let cell = &format.cells[first];
        let table = match cell.owner {
            crate::format::Owner::Table { table, .. } => format.tables[table].key.as_str(),
            crate::format::Owner::Facts(_) => "",
        };
        let row_level = cells.iter().all(|&c| format.cells[c].row_key == cell.row_key);
        let variants = if child.cell.is_some() {
            labels::column_variants(&format.id, table, &cell.col_key)
        } else if row_level {
            labels::row_variants(&format.id, table, &cell.row_key)
        } else {
            Vec::new()
        };
        found.push((key.clone(), Label::new(&label, variants)));
    }
    let candidates: Vec<&Label> = found.iter().map(|(_, l)| l).collect();
    let hit = labels::best(name, &candidates, |_| true)?;
    let (key, label) = &found[hit.index];
    Some((key.clone(), label.text.clone()))
}

/// The cell a spreadsheet header names with a label variant or a slip
/// (`…/1.属于国家机密/自然人` for `…/1.属于国家秘密/自然人`): the one cell
/// whose official label path (`official(cell)`, segments split by `/`)
/// differs in at most two segments, each matched by the importer's label
/// matching. None when no cell or more than one fits.
pub fn cell_for_header(format: &Format, header: &str, official: impl Fn(usize) -> String) -> Option<usize> {
    use super::labels::{self, Label};
    let segs: Vec<&str> = header.split(['/', '／']).map(str::trim).collect();
    let mut found: Vec<usize> = Vec::new();
    for (c, cell) in format.cells.iter().enumerate() {
        let path = official(c);
        let off: Vec<&str> = path.split('/').collect();
        if off.len() != segs.len() {
            continue;
        }
        let table = match cell.owner {
            crate::format::Owner::Table { table, .. } => format.tables[table].key.as_str(),
            crate::format::Owner::Facts(_) => "",
        };
        let last_row = cell.row_labels.last().map(String::as_str);
        let mut differing = 0;
        let ok = segs.iter().zip(&off).enumerate().all(|(i, (h, o))| {
            if h == o {
                return true;
            }
            differing += 1;
            let variants = if i + 1 == off.len() {
                labels::column_variants(&format.id, table, &cell.col_key)
            } else if Some(*o) == last_row {
                labels::row_variants(&format.id, table, &cell.row_key)
            } else {
                Vec::new()
            };
            let label = Label::new(o, variants);
            labels::best(h, &[&label], |_| true).is_some()
        });
        if ok && differing <= 2 {
            found.push(c);
        }
    }
    (found.len() == 1).then(|| found[0])
}

/// How a workbook's row or column label was matched to an official one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelMatch {
    /// The official label (after normalising width and spaces).
    Exact(usize),
    /// Official label `index`, matched after the repairs named.
    Repaired(usize, Vec<String>),
}

/// A label written in a report workbook (a row label a clerk retyped) among
/// the official labels of its table: `candidates` are (label, row key) for
/// rows or (label, column key) for columns of table `table`. The importer's
/// label matching (variants, ordinals, bounded fuzzy matching); `near(i)`
/// says which candidates may be matched loosely.
pub fn workbook_label(
    format: &Format,
    table: &str,
    rows: bool,
    written: &str,
    candidates: &[(String, String)],
    near: impl Fn(usize) -> bool,
) -> Option<LabelMatch> {
    use super::labels::{self, Label, Quality};
    let prepared: Vec<Label> = candidates
        .iter()
        .map(|(text, key)| {
            let variants = if rows {
                labels::row_variants(&format.id, table, key)
            } else {
                labels::column_variants(&format.id, table, key)
            };
            Label::new(text, variants)
        })
        .collect();
    let refs: Vec<&Label> = prepared.iter().collect();
    let hit = labels::best(written, &refs, near)?;
    Some(match hit.quality {
        Quality::Exact if super::normalize::norm(written) == super::normalize::norm(&candidates[hit.index].0) => {
            LabelMatch::Exact(hit.index)
        }
        Quality::Exact => LabelMatch::Repaired(hit.index, Vec::new()),
        Quality::Repaired(r) => LabelMatch::Repaired(hit.index, r),
    })
}
