//! The official report formats, loaded from the table templates in
//! `templates/tables/`. Everything the rest of gxgen knows about labels, cell
//! keys, layouts and arithmetic rules comes from here; no mandated label is
//! spelled in Rust code.

pub mod def;
mod rules;

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::assets;
use crate::diag::Severity;
pub use def::{HeadDef, KindDef};
pub use rules::{CellRef, Check, Rule, Term};

/// What a cell holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A non-negative integer.
    Count,
    /// A signed integer (the 2019 format's 本年增/减), printed with its sign.
    Signed,
    /// An exact decimal amount of money.
    Money(MoneyUnit),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoneyUnit {
    /// The unit is fixed by the header (e.g. 万元); values are plain numbers.
    Fixed(String),
    /// The unit is written in the cell, one of these (e.g. 16800万元).
    InCell(Vec<String>),
}

/// Where a cell sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Table { table: usize, part: usize },
    Facts(usize),
}

/// One data cell of the format.
#[derive(Debug, Clone)]
pub struct Cell {
    pub key: String,
    pub kind: Kind,
    pub owner: Owner,
    /// Row label path (empty for a table whose single row has no label).
    pub row_labels: Vec<String>,
    /// Column label path (for facts: the item label).
    pub col_labels: Vec<String>,
    /// Row key path inside its table, e.g. `results.denied.state_secret`.
    pub row_key: String,
    /// Column key path inside its table, e.g. `natural_person`.
    pub col_key: String,
}

#[derive(Debug)]
pub struct Section {
    pub key: String,
    pub label: String,
    pub narrative: bool,
    pub table: Option<usize>,
    pub facts: Option<usize>,
    /// A narrative part's file name in a report folder.
    pub file: String,
    /// The skeleton `gxgen new` writes, and what it adds for a government.
    pub skeleton: Vec<String>,
    pub skeleton_government: Vec<String>,
}

#[derive(Debug)]
pub struct Table {
    pub key: String,
    pub prefix: String,
    pub name: String,
    pub section: usize,
    pub parts: Vec<def::PartDef>,
    /// Leaf row key paths in official order.
    pub leaf_rows: Vec<String>,
    /// Leaf column key paths in official order (over all parts, deduplicated).
    pub leaf_cols: Vec<String>,
}

#[derive(Debug)]
pub struct Facts {
    pub key: String,
    pub prefix: String,
    pub name: String,
    pub section: usize,
    pub sentence: String,
    pub sentence_when_zero: String,
}

/// Rows of at least this many cells are written as lists in data files
/// (`new: [3, 0, 0, 0, 0, 0, 3]`), by `gxgen new` and `gxgen import` alike.
pub const LIST_ROW: usize = 6;

/// The tree of YAML keys under which cells are written.
#[derive(Debug, Default)]
pub struct KeyNode {
    pub children: Vec<(String, KeyNode)>,
    pub cell: Option<usize>,
}

impl KeyNode {
    pub fn child(&self, key: &str) -> Option<&KeyNode> {
        self.children.iter().find(|(k, _)| k == key).map(|(_, n)| n)
    }

    /// Every cell at or below this node, in official order.
    pub fn cells(&self, out: &mut Vec<usize>) {
        if let Some(c) = self.cell {
            out.push(c);
        }
        for (_, n) in &self.children {
            n.cells(out);
        }
    }

    /// The first row at or below this node with at least `min` cells.
    pub fn first_row(&self, min: usize) -> Option<&KeyNode> {
        if self.is_row() && self.children.len() >= min {
            return Some(self);
        }
        self.children.iter().find_map(|(_, n)| n.first_row(min))
    }

    /// True when every child is a cell: such a node may be written as a list.
    pub fn is_row(&self) -> bool {
        !self.children.is_empty() && self.children.iter().all(|(_, n)| n.cell.is_some())
    }
}

