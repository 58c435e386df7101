//! Reading one mandated table from its cells, driven by the format's table
//! template: row labels are matched in template order (the "stub"), header
//! labels (captions, corner, column labels) are recognised and checked, and
//! the numbers after a row label are placed into that row's cells. A row
//! with cells lost in extraction is completed from the arithmetic rules
//! where that is unambiguous (`layout`).

use super::Finding;
use super::labels::{self, Hit, Label, Quality};
use super::layout::{self, RowSum};
use super::normalize::{CellText, is_prose, norm};
use super::tokens::{Tok, Tokens};
use crate::diag::codes;
use crate::format::def::HeadDef;
use crate::format::{CellRef, Check, Format, Kind, Owner, Rule};
use crate::value::{CellValue, Decimal, ValueError, parse_cell};

/// What the import read for one cell of the format.
#[derive(Debug, Clone, PartialEq)]
pub enum Read {
    /// Its table was not found: the cell is not written at all.
    Absent,
    /// The table is there but the cell is not (row not found, cell lost):
    /// written as blank.
    Missing,
    /// Published blank (or `—`, `/`, `无` …): written as blank.
    Blank(String),
    Value(CellValue),
    /// Published text that is not a valid value: written as published, so
    /// that `gxgen check` names the problem.
    Invalid(String),
}

impl Read {
    pub fn number(&self) -> Option<Decimal> {
        match self {
            Read::Value(v) => Some(v.number),
            _ => None,
        }
    }
}

/// A row label of the template, in official order.
struct Stub {
    label: Label,
    /// The official label path, for findings (`三、本年度办理结果 › （一）予以公开`).
    path: String,
    /// Cells of the row (empty for a group label).
    cells: Vec<usize>,
    /// The part of the table the row is in.
    part: usize,
}

/// A header label: caption, corner or column label.
struct Head {
    label: Label,
    /// A caption starts a new part (and a new header).
    caption: bool,
    /// A column label over data cells (reported when absent).
    data: bool,
    /// The parts of the table whose header holds this label.
    parts: Vec<usize>,
}

/// Variant and fuzzy matches are only tried for rows this close to the
/// row expected next.
const WINDOW: usize = 6;

/// The table's labels, prepared for matching.
struct Spec {
    stubs: Vec<Stub>,
    heads: Vec<Head>,
    /// Cells of the row without a label (table 四), if any.
    unlabeled: Option<Vec<usize>>,
    /// The leaf column labels of each part, in order.
    part_cols: Vec<Vec<String>>,
}

fn spec(format: &Format, t: usize) -> Spec {
    let table = &format.tables[t];
    let mut stubs = Vec::new();
    let mut heads: Vec<Head> = Vec::new();
    let mut unlabeled = None;
    fn add_head(heads: &mut Vec<Head>, text: &str, variants: Vec<String>, caption: bool, data: bool, part: usize) {
        match heads.iter_mut().find(|h| h.label.text == text) {
            Some(h) => h.parts.push(part),
            None => heads.push(Head { label: Label::new(text, variants), caption, data, parts: vec![part] }),
        }
    }
    for (p, part) in table.parts.iter().enumerate() {
        if let Some(c) = &part.caption {
            add_head(&mut heads, c, Vec::new(), true, false, p);
        }
        if let Some(c) = &part.corner {
            add_head(&mut heads, c, Vec::new(), false, false, p);
        }
        for (path, label, _, leaf) in walk(&part.columns) {
            if let Some(label) = label {
                add_head(&mut heads, &label, labels::column_variants(&format.id, &table.key, &path), false, leaf, p);
            }
        }
        for (path, label, label_path, leaf) in walk(&part.rows) {
            let cells: Vec<usize> = if leaf {
                format
                    .cells
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.owner == (Owner::Table { table: t, part: p }) && c.row_key == path)
                    .map(|(i, _)| i)
                    .collect()
            } else {
                Vec::new()
            };
            match label {
                Some(label) => stubs.push(Stub {
                    label: Label::new(&label, labels::row_variants(&format.id, &table.key, &path)),
                    path: row_label(format, &cells).unwrap_or_else(|| label_path.join(" › ")),
                    cells,
                    part: p,
                }),
                None if leaf => unlabeled = Some(cells),
                None => {}
            }
        }
    }
    let part_cols = table
        .parts
        .iter()
        .map(|part| walk(&part.columns).into_iter().filter(|n| n.3).filter_map(|n| n.1).collect())
        .collect();
    Spec { stubs, heads, unlabeled, part_cols }
}

