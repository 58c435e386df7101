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
    // Every rule that can be checked, with Σ left and Σ right.
    let mut checked: Vec<(&Rule, Decimal, Decimal)> = Vec::new();
    for rule in &report.format.rules {
        if rule.previous && previous.is_none() {
            continue;
        }
        // A total gxgen computed cannot be wrong by itself: a failure there
        // follows from a given total that is already reported.
        if rule.total().is_some_and(|t| report.cells[t].origin == Origin::Computed) {
            continue;
        }
        // A cell that already has an error (blank, not a number, wrong row
        // length, a misspelt key) has no value: the rule is not checked.
        let (Some(left), Some(right)) = (sum(report, previous, &rule.left), sum(report, previous, &rule.right)) else {
            continue;
        };
        checked.push((rule, left, right));
    }
    let failed: Vec<usize> =
        (0..checked.len()).filter(|&i| !holds(checked[i].0.check, checked[i].1, checked[i].2)).collect();
    // One wrong cell breaks every rule it is in. Find the cells whose
    // correction makes a set of failed rules hold and breaks no rule that
    // holds; each becomes one error, the rules it breaks notes on it.
    let explained = explain(report, &checked, &failed);
    let mut done = vec![false; checked.len()];
    for &i in &failed {
        if done[i] {
            continue;
        }
        let (rule, left, right) = checked[i];
        match explained.iter().find(|e| e.rules.contains(&i)) {
            Some(e) => {
                for &j in &e.rules {
                    done[j] = true;
                }
                diags.push(one_cell(report, previous, &checked, e));
            }
            None => {
                done[i] = true;
                diags.push(failure(report, previous, rule, left, right));
            }
        }
    }
}

/// A cell whose correction explains failed rules.
struct Explanation {
    cell: usize,
    /// The value that makes the rules hold.
    value: Decimal,
    /// Indices into the checked rules that fail because of this cell.
    rules: Vec<usize>,
}

/// How a change of `cell` moves Σ left − Σ right of `rule`.
fn coefficient(rule: &Rule, cell: usize) -> i64 {
    let side = |terms: &[Term], sign: i64| {
        terms.iter().filter(|t| t.cell == CellRef::This(cell)).map(|t| if t.negate { -sign } else { sign }).sum::<i64>()
    };
    side(&rule.left, 1) + side(&rule.right, -1)
}

fn explain(report: &Report, checked: &[(&Rule, Decimal, Decimal)], failed: &[usize]) -> Vec<Explanation> {
    let exact = |r: &Rule| matches!(r.check, Check::Sum | Check::Equal);
    let mut candidates: Vec<Explanation> = Vec::new();
    let mut seen = Vec::new();
    for &i in failed {
        let rule = checked[i].0;
        for c in this_cells(&rule.left).chain(this_cells(&rule.right)).collect::<Vec<_>>() {
            if seen.contains(&c) || !matches!(report.cells[c].origin, Origin::Given(_)) {
                continue;
            }
            seen.push(c);
            let Some(written) = report.value(c).map(|v| v.number) else { continue };
            // The change every exact rule that contains the cell asks for.
            let mut delta: Option<Decimal> = None;
            let mut rules = Vec::new();
            let mut ok = true;
            for (j, (rule, l, r)) in checked.iter().enumerate() {
                let a = coefficient(rule, c);
                if a == 0 || !exact(rule) {
                    continue;
                }
                if a.abs() != 1 {
                    ok = false;
                    break;
                }
                // Σl − Σr + a·δ = 0
                let residual = l.checked_add(r.negated()).unwrap_or(Decimal::ZERO);
                let d = if a == 1 { residual.negated() } else { residual };
                match delta {
                    None => delta = Some(d),
                    Some(x) if x == d => {}
                    Some(_) => {
                        ok = false;
                        break;
                    }
                }
                if !d.is_zero() {
                    rules.push(j);
                }
            }
            let Some(delta) = delta.filter(|d| ok && !d.is_zero()) else { continue };
            let Some(value) = written.checked_add(delta) else { continue };
            if value.is_negative() && report.format.cells[c].kind != crate::format::Kind::Signed {
                continue;
            }
            // Failed ≤ rules the correction mends are explained too.
            for &j in failed {
                let (rule, l, r) = checked[j];
                let a = coefficient(rule, c);
                if !exact(rule) && a != 0 {
                    let shifted = if a > 0 { l.checked_add(delta) } else { l.checked_add(delta.negated()) };
                    if shifted.is_some_and(|s| holds(rule.check, s, r)) {
                        rules.push(j);
                    }
                }
            }
            candidates.push(Explanation { cell: c, value, rules });
        }
    }
    // A candidate is taken when no other explains as many of its rules: one
    // failed sum on its own (a row without cross-checks) says which total,
    // not which part, so it stays the rule's own message.
    let mut out: Vec<Explanation> = Vec::new();
    let tied: Vec<bool> = candidates
        .iter()
        .enumerate()
        .map(|(i, a)| candidates.iter().enumerate().any(|(j, b)| i != j && b.rules == a.rules))
        .collect();
    let mut candidates: Vec<Explanation> =
        candidates.into_iter().zip(tied).filter(|(_, t)| !t).map(|(c, _)| c).collect();
    candidates.sort_by_key(|c| std::cmp::Reverse(c.rules.len()));
    for cand in candidates {
        if cand.rules.len() < 2 || out.iter().any(|o| o.rules.iter().any(|r| cand.rules.contains(r))) {
            continue;
        }
        out.push(cand);
    }
    out
}