#[derive(Debug)]
pub struct Format {
    pub id: String,
    pub name: String,
    pub document: String,
    pub years: def::Years,
    pub title: String,
    pub opening: String,
    pub sections: Vec<Section>,
    pub tables: Vec<Table>,
    pub facts: Vec<Facts>,
    pub cells: Vec<Cell>,
    pub tree: KeyNode,
    pub rules: Vec<Rule>,
    pub statements: Vec<Statement>,
    pub deadlines: Vec<def::DeadlineDef>,
    pub government_topics: Vec<def::TopicDef>,
    /// Cells the workspace index shows per agency (indices into `cells`).
    pub headline: Vec<usize>,
    /// The index's short label of each headline cell (None: the cell's own).
    pub headline_labels: Vec<Option<String>>,
    /// The outcomes charted by the workspace index: (label, cells summed).
    pub outcomes: Vec<(String, Vec<usize>)>,
    pub money_units: Vec<def::MoneyUnitDef>,
    /// Bases a share may name after 占 (words longest first).
    pub share_bases: Vec<ShareBase>,
    index: HashMap<String, usize>,
}

/// A base a share names: "占本年新收申请的61.1%" is recomputed against
/// Σ `cells` instead of the statement's natural base.
#[derive(Debug)]
pub struct ShareBase {
    pub what: String,
    pub cells: Vec<usize>,
    pub words: Vec<String>,
}

/// Wording in the narrative that states a figure of the tables (N-1, N-2):
/// a number after one of `words` must equal the sum of `cells`; after one of
/// `none` the cells must be 0. Words are kept longest first.
#[derive(Debug)]
pub struct Statement {
    pub what: String,
    pub cells: Vec<usize>,
    pub words: Vec<String>,
    pub units: Vec<String>,
    pub none: Vec<String>,
    /// Phrases claiming the cells are all of `all_of` ("均获维持").
    pub all: Vec<String>,
    pub all_of: Vec<usize>,
    /// The base of a share stated after the figure ("占X%").
    pub share_of: Vec<usize>,
}

impl Format {
    pub fn cell(&self, key: &str) -> Option<usize> {
        self.index.get(key).copied()
    }

    pub fn fits_year(&self, year: i32) -> bool {
        year >= self.years.from && self.years.to.is_none_or(|to| year <= to)
    }

    /// "2019–2020" or "2021 起".
    pub fn years_text(&self) -> String {
        match self.years.to {
            Some(to) => format!("{}—{} 年度", self.years.from, to),
            None => format!("{} 年度起", self.years.from),
        }
    }