/// A node of a header tree: key path, label, label path, is leaf.
type Node = (String, Option<String>, Vec<String>, bool);

/// Nodes of a header tree in pre-order.
fn walk(heads: &[HeadDef]) -> Vec<Node> {
    fn go(h: &HeadDef, keys: &mut Vec<String>, labels: &mut Vec<String>, out: &mut Vec<Node>) {
        let key_pushed = h.key.as_ref().map(|k| keys.push(k.clone())).is_some();
        let label_pushed = h.label.as_ref().map(|l| labels.push(l.clone())).is_some();
        out.push((keys.join("."), h.label.clone(), labels.clone(), h.children.is_empty()));
        for c in &h.children {
            go(c, keys, labels, out);
        }
        if key_pushed {
            keys.pop();
        }
        if label_pushed {
            labels.pop();
        }
    }
    let mut out = Vec::new();
    for h in heads {
        go(h, &mut Vec::new(), &mut Vec::new(), &mut out);
    }
    out
}

/// Where a table's findings point: its section label.
pub fn table_label(format: &Format, t: usize) -> String {
    format.sections[format.tables[t].section].label.clone()
}

/// A row's official label path, for findings.
fn row_label(format: &Format, cells: &[usize]) -> Option<String> {
    let c = &format.cells[*cells.first()?];
    (!c.row_labels.is_empty()).then(|| c.row_labels.join(" › "))
}

/// What one label token turned out to be.
#[derive(Debug, Clone, Copy)]
enum Candidate {
    Stub(usize),
    Head(usize),
}

/// State of reading one table.
struct Reader<'a> {
    format: &'static Format,
    table: usize,
    spec: Spec,
    toks: &'a Tokens,
    cells: &'a mut [Read],
    findings: &'a mut Vec<Finding>,
    /// Next row label expected.
    cursor: usize,
    /// Header labels are expected (start, or after a caption).
    header_zone: bool,
    stub_seen: Vec<bool>,
    head_seen: Vec<bool>,
    /// Rows with lost cells, completed after all other rows are read.
    ragged: Vec<(Vec<usize>, Vec<String>)>,
    /// The column labels of the current part's header as published, in
    /// order: the official label when recognised, None for a label that is
    /// not a column of this format.
    header_cols: Vec<Option<String>>,
    /// The published line of the row being read, for findings.
    line: Option<usize>,
    /// The part whose caption was read last.
    part: Option<usize>,
}

/// Read table `t` of `format` from `toks` into `cells`. Returns whether the
/// table was found at all.
pub fn read(format: &'static Format, t: usize, toks: &Tokens, cells: &mut [Read], findings: &mut Vec<Finding>) -> bool {
    let spec = spec(format, t);
    let (ns, nh) = (spec.stubs.len(), spec.heads.len());
    let mut r = Reader {
        format,
        table: t,
        spec,
        toks,
        cells,
        findings,
        cursor: 0,
        header_zone: true,
        stub_seen: vec![false; ns],
        head_seen: vec![false; nh],
        ragged: Vec::new(),
        header_cols: Vec::new(),
        line: None,
        part: None,
    };
    let last_label = r.scan();
    r.line = None;
    let found = match r.spec.unlabeled.clone() {
        Some(cells) => r.read_unlabeled(&cells, last_label),
        None => r.stub_seen.iter().any(|&s| s),
    };
    if !found {
        return false;
    }
    r.complete_ragged();
    r.report_missing();
    true
}