/// A rule broken by a wrong cell, said without asking to change the other
/// cells of the rule (they are right).
fn implied(report: &Report, previous: Option<&Report>, rule: &Rule, left: Decimal, right: Decimal) -> String {
    match (rule.check, rule.total()) {
        (Check::Sum, Some(total)) => {
            let title = codes::info(&rule.code).map_or(rule.id.as_str(), |i| i.title.as_str());
            format!("{title}：{}填写 {left}，各项之和为 {right}", report.format.describe(total))
        }
        _ => failure(report, previous, rule, left, right).message,
    }
}

/// One error for one wrong cell, the rules it breaks as notes.
fn one_cell(
    report: &Report,
    previous: Option<&Report>,
    checked: &[(&Rule, Decimal, Decimal)],
    e: &Explanation,
) -> Diagnostic {
    let format = report.format;
    let c = e.cell;
    // The rule the cell is the total of names the mistake best, then a sum
    // it is a part of, then the first rule it breaks.
    let first = e
        .rules
        .iter()
        .map(|&j| checked[j].0)
        .find(|r| r.total() == Some(c))
        .or_else(|| e.rules.iter().map(|&j| checked[j].0).find(|r| r.check == Check::Sum))
        .unwrap_or(checked[e.rules[0]].0);
    let title = codes::info(&first.code).map_or(first.id.as_str(), |i| i.title.as_str());
    let written = report.value(c).map(|v| v.number).unwrap_or(Decimal::ZERO);
    let mut d = Diagnostic::new(
        &first.code,
        format!(
            "{}应为 {}，实际填写 {written}（{title}等 {} 条勾稽关系因此不成立）",
            format.describe(c),
            e.value,
            e.rules.len()
        ),
    )
    .at(report.place(c), format!("应为 {}", e.value))
    .severity(first.severity);
    // How the primary rule computes the value (the parts of the sum).
    if let Some(&j) = e.rules.iter().find(|&&j| std::ptr::eq(checked[j].0, first)) {
        let (rule, l, r) = checked[j];
        if rule.total() == Some(c) {
            for n in failure(report, previous, rule, l, r).notes {
                d = d.note(n);
            }
        }
    }
    d = d.note(format!(
        "这一格写成 {} 时，下面 {} 条勾稽关系都成立；写成 {written} 时都不成立：",
        e.value,
        e.rules.len()
    ));
    for &j in &e.rules {
        let (rule, l, r) = checked[j];
        d = d.note(format!("· {}", implied(report, previous, rule, l, r)));
    }
    d.cell = Some(format.cells[c].key.clone());
    d.cells.push(format.cells[c].key.clone());
    for &j in &e.rules {
        for k in this_cells(&checked[j].0.left).chain(this_cells(&checked[j].0.right)) {
            let key = &format.cells[k].key;
            if !d.cells.contains(key) {
                d.cells.push(key.clone());
            }
        }
    }
    d.expected = Some(e.value.to_string());
    d.actual = Some(written.to_string());
    d
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
                .note(format!("如果合计 {left} 是对的，就是某一项多填或少填了 {}", abs_diff(left, right)))
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
