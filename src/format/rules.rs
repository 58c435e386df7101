//! Expansion of the declarative arithmetic rules of a template into concrete
//! checks over cells.

use super::Format;
use super::def::{CheckDef, RuleDef};
use crate::diag::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// `left[0]` (the total) = Σ right; an omitted total is computed.
    Sum,
    /// Σ left = Σ right.
    Equal,
    /// Σ left ≤ Σ right.
    Le,
    /// Σ left ≠ Σ right, unless both are 0.
    Differ,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellRef {
    /// A cell of this report's format.
    This(usize),
    /// A cell of last year's report, by key (its format may differ).
    Previous(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub cell: CellRef,
    pub negate: bool,
}

/// One concrete check, e.g. T3-2 for the row `new`.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub code: String,
    pub severity: Severity,
    pub check: Check,
    pub left: Vec<Term>,
    pub right: Vec<Term>,
    /// Needs last year's report.
    pub previous: bool,
}

impl Rule {
    /// The computed cell of a sum rule.
    pub fn total(&self) -> Option<usize> {
        match (self.check, self.left.first()) {
            (Check::Sum, Some(Term { cell: CellRef::This(c), negate: false })) => Some(*c),
            _ => None,
        }
    }

    pub fn terms(&self) -> impl Iterator<Item = &Term> {
        self.left.iter().chain(&self.right)
    }
}

pub(super) fn expand(format: &Format, defs: &[RuleDef]) -> Result<Vec<Rule>, String> {
    let mut out = Vec::new();
    for d in defs {
        let bindings: Vec<Option<(String, String)>> = match &d.for_each {
            None => vec![None],
            Some(f) => {
                let values = if let Some(t) = &f.columns {
                    table(format, t)?.leaf_cols.clone()
                } else if let Some(t) = &f.rows {
                    table(format, t)?.leaf_rows.clone()
                } else if let Some(v) = &f.values {
                    v.clone()
                } else {
                    return Err(format!("rule {}: `for` needs columns, rows or values", d.id));
                };
                values.into_iter().map(|v| Some((f.var.clone(), v))).collect()
            }
        };
        let check = match d.check {
            CheckDef::Sum => Check::Sum,
            CheckDef::Equal => Check::Equal,
            CheckDef::Le => Check::Le,
            CheckDef::Differ => Check::Differ,
        };
        for b in bindings {
            let terms = |pats: &[String]| -> Result<Vec<Term>, String> {
                let mut v = Vec::new();
                for p in pats {
                    v.extend(resolve(format, &d.id, p, b.as_ref())?);
                }
                Ok(v)
            };
            let (left, right) = match check {
                Check::Sum => {
                    let total = d.total.as_ref().ok_or_else(|| format!("rule {}: sum needs total", d.id))?;
                    let t = terms(std::slice::from_ref(total))?;
                    if t.len() != 1 || t[0].negate || !matches!(t[0].cell, CellRef::This(_)) {
                        return Err(format!("rule {}: total {total} must name one cell", d.id));
                    }
                    (t, terms(&d.parts)?)
                }
                _ => (terms(&d.left)?, terms(&d.right)?),
            };
            out.push(Rule {
                id: d.id.clone(),
                code: d.code.clone(),
                severity: d.severity.map(Into::into).unwrap_or(Severity::Error),
                check,
                left,
                right,
                previous: d.previous,
            });
        }
    }
    Ok(out)
}

fn table<'a>(format: &'a Format, key: &str) -> Result<&'a super::Table, String> {
    format.tables.iter().find(|t| t.key == key).ok_or_else(|| format!("unknown table {key}"))
}

/// Resolve one term pattern: substitute the variable, handle `-` and
/// `previous.`, expand `*` (one key segment) against the format's cells.
fn resolve(
    format: &Format,
    rule: &str,
    pattern: &str,
    binding: Option<&(String, String)>,
) -> Result<Vec<Term>, String> {
    let mut p = pattern.to_string();
    if let Some((var, value)) = binding {
        p = p.replace(&format!("${var}"), value);
    }
    if p.contains('$') {
        return Err(format!("rule {rule}: unbound variable in {pattern}"));
    }
    let (negate, p) = match p.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, p),
    };
    if let Some(key) = p.strip_prefix("previous.") {
        return Ok(vec![Term { cell: CellRef::Previous(key.to_string()), negate }]);
    }
    if !p.contains('*') {
        let c = format.cell(&p).ok_or_else(|| format!("rule {rule}: unknown cell {p}"))?;
        return Ok(vec![Term { cell: CellRef::This(c), negate }]);
    }
    let segs: Vec<&str> = p.split('.').collect();
    let matched: Vec<Term> = format
        .cells
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            let ks: Vec<&str> = c.key.split('.').collect();
            ks.len() == segs.len() && ks.iter().zip(&segs).all(|(k, s)| *s == "*" || k == s)
        })
        .map(|(i, _)| Term { cell: CellRef::This(i), negate })
        .collect();
    if matched.is_empty() {
        return Err(format!("rule {rule}: {p} matches no cell"));
    }
    Ok(matched)
}