impl<'a> Reader<'a> {
    fn finding(&self, code: &'static str, message: String) -> Finding {
        Finding::new(code, message).table(table_label(self.format, self.table)).line(self.line)
    }

    /// Walk the cells, matching labels and reading rows. Returns the index
    /// of the last label cell.
    fn scan(&mut self) -> Option<usize> {
        let all: &'a Tokens = self.toks;
        let toks = &all.toks;
        let mut last_label = None;
        let mut i = 0;
        while i < toks.len() {
            if !toks[i].is_label() {
                i += 1;
                continue;
            }
            self.line = all.line_of(i);
            if is_prose(&toks[i].text) {
                last_label = Some(i);
                i += 1;
                continue;
            }
            let (hit, end) = {
                let (kinds, labels) = self.candidates();
                let loose = |k: usize| match kinds[k] {
                    Candidate::Stub(j) => j < self.cursor + WINDOW,
                    Candidate::Head(_) => true,
                };
                let (hit, end) = match_at(toks, i, &labels, loose);
                (hit.map(|h| (kinds[h.index], labels[h.index].text.clone(), h.quality)), end)
            };
            last_label = Some(end);
            match hit {
                None => {
                    // A header label cut short (本年新 for 本年新制作数量): the
                    // column at its position, when its label starts so.
                    let cut = match (self.header_zone, self.part) {
                        (true, Some(p)) => self.spec.part_cols[p].get(self.header_cols.len()).filter(|official| {
                            let n = norm(&toks[i].text);
                            n.chars().count() >= 2 && norm(official).starts_with(&n)
                        }),
                        _ => None,
                    };
                    if let Some(official) = cut.cloned() {
                        let published = flat(&toks[i].text);
                        let f = self
                            .finding(
                                codes::IMPORT_LABEL_REPAIRED,
                                format!("表头“{published}”不完整（被截断），按所在位置读作“{official}”"),
                            )
                            .column(official.clone())
                            .published(published)
                            .expected(official.clone());
                        self.findings.push(f);
                        self.header_cols.push(Some(official.clone()));
                        if let Some(h) = self.spec.heads.iter().position(|h| h.label.text == official) {
                            self.head_seen[h] = true;
                        }
                        i = end + 1;
                        continue;
                    }
                    if self.header_zone {
                        self.header_cols.push(None);
                    }
                    let label = flat(&toks[i].text);
                    let dropped: Vec<String> =
                        texts_of(toks, &row_values(toks, end)).into_iter().filter(|t| !t.is_empty()).collect();
                    let message = match dropped.is_empty() {
                        true => format!("表格中的“{label}”不是本格式的行名或列名，已忽略"),
                        false => format!(
                            "表格中的“{label}”不是本格式的行名或列名，它和其后的数（{}）均未读取",
                            dropped.join("、")
                        ),
                    };
                    self.findings.push(self.finding(codes::IMPORT_LABEL_UNKNOWN, message).published(label));
                }
                Some((kind, official, quality)) => {
                    let published: String = toks[i..=end].iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join("");
                    self.accept(kind, official, quality, &published, end);
                }
            }
            i = end + 1;
        }
        last_label
    }

    /// The labels a cell may be at this point: the rows from the cursor on,
    /// the captions, and the other header labels while in a header.
    fn candidates(&self) -> (Vec<Candidate>, Vec<&Label>) {
        let mut kinds = Vec::new();
        let mut labels = Vec::new();
        for (h, head) in self.spec.heads.iter().enumerate() {
            if head.caption || self.header_zone {
                kinds.push(Candidate::Head(h));
                labels.push(&head.label);
            }
        }
        for (j, stub) in self.spec.stubs.iter().enumerate().skip(self.cursor) {
            kinds.push(Candidate::Stub(j));
            labels.push(&stub.label);
        }
        (kinds, labels)
    }

