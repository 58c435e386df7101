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

pub fn check(report: &Report, previous: Option<&Report>, diags: &mut Diagnostics) {
    for n in &report.narrative {
        let found = figures(report, n);
        for f in &found {
            let st = &report.format.statements[f.statement];
            let Some(total) = total(report, st) else { continue };
            if f.number == total {
                stated_share(report, n, st, f, total, diags);
                if let Some(p) = previous {
                    stated_change(report, p, n, st, f, total, diags);
                }
                continue;
            }
            let quoted = &n.text[f.word..f.end];
            let d = Diagnostic::new(
                codes::NARRATIVE_FIGURE,
                format!("正文说“{quoted}{}”，而表格中{}是 {total}", f.unit, st.what),
            )
            .at(n.place(f.start, f.end), format!("表格中是 {total}"));
            diags.push(about_cells(d, report, st, total, f.number));
        }
        for st in &report.format.statements {
            let Some(total) = total(report, st) else { continue };
            stated_none(report, n, st, total, diags);
            stated_all(report, n, st, total, diags);
        }
    }
}

/// The sum of the statement's cells; None when a cell is blank or its
/// table is not written at all (it is taken as 0 for the arithmetic, but the
/// text is not checked against figures nobody wrote).
fn total(report: &Report, st: &Statement) -> Option<Decimal> {
    let format = report.format;
    let unwritten = st.cells.iter().any(|&c| match format.cells[c].owner {
        crate::format::Owner::Table { table, .. } => report.absent.contains(&format.tables[table].key),
        crate::format::Owner::Facts(_) => false,
    });
    if unwritten {
        return None;
    }
    let values: Vec<Decimal> = st.cells.iter().map(|&c| report.value(c).map(|v| v.number)).collect::<Option<_>>()?;
    Decimal::sum(&values)
}

/// "予以公开28件，占80%": the share recomputed from the table (Σ cells /
/// Σ share_of), accepted within the rounding the text uses (80% is 79.5 to
/// 80.5; 80.0% is 79.95 to 80.05).
fn stated_share(report: &Report, n: &Narrative, st: &Statement, f: &Found, part: Decimal, diags: &mut Diagnostics) {
    if st.share_of.is_empty() {
        return;
    }
    let text = &n.text;
    let after = f.end + f.unit.len();
    let window: String = text[after..].chars().take(40).collect();
    let Some(zhan) = window.find('占') else { return };
    // 占 right after the figure ("28件，占80%", "28件（约占80%）"), not in a
    // later clause about another figure.
    if window[..zhan].chars().count() > 2 || !window[..zhan].chars().all(|c| "，,（( 约".contains(c)) {
        return;
    }
    let rest = &window[zhan + '占'.len_utf8()..];
    let lead = rest.find(|c: char| c.is_ascii_digit() || digit(c).is_some());
    let Some(lead) = lead else { return };
    let Some((base_what, base_cells)) = named_base(report, st, &rest[..lead]) else { return };
    let values: Option<Vec<Decimal>> = base_cells.iter().map(|&c| report.value(c).map(|v| v.number)).collect();
    let Some(base) = values.and_then(|v| Decimal::sum(&v)).and_then(|d| d.to_i64()) else { return };
    let Some(part) = part.to_i64() else { return };
    if base == 0 {
        return;
    }
    let num: String = rest[lead..].chars().take_while(|&c| digit(c).is_some() || c == '.' || c == '．').collect();
    let num_len: usize = rest[lead..].chars().take(num.chars().count()).map(char::len_utf8).sum();
    if !rest[lead + num_len..].starts_with(['%', '％']) {
        return;
    }
    let written: String = num.chars().map(|c| digit(c).unwrap_or('.')).collect();
    let Ok(stated) = written.parse::<f64>() else { return };
    let decimals = written.split_once('.').map_or(0, |(_, d)| d.len()) as i32;
    let actual = part as f64 * 100.0 / base as f64;
    let half = 0.5 * 10f64.powi(-decimals) + 1e-9;
    if (stated - actual).abs() <= half {
        return;
    }
    let start = after + zhan + '占'.len_utf8() + lead;
    let end = start + num_len + '%'.len_utf8();
    let shown = format!("{:.*}", decimals.max(0) as usize, actual);
    let base_keys: Vec<&str> = base_cells.iter().map(|&c| report.format.cells[c].key.as_str()).collect();
    let keys: Vec<&str> = st.cells.iter().map(|&c| report.format.cells[c].key.as_str()).collect();
    let mut d = Diagnostic::new(
        codes::NARRATIVE_FIGURE,
        format!("正文说{}占{} {written}%，而按表格是 {part} / {base} = {shown}%", st.what, named(base_what)),
    )
    .at(n.place(start, end.min(text.len())), format!("按表格是 {shown}%"));
    for k in keys.iter().chain(&base_keys) {
        d = d.cell(*k);
    }
    d.expected = Some(shown.clone());
    d.actual = Some(written.clone());
    diags.push(
        d.note(format!(
            "{} 除以 {}（{}）再乘 100，按正文的 {decimals} 位小数四舍五入",
            keys.join(" + "),
            base_keys.join(" + "),
            base
        ))
        .note(format!(
            "在正文中写 {{{{ ({}) / ({}) * 100 | round(precision={decimals}) }}}}%，百分比就从表格中算出",
            keys.join(" + "),
            base_keys.join(" + ")
        )),
    );
}