    pub fn section(&self, key: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.key == key)
    }

    /// The section label that holds a cell, e.g. `三、收到和处理政府信息公开申请情况`.
    pub fn cell_section(&self, cell: usize) -> &Section {
        let s = match self.cells[cell].owner {
            Owner::Table { table, .. } => self.tables[table].section,
            Owner::Facts(f) => self.facts[f].section,
        };
        &self.sections[s]
    }

    /// A cell named by its official labels, for messages:
    /// `「三、…情况」行「二、上年结转政府信息公开申请数量」列「申请人情况 › 总计」`.
    pub fn describe(&self, cell: usize) -> String {
        let c = &self.cells[cell];
        let section = &self.cell_section(cell).label;
        match c.owner {
            Owner::Facts(f) => {
                format!("「{section}」{}「{}」", self.facts[f].name, c.col_labels.join(" › "))
            }
            Owner::Table { .. } if c.row_labels.is_empty() => {
                format!("「{section}」列「{}」", c.col_labels.join(" › "))
            }
            Owner::Table { .. } => {
                format!("「{section}」行「{}」列「{}」", c.row_labels.join(" › "), c.col_labels.join(" › "))
            }
        }
    }

    /// The label a key of the data file stands for when it groups cells: its
    /// row label, the common part of its rows' labels or (for cells of one
    /// row) of its columns' labels; None when its cells share none.
    pub fn group_label(&self, node: &KeyNode) -> Option<String> {
        let mut cells = Vec::new();
        node.cells(&mut cells);
        let first = &self.cells[*cells.first()?];
        // The last label of the path every cell's labels begin with.
        fn common<'a>(cells: &[usize], get: impl Fn(usize) -> &'a [String]) -> Option<String> {
            let mut p = get(cells[0]);
            for &c in &cells[1..] {
                let n = p.iter().zip(get(c)).take_while(|(a, b)| a == b).count();
                p = &p[..n];
            }
            p.last().cloned()
        }
        let same_row = cells.iter().all(|&c| self.cells[c].row_labels == first.row_labels);
        if same_row && !first.row_labels.is_empty() {
            return first.row_labels.last().cloned();
        }
        common(&cells, |c| &self.cells[c].row_labels)
            .or_else(|| if same_row { common(&cells, |c| &self.cells[c].col_labels) } else { None })
    }

    /// The column labels of the first row below `node` that is written as a
    /// list in the data file (rows of at least `LIST_ROW` cells).
    pub fn list_columns(&self, node: &KeyNode) -> Option<Vec<String>> {
        let row = node.first_row(LIST_ROW)?;
        Some(
            row.children
                .iter()
                .filter_map(|(_, n)| n.cell)
                .map(|c| self.cells[c].col_labels.last().cloned().unwrap_or_default())
                .collect(),
        )
    }

    /// The name of `cell` among `group` (the cells of one rule): what is not
    /// shared by all of them. Cells of one column are named by their rows,
    /// cells of one row by their columns.
    pub fn relative_label(&self, cell: usize, group: &[usize]) -> String {
        fn rest(get: &dyn Fn(usize) -> Vec<String>, cell: usize, group: &[usize]) -> Vec<String> {
            let mine = get(cell);
            let mut n = mine.len();
            for &g in group {
                let other = get(g);
                n = n.min(mine.iter().zip(&other).take_while(|(a, b)| a == b).count());
            }
            mine[n.min(mine.len().saturating_sub(1))..].to_vec()
        }
        let rows = |c: usize| self.cells[c].row_labels.clone();
        let cols = |c: usize| self.cells[c].col_labels.clone();
        let same_row = group.iter().all(|&g| self.cells[g].row_labels == self.cells[cell].row_labels);
        let same_col = group.iter().all(|&g| self.cells[g].col_labels == self.cells[cell].col_labels);
        let parts = match (same_row, same_col) {
            (true, false) => rest(&cols, cell, group),
            (false, true) => rest(&rows, cell, group),
            (true, true) if !self.cells[cell].row_labels.is_empty() => {
                vec![self.cells[cell].row_labels.last().cloned().unwrap_or_default()]
            }
            (true, true) => vec![self.cells[cell].col_labels.last().cloned().unwrap_or_default()],
            (false, false) => {
                let mut v = rest(&rows, cell, group);
                v.extend(rest(&cols, cell, group));
                v
            }
        };
        parts.join(" › ")
    }

    /// What all cells of a rule share, named once at the front of a message:
    /// `「三、…」列「自然人」：`.
    pub fn shared_context(&self, cells: &[usize]) -> String {
        let Some(&first) = cells.first() else { return String::new() };
        if cells.iter().all(|&c| c == first) {
            return format!("{}：", self.describe(first));
        }
        let f = &self.cells[first];
        let section = &self.cell_section(first).label;
        let same_col = cells.iter().all(|&c| self.cells[c].col_labels == f.col_labels);
        let same_row = cells.iter().all(|&c| self.cells[c].row_labels == f.row_labels);
        if same_col && !f.row_labels.is_empty() {
            format!("「{section}」列「{}」：", f.col_labels.join(" › "))
        } else if same_row && !f.row_labels.is_empty() {
            format!("「{section}」行「{}」：", f.row_labels.join(" › "))
        } else {
            format!("「{section}」：")
        }
    }
}

/// All official formats, loaded once from the embedded templates.
pub fn all() -> &'static [Format] {
    &loaded().0
}

/// What was wrong with the format files of `GXGEN_FORMATS`, one message
/// each (those files are left out); empty when all loaded.
pub fn problems() -> &'static [String] {
    &loaded().1
}

/// The folder of format files added at run time: a new official format
/// can be tried before gxgen builds it in.
pub const FORMATS_VAR: &str = "GXGEN_FORMATS";