    fn accept(&mut self, kind: Candidate, official: String, quality: Quality, published: &str, end: usize) {
        if let Quality::Repaired(reasons) = &quality {
            let f = self
                .finding(
                    codes::IMPORT_LABEL_REPAIRED,
                    format!("“{}”按官方名称“{official}”读取（{}）", flat(published), reasons.join("；")),
                )
                .published(flat(published))
                .expected(official.clone());
            let f = match kind {
                Candidate::Stub(j) => f.row(self.spec.stubs[j].path.clone()),
                Candidate::Head(_) => f.column(official.clone()),
            };
            self.findings.push(f);
        }
        match kind {
            Candidate::Head(h) => {
                self.head_seen[h] = true;
                if self.spec.heads[h].caption {
                    self.header_zone = true;
                    self.header_cols.clear();
                    self.part = self.spec.heads[h].parts.first().copied();
                } else if self.spec.heads[h].data && self.header_zone {
                    self.header_cols.push(Some(official.clone()));
                }
            }
            Candidate::Stub(j) => {
                self.stub_seen[j] = true;
                self.cursor = j + 1;
                self.header_zone = false;
                let cells = self.spec.stubs[j].cells.clone();
                let all: &'a Tokens = self.toks;
                let values = row_values(&all.toks, end);
                let cut =
                    all.delimited && all.ends_document && (end + 1..all.toks.len()).all(|k| !all.toks[k].is_label());
                if !cells.is_empty() {
                    self.place_row_with_header(&cells, &values, cut);
                } else if values.iter().any(|&k| matches!(all.toks[k].kind(), CellText::Number(_))) {
                    // A group label has no cells in this format (e.g. （六）其他处理
                    // of the 2021 format written as the 2019 single row).
                    let f = self
                        .finding(
                            codes::IMPORT_EXTRA_VALUES,
                            format!(
                                "“{official}”在本格式中是分组行，没有数据格，其后的数（{}）未读取",
                                texts_of(&all.toks, &values).join("、")
                            ),
                        )
                        .row(self.spec.stubs[j].path.clone())
                        .published(texts_of(&all.toks, &values).join("、"));
                    self.findings.push(f);
                }
            }
        }
    }

    /// The table without row labels (四): the numbers after the last label.
    fn read_unlabeled(&mut self, cells: &[usize], last_label: Option<usize>) -> bool {
        let all: &'a Tokens = self.toks;
        let toks = &all.toks;
        let start = last_label.map_or(0, |l| l + 1);
        let values: Vec<usize> = (start..toks.len()).filter(|&k| !toks[k].is_label()).collect();
        if !values.iter().any(|&k| matches!(toks[k].kind(), CellText::Number(_))) {
            return false;
        }
        self.place_row(cells, &values);
        true
    }