/// The base a share names between 占 and its number: nothing, or words of
/// the natural base ("占总数的", "占全部申请的比例为") → the statement's
/// `share_of`; a base of the format's `share_bases` ("占本年新收申请的") →
/// its cells; anything else → None (the share is not checked against a base
/// the text does not name).
/// "本年新收申请" → "本年新收申请的"; the natural base is not named.
fn named(base: &str) -> String {
    if base.is_empty() { String::new() } else { format!("{base}的") }
}

fn named_base<'a>(report: &'a Report, st: &'a Statement, between: &str) -> Option<(&'a str, &'a [usize])> {
    if st.share_of.is_empty() {
        return None;
    }
    if between.chars().all(|c| "总数全部申请办理件的比例为约".contains(c)) {
        return Some(("", &st.share_of));
    }
    let mut name = between.trim_end_matches(['的', '比', '例', '为', '约', '达', ' ']);
    loop {
        for base in &report.format.share_bases {
            if base.words.iter().any(|w| w == name) {
                return Some((base.what.as_str(), &base.cells));
            }
        }
        match ["总数", "总量", "数量", "件数", "总和", "数", "的"].iter().find_map(|s| name.strip_suffix(s))
        {
            Some(shorter) if !shorter.is_empty() => name = shorter,
            _ => return None,
        }
    }
}

/// "收到申请35件，同比增加5件" (or 较上年减少2件, 同比增长20%) with last
/// year's report known: the change recomputed from both tables (the same
/// keys in last year's report; skipped when it does not have them).
fn stated_change(
    report: &Report,
    previous: &Report,
    n: &Narrative,
    st: &Statement,
    f: &Found,
    now: Decimal,
    diags: &mut Diagnostics,
) {
    let keys: Vec<&str> = st.cells.iter().map(|&c| report.format.cells[c].key.as_str()).collect();
    let before: Option<Vec<Decimal>> = keys.iter().map(|k| previous.get(k).map(|v| v.number)).collect();
    let Some(before) = before.and_then(|v| Decimal::sum(&v)) else { return };
    let (Some(now_i), Some(before_i)) = (now.to_i64(), before.to_i64()) else { return };
    let text = &n.text;
    let after = f.end + f.unit.len();
    let window: String = text[after..].chars().take(12).collect();
    let Some((lead, word)) =
        ["同比", "较上年", "比上年", "较去年", "比去年"].iter().filter_map(|w| window.find(w).map(|i| (i, *w))).min()
    else {
        return;
    };
    if !window[..lead].chars().all(|c| "，, ".contains(c)) {
        return;
    }
    let rest = &window[lead + word.len()..];
    let rest = rest.trim_start_matches('度');
    let (sign, rest) = match ["增加", "增长", "上升", "多", "减少", "下降", "少"].iter().find(|w| rest.starts_with(**w))
    {
        Some(w) => (if ["减少", "下降", "少"].contains(w) { -1 } else { 1 }, &rest[w.len()..]),
        None => return,
    };
    let rest = rest.trim_start_matches('了');
    let num: String = rest.chars().take_while(|&c| digit(c).is_some() || c == '.').collect();
    if num.is_empty() {
        return;
    }
    let written: String = num.chars().map(|c| digit(c).unwrap_or('.')).collect();
    let tail = &rest[num.len()..];
    let Ok(stated) = written.parse::<f64>() else { return };
    let start_in_window = window.len() - rest.len();
    let start = after + start_in_window;
    let (ok, shown, how) = if tail.starts_with(['%', '％']) {
        if before_i == 0 {
            return;
        }
        let decimals = written.split_once('.').map_or(0, |(_, d)| d.len()) as i32;
        let actual = (now_i - before_i) as f64 * 100.0 / before_i as f64;
        let half = 0.5 * 10f64.powi(-decimals) + 1e-9;
        let shown = format!("{:.*}%", decimals as usize, actual);
        ((sign as f64 * stated - actual).abs() <= half, shown, format!("({now_i} − {before_i}) / {before_i} × 100"))
    } else if tail.starts_with(f.unit.as_str()) {
        let diff = now_i - before_i;
        (
            (sign as f64 * stated - diff as f64).abs() < 1e-9,
            format!("{diff:+}{}", f.unit),
            format!("{now_i} − {before_i}"),
        )
    } else {
        return;
    };
    if ok {
        return;
    }
    let end = start + num.len();
    let sign_word = if sign > 0 { "增加" } else { "减少" };
    let d = Diagnostic::new(
        codes::NARRATIVE_FIGURE,
        format!("正文说{}较上年{sign_word}{written}，而按两年的表格是 {shown}", st.what),
    )
    .at(n.place(start, end.min(text.len())), format!("按表格是 {shown}"))
    .note(format!("本年 {now_i}，上年报告 {before_i}：{how}"))
    .note("上年的数取自 meta.previous 指明的上年报告");
    diags.push(d);
}