fn loaded() -> &'static (Vec<Format>, Vec<String>) {
    static FORMATS: OnceLock<(Vec<Format>, Vec<String>)> = OnceLock::new();
    FORMATS.get_or_init(|| {
        let mut v: Vec<Format> = assets::table_templates()
            .map(|(name, text)| load(text).unwrap_or_else(|e| panic!("embedded table template {name} is invalid: {e}")))
            .collect();
        let mut problems = Vec::new();
        if let Some(dir) = std::env::var_os(FORMATS_VAR).filter(|d| !d.is_empty()) {
            extra_formats(std::path::Path::new(&dir), &mut v, &mut problems);
        }
        v.sort_by_key(|f| f.years.from);
        (v, problems)
    })
}

/// Every `*.yaml` of `dir`, read through the input door, added unless it
/// is broken or clashes with a format already known.
fn extra_formats(dir: &std::path::Path, v: &mut Vec<Format>, problems: &mut Vec<String>) {
    use crate::input::{Disk, Input, Kind};
    let shown = dir.display().to_string();
    if Disk.kind(dir) != Kind::Dir {
        problems.push(format!("{FORMATS_VAR} 指定的“{shown}”不是文件夹"));
        return;
    }
    for path in Disk.list(dir).into_iter().filter(|p| p.extension().is_some_and(|e| e == "yaml")) {
        let name = path.display().to_string();
        let text = match Disk.read(&path, 4 * 1024 * 1024).map(String::from_utf8) {
            Ok(Ok(t)) => t,
            _ => {
                problems.push(format!("无法读取格式文件“{name}”（应为不超过 4 MiB 的 UTF-8 文本）"));
                continue;
            }
        };
        match load(&text) {
            Err(e) => problems.push(format!("格式文件“{name}”有误：{e}")),
            Ok(f) if v.iter().any(|g| g.id == f.id) => {
                problems.push(format!("格式文件“{name}”的 id “{}”与已有的格式重复", f.id));
            }
            Ok(f) if v.iter().any(|g| g.years.from == f.years.from) => {
                problems.push(format!("格式文件“{name}”的适用年度（{} 年起）与已有的格式重复", f.years.from));
            }
            Ok(f) => v.push(f),
        }
    }
}

pub fn by_id(id: &str) -> Option<&'static Format> {
    all().iter().find(|f| f.id == id)
}

pub fn for_year(year: i32) -> Option<&'static Format> {
    // The newest format whose years include it (an open-ended older format
    // gives way to a newer file).
    all().iter().filter(|f| f.fits_year(year)).max_by_key(|f| f.years.from)
}

/// Parse and check one template file.
pub fn load(text: &str) -> Result<Format, String> {
    let def: def::FormatDef = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
    build(def)
}