    /// Put a row's values into its cells, using what the layout says: a
    /// part whose published header has fewer columns than the format's (a
    /// table of the other format, a column left out) places each value
    /// under the column its header names, and leaves the rest blank; a row
    /// cut by the end of the text (delimited cells) holds its first cells.
    /// Otherwise the values are placed by position ([`Self::place_row`]).
    fn place_row_with_header(&mut self, cells: &[usize], values: &[usize], cut: bool) {
        let format = self.format;
        let flat = cells.iter().all(|&c| format.cells[c].col_labels.len() == 1);
        let all: &'a Tokens = self.toks;
        let toks = &all.toks;
        let width = self.header_cols.len();
        if flat && width > 0 && width < cells.len() {
            let fitted = fit(toks, values, width, true);
            // Fewer values than header columns: certain only when every cell
            // is delimited (the row ends early), never where cells get lost.
            if !fitted.is_empty() && (fitted.len() == width || (fitted.len() < width && all.delimited)) {
                let mut placed = vec![false; cells.len()];
                let mut unplaced = Vec::new();
                for (k, &v) in fitted.iter().enumerate() {
                    let col = self.header_cols[k]
                        .as_ref()
                        .and_then(|label| cells.iter().position(|&c| format.cells[c].col_labels.last() == Some(label)));
                    match col {
                        Some(p) if !placed[p] => {
                            self.cells[cells[p]] = self.read_cell(cells[p], &toks[v].text);
                            placed[p] = true;
                        }
                        _ => unplaced.push(v),
                    }
                }
                let missing: Vec<String> = cells
                    .iter()
                    .zip(&placed)
                    .filter(|(_, p)| !**p)
                    .map(|(&c, _)| {
                        self.cells[c] = Read::Missing;
                        format.cells[c].col_labels.join("")
                    })
                    .collect();
                let row = row_label(format, cells).unwrap_or_default();
                let mut message = format!(
                    "“{row}”原表只有 {width} 列（{}），各数按表头所写的列读取；{}按缺失处理",
                    self.header_cols
                        .iter()
                        .map(|h| h.clone().unwrap_or_else(|| "非本格式的列".into()))
                        .collect::<Vec<_>>()
                        .join("、"),
                    missing.iter().map(|m| format!("“{m}”")).collect::<Vec<_>>().join("")
                );
                if !unplaced.is_empty() {
                    message
                        .push_str(&format!("；不属于本格式的列的数（{}）未读取", texts_of(toks, &unplaced).join("、")));
                }
                self.cells_lost(row, message, texts_of(toks, &fitted));
                return;
            }
        }
        if cut {
            let fitted = fit(toks, values, cells.len(), false);
            if fitted.len() < cells.len() {
                for (k, &cell) in cells.iter().enumerate() {
                    self.cells[cell] = match fitted.get(k) {
                        Some(&v) => self.read_cell(cell, &toks[v].text),
                        None => Read::Missing,
                    };
                }
                let row = row_label(format, cells).unwrap_or_default();
                let message = match fitted.len() {
                    0 => format!("原文在“{row}”的行名之后结束，这一行各格按缺失处理"),
                    n => format!("原文在“{row}”一行中途结束，只有前 {n} 格，其余 {} 格按缺失处理", cells.len() - n),
                };
                self.cells_lost(row, message, texts_of(toks, &fitted));
                return;
            }
        }
        self.place_row(cells, values);
    }

    /// One IMPORT_CELLS_LOST finding for a row whose other cells are missing.
    fn cells_lost(&mut self, row: String, message: String, read: Vec<String>) {
        let f = self.finding(codes::IMPORT_CELLS_LOST, message).row(row).published(read.join("、"));
        self.findings.push(f);
    }

    /// Put the numbers read after a row label into the row's cells.
    fn place_row(&mut self, cells: &[usize], values: &[usize]) {
        let all: &'a Tokens = self.toks;
        let toks = &all.toks;
        let fitted = fit(toks, values, cells.len(), self.toks.padded);
        let texts = |idx: &[usize]| texts_of(toks, idx);
        match fitted.len().cmp(&cells.len()) {
            std::cmp::Ordering::Equal => {
                for (&cell, &k) in cells.iter().zip(&fitted) {
                    self.cells[cell] = self.read_cell(cell, &toks[k].text);
                }
            }
            std::cmp::Ordering::Less => {
                let numbers: Vec<usize> =
                    fitted.iter().copied().filter(|&k| toks[k].kind() != CellText::Blank).collect();
                for &cell in cells {
                    self.cells[cell] = Read::Missing;
                }
                self.ragged.push((cells.to_vec(), texts(&numbers)));
            }
            std::cmp::Ordering::Greater => {
                for &cell in cells {
                    self.cells[cell] = Read::Missing;
                }
                let row = row_label(self.format, cells);
                let f = self
                    .finding(
                        codes::IMPORT_EXTRA_VALUES,
                        format!(
                            "“{}”一行有 {} 个数，应为 {} 个，无法确定各数所在的列，按空白处理",
                            row.clone().unwrap_or_default(),
                            fitted.len(),
                            cells.len()
                        ),
                    )
                    .published(texts(&fitted).join("、"));
                let f = match row {
                    Some(r) => f.row(r),
                    None => f,
                };
                self.findings.push(f);
            }
        }
    }