/// A figure the text states for a statement's quantity.
struct Found {
    statement: usize,
    /// Where the wording starts, where the number starts and ends.
    word: usize,
    start: usize,
    end: usize,
    number: Decimal,
    unit: String,
}

/// Every figure a narrative states after a statement's wording. The
/// longest wording wins ("予以公开及部分公开7件" is the sum, not 部分公开),
/// and each number is read once.
fn figures(report: &Report, n: &Narrative) -> Vec<Found> {
    let text = &n.text;
    let mut words: Vec<(usize, &str, usize)> = Vec::new();
    match matcher(report.format) {
        Some(m) => {
            // Each wording's occurrences as `match_indices` gives them:
            // left to right, not overlapping one another.
            let mut free = vec![0usize; m.words.len()];
            let mut hits: Vec<(usize, usize)> = Vec::new();
            for hit in m.ac.find_overlapping_iter(text.as_str()) {
                let w = hit.pattern().as_usize();
                if hit.start() >= free[w] {
                    free[w] = hit.end();
                    hits.push((hit.start(), w));
                }
            }
            for (pos, w) in hits {
                for &i in &m.statements[w] {
                    words.push((pos, m.words[w].as_str(), i));
                }
            }
        }
        None => {
            for (i, st) in report.format.statements.iter().enumerate() {
                for w in &st.words {
                    for (pos, _) in text.match_indices(w.as_str()) {
                        words.push((pos, w.as_str(), i));
                    }
                }
            }
        }
    }
    words.sort_by_key(|&(pos, w, _)| (std::cmp::Reverse(w.len()), pos));
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut numbers: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    for (pos, w, i) in words {
        let end_word = pos + w.len();
        if taken.iter().any(|&(s, e)| pos < e && s < end_word) {
            continue;
        }
        let st = &report.format.statements[i];
        let Some((start, end, number, unit)) = figure_after(text, end_word, &st.units) else { continue };
        if numbers.contains(&start) || about_other_time(report, text, pos) {
            continue;
        }
        taken.push((pos, end_word));
        numbers.push(start);
        out.push(Found { statement: i, word: pos, start, end, number, unit: unit.to_string() });
    }
    out.sort_by_key(|f| f.start);
    out
}

/// Every statement wording of a format, distinct, in one automaton: one
/// pass over a narrative finds them all (a scan per wording was a tenth of
/// a workspace check).
struct Matcher {
    ac: aho_corasick::AhoCorasick,
    words: Vec<String>,
    /// For each wording, the statements that use it, in order.
    statements: Vec<Vec<usize>>,
}

