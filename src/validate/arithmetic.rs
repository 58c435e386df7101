//! The arithmetic rules of the table templates: computing omitted totals,
//! then checking every rule instance.

use crate::diag::{Diagnostic, Diagnostics, codes};
use crate::format::{CellRef, Check, Format, Rule, Term};
use crate::model::{Origin, Report};
use crate::value::{CellValue, Decimal};

/// Fill every omitted total from its parts.
pub fn compute_totals(report: &mut Report) {
    let format = report.format;
    loop {
        let mut changed = false;
        for rule in format.rules.iter().filter(|r| !r.previous) {
            let Some(total) = rule.total() else { continue };
            if report.cells[total].value.is_some() || report.cells[total].origin != Origin::Computed {
                continue;
            }
            if let Some(sum) = sum(report, None, &rule.right) {
                report.cells[total].value = Some(CellValue::count(sum));
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// A term's value: (value, report it comes from is the previous one).
fn term_value(report: &Report, previous: Option<&Report>, t: &Term) -> Option<Decimal> {
    let v = match &t.cell {
        CellRef::This(c) => report.value(*c)?.number,
        CellRef::Previous(key) => previous?.get(key)?.number,
    };
    Some(if t.negate { v.negated() } else { v })
}

fn sum(report: &Report, previous: Option<&Report>, terms: &[Term]) -> Option<Decimal> {
    terms.iter().try_fold(Decimal::ZERO, |acc, t| acc.checked_add(term_value(report, previous, t)?))
}

/// Whether Σ left and Σ right satisfy the check.
pub fn holds(check: Check, left: Decimal, right: Decimal) -> bool {
    match check {
        Check::Sum | Check::Equal => left == right,
        Check::Le => left <= right,
        Check::Differ => left != right || left.is_zero(),
    }
}

/// Indices (into the format's rules) of the rules this report breaks.
pub fn failing(report: &Report) -> Vec<usize> {
    report
        .format
        .rules
        .iter()
        .enumerate()
        .filter(|(_, rule)| !rule.previous)
        .filter(|(_, rule)| {
            let (Some(l), Some(r)) = (sum(report, None, &rule.left), sum(report, None, &rule.right)) else {
                return false;
            };
            !holds(rule.check, l, r)
        })
        .map(|(i, _)| i)
        .collect()
}

pub fn check(report: &Report, previous: Option<&Report>, diags: &mut Diagnostics) {
    for rule in &report.format.rules {
        if rule.previous && previous.is_none() {
            continue;
        }
        // A total gxgen computed cannot be wrong by itself: a failure there
        // follows from a given total that is already reported.
        if rule.total().is_some_and(|t| report.cells[t].origin == Origin::Computed) {
            continue;
        }
        let (Some(left), Some(right)) = (sum(report, previous, &rule.left), sum(report, previous, &rule.right)) else {
            continue;
        };
        if !holds(rule.check, left, right) {
            diags.push(failure(report, previous, rule, left, right));
        }
    }
}

/// The name of a term inside a message about `anchor`.
fn term_name(format: &Format, previous: Option<&Report>, t: &Term, group: &[usize]) -> String {
    let name = match &t.cell {
        CellRef::This(c) => format.relative_label(*c, group),
        CellRef::Previous(key) => match previous.and_then(|p| p.format.cell(key).map(|c| (p, c))) {
            Some((p, c)) => {
                let pc = &p.format.cells[c];
                let mut name = format!("上年报告「{}」", pc.row_labels.last().cloned().unwrap_or_default());
                if group.first().is_none_or(|&a| pc.col_labels != format.cells[a].col_labels) {
                    name.push_str(&format!("「{}」", pc.col_labels.join(" › ")));
                }
                name
            }
            None => format!("上年报告 {key}"),
        },
    };
    if t.negate { format!("减 {name}") } else { name }
}

/// `a 29 + b 6 = 35`
fn expression(report: &Report, previous: Option<&Report>, terms: &[Term], group: &[usize], total: Decimal) -> String {
    if terms.is_empty() {
        return "0".into();
    }
    // Long sums (（七）总计 has 22 parts) list only the parts that are not 0.
    let long = terms.len() > LONG_SUM;
    let zero = |t: &&Term| long && term_value(report, previous, t).is_some_and(|v| v.is_zero());
    let omitted = terms.iter().filter(zero).count();
    let mut parts: Vec<String> = terms
        .iter()
        .filter(|t| !zero(t))
        .map(|t| {
            let v = term_value(report, previous, t)
                .map_or("？".into(), |v| if t.negate { v.negated().to_string() } else { v.to_string() });
            let sign = if t.negate { "− " } else { "" };
            let name = term_name(report.format, previous, &Term { negate: false, ..t.clone() }, group);
            let computed = matches!(t.cell, CellRef::This(c) if report.cells[c].origin == Origin::Computed);
            format!("{sign}{name} {v}{}", if computed { "（自动计算）" } else { "" })
        })
        .collect();
    if parts.is_empty() {
        parts.push("0".into());
    }
    if terms.len() == 1 {
        return parts[0].clone();
    }
    let mut s = parts[0].clone();
    for p in &parts[1..] {
        if let Some(rest) = p.strip_prefix("− ") {
            s.push_str(&format!(" − {rest}"));
        } else {
            s.push_str(&format!(" + {p}"));
        }
    }
    if omitted > 0 {
        s.push_str(&format!("（其余 {omitted} 项均为 0）"));
    }
    format!("{s} = {total}")
}

/// Sums with more parts than this show only their non-zero parts.
const LONG_SUM: usize = 8;

fn this_cells(terms: &[Term]) -> impl Iterator<Item = usize> + '_ {
    terms.iter().filter_map(|t| match t.cell {
        CellRef::This(c) => Some(c),
        CellRef::Previous(_) => None,
    })
}

fn failure(report: &Report, previous: Option<&Report>, rule: &Rule, left: Decimal, right: Decimal) -> Diagnostic {
    let format = report.format;
    let title = codes::info(&rule.code).map_or(rule.id.as_str(), |i| i.title.as_str());
    let all: Vec<usize> = this_cells(&rule.left).chain(this_cells(&rule.right)).collect();
    let anchor = all.first().copied().unwrap_or(0);
    let given = |c: &usize| matches!(report.cells[*c].origin, Origin::Given(_));
    let d = match rule.check {
        Check::Sum => {
            let total = anchor;
            let expr = expression(report, previous, &rule.right, &all, right);
            Diagnostic::new(&rule.code, format!("{title}：{}应为 {right}，实际填写 {left}", format.describe(total)))
                .at(report.place(total), format!("应为 {right}"))
                .note(format!("{right} = {}", expr.rsplit_once(" = ").map_or(expr.as_str(), |(e, _)| e)))
                .cell(&format.cells[total].key)
        }
        Check::Equal | Check::Le | Check::Differ => {
            let primary = all.iter().copied().find(given).unwrap_or(anchor);
            let shared = format.shared_context(&all);
            let l = expression(report, previous, &rule.left, &all, left);
            let r = expression(report, previous, &rule.right, &all, right);
            let relation = match rule.check {
                Check::Equal => "应等于",
                Check::Differ => "恰好等于",
                _ => "不应大于",
            };
            if rule.check == Check::Le && rule.left.is_empty() {
                // 0 ≤ Σ right: say it the way people read it.
                return finish(
                    report,
                    previous,
                    rule,
                    Diagnostic::new(&rule.code, format!("{title}：{shared}{r}，不应小于 0"))
                        .at(report.place(primary), "这里的数")
                        .cell(&format.cells[primary].key),
                    &all,
                    anchor,
                    left,
                    right,
                );
            }
            let diff =
                if rule.check == Check::Equal { format!("，相差 {}", abs_diff(left, right)) } else { String::new() };
            Diagnostic::new(&rule.code, format!("{title}：{shared}{l}，{relation}{r}{diff}"))
                .at(report.place(primary), "这里的数")
                .cell(&format.cells[primary].key)
        }
    };
    finish(report, previous, rule, d, &all, anchor, left, right)
}

#[allow(clippy::too_many_arguments)]
fn finish(
    report: &Report,
    previous: Option<&Report>,
    rule: &Rule,
    mut d: Diagnostic,
    all: &[usize],
    anchor: usize,
    left: Decimal,
    right: Decimal,
) -> Diagnostic {
    let format = report.format;
    d = d.severity(rule.severity);
    // an agency merged or split (机构改革) need not follow from last
    // year's report; the author said why, so a difference is a hint.
    if let (true, Some(why)) = (rule.previous, &report.meta.carry_over_note) {
        d = d
            .severity(crate::diag::Severity::Info)
            .also(why.span, "已说明与上年不衔接的原因")
            .note(format!("meta.carry_over_note：{}", why.value));
    }
    let long = all.len() > LONG_SUM + 1;
    for &c in all {
        let is_zero = report.value(c).is_some_and(|v| v.number.is_zero());
        if (c != anchor || rule.check != Check::Sum)
            && !(long && is_zero)
            && let Origin::Given(span) = report.cells[c].origin
            && d.primary.as_ref().is_none_or(|(p, _)| *p != span)
        {
            let v = report.value(c).map(|v| v.number.to_string()).unwrap_or_default();
            d = d.also(span, format!("{} {v}", format.relative_label(c, all)));
        }
        let key = format.cells[c].key.clone();
        if !d.cells.contains(&key) {
            d.cells.push(key);
        }
    }
    if let Some(p) = previous {
        for t in rule.terms() {
            if let CellRef::Previous(key) = &t.cell
                && let Some(c) = p.format.cell(key)
            {
                let v = p.value(c).map(|v| v.number.to_string()).unwrap_or_default();
                d = d.also(p.place(c), format!("上年报告：{v}"));
            }
        }
    }
    let (expected, actual) = match rule.check {
        Check::Sum => (right, left),
        _ => (right, left),
    };
    d.expected = Some(expected.to_string());
    d.actual = Some(actual.to_string());
    d
}

fn abs_diff(a: Decimal, b: Decimal) -> Decimal {
    let d = a.checked_add(b.negated()).unwrap_or(Decimal::ZERO);
    if d.is_negative() { d.negated() } else { d }
}