    /// One published cell.
    fn read_cell(&mut self, cell: usize, text: &str) -> Read {
        let format = self.format;
        let def = &format.cells[cell];
        let located = |f: Finding| {
            let f = f.column(def.col_labels.join(" › "));
            match def.row_labels.is_empty() {
                true => f,
                false => f.row(def.row_labels.join(" › ")),
            }
        };
        match super::normalize::cell_text(text) {
            CellText::Blank => {
                let shown =
                    if text.trim().is_empty() { "空白".to_string() } else { format!("“{}”", text.trim()) };
                let f = self.finding(
                    codes::IMPORT_BLANK_CELL,
                    format!("{}原文为{shown}，按缺失处理（不当作 0）", self.format.describe(cell)),
                );
                self.findings.push(located(f).published(text.trim().to_string()));
                Read::Blank(text.trim().to_string())
            }
            CellText::Number(folded) => match parse_value(&folded, &def.kind) {
                Ok(v) => Read::Value(v),
                Err(_) => {
                    let f = self.finding(
                        codes::IMPORT_BAD_VALUE,
                        format!("{}原文“{}”不是有效的数值，照原样写入", self.format.describe(cell), text.trim()),
                    );
                    self.findings.push(located(f).published(text.trim().to_string()));
                    Read::Invalid(text.trim().to_string())
                }
            },
            CellText::Text => {
                let f = self.finding(
                    codes::IMPORT_BAD_VALUE,
                    format!("{}原文“{}”不是有效的数值，照原样写入", self.format.describe(cell), text.trim()),
                );
                self.findings.push(located(f).published(text.trim().to_string()));
                Read::Invalid(text.trim().to_string())
            }
        }
    }

    /// Complete the rows with lost cells from the arithmetic rules.
    fn complete_ragged(&mut self) {
        let ragged = std::mem::take(&mut self.ragged);
        let format = self.format;
        for (cells, published) in ragged {
            let kinds: Vec<&Kind> = cells.iter().map(|&c| &format.cells[c].kind).collect();
            let numbers: Option<Vec<Decimal>> =
                published.iter().zip(&kinds).map(|(t, k)| parse_value(t, k).ok().map(|v| v.number)).collect();
            let sums = row_sums(self.format, &cells);
            let mut options = numbers.map(|n| layout::placements(&n, cells.len(), &sums)).unwrap_or_default();
            if options.len() > 1 {
                let kept: Vec<Vec<Option<Decimal>>> =
                    options.iter().filter(|o| self.fits_other_rules(&cells, o)).cloned().collect();
                if !kept.is_empty() {
                    options = kept;
                }
            }
            let agreed =
                if options.is_empty() { vec![None; cells.len()] } else { layout::agreed(&options, cells.len()) };
            for (&cell, value) in cells.iter().zip(&agreed) {
                self.cells[cell] = match value {
                    Some(v) => Read::Value(CellValue::count(*v)),
                    None => Read::Missing,
                };
            }
            self.report_ragged(&cells, &published, &agreed);
        }
    }

    fn report_ragged(&mut self, cells: &[usize], published: &[String], agreed: &[Option<Decimal>]) {
        let row = row_label(self.format, cells).unwrap_or_default();
        let shown: Vec<String> = agreed.iter().map(|v| v.map_or("空".to_string(), |d| d.to_string())).collect();
        let known = agreed.iter().filter(|v| v.is_some()).count();
        let base = match published.len() {
            0 => format!("“{row}”原文没有数（应为 {} 个，空白或复制时丢失了单元格）", cells.len()),
            n => format!("“{row}”原文只有 {n} 个数（应为 {} 个，复制时丢失了单元格）", cells.len()),
        };
        let f = if known == cells.len() {
            self.finding(
                codes::IMPORT_CELL_INFERRED,
                format!("{base}；按表格的算术关系（合计=各项之和）只有一种放法，推定为 {}", shown.join("、")),
            )
        } else {
            self.finding(
                codes::IMPORT_CELLS_LOST,
                format!("{base}；算术关系不能确定全部位置，{} 格按缺失处理：{}", cells.len() - known, shown.join("、")),
            )
        };
        self.findings.push(f.row(row).published(published.join("、")).expected(shown.join("、")));
    }