/// The matcher of a built-in format, made once per process; None (scan
/// per wording) for a format without one.
fn matcher(format: &'static crate::format::Format) -> Option<&'static Matcher> {
    static ALL: std::sync::OnceLock<Vec<Option<Matcher>>> = std::sync::OnceLock::new();
    let all = crate::format::all();
    let i = all.iter().position(|f| std::ptr::eq(f, format))?;
    ALL.get_or_init(|| all.iter().map(build_matcher).collect())[i].as_ref()
}

fn build_matcher(format: &crate::format::Format) -> Option<Matcher> {
    let mut words: Vec<String> = Vec::new();
    let mut statements: Vec<Vec<usize>> = Vec::new();
    for (i, st) in format.statements.iter().enumerate() {
        for w in &st.words {
            if w.is_empty() {
                return None;
            }
            let j = words.iter().position(|x| x == w).unwrap_or_else(|| {
                words.push(w.clone());
                statements.push(Vec::new());
                words.len() - 1
            });
            statements[j].push(i);
        }
    }
    let ac = aho_corasick::AhoCorasick::new(&words).ok()?;
    Some(Matcher { ac, words, statements })
}

/// Sentences of a report's narrative that state a figure (a number followed
/// by a unit), and how many of those figures were matched to a quantity of
/// the tables: what the statement check read.
pub fn survey(report: &Report) -> (usize, usize) {
    let mut sentences = 0;
    let mut matched = 0;
    for n in &report.narrative {
        let found = figures(report, n);
        let mut start = 0;
        for sentence in n.text.split_inclusive(['。', '；', '\n']) {
            let end = start + sentence.len();
            if has_figure(sentence) {
                sentences += 1;
                if found.iter().any(|f| f.start >= start && f.start < end) {
                    matched += 1;
                }
            }
            start = end;
        }
    }
    (sentences, matched)
}

/// Whether a sentence states a count: digits (or Chinese numerals) then 件/起/条/项/宗/份/万元/元/%.
fn has_figure(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    chars.windows(2).any(|w| (digit(w[0]).is_some() || numeral(w[0]).is_some()) && "件起条项宗份万元%".contains(w[1]))
}

/// "行政复议2件，均获维持" while the table has a case 纠正 or 尚未审结: a
/// claim that the statement's cells are all of `all_of`, said after one of
/// the statement's words in the same sentence.
fn stated_all(report: &Report, n: &Narrative, st: &Statement, part: Decimal, diags: &mut Diagnostics) {
    if st.all.is_empty() {
        return;
    }
    let values: Option<Vec<Decimal>> = st.all_of.iter().map(|&c| report.value(c).map(|v| v.number)).collect();
    let Some(whole) = values.and_then(|v| Decimal::sum(&v)) else { return };
    if whole == part || whole.is_zero() {
        return;
    }
    let text = &n.text;
    let mut seen: Vec<usize> = Vec::new();
    for phrase in &st.all {
        for (pos, _) in text.match_indices(phrase.as_str()) {
            if seen.iter().any(|&s| s <= pos && pos < s + phrase.len()) {
                continue;
            }
            let sentence_start = text[..pos]
                .rfind(['。', '；', '\n'])
                .map_or(0, |i| i + text[i..].chars().next().map_or(1, char::len_utf8));
            let sentence = &text[sentence_start..pos];
            if !st.words.iter().any(|w| sentence.contains(w.as_str())) || about_other_time(report, text, pos) {
                continue;
            }
            seen.push(pos);
            let d = Diagnostic::new(
                codes::NARRATIVE_FIGURE,
                format!("正文说“{phrase}”，而表格中{}是 {part}，共 {whole}", st.what),
            )
            .at(n.place(pos, pos + phrase.len()), format!("表格中 {part} / {whole}"));
            let keys: Vec<&str> = st.all_of.iter().map(|&c| report.format.cells[c].key.as_str()).collect();
            diags.push(
                about_cells(d, report, st, part, whole)
                    .note(format!("“{phrase}”说的是全部 {whole} 件（{}）", keys.join(" + ")))
                    .note("请核对是正文写错了，还是表格填错了"),
            );
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
        if digit(c).is_some() || numeral(c).is_some() && !FILLER.contains(&c) {
            start = Some(i);
            break;
        }
        let total_follows = chars.peek().is_some_and(|(_, n)| TOTAL_WORDS.contains(n));
        if !(FILLER.contains(&c) || COMMA.contains(&c) && total_follows) {
            return None;
        }
    }
    let start = start?;
    // Chinese numerals: 三件, 两起, 十二件.
    if rest[start..].chars().next().and_then(digit).is_none() {
        let len: usize = rest[start..].chars().take_while(|&c| numeral(c).is_some()).map(char::len_utf8).sum();
        let value = chinese_number(&rest[start..start + len])?;
        let unit = units.iter().find(|u| rest[start + len..].starts_with(u.as_str()))?;
        return Some((at + start, at + start + len, Decimal::from_int(value), unit));
    }
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

/// The value of a Chinese numeral character (digits and 十百千万).
fn numeral(c: char) -> Option<i64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        '万' => 10_000,
        _ => return None,
    })
}

/// 三 → 3, 十二 → 12, 二十 → 20, 一百零五 → 105, 两千三百 → 2300.
fn chinese_number(s: &str) -> Option<i64> {
    let (mut total, mut section, mut digit) = (0i64, 0i64, None::<i64>);
    for c in s.chars() {
        match numeral(c)? {
            10_000 => {
                total = (total + section + digit.take().unwrap_or(0)) * 10_000;
                section = 0;
            }
            u @ (10 | 100 | 1000) => section += digit.take().unwrap_or(1) * u,
            d => {
                if digit.is_some() {
                    return None; // 三五: not a number word
                }
                digit = Some(d);
            }
        }
    }
    Some(total + section + digit.unwrap_or(0))
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