fn build(def: def::FormatDef) -> Result<Format, String> {
    let sections: Vec<Section> = def
        .sections
        .iter()
        .map(|s| Section {
            key: s.key.clone(),
            label: s.label.clone(),
            narrative: s.narrative,
            table: s.table.as_ref().and_then(|t| def.tables.iter().position(|d| &d.key == t)),
            facts: s.facts.as_ref().and_then(|t| def.facts.iter().position(|d| &d.key == t)),
            file: s.file.clone().unwrap_or_else(|| format!("{}.md", s.key)),
            skeleton: s.skeleton.clone(),
            skeleton_government: s.skeleton_government.clone(),
        })
        .collect();
    let section_of = |key: &str| {
        sections
            .iter()
            .position(|s| s.table.is_some_and(|t| def.tables[t].key == key) || s.key == key)
            .ok_or_else(|| format!("no section holds {key}"))
    };

    let mut cells = Vec::new();
    let mut tables = Vec::new();
    for (ti, t) in def.tables.iter().enumerate() {
        let mut leaf_rows = Vec::new();
        let mut leaf_cols: Vec<String> = Vec::new();
        for (pi, part) in t.parts.iter().enumerate() {
            let rows = leaves(&part.rows);
            let cols = leaves(&part.columns);
            for (rk, rl, _) in &rows {
                if !rk.is_empty() && !leaf_rows.contains(rk) {
                    leaf_rows.push(rk.clone());
                }
                for (ck, cl, head) in &cols {
                    if !leaf_cols.contains(ck) {
                        leaf_cols.push(ck.clone());
                    }
                    cells.push(Cell {
                        key: join(&[&t.prefix, rk, ck]),
                        kind: kind_of(head)?,
                        owner: Owner::Table { table: ti, part: pi },
                        row_labels: rl.clone(),
                        col_labels: cl.clone(),
                        row_key: rk.clone(),
                        col_key: ck.clone(),
                    });
                }
            }
            if let Some(caption) = &part.caption {
                for c in cells.iter_mut().filter(|c| c.owner == (Owner::Table { table: ti, part: pi })) {
                    c.row_labels.insert(0, caption.clone());
                }
            }
        }
        tables.push(Table {
            key: t.key.clone(),
            prefix: t.prefix.clone(),
            name: t.name.clone(),
            section: section_of(&t.key)?,
            parts: Vec::new(),
            leaf_rows,
            leaf_cols,
        });
    }
    let mut facts = Vec::new();
    for (fi, f) in def.facts.iter().enumerate() {
        for (ik, il, head) in leaves(&f.items) {
            cells.push(Cell {
                key: join(&[&f.prefix, &ik]),
                kind: kind_of(head)?,
                owner: Owner::Facts(fi),
                row_labels: Vec::new(),
                col_labels: il,
                row_key: String::new(),
                col_key: ik.clone(),
            });
        }
        facts.push(Facts {
            key: f.key.clone(),
            prefix: f.prefix.clone(),
            name: f.name.clone(),
            section: sections
                .iter()
                .position(|s| s.key == f.section)
                .ok_or_else(|| format!("facts {} names unknown section {}", f.key, f.section))?,
            sentence: f.sentence.clone(),
            sentence_when_zero: f.sentence_when_zero.clone(),
        });
    }

    let mut index = HashMap::new();
    let mut tree = KeyNode::default();
    for (i, c) in cells.iter().enumerate() {
        if index.insert(c.key.clone(), i).is_some() {
            return Err(format!("duplicate cell key {}", c.key));
        }
        let mut node = &mut tree;
        for seg in c.key.split('.') {
            let pos = match node.children.iter().position(|(k, _)| k == seg) {
                Some(p) => p,
                None => {
                    node.children.push((seg.to_string(), KeyNode::default()));
                    node.children.len() - 1
                }
            };
            node = &mut node.children[pos].1;
        }
        if !node.children.is_empty() || node.cell.is_some() {
            return Err(format!("cell key {} is also a group", c.key));
        }
        node.cell = Some(i);
    }

    // Keep the part definitions for layout (moved after cells are built).
    for (t, d) in tables.iter_mut().zip(def.tables) {
        t.parts = d.parts;
    }

    let mut format = Format {
        id: def.id,
        name: def.name,
        document: def.document,
        years: def.years,
        title: def.title,
        opening: def.opening,
        sections,
        tables,
        facts,
        cells,
        tree,
        rules: Vec::new(),
        statements: Vec::new(),
        deadlines: def.deadlines,
        government_topics: def.government_topics,
        headline: Vec::new(),
        headline_labels: Vec::new(),
        outcomes: Vec::new(),
        money_units: def.money_units,
        share_bases: Vec::new(),
        index,
    };
    for h in &def.headline {
        let (key, label) = match h {
            def::HeadlineDef::Cell(k) => (k, None),
            def::HeadlineDef::Labelled { cell, label } => (cell, Some(label.clone())),
        };
        format.headline.push(format.cell(key).ok_or_else(|| format!("headline names unknown cell {key}"))?);
        format.headline_labels.push(label);
    }
    format.outcomes = def
        .outcomes
        .iter()
        .map(|o| Ok((o.label.clone(), resolve_keys(&format, &o.label, &o.cells)?)))
        .collect::<Result<_, String>>()?;
    format.rules = rules::expand(&format, &def.rules)?;
    for st in def.statements {
        let resolve = |keys: &[String]| resolve_keys(&format, &st.what, keys);
        let cells = resolve(&st.cells)?;
        let all_of = resolve(&st.all_of)?;
        let share_of = resolve(&st.share_of)?;
        let longest_first = |mut v: Vec<String>| {
            v.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
            v
        };
        format.statements.push(Statement {
            what: st.what,
            cells,
            words: longest_first(st.words),
            units: st.units,
            none: longest_first(st.none),
            all: longest_first(st.all),
            all_of,
            share_of,
        });
    }
    for base in def.share_bases {
        let cells = resolve_keys(&format, &base.what, &base.cells)?;
        let mut words = base.words;
        words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
        format.share_bases.push(ShareBase { what: base.what, cells, words });
    }
    Ok(format)
}