    /// Whether a placement of a ragged row keeps every rule that it and the
    /// rows already read fully determine.
    fn fits_other_rules(&self, cells: &[usize], option: &[Option<Decimal>]) -> bool {
        let value = |c: usize| match cells.iter().position(|&x| x == c) {
            Some(p) => option[p],
            None => self.cells[c].number(),
        };
        self.format
            .rules
            .iter()
            // A hint (an info rule) does not decide where a figure goes.
            .filter(|r| !r.previous && r.severity != crate::diag::Severity::Info)
            .filter(|r| r.terms().any(|t| matches!(t.cell, CellRef::This(c) if cells.contains(&c))))
            .all(|r| holds(r, &value).unwrap_or(true))
    }

    /// Rows and header labels of a found table that were not seen.
    fn report_missing(&mut self) {
        // In a text cut in this table, the rows after the last one read were
        // never reached: one finding for all of them.
        let last_seen = self.stub_seen.iter().rposition(|&s| s);
        let cut_from = match (self.toks.ends_document, last_seen) {
            (true, Some(l)) => l + 1,
            _ => self.spec.stubs.len(),
        };
        let unreached: Vec<usize> =
            (cut_from..self.spec.stubs.len()).filter(|&j| !self.spec.stubs[j].cells.is_empty()).collect();
        if !unreached.is_empty() {
            for &j in &unreached {
                for &c in &self.spec.stubs[j].cells {
                    self.cells[c] = Read::Missing;
                }
            }
            let last = last_seen.map_or(String::new(), |l| self.spec.stubs[l].path.clone());
            let first = &self.spec.stubs[unreached[0]];
            let f = self
                .finding(
                    codes::IMPORT_ROW_MISSING,
                    format!(
                        "原文在“{last}”之后结束（被截断），其后“{}”起的 {} 行均未读到，各格按缺失处理",
                        first.label.text,
                        unreached.len()
                    ),
                )
                .row(first.path.clone())
                .expected(first.label.text.clone());
            self.findings.push(f);
        }
        for (j, stub) in self.spec.stubs.iter().enumerate().take(cut_from) {
            if self.stub_seen[j] || stub.cells.is_empty() {
                continue;
            }
            for &c in &stub.cells {
                self.cells[c] = Read::Missing;
            }
            let f = self
                .finding(codes::IMPORT_ROW_MISSING, format!("未找到“{}”一行，该行各格按缺失处理", stub.label.text))
                .row(stub.path.clone())
                .expected(stub.label.text.clone());
            self.findings.push(f);
        }
        // Parts past the cut of a truncated text have no header to miss.
        let reached = |p: &usize| {
            !self.toks.ends_document || self.spec.stubs.iter().enumerate().any(|(j, st)| st.part >= *p && j < cut_from)
        };
        for (h, head) in self.spec.heads.iter().enumerate() {
            if !self.head_seen[h] && (head.data || head.caption) && head.parts.iter().any(reached) {
                let f = self
                    .finding(codes::IMPORT_HEADER_MISSING, format!("表头中未见“{}”", head.label.text))
                    .column(head.label.text.clone())
                    .expected(head.label.text.clone());
                self.findings.push(f);
            }
        }
    }
}

