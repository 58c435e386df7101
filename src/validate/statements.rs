//! Figures the narrative states in words (formats.md §6.6): "收到政府信息公开
//! 申请35件" must agree with table 三 (N-1), "未发生行政复议" with table 四
//! (N-2). The wording and the cells come from the format's `statements`;
//! only text the author typed is read (a number that comes from a template
//! variable agrees by construction), and a clause about another year is
//! left alone.

use crate::diag::{Diagnostic, Diagnostics, codes};
use crate::format::Statement;
use crate::model::{Narrative, Report};
use crate::value::Decimal;

/// Characters that may stand between the wording and its number:
/// "收到政府信息公开申请共计35件", "……申请数量为35件", "……申请：35件". A comma
/// only before 共/合/总 ("……申请，共35件"): "……申请，2件已办结" states
/// something else.
const FILLER: &[char] = &['共', '计', '合', '总', '数', '量', '为', '达', '有', '：', ':', ' '];
const COMMA: &[char] = &['，', ','];
const TOTAL_WORDS: &[char] = &['共', '合', '总'];
const MAX_FILLER: usize = 4;

/// Words that put a clause in another year or another span of time.
const OTHER_TIME: &[&str] = &["上年", "去年", "上一年", "前年", "同期", "以来", "累计", "历年"];

pub fn check(report: &Report, diags: &mut Diagnostics) {
    for n in &report.narrative {
        for st in &report.format.statements {
            let Some(total) = total(report, st) else { continue };
            stated_figures(report, n, st, total, diags);
            stated_none(report, n, st, total, diags);
        }
    }
}

/// The sum of the statement's cells; None when a cell is blank.
fn total(report: &Report, st: &Statement) -> Option<Decimal> {
    let values: Vec<Decimal> = st.cells.iter().map(|&c| report.value(c).map(|v| v.number)).collect::<Option<_>>()?;
    Decimal::sum(&values)
}

/// N-1: a number after the wording that differs from the table.
fn stated_figures(report: &Report, n: &Narrative, st: &Statement, total: Decimal, diags: &mut Diagnostics) {
    let text = &n.text;
    let mut seen = Vec::new();
    for word in &st.words {
        for (pos, _) in text.match_indices(word.as_str()) {
            let Some((start, end, number, unit)) = figure_after(text, pos + word.len(), &st.units) else { continue };
            if seen.contains(&start) || about_other_time(report, text, pos) {
                continue;
            }
            seen.push(start);
            if number == total {
                continue;
            }
            let quoted = &text[pos..end];
            let d = Diagnostic::new(
                codes::NARRATIVE_FIGURE,
                format!("正文说“{quoted}{unit}”，而表格中{}是 {total}", st.what),
            )
            .at(n.place(start, end), format!("表格中是 {total}"));
            diags.push(about_cells(d, report, st, total, number));
        }
    }
}

/// N-2: "未发生行政复议" while the table has cases.
fn stated_none(report: &Report, n: &Narrative, st: &Statement, total: Decimal, diags: &mut Diagnostics) {
    if total.is_zero() {
        return;
    }
    let text = &n.text;
    let mut seen: Vec<(usize, usize)> = Vec::new();
    for phrase in &st.none {
        for (pos, _) in text.match_indices(phrase.as_str()) {
            // Inside a longer phrase already reported.
            if seen.iter().any(|&(s, e)| s <= pos && pos < e) || about_other_time(report, text, pos) {
                continue;
            }
            seen.push((pos, pos + phrase.len()));
            let d = Diagnostic::new(codes::NARRATIVE_NONE, format!("正文说“{phrase}”，而表格中{}是 {total}", st.what))
                .at(n.place(pos, pos + phrase.len()), format!("表格中是 {total}"));
            diags.push(
                about_cells(d, report, st, total, Decimal::from_int(0)).note("请核对是正文写错了，还是表格填错了"),
            );
        }
    }
}

/// The cells, the values (the table's is the one expected: the text should
/// follow the table) and how to make the text follow it for good.
fn about_cells(mut d: Diagnostic, report: &Report, st: &Statement, table: Decimal, text: Decimal) -> Diagnostic {
    let keys: Vec<&str> = st.cells.iter().map(|&c| report.format.cells[c].key.as_str()).collect();
    for k in &keys {
        d = d.cell(*k);
    }
    d.cell = keys.first().map(|k| k.to_string());
    d.expected = Some(table.to_string());
    d.actual = Some(text.to_string());
    d.note(format!("在正文中写 {{{{ {} }}}}，数字就从表格中取，不会再不一致", keys.join(" + ")))
}

/// `(start, end, number, unit)` of a figure right after `at`: a few filler
/// characters, digits (ASCII or full-width, with thousands separators),
/// then one of `units`.
fn figure_after<'a>(text: &str, at: usize, units: &'a [String]) -> Option<(usize, usize, Decimal, &'a str)> {
    let rest = &text[at..];
    let mut start = None;
    let mut chars = rest.char_indices().take(MAX_FILLER + 1).peekable();
    while let Some((i, c)) = chars.next() {
        if digit(c).is_some() {
            start = Some(i);
            break;
        }
        let total_follows = chars.peek().is_some_and(|(_, n)| TOTAL_WORDS.contains(n));
        if !(FILLER.contains(&c) || COMMA.contains(&c) && total_follows) {
            return None;
        }
    }
    let start = start?;
    let mut digits = String::new();
    let mut end = start;
    for (i, c) in rest[start..].char_indices() {
        match digit(c) {
            Some(d) => digits.push(d),
            None if matches!(c, ',' | '，')
                && rest[start + i + c.len_utf8()..].chars().next().and_then(digit).is_some()
                && !digits.is_empty() => {}
            None => break,
        }
        end = start + i + c.len_utf8();
    }
    let unit = units.iter().find(|u| rest[end..].starts_with(u.as_str()))?;
    Some((at + start, at + end, Decimal::parse(&digits)?, unit))
}

fn digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        _ => None,
    }
}

/// Whether the clause around `pos` speaks of another year: "上年收到…",
/// "2020年收到…" in a 2021 report.
fn about_other_time(report: &Report, text: &str, pos: usize) -> bool {
    let clause_start = text[..pos]
        .rfind(['。', '；', '，', '\n', ';'])
        .map_or(0, |i| i + text[i..].chars().next().map_or(1, char::len_utf8));
    let clause = &text[clause_start..pos];
    if OTHER_TIME.iter().any(|w| clause.contains(w)) {
        return true;
    }
    let year = report.meta.year.value.to_string();
    clause.match_indices('年').any(|(i, _)| {
        let before: String = clause[..i].chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
        before.len() == 4 && before.chars().all(|c| c.is_ascii_digit()) && before != year
    })
}