/// The cells a statement, share base or outcome names; `*` matches one key segment
/// (applications.results.denied.*.total).
fn resolve_keys(format: &Format, what: &str, keys: &[String]) -> Result<Vec<usize>, String> {
    let mut cells = Vec::new();
    for k in keys {
        if k.contains('*') {
            let pat: Vec<&str> = k.split('.').collect();
            let hits: Vec<usize> = (0..format.cells.len())
                .filter(|&c| {
                    let segs: Vec<&str> = format.cells[c].key.split('.').collect();
                    segs.len() == pat.len() && segs.iter().zip(&pat).all(|(s, p)| *p == "*" || s == p)
                })
                .collect();
            if hits.is_empty() {
                return Err(format!("{what} names no cell with {k}"));
            }
            cells.extend(hits);
        } else {
            cells.push(format.cell(k).ok_or_else(|| format!("{what} names unknown cell {k}"))?);
        }
    }
    Ok(cells)
}

fn kind_of(head: &HeadDef) -> Result<Kind, String> {
    Ok(match head.kind.unwrap_or(KindDef::Count) {
        KindDef::Count => Kind::Count,
        KindDef::Signed => Kind::Signed,
        KindDef::Money => match (&head.unit, &head.units) {
            (Some(u), None) => Kind::Money(MoneyUnit::Fixed(u.clone())),
            (None, Some(us)) if !us.is_empty() => Kind::Money(MoneyUnit::InCell(us.clone())),
            _ => return Err(format!("money cell {:?} needs exactly one of unit/units", head.key)),
        },
    })
}

/// Leaves of a header tree: (key path, label path, leaf definition).
fn leaves(heads: &[HeadDef]) -> Vec<(String, Vec<String>, &HeadDef)> {
    fn walk<'a>(
        h: &'a HeadDef,
        keys: &mut Vec<String>,
        labels: &mut Vec<String>,
        out: &mut Vec<(String, Vec<String>, &'a HeadDef)>,
    ) {
        let (nk, nl) = (keys.len(), labels.len());
        if let Some(k) = &h.key {
            keys.push(k.clone());
        }
        if let Some(l) = &h.label {
            labels.push(l.clone());
        }
        if h.children.is_empty() {
            out.push((keys.join("."), labels.clone(), h));
        } else {
            for c in &h.children {
                walk(c, keys, labels, out);
            }
        }
        keys.truncate(nk);
        labels.truncate(nl);
    }
    let mut out = Vec::new();
    for h in heads {
        walk(h, &mut Vec::new(), &mut Vec::new(), &mut out);
    }
    out
}

fn join(parts: &[&str]) -> String {
    parts.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join(".")
}

impl From<def::SeverityDef> for Severity {
    fn from(s: def::SeverityDef) -> Self {
        match s {
            def::SeverityDef::Error => Severity::Error,
            def::SeverityDef::Warning => Severity::Warning,
            def::SeverityDef::Info => Severity::Info,
        }
    }
}

/// Every money unit any format knows, longest first (for suffix matching).
pub fn money_units() -> &'static [def::MoneyUnitDef] {
    static UNITS: OnceLock<Vec<def::MoneyUnitDef>> = OnceLock::new();
    UNITS.get_or_init(|| {
        let mut v: Vec<def::MoneyUnitDef> = Vec::new();
        for u in all().iter().flat_map(|f| &f.money_units) {
            if !v.iter().any(|x| x.unit == u.unit) {
                v.push(u.clone());
            }
        }
        v.sort_by_key(|u| std::cmp::Reverse(u.unit.chars().count()));
        v
    })
}

/// The power of ten of a money unit relative to 元 (0 for an unknown one).
pub fn unit_exponent(unit: &str) -> i32 {
    money_units().iter().find(|u| u.unit == unit).map_or(0, |u| u.exponent)
}