/// Match the label cell at `i`; a label split over several cells (one
/// character per line) is joined while it is the start of some label.
fn match_at(toks: &[Tok], i: usize, labels: &[&Label], loose: impl Fn(usize) -> bool) -> (Option<Hit>, usize) {
    if let Some(hit) = labels::best(&toks[i].text, labels, &loose) {
        return (Some(hit), i);
    }
    let mut text = toks[i].text.clone();
    let mut j = i;
    while labels::is_prefix_of_any(&text, labels) && j + 1 < toks.len() && toks[j + 1].is_label() {
        j += 1;
        text.push_str(&toks[j].text);
        if let Some(hit) = labels::best(&text, labels, |_| false) {
            return (Some(hit), j);
        }
    }
    (None, i)
}

/// The value cells after a row label: up to the next label, within the
/// label's table row when rows are known. A label alone in its row (a copy
/// with a blank line between all cells) takes the values that follow.
fn row_values(toks: &[Tok], end: usize) -> Vec<usize> {
    let row = toks[end].row;
    let until_label = (end + 1..toks.len()).take_while(|&k| !toks[k].is_label());
    let same_row: Vec<usize> = until_label.clone().take_while(|&k| row.is_none() || toks[k].row == row).collect();
    if same_row.is_empty() { until_label.collect() } else { same_row }
}

/// Fit the value cells to `width`: padding blanks at the row's ends are
/// dropped (always in markdown, else only when there are too many cells).
fn fit(toks: &[Tok], values: &[usize], width: usize, padded: bool) -> Vec<usize> {
    let blank = |k: usize| toks[k].kind() == CellText::Blank;
    let mut v: Vec<usize> = values.to_vec();
    if padded {
        while v.first().is_some_and(|&k| blank(k)) {
            v.remove(0);
        }
        while v.last().is_some_and(|&k| blank(k)) {
            v.pop();
        }
    }
    while v.len() > width && v.last().is_some_and(|&k| blank(k)) {
        v.pop();
    }
    while v.len() > width && v.first().is_some_and(|&k| blank(k)) {
        v.remove(0);
    }
    v
}

/// Parse a published value for a cell of `kind`; a zero needs no unit.
pub fn parse_value(text: &str, kind: &Kind) -> Result<CellValue, ValueError> {
    match parse_cell(text, kind) {
        Err(ValueError::MissingUnit(_)) if crate::value::Decimal::parse(text.trim()).is_some_and(|d| d.is_zero()) => {
            Ok(CellValue::count(Decimal::ZERO))
        }
        other => other,
    }
}

/// The sum rules that lie within one row, as positions in the row.
fn row_sums(format: &Format, cells: &[usize]) -> Vec<RowSum> {
    let pos = |t: &crate::format::Term| match t.cell {
        CellRef::This(c) if !t.negate => cells.iter().position(|&x| x == c),
        _ => None,
    };
    format
        .rules
        .iter()
        .filter(|r| r.check == Check::Sum && !r.previous)
        .filter_map(|r| {
            let total = pos(r.left.first()?)?;
            let parts: Option<Vec<usize>> = r.right.iter().map(pos).collect();
            (r.left.len() == 1).then_some(RowSum { total, parts: parts? })
        })
        .collect()
}

/// Whether a rule holds; None when a cell is unknown.
fn holds(rule: &Rule, value: &impl Fn(usize) -> Option<Decimal>) -> Option<bool> {
    let side = |terms: &[crate::format::Term]| -> Option<Decimal> {
        let mut sum = Decimal::ZERO;
        for t in terms {
            let CellRef::This(c) = t.cell else { return None };
            let v = value(c)?;
            sum = sum.checked_add(if t.negate { v.negated() } else { v })?;
        }
        Some(sum)
    };
    Some(crate::validate::holds(rule.check, side(&rule.left)?, side(&rule.right)?))
}

/// The texts of some cells, trimmed.
fn texts_of(toks: &[Tok], idx: &[usize]) -> Vec<String> {
    idx.iter().map(|&k| toks[k].text.trim().to_string()).collect()
}

/// A cell's text on one line, for messages.
fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join("")
}
